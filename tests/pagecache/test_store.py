"""The page cache serves anonymous readers stored pages and refreshes exactly the pages a change
touches, on commit; scheduled changes end every stored page on time."""

from __future__ import annotations

import gzip
import os
from datetime import timedelta

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import workflow
from articles.models import Status
from comments import services as comment_services
from comments.models import CommentStatus
from core.models import SiteSettings
from pagecache import purgers, store
from pagecache.backend import RedisCache
from tests.conftest import FROZEN_NOW
from tests.factories import (
    EDITORS,
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    TopicFactory,
    UserFactory,
    article_in,
    role_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def site():
    """Two clusters that share nothing, so a change in one must leave the other cached."""
    day = timedelta(days=1)
    iran = TopicFactory(name="Iran", slug="iran")
    arctic = TopicFactory(name="Arctic", slug="arctic")
    sara, tomas = AuthorFactory(name="Sara", slug="sara"), AuthorFactory(name="Tomas", slug="tomas")
    expert = ExpertFactory(name="Leila", slug="leila")
    first = ArticleFactory(title="Drones", slug="drones", primary_topic=iran, authors=[sara],
                           tags=["arms"], publish_at=FROZEN_NOW - 3 * day)  # fmt: skip
    second = ArticleFactory(title="Oil", slug="oil", primary_topic=iran, authors=[sara],
                            tags=["arms"], publish_at=FROZEN_NOW - 2 * day)  # fmt: skip
    ExpertQuoteFactory(article=first, expert=expert, key="q", text="Words.")
    ice = ArticleFactory(title="Ice routes", slug="ice", primary_topic=arctic, authors=[tomas],
                         tags=["shipping"], publish_at=FROZEN_NOW - day)  # fmt: skip
    return {"iran": iran, "arctic": arctic, "sara": sara, "tomas": tomas, "expert": expert,
            "first": first, "second": second, "ice": ice}  # fmt: skip


def get(url: str, client: Client | None = None, **headers):
    return (client or Client()).get(url, **headers)


def state(url: str) -> str:
    return get(url).get("X-Page-Cache", "uncached")


def warm(*urls: str) -> None:
    for url in urls:
        assert get(url).status_code == 200
        assert state(url) == "hit", url


# --- serving -----------------------------------------------------------------------------


def test_a_second_anonymous_request_is_served_from_the_cache_without_queries(site):
    url = site["first"].get_absolute_url()
    assert get(url)["X-Page-Cache"] == "miss"

    with CaptureQueriesContext(connection) as queries:
        response = get(url)

    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert "Drones" in response.content.decode()


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="with local memory the counter is read every time"
)
def test_a_hit_on_a_page_this_process_holds_asks_redis_for_nothing(site, monkeypatch, commit):
    url = site["first"].get_absolute_url()
    warm(url)
    asked = []
    for name in ("get", "get_many"):
        real = getattr(store.cache, name)
        monkeypatch.setattr(
            store.cache, name, lambda *a, real=real, **k: asked.append(a) or real(*a, **k)
        )

    assert state(url) == "hit"
    assert asked == []  # the counter is known here until Redis says it moved (clock_watch)

    site["first"].title = "Drones, revised"
    commit(site["first"].save)  # moves the counter: the next hit reads it; the page is rebuilt
    assert "Drones, revised" in get(url).content.decode()
    assert [store.CLOCK_KEY] in [list(a)[:1] for a in asked]


def test_cached_pages_carry_validators_and_cdn_lifetimes(site):
    response = get(site["first"].get_absolute_url())

    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    control = response["Cache-Control"]
    assert "public" in control and "s-maxage=" in control and "stale-while-revalidate=" in control
    assert "Content-Security-Policy" in response


def test_a_matching_conditional_get_answers_304(site):
    url = site["first"].get_absolute_url()
    etag = get(url)["ETag"]

    assert get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_readers_who_accept_gzip_get_the_copy_compressed_when_stored(site, monkeypatch):
    url = site["first"].get_absolute_url()
    plain = get(url).content  # stored
    compressions = []
    real_compress = store.compress_string
    monkeypatch.setattr(
        store, "compress_string", lambda s: compressions.append(s) or real_compress(s)
    )

    response = get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["X-Page-Cache"] == "hit"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content) < len(plain)
    assert gzip.decompress(response.content) == plain
    assert compressions == []  # compressed once, when stored, not per reader


