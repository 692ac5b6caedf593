"""RSS 2.0 and Atom feeds (site, topic, author), parsed the way feed readers parse them.

Every feed goes through feedparser: it must parse without errors (`bozo` false) and give each
entry an id, a title, an absolute link, a date, the byline, the categories and the standfirst.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.feeds import FEED_SIZE
from articles.models import Article, Status
from tests.factories import (
    FIXED_PUBLISH_AT,
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    TopicFactory,
)
from tests.html import parse
from tests.test_query_budgets import FEED_QUERY_BUDGET, FULL_CONTENT_FEED_QUERY_BUDGET

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

BASE = "http://testserver"
SCHEDULED_AT = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)  # after FROZEN_NOW
EXPIRED_AT = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)  # before FROZEN_NOW

RSS, ATOM = "rss", "atom"
CONTENT_TYPES = {RSS: "application/rss+xml", ATOM: "application/atom+xml"}
FEEDPARSER_VERSIONS = {RSS: "rss20", ATOM: "atom10"}


def day(n: int) -> datetime:
    """FIXED_PUBLISH_AT plus n days: a later day is a newer article."""
    return FIXED_PUBLISH_AT + timedelta(days=n)


def site_feed_url(kind: str) -> str:
    return "/feeds/articles/" if kind == RSS else "/feeds/articles/atom/"


def topic_feed_url(slug: str, kind: str) -> str:
    return f"/topics/{slug}/feed/" if kind == RSS else f"/topics/{slug}/feed/atom/"


def author_feed_url(slug: str, kind: str) -> str:
    return f"/authors/{slug}/feed/" if kind == RSS else f"/authors/{slug}/feed/atom/"


def read_feed(client, url: str):
    """GET a feed and parse it as a reader would, but without feedparser rewriting URLs or
    scrubbing HTML, so the assertions see what the site sent."""
    response = client.get(url)
    assert response.status_code == 200, url
    return feedparser.parse(response.content, resolve_relative_uris=False, sanitize_html=False)


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


def entry_titled(feed, title: str):
    (entry,) = [entry for entry in feed.entries if entry.title == title]
    return entry


def timestamp(parsed) -> int:
    """feedparser's UTC struct_time as a Unix timestamp."""
    return calendar.timegm(parsed)


def absolute(path: str) -> str:
    return BASE + path


# --- the shared corpus ----------------------------------------------------------------------


@pytest.fixture
def corpus():
    """A main topic with a subtopic, two authors, four live articles and four that are not.

    Live, newest first: "Gas & oil…" (topic, Ann and Bob), "Subtopic piece" (subtopic, Ann),
    "Further-topic piece" (elsewhere, further topic = topic, Ann), "Bob elsewhere" (elsewhere,
    Bob). Not live, all in the topic and by Ann: a draft, a scheduled, an expired and a trashed
    article, each dated newer than every live one.
    """
    topic = TopicFactory(name="Energy", slug="energy")
    subtopic = TopicFactory(name="Gas", slug="gas", parent=topic)
    elsewhere = TopicFactory(name="Elsewhere", slug="elsewhere")
    ann = AuthorFactory(name="Ann Archer", slug="ann")
    bob = AuthorFactory(name="Bob Brown", slug="bob")
    newest = ArticleFactory(
        title="Gas & oil: the <new> deal — “priced” in ₽",
        slug="gas-and-oil",
        standfirst="Why the deal matters & who pays.",
        primary_topic=topic,
        authors=[ann, bob],
        tags=["pipelines", "sanctions"],
        publish_at=day(5),
    )
    in_subtopic = ArticleFactory(
        title="Subtopic piece",
        slug="subtopic-piece",
        standfirst="About gas.",
        primary_topic=subtopic,
        authors=[ann],
        tags=["lng"],
        publish_at=day(4),
    )
    further = ArticleFactory(
        title="Further-topic piece",
        slug="further-piece",
        standfirst="Mostly about something else.",
        primary_topic=elsewhere,
        topics=[topic],
        authors=[ann],
        publish_at=day(3),
    )
    bobs = ArticleFactory(
        title="Bob elsewhere",
        slug="bob-elsewhere",
        standfirst="Not about energy.",
        primary_topic=elsewhere,
        authors=[bob],
        publish_at=day(2),
    )
    hidden = {"primary_topic": topic, "authors": [ann]}
    not_live = [
        ArticleFactory(title="Draft", status=Status.DRAFT, publish_at=None, **hidden),
        ArticleFactory(title="Scheduled", publish_at=SCHEDULED_AT, **hidden),
        ArticleFactory(title="Expired", publish_at=day(6), expire_at=EXPIRED_AT, **hidden),
        ArticleFactory(title="Trashed", publish_at=day(7), deleted_at=EXPIRED_AT, **hidden),
        ArticleFactory(title="Unpublished", status=Status.UNPUBLISHED, publish_at=day(8), **hidden),
    ]
    return SimpleNamespace(
        topic=topic,
        subtopic=subtopic,
        elsewhere=elsewhere,
        ann=ann,
        bob=bob,
        newest=newest,
        in_subtopic=in_subtopic,
        further=further,
        bobs=bobs,
        not_live=not_live,
    )


