"""TopicMembership: which topics' clusters an article belongs to (derived data).

A topic's page lists its cluster: the articles whose primary topic is the topic or one of its
subtopics, and those naming it as a further topic. Read from the articles themselves, that is an
OR of three conditions over two tables, which no index serves: counting a large cluster and
finding a small cluster's newest articles each read thousands of rows at 100,000 articles
(docs/performance.md, issue 14). Here each (topic, article) pair of a cluster is one row,
written when the article, its further topics or a topic's parent change, and carrying copies
of the columns live_q() reads, so that THE live rule applies to this table directly: a topic's
live count and its newest live articles are each one walk of one index.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import models, transaction
from django.db.models import Q

from .status import Status


class TopicMembershipQuerySet(models.QuerySet):
    def live_in(self, topic_id: int, at: datetime | None = None) -> TopicMembershipQuerySet:
        """The topic's live articles' rows: THE live rule, on the copied columns."""
        from .querysets import live_q  # querysets reads clusters through this module

        return self.filter(live_q(at), topic_id=topic_id)

    def refresh(self, article_ids: Iterable[int]) -> None:
        """Write these articles' memberships afresh from their topics and state: three queries
        and the writes, whatever their number. Articles that no longer exist have none."""
        from .article import Article  # the article module saves through this one

        ids = set(article_ids)
        if not ids:
            return
        articles = Article.objects.filter(pk__in=ids).values_list(
            "pk",
            "primary_topic_id",
            "primary_topic__parent_id",
            "status",
            "publish_at",
            "expire_at",
            "deleted_at",
        )
        further: dict[int, set[int]] = {}
        for article_id, topic_id in Article.topics.through.objects.filter(
            article_id__in=ids
        ).values_list("article_id", "topic_id"):
            further.setdefault(article_id, set()).add(topic_id)
        rows = [
            self.model(
                topic_id=topic_id,
                article_id=pk,
                status=status,
                publish_at=publish_at,
                expire_at=expire_at,
                deleted_at=deleted_at,
            )
            for pk, primary, parent, status, publish_at, expire_at, deleted_at in articles
            for topic_id in cluster_topic_ids(primary, parent, further.get(pk, ()))
        ]
        with transaction.atomic(using=self.db):
            self.filter(article_id__in=ids).delete()
            self.bulk_create(rows)


def cluster_topic_ids(
    primary_topic_id: int | None, parent_id: int | None, further_topic_ids: Iterable[int]
) -> set[int]:
    """The topics whose clusters an article belongs to: its primary topic, that topic's main
    topic if it is a subtopic, and its further topics."""
    return {pk for pk in (primary_topic_id, parent_id, *further_topic_ids) if pk is not None}


class TopicMembership(models.Model):
    """One article in one topic's cluster, with the article's live_q() columns copied.

    Never edited: TopicMembership.objects.refresh() writes an article's rows again when it is
    saved, when its further topics change and when its primary topic moves under another main
    topic (articles/apps.py connects those). Deleting the article or the topic deletes them.
    """

    topic = models.ForeignKey(
        "topics.Topic", on_delete=models.CASCADE, related_name="+", editable=False
    )
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="topic_memberships",
        editable=False,
        db_index=False,  # membership_unique starts with it
    )
    #: The article's kept card, joined on the article's id without the article table: a topic
    #: page reads a page of its cluster's cards in one join (through the article table, with
    #: its many indexes, the statement took the planner four times as long). No column.
    kept_card = models.ForeignObject(
        "articles.KeptCard",
        on_delete=models.DO_NOTHING,
        from_fields=["article"],
        to_fields=["article"],
        null=True,  # an article without a kept card yet: a LEFT JOIN
        related_name="+",
        editable=False,
    )
    # Copies of the article's columns that live_q() reads, under the same names.
    status = models.CharField(max_length=20, choices=Status.choices, editable=False)
    publish_at = models.DateTimeField(null=True, editable=False)
    expire_at = models.DateTimeField(null=True, editable=False)
    deleted_at = models.DateTimeField(null=True, editable=False)

    objects = TopicMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "article in a topic's cluster"
        constraints = [
            models.UniqueConstraint(fields=["article", "topic"], name="membership_unique"),
        ]
        indexes = [
            # A topic's live articles, newest first, and their count: the published, untrashed
            # rows in publish order, with the expiry to check beside them (no visit to the
            # table), and the article to read each card by.
            models.Index(
                fields=["topic", "-publish_at", "-article", "expire_at"],
                condition=Q(status=Status.PUBLISHED, deleted_at__isnull=True),
                name="membership_live_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Article {self.article_id} in topic {self.topic_id}"
