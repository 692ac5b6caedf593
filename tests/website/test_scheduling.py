"""Scheduling without a background job: a scheduled article appears, and an expiring one
disappears, on the second, on every public page, list and link.

The timed article is tied to a live one every way the site knows (topic and subtopic, author,
tags, quoted expert, featured, a curated link and an inline link from the live article), and every
page of ``public_urls()`` is checked just before, at and just after the moment.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import workflow
from articles.models import Article, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    PageFactory,
    RelatedLinkFactory,
    TopicFactory,
    menu_link,
    superuser,
)
from tests.html import parse
from tests.website.test_public_visibility import Site, public_urls

pytestmark = pytest.mark.django_db

SETUP_TIME = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
GO_LIVE = datetime(2026, 7, 1, 8, 30, tzinfo=UTC)  # T
EXPIRY = datetime(2026, 7, 1, 18, 45, tzinfo=UTC)  # E
SECOND = timedelta(seconds=1)
TAGS = ["shared-tag", "Иран"]
TIMED_TITLE = "TIMED-ARTICLE-XYZ"


def build_site(**timing) -> Site:
    """A live article and one timed article sharing topic, author, tags and expert; the live
    article curates the timed one and links to it inline. `timing` is publish_at/expire_at."""
    topic = TopicFactory(name="Cluster", slug="cluster")
    subtopic = TopicFactory(name="Branch", slug="branch", parent=topic)
    author = AuthorFactory(name="Shared Writer", slug="shared-writer")
    expert = ExpertFactory(name="Shared Expert", slug="shared-expert")
    with time_machine.travel(SETUP_TIME, tick=False):
        timed = ArticleFactory(
            title=TIMED_TITLE,
            slug="timed-article",
            standfirst="Standfirst of the timed article.",
            primary_topic=topic,
            topics=[subtopic],
            authors=[author],
            tags=TAGS,
            featured=True,
            status=Status.DRAFT,
            publish_at=None,
        )
        ExpertQuoteFactory(article=timed, expert=expert, key="q", text="Words in the timed one.")
        timed.publish_at = timing.get("publish_at")
        timed.expire_at = timing.get("expire_at")
        timed.save()
        # Published through the workflow, as an editor would.
        timed = workflow.transition(article=timed, name="publish", by=superuser())
        live = ArticleFactory(
            title="The live article",
            slug="the-live-article",
            primary_topic=topic,
            topics=[subtopic],
            authors=[author],
            tags=TAGS,
            body="## One\n\nSee [the timed piece](article:timed-article).\n\n[[quote:q]]",
            publish_at=datetime(2026, 5, 1, tzinfo=UTC),
        )
        ExpertQuoteFactory(article=live, expert=expert, key="q", text="Words in the live one.")
        RelatedLinkFactory(from_article=live, to_article=timed, lead_in="Read next")
        # A site page links to it, and the header menu on every page lists it (kept menus end
        # at the next scheduled change, as stored pages do).
        PageFactory(slug="about", body="See [the timed piece](article:timed-article).")
        menu_link("header", article=timed)
    return Site(live, [timed], topic, subtopic, author, expert)


def timed_article(site: Site) -> Article:
    return site.hidden[0]


def pages_that_list_it(site: Site) -> list[str]:
    """Where the timed article belongs while it is live (the directories of topics and
    authors list no articles)."""
    return [
        reverse("website:home"),
        site.topic.get_absolute_url(),
        site.subtopic.get_absolute_url(),
        site.author.get_absolute_url(),
        site.expert.get_absolute_url(),
        *(reverse("articles:tag", kwargs={"slug": tag.slug}) for tag in site.live.tags.all()),
        site.live.get_absolute_url(),
    ]


def assert_absent_everywhere(client, site: Site) -> None:
    article = timed_article(site)
    for url in public_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert TIMED_TITLE not in content, f"the timed article is listed on {url}"
        assert article.get_absolute_url() not in content, f"its URL is on {url}"
        assert "Words in the timed one." not in content, f"its quote is on {url}"
    assert client.get(article.get_absolute_url()).status_code == 404
    # Still a plain-text mention on the live article, not a dead link.
    body = parse(client.get(site.live.get_absolute_url())).one("div", class_="article__body")
    assert "the timed piece" in body.text


def assert_present_everywhere(client, site: Site) -> None:
    article = timed_article(site)
    for url in pages_that_list_it(site):
        content = client.get(url).content.decode()
        assert TIMED_TITLE in content, f"the timed article is missing from {url}"
        assert article.get_absolute_url() in content, f"its URL is missing from {url}"
    assert "Words in the timed one." in client.get(site.expert.get_absolute_url()).content.decode()
    own = client.get(article.get_absolute_url())
    assert own.status_code == 200
    assert parse(own).one("h1").text == TIMED_TITLE
    assert "preview-banner" not in own.content.decode()
    live_page = parse(client.get(site.live.get_absolute_url()))
    body = live_page.one("div", class_="article__body")
    assert (article.get_absolute_url(), "the timed piece") in body.links()
    curated = live_page.one("ul", class_="related__list")
    assert (article.get_absolute_url(), TIMED_TITLE) in curated.links()


# --- publish_at ---------------------------------------------------------------------------


@pytest.fixture
def scheduled() -> Site:
    return build_site(publish_at=GO_LIVE)


def test_the_setup_is_a_scheduled_article_and_a_live_one(scheduled):
    article = Article.objects.get(pk=timed_article(scheduled).pk)
    assert (article.status, article.publish_at, article.expire_at) == (
        Status.PUBLISHED,
        GO_LIVE,
        None,
    )
    with time_machine.travel(SETUP_TIME, tick=False):
        assert article.is_scheduled
        assert scheduled.live.is_live


def test_the_public_pages_are_the_checked_ones(scheduled):
    assert set(pages_that_list_it(scheduled)) <= set(public_urls(scheduled))


def test_a_scheduled_article_is_on_no_public_page_one_second_before_it_goes_live(client, scheduled):
    with time_machine.travel(GO_LIVE - SECOND, tick=False):
        assert_absent_everywhere(client, scheduled)


@pytest.mark.parametrize("after", [timedelta(0), SECOND], ids=["at-T", "T-plus-1s"])
def test_a_scheduled_article_is_on_every_page_it_belongs_to_from_its_publish_time(
    client, scheduled, after
):
    with time_machine.travel(GO_LIVE + after, tick=False):
        assert_present_everywhere(client, scheduled)


def test_a_scheduled_article_needs_no_job_to_go_live(client, scheduled):
    """The same database, read a second apart: nothing is written in between."""
    article = timed_article(scheduled)
    with time_machine.travel(GO_LIVE - SECOND, tick=False):
        before = Article.objects.values_list("version", "modified_at").get(pk=article.pk)
        assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(GO_LIVE, tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert Article.objects.values_list("version", "modified_at").get(pk=article.pk) == before


# --- expire_at ----------------------------------------------------------------------------


@pytest.fixture
def expiring() -> Site:
    return build_site(publish_at=datetime(2026, 6, 1, 6, 0, tzinfo=UTC), expire_at=EXPIRY)


def test_an_expiring_article_is_on_every_page_one_second_before_it_expires(client, expiring):
    with time_machine.travel(EXPIRY - SECOND, tick=False):
        assert_present_everywhere(client, expiring)


@pytest.mark.parametrize("after", [timedelta(0), SECOND], ids=["at-E", "E-plus-1s"])
def test_an_expired_article_is_on_no_public_page_from_its_expiry_time(client, expiring, after):
    with time_machine.travel(EXPIRY + after, tick=False):
        assert_absent_everywhere(client, expiring)


# --- both ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "visible"),
    [
        (GO_LIVE - SECOND, False),
        (GO_LIVE, True),
        (EXPIRY - SECOND, True),
        (EXPIRY, False),
    ],
    ids=["before-T", "at-T", "before-E", "at-E"],
)
def test_an_article_with_a_publish_window_is_shown_only_inside_it(client, moment, visible):
    site = build_site(publish_at=GO_LIVE, expire_at=EXPIRY)
    with time_machine.travel(moment, tick=False):
        if visible:
            assert_present_everywhere(client, site)
        else:
            assert_absent_everywhere(client, site)
