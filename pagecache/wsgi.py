"""PageCacheApp: answers page-cache hits in front of Django's request handling.

A hit needs the request's address, its cookies and the change counter (pagecache/store.py, kept in
the process until Redis reports it moved: pagecache/watch.py). Going through Django's handler and
middleware for it cost more than all of that: on the benchmark machine a cached article served about
0.71 times what a bare Django view returning fixed bytes serves; answered here, 0.86 to 0.93 times.
Misses, and every request the page cache does not serve (sessions, POSTs, static files), go to
Django unchanged.

The request object is Django's own WSGIRequest, so the page's key, the host check and the
cookie rules are exactly the middleware's. What a stored page needs from middleware on the way
out (security headers) was stored with it (store.store_headers()).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest

from core import request_id
from pagecache import store
from pagecache.backend import CACHE_UNREACHABLE
from pagecache.middleware import PageCacheMiddleware

logger = logging.getLogger("dossier.page_cache")

STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


class PageCacheApp:
    """WSGI middleware: serve a fresh stored page, else hand the request to `app`."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        answer = self.cached(environ)
        if answer is None:
            return self.app(environ, start_response)
        status, headers, body = answer
        # As RequestIdMiddleware does for what Django answers, so every access log line has one.
        reference = request_id.from_header(environ.get(request_id.META_KEY))
        start_response(STATUS_LINES[status], [*headers, (request_id.HEADER, reference)])
        return [body]

    @staticmethod
    def cached(environ: dict) -> tuple[int, list, bytes] | None:
        # WhiteNoise answers these (and nginx, in front of it): never pages. A URL on another
        # host (object storage) or an empty one names no path here.
        urls = (settings.STATIC_URL or "", settings.MEDIA_URL or "")
        files = tuple(url for url in urls if url.startswith("/"))
        if environ.get("PATH_INFO", "").startswith(files):
            return None
        # A cross-origin request: its answer carries CORS headers made for its Origin (the API,
        # django-cors-headers), which a stored page does not keep. Django's middleware answers
        # it, from the stored page when there is one (PageCacheMiddleware, below CORS).
        if environ.get("HTTP_ORIGIN"):
            return None
        # Django's request writes the decoded path back into its META, and META is the environ
        # it is given: on the environ handed on to Django, a path outside Latin-1 then fails to
        # decode a second time (a 500 for any Cyrillic or Persian URL). It gets a copy.
        request = WSGIRequest(dict(environ))
        if not store.is_cacheable_request(request):
            return None
        try:
            key = store.page_key(request)
        except DisallowedHost:
            return None  # Django answers it with its 400
        try:
            page = PageCacheMiddleware.fresh_page(key, time.time())
        except CACHE_UNREACHABLE:
            return None  # Django renders the page; the middleware logs that the cache is down
        except Exception:
            # Not a plain outage: still no bare 500 from here, Django answers and reports it.
            logger.exception("page cache lookup failed; the request goes to Django")
            return None
        if page is None:
            environ[store.LOOKED_UP] = True
            return None
        return store.reply(request, page, time.time())
