"""Reads of topics that many pages share."""

from __future__ import annotations

import contextlib

from django.core.cache import cache
from django.db import transaction

from core.models import CACHE_ERRORS

from .models import Topic

MAIN_TOPIC_LINKS_KEY = "topics:main-links"
#: Bounds how long a process whose cache is local memory can show an old list.
MAIN_TOPIC_LINKS_SECONDS = 300


def main_topic_links() -> list[tuple[str, str]]:
    """(name, address) of every main topic, by name: the site footer's list, on every page.

    Kept in the shared cache like the site settings, so a page pays a cache read rather than a
    query for it; any change to a topic forgets it (website/cache_rules.py). Without a
    reachable cache, one query.
    """
    try:
        found = cache.get(MAIN_TOPIC_LINKS_KEY)
    except CACHE_ERRORS:
        return _read()
    if found is None:
        found = _read()
        with contextlib.suppress(*CACHE_ERRORS):
            cache.set(MAIN_TOPIC_LINKS_KEY, found, timeout=MAIN_TOPIC_LINKS_SECONDS)
    return found


def _read() -> list[tuple[str, str]]:
    topics = Topic.objects.filter(parent__isnull=True).only("name", "slug", "parent_id")
    return [(topic.name, topic.get_absolute_url()) for topic in topics]


def forget_main_topic_links() -> None:
    """At once, and again once committed (another process may have read the old list meanwhile)."""
    _forget()
    transaction.on_commit(_forget, robust=True)


def _forget() -> None:
    with contextlib.suppress(*CACHE_ERRORS):
        cache.delete(MAIN_TOPIC_LINKS_KEY)
