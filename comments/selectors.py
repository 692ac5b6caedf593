"""Reads for the public article page and the admin dashboard."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

import pagecache
from articles.models import Article
from core.compiled import compiled
from pagecache.site import site_settings

from .models import Comment, Report

HELD_SESSION_KEY = "comments_held"


def thread_tag(article_id: int) -> str:
    """The page-cache tag of one article's approved comments (its page shows them and their
    count)."""
    return pagecache.collection_of("comments", Article, article_id)


@dataclass
class Thread:
    """The approved comments of one article, replies under their parents."""

    comments: list[Comment] = field(default_factory=list)
    count: int = 0


@compiled(article_id=int)
def approved_comments(article_id: int):
    """Comment.objects.for_page(), compiled once: every article page reads it."""
    return Comment.objects.for_page(article_id)


def approved_thread(article: Article) -> Thread:
    """One query for the whole thread, whatever its length."""
    rows = approved_comments.run(article_id=article.pk)
    by_id = {c.pk: c for c in rows}
    for comment in rows:
        comment.thread_replies = []
    top = []
    for comment in rows:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            parent.thread_replies.append(comment)
        elif comment.parent_id is None:
            top.append(comment)
        # A reply whose parent is no longer approved is hidden with it.
    return Thread(comments=top, count=len(top) + sum(len(c.thread_replies) for c in top))


def held_for_reader(request, article: Article) -> list[Comment]:
    """The comments this reader sent that are still waiting, marked for them alone.

    The session is only consulted when the reader already has one, so ordinary readers add no
    query, get no cookie and the page keeps no Vary: Cookie.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return []
    ids = request.session.get(HELD_SESSION_KEY) or []
    if not ids:
        return []
    return list(Comment.objects.held_for(article, ids))


def remember_held(request, comment: Comment) -> None:
    # Only the last few are kept: enough to show a reader their own recent comments.
    ids = [*(request.session.get(HELD_SESSION_KEY) or []), comment.pk][-20:]
    request.session[HELD_SESSION_KEY] = ids


def moderation_counts() -> dict[str, int]:
    return {
        "pending_comments": Comment.objects.pending().count(),
        "open_reports": Report.objects.open().count(),
    }


def _render_blank_comment_fields() -> SafeString:
    from .forms import CommentForm

    fields = {"form": CommentForm(), "fill_tokens": False}
    return mark_safe(render_to_string("comments/form_fields.html", fields))


_kept_blank_comment_fields = functools.cache(_render_blank_comment_fields)


def blank_comment_fields() -> SafeString:
    """The comment form's fields as every article page shows them: empty, their tokens fetched
    by static/js/comments.js. The same for every article and reader, so they are rendered once
    per process: through the widgets' templates they were a third of an article page's time.
    Rendered each time with DEBUG on, so a changed template shows at once under runserver."""
    if settings.DEBUG:
        return _render_blank_comment_fields()
    return _kept_blank_comment_fields()


def article_page_context(request, article: Article) -> dict:
    """What the comments section of a live article page needs: one query for the thread, and
    one more only for a reader who has comments waiting."""
    from .models import comments_open

    days = site_settings(request).comments_close_after_days
    pagecache.depends_on(request, thread_tag(article.pk))
    return {
        "thread": approved_thread(article),
        "held_comments": held_for_reader(request, article),
        "comments_are_open": comments_open(article, close_after_days=days),
        "comment_fields": blank_comment_fields(),
    }