def test_readers_who_do_not_accept_gzip_get_the_page_as_it_is(site):
    url = site["first"].get_absolute_url()
    plain = get(url).content

    response = get(url, HTTP_ACCEPT_ENCODING="identity")

    assert response["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in response
    assert response.content == plain


def test_the_compressed_copy_answers_conditional_gets_too(site):
    url = site["first"].get_absolute_url()
    get(url)
    etag = get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"]

    assert etag.startswith('W/"')
    not_modified = get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert "Accept-Encoding" in not_modified["Vary"]


@pytest.fixture
def unreachable_redis(monkeypatch):
    """The page cache talking to a Redis that refuses connections (nothing listens on port 1):
    the errors are redis-py's own."""
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    monkeypatch.setattr(store, "cache", down)
    return down


def test_when_the_cache_is_unreachable_readers_get_the_page_rendered_afresh(
    site, unreachable_redis
):
    for _ in range(2):
        response = get(site["first"].get_absolute_url())

        assert response.status_code == 200
        assert "Drones" in response.content.decode()
        assert "X-Page-Cache" not in response


def test_with_the_cache_unreachable_editors_still_save_publish_and_delete(
    site, unreachable_redis, commit
):
    article = site["first"]
    article.title = "Drones, revised"
    commit(article.save)
    new = ArticleFactory(
        title="Tomorrow", status=Status.IN_REVIEW, publish_at=None, authors=[site["sara"]]
    )
    commit(workflow.transition, article=new, name="approve", by=role_user(EDITORS))
    commit(site["ice"].delete)

    article.refresh_from_db()
    new.refresh_from_db()
    assert article.title == "Drones, revised"
    assert new.status == Status.PUBLISHED


def test_a_page_the_cache_cannot_store_is_still_answered(site, monkeypatch):
    def refuse(*args, **kwargs):
        raise redis.exceptions.TimeoutError("Timeout writing to socket")

    monkeypatch.setattr(store.cache, "set", refuse)

    response = get(site["first"].get_absolute_url())

    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    monkeypatch.undo()
    assert state(site["first"].get_absolute_url()) == "miss"  # nothing was stored


def test_readers_with_a_session_are_neither_served_nor_stored(site, client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    url = site["first"].get_absolute_url()

    assert "X-Page-Cache" not in client.get(url)
    assert "X-Page-Cache" not in client.get(url)
    assert get(url)["X-Page-Cache"] == "miss"  # nothing was stored for the staff member


def test_staff_preview_of_a_draft_is_never_cached(client):
    draft = article_in(Status.DRAFT, slug="draft")
    client.force_login(role_user(EDITORS))

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert get(draft.get_absolute_url()).status_code == 404


def test_shared_preview_links_are_never_stored():
    from articles import preview

    draft = article_in(Status.DRAFT, slug="draft")
    link = preview.share_preview(article=draft, by=role_user(EDITORS), days=3)
    url = reverse("articles:preview", kwargs={"token": preview.make_token(link)})

    assert "X-Page-Cache" not in get(url)
    assert "X-Page-Cache" not in get(url)


def test_a_reader_who_commented_sees_their_held_comment_not_the_cached_page(site, settings):
    from comments.guards import FormTiming

    settings.COMMENTS = {**settings.COMMENTS, "MIN_SECONDS_TO_POST": 0}
    SiteSettings.objects.filter(pk=1).update(comments_close_after_days=0)
    article = site["first"]
    warm(article.get_absolute_url())
    reader = Client()

    reader.post(reverse("comments:post", kwargs={"slug": article.slug}),
                {"name": "Ann", "body": "My words.", "opened": FormTiming.issue()})  # fmt: skip

    assert "My words." in reader.get(article.get_absolute_url()).content.decode()
    assert "My words." not in get(article.get_absolute_url()).content.decode()


def test_the_comment_form_on_a_cached_page_still_passes_the_csrf_check(site, settings):
    settings.COMMENTS = {**settings.COMMENTS, "MIN_SECONDS_TO_POST": 0}
    SiteSettings.objects.filter(pk=1).update(comments_close_after_days=0)
    article = site["first"]
    warm(article.get_absolute_url())
    reader = Client(enforce_csrf_checks=True)

    page = reader.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    tokens = reader.get(reverse("comments:form_token")).json()  # what comments.js does
    response = reader.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {"name": "Ann", "body": "Via a cached page.", "opened": tokens["opened"],
         "csrfmiddlewaretoken": tokens["csrfToken"]},
    )  # fmt: skip

    assert response.status_code == 302


# --- invalidation ------------------------------------------------------------------------


def pages(site) -> dict[str, str]:
    return {
        "home": reverse("website:home"),
        "first": site["first"].get_absolute_url(),
        "second": site["second"].get_absolute_url(),
        "ice": site["ice"].get_absolute_url(),
        "iran": site["iran"].get_absolute_url(),
        "arctic": site["arctic"].get_absolute_url(),
        "sara": site["sara"].get_absolute_url(),
        "tomas": site["tomas"].get_absolute_url(),
        "expert": site["expert"].get_absolute_url(),
        "tag-arms": reverse("articles:tag", kwargs={"slug": "arms"}),
        "tag-shipping": reverse("articles:tag", kwargs={"slug": "shipping"}),
        "feed": reverse("website:feed"),
        "iran-feed": reverse("topics:feed", kwargs={"slug": "iran"}),
        "arctic-feed": reverse("topics:feed", kwargs={"slug": "arctic"}),
        "sitemap": reverse("website:sitemap_section", kwargs={"section": "articles"}),
        "topics": reverse("topics:list"),
        "authors": reverse("authors:list"),
    }


def refreshed(site, change) -> set[str]:
    """Warm every page, make the change, and name the pages that are no longer hits."""
    urls = pages(site)
    warm(*urls.values())
    change()
    return {name for name, url in urls.items() if state(url) != "hit"}


def test_editing_an_article_refreshes_exactly_the_pages_that_show_it(site, commit):
    def edit():
        site["first"].title = "Drones, revised"
        commit(site["first"].save)

    assert refreshed(site, edit) == {
        "home", "first", "second", "iran", "sara", "expert", "tag-arms", "feed", "iran-feed",
        "sitemap",
    }  # fmt: skip
    assert "Drones, revised" in get(pages(site)["second"]).content.decode()  # related reading


def test_publishing_an_article_refreshes_its_lists_and_not_the_other_cluster(site, commit):
    new = ArticleFactory(
        title="Fresh", slug="fresh", status=Status.IN_REVIEW, publish_at=None,
        primary_topic=site["iran"], authors=[site["sara"]], tags=["arms"],
    )  # fmt: skip
    editor = role_user(EDITORS)

    changed = refreshed(site, lambda: commit(workflow.transition, article=new, name="approve",
                                             by=editor))  # fmt: skip

    assert {"home", "iran", "sara", "tag-arms", "feed", "iran-feed", "sitemap"} <= changed
    assert {"ice", "arctic", "tomas", "tag-shipping", "arctic-feed"}.isdisjoint(changed)
    assert "Fresh" in get(reverse("website:home")).content.decode()


def test_unpublishing_removes_the_article_from_every_cached_list(site, commit):
    editor = role_user(EDITORS)

    changed = refreshed(site, lambda: commit(workflow.transition, article=site["second"],
                                             name="unpublish", by=editor))  # fmt: skip

    assert {"home", "second", "iran", "sara", "tag-arms", "feed", "sitemap"} <= changed
    assert "ice" not in changed and "arctic" not in changed
    assert get(pages(site)["second"]).status_code == 404
    assert "Oil" not in get(reverse("website:home")).content.decode()


def test_moving_an_article_to_the_trash_removes_it(site, commit):
    changed = refreshed(site, lambda: commit(workflow.move_to_trash, article=site["second"],
                                             by=role_user(EDITORS)))  # fmt: skip

    assert {"home", "iran", "feed"} <= changed and "arctic" not in changed
    assert "Oil" not in get(reverse("website:home")).content.decode()


def test_approving_a_comment_refreshes_only_its_article(site, commit):
    comment = CommentFactory(article=site["first"], status=CommentStatus.PENDING, body="Hi!")

    changed = refreshed(site, lambda: commit(
        comment_services.moderate, comments=type(comment).objects.filter(pk=comment.pk),
        status=CommentStatus.APPROVED, by=UserFactory()))  # fmt: skip

    assert changed == {"first"}
    assert "Hi!" in get(pages(site)["first"]).content.decode()


def test_a_new_pending_comment_refreshes_nothing(site, commit):
    assert refreshed(site, lambda: commit(
        CommentFactory, article=site["first"], status=CommentStatus.PENDING)) == set()  # fmt: skip


def test_renaming_an_author_refreshes_the_pages_that_name_them(site, commit):
    def rename():
        site["sara"].name = "Sara K."
        commit(site["sara"].save)

    changed = refreshed(site, rename)

    assert {"sara", "authors", "first", "second", "home", "iran", "feed"} <= changed
    assert {"ice", "tomas", "arctic", "tag-shipping"}.isdisjoint(changed)


def test_renaming_an_expert_refreshes_their_page_and_the_article_quoting_them(site, commit):
    def rename():
        site["expert"].name = "Leila F."
        commit(site["expert"].save)

    changed = refreshed(site, rename)

    assert {"expert", "first"} <= changed
    assert {"second", "ice", "home"}.isdisjoint(changed)


def test_renaming_a_topic_refreshes_its_pages_and_cards(site, commit):
    def rename():
        site["arctic"].name = "The Arctic"
        commit(site["arctic"].save)

    changed = refreshed(site, rename)

    # Every HTML page's footer lists the main topics (kept with the menus, pages/menus.py), so a
    # topic's change refreshes every page; topics change seldom. Another topic's feed stays.
    assert changed == set(pages(site)) - {"iran-feed"}


def test_renaming_a_tag_refreshes_the_pages_that_show_it(site, commit):
    tag = site["ice"].tags.get()

    def rename():
        tag.name = "Shipping lanes"
        commit(tag.save)

    changed = refreshed(site, rename)

    assert {"tag-shipping", "ice"} <= changed
    assert {"first", "second", "tag-arms"}.isdisjoint(changed)


def test_changing_the_site_settings_refreshes_every_page(site, commit):
    def rename_site():
        settings_row = SiteSettings.objects.get(pk=1)
        settings_row.site_name = "Caspian Desk"
        commit(settings_row.save)

    assert refreshed(site, rename_site) == set(pages(site))


def test_purgers_hear_the_changed_tags_and_their_stored_urls(site, commit, settings):
    heard = []
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "PURGERS": ["tests.pagecache.test_store.spy"]}
    spy.calls = heard
    warm(pages(site)["first"], pages(site)["ice"])

    site["first"].title = "Renamed"
    commit(site["first"].save)

    urls = set().union(*(call["urls"] for call in heard))
    tags = set().union(*(call["tags"] for call in heard))
    # Full URLs: a purger talks to a CDN or front that needs the host too.
    assert f"http://testserver{pages(site)['first']}" in urls
    assert not any(url.endswith(pages(site)["ice"]) for url in urls)
    assert f"articles.article:{site['first'].pk}" in tags


