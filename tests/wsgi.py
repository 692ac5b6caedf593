"""Requests sent to a WSGI application the way a WSGI server sends them.

Django's test client builds its environ and then hands it to a WSGIRequest, which rewrites
PATH_INFO with the decoded text: a bug that only shows on the environ a server builds (PEP 3333:
native strings holding the request's bytes read as Latin-1) never shows through it. These
helpers build that environ, as wsgiref and gunicorn do, and call the application directly.

with keep_test_transaction():
    answer = serve(application, "/articles/%D0%B8%D1%80%D0%B0%D0%BD/", "page=2")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import unquote_to_bytes
from wsgiref.util import setup_testing_defaults

from django.core import signals
from django.db import close_old_connections

HOST = "testserver"  # pytest-django adds it to ALLOWED_HOSTS


@contextmanager
def keep_test_transaction() -> Iterator[None]:
    """Django's handler closes old database connections as each request starts and ends, which
    would end the test's transaction; the test client leaves that out for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def native(raw: str) -> str:
    """A request-line string as a WSGI environ holds it: its bytes (UTF-8 for any character
    the client sent unencoded) read as Latin-1."""
    return raw.encode("utf-8").decode("iso-8859-1")


def server_environ(raw_path: str, raw_query: str = "", method: str = "GET", **extra) -> dict:
    """The environ for `method raw_path?raw_query`: the path percent-decoded to bytes, the
    query string as it came."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": unquote_to_bytes(raw_path).decode("iso-8859-1"),
        "QUERY_STRING": native(raw_query),
        "HTTP_HOST": HOST,
        "SERVER_NAME": HOST,
        **extra,
    }
    setup_testing_defaults(environ)
    if method == "POST":
        environ.setdefault("CONTENT_TYPE", "application/x-www-form-urlencoded")
        environ.setdefault("CONTENT_LENGTH", "0")
    return environ


class Answer:
    """What the application gave the server: status, headers and the joined body. `content`
    and `get()` read like a Django response's, for checks written against those."""

    def __init__(self, app: Callable, environ: dict):
        self.environ = environ
        chunks = app(environ, self.start_response)
        try:
            self.body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()  # as servers do: Django sends request_finished here

    def start_response(self, status, headers, exc_info=None):
        self.status = int(status.split()[0])
        self.headers = dict(headers)

    @property
    def content(self) -> bytes:
        return self.body

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


def serve(app: Callable, raw_path: str, raw_query: str = "", method: str = "GET", **extra):
    return Answer(app, server_environ(raw_path, raw_query, method, **extra))
