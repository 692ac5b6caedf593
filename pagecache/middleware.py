"""PageCacheMiddleware: stores anonymous readers' pages, and answers hits itself where the WSGI
front (pagecache/wsgi.py) is not in front of Django (the test client)."""

from __future__ import annotations

import logging
import time

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone

from pagecache import snapshots, store
from pagecache.backend import CACHE_UNREACHABLE
from pagecache.conf import config
from pagecache.schedule import next_scheduled_change
from pagecache.tags import SITE_TAG

logger = logging.getLogger("dossier.page_cache")


class PageCacheMiddleware:
    """Serve and store anonymous readers' pages; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not store.is_cacheable_request(request):
            return self.get_response(request)
        key = store.page_key(request)
        try:
            # PageCacheApp (pagecache/wsgi.py) found nothing a moment ago: do not ask again.
            page = None if request.META.get(store.LOOKED_UP) else self.fresh_page(key, time.time())
            started = store.current_version() if page is None else 0
        except CACHE_UNREACHABLE as error:
            # Readers still get their page, rendered afresh and not stored.
            logger.warning("page cache unreachable, rendering %s afresh: %s", request.path, error)
            return self.get_response(request)
        if page is not None:
            status, headers, body = store.reply(request, page, time.time())
            if status == 304:
                return HttpResponseNotModified(headers=dict(headers))
            return HttpResponse(body, headers=dict(headers))
        request._page_cache_tags = {SITE_TAG}
        response = self.get_response(request)
        if len(request._page_cache_tags) > 1 and store.is_storable(response):
            try:
                page = self.store_page(request, response, key, started)
            except CACHE_UNREACHABLE as error:
                logger.warning("page cache unreachable, %s not stored: %s", request.path, error)
                return response
            if page is not None:
                store.add_cache_headers(response, page, time.time())
                response["X-Page-Cache"] = "miss"
                if store.not_modified(request, page):
                    return HttpResponseNotModified(headers=store._validators(response.items()))
        return response

    @staticmethod
    def fresh_page(key: str, now: float) -> store.StoredPage | None:
        """This process's copy when fresh, else the shared cache's when fresh, else None."""
        # Read before any check: a change after this moment moves the counter past it. Kept in
        # the process between changes, so a hit usually asks Redis nothing (store.clock_watch).
        clock = store.clock_watch.value(store.cache)
        copy = store.local_pages.get(key)
        if copy is not None:
            page = copy.page
            if now < page.expires_at and clock is not None and clock == copy.checked:
                return page  # nothing anywhere has changed since its versions were checked
            if page.is_fresh(now):
                store.local_pages.put(key, page, clock)
                return page
            store.local_pages.discard(key)
        page = store.cache.get(key)
        if page is None or not page.is_fresh(now):
            return None
        store.local_pages.put(key, page, clock)
        return page

    def store_page(self, request, response, key: str, started: int) -> store.StoredPage | None:
        # None when something this page shows changed while it was being built.
        tags = snapshots.pin(request._page_cache_tags, started=started)
        if tags is None:
            return None
        now = time.time()
        lifetime = config("SECONDS")
        upcoming = next_scheduled_change(timezone.now())
        if upcoming is not None:
            lifetime = min(lifetime, max(0, int(upcoming.timestamp() - now)))
        if lifetime <= 0:
            return None
        page = store.StoredPage(
            content=response.content,
            headers=store.store_headers(request, response),
            tags=tags,
            stored_at=now,
            expires_at=now + lifetime,
            gzipped=store._gzipped(response),
        )
        store.cache.set(key, page, timeout=lifetime)
        # Its versions were current at `started` (else it would not be stored).
        store.local_pages.put(key, page, started)
        store.registry.add(tags, request.build_absolute_uri())
        return page
