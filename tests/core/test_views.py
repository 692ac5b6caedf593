"""The 404 page, old-slug redirects, page numbers, hostile URLs and list pages.

Their query budgets are proved in tests/test_query_budgets.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from articles.models import Status
from tests.factories import (
    FIXED_PUBLISH_AT,
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    TopicFactory,
    UserFactory,
)
from tests.html import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def day(n: int) -> datetime:
    """FIXED_PUBLISH_AT plus n days: a later day is a newer article."""
    return FIXED_PUBLISH_AT + timedelta(days=n)


@pytest.fixture
def debug_off(settings):
    """Django's test client renders the site's 404.html only with DEBUG off."""
    settings.DEBUG = False


# --- 404 page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/articles/no-such-article/",
        "/topics/no-such-topic/",
        "/authors/no-such-author/",
        "/experts/no-such-expert/",
        "/tags/no-such-tag/",
        "/no/such/page/",
    ],
)
def test_unknown_address_gets_the_sites_404_page(client, debug_off, url):
    response = client.get(url)

    assert response.status_code == 404
    page = parse(response)
    assert page.one("h1").text == "Page not found"
    assert "Page not found" in response.content.decode()
    assert page.one("meta", name="robots").attrs["content"] == "noindex"
    assert ("/", "Home page") in page.links()


# --- old slugs redirect ---------------------------------------------------------------------

SLUGGED_PAGES = [
    pytest.param(ArticleFactory, "/articles/{}/", id="article"),
    pytest.param(AuthorFactory, "/authors/{}/", id="author"),
    pytest.param(TopicFactory, "/topics/{}/", id="topic"),
    pytest.param(ExpertFactory, "/experts/{}/", id="expert"),
]


def rename(obj, slug: str) -> None:
    obj.slug = slug
    obj.save()


@pytest.mark.parametrize(("factory", "pattern"), SLUGGED_PAGES)
def test_old_slug_redirects_permanently_to_the_new_url(client, factory, pattern):
    obj = factory(slug="old-name")
    rename(obj, "new-name")

    response = client.get(pattern.format("old-name"))

    assert response.status_code == 301
    assert response["Location"] == pattern.format("new-name")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(("factory", "pattern"), SLUGGED_PAGES)
def test_every_old_slug_redirects_straight_to_the_current_url(client, factory, pattern):
    obj = factory(slug="first")
    rename(obj, "second")
    rename(obj, "third")

    for old in ("first", "second"):
        response = client.get(pattern.format(old))
        assert response.status_code == 301
        assert response["Location"] == pattern.format("third")


@pytest.mark.parametrize(("factory", "pattern"), SLUGGED_PAGES)
def test_unknown_slug_is_404_with_the_sites_404_page(client, debug_off, factory, pattern):
    factory(slug="exists")

    response = client.get(pattern.format("never-existed"))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(("factory", "pattern"), SLUGGED_PAGES)
def test_a_slug_given_back_and_reused_shows_the_new_owner(client, factory, pattern):
    first = factory(slug="shared")
    rename(first, "moved")
    second = factory(slug="shared")

    response = client.get(pattern.format("shared"))

    assert response.status_code == 200
    assert response.context["object"] == second


def test_old_slug_of_an_article_now_a_draft_is_404_for_anonymous(client, debug_off):
    article = ArticleFactory(slug="old-slug")
    rename(article, "new-slug")
    article.status = Status.DRAFT
    article.save()

    response = client.get("/articles/old-slug/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "new-slug" not in response.content.decode()


def test_old_slug_of_a_draft_redirects_staff_to_the_preview(client, staff_viewer):
    article = ArticleFactory(slug="old-slug", status=Status.DRAFT)
    rename(article, "new-slug")
    client.force_login(staff_viewer)

    response = client.get("/articles/old-slug/")

    assert response.status_code == 301
    assert response["Location"] == "/articles/new-slug/"


def test_article_redirect_keeps_working_after_the_article_goes_live_again(client):
    article = ArticleFactory(slug="old-slug", status=Status.DRAFT)
    rename(article, "new-slug")
    assert client.get("/articles/old-slug/").status_code == 404

    article.status = Status.PUBLISHED
    article.save()

    assert client.get("/articles/old-slug/")["Location"] == "/articles/new-slug/"


# --- page numbers and hostile input ---------------------------------------------------------


@pytest.fixture
def listed_pages():
    """A topic, author, tag and expert with one live article each; their page URLs."""
    topic = TopicFactory(slug="x")
    author = AuthorFactory(slug="x")
    expert = ExpertFactory(slug="x")
    article = ArticleFactory(primary_topic=topic, authors=[author], tags=["x"])
    ExpertQuoteFactory(article=article, expert=expert)
    return ["/topics/x/", "/authors/x/", "/tags/x/", "/experts/x/"]


@pytest.mark.parametrize("page", ["0", "abc", "999", "-1", "1e9", "1.5", "%00", "last-ish"])
def test_bad_page_number_is_404_not_500(client, debug_off, listed_pages, page):
    for url in listed_pages:
        response = client.get(f"{url}?page={page}")
        assert response.status_code == 404, (url, page)
        assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("page", ["1", "last", ""])
def test_first_and_last_page_numbers_work(client, listed_pages, page):
    for url in listed_pages:
        assert client.get(f"{url}?page={page}").status_code == 200, url


HOSTILE_URLS = [
    "/articles/%00/",
    "/articles/" + "a" * 5000 + "/",
    "/articles/" + "a-" * 300 + "/",
    "/articles/..%2F..%2Fetc%2Fpasswd/",
    "/articles/%F0%9F%92%A9/",
    "/tags/%F0%9F%92%A9/",
    "/tags/" + "%F0%9F%92%A9" * 500 + "/",
    "/tags/%00/",
    "/tags/%C0%AF/",
    "/tags/x%20y/",
    "/authors/" + "a" * 5000 + "/",
    "/experts/%00/",
    "/topics/%27%3B--/",
    "/topics/x/?page=-1",
    "/topics/x/?page=1e9",
    "/topics/x/?page=99999999999999999999999",
    "/topics/x/?page=%00",
]


@pytest.mark.parametrize("url", HOSTILE_URLS, ids=lambda url: url[:40])
def test_hostile_url_is_404_never_500(client, debug_off, url):
    TopicFactory(slug="x")
    ArticleFactory(slug="a", tags=["x"])

    response = client.get(url)

    assert response.status_code == 404


# --- list pages show what they list --------------------------------------------------------------


class Corpus:
    """A small site whose list pages (topic, author, tag, expert) all list the same articles."""

    def __init__(self):
        self.main = TopicFactory(slug="main")
        self.sub = TopicFactory(slug="sub", parent=self.main)
        self.side = TopicFactory(slug="side")
        self.author = AuthorFactory(slug="writer")
        self.expert = ExpertFactory(slug="expert")
        self.main.pillar_article = ArticleFactory(primary_topic=self.main, title="Pillar")
        self.main.save()
        self.count = 0

    def add(self, n: int) -> None:
        """n more articles, each with two authors, two tags and a quote; every other one sits
        in a subtopic and carries a further topic."""
        for _ in range(n):
            self.count += 1
            i = self.count
            article = ArticleFactory(
                primary_topic=self.sub if i % 2 else self.main,
                topics=[self.side] if i % 2 else [],
                authors=[self.author, AuthorFactory()],
                tags=["corpus", f"only-{i}"],
                publish_at=day(i),
                body=f"## One\n\nText.\n\n## Two\n\n[[quote:q{i}]]",
            )
            ExpertQuoteFactory(article=article, expert=self.expert, key=f"q{i}")


@pytest.fixture
def corpus():
    return Corpus()


LIST_PAGES = ["/", "/topics/main/", "/authors/writer/", "/tags/corpus/", "/experts/expert/"]


def test_list_pages_show_the_corpus(client, corpus):
    corpus.add(15)

    assert len(parse(client.get("/topics/main/")).select("article", class_="card")) == 13
    for url in LIST_PAGES[2:]:
        page = parse(client.get(url))
        assert len(page.select("article", class_="card") or page.select("blockquote")) == 12, url


def test_logged_in_non_staff_user_sees_the_public_pages(client, corpus):
    corpus.add(2)
    client.force_login(UserFactory())

    for url in LIST_PAGES:
        assert client.get(url).status_code == 200, url


# --- site icon --------------------------------------------------------------------------------


def test_public_pages_and_the_admin_name_the_site_icon(client):
    """Without a <link rel="icon">, every browser asks for /favicon.ico, a 404 on each visit."""
    from django.contrib.staticfiles import finders
    from django.urls import reverse

    for url in ["/", reverse("admin:login")]:
        icons = parse(client.get(url)).select("link", rel="icon")
        assert [icon.attrs["href"] for icon in icons] == ["/static/img/favicon.svg"], url
    assert finders.find("img/favicon.svg")
