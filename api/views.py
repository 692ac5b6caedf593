"""The API's endpoints: thin views over api/selectors.py and api/serializers.py.

Each answer tells the page cache what it shows (pagecache.depends_on), as the HTML pages do, so
anonymous clients get stored answers that the next change touching them refreshes. Every
answer carries an ETag and honours If-None-Match, stored or not.
"""

from __future__ import annotations

import re

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import get_conditional_response
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

import pagecache
from articles.selectors import article_page
from core.models import SlugHistory
from pagecache.store import etag_of

from . import params, selectors, serializers
from .pagination import Pages


class Problem(drf.Serializer):
    detail = drf.CharField()


class BadQueryProblem(Problem):
    errors = drf.DictField(
        child=drf.ListField(child=drf.CharField()), help_text="Messages by parameter."
    )


BAD_QUERY = OpenApiResponse(BadQueryProblem, description="A query parameter is not valid.")
NOT_FOUND = OpenApiResponse(Problem, description="Nothing public at this address.")
MOVED = OpenApiResponse(description="An old slug: Location has the current address.")
THROTTLED = OpenApiResponse(Problem, description="Too many requests from this address.")


def with_etag(request, response):
    """The answer's ETag (the page cache's, pagecache.store.etag_of), and a 304 when the client
    already holds it."""
    response["ETag"] = etag_of(response.content)
    return get_conditional_response(request, etag=response["ETag"], response=response)


class PublicView(GenericAPIView):
    pagination_class = Pages

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            response.add_post_render_callback(
                lambda rendered: with_etag(request._request, rendered)
            )
        return response

    def shows(self, request, *items) -> None:
        pagecache.depends_on(request._request, *items)

    def context(self, **extra) -> dict:
        return {**self.get_serializer_context(), **extra}


class ListView(PublicView):
    """A paginated list: subclasses give the queryset and what a page of it shows."""

    def get_queryset(self):
        raise NotImplementedError

    def page_shows(self, rows: list) -> list:
        return rows

    def get(self, request):
        params.read(params.PageParams, request)
        rows = self.paginate_queryset(self.get_queryset())
        self.shows(request, self.page_shows(rows))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class DetailView(PublicView):
    """One object by slug; an old slug answers with a 301 to its current address."""

    route: str

    def find(self, slug: str):
        raise NotImplementedError

    def findable(self):
        """Where an old slug is looked up (SlugHistory)."""
        raise NotImplementedError

    def object_shows(self, obj) -> list:
        return [obj]

    def get(self, request, slug: str):
        # The route takes any text, so its 404 is the API's JSON one; a slug no object can
        # have (a NUL byte, which PostgreSQL refuses in a query) is looked for nowhere.
        obj = self.find(slug) if SLUG.fullmatch(slug) else None
        if obj is None:
            moved = (
                SlugHistory.objects.find(self.findable(), slug) if SLUG.fullmatch(slug) else None
            )
            if moved is None:
                raise NotFound("Nothing public has this slug.")
            return HttpResponsePermanentRedirect(reverse(self.route, kwargs={"slug": moved.slug}))
        return self.answer(request, obj)

    def answer(self, request, obj) -> Response:
        self.shows(request, self.object_shows(obj))
        return Response(self.get_serializer(obj).data)


#: What a slug may hold: letters of any script, digits, "_" and "-" (core.converters).
SLUG = re.compile(r"[-\w]+")

DETAIL_RESPONSES = {301: MOVED, 404: NOT_FOUND, 429: THROTTLED}
LIST_RESPONSES = {400: BAD_QUERY, 404: NOT_FOUND, 429: THROTTLED}


# --- articles ------------------------------------------------------------------------------


@extend_schema(
    summary="Live articles, newest first",
    description="Live articles, newest first (publish time, then id), optionally narrowed by "
    "topic, tag, author and last change. Paginated (page, page_size).",
    parameters=[params.ArticleListParams],
    responses={200: serializers.ArticleSummary(many=True), **LIST_RESPONSES},
)
class ArticleList(ListView):
    serializer_class = serializers.ArticleSummary

    def get(self, request):
        filters = params.read(params.ArticleListParams, request)
        filters = {k: v for k, v in filters.items() if k not in ("page", "page_size")}
        articles, lists = selectors.article_list(**filters)
        rows = self.paginate_queryset(articles)
        # The filters' objects too: renaming a topic's slug must end this answer.
        self.shows(request, lists, filters.get("topic"), filters.get("tag"),
                   filters.get("author"), selectors.summaries_show(rows))  # fmt: skip
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@extend_schema(
    summary="A live article as its page shows it",
    description="The body as HTML, byline, topics, tags, placed quotes, related reading, image "
    "renditions and dates. An old slug answers with a 301 to the current one.",
    responses={200: serializers.ArticleDetail, **DETAIL_RESPONSES},
)
class ArticleDetail(DetailView):
    serializer_class = serializers.ArticleDetail
    route = "api:article-detail"

    def find(self, slug):
        return selectors.live_article(slug)

    def findable(self):
        return selectors.live_articles()

    def answer(self, request, article) -> Response:
        page = article_page(article)
        self.shows(request, page.shows())
        return Response(self.get_serializer_class()(article, context=self.context(page=page)).data)


