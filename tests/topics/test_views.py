"""The topic directory and a topic's page: pillar, cluster membership, subtopics, pagination."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Status
from core.compiled import statement_sql
from pagecache import store
from tests.conftest import FROZEN_NOW
from tests.factories import FIXED_PUBLISH_AT, ArticleFactory, TopicFactory
from tests.html import card_titles, parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

PER_PAGE = settings.DOSSIER["ARTICLES_PER_PAGE"]


def day(n: int) -> datetime:
    return FIXED_PUBLISH_AT + timedelta(days=n)


def listed(response) -> list[str]:
    """Titles of the cards in the page's "Articles" section, in order."""
    assert response.status_code == 200
    section = parse(response).one("section", aria_labelledby="articles-heading")
    return card_titles(section)


def pillar_section(response):
    sections = parse(response).select("section", class_="pillar")
    return sections[0] if sections else None


@pytest.fixture
def topic():
    return TopicFactory(name="Russia–Iran", slug="russia-iran", description="First.\n\nSecond.")


def test_topic_page_shows_name_description_and_breadcrumbs(client, topic):
    page = parse(client.get("/topics/russia-iran/"))

    assert page.one("h1").text == "Russia–Iran"
    intro = page.one("div", class_="page-intro")
    assert [p.text for p in intro.select("p")] == ["First.", "Second."]
    crumbs = page.one("nav", class_="breadcrumbs")
    assert crumbs.links() == [("/", "Home")]
    assert crumbs.one(aria_current="page").text == "Russia–Iran"


def test_subtopic_page_breadcrumbs_include_the_parent(client, topic):
    TopicFactory(name="Arms trade", slug="arms-trade", parent=topic)

    crumbs = parse(client.get("/topics/arms-trade/")).one("nav", class_="breadcrumbs")

    assert crumbs.links() == [("/", "Home"), ("/topics/russia-iran/", "Russia–Iran")]
    assert crumbs.one(aria_current="page").text == "Arms trade"


def test_pillar_leads_page_one_labelled_start_here_and_is_not_repeated(client, topic):
    topic.pillar_article = ArticleFactory(
        title="The pillar", primary_topic=topic, publish_at=day(9)
    )
    topic.save()
    ArticleFactory(title="Other", primary_topic=topic, publish_at=day(1))

    response = client.get("/topics/russia-iran/")

    pillar = pillar_section(response)
    # "Start here" names the section; the pillar's title is its heading.
    assert pillar.one("p", class_="section-heading").text == "Start here"
    assert pillar.one(id=pillar.attrs["aria-labelledby"]).text == "Start here"
    assert [a.text for a in pillar.select("h2")] == ["The pillar"]
    assert listed(response) == ["Other"]
    assert response.content.decode().count("The pillar") == 1


def test_pillar_is_shown_on_page_one_only(client, topic):
    topic.pillar_article = ArticleFactory(title="The pillar", primary_topic=topic)
    topic.save()
    for n in range(PER_PAGE + 1):
        ArticleFactory(title=f"Piece {n}", primary_topic=topic, publish_at=day(n))

    first = client.get("/topics/russia-iran/")
    second = client.get("/topics/russia-iran/?page=2")

    assert pillar_section(first) is not None
    assert pillar_section(second) is None
    assert "The pillar" not in second.content.decode()
    assert len(listed(first)) == PER_PAGE
    assert listed(second) == ["Piece 0"]


def test_pillar_from_another_topic_still_leads(client, topic):
    elsewhere = ArticleFactory(title="Borrowed pillar", primary_topic=TopicFactory())
    topic.pillar_article = elsewhere
    topic.save()

    response = client.get("/topics/russia-iran/")

    assert [a.text for a in pillar_section(response).select("h2")] == ["Borrowed pillar"]
    assert listed(response) == []


@pytest.mark.parametrize(
    "state",
    [
        {"status": Status.DRAFT},
        {"publish_at": datetime(2026, 7, 1, tzinfo=UTC)},
        {"expire_at": datetime(2026, 5, 1, tzinfo=UTC)},
    ],
    ids=["draft", "scheduled", "expired"],
)
def test_pillar_that_is_not_live_is_not_shown(client, topic, state):
    topic.pillar_article = ArticleFactory(title="Hidden pillar", primary_topic=topic, **state)
    topic.save()
    ArticleFactory(title="Visible", primary_topic=topic)

    response = client.get("/topics/russia-iran/")

    assert pillar_section(response) is None
    assert "Hidden pillar" not in response.content.decode()
    assert listed(response) == ["Visible"]


