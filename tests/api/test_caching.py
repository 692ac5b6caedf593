"""API answers are stored by the page cache for anonymous clients, served as JSON by its WSGI
front, and refreshed exactly by the changes that touch them; CORS holds on stored answers."""

from __future__ import annotations

import pytest
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.urls import reverse

from articles.models import Article
from pagecache.wsgi import PageCacheApp
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory
from tests.wsgi import keep_test_transaction, serve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

LIST = reverse("api:article-list")


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}


@pytest.fixture
def site():
    iran, arctic = TopicFactory(slug="iran"), TopicFactory(slug="arctic")
    sara = AuthorFactory(slug="sara")
    return {
        "oil": ArticleFactory(title="Oil", slug="oil", primary_topic=iran, authors=[sara]),
        "ice": ArticleFactory(title="Ice", slug="ice", primary_topic=arctic),
    }


def detail(slug: str) -> str:
    return reverse("api:article-detail", kwargs={"slug": slug})


def state(url: str, **headers) -> str:
    return Client().get(url, **headers).get("X-Page-Cache", "uncached")


def edit(slug: str, **fields):
    def change():
        article = Article.objects.get(slug=slug)
        for name, value in fields.items():
            setattr(article, name, value)
        article.save()

    return change


URLS = [
    LIST,
    f"{LIST}?topic=iran",
    detail("oil"),
    reverse("api:search") + "?q=oil",
    reverse("api:topic-list"),
    reverse("api:topic-detail", kwargs={"slug": "iran"}),
    reverse("api:author-list"),
    reverse("api:author-detail", kwargs={"slug": "sara"}),
    reverse("api:expert-list"),
    reverse("api:tag-list"),
]


@pytest.mark.parametrize("url", URLS)
def test_every_endpoint_is_stored_for_anonymous_clients(site, url):
    assert state(url) == "miss"
    assert state(url) == "hit"


def test_a_stored_answer_is_served_as_json_by_the_wsgi_front(site):
    with keep_test_transaction():
        front = PageCacheApp(WSGIHandler())
        first = serve(front, detail("oil"))
        hit = serve(front, detail("oil"))

    assert (first.status, hit.status) == (200, 200)
    assert hit.headers["X-Page-Cache"] == "hit"
    assert hit.headers["Content-Type"] == "application/json"
    assert hit.body == first.body
    assert hit.headers["ETag"] == first.headers["ETag"]


def test_a_stored_answer_honours_its_etag(site):
    etag = Client().get(detail("oil"))["ETag"]

    again = Client().get(detail("oil"), HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again["X-Page-Cache"] == "hit"


def test_editing_an_article_refreshes_its_detail_and_the_lists_it_is_on(site, commit):
    stored = [detail("oil"), LIST, f"{LIST}?topic=iran", reverse("api:search") + "?q=oil"]
    for url in stored:
        Client().get(url)

    commit(edit("oil", title="Oil and gas"))

    for url in stored:
        assert state(url) == "miss", url
    assert "Oil and gas" in Client().get(detail("oil")).content.decode()


def test_editing_an_article_leaves_another_topics_answers_stored(site, commit):
    untouched = [detail("ice"), f"{LIST}?topic=arctic"]
    for url in untouched:
        Client().get(url)

    commit(edit("oil", standfirst="Changed."))

    for url in untouched:
        assert state(url) == "hit", url


def test_unpublishing_an_article_takes_it_off_the_stored_list(site, commit):
    Client().get(LIST)

    commit(edit("oil", status="draft"))

    assert [a["slug"] for a in Client().get(LIST).json()["results"]] == ["ice"]
    assert Client().get(detail("oil")).status_code == 404


def test_an_edit_brings_an_article_into_a_stored_updated_since_list(site, commit, frozen_now):
    url = f"{LIST}?updated_since=2026-06-01T12:00:00.000001Z"
    assert Client().get(url).json()["results"] == []

    with time_machine.travel("2026-06-01T13:00:00Z", tick=False):
        commit(edit("ice", standfirst="Changed."))

    assert [a["slug"] for a in Client().get(url).json()["results"]] == ["ice"]


def test_renaming_a_filters_topic_ends_the_stored_filtered_list(site, commit):
    url = f"{LIST}?topic=iran"
    Client().get(url)

    def rename():
        topic = Article.objects.get(slug="oil").primary_topic
        topic.slug = "persia"
        topic.save()

    commit(rename)

    assert Client().get(url).status_code == 400


def test_a_cross_origin_client_gets_cors_headers_from_a_stored_answer(site, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    with keep_test_transaction():
        front = PageCacheApp(WSGIHandler())
        serve(front, detail("oil"))  # stored
        answer = serve(front, detail("oil"), HTTP_ORIGIN="https://app.example")

    headers = {name.lower(): value for name, value in answer.headers.items()}
    assert headers["x-page-cache"] == "hit"  # answered by the middleware, below CORS
    assert headers["access-control-allow-origin"] == "https://app.example"


def test_cors_is_off_unless_an_origin_is_configured(site):
    response = Client().get(detail("oil"), HTTP_ORIGIN="https://app.example")

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_the_html_pages_get_no_cors_headers(site, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]

    response = Client().get("/articles/oil/", HTTP_ORIGIN="https://app.example")

    assert "Access-Control-Allow-Origin" not in response