@extend_schema(
    summary="Search live articles, best match first",
    description="The most recent 200 matches, ranked. Paginated (page, page_size).",
    parameters=[params.SearchParams],
    responses={200: serializers.SearchResult(many=True), **LIST_RESPONSES},
)
class Search(ListView):
    serializer_class = serializers.SearchResult

    def get(self, request):
        found = params.read(params.SearchParams, request)
        topic, author = found.get("topic"), found.get("author")
        results = selectors.article_search(found["q"], topic=topic, author=author)
        rows = self.paginate_queryset(results)
        self.shows(request, selectors.search_shows(rows), topic, author)
        data = serializers.SearchResult(rows, many=True, context=self.context(query=found["q"]))
        return self.get_paginated_response(data.data)


# --- what articles belong to ---------------------------------------------------------------


def list_schema(serializer, summary: str):
    return extend_schema(
        summary=summary,
        description=summary + ". Paginated (page, page_size).",
        parameters=[params.PageParams],
        responses={200: serializer(many=True), **LIST_RESPONSES},
    )


def detail_schema(serializer, summary: str):
    return extend_schema(
        summary=summary,
        description=summary + ", by slug. An old slug answers with a 301 to the current one.",
        responses={200: serializer, **DETAIL_RESPONSES},
    )


@list_schema(serializers.TopicSerializer, "Topics, by name")
class TopicList(ListView):
    serializer_class = serializers.TopicSerializer

    def get_queryset(self):
        return selectors.topics()

    def page_shows(self, rows):
        return [pagecache.collection("topics"), rows]


@detail_schema(serializers.TopicDetail, "A topic and its subtopics")
class TopicDetail(DetailView):
    serializer_class = serializers.TopicDetail
    route = "api:topic-detail"

    def find(self, slug):
        return selectors.topic(slug)

    def findable(self):
        return selectors.topics()

    def object_shows(self, topic):
        return [topic, pagecache.collection("topics")]


@list_schema(serializers.AuthorSerializer, "Authors, by name")
class AuthorList(ListView):
    serializer_class = serializers.AuthorSerializer

    def get_queryset(self):
        return selectors.authors()

    def page_shows(self, rows):
        return [pagecache.collection("authors"), rows]


@detail_schema(serializers.AuthorSerializer, "An author")
class AuthorDetail(DetailView):
    serializer_class = serializers.AuthorSerializer
    route = "api:author-detail"

    def find(self, slug):
        return selectors.authors().filter(slug=slug).first()

    def findable(self):
        return selectors.authors()


@list_schema(serializers.ExpertSerializer, "Experts quoted in articles, by name")
class ExpertList(ListView):
    serializer_class = serializers.ExpertSerializer

    def get_queryset(self):
        return selectors.experts()

    def page_shows(self, rows):
        return [pagecache.collection("experts"), rows]


@detail_schema(serializers.ExpertSerializer, "An expert")
class ExpertDetail(DetailView):
    serializer_class = serializers.ExpertSerializer
    route = "api:expert-detail"

    def find(self, slug):
        return selectors.experts().filter(slug=slug).first()

    def findable(self):
        return selectors.experts()


@list_schema(serializers.TagSerializer, "Tags of live articles, by name")
class TagList(ListView):
    serializer_class = serializers.TagSerializer

    def get_queryset(self):
        return selectors.tags()

    def page_shows(self, rows):
        return [selectors.tags_show(), rows]


@detail_schema(serializers.TagSerializer, "A tag of live articles")
class TagDetail(DetailView):
    serializer_class = serializers.TagSerializer
    route = "api:tag-detail"

    def find(self, slug):
        return selectors.tags().filter(slug=slug).first()

    def findable(self):
        return selectors.tags()

    def object_shows(self, tag):
        return [tag, selectors.tags_show()]
