"""The page-cache tags of article lists, and refresh(): what moving an article refreshes.

An article belongs to lists: the home page's, its topics' (and their parents'), its authors',
tags' and experts'. These functions read which, as the database has them now, so the rules in
website/cache_rules.py and the writes that bypass signals (articles/revisions.py) refresh the
same pages.
"""

from __future__ import annotations

from django.db import transaction
from taggit.models import Tag

from authors.models import Author, Expert
from pagecache import collection, collection_of, schedule
from pagecache.store import bump
from topics.models import Topic

from .models import Article, Byline, ExpertQuote, TaggedArticle


def article_lists(article_ids: set[int]) -> set[str]:
    """The list tags of these articles as the database has them now (a few queries; writes
    only)."""
    if not article_ids:
        return set()
    tags = {collection("articles")}
    topic_ids = set(
        Article.objects.filter(pk__in=article_ids).values_list("primary_topic_id", flat=True)
    ) | set(
        Article.topics.through.objects.filter(article_id__in=article_ids).values_list(
            "topic_id", flat=True
        )
    )
    tags |= topic_lists(topic_ids)
    tags |= {
        collection_of("articles", Author, pk)
        for pk in Byline.objects.filter(article_id__in=article_ids).values_list(
            "author_id", flat=True
        )
    }
    tags |= {
        collection_of("articles", Tag, pk)
        for pk in TaggedArticle.objects.filter(content_object_id__in=article_ids).values_list(
            "tag_id", flat=True
        )
    }
    tags |= {
        collection_of("articles", Expert, pk)
        for pk in ExpertQuote.objects.filter(article_id__in=article_ids).values_list(
            "expert_id", flat=True
        )
    }
    return tags


def topic_lists(topic_ids: set[int]) -> set[str]:
    """A topic's page lists its subtopics' articles too, so a parent's list is included."""
    topic_ids = {pk for pk in topic_ids if pk}
    parents = set(
        Topic.objects.filter(pk__in=topic_ids, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    return {collection_of("articles", Topic, pk) for pk in topic_ids | parents}


def refresh(*, tags: set[str] = frozenset(), articles_moved: set[int] = frozenset()) -> None:
    """Refresh these tags, and the lists of these articles, when the transaction commits (at
    once outside one). Nothing happens if it rolls back."""
    tags, moved = set(tags), set(articles_moved)

    def flush() -> None:
        found = tags | article_lists(moved) if moved else tags
        if moved:
            schedule.forget_next_scheduled_change()
        bump(found)

    # robust: the data is saved by now; a cache outage is logged, not shown to the editor.
    transaction.on_commit(flush, robust=True)
