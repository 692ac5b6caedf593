"""Editors' redirects answer where the site has no page, at once after every change."""

from __future__ import annotations

import pytest
from django.test import Client

from articles.models import Status
from pages.models import PageStatus, Redirect, RedirectStatus
from tests.factories import ArticleFactory, PageFactory, RedirectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["page-cache-off", "page-cache-on"])
def page_cache(request, settings):
    """Each case runs with the page cache off and on: a redirect is never served stale."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": request.param}
    return request.param


def test_an_old_path_redirects_to_its_article_permanently(client, page_cache):
    article = ArticleFactory(slug="new")
    RedirectFactory(old_path="/old-story/", article=article, url="")

    response = client.get("/old-story/")

    assert response.status_code == 301
    assert response["Location"] == "/articles/new/"
    assert response["Cache-Control"] == "no-cache"


def test_a_temporary_redirect_answers_302(client, page_cache):
    RedirectFactory(old_path="/sale/", url="https://example.org/", status=RedirectStatus.TEMPORARY)

    response = client.get("/sale/")

    assert response.status_code == 302
    assert response["Location"] == "https://example.org/"


def test_head_requests_are_redirected_too_and_posts_are_not(client):
    RedirectFactory(old_path="/old/", url="/topics/")

    assert client.head("/old/").status_code == 301
    assert client.post("/old/").status_code in (403, 404, 405)


@pytest.mark.parametrize("requested", ["/old-page", "/old-page/"])
@pytest.mark.parametrize("saved", ["/old-page", "/old-page/"])
def test_a_redirect_answers_with_or_without_the_trailing_slash(client, saved, requested):
    RedirectFactory(old_path=saved, url="/topics/")

    response = client.get(requested, follow=True)

    assert response.redirect_chain[-1] == ("/topics/", 301)


def test_non_latin_and_percent_encoded_paths_are_redirected(client, page_cache):
    RedirectFactory(old_path="/старое/место/", url="/topics/")
    RedirectFactory(old_path="/café/", url="/authors/")

    assert (
        client.get("/%D1%81%D1%82%D0%B0%D1%80%D0%BE%D0%B5/%D0%BC%D0%B5%D1%81%D1%82%D0%BE/")[
            "Location"
        ]
        == "/topics/"
    )
    assert client.get("/caf%C3%A9/")["Location"] == "/authors/"


def test_a_non_latin_target_goes_out_percent_encoded(client):
    page = PageFactory(slug="о-нас")
    RedirectFactory(old_path="/about-old/", page=page, url="")

    response = client.get("/about-old/")

    assert response["Location"] == "/%D0%BE-%D0%BD%D0%B0%D1%81/"


def test_a_page_that_exists_wins_over_a_redirect_saved_before_it(client, page_cache):
    RedirectFactory(old_path="/about/", url="/topics/")
    PageFactory(slug="about")

    assert client.get("/about/").status_code == 200


def test_a_redirect_to_a_draft_is_a_404(client):
    RedirectFactory(old_path="/old-a/", page=PageFactory(status=PageStatus.DRAFT), url="")
    RedirectFactory(
        old_path="/old-b/",
        article=ArticleFactory(status=Status.DRAFT, publish_at=None),
        url="",
    )

    assert client.get("/old-a/").status_code == 404
    assert client.get("/old-b/").status_code == 404


def test_an_editors_redirect_wins_over_an_imported_wordpress_address(client):
    """RedirectMiddleware sits inside OldAddressMiddleware: it sees the 404 first."""
    RedirectFactory(old_path="/2019/03/old-post/", url="/topics/")

    assert client.get("/2019/03/old-post/")["Location"] == "/topics/"


def test_a_changed_redirect_is_answered_at_once(page_cache):
    redirect = RedirectFactory(old_path="/moved/", url="/topics/")
    reader = Client()
    assert reader.get("/moved/")["Location"] == "/topics/"

    redirect.url = "/authors/"
    redirect.save()
    assert reader.get("/moved/")["Location"] == "/authors/"

    redirect.delete()
    assert reader.get("/moved/").status_code == 404


def test_unpublishing_a_cached_page_lets_its_redirect_answer(settings, commit):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    page = PageFactory(slug="offers")
    reader = Client()
    reader.get("/offers/")
    assert reader.get("/offers/")["X-Page-Cache"] == "hit"
    Redirect.objects.create(old_path="/offers/", url="/topics/")  # saved before the unpublish

    page.status = PageStatus.DRAFT
    commit(page.save)

    assert reader.get("/offers/")["Location"] == "/topics/"


def test_a_redirect_loop_in_the_data_is_never_followed_to_itself(client):
    """Saved around the checks (a bulk import, the shell): the answer stays a 404."""
    Redirect.objects.bulk_create([Redirect(old_path="/self/", url="/self/")])

    assert client.get("/self/").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/%00/", "/a%00b", "/%ff%fe/", "/%c0%af/", "/" + "a" * 5000, "/<script>/", "/..%2f..%2f/"],
)
def test_hostile_paths_are_a_404_not_a_500(client, path):
    RedirectFactory(old_path="/x/", url="/topics/")

    assert client.get(path).status_code in (301, 404)
