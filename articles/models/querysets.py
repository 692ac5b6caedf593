"""What may be read about articles: live_q(), the one definition of "live", and ArticleQuerySet."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, JSONArray, JSONObject
from django.utils import timezone

from .cluster import TopicMembership
from .parts import Byline, ExpertQuote, TaggedArticle
from .status import Status

if TYPE_CHECKING:
    from .article import Article


def live_q(at: datetime | None = None, prefix: str = "") -> Q:
    """THE definition of what the public may see, as a filter.

    Published, its publish time reached, its expiry (if any) not yet reached, and not in the
    trash. No background job is involved: scheduled and expiring articles change state by the
    clock, inside this filter. `prefix` lets a query on another model apply the same rule
    across a relation, e.g. ``to_article__``.
    Everything public goes through this function, directly or through ``ArticleQuerySet.live``.
    The topics' clusters (TopicMembership) copy these four columns from each article on save,
    so that the rule applies to them directly: change them through Article.save().
    """
    now = at or timezone.now()
    return (
        Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}publish_at__lte": now})
        & (Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": now}))
        & Q(**{f"{prefix}deleted_at__isnull": True})
    )


NOT_TRASHED = Q(deleted_at__isnull=True)


class JSONList(models.Aggregate):
    """The aggregated values as one JSON array (JSON_GROUP_ARRAY on SQLite, JSONB_AGG on
    PostgreSQL), in no particular order."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


#: Columns read when editing and indexing, never by a public page (see for_reading()).
EDITING_ONLY_FIELDS = ("body", "body_text", "search_vector")

#: How many recent candidates related_to() takes from each shared topic and tag, and scores.
RELATED_CANDIDATE_POOL = 200


def byline_lookups() -> list[models.Prefetch]:
    """Prefetches of the ordered byline with each author (ArticleQuerySet.with_bylines)."""
    return [models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))]


def body_reference_lookups(model: type[Article]) -> list[models.Prefetch]:
    """Prefetches of what finish_body() needs (ArticleQuerySet.with_body_references)."""
    return [
        models.Prefetch("quotes", queryset=ExpertQuote.objects.select_related("expert")),
        models.Prefetch(
            "linked_articles",
            queryset=model.objects.live().only("pk", "slug"),
            to_attr="live_linked_articles",
        ),
        # The library images the body places, whatever their number: one query.
        "body_images",
    ]


