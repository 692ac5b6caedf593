"""`manage.py backup FOLDER`: the database and every media file, with a manifest (core/backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup
from core.storage import MediaStoreUnavailable


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump's custom format, or a SQLite copy) and the media store "
        "(a listing with checksums and a copy of every file) into a new folder."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", help="a folder that does not exist yet, or is empty")
        parser.add_argument(
            "--media-listing-only",
            action="store_true",
            help="list the media files with their checksums but copy none (for a bucket with "
            "its own versioning or replica)",
        )

    def handle(self, *args, folder: str, media_listing_only: bool, **options) -> None:
        try:
            summary = backup.back_up(Path(folder), copy_media=not media_listing_only)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        except MediaStoreUnavailable as error:
            raise CommandError(f"The media store could not be read: {error}") from None
        self.stdout.write(
            f"Backed up to {summary.path}: the database ({summary.database_bytes:,} bytes) and "
            f"{summary.media_files} media files ({summary.media_bytes:,} bytes"
            f"{', listed, not copied' if media_listing_only else ''})."
        )
