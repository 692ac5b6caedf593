"""The media store (Django's default storage: MEDIA_ROOT, or an S3 bucket), seen as one thing.

Whatever the backend, a store that cannot be reached raises its own kind of error: OSError from
the file system, botocore's errors from S3. Writes that go through `media_store()` raise one
`MediaStoreUnavailable` instead, which the admin turns into a form error (core/admin.py) so the
editor keeps what they typed.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.storage import Storage, default_storage

log = logging.getLogger(__name__)


class MediaStoreUnavailable(Exception):
    """The media store could not be read or written."""


def _store_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]
    try:  # only installed with django-storages' S3 extra, which pyproject.toml asks for
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover
        pass
    else:
        errors += [BotoCoreError, ClientError]
    return tuple(errors)


STORE_ERRORS = _store_errors()


@contextmanager
def media_store() -> Iterator[None]:
    """Turn the backend's own failures inside the block into MediaStoreUnavailable."""
    try:
        yield
    except MediaStoreUnavailable:
        raise
    except STORE_ERRORS as error:
        log.error("The media store failed: %s", error)
        raise MediaStoreUnavailable(str(error)) from error


def walk(storage: Storage = default_storage, path: str = "") -> Iterator[str]:
    """Every file's name in `storage` under `path`, depth first, in name order."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        if path:
            raise
        return  # a MEDIA_ROOT nothing was ever uploaded to is not there yet: no files
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for directory in sorted(directories):
        yield from walk(storage, posixpath.join(path, directory) if path else directory)


def delete_quietly(names: list[str], storage: Storage = default_storage) -> None:
    """Delete each of `names` that exists; a failure is logged and the rest still go.
    For clean-ups run after a commit, which must never undo what the editor did."""
    for name in names:
        try:
            storage.delete(name)
        except STORE_ERRORS as error:
            log.warning("Could not delete %s from the media store: %s", name, error)