# Each of the six feeds: its URL in the corpus and the titles it must list, newest first.
SIX_FEEDS = (
    [
        pytest.param(
            site_feed_url(kind),
            ["newest", "in_subtopic", "further", "bobs"],
            kind,
            id=f"site-{kind}",
        )
        for kind in (RSS, ATOM)
    ]
    + [
        pytest.param(
            topic_feed_url("energy", kind),
            ["newest", "in_subtopic", "further"],
            kind,
            id=f"topic-{kind}",
        )
        for kind in (RSS, ATOM)
    ]
    + [
        pytest.param(
            author_feed_url("ann", kind),
            ["newest", "in_subtopic", "further"],
            kind,
            id=f"author-{kind}",
        )
        for kind in (RSS, ATOM)
    ]
)


@pytest.mark.parametrize(("url", "expected", "kind"), SIX_FEEDS)
def test_feed_parses_without_errors_as_its_format(client, corpus, url, expected, kind):
    response = client.get(url)
    feed = feedparser.parse(response.content)

    assert response["Content-Type"].startswith(CONTENT_TYPES[kind])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == FEEDPARSER_VERSIONS[kind]
    assert feed.feed.title
    assert feed.feed.link.startswith(BASE + "/")


@pytest.mark.parametrize(("url", "expected", "kind"), SIX_FEEDS)
def test_feed_lists_only_its_live_articles_newest_first(client, corpus, url, expected, kind):
    feed = read_feed(client, url)

    assert titles(feed) == [getattr(corpus, name).title for name in expected]
    listed = set(titles(feed))
    assert not listed & {article.title for article in corpus.not_live}


@pytest.mark.parametrize(("url", "expected", "kind"), SIX_FEEDS)
def test_every_entry_has_id_title_absolute_link_date_byline_categories_and_summary(
    client, corpus, url, expected, kind
):
    feed = read_feed(client, url)

    for name in expected:
        article = getattr(corpus, name)
        entry = entry_titled(feed, article.title)
        article_url = absolute(article.get_absolute_url())
        assert entry.link == article_url
        assert entry.id == article_url
        parts = urlsplit(entry.link)
        assert (parts.scheme, parts.netloc) == ("http", "testserver")
        if kind == RSS:
            assert timestamp(entry.published_parsed) == article.publish_at.timestamp()
        else:
            assert timestamp(entry.updated_parsed) == article.publish_at.timestamp()
            assert timestamp(entry.published_parsed) == article.publish_at.timestamp()
        byline = ", ".join(b.author.name for b in article.bylines.all())
        assert entry.author == byline
        assert [author.name for author in entry.authors] == [byline]
        terms = [tag.term for tag in entry.tags]
        assert terms[0] == article.primary_topic.name
        assert set(terms[1:]) == set(article.tags.names())
        assert entry.summary == article.standfirst


def test_multi_author_byline_is_joined_in_byline_order(client, corpus):
    for kind in (RSS, ATOM):
        entry = entry_titled(read_feed(client, site_feed_url(kind)), corpus.newest.title)
        assert entry.author == "Ann Archer, Bob Brown"


def test_atom_entry_author_links_to_the_first_authors_page(client, corpus):
    entry = entry_titled(read_feed(client, site_feed_url(ATOM)), corpus.newest.title)

    assert entry.author_detail.href == absolute("/authors/ann/")


