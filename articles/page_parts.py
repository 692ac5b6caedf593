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
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

import pagecache
from pagecache import snapshots
from pagecache.backend import CACHE_UNREACHABLE
from pagecache.schedule import next_scheduled_change

from .models import Article, KeptCard, PageParts
from .models.querysets import ArticleQuerySet

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
    versions of what the parts show from the cache, which also checks the site's navigation
    for the page (snapshots.current with the request).
    """
    if not enabled():
        return None
    parts = getattr(article, "page_parts", None)  # the reverse one-to-one raises when missing
    if parts is None or parts.origin != origin(request) or parts.valid_until <= timezone.now():
        return None
    try:
        return parts if snapshots.is_current(parts.shows, request=request) else None
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


def _cards_started() -> int | None:
    """snapshots.started() before the data of cards to render is read, or None (keep nothing)
    when kept parts are off or the cache is unreachable."""
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


class Card:
    """One article's card: its finished HTML as a list shows it (`card_html`, as
    jinja2/includes/article_list.html reads it) and as a lead (`lead_html`), and the page
    cache's tags of what it shows."""

    __slots__ = ("card_html", "lead_html", "pk", "shows")

    def __init__(
        self, pk: int, card_html: SafeString, lead_html: SafeString, shows: Iterable[str]
    ) -> None:
        self.pk = pk
        self.card_html = card_html
        self.lead_html = lead_html
        self.shows = shows


#: What cards() reads of each listed article: no model instance, no byline, just its kept card.
CARD_ROW = ("pk", "kept_card__html", "kept_card__lead_html", "kept_card__shows")


def card_rows(articles: ArticleQuerySet | QuerySet, *, kept_card_of: str = "") -> QuerySet:
    """`articles`, in their order, as the rows cards() takes: one query, one short row each.
    When `articles` are rows of another model (a topic's memberships), `kept_card_of` names its
    foreign key to the article; the model then needs a relation named kept_card to the
    article's KeptCard (TopicMembership.kept_card)."""
    if not kept_card_of:
        return articles.values_list(*CARD_ROW)
    return articles.values_list(f"{kept_card_of}_id", *CARD_ROW[1:])


def cards(rows: Iterable[tuple], *, request: HttpRequest | None = None) -> list[Card]:
    """The cards of the articles in `rows` (from card_rows(), sliced as the page needs), in the
    same order: each kept card while current (one read of versions from the cache for the
    list), else the card rendered now from the article, and kept when it may be. With the
    page's request, that one read also checks the site's navigation for the page
    (snapshots.current).

    Articles whose card must be rendered are read again, in one more query with their bylines
    (two), after the cache's counter (as render_parts() takes `started`): a card rendered from
    data read before a change committed is then never kept as current. A list of current
    cards never reads the counter. An article that stopped being live between the two reads is
    left out.
    """
    rows = list(rows)
    current: dict[int, Card] = {}
    if enabled():
        # A card kept before leads were kept has no lead: it is rendered again.
        kept = [row for row in rows if row[3] is not None and row[2]]
        try:
            versions = snapshots.current(set().union(*(row[3] for row in kept)), request=request)
        except CACHE_UNREACHABLE:  # render every card (and keep none: the counter is unread)
            kept = []
        for pk, html, lead_html, shows in kept:
            if all(versions.get(tag) == version for tag, version in shows.items()):
                # Our own template's output.
                current[pk] = Card(pk, mark_safe(html), mark_safe(lead_html), shows)
    missing = [row[0] for row in rows if row[0] not in current]
    if missing:
        current.update(_render_cards(missing, started=_cards_started()))
    return [current[row[0]] for row in rows if row[0] in current]


def _render_cards(pks: list[int], *, started: int | None) -> dict[int, Card]:
    articles = Article.objects.live().filter(pk__in=pks).with_cards()
    made: dict[int, Card] = {}
    fresh: list[KeptCard] = []
    now = timezone.now()
    for article in articles:
        html = render_to_string(CARD_TEMPLATE, {"article": article})
        lead_html = render_to_string(CARD_TEMPLATE, {"article": article, "is_lead": True})
        shows = card_shows(article)
        made[article.pk] = Card(article.pk, SafeString(html), SafeString(lead_html), shows)
        if not enabled() or started is None:
            continue
        try:
            pinned = snapshots.pin(shows, started=started)
        except CACHE_UNREACHABLE:
            continue
        if pinned is not None:
            fresh.append(
                KeptCard(
                    article=article,
                    html=html,
                    lead_html=lead_html,
                    shows=pinned,
                    rendered_at=now,
                )
            )
    if fresh:
        KeptCard.objects.bulk_create(
            fresh,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["html", "lead_html", "shows", "rendered_at"],
        )
    return made


def shown_on(cards: Iterable[Card]) -> set[str]:
    """The page cache's tags of what a list of cards shows, for pagecache.depends_on()."""
    return set().union(*(card.shows for card in cards))
