"""`manage.py restore FOLDER`: a backup made by `manage.py backup`, into a fresh database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup
from core.storage import MediaStoreUnavailable


class Command(BaseCommand):
    help = (
        "Restore a backup folder into the database DATABASE_URL names, which must be empty, "
        "and put its media files back in the media store. Empties the cache."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", help="the folder `manage.py backup` wrote")
        parser.add_argument(
            "--skip-media",
            action="store_true",
            help="restore the database only; the media store is left as it is",
        )

    def handle(self, *args, folder: str, skip_media: bool, **options) -> None:
        try:
            summary = backup.restore(Path(folder), media=not skip_media)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        except MediaStoreUnavailable as error:
            raise CommandError(f"The media store could not be written: {error}") from None
        self.stdout.write(
            f"Restored {summary.path}: the database and {summary.media_files} media files. "
            "Restart the app servers so none keeps pages from before in its memory."
        )