def test_entry_categories_are_primary_topic_then_tags(client, corpus):
    for kind in (RSS, ATOM):
        entry = entry_titled(read_feed(client, site_feed_url(kind)), corpus.newest.title)
        assert [tag.term for tag in entry.tags] == ["Energy", "pipelines", "sanctions"]


def test_title_and_summary_with_markup_characters_survive_escaping(client, corpus):
    for kind in (RSS, ATOM):
        response = client.get(site_feed_url(kind))
        feed = feedparser.parse(response.content)
        assert not feed.bozo
        assert "<new>" not in response.content.decode()  # escaped on the wire
        assert feed.entries[0].title == "Gas & oil: the <new> deal — “priced” in ₽"
        assert feed.entries[0].summary.replace("&amp;", "&") == "Why the deal matters & who pays."


# --- feed size, ordering and scope --------------------------------------------------------


@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_feed_holds_the_twenty_newest_live_articles(client, kind):
    topic = TopicFactory()
    articles = [
        ArticleFactory(title=f"Numbered {n:02d}", primary_topic=topic, publish_at=day(n))
        for n in range(FEED_SIZE + 3)
    ]

    feed = read_feed(client, site_feed_url(kind))

    assert FEED_SIZE == 20
    assert len(feed.entries) == FEED_SIZE
    newest_twenty = sorted(articles, key=lambda a: a.publish_at, reverse=True)[:FEED_SIZE]
    assert titles(feed) == [a.title for a in newest_twenty]


def test_articles_published_at_the_same_instant_keep_a_stable_order(client):
    topic = TopicFactory()
    first = ArticleFactory(title="Made first", primary_topic=topic)
    second = ArticleFactory(title="Made second", primary_topic=topic)

    feed = read_feed(client, site_feed_url(RSS))

    assert titles(feed) == [second.title, first.title]


@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_topic_feed_gathers_primary_subtopic_and_further_topic_articles_once(client, kind):
    topic = TopicFactory(slug="energy")
    subtopic = TopicFactory(parent=topic)
    elsewhere = TopicFactory()
    sibling_of_elsewhere = TopicFactory(parent=elsewhere)
    ArticleFactory(title="Primary", primary_topic=topic, publish_at=day(5))
    ArticleFactory(title="In subtopic", primary_topic=subtopic, publish_at=day(4))
    ArticleFactory(title="Further", primary_topic=elsewhere, topics=[topic], publish_at=day(3))
    ArticleFactory(
        title="Subtopic and further", primary_topic=subtopic, topics=[topic], publish_at=day(2)
    )
    ArticleFactory(title="Unrelated", primary_topic=elsewhere, publish_at=day(6))
    ArticleFactory(title="Other cluster", primary_topic=sibling_of_elsewhere, publish_at=day(7))

    feed = read_feed(client, topic_feed_url("energy", kind))

    assert titles(feed) == ["Primary", "In subtopic", "Further", "Subtopic and further"]


def test_subtopic_feed_leaves_out_its_parents_own_articles(client):
    topic = TopicFactory()
    subtopic = TopicFactory(slug="gas", parent=topic)
    ArticleFactory(title="Parent's", primary_topic=topic)
    ArticleFactory(title="Subtopic's", primary_topic=subtopic)

    feed = read_feed(client, topic_feed_url("gas", RSS))

    assert titles(feed) == ["Subtopic's"]


@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_author_feed_lists_only_that_authors_articles(client, corpus, kind):
    feed = read_feed(client, author_feed_url("bob", kind))

    assert titles(feed) == [corpus.newest.title, corpus.bobs.title]


@pytest.mark.parametrize(
    "url",
    [
        topic_feed_url("no-such-topic", RSS),
        topic_feed_url("no-such-topic", ATOM),
        author_feed_url("no-such-author", RSS),
        author_feed_url("no-such-author", ATOM),
    ],
)
def test_feed_of_an_unknown_topic_or_author_is_404(client, corpus, url):
    assert client.get(url).status_code == 404


def test_feeds_of_an_empty_site_are_valid_and_empty(client):
    TopicFactory(slug="energy")
    AuthorFactory(slug="ann")
    for url in [
        *(site_feed_url(kind) for kind in (RSS, ATOM)),
        *(topic_feed_url("energy", kind) for kind in (RSS, ATOM)),
        *(author_feed_url("ann", kind) for kind in (RSS, ATOM)),
    ]:
        response = client.get(url)
        feed = feedparser.parse(response.content)
        assert response.status_code == 200, url
        assert not feed.bozo, url
        assert feed.entries == [], url