def test_topic_page_lists_its_whole_cluster_newest_first(client, topic):
    sub = TopicFactory(name="Arms trade", slug="arms-trade", parent=topic)
    other = TopicFactory(name="Energy", slug="energy")
    ArticleFactory(title="Primary here", primary_topic=topic, publish_at=day(1))
    ArticleFactory(title="In a subtopic", primary_topic=sub, publish_at=day(2))
    ArticleFactory(title="Further topic", primary_topic=other, topics=[topic], publish_at=day(3))
    ArticleFactory(title="Both ways", primary_topic=sub, topics=[topic, other], publish_at=day(4))
    ArticleFactory(title="Elsewhere", primary_topic=other, publish_at=day(5))

    assert listed(client.get("/topics/russia-iran/")) == [
        "Both ways",
        "Further topic",
        "In a subtopic",
        "Primary here",
    ]


def test_subtopic_page_does_not_list_the_parents_own_articles(client, topic):
    sub = TopicFactory(name="Arms trade", slug="arms-trade", parent=topic)
    ArticleFactory(title="Parent article", primary_topic=topic)
    ArticleFactory(title="Sub article", primary_topic=sub)

    assert listed(client.get("/topics/arms-trade/")) == ["Sub article"]


def test_topic_page_lists_live_articles_only(client, topic):
    ArticleFactory(title="Live", primary_topic=topic)
    ArticleFactory(title="Draft", primary_topic=topic, status=Status.DRAFT)
    ArticleFactory(
        title="Scheduled", primary_topic=topic, publish_at=datetime(2026, 7, 1, tzinfo=UTC)
    )
    ArticleFactory(title="Expired", primary_topic=topic, expire_at=datetime(2026, 5, 1, tzinfo=UTC))
    ArticleFactory(title="Archived", primary_topic=topic, status=Status.ARCHIVED)

    assert listed(client.get("/topics/russia-iran/")) == ["Live"]


def test_topic_page_lists_its_subtopics(client, topic):
    TopicFactory(name="Arms trade", slug="arms-trade", parent=topic)
    TopicFactory(name="Energy deals", slug="energy-deals", parent=topic)
    TopicFactory(name="Unrelated", slug="unrelated")

    nav = parse(client.get("/topics/russia-iran/")).one("nav", class_="subtopics")

    assert nav.links() == [
        ("/topics/arms-trade/", "Arms trade"),
        ("/topics/energy-deals/", "Energy deals"),
    ]


def test_a_renamed_or_moved_subtopic_shows_on_the_topic_page_at_once(client, topic, commit):
    arms = TopicFactory(name="Arms trade", slug="arms-trade", parent=topic)
    client.get("/topics/russia-iran/")  # the lists of topics are now kept (topics/tree.py)

    arms.name = "Arms and drones"
    commit(arms.save)
    renamed = parse(client.get("/topics/russia-iran/")).one("nav", class_="subtopics").links()
    arms.parent = TopicFactory(slug="elsewhere")
    commit(arms.save)

    assert renamed == [("/topics/arms-trade/", "Arms and drones")]
    assert not parse(client.get("/topics/russia-iran/")).select("nav", class_="subtopics")


def test_topic_without_subtopics_shows_no_subtopic_list(client, topic):
    assert not parse(client.get("/topics/russia-iran/")).select("nav", class_="subtopics")


def test_empty_topic_says_so(client, topic):
    response = client.get("/topics/russia-iran/")

    assert listed(response) == []
    assert "No further articles in this topic yet." in response.content.decode()


def test_topic_page_paginates(client, topic):
    for n in range(PER_PAGE + 1):
        ArticleFactory(title=f"Piece {n:02}", primary_topic=topic, publish_at=day(n))

    first = client.get("/topics/russia-iran/")
    second = client.get("/topics/russia-iran/?page=2")

    assert listed(first) == [f"Piece {n:02}" for n in range(PER_PAGE, 0, -1)]
    assert listed(second) == ["Piece 00"]
    first_nav = parse(first).one("nav", class_="pagination")
    assert "Page 1 of 2" in first_nav.text
    assert first_nav.links() == [("?page=2", "Older →")]
    second_nav = parse(second).one("nav", class_="pagination")
    assert "Page 2 of 2" in second_nav.text
    assert second_nav.links() == [("?page=1", "← Newer")]
    assert "(page 2)" in parse(second).one("title").text
    assert client.get("/topics/russia-iran/?page=3").status_code == 404


def test_the_last_page_and_pages_past_it(client, topic):
    for n in range(PER_PAGE + 1):
        ArticleFactory(title=f"Piece {n:02}", primary_topic=topic, publish_at=day(n))

    assert listed(client.get("/topics/russia-iran/?page=last")) == ["Piece 00"]
    for page in ("3", "0", "-1", "two", "99999999999999999999999"):
        assert client.get(f"/topics/russia-iran/?page={page}").status_code == 404, page


def test_a_page_and_the_clusters_size_are_read_in_one_statement(client, topic):
    sub = TopicFactory(parent=topic)
    for n in range(PER_PAGE + 3):
        ArticleFactory(primary_topic=sub if n % 2 else topic, publish_at=day(n))
    client.get("/topics/russia-iran/")  # cards kept, lists of topics kept

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/topics/russia-iran/?page=2")

    statements = [statement_sql(query["sql"]) for query in queries]
    cluster_reads = [sql for sql in statements if "articles_topicmembership" in sql]
    assert len(cluster_reads) == 1
    assert response.context["paginator"].count == PER_PAGE + 3
    assert len(listed(response)) == 3


