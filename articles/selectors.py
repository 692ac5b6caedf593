"""Reads for editorial screens (the admin dashboard)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from .models import Article, ArticleQuerySet, Status


@dataclass
class DashboardPanel:
    title: str
    articles: list[Article]
    count: int
    empty: str
    # Where "see all" goes: the article changelist with these filters.
    changelist_query: str = ""


def editorial_dashboard(*, user: AbstractBaseUser, limit: int = 8) -> list[DashboardPanel]:
    """The panels on the admin index: my drafts, review queue, returned to me, scheduled and
    recently published. Each panel costs two queries (a count and a short list)."""
    if not user.has_perm("articles.view_article"):
        return []
    now = timezone.now()
    articles: ArticleQuerySet = Article.objects.not_trashed().select_related("primary_topic")
    mine = articles.owned_by(user)

    def panel(title: str, qs, empty: str, query: str = "") -> DashboardPanel:
        return DashboardPanel(title, list(qs[:limit]), qs.count(), empty, query)

    panels = [
        panel(
            "My drafts",
            mine.filter(status=Status.DRAFT).order_by("-modified_at"),
            "No drafts of yours.",
            "status__exact=draft",
        ),
        panel(
            "Returned to me",
            mine.filter(status=Status.RETURNED).order_by("-modified_at"),
            "Nothing has been returned to you.",
            "status__exact=returned",
        ),
        panel(
            "Awaiting review",
            articles.filter(status=Status.IN_REVIEW).order_by("modified_at"),
            "The review queue is empty.",
            "status__exact=in_review",
        ),
        panel(
            "Scheduled",
            articles.scheduled(now).order_by("publish_at"),
            "Nothing is scheduled.",
            "schedule=scheduled",
        ),
        panel(
            "Recently published",
            articles.live(now).order_by("-publish_at"),
            "Nothing has been published yet.",
            "schedule=live",
        ),
    ]
    return panels