# --- dates -----------------------------------------------------------------------------------


def test_atom_updated_is_the_later_of_publish_time_and_update_time(client):
    topic = TopicFactory()
    revised = ArticleFactory(
        title="Revised later", primary_topic=topic, publish_at=day(1), updated_at=day(30)
    )
    stale_update = ArticleFactory(
        title="Update older than publishing",
        primary_topic=topic,
        publish_at=day(2),
        updated_at=day(-10),
    )
    never_updated = ArticleFactory(title="Never updated", primary_topic=topic, publish_at=day(3))

    feed = read_feed(client, site_feed_url(ATOM))

    updated = {entry.title: timestamp(entry.updated_parsed) for entry in feed.entries}
    published = {entry.title: timestamp(entry.published_parsed) for entry in feed.entries}
    assert updated == {
        revised.title: day(30).timestamp(),
        stale_update.title: day(2).timestamp(),
        never_updated.title: day(3).timestamp(),
    }
    assert published[revised.title] == day(1).timestamp()
    assert timestamp(feed.feed.updated_parsed) == day(30).timestamp()


def test_rss_pubdate_is_the_publish_time_even_after_an_update(client):
    ArticleFactory(title="Revised later", publish_at=day(1), updated_at=day(30))

    (entry,) = read_feed(client, site_feed_url(RSS)).entries

    assert timestamp(entry.published_parsed) == day(1).timestamp()


# --- alternate links in page heads --------------------------------------------------------


def head_feed_links(client, path: str) -> dict[str, list[str]]:
    """The feed links in the page's <head>: {type: [href, ...]}."""
    response = client.get(path)
    assert response.status_code == 200, path
    head = parse(response).one("head")
    found: dict[str, list[str]] = {}
    for link in head.select("link", rel="alternate"):
        found.setdefault(link.attrs["type"], []).append(link.attrs["href"])
    return found


def assert_feed_links_work(client, links: dict[str, list[str]]) -> None:
    for content_type, hrefs in links.items():
        for href in hrefs:
            response = client.get(href)
            assert response.status_code == 200, href
            assert response["Content-Type"].startswith(content_type), href


def test_home_page_head_advertises_the_site_feeds(client, corpus):
    links = head_feed_links(client, "/")

    assert links == {
        "application/rss+xml": ["/feeds/articles/"],
        "application/atom+xml": ["/feeds/articles/atom/"],
    }
    assert_feed_links_work(client, links)


def test_topic_page_head_advertises_site_and_topic_feeds(client, corpus):
    links = head_feed_links(client, "/topics/energy/")

    assert links == {
        "application/rss+xml": ["/feeds/articles/", "/topics/energy/feed/"],
        "application/atom+xml": ["/feeds/articles/atom/", "/topics/energy/feed/atom/"],
    }
    assert_feed_links_work(client, links)


def test_author_page_head_advertises_site_and_author_feeds(client, corpus):
    links = head_feed_links(client, "/authors/ann/")

    assert links == {
        "application/rss+xml": ["/feeds/articles/", "/authors/ann/feed/"],
        "application/atom+xml": ["/feeds/articles/atom/", "/authors/ann/feed/atom/"],
    }
    assert_feed_links_work(client, links)


def test_feed_link_titles_name_the_site_topic_or_author(client, corpus):
    site_name = read_feed(client, site_feed_url(RSS)).feed.title
    head = parse(client.get("/topics/energy/")).one("head")
    feed_titles = [link.attrs["title"] for link in head.select("link", rel="alternate")]

    assert feed_titles == [
        f"{site_name} (RSS)",
        f"{site_name} (Atom)",
        "Energy (RSS)",
        "Energy (Atom)",
    ]


# --- full content ----------------------------------------------------------------------------

FULL_BODY = """The opening paragraph.

::: insight
The callout's own words.
:::

[[quote:novak]]

Read [the live sibling](article:live-sibling) and [the unfinished sibling](article:draft-sibling).
"""


@pytest.fixture
def full_content(settings):
    settings.DOSSIER = {**settings.DOSSIER, "FEED_FULL_CONTENT": True}


