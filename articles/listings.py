"""Article listings: pages about one thing (a topic, an author, an expert, a tag) that list
its live articles. They live with articles because they are made of them; topics and authors know
nothing of articles."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.views.generic import ListView
from taggit.models import Tag

import pagecache
from authors.models import Author, Expert
from core.compiled import compiled
from core.pagination import KnownCountPaginator
from core.views import SlugObjectMixin
from topics.models import Topic

from . import page_parts
from .models import Article, ExpertQuote, live_q


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


class NewestRows:
    """A list for a paginator whose rows come from `newest(upto)`, a queryset holding at least
    the first `upto` rows in order: each page asks for the rows up to its end."""

    def __init__(self, newest) -> None:
        self.newest = newest

    def __getitem__(self, rows: slice) -> list:
        return list(self.newest(rows.stop)[rows])


def shown_on_cards(articles) -> list:
    """What article cards show (the article, its topic, its authors), for the page cache."""
    shown: list = []
    for article in articles:
        shown += [article, article.primary_topic, *(b.author for b in article.bylines.all())]
    return shown


@compiled(now=datetime, pk=int)
def live_card_row(now: datetime, pk: int):
    """One live article as its kept card's row (page_parts.card_rows()), compiled once."""
    return page_parts.card_rows(Article.objects.live(now).filter(pk=pk))


class TopicDetailView(ArticleListPage):
    template_name = "topics/topic_detail.html"
    slug_model = Topic

    def get_slug_queryset(self):
        return Topic.objects.select_related("parent")

    def get_articles(self):
        topic = self.object
        return Article.objects.live().in_topic(topic).exclude(pk=topic.pillar_article_id)

    def get_paginator(self, queryset, per_page, **kwargs):
        # Counting the cluster's own query would read every live article (count_in_topic), and
        # so could finding a small cluster's newest articles (in_topic_newest).
        topic = self.object
        self.subtopics = list(topic.subtopics.all())
        subtopic_ids = [sub.pk for sub in self.subtopics]
        live = Article.objects.live()
        count = live.count_in_topic(
            topic, subtopic_ids=subtopic_ids, exclude_pk=topic.pillar_article_id
        )

        def newest(upto: int):
            # One more from each half, in case the pillar (left out) is among them.
            return page_parts.card_rows(
                live.in_topic_newest(topic, subtopic_ids=subtopic_ids, upto=upto + 1).exclude(
                    pk=topic.pillar_article_id
                )
            )

        return KnownCountPaginator(NewestRows(newest), per_page, count=count, **kwargs)

    def lead_rows(self, page) -> list[tuple]:
        # The pillar leads the first page only, and only while it is live.
        pillar_pk = self.object.pillar_article_id
        if not pillar_pk or page.number != 1:
            return []
        return live_card_row.run(now=timezone.now(), pk=pillar_pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = self.object
        context.update(pillar=next(iter(context["leads"]), None), subtopics=self.subtopics)
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
