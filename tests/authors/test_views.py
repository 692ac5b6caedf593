"""Author and expert pages and their directories."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from articles.models import Status
from tests.factories import (
    FIXED_PUBLISH_AT,
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    ExpertFactory,
    ExpertQuoteFactory,
)
from tests.html import card_titles, parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

NOT_LIVE = [
    {"title": "Draft piece", "status": Status.DRAFT, "publish_at": None},
    {"title": "Scheduled piece", "publish_at": datetime(2026, 7, 1, tzinfo=UTC)},
    {"title": "Expired piece", "expire_at": datetime(2026, 5, 1, tzinfo=UTC)},
    {"title": "Unpublished piece", "status": Status.UNPUBLISHED},
]


def day(n: int) -> datetime:
    return FIXED_PUBLISH_AT + timedelta(days=n)


def ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


# --- author page ----------------------------------------------------------------------------


@pytest.fixture
def sarah():
    return AuthorFactory(
        name="Sarah Khan",
        slug="sarah-khan",
        role="Staff Writer",
        short_bio="The short bio.",
        bio="Sarah grew up in Baku.\n\nShe has reported from Tehran since 2015.",
        website="https://sarah.example",
    )


def test_author_page_shows_name_role_and_initial(client, sarah):
    page = parse(ok(client, "/authors/sarah-khan/"))

    assert page.one("h1").text == "Sarah Khan"
    assert page.one("p", class_="profile__role").text == "Staff Writer"
    assert page.one("span", class_="avatar--initial").text == "S"


def test_author_page_shows_every_paragraph_of_the_long_bio(client, sarah):
    bio = parse(ok(client, "/authors/sarah-khan/")).one("div", class_="profile__bio")

    assert [p.text for p in bio.select("p")] == [
        "Sarah grew up in Baku.",
        "She has reported from Tehran since 2015.",
    ]


def test_author_page_falls_back_to_the_short_bio(client):
    AuthorFactory(slug="brief", bio="", short_bio="Only the short one.")

    bio = parse(ok(client, "/authors/brief/")).one("div", class_="profile__bio")

    assert bio.text == "Only the short one."


def test_author_page_links_website_then_profiles_in_order(client, sarah):
    AuthorLinkFactory(author=sarah, label="Bluesky", url="https://bsky.example/sarah", sort_order=2)
    AuthorLinkFactory(author=sarah, label="Mastodon", url="https://masto.example/@s", sort_order=1)

    links = parse(ok(client, "/authors/sarah-khan/")).one("ul", class_="profile__links")

    assert links.links() == [
        ("https://sarah.example", "Website"),
        ("https://masto.example/@s", "Mastodon"),
        ("https://bsky.example/sarah", "Bluesky"),
    ]
    assert all("me" in a.attrs["rel"].split() for a in links.select("a"))


def test_author_without_links_shows_no_link_list(client):
    AuthorFactory(slug="quiet", website="")

    assert not parse(ok(client, "/authors/quiet/")).select("ul", class_="profile__links")


def test_author_page_lists_their_live_articles_only(client, sarah):
    other = AuthorFactory()
    ArticleFactory(title="Solo", authors=[sarah], publish_at=day(1))
    ArticleFactory(title="Co-written", authors=[other, sarah], publish_at=day(2))
    ArticleFactory(title="Someone else's", authors=[other], publish_at=day(3))
    for state in NOT_LIVE:
        ArticleFactory(authors=[sarah], **state)

    response = ok(client, "/authors/sarah-khan/")

    assert card_titles(parse(response)) == ["Co-written", "Solo"]
    content = response.content.decode()
    for state in NOT_LIVE:
        assert state["title"] not in content


def test_author_with_no_live_articles_says_so(client, sarah):
    ArticleFactory(authors=[sarah], status=Status.DRAFT)

    assert "No published articles yet." in ok(client, "/authors/sarah-khan/").content.decode()


def test_author_list_links_every_author(client, sarah):
    AuthorFactory(name="Anna Berg", slug="anna-berg", role="Editor")

    page = parse(ok(client, "/authors/"))

    people = page.one("ul", class_="people")
    assert people.links() == [
        ("/authors/anna-berg/", "Anna Berg"),
        ("/authors/sarah-khan/", "Sarah Khan"),
    ]
    assert "Editor" in people.text


def test_author_list_of_an_empty_site(client):
    assert "No authors yet." in ok(client, "/authors/").content.decode()


# --- expert page ----------------------------------------------------------------------------


@pytest.fixture
def leila():
    return ExpertFactory(
        name="Leila Farahani",
        slug="leila-farahani",
        credentials="Senior Fellow, Caspian Policy Institute",
        bio="Leila studies energy.\n\nShe advises governments.",
        url="https://institute.example/leila",
    )


def test_expert_page_shows_credentials_bio_and_profile_link(client, leila):
    page = parse(ok(client, "/experts/leila-farahani/"))

    assert page.one("h1").text == "Leila Farahani"
    assert page.one("p", class_="profile__role").text == "Senior Fellow, Caspian Policy Institute"
    bio = page.one("div", class_="profile__bio")
    assert [p.text for p in bio.select("p")] == [
        "Leila studies energy.",
        "She advises governments.",
    ]
    assert ("https://institute.example/leila", "Leila Farahani’s profile") in page.links()


def test_expert_page_lists_quotes_from_live_articles_linking_them(client, leila):
    older = ArticleFactory(title="Older piece", slug="older", publish_at=day(1))
    newer = ArticleFactory(title="Newer piece", slug="newer", publish_at=day(2))
    ExpertQuoteFactory(article=older, expert=leila, text="Quote in the older piece.")
    ExpertQuoteFactory(
        article=newer, expert=leila, text="Quote in the newer piece.", said_on=date(2026, 1, 3)
    )
    ExpertQuoteFactory(article=newer, text="Somebody else's words.")

    page = parse(ok(client, "/experts/leila-farahani/"))

    quotes = page.one("ul", class_="quote-list").select("li")
    assert [q.one("blockquote").text for q in quotes] == [
        "Quote in the newer piece.",
        "Quote in the older piece.",
    ]
    assert [q.one("p", class_="quote-list__source").links() for q in quotes] == [
        [("/articles/newer/", "Newer piece")],
        [("/articles/older/", "Older piece")],
    ]
    assert "3 January 2026" in quotes[0].text
    assert "Somebody else's words." not in page.text


def test_expert_page_leaves_out_quotes_in_articles_that_are_not_live(client, leila):
    for state in NOT_LIVE:
        article = ArticleFactory(**state)
        ExpertQuoteFactory(article=article, expert=leila, text=f"Said in {state['title']}.")

    response = ok(client, "/experts/leila-farahani/")

    content = response.content.decode()
    assert "Not quoted in any published article yet." in content
    for state in NOT_LIVE:
        assert state["title"] not in content


def test_expert_list_links_every_expert(client, leila):
    ExpertFactory(name="Adam Ost", slug="adam-ost", credentials="Professor")

    people = parse(ok(client, "/experts/")).one("ul", class_="people")

    assert people.links() == [
        ("/experts/adam-ost/", "Adam Ost"),
        ("/experts/leila-farahani/", "Leila Farahani"),
    ]
    assert "Professor" in people.text


def test_expert_list_of_an_empty_site(client):
    assert "No experts yet." in ok(client, "/experts/").content.decode()
