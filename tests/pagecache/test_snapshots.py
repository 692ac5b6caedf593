"""A kept copy (pagecache.snapshots.KeptCopy) is read once and served while the versions of what
it shows stand: stale once a tag moves on or it expires, never kept when a tag moved while it
was read, and read afresh each time when the cache cannot be reached."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory

from pagecache import snapshots, store
from pagecache.backend import RedisCache
from tests.conftest import FROZEN_NOW

TOPICS = "list:topics"
AUTHORS = "list:authors"


class Source:
    """Stands for the database: counts the reads and gives what they would find."""

    def __init__(self) -> None:
        self.reads = 0
        self.during_read = lambda: None

    def read(self) -> str:
        self.reads += 1
        self.during_read()
        return f"read {self.reads}"


@pytest.fixture
def source():
    return Source()


def kept(source: Source, **options) -> snapshots.KeptCopy[str]:
    return snapshots.KeptCopy(source.read, shows=lambda _: (TOPICS, AUTHORS), **options)


@pytest.fixture
def unreachable_cache(monkeypatch):
    """The cache as a Redis that refuses connections (nothing listens on port 1)."""
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    monkeypatch.setattr(store, "cache", down)
    monkeypatch.setattr(snapshots, "cache", down)
    return down


def test_a_kept_copy_is_read_once_while_its_tags_stand(source):
    copy = kept(source)

    assert [copy.get() for _ in range(3)] == ["read 1"] * 3
    assert source.reads == 1


def test_a_kept_copy_is_stale_once_one_of_its_tags_moves_on(source):
    copy = kept(source)
    copy.get()

    store.bump({AUTHORS})  # as another process's change does, on commit

    assert copy.get() == "read 2"
    assert copy.get() == "read 2"
    assert source.reads == 2


def test_a_change_to_a_tag_it_does_not_show_leaves_it_kept(source):
    copy = kept(source)
    copy.get()

    store.bump({"list:tags"})

    assert copy.get() == "read 1"


def test_a_copy_read_while_one_of_its_tags_moved_is_not_kept(source):
    copy = kept(source)
    source.during_read = lambda: store.bump({TOPICS})  # a change committed mid-read

    assert copy.get() == "read 1"  # served to this caller, as read
    source.during_read = lambda: None
    assert copy.get() == "read 2"  # but not kept: it may hold the data from before the change
    assert copy.get() == "read 2"


def test_forget_drops_the_copy_at_once(source):
    copy = kept(source)
    copy.get()

    copy.forget()

    assert copy.get() == "read 2"


def test_with_the_cache_unreachable_it_is_read_afresh_each_time(source, unreachable_cache):
    copy = kept(source)

    assert [copy.get() for _ in range(2)] == ["read 1", "read 2"]


def test_a_copy_kept_before_the_cache_became_unreachable_is_not_served(source, monkeypatch):
    copy = kept(source)
    copy.get()
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    monkeypatch.setattr(store, "cache", down)
    monkeypatch.setattr(snapshots, "cache", down)

    # Its versions cannot be checked: a change may have been made meanwhile.
    assert copy.get() == "read 2"
    assert copy.get() == "read 3"


def test_a_kept_copy_expires_after_its_lifetime(source):
    with time_machine.travel(FROZEN_NOW, tick=False) as clock:
        copy = kept(source, lifetime=lambda: 60)
        copy.get()

        clock.shift(timedelta(seconds=59))
        assert copy.get() == "read 1"

        clock.shift(timedelta(seconds=1))
        assert copy.get() == "read 2"


def test_a_copy_with_no_lifetime_left_is_not_kept(source):
    copy = kept(source, lifetime=lambda: 0)  # e.g. a scheduled change due now

    assert [copy.get() for _ in range(2)] == ["read 1", "read 2"]


def test_another_process_adopts_the_shared_copy_instead_of_reading(source):
    here = kept(source, shared_key="test:kept")
    elsewhere = kept(source, shared_key="test:kept")  # the same copy in another process
    here.get()

    assert elsewhere.get() == "read 1"
    assert source.reads == 1

    store.bump({TOPICS})
    assert elsewhere.get() == "read 2"  # the shared copy is stale too
    assert here.get() == "read 2"  # and the copy that process kept is shared again
    assert source.reads == 2


def test_forget_drops_the_shared_copy_too(source):
    here = kept(source, shared_key="test:kept")
    here.get()

    here.forget()

    assert kept(source, shared_key="test:kept").get() == "read 2"


# --- one read of versions for a page -----------------------------------------------------


@pytest.fixture
def every_page(monkeypatch, source):
    """A kept copy every page checks, as the site's menus are (registered only for the test)."""
    monkeypatch.setattr(snapshots, "_every_page", [])
    copy = kept(source, every_page=True)
    copy.get()
    return copy


@pytest.fixture
def cache_reads(monkeypatch):
    """The keys of each read of versions, in order."""
    reads: list[list[str]] = []
    real = store.cache.get_many
    monkeypatch.setattr(
        store.cache, "get_many", lambda keys, *a, **kw: reads.append(list(keys)) or real(keys)
    )
    return reads


def test_a_pages_read_of_versions_checks_the_every_page_copies_too(every_page, cache_reads):
    request = RequestFactory().get("/")

    snapshots.current({"articles.article:1"}, request=request)
    assert every_page.get(request) == "read 1"

    assert len(cache_reads) == 1  # the copy needed no read of its own
    assert set(cache_reads[0]) >= {store.VERSION_PREFIX + tag for tag in (TOPICS, AUTHORS)}


def test_a_tag_moved_before_the_pages_read_makes_the_every_page_copy_stale(every_page):
    request = RequestFactory().get("/")
    store.bump({TOPICS})

    snapshots.is_current({"articles.article:1": 1}, request=request)

    assert every_page.get(request) == "read 2"


def test_without_a_read_for_the_request_the_copy_reads_its_own_versions(every_page, cache_reads):
    store.bump({TOPICS})

    assert every_page.get(RequestFactory().get("/")) == "read 2"
    assert len(cache_reads) >= 1


def test_the_first_every_page_copy_checked_reads_the_versions_for_all_of_them(
    every_page, cache_reads
):
    """A page that read no versions yet (an index page, with no cards): its first check of a
    copy every page shows reads them for every such copy, once."""
    other = kept(Source(), every_page=True)
    other.get()
    request = RequestFactory().get("/")
    cache_reads.clear()

    every_page.get(request)
    other.get(request)

    assert len(cache_reads) == 1


def test_a_copy_kept_after_the_pages_read_is_checked_afresh_not_found_stale(
    every_page, cache_reads, source
):
    request = RequestFactory().get("/")
    snapshots.current(set(), request=request)
    store.bump({AUTHORS})
    every_page.forget()  # as this process's own change does
    every_page.get(request)  # read again, and kept at versions newer than the page's read

    # The page's read holds the older versions: they must not make the newer copy stale.
    assert every_page.get(request) == "read 2"
    assert source.reads == 2
