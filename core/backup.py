"""Backups of the whole site, and restoring them into a fresh database (docs/deployment.md).

A backup is a folder:

    manifest.json       what is in it: when, which database, every media file with its size
                        and SHA-256, the latest migration of each app
    database.dump       PostgreSQL: pg_dump's custom format (restored with pg_restore)
    database.sqlite3    SQLite: a consistent copy made with SQLite's backup API
    media/…             a copy of every file in the media store (MEDIA_ROOT or the bucket)

Everything the site shows is in the database and the media store; Redis holds only what can be
rebuilt (cached pages, versions, counters), so it is not backed up, and a restore empties it.

Knows nothing of Dossier's apps: the database is copied whole, the media store file by file
through Django's storage API, whichever backend it has.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .storage import media_store, walk

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """Something the person running the backup or restore must fix; the message says what."""


@dataclass
class Summary:
    path: Path
    database_bytes: int
    media_files: int
    media_bytes: int


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    if connection.vendor not in DUMP_FILES:
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _pg_args() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore, from Django's settings."""
    db = connection.settings_dict
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed. Install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client), the same major version as the server "
            "or newer."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


# --- backup ------------------------------------------------------------------------------


def back_up(destination: Path, *, copy_media: bool = True) -> Summary:
    destination = Path(destination)
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} already exists and is not an empty folder.")
    vendor = _vendor()
    destination.mkdir(parents=True, exist_ok=True)
    dump = destination / DUMP_FILES[vendor]
    _dump_database(vendor, dump)
    media = _copy_media(destination / MEDIA_DIR, copy=copy_media)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {
            "vendor": vendor,
            "name": str(connection.settings_dict["NAME"]),
            "file": dump.name,
            "bytes": dump.stat().st_size,
            "sha256": sha256_of(dump.open("rb")),
        },
        "migrations": _latest_migrations(),
        "media": {
            "storage": f"{type(default_storage._wrapped).__module__}."
            f"{type(default_storage._wrapped).__qualname__}",
            "copied": copy_media,
            "files": media,
        },
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return Summary(
        path=destination,
        database_bytes=manifest["database"]["bytes"],
        media_files=len(media),
        media_bytes=sum(item["bytes"] for item in media),
    )


def _dump_database(vendor: str, dump: Path) -> None:
    if vendor == "postgresql":
        args, env = _pg_args()
        name = str(connection.settings_dict["NAME"])
        # Custom format: compressed, and pg_restore can restore it selectively or in parallel.
        # No owner or grants: the database it is restored into may belong to another role.
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
             f"--file={dump}", name],
            env,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        # SQLite's backup API copies a consistent snapshot even while the site writes.
        with sqlite3.connect(dump) as target:
            connection.connection.backup(target)
        target.close()


def _copy_media(folder: Path, *, copy: bool) -> list[dict]:
    listing = []
    with media_store():
        for name in walk(default_storage):
            with default_storage.open(name, "rb") as source:
                if copy:
                    path = _inside(folder, name)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    with open(path, "wb") as out:
                        shutil.copyfileobj(source, out)
                    digest, size = sha256_of(path.open("rb")), path.stat().st_size
                else:
                    digest, size = sha256_of(source), default_storage.size(name)
            listing.append({"name": name, "bytes": size, "sha256": digest})
    return listing


def _inside(folder: Path, name: str) -> Path:
    """The copy of media file `name` in `folder`; a name that would climb out is refused."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise BackupError(f"Refusing a media file name outside the backup: {name!r}")
    return path


def _latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


# --- restore -----------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    source = Path(source)
    if not source.is_dir():
        raise BackupError(f"{source} is not a folder: give the folder `backup` wrote.")
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} has no {MANIFEST}: it is not a Dossier backup.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{source / MANIFEST} is not readable JSON ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST} is not a backup manifest of format {FORMAT}.")
    try:
        database, files = manifest["database"], manifest["media"]["files"]
        dump = source / database["file"]
        expected = database["sha256"]
        for item in files:
            item["name"], item["sha256"]
    except (KeyError, TypeError):
        raise BackupError(f"{source / MANIFEST} is incomplete.") from None
    if not dump.is_file():
        raise BackupError(f"The database file {dump} is missing from the backup.")
    if sha256_of(dump.open("rb")) != expected:
        raise BackupError(f"{dump} does not match its checksum: the backup is damaged.")
    return manifest


def restore(source: Path, *, media: bool = True) -> Summary:
    source = Path(source)
    manifest = read_manifest(source)
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"This backup is of a {manifest['database']['vendor']} database; DATABASE_URL "
            f"points at {vendor}. Restore it into the same kind of database."
        )
    copies = source / MEDIA_DIR
    files = manifest["media"]["files"]
    if media and files and not manifest["media"].get("copied"):
        raise BackupError(
            "This backup lists the media files but holds no copy of them (made with "
            "--media-listing-only). Restore with --skip-media and restore the bucket from its "
            "own versioning or replica."
        )
    if media:
        _check_copies(copies, files)
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} "
            "tables). Restore into a fresh, empty database (PostgreSQL: createdb; SQLite: a "
            "new file) and point DATABASE_URL at it; nothing was changed."
        )
    _restore_database(vendor, source / manifest["database"]["file"])
    if media:
        _restore_media(copies, files, default_storage)
    # Pages, versions and site settings kept in the cache describe the database as it was
    # before: all of it is rebuilt from the restored one.
    cache.clear()
    return Summary(
        path=source,
        database_bytes=manifest["database"]["bytes"],
        media_files=len(files) if media else 0,
        media_bytes=sum(item.get("bytes", 0) for item in files) if media else 0,
    )


def _check_copies(copies: Path, files: list[dict]) -> None:
    for item in files:
        path = _inside(copies, item["name"])
        if not path.is_file():
            raise BackupError(f"The media file {item['name']} is missing from the backup.")
        if sha256_of(path.open("rb")) != item["sha256"]:
            raise BackupError(f"The media file {item['name']} does not match its checksum.")


def _restore_database(vendor: str, dump: Path) -> None:
    if vendor == "postgresql":
        args, env = _pg_args()
        name = str(connection.settings_dict["NAME"])
        connection.close()  # pg_restore works alone; Django reconnects when next asked
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args,
             f"--dbname={name}", str(dump)],
            env,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as backup:
            backup.backup(connection.connection)
        backup.close()


def _restore_media(copies: Path, files: list[dict], storage: Storage) -> None:
    with media_store():
        for item in files:
            name = item["name"]
            path = _inside(copies, name)
            if storage.exists(name):
                with storage.open(name, "rb") as current:
                    if sha256_of(current) == item["sha256"]:
                        continue  # already there, as it was
                storage.delete(name)
            with open(path, "rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"The media store saved {name} as {saved}; restore stopped.")
