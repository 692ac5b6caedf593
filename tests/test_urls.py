"""Every named public URL reverses to the expected path and resolves back to the same view."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.urls import resolve, reverse

from articles.views import ArticleDetailView, SharedPreviewView, TagDetailView
from authors.views import AuthorDetailView, AuthorListView, ExpertDetailView, ExpertListView
from core.views import HomeView
from tests.factories import ArticleFactory, AuthorFactory, ExpertFactory, TopicFactory
from tests.routes import public_route_names
from topics.views import TopicDetailView, TopicListView

# name, kwargs, path, view class. Add a row for every new public URL (feeds, sitemap, search).
ROUTES = [
    ("core:home", {}, "/", HomeView),
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
]  # fmt: skip


def test_every_named_public_url_has_a_round_trip_row():
    assert {name for name, *_ in ROUTES} == public_route_names()


@pytest.mark.parametrize(("name", "kwargs", "path", "view"), ROUTES, ids=[r[0] for r in ROUTES])
def test_url_reverses_and_resolves_back(name, kwargs, path, view):
    assert reverse(name, kwargs=kwargs) == path

    match = resolve(path)

    assert match.view_name == name
    assert match.kwargs == kwargs
    assert match.func.view_class is view


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
    ],
)
def test_get_absolute_url_resolves_to_the_objects_page(factory, name):
    obj = factory(slug="some-slug")

    match = resolve(obj.get_absolute_url())

    assert match.view_name == name
    assert match.kwargs == {"slug": "some-slug"}


def test_admin_is_not_a_public_route():
    assert not any(name.startswith("admin:") for name in public_route_names())
