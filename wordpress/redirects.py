"""Which live article an old WordPress address now names.

WordPress answers the same post at /?p=123, at its permalink (/2019/03/slug/,
/2019/03/14/slug/, or whatever structure the site chose) and, for pages, at /?page_id=123.
Only live articles are found: an old address must not reveal a draft's new address.
"""

from __future__ import annotations

import re

from django.db.models import Q

from articles.models import Article

from .models import ImportedItem, Kind

# The two date-based permalink structures WordPress offers ("Day and name", "Month and name").
DATED = re.compile(r"^/(?P<year>\d{4})/(?P<month>\d{2})/(?:(?P<day>\d{2})/)?(?P<slug>[^/]+)/?$")
ID_PARAMETERS = ("p", "page_id")


def wordpress_id(query) -> int | None:
    """The post id a query string asks for (?p=123 or ?page_id=123), or None."""
    for name in ID_PARAMETERS:
        value = query.get(name, "")
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return int(value)
    return None


def asks_for_wordpress_id(query) -> bool:
    return any(name in query for name in ID_PARAMETERS)


def article_for_id(wp_id: int) -> Article | None:
    items = ImportedItem.objects.articles().filter(wp_id=wp_id)
    return _live(items)


def article_for_path(path: str) -> Article | None:
    """The article an old permalink path names: its exact path as exported, else a dated
    permalink's slug and date."""
    # No stored path is longer, and PostgreSQL refuses a NUL in a query (a 500, not a 404).
    if len(path) > 500 or "\x00" in path:
        return None
    paths = {path, path.rstrip("/") + "/", path.rstrip("/")}
    found = _live(ImportedItem.objects.articles().filter(old_path__in=paths))
    if found is not None:
        return found
    match = DATED.match(path)
    if match is None:
        return None
    when = Q(wp_date__year=int(match["year"]), wp_date__month=int(match["month"]))
    if match["day"]:
        when &= Q(wp_date__day=int(match["day"]))
    items = ImportedItem.objects.articles().filter(when, kind=Kind.POST, wp_slug=match["slug"])
    return _live(items)


def _live(items) -> Article | None:
    return (
        Article.objects.live()
        .filter(pk__in=items.values("article_id"))
        .only("slug")
        .order_by("pk")
        .first()
    )
