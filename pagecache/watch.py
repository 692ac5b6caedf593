"""KeyWatch: a Redis value every hit reads, kept in the process until Redis says it changed.

A page-cache hit needs the change counter (store.CLOCK_KEY) and nothing else from Redis when the
process holds the page. Read from Redis on each hit, that one round trip was the whole gap
between a hit and a bare Django view on the benchmark machine (0.7 against 1.02 times the bare
view with it removed, docs/performance.md). So each process asks Redis to tell it when the key
changes, with Redis's own client-side caching protocol (CLIENT TRACKING, Redis 6 and later):
one connection per process, subscribed to ``__redis__:invalidate``, to which Redis sends the
key's name whenever anything modifies it (INCR, DEL, eviction, FLUSHDB). Until such a message
arrives the value read last is still the value; a hit checks the connection without waiting
(a poll of its socket, under a microsecond) instead of asking Redis.

What this keeps of "exact": Redis writes the message to every watching process before it
answers the change's own INCR, so on one host a change is seen by every request that starts
after the saving request returns (tests/pagecache/test_watch.py checks it ten thousand times).
Across hosts, the message travels one hop, Redis to the reader's host, while the editor's answer
and the next reader's request travel three. The process that made the change forgets its copy
itself (forget()), without waiting for the message.

When the watch cannot be kept it is not trusted, and each read goes to Redis as before:
* the cache is not Redis (local memory: a read costs nothing there);
* Redis refuses CLIENT TRACKING (an old or restricted server): tried again after
  REFUSED_RETRY_SECONDS; or it cannot be reached: tried again after RETRY_SECONDS;
* the connection breaks (Redis restarted, the output buffer limit for subscribers): the next
  read finds the socket closed, drops the watch and reads;
* a connection that died without a word (a lost host, a middlebox): the value is read again
  after RECHECK_SECONDS in any case, and a value that moved without a message drops the watch.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from typing import Any

import redis

logger = logging.getLogger("dossier.page_cache")

RETRY_SECONDS = 5.0
#: A Redis that answers but refuses CLIENT TRACKING (older than 6, or a managed service that
#: disables CLIENT) will not change its mind soon: asked again this seldom.
REFUSED_RETRY_SECONDS = 600.0
RECHECK_SECONDS = 1.0
INVALIDATIONS = "__redis__:invalidate"


class KeyWatch:
    """One key of the cache, read through value(); see the module docstring."""

    def __init__(self, key: str) -> None:
        self.key = key
        self._lock = threading.Lock()  # the development server runs a thread per request
        self._reset()
        # gunicorn forks its workers: a child must not read its parent's connection (it would
        # take the parent's messages), nor close it (redis-py shuts the socket down for both).
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._watched: tuple[Any, str] | None = None  # (connection pool, Redis key) watched
        self._connection: redis.Connection | None = None
        self._poll: select.poll | None = None
        self._known: Any = None
        self._has_known = False
        self._read_at = 0.0
        self._retry_at = 0.0
        # Moves on with every message, start and stop: a read that began under another
        # generation may predate a change, and is not kept.
        self._generation = 0

    def value(self, cache) -> Any:
        """The key's value in `cache` (a Django cache): from this process while Redis has sent
        no change since it was read, else read from the cache. Errors reading the cache are the
        cache's own (pagecache.backend.CACHE_UNREACHABLE when Redis is down)."""
        client = _redis_client(cache)
        if client is None:
            return cache.get(self.key)
        target = (client.connection_pool, cache.make_key(self.key))
        now = time.monotonic()
        with self._lock:
            if self._watched != target:
                self._stop()
                self._watched, self._retry_at = target, 0.0
            if self._connection is None and now >= self._retry_at:
                self._start(client, target[1], now)
            if self._connection is not None:
                self._drain()
            recheck = self._connection is not None and self._has_known
            if recheck and now - self._read_at < RECHECK_SECONDS:
                return self._known
            generation, expected = self._generation, self._known
        found = cache.get(self.key)
        with self._lock:
            if self._connection is not None:
                self._drain()
            if self._connection is None or self._generation != generation:
                return found  # no watch, or a change heard meanwhile: nothing to keep
            if recheck and found != expected:
                # Moved without a message: this connection no longer hears Redis.
                logger.warning("page cache: %s moved unannounced; watching it anew", target[1])
                self._stop()
                return found
            self._known, self._has_known, self._read_at = found, True, now
        return found

    def forget(self) -> None:
        """Read the value again next time: this process has just changed it."""
        with self._lock:
            self._has_known = False
            self._generation += 1

    def _start(self, client: redis.Redis, redis_key: str, now: float) -> None:
        pool = client.connection_pool
        connection = pool.connection_class(**pool.connection_kwargs)
        try:
            connection.connect()
            connection.send_command("CLIENT", "ID")
            own_id = connection.read_response()
            # BCAST: told of every change to keys with this prefix, by any connection. Sent to
            # this same connection, which RESP2 lets receive them once it is subscribed.
            connection.send_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", own_id, "BCAST", "PREFIX", redis_key
            )
            connection.read_response()
            connection.send_command("SUBSCRIBE", INVALIDATIONS)
            connection.read_response()  # confirmed: from now on no change goes unannounced
        except (redis.RedisError, OSError) as error:
            connection.disconnect()
            refused = isinstance(error, redis.ResponseError)
            wait = REFUSED_RETRY_SECONDS if refused else RETRY_SECONDS
            self._retry_at = now + wait
            logger.warning(
                "page cache: cannot watch %s in Redis (%s); reading it on every hit, "
                "trying again in %d s", redis_key, error, wait,
            )  # fmt: skip
            return
        self._connection = connection
        self._poll = select.poll()
        self._poll.register(connection._sock, select.POLLIN)
        self._has_known = False
        self._generation += 1

    def _drain(self) -> None:
        """Take whatever Redis has sent since the last look: a change forgets the value; the
        connection's end (Redis gone or restarted) stops the watch."""
        if not self._poll.poll(0):
            return  # nothing on the socket, and nothing left unread: it is always drained
        self._has_known = False
        self._generation += 1
        try:
            while self._connection.can_read(timeout=0):
                self._connection.read_response()
        except (redis.RedisError, OSError) as error:
            logger.warning("page cache: the watch on %s ended (%s)", self._watched[1], error)
            self._stop()
            self._retry_at = time.monotonic() + RETRY_SECONDS

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.disconnect()
            self._generation += 1
        self._connection, self._poll, self._has_known = None, None, False


def _redis_client(cache) -> redis.Redis | None:
    """The redis-py client behind a Django Redis cache; None for any other cache."""
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    return get_client(write=False) if get_client is not None else None
