"""The header and footer menus as every page shows them, read once and kept.

Every page shows both menus, so every page depends on them: on MENUS_TAG, which moves on with
any change to a menu or a menu link (website/cache_rules.py), and on the tag of each page,
article and topic a link points to (its title and address are in the link). Those tags are
declared by the template tag that renders a menu, so each stored page records them with the
rest of what it shows.

Reading the links is one query; it is done once and the result kept in the shared cache, and
in each process, with the versions of those same tags (pagecache.snapshots), so a page reads
those versions instead of querying. Kept links are stale when any of the tags moves on, and at
the next scheduled change of an article (a linked article may go live or expire by the clock),
as kept page parts are. Without a reachable cache the links are read from the database and not kept.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

import pagecache
from articles.models import live_q
from pagecache import snapshots
from pagecache.backend import CACHE_UNREACHABLE
from pagecache.conf import config
from pagecache.schedule import next_scheduled_change
from topics.models import Topic
from topics.tree import main_topic_items, tree_html

from .models import Menu, MenuItem, PageStatus

#: Names the shape of KeptMenus too: a copy pickled by older code, without a field this code
#: reads, must never be found. Change the suffix whenever KeptMenus changes.
MENUS_KEY = "pages:menus:3"
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
    #: The footer's list of the main topics (<li> links) and the tree of every topic the home
    #: page shows, as HTML written once (topics/tree.py): kept here so that one read of
    #: versions covers all of the site's navigation, and no page renders them again.
    footer_topics: str = ""
    topic_tree: str = ""
    pinned: dict[str, int] = field(default_factory=dict)
    expires_at: float = 0.0


def read_menus() -> KeptMenus:
    """The menus' links and the topics from the database (two queries), and the tags of what
    they show."""
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
    shows = {MENUS_TAG, pagecache.collection("topics")}
    for item in items:
        links.setdefault(item.menu.location, []).append(MenuLink(str(item), item.get_url()))
        shows |= pagecache.tags_of([item.page, item.article, item.topic])
    rows = list(Topic.objects.tree_rows())
    return KeptMenus(
        links=links, shows=shows, footer_topics=main_topic_items(rows), topic_tree=tree_html(rows)
    )


#: This process's copy of the kept menus: checked against the versions like the shared copy,
#: it saves every page reading and unpickling the shared one (one cache read fewer a page).
_process_copy: KeptMenus | None = None


def _current(kept: KeptMenus | None, now: float) -> bool:
    return kept is not None and now < kept.expires_at and snapshots.is_current(kept.pinned)


def kept_menus() -> KeptMenus:
    """The menus, from this process or the shared cache while current, else read afresh and
    kept in both."""
    global _process_copy
    now = time.time()
    try:
        if _current(_process_copy, now):
            return _process_copy
        kept = cache.get(MENUS_KEY)
        if _current(kept, now):
            _process_copy = kept
            return kept
        started = snapshots.started()
    except CACHE_UNREACHABLE:
        return read_menus()
    menus = read_menus()
    with contextlib.suppress(CACHE_UNREACHABLE):
        pinned = snapshots.pin(menus.shows, started=started)
        lifetime = config("SECONDS")
        upcoming = next_scheduled_change(timezone.now())
        if upcoming is not None:
            lifetime = min(lifetime, int(upcoming.timestamp() - now))
        if pinned is not None and lifetime > 0:
            menus.pinned, menus.expires_at = pinned, now + lifetime
            cache.set(MENUS_KEY, menus, timeout=lifetime)
            _process_copy = menus
    return menus


def menus_for(request: HttpRequest) -> KeptMenus:
    """The menus for this request, read once however many menus the page shows; the page
    then depends on what they show."""
    menus = getattr(request, "_site_menus", None)
    if menus is None:
        menus = request._site_menus = kept_menus()
    pagecache.depends_on(request, menus.shows)
    return menus


def forget_menus() -> None:
    """Drop the kept links (their versions would make them stale anyway; this saves a read)."""
    global _process_copy
    _process_copy = None
    with contextlib.suppress(CACHE_UNREACHABLE):
        cache.delete(MENUS_KEY)
