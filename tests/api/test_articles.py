"""The articles endpoints: what a client gets, filters, pagination and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from articles.models import Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    RelatedLinkFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

LIST = reverse("api:article-list")
DAY = timedelta(days=1)
T0 = datetime(2026, 5, 1, tzinfo=UTC)


def detail(slug: str) -> str:
    return reverse("api:article-detail", kwargs={"slug": slug})


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [article["slug"] for article in response.json()["results"]]


@pytest.fixture
def site():
    iran = TopicFactory(name="Iran", slug="iran")
    sanctions = TopicFactory(name="Sanctions", slug="sanctions", parent=iran)
    arctic = TopicFactory(name="Arctic", slug="arctic")
    sara, tomas = AuthorFactory(name="Sara", slug="sara"), AuthorFactory(name="Tomas", slug="tomas")
    oldest = ArticleFactory(slug="oldest", primary_topic=iran, authors=[sara], tags=["oil"],
                            publish_at=T0)  # fmt: skip
    middle = ArticleFactory(slug="middle", primary_topic=sanctions, authors=[tomas, sara],
                            tags=["oil", "banks"], publish_at=T0 + DAY)  # fmt: skip
    newest = ArticleFactory(slug="newest", primary_topic=arctic, authors=[tomas], tags=["ice"],
                            publish_at=T0 + 2 * DAY)  # fmt: skip
    ArticleFactory(slug="a-draft", primary_topic=iran, status=Status.DRAFT, tags=["oil"],
                   authors=[sara])  # fmt: skip
    return {"iran": iran, "sanctions": sanctions, "arctic": arctic, "sara": sara,
            "tomas": tomas, "oldest": oldest, "middle": middle, "newest": newest}  # fmt: skip


def test_the_list_holds_live_articles_newest_first(api, site):
    response = api.get(LIST)

    assert slugs(response) == ["newest", "middle", "oldest"]
    assert response["Content-Type"] == "application/json"
    assert response.json()["count"] == 3


def test_a_summary_carries_its_byline_topic_tags_and_addresses(api, site):
    middle = next(a for a in api.get(LIST).json()["results"] if a["slug"] == "middle")

    assert middle["url"] == "http://testserver/articles/middle/"
    assert middle["api_url"] == "http://testserver/api/v1/articles/middle/"
    assert [a["slug"] for a in middle["byline"]] == ["tomas", "sara"]
    assert middle["primary_topic"]["slug"] == "sanctions"
    assert [t["name"] for t in middle["tags"]] == ["banks", "oil"]
    assert middle["publish_at"] == "2026-05-02T00:00:00Z"
    assert middle["image"] is None
    assert "body_html" not in middle


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=iran", ["middle", "oldest"]),  # a topic's cluster includes its subtopics
        ("topic=sanctions", ["middle"]),
        ("tag=oil", ["middle", "oldest"]),
        ("author=sara", ["middle", "oldest"]),
        ("author=tomas&tag=ice", ["newest"]),
        ("topic=arctic&author=sara", []),
    ],
)
def test_filters_narrow_the_list(api, site, query, expected):
    assert slugs(api.get(f"{LIST}?{query}")) == expected


def test_updated_since_lists_the_articles_saved_since(api, site, frozen_now):
    assert slugs(api.get(LIST, {"updated_since": "2026-06-01T12:00:00Z"})) == [
        "newest", "middle", "oldest"
    ]  # fmt: skip
    assert slugs(api.get(LIST, {"updated_since": "2026-06-01T12:00:01Z"})) == []


def test_pages_are_stable_and_linked(api, site):
    first = api.get(LIST, {"page_size": 2}).json()
    second = api.get(first["next"]).json()

    assert [a["slug"] for a in first["results"]] == ["newest", "middle"]
    assert [a["slug"] for a in second["results"]] == ["oldest"]
    assert first["count"] == second["count"] == 3
    assert first["previous"] is None and second["next"] is None


def test_articles_published_at_the_same_moment_keep_one_order(api, site):
    for n in range(4):
        ArticleFactory(slug=f"tie-{n}", publish_at=T0 - DAY)
    pages = [slugs(api.get(LIST, {"page_size": 2, "page": n})) for n in (1, 2, 3, 4)]

    walked = [slug for page in pages for slug in page]
    assert walked == ["newest", "middle", "oldest", "tie-3", "tie-2", "tie-1", "tie-0"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("topic=nowhere", "topic"),
        ("tag=nowhere", "tag"),
        ("author=nowhere", "author"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2026-13-45T00:00:00Z", "updated_since"),
        ("page=0", "page"),
        ("page=two", "page"),
        ("page_size=101", "page_size"),
        ("page_size=-1", "page_size"),
        ("topic=%00", "topic"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api, site, query, parameter):
    response = api.get(f"{LIST}?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid query parameters."
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0]


def test_an_empty_filter_is_no_filter(api, site):
    """As an HTML form sends an empty field."""
    assert slugs(api.get(f"{LIST}?topic=&tag=&updated_since=")) == ["newest", "middle", "oldest"]


def test_an_unknown_slug_says_which(api, site):
    response = api.get(LIST, {"topic": "nowhere"})

    assert response.json()["errors"]["topic"] == ["No topic has this slug."]


def test_a_page_past_the_end_is_a_404(api, site):
    assert api.get(LIST, {"page": 99}).status_code == 404


def test_the_detail_is_the_article_as_its_page_shows_it(api, site):
    expert = ExpertFactory(name="Leila", slug="leila")
    article = ArticleFactory(
        title="Full", slug="full", primary_topic=site["iran"], topics=[site["arctic"]],
        authors=[site["sara"]], tags=["oil"], standfirst="What it argues.",
        meta_description="For search engines.", publish_at=T0 + 3 * DAY,
        updated_at=T0 + 4 * DAY,
        body="## First\n\nSee [the oldest](article:oldest) and [a draft](article:a-draft).\n\n"
        "[[quote:leila]]\n",
    )  # fmt: skip
    ExpertQuoteFactory(article=article, expert=expert, key="leila", text="Placed words.")
    ExpertQuoteFactory(article=article, expert=expert, key="unplaced", text="Not in the body.")
    RelatedLinkFactory(from_article=article, to_article=site["middle"], lead_in="Then read")

    response = api.get(detail("full"))

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Full"
    assert body["standfirst"] == "What it argues."
    assert body["description"] == "For search engines."
    assert body["canonical_url"] == "http://testserver/articles/full/"
    assert body["updated_at"] == "2026-05-05T00:00:00Z"
    assert [t["slug"] for t in body["topics"]] == ["arctic"]
    assert [a["name"] for a in body["byline"]] == ["Sara"]
    assert [heading["title"] for heading in body["toc"]] == ["First"]
    assert '<a href="/articles/oldest/">the oldest</a>' in body["body_html"]
    assert "a draft" in body["body_html"] and "/articles/a-draft/" not in body["body_html"]
    assert "Placed words." in body["body_html"]
    assert [q["key"] for q in body["quotes"]] == ["leila"]
    assert body["quotes"][0]["expert"]["slug"] == "leila"
    assert body["related"][0] == {
        "title": site["middle"].title, "slug": "middle",
        "url": "http://testserver/articles/middle/",
        "api_url": "http://testserver/api/v1/articles/middle/",
        "lead_in": "Then read", "curated": True,
    }  # fmt: skip
    assert {r["slug"] for r in body["related"][1:]} <= {"oldest", "newest"}
    assert all(not r["curated"] for r in body["related"][1:])


def test_an_article_published_elsewhere_first_names_the_original_as_canonical(api, site):
    ArticleFactory(slug="syndicated", canonical_url="https://original.example/piece")

    assert api.get(detail("syndicated")).json()["canonical_url"] == (
        "https://original.example/piece"
    )


def test_an_old_slug_answers_with_a_301_to_the_current_one(api, site):
    article = site["oldest"]
    article.slug = "renamed"
    article.save()

    response = api.get(detail("oldest"))

    assert response.status_code == 301
    assert response["Location"] == detail("renamed")


@pytest.mark.parametrize("slug", ["a-draft", "nowhere"])
def test_an_article_that_is_not_live_is_a_404(api, site, slug):
    response = api.get(detail(slug))

    assert response.status_code == 404
    assert response.json() == {"detail": "Nothing public has this slug."}


def test_every_answer_carries_an_etag_and_honours_it(api, site):
    first = api.get(detail("middle"))

    again = api.get(detail("middle"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"].startswith('"')
    assert again.status_code == 304
    assert not again.content
