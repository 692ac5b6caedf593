"""`manage.py import_wxr FILE.xml`: import a WordPress export (docs/import.md).

Safe to run again: what is already imported and unchanged is left alone, and a run that was
interrupted continues where it stopped.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from topics.models import Topic
from wordpress.importer import import_wxr
from wordpress.wxr import WXRError, parse

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR file from Tools → Export): posts, pages (as drafts), "
        "categories, tags, authors, comments and, with --media-dir, images. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The .xml file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="A copy of the site's wp-content/uploads folder: images are copied from it. "
            "Without it, attachments are skipped (nothing is ever downloaded).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything, show the summary, then undo it: nothing is saved.",
        )
        parser.add_argument(
            "--default-topic",
            metavar="SLUG",
            help="The topic of posts with no category (default: “Uncategorized”, created if "
            "needed).",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Whom the articles' activity log and revisions name as the importer.",
        )

    def handle(
        self,
        *args,
        file: str,
        media_dir: Path | None,
        dry_run: bool,
        default_topic: str | None,
        user: str | None,
        **options,
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir}: no such folder.")
        topic = None
        if default_topic:
            topic = Topic.objects.filter(slug=default_topic).first()
            if topic is None:
                raise CommandError(f"--default-topic {default_topic}: no topic has that slug.")
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"--user {user}: no such user.")
        try:
            export = parse(path.read_bytes())
        except WXRError as error:
            raise CommandError(f"{file}: {error}") from error
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror}).") from error

        show = options["verbosity"] > 0
        summary = import_wxr(
            export=export,
            by=by,
            media_dir=media_dir,
            default_topic=topic,
            dry_run=dry_run,
            progress=self.progress if show else None,
        )
        if show:
            self.stderr.write("")
        for line in summary.lines():
            self.stdout.write(line)

    def progress(self, done: int, total: int) -> None:
        """A bar redrawn in place on a terminal; a line per tenth when stderr is a file."""
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} items"
        # Progress is not an error: stderr's red styling is for errors.
        plain = str
        if self.stderr.isatty():
            self.stderr.write(f"\r{bar}", style_func=plain, ending="")
            self.stderr.flush()
        elif total and (done == total or done * 10 // total != (done - 1) * 10 // total):
            self.stderr.write(bar, style_func=plain)
