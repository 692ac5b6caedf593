"""Derived data kept outside the page cache, checked against the same versions as a stored page.

Some things are rendered once and kept elsewhere, such as an article page's parts kept in the
database (articles/page_parts.py). They depend on tags exactly as a page does, so the changes
that refresh cached pages (website/cache_rules.py) must make them stale too. ``pin`` records the
tags' versions when rendering starts; ``is_current`` tells whether any has moved on since.
Versions move whether or not pages are cached (PAGE_CACHE["ENABLED"]), so these work with the
page cache off too. ``KeptCopy`` keeps such data in a process (the site's menus, the search
filters' choices), checked the same way.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.cache import cache
from django.http import HttpRequest

from pagecache import store
from pagecache.backend import CACHE_UNREACHABLE

T = TypeVar("T")


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


#: Where current() leaves the versions it read for a request, for the kept copies every page
#: checks (KeptCopy(every_page=True)).
READ_ATTR = "_page_cache_versions_read"

#: The kept copies every page checks (the site's menus): the first read of versions a page
#: makes with its request covers their tags too, so they need no read of their own.
_every_page: list[KeptCopy] = []

#: Where a request holds the tags it asks its reads of versions to cover too (also_check()).
ALSO_ATTR = "_page_cache_also_checked"


def also_check(request: HttpRequest, tags: Iterable[str]) -> None:
    """Have this request's next read of versions (current(tags, request=...)) cover these tags
    too, for something the page kept and checks after that read (a topic's cluster size)."""
    setattr(request, ALSO_ATTR, getattr(request, ALSO_ATTR, frozenset()) | set(tags))


def is_current(pinned: dict[str, int], *, request: HttpRequest | None = None) -> bool:
    """True while none of the tags has moved on since they were pinned. With the request, the
    read is current()'s: it covers the kept copies every page checks too."""
    if request is None:
        return store.versions(pinned) == pinned
    found = current(pinned, request=request)
    return all(found[tag] == version for tag, version in pinned.items())


def current(tags: Iterable[str], *, request: HttpRequest | None = None) -> dict[str, int | None]:
    """The tags' versions now, to check many renderings with one read (see is_current).

    With the request, the same read also takes the versions of the tags of every kept copy
    every page checks, and leaves them on the request: each such copy is then checked against
    them (KeptCopy.get(request)) instead of reading its own. That is as sound as checking it
    here: it shows what was current at this moment, as everything else the page read after
    this moment may; and a page stored by the page cache is pinned at the versions read when
    it is stored, so a change made meanwhile keeps it from being stored."""
    tags = set(tags)
    if request is None:
        return store.versions(tags)
    for kept in _every_page:
        tags |= kept.pinned_tags()
    tags |= getattr(request, ALSO_ATTR, frozenset())
    found = store.versions(tags)
    setattr(request, READ_ATTR, found)  # the latest read replaces any before: never mixed
    return found


@dataclass(frozen=True)
class Held(Generic[T]):
    """A kept value with the versions it was pinned at: one object, so that a copy replaced by
    another thread is never checked against the other copy's versions."""

    value: T
    pinned: dict[str, int]
    #: time.time() from which it is no longer used; None: only its versions end it.
    expires_at: float | None = None

    def is_usable(self, now: float, read: dict[str, int | None] | None = None) -> bool:
        """Not expired, and none of its tags has moved on since it was pinned: current if
        `read` (versions read a moment ago for the request) says so, else as read now. A copy
        pinned after that read may be newer than it: the read alone never finds it stale."""
        if self.expires_at is not None and now >= self.expires_at:
            return False
        if read is not None and all(read.get(tag) == v for tag, v in self.pinned.items()):
            return True
        return is_current(self.pinned)


class KeptCopy(Generic[T]):
    """Data derived from the database, read once and kept in this process while the versions
    of the tags it shows stand (and, optionally, until an expiry).

    Checking a kept copy costs one read of versions; reading it afresh costs queries and the
    work of building it. `get()` returns the copy while current, else reads it with `read`,
    pins the tags `shows` names (after taking the counter, as render_parts() does, so a copy
    read while something it shows changed is not kept), and keeps it. With `shared_key` the
    copy is also kept in the shared cache, so other processes adopt it instead of reading.
    `lifetime` gives, after each read, how many more seconds it may be kept (None: no limit;
    0 or less: not kept), for data that also changes by the clock. Without a reachable cache
    the data is read each time and nothing is kept. With `every_page`, each page's first read
    of versions for its request (current(tags, request=...)) also covers this copy's tags,
    and get(request) is checked against that read.

    `read`, `shows` and `lifetime` are called anew each time: pass functions that look their
    target up at call time when tests need to replace it.
    """

    def __init__(
        self,
        read: Callable[[], T],
        *,
        shows: Callable[[T], Iterable[str]],
        lifetime: Callable[[], float | None] | None = None,
        shared_key: str | None = None,
        every_page: bool = False,
    ) -> None:
        self._read = read
        self._shows = shows
        self._lifetime = lifetime
        self.shared_key = shared_key
        self._held: Held[T] | None = None
        self._every_page = every_page
        if every_page:
            _every_page.append(self)

    def pinned_tags(self) -> set[str]:
        """The tags this process's copy was pinned at (none without a copy)."""
        held = self._held
        return set(held.pinned) if held is not None else set()

    def get(self, request: HttpRequest | None = None) -> T:
        """The kept copy while current, else the data read afresh (and kept when it may be).
        With the request, checked against the versions read for it, when they cover it; for a
        copy every page checks, the first check on a page that read none reads them for all
        such copies."""
        now = time.time()
        read = getattr(request, READ_ATTR, None) if request is not None else None
        try:
            if read is None and request is not None and self._every_page:
                # The page's first check of what every page shows, before anything else read
                # versions for it: one read for all of them (the index pages, which keep no
                # cards), rather than one each.
                read = current((), request=request)
            held = self._held
            if held is not None and held.is_usable(now, read):
                return held.value
            if self.shared_key is not None:
                shared = cache.get(self.shared_key)
                if isinstance(shared, Held) and shared.is_usable(now):
                    self._held = shared
                    return shared.value
            counter = started()
        except CACHE_UNREACHABLE:
            return self._read()
        value = self._read()
        self._held = None  # the old copy is stale: keep nothing unless the new one is pinned
        with contextlib.suppress(CACHE_UNREACHABLE):
            pinned = pin(self._shows(value), started=counter)
            seconds = self._lifetime() if self._lifetime is not None else None
            if pinned is None or (seconds is not None and seconds <= 0):
                return value
            held = Held(value, pinned, None if seconds is None else now + seconds)
            if self.shared_key is not None:
                cache.set(self.shared_key, held, timeout=seconds)
            self._held = held
        return value

    def forget(self) -> None:
        """Drop this process's copy, and the shared one, at once (a change's versions move only
        on commit; the versions would make them stale then anyway)."""
        self._held = None
        if self.shared_key is not None:
            with contextlib.suppress(CACHE_UNREACHABLE):
                cache.delete(self.shared_key)