class ArticleQuerySet(models.QuerySet):
    def live(self, at: datetime | None = None) -> ArticleQuerySet:
        return self.filter(live_q(at))

    def not_trashed(self) -> ArticleQuerySet:
        return self.filter(NOT_TRASHED)

    def trashed(self) -> ArticleQuerySet:
        return self.filter(deleted_at__isnull=False)

    def scheduled(self, at: datetime | None = None) -> ArticleQuerySet:
        """Published but waiting for their publish time."""
        return self.not_trashed().filter(
            status=Status.PUBLISHED, publish_at__gt=at or timezone.now()
        )

    def next_scheduled_change(self, now: datetime) -> datetime | None:
        """The next moment live() changes by the clock alone: a published article reaching its
        publish time or its expiry. One query."""
        found = (
            self.not_trashed()
            .filter(status=Status.PUBLISHED)
            .aggregate(
                go_live=models.Min("publish_at", filter=Q(publish_at__gt=now)),
                expiry=models.Min("expire_at", filter=Q(expire_at__gt=now)),
            )
        )
        moments = [moment for moment in found.values() if moment is not None]
        return min(moments) if moments else None

    def in_topic(self, topic) -> ArticleQuerySet:
        """The topic's cluster: its primary articles, those whose primary topic is one of its
        subtopics, and those listing it as a further topic (TopicMembership keeps which)."""
        return self.filter(pk__in=TopicMembership.objects.filter(topic=topic).values("article_id"))

    def by_author(self, author) -> ArticleQuerySet:
        return self.filter(pk__in=Byline.objects.filter(author=author).values("article_id"))

    def owned_by(self, user: AbstractBaseUser) -> ArticleQuerySet:
        """Articles `user` started, or whose byline names the author profile linked to them."""
        return self.filter(
            Q(created_by=user)
            | Q(pk__in=Byline.objects.filter(author__user=user).values("article"))
        )

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ArticleQuerySet:
        """What `user` may open by URL: everything for editorial staff (preview), else live()."""
        if user.is_authenticated and user.is_staff and user.has_perm("articles.view_article"):
            return self.not_trashed()
        return self.live()

    def for_reading(self) -> ArticleQuerySet:
        """Leaves behind the columns only editing and search read: the Markdown source, the
        plain text and the search vector, about 20 KB an article that a page never shows."""
        return self.defer(*EDITING_ONLY_FIELDS)

    def as_links(self) -> ArticleQuerySet:
        """What a link to an article shows: its title, address and topic."""
        return self.only("title", "slug", "publish_at", "primary_topic").select_related(
            "primary_topic"
        )

    def with_cards(self) -> ArticleQuerySet:
        """What an article card shows — topic and ordered byline — in a fixed number of queries.
        Cards never show the body, so its HTML stays behind too."""
        return self.for_reading().defer("body_html").select_related("primary_topic").with_bylines()

    def with_bylines(self) -> ArticleQuerySet:
        """The ordered byline with each author, in one query for any number of articles."""
        return self.prefetch_related(*byline_lookups())

    def with_tag_list(self) -> ArticleQuerySet:
        """Each article's tags as `tag_list`, [{"id": …, "name": …}, …] in no particular order
        (None without tags), read in the same query as the articles: a prefetch would cost
        one more."""
        tags = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"))
            .values("content_object")
            .annotate(tags=JSONList(JSONObject(id="tag_id", name="tag__name")))
            .values("tags")
        )
        return self.annotate(tag_list=Subquery(tags, output_field=models.JSONField()))

    def with_byline_list(self) -> ArticleQuerySet:
        """Each article's byline as `byline_list`, [{"id": …, "name": …, "slug": …, "order":
        [sort_order, pk]}, …] in no particular order (None without authors), read in the same
        query as the articles: for plain rows, where with_bylines() would cost a query and its
        model instances."""
        bylines = (
            Byline.objects.filter(article=OuterRef("pk"))
            .values("article")
            .annotate(
                authors=JSONList(
                    JSONObject(
                        id="author_id",
                        name="author__name",
                        slug="author__slug",
                        order=JSONArray("sort_order", "pk"),
                    )
                )
            )
            .values("authors")
        )
        return self.annotate(byline_list=Subquery(bylines, output_field=models.JSONField()))

    def with_body_references(self) -> ArticleQuerySet:
        """What finish_body() needs: the placed quotes with their experts, which linked articles
        are live now (as `live_linked_articles`) and the placed library images. Three queries
        for any number of rows."""
        return self.prefetch_related(*body_reference_lookups(self.model))

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-publish_at", "-pk")

    def related_to(self, article: Article, *, exclude: list[int] | tuple = ()) -> ArticleQuerySet:
        """Articles sharing topics or tags with `article`, best match first.

        Score: same primary topic 4, each other shared topic (primary or further, on either
        side) 2, each shared tag 1; ties go to the most
        recent, then the highest id, so the order is deterministic. Expects `article` to have its
        topics and tags prefetched (the article page does), so it costs one query.
        """
        topic_ids = {t.pk for t in article.topics.all()} | {article.primary_topic_id}
        topic_ids.discard(None)
        tag_ids = {t.pk for t in article.tags.all()}
        topic_links = self.model.topics.through.objects.filter(topic_id__in=topic_ids)
        tag_links = TaggedArticle.objects.filter(tag_id__in=tag_ids)
        shared_topics = (
            topic_links.filter(article_id=OuterRef("pk"))
            .values("article_id")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        shared_tags = (
            tag_links.filter(content_object_id=OuterRef("pk"))
            .values("content_object_id")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        # Only recent candidates are scored: the RELATED_CANDIDATE_POOL most recently added
        # articles of each shared topic and tag (each one a short backward walk of an index),
        # and of those the same number of the most recently added that are live and not
        # excluded. Asking for "shares any topic or tag" in one go made PostgreSQL gather every
        # article of a popular tag first: 50,000 rows, 30 ms at 100,000 articles.
        sources = [
            *(
                self.model.objects.filter(primary_topic_id=pk)
                .order_by("-pk")
                .values("pk")[:RELATED_CANDIDATE_POOL]
                for pk in topic_ids
            ),
            *(
                self.model.topics.through.objects.filter(topic_id=pk)
                .order_by("-article_id")
                .values("article_id")[:RELATED_CANDIDATE_POOL]
                for pk in topic_ids
            ),
            *(
                TaggedArticle.objects.filter(tag_id=pk)
                .order_by("-content_object_id")
                .values("content_object_id")[:RELATED_CANDIDATE_POOL]
                for pk in tag_ids
            ),
        ]
        candidates = Q(pk__in=[])
        for source in sources:
            candidates |= Q(pk__in=source)
        pool = (
            self.filter(candidates)
            .exclude(pk__in=[article.pk, *exclude])
            .order_by("-pk")
            .values("pk")[:RELATED_CANDIDATE_POOL]
        )
        return (
            self.filter(pk__in=Subquery(pool))
            .annotate(
                relatedness=Case(
                    When(primary_topic_id=article.primary_topic_id, then=Value(4)),
                    # Its primary topic is one of this article's further topics: a shared topic.
                    When(primary_topic_id__in=topic_ids, then=Value(2)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                + Coalesce(Subquery(shared_topics, output_field=IntegerField()), 0) * 2
                + Coalesce(Subquery(shared_tags, output_field=IntegerField()), 0)
            )
            .order_by("-relatedness", "-publish_at", "-pk")
        )