def spy(*, tags, urls):
    spy.calls.append({"tags": tags, "urls": urls})


def test_the_nginx_refresher_fetches_both_copies_of_each_page_from_each_front(monkeypatch):
    asked = []

    class Answer:
        def read(self):
            return b""

    def urlopen(request, timeout):
        header = request.get_header
        asked.append(
            (
                request.full_url,
                header("Host"),
                header("Accept-encoding"),
                header("X-dossier-refresh"),
            )
        )
        return Answer()

    monkeypatch.setattr("urllib.request.urlopen", urlopen)

    purgers._refresh(["http://10.0.0.5", "http://10.0.0.6/"], ["https://news.example/a/?p=2"])

    assert sorted(asked) == sorted(
        (f"{front}/a/?p=2", "news.example", encoding, "1")
        for front in ("http://10.0.0.5", "http://10.0.0.6")
        for encoding in ("gzip", "identity")
    )


def test_a_page_built_while_its_data_changed_is_not_stored(site, monkeypatch):
    real = store.versions

    def moved_on(tags):  # as if an editor saved while the page was rendering
        return {tag: 10**20 for tag in real(tags)}

    monkeypatch.setattr(store, "versions", moved_on)
    url = site["first"].get_absolute_url()
    get(url)
    monkeypatch.setattr(store, "versions", real)

    assert get(url)["X-Page-Cache"] == "miss"


