"""Article listings: pages about one thing (a topic, an author, an expert, a tag) that list
its live articles. They live with articles because they are made of them; topics and authors know
nothing of articles."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Count, F, FilteredRelation, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.generic import ListView
from taggit.models import Tag

import pagecache
from authors.models import Author, Expert
from core.compiled import compiled
from core.pagination import WindowCountPaginator
from core.views import SlugObjectMixin
from pagecache import snapshots
from pagecache.backend import CACHE_UNREACHABLE
from pagecache.schedule import next_scheduled_change
from pagecache.tags import collection, collection_of
from topics import tree as topic_tree
from topics.models import Topic

from . import page_parts
from .models import Article, ExpertQuote, TopicMembership, live_q
from .models.cluster import TopicMembershipQuerySet


class ArticleListPage(SlugObjectMixin, ListView):
    """A page about one object (topic, author, tag, expert) listing its live articles."""

    paginate_by = settings.DOSSIER["ARTICLES_PER_PAGE"]
    context_object_name = "articles"

    def get_articles(self):
        """The live articles this page lists; subclasses narrow Article.objects.live()."""
        raise NotImplementedError

    def get_queryset(self):
        return page_parts.card_rows(self.get_articles().newest_first())

    def lead_rows(self, page) -> list[tuple]:
        """Kept cards' rows (page_parts.card_rows()) of the articles this page of the list leads
        with, shown as leads above it and not in it: none unless a subclass says."""
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        leads = self.lead_rows(context["page_obj"])
        # One read of versions for the leads and the list together.
        shown = page_parts.cards([*leads, *context["articles"]], request=self.request)
        lead_pks = {row[0] for row in leads}
        cards = [card for card in shown if card.pk not in lead_pks]
        context.update(
            articles=cards,
            leads=[card for card in shown if card.pk in lead_pks],
            object=self.object,
        )
        pagecache.depends_on(
            self.request,
            self.object,
            pagecache.collection("articles", self.object),
            page_parts.shown_on(shown),
        )
        return context


class WindowRows:
    """A list for a paginator whose rows come from `window(start, stop)`."""

    def __init__(self, window: Callable[[int, int], list]) -> None:
        self.window = window

    def __getitem__(self, rows: slice) -> list:
        return self.window(rows.start or 0, rows.stop)


def shown_on_cards(articles) -> list:
    """What article cards show (the article, its topic, its authors), for the page cache."""
    shown: list = []
    for article in articles:
        shown += [article, article.primary_topic, *(b.author for b in article.bylines.all())]
    return shown


#: What a topic page leaves out of its list when it has no pillar: no article has id 0.
NO_ARTICLE = 0


def _cluster(now: datetime, topic: int, leaving_out: int) -> TopicMembershipQuerySet:
    """The topic's live cluster but `leaving_out`, read from membership_live_idx."""
    return TopicMembership.objects.live_in(topic, now).exclude(article_id=leaving_out)


# The cluster's statements are not prepared (core/compiled.py): their best plan depends on the
# cluster's size, and a generic plan walked the index for 5 ms where the planned one took 0.2-0.7.
@compiled(now=datetime, topic=int, leaving_out=int, prepare=False)
def cluster_count(now: datetime, topic: int, leaving_out: int):
    """How many live articles the topic's cluster holds but `leaving_out`: read from
    membership_live_idx alone, one row (or none for an empty cluster)."""
    return (
        _cluster(now, topic, leaving_out)
        .values("topic_id")
        .annotate(count=Count("*"))
        .values_list("count", flat=True)
    )


@compiled(now=datetime, topic=int, leaving_out=int, prepare=False)
def cluster_rows(now: datetime, topic: int, leaving_out: int):
    """The topic's cluster but `leaving_out`, newest first, as kept cards' rows: a walk of
    membership_live_idx that stops at the page's last row (run with rows())."""
    return page_parts.card_rows(
        _cluster(now, topic, leaving_out).order_by("-publish_at", "-article_id"),
        kept_card_of="article",
    )


@compiled(now=datetime, topic=int, leaving_out=int, prepare=False)
def counted_cluster_rows(now: datetime, topic: int, leaving_out: int):
    """cluster_rows(), each row ending with the cluster's size: the count as one subquery the
    database runs once for the page."""
    size = Subquery(cluster_count.build(now, topic, leaving_out))
    return cluster_rows.build(now, topic, leaving_out).annotate(cluster_size=size)


