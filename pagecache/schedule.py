"""The next scheduled change: every stored page ends there.

Scheduled go-live and expiry happen by the clock, with no save to hook into, so a page is stored
only until the next scheduled change of anything it could show. The app that schedules content
(articles) registers how to find that moment (``register``); the page cache never imports it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache

from pagecache.backend import CACHE_UNREACHABLE
from pagecache.conf import config

logger = logging.getLogger("dossier.page_cache")

NEXT_CHANGE_KEY = "pc:next-change"

#: Functions taking the time now and giving the next scheduled change after it, or None.
_finders: list[Callable[[datetime], datetime | None]] = []


def register(finder: Callable[[datetime], datetime | None]) -> None:
    """Add a source of scheduled changes (called from an AppConfig.ready())."""
    if finder not in _finders:
        _finders.append(finder)


def next_scheduled_change(now: datetime) -> datetime | None:
    """When the next scheduled change happens: every stored page ends there.

    Kept in the cache; any change of scheduled content forgets it (website/cache_rules.py), and
    it is recomputed once it has passed. One query per finder when it is not known.
    """
    known = cache.get(NEXT_CHANGE_KEY)
    if known is not None and (known == "none" or known > now):
        return None if known == "none" else known
    found = [when for finder in _finders if (when := finder(now)) is not None]
    upcoming = min(found, default=None)
    cache.set(NEXT_CHANGE_KEY, upcoming or "none", timeout=config("SECONDS"))
    return upcoming


def forget_next_scheduled_change() -> None:
    try:
        cache.delete(NEXT_CHANGE_KEY)
    except CACHE_UNREACHABLE as error:
        # Called while an article is saved: the editor's save must not fail on the cache
        # (docs/caching.md, "When Redis is unreachable").
        logger.warning("page cache unreachable, next scheduled change kept: %s", error)