def test_a_page_whose_version_the_cache_lost_is_rebuilt(site):
    url = site["first"].get_absolute_url()
    warm(url)
    (copy,) = store.local_pages._pages.values()
    page = copy.page

    # Evicted from Redis; then a change elsewhere, so the copy's versions are looked at again.
    cache.delete_many([store.VERSION_PREFIX + tag for tag in page.tags])
    store.bump({"elsewhere"})

    assert state(url) == "miss"
    assert state(url) == "hit"


def test_while_nothing_changes_a_hit_reads_only_the_counter(site, monkeypatch):
    url = site["first"].get_absolute_url()
    warm(url)
    read_many = []
    real_get_many = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda keys: read_many.append(keys) or real_get_many(keys)
    )

    assert state(url) == "hit"
    assert read_many == []  # no versions read: the counter had not moved


def test_a_change_elsewhere_leaves_the_page_a_hit_after_checking_its_versions(site):
    url = site["first"].get_absolute_url()
    warm(url)

    store.bump({"list:articles:topic:999"})

    assert state(url) == "hit"


def test_a_copy_checked_while_a_change_lands_is_not_trusted_afterwards(site, monkeypatch, commit):
    url = site["first"].get_absolute_url()
    warm(url)
    real_set_many = cache.set_many
    readers = []

    def set_many_after_a_reader(data, *args, **kwargs):
        # A reader arrives after the counter moved but before the new versions are written:
        # the old page still passes, and this process notes it as checked.
        if not readers:
            readers.append(state(url))
        return real_set_many(data, *args, **kwargs)

    monkeypatch.setattr(cache, "set_many", set_many_after_a_reader)
    site["first"].title = "Drones, revised"
    commit(site["first"].save)

    assert readers == ["hit"]

    assert state(url) == "miss"
    assert "Drones, revised" in get(url).content.decode()


