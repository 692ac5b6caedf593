"""pagecache/watch.py: the change counter kept in the process until Redis says it changed, and
read from Redis whenever that cannot be known."""

from __future__ import annotations

import logging
import os
import select
import time
import uuid

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache

from pagecache import watch as watch_module
from pagecache.backend import CACHE_UNREACHABLE, RedisCache
from pagecache.watch import KeyWatch

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL), as CI and production have"
)


def redis_cache(prefix: str) -> RedisCache:
    return RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": prefix})


class CountedReads:
    """A cache whose get() calls are counted, as if each were a round trip to Redis."""

    def __init__(self, cache):
        self.cache, self.reads = cache, 0
        self._cache = cache._cache  # what the watch looks for: the client behind a Redis cache

    def get(self, key, default=None):
        self.reads += 1
        return self.cache.get(key, default)

    def make_key(self, key):
        return self.cache.make_key(key)


@pytest.fixture
def prefix():
    return f"dossier-test-watch-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def here(prefix):
    """This host's cache, its reads counted."""
    cache = redis_cache(prefix)
    cache.set("pc:clock", 100, timeout=None)
    yield CountedReads(cache)
    cache.delete("pc:clock")


@pytest.fixture
def elsewhere(prefix):
    """Another app host's cache: the same Redis and keys, its own client and connections."""
    return redis_cache(prefix)


@pytest.fixture
def watch():
    watched = KeyWatch("pc:clock")
    yield watched
    watched._stop()


@needs_redis
def test_the_value_is_read_once_while_nothing_changes(here, watch):
    values = [watch.value(here) for _ in range(100)]

    assert values == [100] * 100
    assert here.reads == 1


@needs_redis
def test_a_change_made_through_another_host_is_seen_by_the_next_read(here, elsewhere, watch):
    watch.value(here)
    # Redis answers the INCR only after the watching connection has the message: the read
    # right after it must see the new value, every time (pagecache/watch.py).
    for expected in range(101, 601):
        assert elsewhere.incr("pc:clock") == expected
        assert watch.value(here) == expected
    assert here.reads == 1 + 500
    assert watch.value(here) == 600 and here.reads == 501  # and kept again afterwards


@needs_redis
def test_a_deleted_counter_and_a_flushed_database_are_read_again(here, elsewhere, watch):
    watch.value(here)

    elsewhere.delete("pc:clock")
    assert watch.value(here) is None
    elsewhere.set("pc:clock", 7, timeout=None)
    assert watch.value(here) == 7
    elsewhere._cache.get_client(write=True).flushdb()
    assert watch.value(here) is None


@needs_redis
def test_other_keys_changing_leave_the_value_kept(here, elsewhere, watch):
    watch.value(here)

    elsewhere.set("pc:v:articles.article:1", 5, timeout=None)
    elsewhere.set("pc:page:3:abc", b"page", timeout=None)

    assert watch.value(here) == 100
    assert here.reads == 1


@needs_redis
def test_the_process_that_changes_the_value_reads_it_again_at_once(here, watch):
    watch.value(here)
    here.cache.incr("pc:clock")

    watch.forget()

    assert watch.value(here) == 101


@needs_redis
def test_a_broken_connection_falls_back_to_reading_then_watches_again(
    here, elsewhere, watch, monkeypatch, caplog
):
    watch.value(here)
    elsewhere._cache.get_client(write=True).client_kill_filter(_type="pubsub")

    with caplog.at_level(logging.WARNING, logger="dossier.page_cache"):
        assert watch.value(here) == 100  # the end is seen, and the value read
    assert "ended" in caplog.text
    elsewhere.incr("pc:clock")
    assert watch.value(here) == 101 and watch._connection is None  # read, while not watching
    reads = here.reads

    monkeypatch.setattr(watch_module, "RETRY_SECONDS", 0)
    watch._retry_at = 0
    assert [watch.value(here) for _ in range(3)] == [101] * 3
    assert here.reads == reads + 1  # watching again: one read, then kept
    elsewhere.incr("pc:clock")
    assert watch.value(here) == 102


@needs_redis
def test_a_connection_that_hears_nothing_is_caught_by_the_recheck(
    here, elsewhere, watch, monkeypatch, caplog
):
    watch.value(here)
    watch._poll = select.poll()  # as a connection lost without a word: nothing ever arrives
    elsewhere.incr("pc:clock")
    assert watch.value(here) == 100  # not known yet: the price of a silent connection

    monkeypatch.setattr(watch_module, "RECHECK_SECONDS", 0)
    with caplog.at_level(logging.WARNING, logger="dossier.page_cache"):
        assert watch.value(here) == 101

    assert "moved unannounced" in caplog.text
    assert watch._connection is None  # and it watches anew on the next read


@needs_redis
def test_a_value_read_while_a_change_arrives_is_not_kept(here, elsewhere, watch):
    watch.value(here)
    watch.forget()
    read = here.get

    def read_then_change(key, default=None):
        found = read(key, default)
        elsewhere.incr("pc:clock")  # lands after the read, before the value could be kept
        return found

    here.get = read_then_change
    assert watch.value(here) == 100
    here.get = read

    assert watch.value(here) == 101


@needs_redis
def test_redis_refusing_client_tracking_means_a_read_on_every_call(
    here, watch, monkeypatch, caplog
):
    connection_class = here._cache.get_client().connection_pool.connection_class
    send = connection_class.send_command

    def refuse_tracking(self, *args, **kwargs):
        if args[:2] == ("CLIENT", "TRACKING"):
            raise redis.ResponseError("unknown subcommand 'TRACKING'")
        return send(self, *args, **kwargs)

    monkeypatch.setattr(connection_class, "send_command", refuse_tracking)
    with caplog.at_level(logging.WARNING, logger="dossier.page_cache"):
        values = [watch.value(here) for _ in range(5)]

    assert values == [100] * 5
    assert here.reads == 5
    assert caplog.text.count("cannot watch") == 1
    assert watch._retry_at - time.monotonic() > 500  # asked again in ten minutes, not five s


def test_an_unreachable_redis_raises_as_the_cache_does(watch, caplog):
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})

    with caplog.at_level(logging.WARNING, logger="dossier.page_cache"):
        for _ in range(2):
            with pytest.raises(CACHE_UNREACHABLE):
                watch.value(down)

    assert caplog.text.count("cannot watch") == 1


def test_a_cache_other_than_redis_is_read_every_time(watch):
    local = LocMemCache("watch-test", {})
    local.set("pc:clock", 3)
    counted = CountedReads(local)

    assert [watch.value(counted) for _ in range(3)] == [3, 3, 3]
    assert counted.reads == 3


@needs_redis
def test_a_forked_worker_watches_on_its_own_connection(here, elsewhere, watch):
    watch.value(here)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: its own watch, the parent's connection left alone
        try:
            first = watch.value(here)
            elsewhere.incr("pc:clock")
            os.write(writer, f"{first},{watch.value(here)}".encode())
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    seen = os.read(reader, 100).decode()

    assert seen == "100,101"
    assert watch.value(here) == 101  # the parent's watch still hears Redis
    elsewhere.incr("pc:clock")
    assert watch.value(here) == 102
