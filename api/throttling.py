"""Rate limiting of API clients by address (settings.API["RATE_LIMIT"], API_RATE_LIMIT)."""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.http import client_ip
from pagecache.backend import CACHE_UNREACHABLE

logger = logging.getLogger("dossier.api")


class AddressRateThrottle(SimpleRateThrottle):
    """DRF's fixed-window limit, counted in the default cache per client address.

    The address is core.http.client_ip(), the one the comment limits use, so behind our own
    proxy it is the reader's and not the proxy's. The rate is read from the settings on each
    request (DRF reads its own once, at import). With the cache unreachable, requests are
    served unlimited rather than failed, as the comment limits do (docs/caching.md).
    """

    scope = "address"

    def get_rate(self) -> str | None:
        return settings.API["RATE_LIMIT"]

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_UNREACHABLE as error:
            logger.warning("cache unreachable, API rate limit not applied: %s", error)
            return True