def test_a_hit_from_this_process_never_reads_the_page_from_the_shared_cache(site, monkeypatch):
    url = site["first"].get_absolute_url()
    warm(url)
    page_reads = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        if key.startswith(store.PAGE_PREFIX):
            page_reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)

    assert state(url) == "hit"
    assert page_reads == []  # the page came from this process's copy


def test_another_process_serves_the_page_from_the_shared_cache(site):
    url = site["first"].get_absolute_url()
    warm(url)
    store.local_pages.clear()  # as a second gunicorn worker, which has not seen it

    assert state(url) == "hit"


def test_the_copies_in_this_process_stay_within_their_byte_budget(settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "LOCAL_BYTES": 250}
    local = store.LocalPages()

    def page(size: int) -> store.StoredPage:
        return store.StoredPage(b"x" * size, {}, {}, stored_at=0, expires_at=1)

    local.put("a", page(100))
    local.put("b", page(100))
    local.get("a")  # used: "b" is now the least recently used
    local.put("c", page(100))
    local.put("too-big", page(251))

    assert [key for key in ("a", "b", "c", "too-big") if local.get(key)] == ["a", "c"]


def test_pages_are_stored_after_the_counter_is_lost_over_older_versions(site):
    url = site["first"].get_absolute_url()
    warm(url)
    (copy,) = store.local_pages._pages.values()
    page = copy.page
    older = int((FROZEN_NOW - timedelta(days=1)).timestamp() * 10**9)
    # Versions from the clock (as before the counter) and no counter, as after an upgrade.
    cache.set_many({store.VERSION_PREFIX + tag: older for tag in page.tags}, timeout=None)
    cache.delete(store.CLOCK_KEY)

    assert state(url) == "miss"
    assert state(url) == "hit"


def test_versions_only_grow_even_when_the_counter_is_lost(clock):
    first = store.next_version()
    second = store.next_version()
    cache.delete(store.CLOCK_KEY)
    clock.shift(timedelta(seconds=1))

    assert first < second < store.next_version()


# --- the clock ---------------------------------------------------------------------------


def test_a_scheduled_article_appears_on_cached_pages_the_second_it_goes_live(site, clock):
    ArticleFactory(title="Timed piece", slug="timed", primary_topic=site["iran"],
                   publish_at=FROZEN_NOW + timedelta(seconds=90))  # fmt: skip
    home = reverse("website:home")
    warm(home)
    assert "Timed piece" not in get(home).content.decode()
    assert "s-maxage=90" in get(home)["Cache-Control"]

    clock.shift(timedelta(seconds=89))
    assert state(home) == "hit"
    clock.shift(timedelta(seconds=1))

    assert "Timed piece" in get(home).content.decode()


def test_an_expiring_article_leaves_cached_pages_the_second_it_expires(site, clock):
    site["ice"].expire_at = FROZEN_NOW + timedelta(minutes=5)
    site["ice"].save()
    arctic = site["arctic"].get_absolute_url()
    warm(arctic)

    clock.shift(timedelta(minutes=5))

    assert "Ice routes" not in get(arctic).content.decode()
    assert get(site["ice"].get_absolute_url()).status_code == 404


def test_the_purge_log_is_quiet_when_nothing_stored_has_to_go(caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="dossier.page_cache"):
        purgers.log_purge(tags={"site"}, urls=set())
        purgers.log_purge(tags={"site"}, urls={"http://testserver/"})

    assert [record.getMessage() for record in caplog.records] == [
        "page cache: 1 tag(s) changed; 1 stored URL(s) to purge downstream: http://testserver/"
    ]
