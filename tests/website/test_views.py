"""The home page: its lead story, the latest articles and the topics.

Its query budget is proved in tests/test_query_budgets.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from articles.models import Article, Status
from pagecache import store, tag_for
from pages import menus
from pages.menus import MENUS_TAG
from pages.models import MenuItem
from tests.factories import FIXED_PUBLISH_AT, ArticleFactory, TopicFactory, menu_link
from tests.html import card_titles, parse
from website.views import featured_card_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def day(n: int) -> datetime:
    """FIXED_PUBLISH_AT plus n days: a later day is a newer article."""
    return FIXED_PUBLISH_AT + timedelta(days=n)


def test_home_leads_with_the_newest_live_featured_article(client):
    ArticleFactory(title="Old featured", featured=True, publish_at=day(1))
    ArticleFactory(title="New featured", featured=True, publish_at=day(2))
    ArticleFactory(title="Newest, not featured", publish_at=day(3))
    ArticleFactory(title="Featured draft", featured=True, status=Status.DRAFT, publish_at=day(4))
    ArticleFactory(
        title="Featured, scheduled", featured=True, publish_at=datetime(2026, 7, 1, tzinfo=UTC)
    )
    ArticleFactory(
        title="Featured, expired",
        featured=True,
        publish_at=day(5),
        expire_at=datetime(2026, 5, 1, tzinfo=UTC),
    )

    page = parse(client.get("/"))

    lead = page.one("section", class_="home-lead")
    assert card_titles(lead) == ["New featured"]
    assert lead.one("article").classes == {"card", "card--lead"}
    assert lead.one("h2").text == "New featured"


def test_home_lead_falls_back_to_the_newest_live_article(client):
    ArticleFactory(title="Older", publish_at=day(1))
    ArticleFactory(title="Newest", publish_at=day(2))
    ArticleFactory(title="Featured draft", featured=True, status=Status.DRAFT)

    lead = parse(client.get("/")).one("section", class_="home-lead")

    assert card_titles(lead) == ["Newest"]


def test_home_latest_list_excludes_the_lead_newest_first(client):
    ArticleFactory(title="First", publish_at=day(1))
    ArticleFactory(title="Lead", featured=True, publish_at=day(2))
    ArticleFactory(title="Third", publish_at=day(3))

    latest = parse(client.get("/")).one("section", class_="home-latest")

    assert card_titles(latest) == ["Third", "First"]


def test_home_latest_list_shows_nine_articles(client):
    for n in range(12):
        ArticleFactory(title=f"Piece {n}", publish_at=day(n))

    latest = parse(client.get("/")).one("section", class_="home-latest")

    assert card_titles(latest) == [f"Piece {n}" for n in range(10, 1, -1)]


def test_home_lists_main_topics_with_their_subtopics(client):
    main = TopicFactory(name="Russia–Iran", slug="russia-iran")
    TopicFactory(name="Arms trade", slug="arms-trade", parent=main)
    TopicFactory(name="Energy", slug="energy")
    ArticleFactory(primary_topic=main)

    topics = parse(client.get("/")).one("aside", class_="home-topics")

    assert topics.links() == [
        ("/topics/energy/", "Energy"),
        ("/topics/russia-iran/", "Russia–Iran"),
        ("/topics/arms-trade/", "Arms trade"),
    ]
    nested = topics.select("ul")[1]
    assert nested.links() == [("/topics/arms-trade/", "Arms trade")]


def test_home_of_an_empty_site_renders(client):
    response = client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "No articles have been published yet." in content
    assert "No topics yet." in content
    assert not parse(content).select("section", class_="home-lead")


def test_home_with_only_drafts_shows_no_articles(client):
    ArticleFactory(title="Only a draft", status=Status.DRAFT)

    content = client.get("/").content.decode()

    assert "No articles have been published yet." in content
    assert "Only a draft" not in content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index plans are PostgreSQL's")
def test_the_lead_is_found_by_walking_the_featured_index_backwards():
    for n in range(3):
        ArticleFactory(featured=True, publish_at=day(n + 1))
    sql, params = featured_card_row.build(now=day(9)).query.sql_with_params()

    with transaction.atomic(), connection.cursor() as cursor:
        # Tiny tables are read whole whatever the indexes: plan as at any real size.
        for method in ("seqscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Scan Backward using article_live_featured_idx on articles_article" in plan, plan
    assert "Sort" not in plan, plan


# --- one read of versions per home page --------------------------------------------------


@pytest.fixture
def version_reads(monkeypatch):
    """The keys of each read of versions from the cache (a get_many), in order, and any other
    cache read (a get)."""
    reads: dict[str, list] = {"get_many": [], "get": []}
    real_get_many, real_get = cache.get_many, cache.get
    monkeypatch.setattr(
        cache,
        "get_many",
        lambda keys, *a, **kw: reads["get_many"].append(set(keys)) or real_get_many(keys),
    )
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **kw: reads["get"].append(key) or real_get(key, *a, **kw)
    )
    return reads


@pytest.fixture
def home_with_menus(client, settings):
    settings.DOSSIER = {**settings.DOSSIER, "PAGE_PARTS": True}
    for n in range(3):
        ArticleFactory(title=f"Article {n}", publish_at=day(n))
    link = menu_link("footer", url="https://example.org/masthead/", label="Masthead")
    client.get("/")  # renders and keeps the cards and the menus
    return link


def test_home_checks_its_cards_and_the_menus_with_one_read_of_versions(
    client, home_with_menus, version_reads, monkeypatch
):
    monkeypatch.setattr(menus, "read_menus", lambda: pytest.fail("the menus were read again"))

    page = client.get("/").content.decode()

    assert "Masthead" in page and "Article 2" in page
    [read] = version_reads["get_many"]
    assert store.VERSION_PREFIX + MENUS_TAG in read  # the menus' tags, with the cards'
    assert store.VERSION_PREFIX + tag_for(Article.objects.first()) in read
    assert store.CLOCK_KEY not in version_reads["get"]  # nothing rendered: no counter read


def test_a_menu_changed_elsewhere_shows_on_the_next_home_page(client, home_with_menus):
    # As another host's edit: no signal here forgets this process's copy; its tag moves on.
    MenuItem.objects.filter(pk=home_with_menus.pk).update(label="Our people")
    assert "Masthead" in client.get("/").content.decode()  # kept, not read each time

    store.bump({MENUS_TAG})

    page = client.get("/").content.decode()
    assert "Our people" in page and "Masthead" not in page
