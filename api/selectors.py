"""What the API reads, and what each answer shows for the page cache.

Every article comes through Article.objects.live() (the one definition of what the public may
see) and the articles app's querysets; nothing here decides visibility again.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from taggit.models import Tag

import pagecache
from articles import search
from articles.listings import shown_on_cards
from articles.models import Article, ArticleQuerySet, TaggedArticle, live_q
from articles.selectors import with_article_page_data
from authors.models import Author, AuthorLink, Expert
from topics.models import Topic


def article_list(
    *, topic=None, tag=None, author=None, updated_since=None
) -> tuple[ArticleQuerySet, list]:
    """Live articles, newest first, narrowed by the given filters; and the lists the answer
    depends on (each filter's own list, or every live article's)."""
    articles = Article.objects.live()
    lists: list = []
    if topic is not None:
        articles = articles.in_topic(topic)
        lists.append(pagecache.collection("articles", topic))
    if tag is not None:
        articles = articles.filter(tags=tag)
        lists.append(pagecache.collection("articles", tag))
    if author is not None:
        articles = articles.by_author(author)
        lists.append(pagecache.collection("articles", author))
    if updated_since is not None:
        articles = articles.filter(modified_at__gte=updated_since)
        # Any save moves modified_at, so any edit may bring an article into this list.
        lists.append(pagecache.every(Article))
    return with_summaries(articles).newest_first(), lists or [pagecache.collection("articles")]


def with_summaries(articles: ArticleQuerySet) -> ArticleQuerySet:
    """What an article's summary shows (a card, and its tags and image), in fixed queries."""
    return articles.with_cards().prefetch_related("tags")


def summaries_show(articles) -> list:
    """What a page of article summaries shows, for pagecache.depends_on()."""
    return [*shown_on_cards(articles), *(list(article.tags.all()) for article in articles)]


def article_search(query: str, *, topic=None, author=None) -> QuerySet[Article]:
    """Live articles matching `query`, best first (articles.search)."""
    filters = search.SearchFilters(
        topic_id=topic.pk if topic else None, author_id=author.pk if author else None
    )
    return with_summaries(search.search_articles(query, filters))


def search_shows(results) -> list:
    # As the search page: any edit can change what a search finds.
    return [pagecache.every(Article), pagecache.collection("articles"), summaries_show(results)]


def live_article(slug: str) -> Article | None:
    """The live article at `slug`, with everything its page shows."""
    return with_article_page_data(Article.objects.live()).filter(slug=slug).first()


def live_articles() -> ArticleQuerySet:
    """Where an old slug is looked up (SlugHistory), among live articles only."""
    return Article.objects.live()


def topics() -> QuerySet[Topic]:
    return Topic.objects.select_related("parent").order_by("name", "pk")


def topic(slug: str) -> Topic | None:
    return topics().prefetch_related("subtopics").filter(slug=slug).first()


def authors() -> QuerySet[Author]:
    return Author.objects.prefetch_related(
        Prefetch("links", queryset=AuthorLink.objects.order_by("sort_order", "pk"))
    ).order_by("name", "pk")


def experts() -> QuerySet[Expert]:
    return Expert.objects.order_by("name", "pk")


def tags() -> QuerySet[Tag]:
    """Tags on at least one live article: a tag only drafts carry is not public yet."""
    on_live = TaggedArticle.objects.filter(live_q(prefix="content_object__")).values("tag_id")
    return Tag.objects.filter(pk__in=on_live).order_by("name", "pk")


def tags_show() -> list:
    # Which tags are on live articles changes with any article's save or its tags.
    return [
        pagecache.collection("tags"),
        pagecache.every(Article),
        pagecache.collection("articles"),
    ]
