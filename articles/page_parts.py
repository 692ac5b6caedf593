"""An article page's parts, rendered once and kept with the article (PageParts).

A published article's page is the same for every reader but for its comments, and it changes
only when the article or something it shows changes. Rendering it gathered the article's byline,
tags, topics, quotes, linked and related articles and suggested reading in ten queries, most of
an uncached page's time (docs/performance.md). The parts that depend on none of the reader, the
request or the comments are therefore rendered once and kept in the database:

* **kept** when a page is shown and no current parts exist, with the page cache's tags for
  everything they show and those tags' versions (pagecache.snapshots);
* **stale** as soon as any of those versions moves on: the same changes that refresh cached
  pages (website/cache_rules.py) refresh these, on every app server, whether or not whole pages
  are cached; also at the next scheduled change of any article (as for cached pages: a linked
  article may go live or expire by the clock), and at the latest after MAX_AGE;
* never kept for previews, which render the same part templates afresh.

Suggested reading is chosen when the parts are rendered. A new article joins older articles'
suggestions when their parts are next rendered (any change to them or what they show, or
MAX_AGE), not at once: a whole cluster's pages are not re-rendered on every publication.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

import pagecache
from pagecache import snapshots
from pagecache.backend import CACHE_UNREACHABLE
from pagecache.schedule import next_scheduled_change

from .models import Article, KeptCard, PageParts

#: The longest parts are kept: how long a new article may wait to be suggested from older ones.
MAX_AGE = timedelta(days=1)
CARD_TEMPLATE = "includes/article_card.html"
TEMPLATES = {
    "head": "articles/parts/head.html",
    "header": "articles/parts/header.html",
    "main": "articles/parts/main.html",
}


def enabled() -> bool:
    return settings.DOSSIER["PAGE_PARTS"]


def origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def kept_parts(request: HttpRequest, article: Article) -> PageParts | None:
    """The article's kept parts if they may be shown for this request, else None.

    Expects `article.page_parts` selected with the article (no query); costs one read of the
    versions of what the parts show from the cache.
    """
    if not enabled():
        return None
    parts = getattr(article, "page_parts", None)  # the reverse one-to-one raises when missing
    if parts is None or parts.origin != origin(request) or parts.valid_until <= timezone.now():
        return None
    try:
        return parts if snapshots.is_current(parts.shows) else None
    except CACHE_UNREACHABLE:  # versions unknown: render afresh (docs/caching.md)
        return None


def render_parts(
    request: HttpRequest, context: dict, *, shows: Iterable[str], started: int | None
) -> PageParts:
    """Render the parts from the page's full context and keep them when they may be kept.

    `started` is the cache's counter taken before anything shown was read
    (snapshots.started()); None keeps nothing. Parts are not kept when something they show
    changed while they were rendered, nor when the versions cannot be read.
    """
    article: Article = context["article"]
    now = timezone.now()
    parts = PageParts(
        article=article,
        origin=origin(request),
        rendered_at=now,
        valid_until=now + MAX_AGE,
        **{name: render_to_string(path, context, request) for name, path in TEMPLATES.items()},
    )
    if not enabled() or started is None:
        return parts
    try:
        pinned = snapshots.pin(shows, started=started)
        upcoming = next_scheduled_change(now)
    except CACHE_UNREACHABLE:
        return parts
    if pinned is None:
        return parts
    parts.shows = pinned
    if upcoming is not None:
        parts.valid_until = min(parts.valid_until, upcoming)
    # One statement whether or not parts were kept before; two readers rendering the same page
    # at once both write parts that are right.
    PageParts.objects.bulk_create(
        [parts],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["origin", "head", "header", "main", "shows", "rendered_at", "valid_until"],
    )
    return parts


# --- cards ------------------------------------------------------------------------------------


def cards_started() -> int | None:
    """snapshots.started() for a list of cards, or None (keep nothing) when kept parts are off
    or the cache is unreachable. Call it before the list is read."""
    if not enabled():
        return None
    try:
        return snapshots.started()
    except CACHE_UNREACHABLE:
        return None


def card_shows(article: Article) -> set[str]:
    """The page cache's tags for what an article's card shows: it, its topic, its authors."""
    authors = [byline.author for byline in article.bylines.all()]
    return pagecache.tags_of([article, article.primary_topic, authors])


def keep_cards(articles: Iterable[Article], *, started: int | None) -> None:
    """Give each article its card's HTML as `card_html` (templates/includes/article_list.html):
    its kept card while current, else the card rendered now, and kept when it may be.

    Expects articles from with_cards() with `kept_card` selected. One read of versions from the
    cache for the whole list; `started` as for render_parts() (None keeps nothing).
    """
    if not enabled():
        return
    articles = list(articles)
    kept = {
        article.pk: card
        for article in articles
        if (card := getattr(article, "kept_card", None)) is not None
    }
    try:
        now_versions = snapshots.current(set().union(*(card.shows for card in kept.values())))
    except CACHE_UNREACHABLE:
        return  # cards rendered by the template, nothing kept
    fresh: list[KeptCard] = []
    now = timezone.now()
    for article in articles:
        card = kept.get(article.pk)
        if card is not None and all(now_versions.get(t) == v for t, v in card.shows.items()):
            article.card_html = mark_safe(card.html)  # our own autoescaped template's output
            continue
        html = render_to_string(CARD_TEMPLATE, {"article": article})
        article.card_html = SafeString(html)
        if started is None:
            continue
        try:
            pinned = snapshots.pin(card_shows(article), started=started)
        except CACHE_UNREACHABLE:
            continue
        if pinned is not None:
            fresh.append(KeptCard(article=article, html=html, shows=pinned, rendered_at=now))
    if fresh:
        KeptCard.objects.bulk_create(
            fresh,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["html", "shows", "rendered_at"],
        )
