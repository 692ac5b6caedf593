"""Topics, authors, experts, tags and search in the API; the rate limit; schema and docs."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from articles.models import Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    ExpertFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def site():
    iran = TopicFactory(name="Iran", slug="iran", description="About Iran.")
    TopicFactory(name="Sanctions", slug="sanctions", parent=iran)
    sara = AuthorFactory(name="Sara", slug="sara", role="Writer")
    AuthorLinkFactory(author=sara, label="Mastodon", url="https://example.social/@sara")
    ExpertFactory(name="Leila", slug="leila", credentials="Fellow", url="")
    ArticleFactory(title="Drones over the Gulf", slug="drones", primary_topic=iran,
                   authors=[sara], tags=["arms", "Иран"],
                   body="Armed drones cross the Gulf at night.")  # fmt: skip
    ArticleFactory(slug="draft", primary_topic=iran, status=Status.DRAFT, tags=["scoop"])
    return {"iran": iran, "sara": sara}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_topics_list_each_with_its_parent_by_name(api, site):
    topics = results(api.get(reverse("api:topic-list")))

    assert [(t["slug"], t["parent"] and t["parent"]["slug"]) for t in topics] == [
        ("iran", None), ("sanctions", "iran")
    ]  # fmt: skip
    assert topics[0]["articles_url"] == "http://testserver/api/v1/articles/?topic=iran"


def test_a_topic_shows_its_subtopics(api, site):
    topic = api.get(reverse("api:topic-detail", kwargs={"slug": "iran"})).json()

    assert topic["description"] == "About Iran."
    assert [t["slug"] for t in topic["subtopics"]] == ["sanctions"]
    assert topic["url"] == "http://testserver/topics/iran/"


def test_authors_carry_their_links(api, site):
    (author,) = results(api.get(reverse("api:author-list")))
    one = api.get(reverse("api:author-detail", kwargs={"slug": "sara"})).json()

    assert author == one
    assert author["links"] == [{"label": "Mastodon", "url": "https://example.social/@sara"}]
    assert author["role"] == "Writer" and author["photo"] is None
    assert author["articles_url"] == "http://testserver/api/v1/articles/?author=sara"


def test_experts_list_and_detail(api, site):
    (expert,) = results(api.get(reverse("api:expert-list")))

    assert expert["slug"] == "leila" and expert["credentials"] == "Fellow"
    assert expert["website"] == ""
    assert api.get(expert["api_url"]).json() == expert


def test_tags_are_those_of_live_articles_only(api, site):
    tags = results(api.get(reverse("api:tag-list")))

    assert [t["name"] for t in tags] == ["arms", "Иран"]
    assert tags[1]["api_url"] == "http://testserver/api/v1/tags/%D0%B8%D1%80%D0%B0%D0%BD/"
    assert api.get(reverse("api:tag-detail", kwargs={"slug": "иран"})).status_code == 200
    assert api.get(reverse("api:tag-detail", kwargs={"slug": "scoop"})).status_code == 404


def test_an_old_topic_slug_answers_with_a_301(api, site):
    site["iran"].slug = "persia"
    site["iran"].save()

    response = api.get(reverse("api:topic-detail", kwargs={"slug": "iran"}))

    assert response.status_code == 301
    assert response["Location"] == reverse("api:topic-detail", kwargs={"slug": "persia"})


def test_search_finds_live_articles_with_a_marked_snippet(api, site):
    found = results(api.get(reverse("api:search"), {"q": "drones", "topic": "iran"}))

    assert [a["slug"] for a in found] == ["drones"]
    assert "<mark>drones</mark>" in found[0]["snippet_html"]


@pytest.mark.parametrize("query", ["", "q=", "q=%20%20", "q=x&topic=nowhere", "q=x&page=0"])
def test_a_search_without_words_or_with_a_bad_filter_is_a_400(api, site, query):
    response = api.get(f"{reverse('api:search')}?{query}")

    assert response.status_code == 400
    assert response.json()["detail"] == "Invalid query parameters."


def test_anonymous_clients_are_limited_per_address(api, site, settings):
    settings.API = {**settings.API, "RATE_LIMIT": "2/minute"}
    url = reverse("api:topic-list")

    statuses = [api.get(url).status_code for _ in range(3)]
    elsewhere = api.get(url, REMOTE_ADDR="192.0.2.9").status_code

    assert statuses == [200, 200, 429]
    assert elsewhere == 200


def test_the_schema_is_openapi_3_and_names_every_endpoint(api):
    response = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/articles/", "/api/v1/articles/{slug}/", "/api/v1/search/", "/api/v1/topics/",
        "/api/v1/topics/{slug}/", "/api/v1/authors/", "/api/v1/authors/{slug}/",
        "/api/v1/experts/", "/api/v1/experts/{slug}/", "/api/v1/tags/", "/api/v1/tags/{slug}/",
    }  # fmt: skip


def test_the_docs_page_loads_only_our_own_files_and_no_inline_code(client, settings):
    page = client.get(reverse("api:docs"))
    html = page.content.decode()

    assert page.status_code == 200
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses, html
    assert all(a.startswith("/") and not a.startswith("//") for a in addresses), addresses
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    script = reverse("api:docs") + "?script="
    assert script in addresses
    start = client.get(script)
    assert start.status_code == 200 and start["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle" in start.content.decode()
    for address in set(addresses) - {script}:  # our static files (WhiteNoise serves them)
        assert address.startswith(settings.STATIC_URL), address
        assert finders.find(address.removeprefix(settings.STATIC_URL)), address