@pytest.fixture
def rich_article():
    """A live article whose body has a callout, a placed quote, and links to a live and a
    draft sibling; the newest article on the site."""
    ArticleFactory(title="Live sibling", slug="live-sibling", publish_at=day(1))
    ArticleFactory(
        title="Draft sibling", slug="draft-sibling", status=Status.DRAFT, publish_at=None
    )
    article = ArticleFactory(title="Rich", slug="rich", body=FULL_BODY, publish_at=day(2))
    expert = ExpertFactory(name="Dr Vera Novak", slug="novak")
    ExpertQuoteFactory(article=article, expert=expert, key="novak", text="Words worth quoting.")
    return article


def rich_entry_content(client, kind: str) -> str:
    feed = read_feed(client, site_feed_url(kind))
    assert not feed.bozo
    entry = entry_titled(feed, "Rich")
    (content,) = entry.content
    return content.value


@pytest.mark.usefixtures("full_content")
@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_full_content_entry_carries_the_finished_body(client, rich_article, kind):
    html = rich_entry_content(client, kind)

    assert "The opening paragraph." in html
    assert '<p class="callout__label">Insight</p>' in html
    assert "The callout's own words." in html or "The callout’s own words." in html
    assert "Words worth quoting." in html
    assert "Dr Vera Novak" in html
    assert '<a href="http://testserver/articles/live-sibling/">the live sibling</a>' in html


@pytest.mark.usefixtures("full_content")
@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_full_content_link_to_a_draft_is_plain_text(client, rich_article, kind):
    html = rich_entry_content(client, kind)

    assert "the unfinished sibling" in html
    assert "draft-sibling" not in html
    assert not re.search(r"<a\b[^>]*>the unfinished sibling</a>", html)
    assert "data-article-ref" not in html
    assert "data-quote" not in html  # the placeholder was replaced by the quote


@pytest.mark.usefixtures("full_content")
@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_full_content_follows_a_sibling_going_live_or_leaving(client, rich_article, kind):
    Article.objects.filter(slug="draft-sibling").update(status=Status.PUBLISHED, publish_at=day(1))
    Article.objects.filter(slug="live-sibling").update(deleted_at=EXPIRED_AT)

    html = rich_entry_content(client, kind)

    assert '<a href="http://testserver/articles/draft-sibling/">the unfinished sibling</a>' in html
    assert "live-sibling" not in html


@pytest.mark.usefixtures("full_content")
def test_full_content_rss_declares_the_content_namespace(client, rich_article):
    raw = client.get(site_feed_url(RSS)).content.decode()

    assert 'xmlns:content="http://purl.org/rss/1.0/modules/content/"' in raw
    assert "<content:encoded>" in raw


@pytest.mark.usefixtures("full_content")
@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_full_content_keeps_the_standfirst_as_summary(client, rich_article, kind):
    entry = entry_titled(read_feed(client, site_feed_url(kind)), "Rich")

    assert entry.summary == rich_article.standfirst


@pytest.mark.usefixtures("full_content")
@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_every_link_in_full_content_is_absolute(client, rich_article, kind):
    html = rich_entry_content(client, kind)

    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs
    assert [href for href in hrefs if not href.startswith(("http://", "https://"))] == []


@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_without_full_content_entries_carry_no_content(client, rich_article, kind):
    response = client.get(site_feed_url(kind))
    feed = feedparser.parse(response.content)

    assert all("content" not in entry for entry in feed.entries)
    raw = response.content.decode()
    assert "content:encoded" not in raw
    assert "<content" not in raw
    assert "callout__label" not in raw


# --- query budget -------------------------------------------------------------------------


def populate(count: int) -> None:
    """`count` more live articles, each with a two-author byline, tags, a placed quote and
    links to a live and a draft article (the draft is not counted)."""
    topic = TopicFactory()
    ann, bob = AuthorFactory(), AuthorFactory()
    target = ArticleFactory(primary_topic=topic, publish_at=day(0))
    draft = ArticleFactory(primary_topic=topic, status=Status.DRAFT, publish_at=None)
    body = f"[[quote:q]]\n\nSee [this](article:{target.slug}) and [that](article:{draft.slug}).\n"
    for n in range(count - 1):
        article = ArticleFactory(
            primary_topic=topic,
            authors=[ann, bob],
            tags=["one", f"tag-{topic.pk}-{n}"],
            body=body,
            publish_at=day(n + 1),
        )
        ExpertQuoteFactory(article=article, key="q")


