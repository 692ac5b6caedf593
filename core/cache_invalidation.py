"""Which change refreshes which cached pages: the one place that decides.

Connected in CoreConfig.ready(). Signals are used, against our habit, because every write path
must be covered (the admin, the workflow service, revisions, the demo loader, the shell) and a
missed one serves an old page; this module is where to look. Writes that bypass signals
(queryset.update(), bulk_create()) call ``page_cache.invalidate`` themselves, as
comments.services.moderate and articles.revisions.restore_revision do.

An article's lists (home, its topics, authors, tags and experts, feeds, related reading on its
neighbours) are refreshed when it joins or leaves them or moves within them; a plain edit only
refreshes the pages that show it. What an article belongs to is read when the transaction
commits, so changes made after its own save (bylines, tags, topics) are included.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag

from articles.models import Article, Byline, ExpertQuote, RelatedLink, TaggedArticle
from authors.models import Author, AuthorLink, Expert
from comments.models import Comment, CommentStatus
from topics.models import Topic

from . import page_cache
from .models import SiteSettings
from .page_cache import collection, every, tag_for

#: Fields whose change moves an article into, out of or within a list.
LIST_FIELDS = ("status", "publish_at", "expire_at", "deleted_at", "featured", "primary_topic_id")


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
        f"list:articles:author:{pk}"
        for pk in Byline.objects.filter(article_id__in=article_ids).values_list(
            "author_id", flat=True
        )
    }
    tags |= {
        f"list:articles:tag:{pk}"
        for pk in TaggedArticle.objects.filter(content_object_id__in=article_ids).values_list(
            "tag_id", flat=True
        )
    }
    tags |= {
        f"list:articles:expert:{pk}"
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
    return {f"list:articles:topic:{pk}" for pk in topic_ids | parents}


def refresh(*, tags: set[str] = frozenset(), articles_moved: set[int] = frozenset()) -> None:
    """Refresh these tags, and the lists of these articles, when the transaction commits (at
    once outside one). Nothing happens if it rolls back."""
    tags, moved = set(tags), set(articles_moved)

    def flush() -> None:
        found = tags | article_lists(moved) if moved else tags
        if moved:
            page_cache.forget_next_scheduled_change()
        page_cache.bump(found)

    # robust: the data is saved by now; a cache outage is logged, not shown to the editor.
    transaction.on_commit(flush, robust=True)


# --- articles --------------------------------------------------------------------------


def article_before_save(sender, instance: Article, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._cache_before = None
        return
    instance._cache_before = Article.objects.filter(pk=instance.pk).values(*LIST_FIELDS).first()


def article_saved(sender, instance: Article, created: bool, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_cache_before", None)
    now = {field: getattr(instance, field) for field in LIST_FIELDS}
    tags = {tag_for(instance), every(Article)}
    moved = set()
    if created or before is None or before != now:
        moved.add(instance.pk)
        page_cache.forget_next_scheduled_change()
        if before:
            # The lists it leaves: the old topic's page no longer shows it.
            tags |= topic_lists({before["primary_topic_id"]})
    refresh(tags=tags, articles_moved=moved)


def article_before_delete(sender, instance: Article, **kwargs) -> None:
    # Afterwards its bylines, tags and topics are gone: read its lists now.
    refresh(tags={tag_for(instance), every(Article)} | article_lists({instance.pk}))
    page_cache.forget_next_scheduled_change()


def article_part_changed(sender, instance, raw=False, **kwargs) -> None:
    """A byline, tag, placed quote or related link: the article's pages, and the list the
    other side keeps of it (an author's, a tag's, an expert's articles)."""
    if raw:
        return
    if isinstance(instance, RelatedLink):
        refresh(tags={f"articles.article:{instance.from_article_id}"})
        return
    article_id = (
        instance.content_object_id if isinstance(instance, TaggedArticle) else (instance.article_id)
    )
    side = {
        Byline: lambda: f"list:articles:author:{instance.author_id}",
        TaggedArticle: lambda: f"list:articles:tag:{instance.tag_id}",
        ExpertQuote: lambda: f"list:articles:expert:{instance.expert_id}",
    }[type(instance)]()
    refresh(tags={f"articles.article:{article_id}", every(Article), side})


def article_topics_changed(sender, instance, action: str, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if isinstance(instance, Article):
        topic_ids = set(pk_set or ()) or set(instance.topics.values_list("pk", flat=True))
        refresh(tags={tag_for(instance), every(Article)} | topic_lists(topic_ids))
    else:  # topic.articles.add(...) from the topic's side
        refresh(tags=topic_lists({instance.pk}), articles_moved=set(pk_set or ()))


# --- the things articles show ----------------------------------------------------------


def shown_object_changed(sender, instance, raw=False, **kwargs) -> None:
    """An author, expert, topic or tag: its own page, every page naming it, and its list."""
    if raw:
        return
    lists = {Author: "authors", Expert: "experts", Topic: "topics", Tag: "tags"}
    refresh(tags={tag_for(instance), every(sender), collection(lists[sender])})


def author_link_changed(sender, instance: AuthorLink, raw=False, **kwargs) -> None:
    if not raw:
        refresh(tags={f"authors.author:{instance.author_id}"})


def site_settings_changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        refresh(tags={page_cache.SITE_TAG})


# --- comments --------------------------------------------------------------------------


def comments_tag(article_id: int) -> str:
    """The approved comments of one article (its page shows them and their count)."""
    return f"comments:article:{article_id}"


def comment_before_save(sender, instance: Comment, raw=False, **kwargs) -> None:
    instance._cache_was_approved = bool(
        not raw
        and instance.pk
        and Comment.objects.filter(pk=instance.pk, status=CommentStatus.APPROVED).exists()
    )


def comment_saved(sender, instance: Comment, raw=False, **kwargs) -> None:
    # A pending comment changes no public page; approving, or un-approving, does.
    if not raw and (instance.status == CommentStatus.APPROVED or instance._cache_was_approved):
        refresh(tags={comments_tag(instance.article_id)})


def comment_deleted(sender, instance: Comment, **kwargs) -> None:
    if instance.status == CommentStatus.APPROVED:
        refresh(tags={comments_tag(instance.article_id)})


def connect() -> None:
    uid = "dossier.page_cache"
    pre_save.connect(article_before_save, sender=Article, dispatch_uid=f"{uid}.a0")
    post_save.connect(article_saved, sender=Article, dispatch_uid=f"{uid}.a1")
    pre_delete.connect(article_before_delete, sender=Article, dispatch_uid=f"{uid}.a2")
    for n, model in enumerate((Byline, TaggedArticle, ExpertQuote, RelatedLink)):
        post_save.connect(article_part_changed, sender=model, dispatch_uid=f"{uid}.p{n}")
        post_delete.connect(article_part_changed, sender=model, dispatch_uid=f"{uid}.d{n}")
    m2m_changed.connect(
        article_topics_changed, sender=Article.topics.through, dispatch_uid=f"{uid}.t"
    )
    for n, model in enumerate((Author, Expert, Topic, Tag)):
        post_save.connect(shown_object_changed, sender=model, dispatch_uid=f"{uid}.s{n}")
        post_delete.connect(shown_object_changed, sender=model, dispatch_uid=f"{uid}.x{n}")
    post_save.connect(author_link_changed, sender=AuthorLink, dispatch_uid=f"{uid}.l0")
    post_delete.connect(author_link_changed, sender=AuthorLink, dispatch_uid=f"{uid}.l1")
    post_save.connect(site_settings_changed, sender=SiteSettings, dispatch_uid=f"{uid}.site")
    pre_save.connect(comment_before_save, sender=Comment, dispatch_uid=f"{uid}.c0")
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=f"{uid}.c1")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid=f"{uid}.c2")
