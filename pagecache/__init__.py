"""The page cache: whole public pages for anonymous readers, invalidated exactly.

How it works
------------
* A view says what its page shows by calling ``depends_on(request, ...)`` with the objects it
  rendered and the lists it drew them from (``collection(...)``). Only pages that do so are
  stored, so a new view is uncached until it declares what it shows.
* Each dependency is a *tag* (``"articles.article:12"``, ``"list:articles:topic:3"``). A tag has
  a version: a number drawn from a counter in the cache at its last change. A stored page keeps
  the versions of its tags; when any has moved on, the page is stale and is rebuilt on the next
  request. Each process also keeps the pages it served last (LocalPages), checked the same way.
* ``invalidate(...)`` moves tags on when the data behind them changes. website/cache_rules.py
  says which change moves which tags; it runs after the transaction commits.
* Scheduled go-live and expiry happen by the clock, with no save to hook into. Every page is
  therefore stored only until the next scheduled change of any article, and no longer.
* Requests with a session or a messages cookie (staff, a reader who has just commented) are
  never served from the cache nor stored: their pages differ from everyone else's. Responses
  marked private or no-store (previews) and responses that set a cookie are never stored.
* A hit is answered by PageCacheApp (pagecache/wsgi.py), which wraps the WSGI application, before
  Django's request handling and middleware run: on the benchmark machine that took a cached
  article from 0.71 to 0.86-0.93 times a bare Django view. PageCacheMiddleware stores pages,
  and answers hits itself where the WSGI layer is not in front (the test client).
* Purgers (settings.PAGE_CACHE["PURGERS"]) are told which tags moved and which stored URLs they
  covered, so a CDN or the nginx front (deploy/nginx) can drop or refresh those URLs too.

The cache is Django's: Redis when REDIS_URL is set (shared by every app server), local memory
otherwise.

The modules: ``tags`` names what a page shows (and views declare it with ``depends_on``);
``store`` keeps pages and versions; ``middleware`` stores pages and answers hits behind Django's
handler; ``wsgi`` answers hits in front of it; ``schedule`` ends every page at the next scheduled
change, which the app that schedules (articles) registers; ``purgers`` tell a CDN or nginx;
``backend`` is the Redis cache backend; ``watch`` keeps the change counter in each process
until Redis reports it moved. Views and services need only what is re-exported here.
"""

from pagecache.store import invalidate
from pagecache.tags import (
    SITE_TAG,
    cached_as,
    collection,
    collection_of,
    depends_on,
    every,
    object_tag,
    tag_for,
    tags_of,
)

__all__ = [
    "SITE_TAG",
    "cached_as",
    "collection",
    "collection_of",
    "depends_on",
    "every",
    "invalidate",
    "object_tag",
    "tag_for",
    "tags_of",
]