class ClusterSizes:
    """Each topic's cluster size (but its pillar), kept in this process.

    Counting the cluster walks all of it: 1,273 rows on the benchmark's topic, more as a site
    grows, on every page. The size is counted with a page's rows (counted_cluster_rows) and
    kept while the versions of what decides it stand: the cluster's list (collection("articles",
    topic), which every change of an article in it moves, website/cache_rules.py) and the
    topics (a subtopic moved to another parent takes its articles along); and until the next
    scheduled change, when an article may go live or expire with no save. A topic page cached
    by the page cache ends on the same. Checking it is one read of the cache (the versions).
    """

    #: Topics kept at most; past it, all are dropped and counted again (a site has hundreds).
    LIMIT = 2_000

    def __init__(self) -> None:
        self._held: dict[tuple[int, int], snapshots.Held[int]] = {}

    def held(self, topic: int, leaving_out: int) -> snapshots.Held[int] | None:
        """The size kept for this cluster, current or not (usable() tells)."""
        return self._held.get((topic, leaving_out))

    @staticmethod
    def usable(held: snapshots.Held[int], request: HttpRequest) -> bool:
        """Whether the kept size is current: by the versions the page has read already when they
        cover it (snapshots.also_check), else by a read of its own."""
        try:
            return held.is_usable(time.time(), getattr(request, snapshots.READ_ATTR, None))
        except CACHE_UNREACHABLE:
            return False

    def keep(self, topic: int, leaving_out: int, size: int, *, started: int | None) -> None:
        """Keep `size`, counted after `started` (snapshots.started(); None: keep nothing): not
        kept when the cluster changed meanwhile, as snapshots.pin() decides."""
        if started is None:
            return
        try:
            shows = [collection_of("articles", Topic, topic), collection("topics")]
            pinned = snapshots.pin(shows, started=started)
            upcoming = next_scheduled_change(timezone.now())
        except CACHE_UNREACHABLE:
            return
        if pinned is None:
            return
        if len(self._held) >= self.LIMIT:
            self._held.clear()
        expires = upcoming.timestamp() if upcoming is not None else None
        self._held[(topic, leaving_out)] = snapshots.Held(size, pinned, expires)

    def clear(self) -> None:
        self._held.clear()


cluster_sizes = ClusterSizes()


def _started() -> int | None:
    """snapshots.started(), or None (keep nothing) when the cache is unreachable."""
    try:
        return snapshots.started()
    except CACHE_UNREACHABLE:
        return None


class ClusterPage(Page):
    def has_other_pages(self):
        """Answered when the answer is used: ListView asks as soon as the page is made, before
        the page's one read of versions has checked the cluster's kept size (ClusterPaginator);
        the template asks after it."""
        return SimpleLazyObject(super().has_other_pages)


class ClusterPaginator(WindowCountPaginator):
    """A topic's cluster but its pillar (`cluster` holds cluster_rows()' values).

    With a size kept (cluster_sizes), a page's rows alone, the size checked later in the page's
    one read of versions (which the cards make) and counted again only if it is stale; else the
    rows and the size in one compiled statement; the size alone when it is asked first
    (?page=last)."""

    def __init__(
        self, cluster: dict[str, Any], per_page: int, *, request: HttpRequest, **kwargs
    ) -> None:
        self.cluster = cluster
        self.request = request
        self._key = (cluster["topic"], cluster["leaving_out"])
        self._held: snapshots.Held[int] | None = None
        super().__init__(
            WindowRows(lambda start, stop: self.counted_rows(start, stop)[0]), per_page, **kwargs
        )

    def counted_rows(self, bottom: int, top: int) -> tuple[list, int | None]:
        held = cluster_sizes.held(*self._key)
        if held is not None:
            self._held = held
            snapshots.also_check(self.request, held.pinned)
            return cluster_rows.rows(bottom, top, **self.cluster), None
        started = _started()
        rows = counted_cluster_rows.rows(bottom, top, **self.cluster)
        if not rows:
            return [], 0  # past the end, or an empty cluster: no size learnt
        size = rows[0][-1]
        cluster_sizes.keep(*self._key, size, started=started)
        return [row[:-1] for row in rows], size

    @cached_property
    def count(self) -> int:
        held = self._held or cluster_sizes.held(*self._key)
        if held is not None and cluster_sizes.usable(held, self.request):
            return held.value
        started = _started()
        size = cluster_count.first(**self.cluster) or 0
        cluster_sizes.keep(*self._key, size, started=started)
        return size

    def _get_page(self, *args, **kwargs) -> ClusterPage:
        return ClusterPage(*args, **kwargs)


