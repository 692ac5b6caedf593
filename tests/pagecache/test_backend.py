"""pagecache/backend.py: Django's Redis cache, keeping its client between calls."""

import os

import pytest

from pagecache.backend import RedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL), as CI and production have"
)


@pytest.fixture
def redis_cache():
    backend = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "dossier-test-backend"})
    yield backend
    backend.clear()


def test_every_call_uses_the_same_client(redis_cache):
    first = redis_cache._cache.get_client(write=True)

    assert redis_cache._cache.get_client() is first
    assert redis_cache._cache.get_client(write=True) is first


def test_it_stores_and_reads_like_djangos_backend(redis_cache):
    redis_cache.set("page", {"body": b"x" * 100}, timeout=60)
    redis_cache.set("version", 7, timeout=None)

    assert redis_cache.get("page") == {"body": b"x" * 100}
    assert redis_cache.get_many(["version", "missing"]) == {"version": 7}
    assert redis_cache.incr("version") == 8
    assert redis_cache.add("version", 1) is False


def test_long_keys_with_spaces_are_accepted(redis_cache):
    key = "pc:v:list:articles:tag:" + "spaced name " * 30  # memcached would refuse it

    redis_cache.set(key, 1)

    assert redis_cache.get(key) == 1
