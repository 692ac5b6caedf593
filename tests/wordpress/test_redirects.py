"""Old WordPress addresses answer with a 301 to the imported article, with or without the page
cache, and unknown ones with the site's 404."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from articles.models import Article
from tests.test_hostile_input import HOSTILE, injection_problems
from tests.wordpress.conftest import FIXTURE, run_import
from tests.wsgi import keep_test_transaction, serve
from wordpress.models import ImportedItem, Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(media_dir):
    run_import(str(FIXTURE), "--media-dir", str(media_dir))


def article_of(wp_id: int) -> Article:
    return ImportedItem.objects.get(kind__in=[Kind.POST, Kind.PAGE], wp_id=wp_id).article


def assert_redirects(response, article: Article) -> None:
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "url",
    [
        "/?p=100",
        "/?p=100&preview=true",
        "/2024/03/tanker-routes-shift/",
        "/2024/03/tanker-routes-shift",
        "/2024/03/14/tanker-routes-shift/",
    ],
)
def test_old_addresses_of_a_post_redirect_to_its_article(client, imported, url):
    assert_redirects(client.get(url), article_of(100))


def test_a_cyrillic_permalink_redirects(client, imported):
    article = article_of(101)

    response = client.get("/2024/04/02/" + quote("каспийский-маршрут") + "/")

    assert_redirects(response, article)
    assert_redirects(client.get("/2024/04/" + quote("каспийский-маршрут") + "/"), article)


def test_a_page_id_redirects_once_the_page_is_published(client, imported):
    page = article_of(120)
    assert client.get("/?page_id=120").status_code == 404  # imported as a draft

    page.status = "published"
    page.publish_at = page.created_at
    page.save()

    assert_redirects(client.get("/?page_id=120"), page)


def test_the_article_is_followed_after_its_slug_changes(client, imported):
    article = article_of(108)
    article.slug = "tanker-routes-revisited"
    article.save()

    assert client.get("/?p=108")["Location"] == "/articles/tanker-routes-revisited/"


@pytest.mark.parametrize(
    "url",
    [
        "/?p=999",  # no such post
        "/?p=102",  # a draft: its address is not given away
        "/?p=104",  # scheduled
        "/?p=106",  # in the trash
        "/2024/03/no-such-post/",
        "/2023/03/tanker-routes-shift/",  # the slug, with another date
        "/2024/03/15/tanker-routes-shift/",
        "/2024/02/internal-sources/",  # private: unpublished in Dossier
    ],
)
def test_unknown_or_unpublished_addresses_are_the_sites_404(client, imported, url):
    response = client.get(url)

    assert response.status_code == 404
    assert b"<html" in response.content  # the site's page, not a bare message


def test_the_home_page_ignores_a_query_that_is_not_an_id(client, imported):
    assert client.get("/?p=latest").status_code == 200
    assert client.get("/?s=ports").status_code == 200


def test_a_post_request_is_never_redirected(client, imported):
    assert client.post("/2024/03/tanker-routes-shift/").status_code == 404


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_old_addresses_never_fail_or_inject(client, imported, value):
    for url in (f"/?p={value}", f"/?page_id={value}", f"/2024/03/{value}/", f"/{value}/"):
        response = client.get(url)
        assert response.status_code in {200, 301, 400, 404}, url
        assert injection_problems(response) == [], url


class TestWithThePageCacheOn:
    """Through config.wsgi.application, the page cache's WSGI front included."""

    @pytest.fixture(autouse=True)
    def page_cache_on(self, settings):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}

    @pytest.fixture
    def app(self):
        from config.wsgi import application

        with keep_test_transaction():
            yield application

    def test_p_redirects_though_the_home_page_is_stored(self, app, imported):
        home = serve(app, "/")
        assert home.status == 200 and home.get("X-Page-Cache") == "miss"
        assert serve(app, "/").get("X-Page-Cache") == "hit"

        answer = serve(app, "/", "p=100")

        assert answer.status == 301
        assert answer.get("Location") == article_of(100).get_absolute_url()
        assert serve(app, "/", "p=100").status == 301  # and again: nothing was stored for it

    def test_a_permalink_redirects_and_an_unknown_id_is_a_404(self, app, imported):
        answer = serve(app, "/2024/03/tanker-routes-shift/")

        assert answer.status == 301
        assert answer.get("Location") == article_of(100).get_absolute_url()
        assert serve(app, "/", "p=999").status == 404
        assert serve(app, "/2024/03/nothing-here/").status == 404

    def test_an_address_that_was_a_404_redirects_once_the_post_is_imported(self, app, media_dir):
        assert serve(app, "/", "p=100").status == 404
        assert serve(app, "/2024/03/tanker-routes-shift/").status == 404

        run_import(str(FIXTURE), "--media-dir", str(media_dir))

        assert serve(app, "/", "p=100").status == 301
        assert serve(app, "/2024/03/tanker-routes-shift/").status == 301

    def test_an_import_refreshes_the_stored_pages_it_changes(
        self, app, media_dir, django_capture_on_commit_callbacks
    ):
        assert serve(app, "/").get("X-Page-Cache") == "miss"
        assert serve(app, "/").get("X-Page-Cache") == "hit"

        # As if each step's transaction committed, so the page cache's invalidation runs.
        with django_capture_on_commit_callbacks(execute=True):
            run_import(str(FIXTURE), "--media-dir", str(media_dir))

        home = serve(app, "/")
        assert home.get("X-Page-Cache") == "miss"
        assert "Tanker routes shift south" in home.body.decode()