def count_site_feed_queries(client, kind: str = RSS) -> int:
    client.get(site_feed_url(kind))  # site settings are read from the cache from then on
    with CaptureQueriesContext(connection) as queries:
        response = client.get(site_feed_url(kind))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", [RSS, ATOM])
@pytest.mark.parametrize("full", [False, True], ids=["summary-only", "full-content"])
def test_site_feed_query_count_does_not_grow_with_articles(client, settings, kind, full):
    settings.DOSSIER = {**settings.DOSSIER, "FEED_FULL_CONTENT": full}
    populate(3)
    few = count_site_feed_queries(client, kind)
    populate(12)  # 15 in all
    many = count_site_feed_queries(client, kind)

    assert few == many
    assert many <= (FULL_CONTENT_FEED_QUERY_BUDGET if full else FEED_QUERY_BUDGET)


def test_site_feed_without_full_content_stays_within_budget(client, django_assert_max_num_queries):
    populate(15)

    with django_assert_max_num_queries(FEED_QUERY_BUDGET):
        client.get(site_feed_url(RSS))


@pytest.mark.parametrize(
    "url", [topic_feed_url("energy", RSS), author_feed_url("ann", ATOM)], ids=["topic", "author"]
)
def test_topic_and_author_feeds_query_count_does_not_grow_with_articles(client, corpus, url):
    client.get(url)  # site settings are read from the cache from then on
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        ArticleFactory(
            primary_topic=corpus.topic, authors=[corpus.ann], tags=[f"t{n}"], publish_at=day(9)
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(few) == len(many)


# --- an article without a byline (older data) ---------------------------------------------


def set_publisher(name: str, url: str = "") -> None:
    """The publisher in the site settings (a migration creates their one row)."""
    from core.models import SiteSettings

    SiteSettings.objects.update_or_create(
        pk=1, defaults={"site_name": "Dossier", "organisation_name": name, "organisation_url": url}
    )


@pytest.fixture
def publisher():
    set_publisher("Caspian Media Ltd", "https://caspian.example/")


@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_entry_of_a_live_article_without_byline_names_the_publisher(client, publisher, kind):
    # Written straight to the database, as older data: the workflow refuses to publish it.
    ArticleFactory(title="No byline", slug="no-byline")
    ArticleFactory(title="With byline", slug="with-byline", authors=[AuthorFactory(name="Ann")])

    feed = read_feed(client, site_feed_url(kind))

    assert not feed.bozo, feed.bozo_exception
    assert entry_titled(feed, "No byline").author == "Caspian Media Ltd"
    assert entry_titled(feed, "With byline").author == "Ann"


def test_atom_entry_without_byline_links_to_the_publisher(client, publisher):
    ArticleFactory(title="No byline", slug="no-byline")

    entry = entry_titled(read_feed(client, site_feed_url(ATOM)), "No byline")

    assert entry.author_detail.href == "https://caspian.example/"


@pytest.mark.parametrize("kind", [RSS, ATOM])
def test_without_a_publisher_name_the_site_name_stands_in(client, kind):
    set_publisher("")
    ArticleFactory(title="No byline", slug="no-byline")

    entry = entry_titled(read_feed(client, site_feed_url(kind)), "No byline")

    assert entry.author == "Dossier"
    if kind == ATOM:
        assert entry.author_detail.href == absolute("/")


# --- known gaps ------------------------------------------------------------------------------


def test_atom_entry_of_an_article_without_byline_still_has_an_author(client):
    ArticleFactory(title="No byline")

    raw = client.get(site_feed_url(ATOM)).content.decode()
    feed = feedparser.parse(raw)

    feed_has_author = bool(feed.feed.get("author"))
    assert feed_has_author or all(entry.get("author") for entry in feed.entries)


@pytest.mark.parametrize(
    ("factory", "url_for"),
    [(TopicFactory, topic_feed_url), (AuthorFactory, author_feed_url)],
    ids=["topic", "author"],
)
def test_feed_at_an_old_slug_redirects_to_the_current_feed(client, factory, url_for):
    obj = factory(slug="old-name")
    obj.slug = "new-name"
    obj.save()

    response = client.get(url_for("old-name", RSS))

    assert response.status_code == 301
    assert response["Location"] == url_for("new-name", RSS)
