"""A request id for every request: in every log line written while it runs, and in its answer.

RequestIdMiddleware (first in MIDDLEWARE) takes the id from the request's X-Request-ID header
when a proxy in front sent a plain token, else makes one, and returns it as X-Request-ID. The
site's 500 page shows it to the reader as the reference to quote (core/errors.py). The id is
kept in a context variable, which each thread (sync workers, runserver) and each asyncio task
has its own of, so RequestIdFilter, on the console handler (LOGGING in config/settings.py),
can put it in every record: "-" outside a request.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
NO_REQUEST = "-"
# Anything else a client sends (a newline, markup, a kilobyte) would be written verbatim into
# every log line of the request, and shown on the 500 page: it is replaced, not cleaned.
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")

_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def from_header(value: str | None) -> str:
    """The incoming id when it is a plain token of 1–200 characters, else a new one."""
    if value and SANE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def current() -> str:
    """The id of the request being handled, or "-" outside one."""
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = from_header(request.META.get(META_KEY))
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` attribute; never drops one.

    Django logs a 4xx or 5xx that a view returned (rather than raised) once the middleware has
    finished; such records carry the request, and its id is read from there.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _current.get()
        if request_id == NO_REQUEST:
            request_id = getattr(getattr(record, "request", None), "request_id", NO_REQUEST)
        record.request_id = request_id if isinstance(request_id, str) else NO_REQUEST
        return True
