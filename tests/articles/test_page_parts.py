"""A published article's page is put together from parts rendered once and kept with it
(articles/page_parts.py): the same page as rendered afresh, stale on exactly the changes that
refresh cached pages, never kept for previews."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pagecache
from articles import page_parts, workflow
from articles.models import Article, KeptCard, PageParts, Status
from core.compiled import statement_sql
from core.models import SiteSettings
from pagecache import snapshots, store
from pagecache.backend import CACHE_UNREACHABLE
from pages.menus import MENUS_TAG
from tests.conftest import FROZEN_NOW
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    RelatedLinkFactory,
    TopicFactory,
    superuser,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def parts_on(settings):
    settings.DOSSIER = {**settings.DOSSIER, "PAGE_PARTS": True}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rich():
    """An article showing everything a page can: byline of two, tags, further topics, placed
    quotes, body links (one to an article not live), curated and suggested reading."""
    main = TopicFactory(name="Iran", slug="iran")
    topic = TopicFactory(name="Sanctions", slug="sanctions", parent=main)
    linked = ArticleFactory(title="Grain routes", slug="grain", primary_topic=topic,
                            publish_at=FROZEN_NOW - 5 * DAY)  # fmt: skip
    ArticleFactory(title="Unseen", slug="unseen", primary_topic=topic, status=Status.DRAFT)
    sibling = ArticleFactory(title="Ports", slug="ports", primary_topic=topic, tags=["shipping"],
                             publish_at=FROZEN_NOW - 4 * DAY)  # fmt: skip
    curated = ArticleFactory(title="Oil", slug="oil", primary_topic=TopicFactory(name="Energy"),
                             publish_at=FROZEN_NOW - 3 * DAY)  # fmt: skip
    article = ArticleFactory(
        title="Drones & <routes>",
        slug="drones",
        primary_topic=topic,
        topics=[TopicFactory(name="Arms")],
        authors=[AuthorFactory(name="Sara Ahmadi"), AuthorFactory(name="Tomas Berg")],
        tags=["shipping", "arms"],
        standfirst="How the routes changed.",
        body="## First\n\n[[quote:q]]\n\nSee [grain](article:grain) and [unseen](article:unseen).",
        publish_at=FROZEN_NOW - DAY,
    )
    ExpertQuoteFactory(article=article, expert=ExpertFactory(name="Leila Karimi"), key="q",
                       text="They adapted.")  # fmt: skip
    RelatedLinkFactory(from_article=article, to_article=curated, lead_in="Background:")
    return {"article": article, "linked": linked, "sibling": sibling, "curated": curated}


def page(client, article: Article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def comparable(html: str) -> str:
    # The comment form carries a fresh signed timestamp on every request.
    return re.sub(r'name="(started|timestamp)" value="[^"]*"', "", html)


# --- the same page ------------------------------------------------------------------------


def test_a_page_from_kept_parts_is_the_page_rendered_afresh(client, rich, settings):
    article = rich["article"]
    settings.DOSSIER = {**settings.DOSSIER, "PAGE_PARTS": False}
    afresh = page(client, article)
    assert not PageParts.objects.exists()

    settings.DOSSIER = {**settings.DOSSIER, "PAGE_PARTS": True}
    first = page(client, article)  # renders the parts and keeps them
    assert PageParts.objects.filter(article=article).exists()
    kept = page(client, article)  # from the kept parts

    assert comparable(first) == comparable(afresh)
    assert comparable(kept) == comparable(afresh)
    shown = ["Sara Ahmadi", "Tomas Berg", "Leila Karimi", "They adapted.", "Background:", "Oil",
             "Ports", "/articles/grain/", "Drones &amp; &lt;routes&gt;", "shipping"]  # fmt: skip
    assert all(text in kept for text in shown)
    assert "/articles/unseen/" not in kept


def test_a_page_with_kept_parts_reads_the_article_its_parts_and_its_comments_only(client, rich):
    url = rich["article"].get_absolute_url()
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    sql = " ".join(statement_sql(query["sql"]) for query in queries)
    assert len(queries) == 2, [query["sql"][:80] for query in queries]
    assert "articles_pageparts" in sql and "comments_comment" in sql
    for table in ("articles_byline", "taggit_tag", "articles_expertquote", "articles_relatedlink"):
        assert table not in sql


def test_a_page_with_kept_parts_checks_them_and_the_menus_with_one_read(client, rich, monkeypatch):
    url = rich["article"].get_absolute_url()
    client.get(url)
    reads = []
    real = store.versions
    monkeypatch.setattr(store, "versions", lambda tags: reads.append(set(tags)) or real(tags))

    assert client.get(url).status_code == 200

    [read] = reads
    assert MENUS_TAG in read and pagecache.tag_for(rich["article"]) in read


def test_previews_keep_no_parts(client, rich):
    draft = ArticleFactory(status=Status.DRAFT, primary_topic=rich["article"].primary_topic)
    client.force_login(superuser())

    assert client.get(draft.get_absolute_url()).status_code == 200
    assert not PageParts.objects.filter(article=draft).exists()


def test_staff_reading_a_published_article_get_the_page_from_its_parts(client, rich):
    client.force_login(superuser())
    html = page(client, rich["article"])

    assert PageParts.objects.filter(article=rich["article"]).exists()
    assert "Preview" not in html and "noindex" not in html


# --- stale on exactly the changes that refresh cached pages ----------------------------------


def rename_author(rich):
    author = rich["article"].authors.first()
    author.name = "Sara Ahmadi-Berg"
    author.save()
    return "Sara Ahmadi-Berg"


def rename_expert(rich):
    expert = rich["article"].quotes.get().expert
    expert.name = "Leila K. Karimi"
    expert.save()
    return "Leila K. Karimi"


def rename_curated(rich):
    rich["curated"].title = "Oil, revised"
    rich["curated"].save()
    return "Oil, revised"


def rename_topic(rich):
    topic = rich["article"].primary_topic
    topic.name = "Sanctions policy"
    topic.save()
    return "Sanctions policy"


def edit_article(rich):
    article = rich["article"]
    article.standfirst = "A new standfirst."
    article.save()
    return "A new standfirst."


def rename_site(rich):
    site = SiteSettings.current()
    site.site_name = "Caspian Desk"
    site.save()
    return '<meta property="og:site_name" content="Caspian Desk">'  # in the kept head


@pytest.mark.parametrize(
    "change",
    [rename_author, rename_expert, rename_curated, rename_topic, edit_article, rename_site],
    ids=lambda f: f.__name__,
)
def test_a_change_to_what_the_parts_show_renders_them_again(client, rich, commit, change):
    page(client, rich["article"])
    shown = commit(change, rich)

    assert shown in page(client, Article.objects.get(pk=rich["article"].pk))
    assert PageParts.objects.get(article=rich["article"]).shows  # kept again


def test_a_linked_article_taken_down_is_no_longer_linked(client, rich, commit):
    page(client, rich["article"])

    commit(lambda: workflow.transition(article=rich["linked"], name="unpublish", by=superuser()))

    html = page(client, rich["article"])
    assert "/articles/grain/" not in html and "grain" in html  # its text stays


def test_a_change_elsewhere_leaves_the_parts_as_they_are(client, rich, commit):
    # Made first: a new topic changes the site footer's topic list (a query, not the parts).
    other = ArticleFactory(primary_topic=TopicFactory(name="Arctic"))
    page(client, rich["article"])
    before = PageParts.objects.get(article=rich["article"])

    commit(lambda: setattr(other, "title", "Ice") or other.save())

    with CaptureQueriesContext(connection) as queries:
        page(client, rich["article"])
    assert len(queries) == 2  # still from the kept parts
    assert PageParts.objects.get(article=rich["article"]).rendered_at == before.rendered_at


def test_parts_end_at_the_next_scheduled_change(client, rich, clock):
    rich["linked"].publish_at = FROZEN_NOW + DAY  # scheduled: not linked yet
    Article.objects.filter(pk=rich["linked"].pk).update(publish_at=FROZEN_NOW + DAY)
    store.cache.clear()  # the next scheduled change is found afresh

    assert "/articles/grain/" not in page(client, rich["article"])
    assert PageParts.objects.get(article=rich["article"]).valid_until == FROZEN_NOW + DAY

    clock.move_to(FROZEN_NOW + DAY + timedelta(seconds=1))
    assert "/articles/grain/" in page(client, rich["article"])


def test_suggested_reading_is_chosen_again_after_max_age(client, rich, clock):
    page(client, rich["article"])
    newcomer = ArticleFactory(title="Fresh sanctions analysis", slug="fresh",
                              primary_topic=rich["article"].primary_topic, tags=["shipping"],
                              publish_at=FROZEN_NOW - timedelta(minutes=1))  # fmt: skip

    # Suggestions are chosen when the parts are rendered, not on every publication.
    assert newcomer.title not in page(client, rich["article"])

    clock.move_to(FROZEN_NOW + page_parts.MAX_AGE + timedelta(seconds=1))
    assert newcomer.title in page(client, rich["article"])


# --- kept only when they are right ---------------------------------------------------------


def test_parts_rendered_while_something_they_show_changed_are_not_kept(rf, rich, commit):
    article = rich["article"]
    started = snapshots.started()
    commit(lambda: store.invalidate(article))  # a change commits while rendering

    context = {"article": article, "bylines": [], "curated_links": [], "suggested_articles": [],
               "body": "", "is_preview": False}  # fmt: skip
    request = rf.get(article.get_absolute_url())
    parts = page_parts.render_parts(
        request, context, shows={f"articles.article:{article.pk}"}, started=started
    )

    assert parts.head  # shown to this reader all the same
    assert not PageParts.objects.exists()


def test_parts_rendered_for_another_address_are_rendered_again(client, rich, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    page(client, rich["article"])

    html = client.get(rich["article"].get_absolute_url(), HTTP_HOST="mirror.example")

    assert "http://mirror.example/articles/drones/" in html.content.decode()
    assert PageParts.objects.get(article=rich["article"]).origin == "http://mirror.example"


def test_with_the_cache_unreachable_the_page_is_rendered_afresh(client, rich, monkeypatch):
    page(client, rich["article"])

    def unreachable(*args, **kwargs):
        raise CACHE_UNREACHABLE[0]("Redis is down")

    monkeypatch.setattr(store, "versions", unreachable)
    monkeypatch.setattr(store, "current_version", unreachable)

    assert "Sara Ahmadi" in page(client, rich["article"])


# --- cards ----------------------------------------------------------------------------------


def list_pages(rich) -> list[str]:
    article = rich["article"]
    return [
        "/",
        article.primary_topic.get_absolute_url(),
        article.primary_topic.parent.get_absolute_url(),
        article.authors.first().get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "shipping"}),
    ]


def test_lists_from_kept_cards_are_the_lists_rendered_afresh(client, rich, settings):
    settings.DOSSIER = {**settings.DOSSIER, "PAGE_PARTS": False}
    afresh = [client.get(url).content for url in list_pages(rich)]
    assert not KeptCard.objects.exists()

    settings.DOSSIER = {**settings.DOSSIER, "PAGE_PARTS": True}
    first = [client.get(url).content for url in list_pages(rich)]
    assert KeptCard.objects.filter(article=rich["article"]).exists()
    kept = [client.get(url).content for url in list_pages(rich)]

    assert first == afresh
    assert kept == afresh


def test_a_list_of_kept_cards_reads_no_article_nor_byline(client, rich):
    # The tag page lists cards only (no lead, no pillar): from kept cards it reads each
    # listed article's id and card, and nothing a card shows.
    page = reverse("articles:tag", kwargs={"slug": "shipping"})
    client.get(page)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200

    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "articles_keptcard" in sql
    assert "articles_byline" not in sql
    assert '"articles_article"."standfirst"' not in sql


@pytest.mark.parametrize(
    "change", [rename_author, rename_topic, edit_article], ids=lambda f: f.__name__
)
def test_a_change_to_what_a_card_shows_is_on_the_list_at_once(client, rich, commit, change):
    topic_page = rich["article"].primary_topic.get_absolute_url()
    client.get(topic_page)
    before = KeptCard.objects.get(article=rich["article"]).rendered_at

    shown = commit(change, rich)

    assert shown in client.get(topic_page).content.decode()
    assert KeptCard.objects.get(article=rich["article"]).rendered_at >= before


def test_a_change_elsewhere_leaves_the_kept_cards_as_they_are(client, rich, commit):
    client.get("/")
    kept = {card.pk: card.html for card in KeptCard.objects.all()}
    other = ArticleFactory(
        primary_topic=TopicFactory(name="Arctic"), publish_at=FROZEN_NOW - 9 * DAY
    )

    commit(lambda: setattr(other, "title", "Ice") or other.save())

    page = client.get("/").content.decode()
    assert "Ice" in page  # its card is rendered (it is new on the page)
    assert all(KeptCard.objects.get(pk=pk).html == html for pk, html in kept.items())


def test_a_list_of_current_cards_never_reads_the_counter(client, rich, monkeypatch):
    for url in list_pages(rich):
        client.get(url)
    read = []
    counter = store.current_version
    monkeypatch.setattr(store, "current_version", lambda: read.append(1) or counter())

    for url in list_pages(rich):
        assert client.get(url).status_code == 200

    assert read == []


def test_cards_rendered_while_something_they_show_changed_are_not_kept(
    client, rich, commit, monkeypatch
):
    article = rich["article"]
    counter = store.current_version

    def change_commits_meanwhile():
        started = counter()  # the counter is read, then a change commits before the card is
        commit(lambda: store.invalidate(article))  # read and rendered
        return started

    monkeypatch.setattr(store, "current_version", change_commits_meanwhile)

    page = client.get("/").content.decode()

    assert article.get_absolute_url() in page  # its card is shown to this reader all the same
    assert not KeptCard.objects.filter(article=article).exists()


def test_with_the_cache_unreachable_lists_render_their_cards(client, rich, monkeypatch):
    client.get("/")

    def unreachable(*args, **kwargs):
        raise CACHE_UNREACHABLE[0]("Redis is down")

    monkeypatch.setattr(store, "versions", unreachable)
    monkeypatch.setattr(store, "current_version", unreachable)

    assert "Sara Ahmadi" in client.get("/").content.decode()
