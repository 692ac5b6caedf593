"""Storing and serving pages: versions of tags, stored pages, this process's copies, and the
headers a hit is answered with. See the package docstring for how the page cache works."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.security import SecurityMiddleware
from django.utils.http import http_date, parse_etags
from django.utils.text import compress_string

from pagecache.conf import config
from pagecache.purgers import purgers
from pagecache.tags import tags_of
from pagecache.watch import KeyWatch

logger = logging.getLogger("dossier.page_cache")

VERSION_PREFIX = "pc:v:"
# Bumped when stored pages must not be read after a deploy: 2, pages without the security
# headers (see store_headers()); 3, pages whose comments tag was "comments:article:N" before
# tags came from pagecache.tags ("list:comments:article:N"), which no change moves any more.
PAGE_PREFIX = "pc:page:3:"
URLS_PREFIX = "pc:urls:"
CLOCK_KEY = "pc:clock"
#: The counter as each process knows it between changes (pagecache/watch.py): a hit reads it.
clock_watch = KeyWatch(CLOCK_KEY)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware reads Accept-Encoding
#: Headers stored with a page. Per-request ones (cookies, Vary on the session) are not.
STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy",
                  "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                  "Cross-Origin-Opener-Policy", "Strict-Transport-Security", "Link",
                  "X-Robots-Tag")  # fmt: skip
#: The WSGI environ key by which PageCacheApp tells the middleware it has looked already.
LOOKED_UP = "dossier.page_cache.looked_up"


def invalidate(*items) -> None:
    """Move these tags on once the current transaction commits (at once outside one)."""
    tags = tags_of(items)
    if tags:
        transaction.on_commit(lambda: bump(tags), robust=True)


def bump(tags: set[str]) -> None:
    version = next_version()
    # Versions outlive any page that could hold them (no timeout). One the cache has lost
    # reads as missing, which makes every page holding it stale (see versions()).
    cache.set_many({VERSION_PREFIX + tag: version for tag in tags}, timeout=None)
    # Once more, now that the new versions are in place: a copy checked in between (counter
    # already moved, versions not yet) must not pass for checked after this change
    # (LocalPages).
    next_version()
    # Redis tells every other process; this one need not wait for the message.
    clock_watch.forget()
    urls = registry.pop(tags)
    for purger in purgers():
        try:
            purger(tags=tags, urls=urls)
        except Exception:  # a CDN being down must not fail the editor's save
            logger.exception("page cache purger %r failed", purger)


def next_version() -> int:
    """A number larger than any version given before, from a counter in the shared cache.

    A counter rather than each server's clock: every app server draws from the same sequence,
    so a change made on one server after a page started rendering on another always reads as
    newer, however far apart their clocks are. A lost counter starts again from the clock in
    nanoseconds, far above any number it gave before.
    """
    try:
        return cache.incr(CLOCK_KEY)
    except ValueError:  # missing: never used, or evicted
        cache.add(CLOCK_KEY, time.time_ns(), timeout=None)
        return cache.incr(CLOCK_KEY)


def current_version() -> int:
    """The counter now: a page that starts rendering remembers it (see store()). Started from
    the clock when missing, as next_version() does, so it is above every version given before
    (also versions from the clock, as before the counter existed)."""
    value = cache.get(CLOCK_KEY)
    if value is None:
        cache.add(CLOCK_KEY, time.time_ns(), timeout=None)
        value = cache.get(CLOCK_KEY)
    return value or 0


def versions(tags: Iterable[str]) -> dict[str, int | None]:
    """Each tag's current version: None when the cache holds none (never recorded, or lost to
    eviction). A stored page never holds None, so a lost version can only make it stale."""
    tags = list(tags)
    found = cache.get_many([VERSION_PREFIX + tag for tag in tags])
    return {tag: found.get(VERSION_PREFIX + tag) for tag in tags}


def versions_for_storing(tags: Iterable[str], *, started: int) -> dict[str, int] | None:
    """Versions to store a page with, or None when they cannot be pinned down.

    A tag without a version is given `started`, the counter when the page began rendering,
    with an atomic add: a change racing with us wins. If the version is lost later and given
    again, it is the counter of that later moment; it can equal the old one only when nothing
    anywhere has changed in between, and then the old page is still right.
    """
    current = versions(tags)
    missing = [tag for tag, version in current.items() if version is None]
    for tag in missing:
        cache.add(VERSION_PREFIX + tag, started, timeout=None)
    if missing:
        current.update(versions(missing))
    if any(version is None for version in current.values()):
        return None  # lost again at once: a cache under heavy eviction; do not store
    return current


# --- which URLs a tag covers, for purgers ------------------------------------------------


class UrlRegistry:
    """The stored URLs under each tag, so a purger can name them. In Redis a set per tag
    (SADD is atomic across app servers); elsewhere a lock-guarded entry in the local cache."""

    _lock = threading.Lock()

    def _redis(self):
        client = getattr(cache, "_cache", None)
        return client.get_client(write=True) if hasattr(client, "get_client") else None

    def add(self, tags: Iterable[str], url: str) -> None:
        redis = self._redis()
        if redis is not None:
            pipe = redis.pipeline()
            for tag in tags:
                key = cache.make_and_validate_key(URLS_PREFIX + tag)
                pipe.sadd(key, url)
                pipe.expire(key, config("SECONDS") * 2)
            pipe.execute()
            return
        with self._lock:
            for tag in tags:
                urls = cache.get(URLS_PREFIX + tag) or set()
                urls.add(url)
                cache.set(URLS_PREFIX + tag, urls, timeout=config("SECONDS") * 2)

    def pop(self, tags: Iterable[str]) -> set[str]:
        urls: set[str] = set()
        redis = self._redis()
        if redis is not None:
            keys = [cache.make_and_validate_key(URLS_PREFIX + tag) for tag in tags]
            pipe = redis.pipeline()
            for key in keys:
                pipe.smembers(key)
            pipe.delete(*keys)
            *members, _ = pipe.execute()
            for found in members:
                urls |= {u.decode() if isinstance(u, bytes) else u for u in found}
            return urls
        with self._lock:
            for tag in tags:
                urls |= cache.get(URLS_PREFIX + tag) or set()
            cache.delete_many([URLS_PREFIX + tag for tag in tags])
        return urls


registry = UrlRegistry()


# --- storing and serving ---------------------------------------------------------------


def etag_of(content: bytes) -> str:
    """The ETag of a page with this content: the same whether the page cache stored it or a
    view computed it for an answer it could not store (the API does), so either validates."""
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


@dataclass
class StoredPage:
    content: bytes
    headers: dict[str, str]
    tags: dict[str, int]
    stored_at: float
    expires_at: float  # the next scheduled change (or the cache lifetime)
    # The content gzipped once, when stored, for readers who accept gzip (see replay()).
    gzipped: bytes | None = None

    @functools.cached_property  # once per stored page, not on every hit
    def etag(self) -> str:
        return etag_of(self.content)

    def is_fresh(self, now: float) -> bool:
        return now < self.expires_at and versions(self.tags) == self.tags

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class LocalCopy:
    page: StoredPage
    checked: int | None  # the counter (CLOCK_KEY) when its versions were last found current


class LocalPages:
    """The pages this process served last, kept in its memory as well as in the shared cache.

    Each copy remembers the counter's value when its versions were last found current. Every change
    moves the counter (bump()), so while the counter still has that value nothing at all has
    changed, and a hit needs one number (which the process keeps until Redis reports it moved,
    clock_watch) rather than the page and each of its thirty or so versions. When the counter has
    moved, the versions are checked as for a page read from the cache. A copy here is therefore
    never staler than the shared one.
    Bounded by PAGE_CACHE["LOCAL_BYTES"] of page content, least recently used first out; 0
    turns it off.
    """

    def __init__(self) -> None:
        self._pages: OrderedDict[str, LocalCopy] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the development server runs a thread per request

    def get(self, key: str) -> LocalCopy | None:
        with self._lock:
            copy = self._pages.get(key)
            if copy is not None:
                self._pages.move_to_end(key)
            return copy

    def put(self, key: str, page: StoredPage, checked: int | None = None) -> None:
        budget = config("LOCAL_BYTES")
        if page.size > budget:
            return
        with self._lock:
            self._discard(key)
            self._pages[key] = LocalCopy(page, checked)
            self._bytes += page.size
            while self._bytes > budget:
                self._discard(next(iter(self._pages)))

    def discard(self, key: str) -> None:
        with self._lock:
            self._discard(key)

    def _discard(self, key: str) -> None:
        copy = self._pages.pop(key, None)
        if copy is not None:
            self._bytes -= copy.page.size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


local_pages = LocalPages()


def is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not config("ENABLED"):
        return False
    cookies = request.COOKIES
    # Staff, members and readers with a held comment or a message have pages of their own.
    return not any(name in cookies for name in (settings.SESSION_COOKIE_NAME, "messages"))


def page_key(request: HttpRequest) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return PAGE_PREFIX + hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()


def is_storable(response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
        and "no-cache" not in control
    )


def cache_headers(page: StoredPage, now: float) -> dict[str, str]:
    """Validators and CDN lifetimes. Browsers revalidate every time (max-age=0, cheap with the
    ETag); a CDN keeps the page until the next scheduled change, at most CDN_SECONDS."""
    shared = max(0, min(int(page.expires_at - now), config("CDN_SECONDS")))
    swr = config("STALE_WHILE_REVALIDATE")
    return {
        "ETag": page.etag,
        "Last-Modified": http_date(page.stored_at),
        "Cache-Control": f"public, max-age=0, s-maxage={shared}, stale-while-revalidate={swr}",
        # nginx's own lifetime for the page (nginx hides this header from readers).
        "X-Accel-Expires": str(shared),
    }


def add_cache_headers(response: HttpResponse, page: StoredPage, now: float) -> None:
    for name, value in cache_headers(page, now).items():
        response[name] = value


def not_modified(request: HttpRequest, page: StoredPage) -> bool:
    # If-None-Match compares weakly (RFC 9110, 13.1.2): W/"x" matches "x". GZipMiddleware
    # turns our ETag weak on compressed responses, which is what gzip-accepting clients and
    # nginx's revalidation send back.
    etags = {
        etag.removeprefix("W/") for etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    }
    return page.etag in etags or "*" in etags


def reply(request: HttpRequest, page: StoredPage, now: float) -> tuple[int, list, bytes]:
    """A hit's status, headers and body, as plain data: PageCacheApp hands them to the WSGI
    server as they are, and the middleware wraps them in an HttpResponse."""
    # Browsers and CDNs ask for gzip. GZipMiddleware would compress the page again for each of
    # them (about 0.3 ms for an article, more than the rest of a hit); the copy compressed when
    # the page was stored serves them all. It needs no random padding against BREACH, which
    # GZipMiddleware adds: a stored page holds no secret (no CSRF token, nothing of the
    # reader's) for an attacker to guess.
    accepts = ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    compressed = page.gzipped is not None and accepts is not None
    body = page.gzipped if compressed else page.content
    validators = cache_headers(page, now)
    if compressed:  # as GZipMiddleware does: other bytes than the page's, so a weak ETag
        validators["ETag"] = "W/" + page.etag
    headers = [*page.headers.items(), *validators.items(), ("X-Page-Cache", "hit")]
    if page.gzipped is not None:  # the page comes in two encodings, as GZipMiddleware says
        headers.append(("Vary", "Accept-Encoding"))
    if not_modified(request, page):
        return 304, _validators(headers), b""
    headers.append(("Content-Length", str(len(body))))
    if compressed:
        headers.append(("Content-Encoding", "gzip"))
    return 200, headers, b"" if request.method == "HEAD" else body


def store_headers(request: HttpRequest, response: HttpResponse) -> dict[str, str]:
    """The headers a page is stored with: its own, and those SecurityMiddleware adds on the way
    out (nosniff, Referrer-Policy, HSTS on HTTPS...). That middleware sits above this one, so
    its headers are not on the response yet; a hit answered by PageCacheApp never passes
    through it. Django's own middleware computes them, on a scratch response."""
    scratch = HttpResponse()
    for name in STORED_HEADERS:
        if name in response:
            scratch[name] = response[name]
    SecurityMiddleware(lambda request: scratch).process_response(request, scratch)
    return {name: scratch[name] for name in STORED_HEADERS if name in scratch}


def _gzipped(response: HttpResponse) -> bytes | None:
    """The page gzipped, when that makes it smaller (as GZipMiddleware decides)."""
    if len(response.content) < 200 or response.has_header("Content-Encoding"):
        return None
    compressed = compress_string(response.content)
    return compressed if len(compressed) < len(response.content) else None


VALIDATORS = ("etag", "last-modified", "cache-control", "vary", "x-accel-expires", "x-page-cache")


def _validators(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers a 304 repeats (RFC 9110, 15.4.5)."""
    return [(name, value) for name, value in headers if name.lower() in VALIDATORS]
