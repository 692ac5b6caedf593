"""The editor's experience in the admin: live preview, article search for links, toolbar and
counters on the form, "Save and preview", and a message for every workflow action."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from articles import editor, workflow
from articles.models import Article, ArticleActivity, Status
from tests.articles.test_permissions import (
    change_url,
    current_version,
    form_data,
    logged_in,
    messages_of,
    post_action,
    reloaded,
    transition_url,
    writers_article,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    TopicFactory,
    UserFactory,
    article_in,
    superuser,
)
from tests.html import parse

pytestmark = pytest.mark.django_db

PREVIEW_URL = "admin:articles_article_editor_preview"
SEARCH_URL = "admin:articles_article_editor_search"

BODY = """Opening paragraph.

## Shared ambitions

::: insight
Sanctions push the two economies *together*.
:::

[[quote:leila]]

Read [the money trail](article:money-trail) and [the plan](article:the-plan).
"""


@pytest.fixture
def newsroom():
    """An article with a quote, a live article and a draft it can link to."""
    article = ArticleFactory(title="Russia and Iran", slug="russia-iran", authors=[AuthorFactory()])
    ExpertQuoteFactory(
        article=article,
        key="leila",
        expert=ExpertFactory(name="Leila Farahani", slug="leila-farahani"),
        text="They need each other.",
    )
    live = ArticleFactory(title="The money trail", slug="money-trail")
    draft = article_in(Status.DRAFT, title="The plan", slug="the-plan")
    return {"article": article, "live": live, "draft": draft}


def preview(client, body: str | None, article: Article | None = None, **extra):
    data = dict(extra)
    if body is not None:
        data["body"] = body
    if article is not None:
        data["article"] = str(article.pk)
    return client.post(reverse(PREVIEW_URL), data)


def search(client, **params):
    return client.get(reverse(SEARCH_URL), params)


def page_body(response) -> str:
    """The finished body HTML of a public article page."""
    html = response.content.decode()
    return re.search(r'<div class="article__body">(.*?)</div>', html, re.DOTALL)[1].strip()


# --- live preview -----------------------------------------------------------------------------


def test_preview_is_the_html_the_article_page_shows_once_saved(superuser_client, newsroom):
    article = newsroom["article"]

    response = preview(superuser_client, BODY, article)

    assert response.status_code == 200
    previewed = response.json()["html"].strip()
    article.body = BODY
    article.save()
    assert previewed == page_body(superuser_client.get(article.get_absolute_url()))
    # And the page really holds each of Dossier's additions.
    assert 'class="callout callout--insight"' in previewed
    assert "They need each other." in previewed
    assert 'href="/experts/leila-farahani/"' in previewed
    assert '<a href="/articles/money-trail/"' in previewed


def test_preview_leaves_a_link_to_a_draft_as_text_and_says_why(superuser_client, newsroom):
    data = preview(superuser_client, BODY, newsroom["article"]).json()

    assert "the plan" in data["html"]
    assert "/articles/the-plan/" not in data["html"]
    assert (
        'The link to "The plan" shows as plain text until that article is live.'
        in (data["warnings"])
    )


def test_preview_marks_a_placed_quote_the_article_lacks(superuser_client, newsroom):
    data = preview(superuser_client, "[[quote:ghost]]", newsroom["article"]).json()

    figure = parse(data["html"]).one("figure", data_missing_quote="ghost")
    assert "expert-quote--missing" in figure.classes
    assert "Quote “ghost” is not shown" in figure.text
    assert data["warnings"] == [
        'The body places quote "ghost", but this article has no quote with that key: nothing '
        "is shown there."
    ]


def test_preview_of_a_new_article_marks_every_quote_and_still_resolves_links(
    superuser_client, newsroom
):
    data = preview(superuser_client, BODY).json()

    page = parse(data["html"])
    assert page.one("figure", data_missing_quote="leila")
    assert ("/articles/money-trail/", "the money trail") in page.links()
    assert "They need each other." not in data["html"]


def test_preview_reports_the_renderers_warnings_and_counts_words(superuser_client):
    data = preview(
        superuser_client, "::: nonsense\nOne two three.\n:::\n\n[x](article:nowhere)"
    ).json()

    assert data["warnings"][0].startswith('Unknown callout kind "nonsense"')
    assert (
        data["warnings"][1] == 'The link to "nowhere" points to no article: it shows as plain text.'
    )
    assert (data["word_count"], data["reading_minutes"]) == (4, 1)


def test_preview_html_is_sanitised(superuser_client):
    body = '<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror="alert(1)">'

    html = preview(superuser_client, body).json()["html"]

    assert "<script" not in html
    assert "href=" not in html  # the javascript: link stays text
    assert "<img" not in html
    assert "&lt;script&gt;" in html  # typed HTML shows as text, as on the page


def test_preview_saves_nothing(superuser_client, newsroom):
    article = newsroom["article"]
    before = (article.body, article.body_html, article.version)

    preview(superuser_client, "Entirely new text.", article)

    article.refresh_from_db()
    assert (article.body, article.body_html, article.version) == before


def test_preview_answers_writers(writer_user, newsroom):
    response = preview(logged_in(writer_user), BODY)

    assert response.status_code == 200


def test_anonymous_preview_goes_to_the_login_page(client):
    response = preview(client, BODY)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "permissions",
    [[], ["articles.view_article"]],
    ids=["no-permission", "view-only"],
)
def test_preview_needs_permission_to_add_or_change_articles(permissions):
    client = logged_in(UserFactory(is_staff=True, permissions=permissions))

    assert preview(client, BODY).status_code == 403


def test_moderators_who_cannot_write_cannot_preview(moderator_user):
    assert preview(logged_in(moderator_user), BODY).status_code == 403


def test_preview_refuses_get(superuser_client):
    response = superuser_client.get(reverse(PREVIEW_URL), {"body": "x"})

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Send the body to preview."),
        (
            {"body": "x" * (editor.MAX_PREVIEW_CHARS + 1)},
            "The body is too long to preview (over 200,000 characters).",
        ),
        ({"body": "a\x00b"}, "The body contains a NUL character, which cannot be saved."),
        ({"body": "x", "article": "seven"}, "The article to preview is not a number."),
        ({"body": "x", "article": "-1"}, "The article to preview is not a number."),
    ],
    ids=["missing", "too-long", "nul", "article-not-a-number", "article-negative"],
)
def test_preview_refuses_bad_input_with_a_400_and_a_reason(superuser_client, data, message):
    response = superuser_client.post(reverse(PREVIEW_URL), data)

    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_preview_of_the_longest_allowed_body_renders(superuser_client):
    response = preview(superuser_client, "x" * editor.MAX_PREVIEW_CHARS)

    assert response.status_code == 200


def test_a_request_beyond_djangos_upload_limit_is_a_400(superuser_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = preview(superuser_client, "x" * 2000)

    assert response.status_code == 400


def test_preview_of_an_article_in_the_trash_or_missing_is_not_found(
    superuser_client, newsroom, editor_user
):
    article = newsroom["article"]
    workflow.move_to_trash(article=article, by=editor_user)

    for article_id in (str(article.pk), "999999"):
        response = superuser_client.post(reverse(PREVIEW_URL), {"body": "x", "article": article_id})
        assert response.status_code == 404
        assert response.json() == {"error": "That article does not exist or is in the trash."}


# --- "Link to article" search -----------------------------------------------------------------


def test_search_finds_articles_by_title_whatever_the_case(superuser_client, newsroom):
    response = search(superuser_client, q="MONEY")

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": newsroom["live"].pk,
                "title": "The money trail",
                "slug": "money-trail",
                "status": "published",
                "status_label": "Published",
                "live": True,
            }
        ]
    }


def test_search_offers_drafts_to_staff_after_live_articles(superuser_client, newsroom):
    results = search(superuser_client, q="the").json()["results"]

    assert [(r["title"], r["live"]) for r in results] == [
        ("The money trail", True),
        ("The plan", False),
    ]
    assert results[1]["status_label"] == "Draft"


def test_search_leaves_out_the_trash_and_the_article_being_edited(
    superuser_client, newsroom, editor_user
):
    workflow.move_to_trash(article=newsroom["draft"], by=editor_user)
    ArticleFactory(title="The other trail")

    results = search(superuser_client, q="trail", exclude=newsroom["live"].pk).json()["results"]

    assert [r["title"] for r in results] == ["The other trail"]


def test_search_returns_at_most_twenty(superuser_client):
    topic = TopicFactory()
    for n in range(editor.SEARCH_LIMIT + 5):
        ArticleFactory(title=f"Sanctions, part {n:02}", primary_topic=topic)

    results = search(superuser_client, q="sanctions").json()["results"]

    assert len(results) == editor.SEARCH_LIMIT == 20
    assert results[0]["title"] == "Sanctions, part 00"


def test_search_for_staff_who_may_not_see_drafts_finds_only_live_articles(newsroom):
    user = UserFactory(is_staff=True, permissions=["articles.change_article"])

    results = search(logged_in(user), q="the").json()["results"]

    assert [r["title"] for r in results] == ["The money trail"]


def test_anonymous_search_goes_to_the_login_page(client, newsroom):
    response = search(client, q="money")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_search_needs_a_permission_on_articles(newsroom):
    client = logged_in(UserFactory(is_staff=True, permissions=["authors.view_author"]))

    assert search(client, q="money").status_code == 403


def test_search_refuses_post(superuser_client):
    assert superuser_client.post(reverse(SEARCH_URL), {"q": "x"}).status_code == 405


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, "Search for at most 200 characters."),
        ({"q": "a\x00b"}, "The search contains a NUL character."),
        ({"q": "x", "exclude": "one"}, "The article to leave out is not a number."),
    ],
    ids=["too-long", "nul", "exclude-not-a-number"],
)
def test_search_refuses_bad_input_with_a_400(superuser_client, params, message):
    response = search(superuser_client, **params)

    assert response.status_code == 400
    assert response.json() == {"error": message}


# --- the change form ------------------------------------------------------------------------


def test_change_form_carries_the_editor_wired_to_its_endpoints(superuser_client, newsroom):
    article = newsroom["article"]

    response = superuser_client.get(change_url(article))

    page = parse(response)
    root = page.one("div", data_body_editor=True)
    assert root.attrs["data-textarea"] == "id_body"
    assert root.attrs["data-preview-url"] == reverse(PREVIEW_URL)
    assert root.attrs["data-search-url"] == reverse(SEARCH_URL)
    assert root.attrs["data-article-id"] == str(article.pk)
    assert root.one("textarea", id="id_body", name="body")
    # Toolbar and preview wait for the script: without it they could do nothing.
    assert "hidden" in root.one("div", id="id_body-toolbar").attrs
    assert "hidden" in root.one("section", id="id_body-preview-pane").attrs
    assert root.one("div", id="id_body-preview")
    assert root.one("p", id="id_body-preview-status").attrs["role"] == "status"
    inserts = {b.attrs["data-editor-insert"]: b.text for b in root.select("button")
               if "data-editor-insert" in b.attrs}  # fmt: skip
    assert inserts == {
        "heading": "Heading",
        "bold": "Bold",
        "italic": "Italic",
        "callout": "Insert callout",
        "quote": "Insert quote",
    }
    assert all(b.attrs["type"] == "button" for b in root.select("button"))  # never submit
    assert root.one("input", id="id_body-article-search")
    assert root.one("ul", id="id_body-article-results")
    assert [o.attrs["value"] for o in root.one("datalist").select("option")] == ["leila"]
    for control in ("id_body-callout-kind", "id_body-quote-key", "id_body-article-search"):
        assert root.one("label", **{"for": control})


def test_callout_choices_follow_the_settings(superuser_client, newsroom, settings):
    settings.DOSSIER = {**settings.DOSSIER, "CALLOUT_KINDS": {"aside": "Aside", "tip": "Tip"}}

    page = parse(superuser_client.get(change_url(newsroom["article"])))

    options = page.one("select", id="id_body-callout-kind").select("option")
    assert [(o.attrs["value"], o.text) for o in options] == [("aside", "Aside"), ("tip", "Tip")]


def test_add_form_carries_the_editor_without_an_article(superuser_client, newsroom):
    page = parse(superuser_client.get(reverse("admin:articles_article_add")))

    root = page.one("div", data_body_editor=True)
    assert root.attrs["data-article-id"] == ""
    assert root.one("datalist").select("option") == []


def test_change_form_loads_the_editor_script_through_media(superuser_client, newsroom):
    response = superuser_client.get(change_url(newsroom["article"]))

    assert '<script src="/static/js/article-editor.js" defer></script>' in (
        response.content.decode()
    )
    assert "js/article-editor.js" in str(response.context["media"])
    assert finders.find("js/article-editor.js"), "the script is a static file we serve"


def test_change_form_has_no_inline_script_or_style(superuser_client, newsroom):
    html = superuser_client.get(change_url(newsroom["article"])).content.decode()

    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html


def test_read_only_change_form_has_no_editor_and_no_save_and_preview(moderator_user, writer_user):
    article = writers_article(writer_user, Status.IN_REVIEW)

    html = logged_in(moderator_user).get(change_url(article)).content.decode()

    assert "data-body-editor" not in html
    assert "_saveandpreview" not in html


@pytest.mark.parametrize(
    ("value", "text", "over"),
    [
        ("", "0 / 60 characters", False),
        ("x" * 60, "60 / 60 characters", False),
        ("x" * 61, "61 / 60 characters: longer than search results show", True),
    ],
    ids=["empty", "at-the-limit", "over"],
)
def test_seo_title_counter_says_how_long_it_is(superuser_client, value, text, over):
    article = ArticleFactory(seo_title=value)

    page = parse(superuser_client.get(change_url(article)))

    counter = page.one("span", id="id_seo_title-counter")
    assert counter.text == text
    assert ("dossier-counter--over" in counter.classes) is over
    assert counter.attrs["aria-live"] == "polite"
    assert counter.attrs["data-counter-for"] == "id_seo_title"
    assert counter.attrs["data-recommended"] == "60"
    described = page.one("input", id="id_seo_title").attrs["aria-describedby"].split()
    assert described == ["id_seo_title_helptext", "id_seo_title-counter"]


def test_meta_description_counter_recommends_155(superuser_client):
    article = ArticleFactory(meta_description="y" * 156)

    counter = parse(superuser_client.get(change_url(article))).one(
        "span", id="id_meta_description-counter"
    )

    assert counter.text == "156 / 155 characters: longer than search results show"
    assert counter.attrs["data-recommended"] == "155"


def test_counters_leave_the_fields_hard_limits_alone(superuser_client):
    page = parse(superuser_client.get(reverse("admin:articles_article_add")))

    assert page.one("input", id="id_seo_title").attrs["maxlength"] == "70"
    assert page.one("input", id="id_meta_description").attrs["maxlength"] == "200"


# --- save and preview ---------------------------------------------------------------------------


def test_save_and_preview_button_follows_the_save_buttons(superuser_client, newsroom):
    html = superuser_client.get(change_url(newsroom["article"])).content.decode()

    buttons = re.findall(r'<input type="submit" value="([^"]+)"[^>]*name="(_\w+)"', html)
    # Twice: the row above the form and the one below.
    assert buttons.count(("Save and preview", "_saveandpreview")) == 2
    # Enter in a field submits with the first button, which must stay a plain save.
    assert buttons[0] == ("Save", "_save")


def test_save_and_preview_saves_then_shows_the_draft_as_readers_will(
    superuser_client, frozen_now, writer_user
):
    article = writers_article(writer_user, Status.DRAFT, title="Before")
    data = form_data(superuser_client.get(change_url(article)))
    data.pop("_save")

    response = superuser_client.post(
        change_url(article), {**data, "title": "After", "_saveandpreview": "Save and preview"}
    )

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert reloaded(article).title == "After"
    assert messages_of(response, constants.SUCCESS) == ["“After” was saved and opened in preview."]
    page = parse(superuser_client.get(response["Location"]))
    assert page.one("h1").text == "After"
    banner = page.one("p", class_="preview-banner")
    assert (change_url(article), "Back to the editor") in banner.links()


def test_save_and_preview_from_the_add_form_opens_the_new_article(superuser_client, newsroom):
    data = form_data(superuser_client.get(reverse("admin:articles_article_add")))
    data.pop("_save")
    data.update(
        title="Caspian shipping",
        slug="caspian-shipping",
        primary_topic=str(newsroom["article"].primary_topic_id),
        body="Ships cross the sea.",
        _saveandpreview="Save and preview",
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": str(AuthorFactory().pk),
            "bylines-0-sort_order": "0",
        },
    )

    response = superuser_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(slug="caspian-shipping")
    assert response["Location"] == article.get_absolute_url()
    assert article.status == Status.DRAFT


def test_save_and_preview_of_a_stale_version_is_refused_like_any_save(frozen_now, writer_user):
    article = writers_article(writer_user, Status.DRAFT, title="Original")
    first, second = logged_in(superuser()), logged_in(superuser())
    data_first = form_data(first.get(change_url(article)))
    data_second = form_data(second.get(change_url(article)))
    assert first.post(change_url(article), {**data_first, "title": "First"}).status_code == 302
    data_second.pop("_save")

    response = second.post(
        change_url(article), {**data_second, "title": "Second", "_saveandpreview": "1"}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [e.code for e in errors] == ["edit_conflict"]
    assert reloaded(article).title == "First"


def test_the_change_form_takes_its_edit_conflict_from_the_workflow_check(
    monkeypatch, frozen_now, writer_user
):
    """The form has no version check of its own: workflow.check_version decides."""
    article = writers_article(writer_user, Status.DRAFT, title="Original")
    client = logged_in(superuser())
    data = form_data(client.get(change_url(article)))

    def conflict(*, article: Article, expected_version: int | None) -> int:
        raise workflow.EditConflict(article, (expected_version or 0) + 1)

    monkeypatch.setattr(workflow, "check_version", conflict)
    response = client.post(change_url(article), {**data, "title": "Mine"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [e.code for e in errors] == ["edit_conflict"]
    assert reloaded(article).title == "Original"


def test_save_and_preview_for_someone_who_cannot_open_drafts_returns_to_the_form(frozen_now):
    user = UserFactory(is_staff=True, permissions=["articles.change_article"])
    article = article_in(Status.DRAFT, created_by=user, title="Mine", authors=[AuthorFactory()])
    data = form_data(logged_in(superuser()).get(change_url(article)))
    data.pop("_save")

    response = logged_in(user).post(
        change_url(article), {**data, "title": "Mine, edited", "_saveandpreview": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    assert reloaded(article).title == "Mine, edited"
    [warning] = messages_of(response, constants.WARNING)
    assert "cannot open previews of unpublished articles" in warning


def test_shared_preview_offers_no_way_into_the_admin(client, frozen_now, newsroom, editor_user):
    from articles import preview as preview_links

    link = preview_links.share_preview(article=newsroom["draft"], by=editor_user)

    page = parse(client.get(link.get_absolute_url()))

    assert "Back to the editor" not in page.one("p", class_="preview-banner").text


# --- a message for every workflow action ------------------------------------------------------

SOURCE = {name: sorted(t.sources)[0] for name, t in workflow.TRANSITIONS.items()}


@pytest.mark.parametrize("name", sorted(workflow.TRANSITIONS))
def test_every_transition_says_what_happened(editor_user, frozen_now, name):
    article = article_in(SOURCE[name], title="Caspian shipping")

    response = logged_in(editor_user).post(
        transition_url(article, name), current_version(article, reason="Needs sources.")
    )

    target = reloaded(article)
    assert messages_of(response, constants.SUCCESS) == [
        f"“Caspian shipping” is now {target.get_status_display().lower()}."
    ]
    assert messages_of(response, constants.ERROR) == []


@pytest.mark.parametrize("name", sorted(workflow.TRANSITIONS))
def test_every_refused_transition_says_why(editor_user, frozen_now, name):
    wrong = next(s for s in Status if s not in workflow.TRANSITIONS[name].sources)
    article = article_in(wrong, title="Caspian shipping")

    response = logged_in(editor_user).post(
        transition_url(article, name), current_version(article, reason="Needs sources.")
    )

    [error] = messages_of(response, constants.ERROR)
    label = workflow.TRANSITIONS[name].label.lower()
    assert error == f"You cannot {label} “Caspian shipping” while it is {wrong.label.lower()}."
    assert reloaded(article).status == wrong


def test_bulk_delete_says_the_articles_went_to_the_trash(frozen_now, writer_user):
    drafts = [writers_article(writer_user, Status.DRAFT) for _ in range(2)]
    client = logged_in(writer_user)

    confirm = post_action(client, "delete_selected", drafts)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [str(a.pk) for a in drafts],
         "index": "0", "select_across": "0", "post": "yes"},
    )  # fmt: skip

    assert confirm.status_code == 200  # Django's confirmation page comes first
    assert response.status_code == 302
    assert [reloaded(a).deleted_at for a in drafts] == [frozen_now, frozen_now]
    assert messages_of(response, constants.SUCCESS) == [
        "Moved 2 article(s) to the trash. Editors can restore them from the list's trash filter."
    ]


def test_bulk_action_menu_names_the_trash(editor_user):
    response = logged_in(editor_user).get(reverse("admin:articles_article_changelist"))

    choices = dict(response.context["action_form"].fields["action"].choices)
    assert choices["delete_selected"] == "Move selected articles to the trash"


@pytest.mark.parametrize("action", ["restore_selected", "purge_selected"])
def test_bulk_trash_actions_on_articles_outside_the_trash_say_so(editor_user, action):
    articles = [article_in(Status.PUBLISHED) for _ in range(2)]

    response = post_action(logged_in(editor_user), action, articles)

    assert messages_of(response, constants.SUCCESS) == []
    [warning] = messages_of(response, constants.WARNING)
    assert warning.startswith("2 selected article(s) are not in the trash and were left as they")
    assert all(reloaded(a).deleted_at is None for a in articles)


def test_bulk_restore_from_the_trash_filter_counts_what_it_restored(frozen_now, editor_user):
    articles = [article_in(Status.PUBLISHED) for _ in range(2)]
    for article in articles:
        workflow.move_to_trash(article=article, by=editor_user)

    response = post_action(logged_in(editor_user), "restore_selected", articles, "?trash=only")

    assert messages_of(response, constants.SUCCESS) == ["Restored 2 article(s) from the trash."]
    # No "not in the trash" warning; only that both are live again.
    [warning] = messages_of(response, constants.WARNING)
    assert warning.startswith("2 of them are published and live on the site again: ")


# --- no byline, no publishing ---------------------------------------------------------------

NO_BYLINE = (
    "Add at least one author to the byline of “Caspian shipping” before publishing or "
    "scheduling it."
)


@pytest.mark.parametrize(
    ("name", "source", "scheduled"),
    [
        ("publish", Status.DRAFT, False),
        ("publish", Status.DRAFT, True),
        ("approve", Status.IN_REVIEW, False),
        ("approve", Status.IN_REVIEW, True),
    ],
    ids=["publish", "publish-scheduled", "approve", "approve-scheduled"],
)
def test_publishing_without_a_byline_is_refused_with_a_message_and_nothing_is_lost(
    editor_user, frozen_now, name, source, scheduled
):
    go_live = frozen_now + timedelta(days=2) if scheduled else None
    article = article_in(
        source, title="Caspian shipping", body=BODY, publish_at=go_live, authors=[]
    )
    before = reloaded(article)

    response = logged_in(editor_user).post(transition_url(article, name), current_version(article))

    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    assert messages_of(response, constants.ERROR) == [NO_BYLINE]
    assert messages_of(response, constants.SUCCESS) == []
    after = reloaded(article)
    assert (after.status, after.publish_at, after.version, after.title, after.body) == (
        source,
        go_live,
        before.version,
        "Caspian shipping",
        BODY,
    )
    assert not ArticleActivity.objects.filter(article=article, action=name).exists()


def test_an_author_added_in_the_form_lets_the_editor_publish(editor_user, frozen_now):
    article = article_in(Status.DRAFT, title="Caspian shipping", authors=[])
    writer = AuthorFactory(name="Ilse Marrow")
    client = logged_in(editor_user)
    data = form_data(client.get(change_url(article)))
    data["bylines-0-author"] = str(writer.pk)

    saved = client.post(change_url(article), data)
    response = client.post(transition_url(article, "publish"), current_version(article))

    assert saved.status_code == 302
    assert messages_of(response, constants.ERROR) == []
    # The save's message is still queued: nothing displayed it in between.
    assert messages_of(response, constants.SUCCESS)[-1] == "“Caspian shipping” is now published."
    assert [b.author for b in reloaded(article).bylines.all()] == [writer]
    assert list(Article.objects.live()) == [article]


def _rescheduled(client, article: Article, go_live, author=None) -> dict:
    """The change form of `article` with its publish time moved to `go_live` and, if given,
    `author` in the byline's (empty) first row: one POST."""
    data = form_data(client.get(change_url(article)))
    local = timezone.localtime(go_live)
    data["publish_at_0"], data["publish_at_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
    if author is not None:
        data["bylines-0-author"] = str(author.pk)
    return data


def test_rescheduling_a_bylineless_live_article_needs_an_author_in_the_same_post(
    editor_user, frozen_now
):
    # Older data: live with an empty byline, from before publishing required one.
    article = ArticleFactory(title="Caspian shipping", slug="caspian-shipping")
    go_live = frozen_now + timedelta(days=3)
    client = logged_in(editor_user)

    response = client.post(change_url(article), _rescheduled(client, article, go_live))

    assert response.status_code == 200
    assert "Add at least one author to the byline." in response.content.decode()
    assert reloaded(article).publish_at == article.publish_at
    assert list(Article.objects.live()) == [article]


def test_rescheduling_with_an_author_added_in_the_same_post_succeeds(editor_user, frozen_now):
    article = ArticleFactory(title="Caspian shipping", slug="caspian-shipping")
    writer = AuthorFactory(name="Ilse Marrow")
    go_live = frozen_now + timedelta(days=3)
    client = logged_in(editor_user)

    response = client.post(change_url(article), _rescheduled(client, article, go_live, writer))

    assert response.status_code == 302
    after = reloaded(article)
    assert [b.author for b in after.bylines.all()] == [writer]
    assert after.publish_at == go_live
    assert list(Article.objects.scheduled()) == [article]


def test_bulk_approve_names_the_articles_without_a_byline_and_leaves_them_in_review(
    editor_user, frozen_now
):
    ready = article_in(Status.IN_REVIEW, title="Ready")
    bylineless = article_in(Status.IN_REVIEW, title="Caspian shipping", authors=[])

    response = post_action(logged_in(editor_user), "approve_selected", [ready, bylineless])

    assert messages_of(response, constants.SUCCESS) == [
        "Approve and publish: done for 1 article(s)."
    ]
    assert messages_of(response, constants.WARNING) == []
    [error] = messages_of(response, constants.ERROR)
    assert "1 article(s) with no author on the byline" in error
    assert error.endswith(": Caspian shipping.")
    assert reloaded(ready).status == Status.PUBLISHED
    assert reloaded(bylineless).status == Status.IN_REVIEW


# --- the slug follows the title (static/js/slug-from-title.js) ---------------------------


def test_the_add_form_asks_the_slug_to_follow_the_title(superuser_client):
    page = parse(superuser_client.get(reverse("admin:articles_article_add")))
    slug = page.one("input", id="id_slug")
    assert slug.attrs["data-slug-from"] == "id_title"
    scripts = [s.attrs.get("src", "") for s in page.select("script")]
    assert any(src.endswith("js/slug-from-title.js") for src in scripts)
    assert finders.find("js/slug-from-title.js")
    # Django's own prepopulating is not used beside it: two scripts would fight over the slug.
    [django_prepopulate] = page.select("script", id="django-admin-prepopulated-fields-constants")
    assert django_prepopulate.attrs["data-prepopulated-fields"] == "[]"


def test_an_existing_articles_slug_does_not_follow_its_title(superuser_client):
    article = ArticleFactory()
    page = parse(superuser_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    assert "data-slug-from" not in page.one("input", id="id_slug").attrs