def test_one_page_of_articles_shows_no_pagination(client, topic):
    for n in range(PER_PAGE):
        ArticleFactory(primary_topic=topic, publish_at=day(n))

    assert not parse(client.get("/topics/russia-iran/")).select("nav", class_="pagination")


def test_topic_list_shows_main_topics_with_their_subtopics(client, topic):
    TopicFactory(name="Arms trade", slug="arms-trade", parent=topic)
    TopicFactory(name="Energy", slug="energy", description="Oil and gas.")

    response = client.get("/topics/")

    assert response.status_code == 200
    directory = parse(response).one("ul", class_="topic-directory")
    assert [h2.text for h2 in directory.select("h2")] == ["Energy", "Russia–Iran"]
    assert directory.links() == [
        ("/topics/energy/", "Energy"),
        ("/topics/russia-iran/", "Russia–Iran"),
        ("/topics/arms-trade/", "Arms trade"),
    ]
    assert "Oil and gas." in directory.text


def test_topic_list_of_an_empty_site(client):
    response = client.get("/topics/")

    assert response.status_code == 200
    assert "No topics yet." in response.content.decode()


# --- the cluster's size, kept -----------------------------------------------------------------


def cluster_statements(queries) -> list[str]:
    statements = [statement_sql(query["sql"]) for query in queries]
    return [sql for sql in statements if "articles_topicmembership" in sql]


def test_the_clusters_size_is_counted_with_a_page_then_kept(client, topic):
    for n in range(PER_PAGE + 3):
        ArticleFactory(primary_topic=topic, publish_at=day(n))

    with CaptureQueriesContext(connection) as first:
        client.get("/topics/russia-iran/")
    with CaptureQueriesContext(connection) as again:
        response = client.get("/topics/russia-iran/?page=2")

    [counted] = cluster_statements(first)
    [kept] = cluster_statements(again)
    assert "COUNT(" in counted and "COUNT(" not in kept  # the rows alone: no walk of it all
    assert response.context["paginator"].count == PER_PAGE + 3
    assert len(listed(response)) == 3


def test_an_article_joining_the_cluster_is_counted_on_the_next_page(client, topic, commit):
    sub = TopicFactory(parent=topic, slug="arms-trade")
    ArticleFactory(primary_topic=topic, publish_at=day(0))
    assert client.get("/topics/russia-iran/").context["paginator"].count == 1

    commit(ArticleFactory, primary_topic=sub, publish_at=day(1))  # through its subtopic

    assert client.get("/topics/russia-iran/").context["paginator"].count == 2


def test_an_article_going_live_by_the_clock_is_counted_from_that_moment(client, topic):
    ArticleFactory(primary_topic=topic, publish_at=day(0))
    ArticleFactory(primary_topic=topic, publish_at=FROZEN_NOW + timedelta(minutes=5))
    assert client.get("/topics/russia-iran/").context["paginator"].count == 1

    with time_machine.travel(FROZEN_NOW + timedelta(minutes=5), tick=False):
        assert client.get("/topics/russia-iran/").context["paginator"].count == 2


def test_a_subtopic_moved_to_another_topic_takes_its_articles_size_along(client, topic, commit):
    other = TopicFactory(name="Arctic", slug="arctic")
    sub = TopicFactory(parent=topic, slug="arms-trade")
    ArticleFactory(primary_topic=sub, publish_at=day(0))
    assert client.get("/topics/russia-iran/").context["paginator"].count == 1
    assert client.get("/topics/arctic/").context["paginator"].count == 0

    sub.parent = other
    commit(sub.save)

    assert client.get("/topics/russia-iran/").context["paginator"].count == 0
    assert client.get("/topics/arctic/").context["paginator"].count == 1


def test_a_page_checks_its_kept_size_in_its_one_read_of_versions(client, topic, monkeypatch):
    for n in range(PER_PAGE + 3):
        ArticleFactory(primary_topic=topic, publish_at=day(n))
    client.get("/topics/russia-iran/?page=2")  # size, cards and lists of topics kept
    reads = []
    versions = store.versions
    monkeypatch.setattr(store, "versions", lambda tags: reads.append(set(tags)) or versions(tags))

    response = client.get("/topics/russia-iran/?page=2")

    assert response.context["paginator"].count == PER_PAGE + 3
    [read] = reads
    assert f"list:articles:topic:{topic.pk}" in read and "list:topics" in read


def test_the_last_page_asked_first_keeps_the_size_for_the_next(client, topic):
    for n in range(PER_PAGE + 3):
        ArticleFactory(primary_topic=topic, publish_at=day(n))
    client.get("/topics/russia-iran/?page=last")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/topics/russia-iran/")

    [rows] = cluster_statements(queries)
    assert "COUNT(" not in rows
    assert response.context["paginator"].count == PER_PAGE + 3
