"""The header and footer menus as every page shows them, read once and kept.

Every page shows both menus, so every page depends on them: on MENUS_TAG, which moves on with
any change to a menu or a menu link (website/cache_rules.py), and on the tag of each page,
article and topic a link points to (its title and address are in the link). Those tags are
declared by `menu_html()`, which writes a menu for the page, so each stored page records them
with the rest of what it shows.

Reading the links is one query; it is done once and the result kept in the shared cache, and
in each process, with the versions of those same tags (pagecache.snapshots), so a page reads
those versions instead of querying, and in the same read as its kept parts' or cards' versions
when it reads those first (snapshots.current with the request). Kept links are stale when any
of the tags moves on, and at the next scheduled change of an article (a linked article may go
live or expire by the clock), as kept page parts are. Without a reachable cache the links are
read from the database and not kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from html import escape

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString

import pagecache
from articles.models import live_q
from pagecache import snapshots
from pagecache.conf import config
from pagecache.schedule import next_scheduled_change

from .models import Menu, MenuItem, PageStatus

#: Names the shape of what is kept too (snapshots.Held holding KeptMenus): a copy pickled by
#: older code, without a field this code reads, must never be found. Change the suffix whenever
#: KeptMenus changes.
MENUS_KEY = "pages:menus:5"
#: Every page shows the menus: this tag moves on whenever a menu or a menu link changes.
MENUS_TAG = pagecache.every(Menu)


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str


@dataclass
class KeptMenus:
    links: dict[str, list[MenuLink]]
    shows: set[str]


def read_menus() -> KeptMenus:
    """The menus' links from the database (one query), and the tags of what they show."""
    now = timezone.now()
    items = (
        MenuItem.objects.filter(
            Q(page__isnull=True) | Q(page__status=PageStatus.PUBLISHED),
            Q(article__isnull=True) | live_q(now, prefix="article__"),
        )
        .select_related("menu", "page", "article", "topic")
        .only(
            "menu__location",
            "sort_order",
            "label",
            "section",
            "url",
            "page__title",
            "page__slug",
            "article__title",
            "article__slug",
            "topic__name",
            "topic__slug",
        )
        .order_by("menu__location", "sort_order", "pk")
    )
    links: dict[str, list[MenuLink]] = {}
    shows = {MENUS_TAG}
    for item in items:
        links.setdefault(item.menu.location, []).append(MenuLink(str(item), item.get_url()))
        shows |= pagecache.tags_of([item.page, item.article, item.topic])
    return KeptMenus(links=links, shows=shows)


def _menus_lifetime() -> int:
    """Kept links end at the next scheduled change: a linked article may go live or expire."""
    lifetime = config("SECONDS")
    upcoming = next_scheduled_change(timezone.now())
    if upcoming is not None:
        lifetime = min(lifetime, int(upcoming.timestamp() - time.time()))
    return lifetime


#: The kept menus, in this process and in the shared cache: this process's copy saves every
#: page reading and unpickling the shared one (one cache read fewer a page). read_menus is
#: looked up at each read, so that tests can count the reads.
_kept = snapshots.KeptCopy(
    lambda: read_menus(),
    shows=lambda menus: menus.shows,
    lifetime=_menus_lifetime,
    shared_key=MENUS_KEY,
    # Every page shows the menus: the page's first read of versions checks them too.
    every_page=True,
)


def kept_menus(request: HttpRequest | None = None) -> KeptMenus:
    """The menus, from this process or the shared cache while current, else read afresh and
    kept in both. With the request, checked against the versions the page has read already
    (pagecache.snapshots.current), when it has."""
    return _kept.get(request)


def menus_for(request: HttpRequest) -> KeptMenus:
    """The menus for this request, read once however many menus the page shows; the page
    then depends on what they show."""
    menus = getattr(request, "_site_menus", None)
    if menus is None:
        menus = request._site_menus = kept_menus(request)
    pagecache.depends_on(request, menus.shows)
    return menus


def forget_menus() -> None:
    """Drop the kept links (their versions would make them stale anyway; this saves a read)."""
    _kept.forget()


def menu_html(request: HttpRequest, location: str) -> SafeString:
    """The links of the menu at `location` ("header" or "footer") as a <ul>, the current page's
    marked aria-current; empty when the menu has none. Every page shows two menus: written
    here rather than by a template loop, which was a tenth of a page's render."""
    links = menus_for(request).links.get(location, [])
    if not links:
        return SafeString()
    current = ' aria-current="page"'
    items = "".join(
        f'<li><a href="{escape(link.url)}"{current if link.url == request.path else ""}>'
        f"{escape(link.label)}</a></li>"
        for link in links
    )
    return SafeString(f'<ul class="menu menu--{escape(location)}">{items}</ul>')  # escaped
