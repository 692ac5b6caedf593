"""Which change refreshes which cached pages: the one place that decides.

Connected in WebsiteConfig.ready(). Signals are used, against our habit, because every write path
must be covered (the admin, the workflow service, revisions, the demo loader, the shell) and a
missed one serves an old page; this module is where to look. Writes that bypass signals
(queryset.update(), bulk_create()) call ``pagecache.invalidate`` themselves, as
comments.services.moderate and articles.revisions.restore_revision do.
The tags of article lists, and refresh(), are articles' own (articles/invalidation.py).

An article's lists (home, its topics, authors, tags and experts, feeds, related reading on its
neighbours) are refreshed when it joins or leaves them or moves within them; a plain edit only
refreshes the pages that show it. What an article belongs to is read when the transaction
commits, so changes made after its own save (bylines, tags, topics) are included.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag

from articles.forms import forget_filter_choices
from articles.invalidation import article_lists, refresh, topic_lists
from articles.models import Article, Byline, ExpertQuote, RelatedLink, TaggedArticle
from authors.models import Author, AuthorLink, Expert
from comments.models import Comment, CommentStatus
from comments.selectors import thread_tag
from core.models import SiteSettings
from images.models import Image
from pagecache import SITE_TAG, collection, collection_of, every, object_tag, schedule, tag_for
from pagecache.site import forget as forget_site_settings
from pages.menus import MENUS_TAG, forget_menus
from pages.models import Menu, MenuItem, Page
from topics.models import Topic
from topics.tree import forget as forget_topic_navigation

#: Fields whose change moves an article into, out of or within a list.
LIST_FIELDS = ("status", "publish_at", "expire_at", "deleted_at", "featured", "primary_topic_id")


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
        schedule.forget_next_scheduled_change()
        if before:
            # The lists it leaves: the old topic's page no longer shows it.
            tags |= topic_lists({before["primary_topic_id"]})
    refresh(tags=tags, articles_moved=moved)


def article_before_delete(sender, instance: Article, **kwargs) -> None:
    # Afterwards its bylines, tags and topics are gone: read its lists now.
    refresh(tags={tag_for(instance), every(Article)} | article_lists({instance.pk}))
    schedule.forget_next_scheduled_change()


def article_part_changed(sender, instance, raw=False, **kwargs) -> None:
    """A byline, tag, placed quote or related link: the article's pages, and the list the
    other side keeps of it (an author's, a tag's, an expert's articles)."""
    if raw:
        return
    if isinstance(instance, RelatedLink):
        refresh(tags={object_tag(Article, instance.from_article_id)})
        return
    article_id = (
        instance.content_object_id if isinstance(instance, TaggedArticle) else (instance.article_id)
    )
    side = {
        Byline: lambda: collection_of("articles", Author, instance.author_id),
        TaggedArticle: lambda: collection_of("articles", Tag, instance.tag_id),
        ExpertQuote: lambda: collection_of("articles", Expert, instance.expert_id),
    }[type(instance)]()
    refresh(tags={object_tag(Article, article_id), every(Article), side})


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
    if sender in (Author, Topic):
        # The search form's choices, kept in this process, at once as the menus are.
        forget_filter_choices()
    if sender is Topic:
        forget_topic_navigation()  # the footer's, the home page's and the topic pages' lists
    refresh(tags={tag_for(instance), every(sender), collection(lists[sender])})


def library_image_changed(sender, instance: Image, raw=False, **kwargs) -> None:
    """A library image's description, credit, focal point or file, or its deletion: the pages
    placing it in their bodies (they depend on its tag). Articles featuring it hold a copy,
    refreshed with their own tags by articles.library.refresh_featured_copies."""
    if not raw:
        refresh(tags={tag_for(instance)})


def author_link_changed(sender, instance: AuthorLink, raw=False, **kwargs) -> None:
    if not raw:
        refresh(tags={object_tag(Author, instance.author_id)})


def site_settings_changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        forget_site_settings()  # this process's copy, at once
        refresh(tags={SITE_TAG})


# --- site pages and menus --------------------------------------------------------------


def page_changed(sender, instance: Page, raw=False, **kwargs) -> None:
    """A site page: its own page, the menus when they link to it (every page showing them
    depends on its tag), and the sitemap."""
    if not raw:
        refresh(tags={tag_for(instance), every(Page), collection("pages")})


def menu_changed(sender, raw=False, **kwargs) -> None:
    """A menu or one of its links: every page shows both menus (pages/menus.py)."""
    if not raw:
        # At once too, so the editor's next page in this process shows the change even before
        # the versions move on commit (kept links rebuilt meanwhile go stale then anyway).
        forget_menus()
        refresh(tags={MENUS_TAG})


# Redirects move no tag: they answer only 404s, and neither a 404 nor a redirect is ever
# stored by the page cache (pages/middleware.py), so a changed one is answered at once.


# --- comments --------------------------------------------------------------------------


def comment_before_save(sender, instance: Comment, raw=False, **kwargs) -> None:
    instance._cache_was_approved = bool(
        not raw
        and instance.pk
        and Comment.objects.filter(pk=instance.pk, status=CommentStatus.APPROVED).exists()
    )


def comment_saved(sender, instance: Comment, raw=False, **kwargs) -> None:
    # A pending comment changes no public page; approving, or un-approving, does.
    if not raw and (instance.status == CommentStatus.APPROVED or instance._cache_was_approved):
        refresh(tags={thread_tag(instance.article_id)})


def comment_deleted(sender, instance: Comment, **kwargs) -> None:
    if instance.status == CommentStatus.APPROVED:
        refresh(tags={thread_tag(instance.article_id)})


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
    post_save.connect(library_image_changed, sender=Image, dispatch_uid=f"{uid}.i0")
    post_delete.connect(library_image_changed, sender=Image, dispatch_uid=f"{uid}.i1")
    post_save.connect(author_link_changed, sender=AuthorLink, dispatch_uid=f"{uid}.l0")
    post_delete.connect(author_link_changed, sender=AuthorLink, dispatch_uid=f"{uid}.l1")
    post_save.connect(site_settings_changed, sender=SiteSettings, dispatch_uid=f"{uid}.site")
    post_delete.connect(site_settings_changed, sender=SiteSettings, dispatch_uid=f"{uid}.site-d")
    for n, model in enumerate((Menu, MenuItem)):
        post_save.connect(menu_changed, sender=model, dispatch_uid=f"{uid}.m{n}")
        post_delete.connect(menu_changed, sender=model, dispatch_uid=f"{uid}.md{n}")
    post_save.connect(page_changed, sender=Page, dispatch_uid=f"{uid}.pg0")
    post_delete.connect(page_changed, sender=Page, dispatch_uid=f"{uid}.pg1")
    pre_save.connect(comment_before_save, sender=Comment, dispatch_uid=f"{uid}.c0")
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=f"{uid}.c1")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid=f"{uid}.c2")
