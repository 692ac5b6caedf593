"""Reads that more than one screen shares: what an article's page shows (the HTML page and the
API's article), and the editorial dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from django.utils import timezone
from django.utils.safestring import SafeString

import pagecache

from .models import EDITING_ONLY_FIELDS, Article, ArticleQuerySet, RelatedLink, Status, live_q
from .models.querysets import body_reference_lookups, byline_lookups
from .rendering import finish_body, referenced_article_ids

# A related link shows its target's title, address and topic, never its text.
LINKED_ARTICLE_UNUSED = (*EDITING_ONLY_FIELDS, "body_html", "toc")


def article_page_lookups() -> list:
    """Prefetches of everything an article's page shows besides its row and topic, in a fixed
    number of queries whatever the article holds."""
    return [
        *body_reference_lookups(Article),
        *byline_lookups(),
        "tags",
        "topics",
        Prefetch(
            "related_links",
            # All of them, each marked live or not by THE live rule: the page shows the live
            # ones and depends on all (one going live must refresh this page).
            queryset=RelatedLink.objects.annotate(
                target_live=ExpressionWrapper(
                    live_q(prefix="to_article__"), output_field=BooleanField()
                )
            )
            .select_related("to_article__primary_topic")
            .defer(*(f"to_article__{name}" for name in LINKED_ARTICLE_UNUSED)),
            to_attr="all_related_links",
        ),
    ]


def with_article_page_data(articles: ArticleQuerySet) -> ArticleQuerySet:
    """Everything an article's page shows, in a fixed number of queries whatever it holds.
    `articles` says which may be shown (live(), or visible_to(user) for staff previews)."""
    return (
        articles.for_reading()
        .select_related("primary_topic__parent")
        .prefetch_related(*article_page_lookups())
    )


@dataclass
class ArticlePage:
    """What an article's page shows beyond its own fields, and what that depends on."""

    article: Article
    body: SafeString
    bylines: list
    curated_links: list[RelatedLink]
    suggested_articles: list[Article]

    def shows(self, *, suggestion_sources: bool = True) -> list:
        """Everything shown, for pagecache.depends_on(). `suggestion_sources`: also the lists
        suggested reading was chosen from, for a page that chooses it afresh each time."""
        article = self.article
        topics = [article.primary_topic, article.primary_topic.parent, *article.topics.all()]
        tags = list(article.tags.all())
        return [
            article,
            topics,
            tags,
            [byline.author for byline in self.bylines],
            [quote.expert for quote in article.quotes.all()],
            [link.to_article for link in article.all_related_links],
            [related.primary_topic for related in self.suggested_articles],
            self.suggested_articles,
            [pagecache.object_tag(Article, pk) for pk in referenced_article_ids(article.body_html)],
            # The library images placed in the body: a new description or credit shows here.
            list(article.body_images.all()),
            # Suggested reading comes from the articles sharing its topics and tags.
            [
                pagecache.collection("articles", scope)
                for scope in [*topics, *tags]
                if scope and suggestion_sources
            ],
        ]


def article_page(article: Article) -> ArticlePage:
    """The finished body, byline and related reading of an article loaded through
    with_article_page_data(). One query (suggested reading), whatever the article holds."""
    curated = [link for link in article.all_related_links if link.target_live]
    wanted = settings.DOSSIER["RELATED_ARTICLES_COUNT"]
    # Always fetched, even when the curated links fill the list, so the page makes the same
    # number of queries whatever the article holds.
    suggested = list(
        Article.objects.live()
        .related_to(article, exclude=[link.to_article_id for link in curated])
        .as_links()[:wanted]
    )
    return ArticlePage(
        article=article,
        body=finish_body(
            article.body_html,
            live_urls={a.pk: a.get_absolute_url() for a in article.live_linked_articles},
            quotes={quote.key: quote for quote in article.quotes.all()},
            images={image.pk: image for image in article.body_images.all()},
        ),
        bylines=list(article.bylines.all()),
        curated_links=curated,
        suggested_articles=suggested[: max(wanted - len(curated), 0)],
    )


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