#: The columns topic_at() adds for its pillar's card row, in page_parts.CARD_ROW's order.
PILLAR_ROW = tuple(f"pillar_{n}" for n in ("pk", "html", "lead_html", "shows"))


@compiled(slug=str, now=datetime)
def topic_at(slug: str, now: datetime):
    """The topic at this slug (slugs are unique) with its main topic and, as PILLAR_ROW, its
    pillar's kept card row while the pillar is live (all None otherwise): one compiled
    statement, the pillar a join on the live rule (as four subqueries, the same columns took
    the planner twice as long)."""
    live_pillar = FilteredRelation(
        "pillar_article", condition=live_q(now, prefix="pillar_article__")
    )
    return (
        Topic.objects.select_related("parent")
        .filter(slug=slug)
        .order_by()  # one row at most; sorting it still costs the planner
        .annotate(live_pillar=live_pillar)
        .annotate(
            **{
                name: F(f"live_pillar__{field}")
                for name, field in zip(PILLAR_ROW, page_parts.CARD_ROW, strict=True)
            }
        )
    )


class TopicDetailView(ArticleListPage):
    template_name = "topics/topic_detail.html"
    slug_model = Topic

    def get_slug_queryset(self):
        return Topic.objects.select_related("parent")

    def find_object(self, slug: str) -> Topic | None:
        self.now = timezone.now()
        return topic_at.first(slug=slug, now=self.now)

    def get_queryset(self) -> None:
        # The cluster but its pillar, newest first (Article.objects.live().in_topic(), in the
        # same order), read from its memberships (TopicMembership) by compiled queries whose
        # cost grows with neither the corpus nor the cluster (ClusterPaginator). There is no
        # list to hand ListView: the paginator reads the page it is asked for.
        self.cluster = {
            "now": self.now,
            "topic": self.object.pk,
            "leaving_out": self.object.pillar_article_id or NO_ARTICLE,
        }
        return None

    def get_paginator(self, queryset, per_page, **kwargs) -> ClusterPaginator:
        return ClusterPaginator(self.cluster, per_page, request=self.request, **kwargs)

    def lead_rows(self, page) -> list[tuple]:
        # The pillar leads the first page only, and only while it is live (topic_at() read
        # its row with the topic).
        pillar = tuple(getattr(self.object, name) for name in PILLAR_ROW)
        if pillar[0] is None or page.number != 1:
            return []
        return [pillar]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = self.object
        context.update(
            pillar=next(iter(context["leads"]), None),
            subtopics=topic_tree.kept(self.request).subtopic_items(topic.pk),
        )
        pagecache.depends_on(
            self.request,
            topic.parent,
            # The pillar slot and the subtopic list change with the topics, not the articles.
            pagecache.collection("topics"),
            pagecache.object_tag(Article, topic.pillar_article_id)
            if topic.pillar_article_id
            else None,
        )
        return context


class AuthorDetailView(ArticleListPage):
    template_name = "authors/author_detail.html"
    slug_model = Author

    def get_slug_queryset(self):
        return Author.objects.prefetch_related("links")

    def get_articles(self):
        return Article.objects.live().by_author(self.object)


class ExpertDetailView(SlugObjectMixin, ListView):
    """An expert's bio and every quote of theirs in a live article."""

    template_name = "authors/expert_detail.html"
    slug_model = Expert
    context_object_name = "quotes"
    paginate_by = settings.DOSSIER["ARTICLES_PER_PAGE"]

    def get_queryset(self):
        return (
            ExpertQuote.objects.filter(live_q(prefix="article__"), expert=self.object)
            .select_related("article")
            .order_by("-article__publish_at", "sort_order", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        pagecache.depends_on(
            self.request,
            self.object,
            pagecache.collection("articles", self.object),
            [quote.article for quote in context["quotes"]],
        )
        return context


class TagDetailView(ArticleListPage):
    template_name = "articles/tag_detail.html"
    slug_model = Tag

    def get_articles(self):
        return Article.objects.live().filter(tags=self.object)
