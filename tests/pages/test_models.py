"""Site pages, menu links and redirects: what they store, and what they refuse."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.models import SlugHistory
from pages import addresses
from pages.models import Menu, MenuItem, Page, PageStatus, Redirect, RedirectStatus
from tests.factories import (
    ArticleFactory,
    PageFactory,
    RedirectFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- pages --------------------------------------------------------------------------------


def test_a_page_body_is_rendered_and_sanitised_like_an_article_body():
    linked = ArticleFactory(slug="linked", title="Linked")
    page = PageFactory(
        body="# About us\n\n::: insight\nWe write.\n:::\n\n<script>alert(1)</script>\n\n"
        "[read this](article:linked) and [that](javascript:alert(1))"
    )

    assert '<h2 id="about-us">About us</h2>' in page.body_html
    assert "callout--insight" in page.body_html
    assert "<script>" not in page.body_html
    assert 'href="javascript' not in page.body_html
    assert page.body_article_ids == [linked.pk]
    assert page.body_warnings == []


def test_a_page_body_warns_about_links_to_no_article_and_quotes_it_cannot_place():
    page = PageFactory(body="[gone](article:nowhere)\n\n[[quote:q]]\n")

    assert any("nowhere" in warning for warning in page.body_warnings)
    assert any("site pages have no quotes" in warning for warning in page.body_warnings)


def test_only_published_pages_are_live_and_editors_see_drafts_too():
    published = PageFactory()
    draft = PageFactory(status=PageStatus.DRAFT)
    editor = UserFactory(is_staff=True, permissions=["pages.change_page"])
    reader = UserFactory()

    assert list(Page.objects.live()) == [published]
    assert set(Page.objects.visible_to(editor)) == {published, draft}
    assert list(Page.objects.visible_to(reader)) == [published]


@pytest.mark.parametrize("slug", ["articles", "topics", "search", "api", "static", "media"])
def test_a_page_cannot_take_an_address_the_site_already_uses(slug):
    page = Page(title="Clash", slug=slug)

    with pytest.raises(ValidationError) as refused:
        page.full_clean()

    assert f"/{slug}/ is already an address of the site" in str(refused.value)


def test_renaming_a_page_keeps_its_old_address_in_slug_history():
    page = PageFactory(slug="about-us")
    page.slug = "about"
    page.save()

    assert SlugHistory.objects.find(Page.objects.all(), "about-us") == page


def test_the_description_is_the_meta_description_or_the_start_of_the_body():
    assert PageFactory(meta_description="Who we are.").description == "Who we are."
    long = PageFactory(body="word " * 100).description
    assert long.startswith("word word") and len(long) <= 155


# --- menu links ---------------------------------------------------------------------------


def test_the_migration_made_a_header_and_a_footer_menu_with_the_old_links():
    header = Menu.objects.get(location="header")
    assert [item.get_url() for item in header.items.all()] == ["/topics/", "/authors/", "/experts/"]
    assert str(header.items.first()) == "All topics"
    assert Menu.objects.get(location="footer").items.count() == 4


def test_a_menu_link_takes_its_label_from_what_it_links_to():
    menu = Menu.objects.get(location="footer")
    page = PageFactory(title="About")
    topic = TopicFactory(name="Iran")

    assert str(MenuItem(menu=menu, page=page)) == "About"
    assert str(MenuItem(menu=menu, topic=topic)) == "Iran"
    assert str(MenuItem(menu=menu, topic=topic, label="Iran file")) == "Iran file"


@pytest.mark.parametrize(
    "target",
    [{}, {"section": "topics:list", "url": "/about/"}, {"url": "/x/", "page": "page"}],
    ids=["nothing", "two", "page-and-url"],
)
def test_a_menu_link_must_link_to_exactly_one_thing(target):
    if target.get("page"):
        target["page"] = PageFactory()
    item = MenuItem(menu=Menu.objects.get(location="footer"), label="x", **target)

    with pytest.raises(ValidationError, match="exactly one thing"):
        item.full_clean()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/", "data:text/html,x", "about/"]
)
def test_a_menu_link_refuses_an_unsafe_url(url):
    item = MenuItem(menu=Menu.objects.get(location="footer"), label="x", url=url)

    with pytest.raises(ValidationError):
        item.full_clean()


# --- redirects: addresses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("/old/", "/old/"),
        ("old/", "/old/"),
        ("  /old  ", "/old"),
        ("/%D1%81%D1%82%D0%B0%D1%80%D0%BE%D0%B5/", "/старое/"),
        ("/старое/", "/старое/"),
        ("https://example.org/old/page/", "/old/page/"),
        ("/caf%C3%A9/", "/café/"),
    ],
)
def test_old_paths_are_stored_as_django_reads_a_request_path(typed, stored):
    assert addresses.normalise_old_path(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Give the old address"),
        ("/old/?p=1", "path only"),
        ("https://example.org/old/?x=1", "path only"),
        ("/old/#top", "path only"),
        ("/a b/", "spaces or control characters"),
        ("/a%00b/", "spaces or control characters"),
        ("/%ff%fe/", "not UTF-8"),
        ("//old/", "one “/”"),
        ("/" + "a" * 600, "longer than"),
    ],
)
def test_bad_old_paths_are_refused_with_a_reason(typed, message):
    with pytest.raises(ValidationError, match=message):
        addresses.normalise_old_path(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("/topics/", "/topics/"),
        ("https://example.org/x?y=1#z", "https://example.org/x?y=1#z"),
        ("HTTPS://example.org/", "https://example.org/"),
        ("https://пример.рф/путь/", "https://xn--e1afmkfd.xn--p1ai/путь/"),
    ],
)
def test_safe_target_urls_are_kept(typed, stored):
    assert addresses.check_target_url(typed) == stored


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:x",
        "mailto:someone@example.org",
        "ftp://example.org/",
        "//evil.example/",
        "/\\evil.example/",
        "https://example.org@evil.example/",
        "https://user:pass@evil.example/",
        "https:///nohost",
        "about/",
        "example.org/page",
    ],
)
def test_unsafe_target_urls_are_refused(url):
    with pytest.raises(ValidationError):
        addresses.check_target_url(url)


# --- redirects: what may be saved ---------------------------------------------------------


def test_a_redirect_to_an_article_is_saved_with_its_path_normalised():
    article = ArticleFactory(slug="new-home")
    redirect = Redirect(old_path="old-home", article=article)

    redirect.full_clean()
    redirect.save()

    assert redirect.old_path == "/old-home"
    assert redirect.live_target() == "/articles/new-home/"
    assert redirect.status == RedirectStatus.PERMANENT


def test_a_redirect_needs_exactly_one_target():
    with pytest.raises(ValidationError, match="exactly one place"):
        Redirect(old_path="/x/").full_clean()
    with pytest.raises(ValidationError, match="exactly one place"):
        Redirect(old_path="/x/", url="/topics/", page=PageFactory()).full_clean()


def test_a_redirect_to_itself_is_refused():
    with pytest.raises(ValidationError, match="loop: /same/ → /same"):
        Redirect(old_path="/same/", url="/same").full_clean()


def test_a_redirect_to_its_own_address_on_this_host_is_refused(settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    with pytest.raises(ValidationError, match="loop"):
        Redirect(old_path="/same/", url="https://example.org/same/").full_clean()


def test_a_redirect_closing_a_loop_through_others_is_refused():
    RedirectFactory(old_path="/a/", url="/b/")
    RedirectFactory(old_path="/b/", url="/c/")

    with pytest.raises(ValidationError, match="/c/ → /a/ → /b/ → /c/"):
        Redirect(old_path="/c/", url="/a/").full_clean()


def test_editing_a_redirect_into_a_loop_is_refused():
    first = RedirectFactory(old_path="/a/", url="/b/")
    RedirectFactory(old_path="/b/", url="/topics/")
    first.url = "/b/"
    first.full_clean()  # unchanged: fine

    second = Redirect.objects.get(old_path="/b/")
    second.url = "/a/"
    with pytest.raises(ValidationError, match="loop"):
        second.full_clean()


def test_a_chain_that_leaves_the_site_or_ends_on_a_page_is_not_a_loop():
    RedirectFactory(old_path="/a/", url="https://elsewhere.example/a/")
    Redirect(old_path="/b/", url="/a/").full_clean()


def test_a_redirect_from_an_address_that_shows_a_page_is_refused():
    ArticleFactory(slug="live")
    PageFactory(slug="about")

    for path in ("/articles/live/", "/about/", "/about", "/topics/", "/"):
        with pytest.raises(ValidationError, match="would never be used"):
            Redirect(old_path=path, url="/search/").full_clean()


def test_a_redirect_from_a_draft_or_unknown_address_is_allowed():
    ArticleFactory(slug="draft", status="draft", publish_at=None)
    PageFactory(slug="later", status=PageStatus.DRAFT)

    for path in ("/articles/draft/", "/later/", "/articles/never-was/", "/2019/03/x/"):
        Redirect(old_path=path, url="/search/").full_clean()


def test_two_redirects_cannot_share_an_old_address():
    RedirectFactory(old_path="/twice/")

    with pytest.raises(ValidationError, match="already exists"):
        Redirect(old_path="twice/", url="/topics/").full_clean()


def test_a_redirect_to_a_draft_sends_nobody_there():
    page = PageFactory(status=PageStatus.DRAFT)
    article = ArticleFactory(status="draft", publish_at=None)

    assert RedirectFactory(page=page, url="").live_target() is None
    assert RedirectFactory(article=article, url="").live_target() is None
