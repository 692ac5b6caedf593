"""Derived data kept outside the page cache, checked against the same versions as a stored page.

Some things are rendered once and kept elsewhere, such as an article page's parts kept in the
database (articles/page_parts.py). They depend on tags exactly as a page does, so the changes
that refresh cached pages (website/cache_rules.py) must make them stale too. ``pin`` records the
tags' versions when rendering starts; ``is_current`` tells whether any has moved on since.
Versions move whether or not pages are cached (PAGE_CACHE["ENABLED"]), so these work with the
page cache off too.
"""

from __future__ import annotations

from collections.abc import Iterable

from pagecache import store


def started() -> int:
    """The counter before reading what will be rendered: call it first."""
    return store.current_version()


def pin(tags: Iterable[str], *, started: int) -> dict[str, int] | None:
    """The tags' versions to keep with the rendering, or None when it must not be kept: the
    versions cannot be pinned, or something it shows changed while it was being rendered (it
    may hold old data). As the page cache decides for a page (PageCacheMiddleware)."""
    pinned = store.versions_for_storing(tags, started=started)
    if pinned is None or any(version > started for version in pinned.values()):
        return None
    return pinned


def is_current(pinned: dict[str, int]) -> bool:
    """True while none of the tags has moved on since they were pinned."""
    return store.versions(pinned) == pinned


def current(tags: Iterable[str]) -> dict[str, int | None]:
    """The tags' versions now, to check many renderings with one read (see is_current)."""
    return store.versions(tags)
