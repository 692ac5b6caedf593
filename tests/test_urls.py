"""Every named public URL reverses to the expected path and resolves back to the same view."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.contrib.sitemaps import views as sitemap_views
from django.urls import resolve, reverse
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from api import docs as api_docs
from api import views as api_views
from articles import feeds
from articles.listings import AuthorDetailView, ExpertDetailView, TagDetailView, TopicDetailView
from articles.views import ArticleDetailView, SearchView, SharedPreviewView
from authors.views import AuthorListView, ExpertListView
from comments import views as comment_views
from pages.views import PageView
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    PageFactory,
    TopicFactory,
)
from tests.routes import public_route_names
from topics.views import TopicListView
from website import feeds as site_feeds
from website.views import HomeView, robots_txt, sitemap_index

# name, kwargs, path, view class. Add a row for every new public URL (feeds, sitemap, search).
ROUTES = [
    ("website:home", {}, "/", HomeView),
    ("topics:list", {}, "/topics/", TopicListView),
    ("topics:detail", {"slug": "russia-iran"}, "/topics/russia-iran/", TopicDetailView),
    ("authors:list", {}, "/authors/", AuthorListView),
    ("authors:detail", {"slug": "sarah-khan"}, "/authors/sarah-khan/", AuthorDetailView),
    ("authors:expert_list", {}, "/experts/", ExpertListView),
    ("authors:expert_detail", {"slug": "leila-f"}, "/experts/leila-f/", ExpertDetailView),
    ("articles:detail", {"slug": "an-article"}, "/articles/an-article/", ArticleDetailView),
    ("articles:tag", {"slug": "sanctions"}, "/tags/sanctions/", TagDetailView),
    ("articles:preview", {"token": "eyJsIjoxfQ:1abc:x-y_z"}, "/preview/eyJsIjoxfQ:1abc:x-y_z/",
     SharedPreviewView),
    ("website:robots", {}, "/robots.txt", robots_txt),
    ("articles:search", {}, "/search/", SearchView),
    ("website:feed", {}, "/feeds/articles/", site_feeds.SiteFeed),
    ("website:feed_atom", {}, "/feeds/articles/atom/", site_feeds.SiteAtomFeed),
    ("website:feed_shortcut", {}, "/feed/", RedirectView),
    ("topics:feed", {"slug": "iran"}, "/topics/iran/feed/", feeds.TopicFeed),
    ("topics:feed_atom", {"slug": "iran"}, "/topics/iran/feed/atom/", feeds.TopicAtomFeed),
    ("authors:feed", {"slug": "sam"}, "/authors/sam/feed/", feeds.AuthorFeed),
    ("authors:feed_atom", {"slug": "sam"}, "/authors/sam/feed/atom/", feeds.AuthorAtomFeed),
    ("website:sitemap", {}, "/sitemap.xml", sitemap_index),
    ("website:sitemap_section", {"section": "articles"}, "/sitemap-articles.xml",
     sitemap_views.sitemap),
    ("comments:post", {"slug": "an-article"}, "/articles/an-article/comments/",
     comment_views.post_comment),
    ("comments:write", {"slug": "an-article"}, "/articles/an-article/comments/write/",
     comment_views.write_comment),
    ("comments:report_article", {"slug": "an-article"}, "/articles/an-article/report/",
     comment_views.report_article),
    ("comments:report_comment", {"pk": 7}, "/comments/7/report/", comment_views.report_comment),
    ("comments:form_token", {}, "/comments/form-token/", comment_views.form_token),
    ("api:article-list", {}, "/api/v1/articles/", api_views.ArticleList),
    ("api:article-detail", {"slug": "an-article"}, "/api/v1/articles/an-article/",
     api_views.ArticleDetail),
    ("api:search", {}, "/api/v1/search/", api_views.Search),
    ("api:topic-list", {}, "/api/v1/topics/", api_views.TopicList),
    ("api:topic-detail", {"slug": "iran"}, "/api/v1/topics/iran/", api_views.TopicDetail),
    ("api:author-list", {}, "/api/v1/authors/", api_views.AuthorList),
    ("api:author-detail", {"slug": "sam"}, "/api/v1/authors/sam/", api_views.AuthorDetail),
    ("api:expert-list", {}, "/api/v1/experts/", api_views.ExpertList),
    ("api:expert-detail", {"slug": "leila-f"}, "/api/v1/experts/leila-f/",
     api_views.ExpertDetail),
    ("api:tag-list", {}, "/api/v1/tags/", api_views.TagList),
    ("api:tag-detail", {"slug": "sanctions"}, "/api/v1/tags/sanctions/", api_views.TagDetail),
    ("api:schema", {}, "/api/v1/schema/", SpectacularAPIView),
    ("api:docs", {}, "/api/v1/docs/", api_docs.SwaggerUI),
    ("pages:detail", {"slug": "about"}, "/about/", PageView),
]  # fmt: skip


def view_of(match):
    """The class of a class-based view or feed, or the function of a function view."""
    func = match.func
    if hasattr(func, "view_class"):
        return func.view_class
    if isinstance(func, feeds.Feed):
        return type(func)
    # pagecache.cached_as wraps Django's own sitemap views.
    return getattr(func, "page_cache_view", func)


def test_every_named_public_url_has_a_round_trip_row():
    assert {name for name, *_ in ROUTES} == public_route_names()


@pytest.mark.parametrize(("name", "kwargs", "path", "view"), ROUTES, ids=[r[0] for r in ROUTES])
def test_url_reverses_and_resolves_back(name, kwargs, path, view):
    assert reverse(name, kwargs=kwargs) == path

    match = resolve(path)

    assert match.view_name == name
    assert {k: v for k, v in match.kwargs.items() if k in kwargs} == kwargs
    assert view_of(match) is view


@pytest.mark.parametrize("slug", ["иран", "café-crème", "a_b-c", "日本"])
def test_unicode_tag_slug_round_trips(slug):
    url = reverse("articles:tag", kwargs={"slug": slug})

    assert url.isascii()  # percent-encoded
    match = resolve(unquote(url))
    assert match.view_name == "articles:tag"
    assert match.kwargs == {"slug": slug}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "name"),
    [
        (ArticleFactory, "articles:detail"),
        (TopicFactory, "topics:detail"),
        (AuthorFactory, "authors:detail"),
        (ExpertFactory, "authors:expert_detail"),
        (PageFactory, "pages:detail"),
    ],
)
def test_get_absolute_url_resolves_to_the_objects_page(factory, name):
    obj = factory(slug="some-slug")

    match = resolve(obj.get_absolute_url())

    assert match.view_name == name
    assert match.kwargs == {"slug": "some-slug"}


def test_admin_is_not_a_public_route():
    assert not any(name.startswith("admin:") for name in public_route_names())


@pytest.mark.parametrize(
    "path",
    ["/articles/x/", "/topics/", "/topics/x/", "/search/", "/api/v1/articles/", "/robots.txt", "/"],
)
def test_the_site_pages_catch_all_comes_after_every_other_address(path):
    assert resolve(path).view_name != "pages:detail"


@pytest.mark.parametrize("slug", ["about", "о-нас", "imprint_2"])
def test_a_site_page_slug_round_trips(slug):
    url = reverse("pages:detail", kwargs={"slug": slug})

    assert url.isascii()
    match = resolve(unquote(url))
    assert match.view_name == "pages:detail"
    assert match.kwargs == {"slug": slug}
