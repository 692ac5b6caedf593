"""Pages, menus and redirects in the admin: an editor's work, and bad input refused with a
message an editor can act on."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pages.models import Menu, Page, PageStatus, Redirect
from tests.factories import (
    EDITORS,
    WRITERS,
    ArticleFactory,
    PageFactory,
    RedirectFactory,
    TopicFactory,
    role_user,
)
from tests.test_hostile_input import (
    HOSTILE_TEXT,
    SCRIPT,
    html_injection_problems,
    injection_problems,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(role_user(EDITORS))
    return client


def page_form(**fields) -> dict:
    return {
        "title": "About",
        "slug": "about",
        "status": PageStatus.PUBLISHED,
        "body": "## Us\n\nWho we are.",
        "seo_title": "",
        "meta_description": "",
        **fields,
    }


def test_an_editor_writes_and_publishes_a_page(editor):
    response = editor.post(reverse("admin:pages_page_add"), page_form())

    assert response.status_code == 302
    page = Page.objects.get(slug="about")
    assert '<h2 id="us">Us</h2>' in page.body_html
    assert editor.get("/about/").status_code == 200


def test_the_page_form_has_the_article_body_editor(editor):
    html = editor.get(reverse("admin:pages_page_add")).content.decode()

    assert "data-body-editor" in html
    assert reverse("admin:articles_article_editor_preview") in html
    assert "js/article-editor.js" in html


def test_a_page_slug_the_site_uses_is_refused_with_a_message(editor):
    response = editor.post(reverse("admin:pages_page_add"), page_form(slug="topics"))

    assert response.status_code == 200
    assert "/topics/ is already an address of the site" in response.content.decode()
    assert not Page.objects.exists()


def test_the_page_form_lists_problems_in_the_body(editor):
    page = PageFactory(body="[x](article:nowhere)")

    html = editor.get(reverse("admin:pages_page_change", args=[page.pk])).content.decode()

    assert "points to no article" in html


def test_writers_cannot_edit_pages_menus_or_redirects(client):
    client.force_login(role_user(WRITERS))

    for name in ("pages_page_add", "pages_redirect_add", "pages_menu_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 403, name


# --- menus --------------------------------------------------------------------------------


def menu_form(menu: Menu, *rows: dict) -> dict:
    existing = list(menu.items.all())
    data = {
        "items-TOTAL_FORMS": str(len(existing) + len(rows)),
        "items-INITIAL_FORMS": str(len(existing)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(existing):
        data.update(
            {
                f"items-{n}-id": str(item.pk),
                f"items-{n}-menu": str(menu.pk),
                f"items-{n}-sort_order": str(item.sort_order),
                f"items-{n}-label": item.label,
                f"items-{n}-section": item.section,
                f"items-{n}-url": item.url,
            }
        )
    for n, row in enumerate(rows, start=len(existing)):
        data.update({f"items-{n}-menu": str(menu.pk), f"items-{n}-sort_order": "50"})
        data.update({f"items-{n}-{key}": value for key, value in row.items()})
    return data


def test_an_editor_adds_a_page_to_the_footer(editor):
    footer = Menu.objects.get(location="footer")
    page = PageFactory(slug="contact", title="Contact")

    response = editor.post(
        reverse("admin:pages_menu_change", args=[footer.pk]), menu_form(footer, {"page": page.pk})
    )

    assert response.status_code == 302
    assert footer.items.filter(page=page).exists()
    assert '<a href="/contact/">Contact</a>' in editor.get("/").content.decode()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"url": "javascript:alert(1)", "label": "x"}, "other kinds of address are refused"),
        ({"url": "//evil.example/", "label": "x"}, "leads to another site"),
        ({"url": "/search/"}, "A link to a URL needs a label."),
        ({"section": "topics:list", "url": "/x/", "label": "x"}, "exactly one thing"),
    ],
    ids=["javascript", "protocol-relative", "no-label", "two-targets"],
)
def test_bad_menu_links_are_refused_with_a_message(editor, row, message):
    footer = Menu.objects.get(location="footer")
    before = footer.items.count()

    response = editor.post(
        reverse("admin:pages_menu_change", args=[footer.pk]), menu_form(footer, row)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert footer.items.count() == before


def test_menus_cannot_be_added_or_deleted(editor):
    footer = Menu.objects.get(location="footer")

    assert editor.get(reverse("admin:pages_menu_add")).status_code == 403
    assert editor.get(reverse("admin:pages_menu_delete", args=[footer.pk])).status_code == 403


# --- redirects ----------------------------------------------------------------------------


def redirect_form(**fields) -> dict:
    return {"old_path": "/old/", "status": "301", "note": "", "url": "", **fields}


def test_an_editor_adds_a_redirect_to_a_page(editor):
    page = PageFactory(slug="about")

    response = editor.post(
        reverse("admin:pages_redirect_add"),
        redirect_form(old_path="https://example.org/%D0%BE-%D0%BD%D0%B0%D1%81/", page=page.pk),
    )

    assert response.status_code == 302
    redirect = Redirect.objects.get()
    assert redirect.old_path == "/о-нас/"
    assert editor.get("/%D0%BE-%D0%BD%D0%B0%D1%81/")["Location"] == "/about/"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": "javascript:alert(1)"}, "other kinds of address are refused"),
        ({"url": "data:text/html,hi"}, "other kinds of address are refused"),
        ({"url": "//evil.example/"}, "leads to another site"),
        ({"url": "https://ours.example@evil.example/"}, "user name before"),
        ({"url": "/old/"}, "round in a loop: /old/ → /old/"),
        ({"url": ""}, "Choose exactly one place"),
        ({"old_path": "/old/?p=2", "url": "/topics/"}, "path only"),
        ({"old_path": "/%ff/", "url": "/topics/"}, "not UTF-8"),
        ({"old_path": "/topics/", "url": "/authors/"}, "would never be used"),
    ],
    ids=[
        "javascript", "data", "protocol-relative", "userinfo", "self", "no-target", "query",
        "bad-encoding", "live-page",
    ],
)  # fmt: skip
def test_bad_redirects_are_refused_with_a_message(editor, fields, message):
    response = editor.post(reverse("admin:pages_redirect_add"), redirect_form(**fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Redirect.objects.exists()


def test_a_loop_through_another_redirect_is_refused_with_the_chain(editor):
    RedirectFactory(old_path="/b/", url="/a/")

    response = editor.post(
        reverse("admin:pages_redirect_add"), redirect_form(old_path="/a/", url="/b/")
    )

    assert "/a/ → /b/ → /a/" in response.content.decode()


def test_a_second_redirect_from_the_same_address_is_refused(editor):
    RedirectFactory(old_path="/old/")

    response = editor.post(reverse("admin:pages_redirect_add"), redirect_form(url="/topics/"))

    assert "already exists" in response.content.decode()


def test_editing_and_deleting_a_redirect(editor):
    redirect = RedirectFactory(old_path="/old/", url="/topics/")
    change = reverse("admin:pages_redirect_change", args=[redirect.pk])

    editor.post(change, redirect_form(url="/authors/", status="302"))
    assert editor.get("/old/")["Location"] == "/authors/"

    editor.post(reverse("admin:pages_redirect_delete", args=[redirect.pk]), {"post": "yes"})
    assert editor.get("/old/").status_code == 404


def test_the_redirect_list_points_to_the_slug_history_redirects(editor):
    RedirectFactory(old_path="/old/", article=ArticleFactory(title="Moved piece"), url="")

    html = editor.get(reverse("admin:pages_redirect_changelist")).content.decode()

    assert "Moved piece" in html
    assert reverse("admin:pages_slugredirect_changelist") in html


def test_slug_history_redirects_are_listed_read_only_without_a_query_per_row(editor):
    def rename(obj, new):
        obj.slug = new
        obj.save()

    rename(ArticleFactory(slug="first-name"), "second-name")
    rename(TopicFactory(slug="old-topic"), "new-topic")
    url = reverse("admin:pages_slugredirect_changelist")
    with CaptureQueriesContext(connection) as few:
        html = editor.get(url).content.decode()
    assert "/articles/first-name/" in html and "/articles/second-name/" in html
    assert "/topics/old-topic/" in html and "/topics/new-topic/" in html

    for n in range(5):
        rename(ArticleFactory(slug=f"a-{n}"), f"b-{n}")
        rename(PageFactory(slug=f"p-{n}"), f"q-{n}")
    with CaptureQueriesContext(connection) as many:
        editor.get(url)
    assert len(many) == len(few) + 1  # pages are a third kind of object on the list

    assert editor.get(reverse("admin:pages_slugredirect_add")).status_code == 403


def test_editors_hold_the_pages_permissions():
    user = role_user(EDITORS)

    for perm in ("add_page", "change_menu", "add_menuitem", "delete_redirect", "view_slugredirect"):
        assert user.has_perm(f"pages.{perm}"), perm


@pytest.mark.parametrize("value", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_hostile_input_in_the_forms_is_refused_or_saved_never_a_500(editor, value):
    """Each form either refuses the value with a message or saves it; the pages that then
    show it (the admin list, the site) escape it."""
    posts = [
        (reverse("admin:pages_redirect_add"), redirect_form(old_path=value, url="/topics/")),
        (reverse("admin:pages_redirect_add"), redirect_form(old_path="/h/", url=value)),
        (reverse("admin:pages_page_add"), page_form(title=value[:200], body=value, slug="h")),
        (reverse("admin:pages_page_add"), page_form(slug=value[:100])),
    ]
    footer = Menu.objects.get(location="footer")
    posts += [
        (reverse("admin:pages_menu_change", args=[footer.pk]), menu_form(footer, row))
        for row in ({"url": value, "label": "x"}, {"section": "website:home", "label": value[:80]})
    ]
    for url, data in posts:
        response = editor.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert not injection_problems(response), url
    for url in (reverse("admin:pages_redirect_changelist"), "/", "/h/", f"/{quote(value)}/"):
        response = editor.get(url)
        assert response.status_code < 500, url
        html = without_json_ld(response.content.decode())
        assert SCRIPT not in html, url
        assert not html_injection_problems(html), url


def without_json_ld(html: str) -> str:
    """The page without its JSON-LD: editors' text is data there, escaped as json_script
    escapes (core/seo.py), so "alert(1)" in it is text, not script. (A body's
    text may hold "onmouseover='x" as text too: elements and attributes are what count.)"""
    return re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
