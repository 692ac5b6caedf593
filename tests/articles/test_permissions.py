"""Who may do what to an article, checked through HTTP against the admin, including direct POSTs
to URLs the role's screens never show. Roles are the groups the roles migration creates."""

from __future__ import annotations

from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.messages import constants, get_messages
from django.test import Client
from django.urls import reverse

from articles import workflow
from articles.models import Article, ArticleActivity, ExpertQuote, Status
from tests.conftest import FROZEN_NOW
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    ReportFactory,
    TopicFactory,
    UserFactory,
    article_in,
    superuser,
)

pytestmark = pytest.mark.django_db

ROLES = ["writer_user", "moderator_user", "editor_user", "admin_user"]
REASON = "Please source the second section."


# --- helpers ------------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """What a browser would submit from one <form>: its fields and their current values."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            return
        name = attributes.get("name")
        if not self.inside:
            return
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self._add(name, attributes.get("value") or "on")
            elif kind not in {"submit", "button", "image", "file", "reset"}:
                self._add(name, attributes.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self._add(self._select, attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline Django writes right after <textarea>.
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None


def form_data(response, form_id: str = "article_form") -> dict[str, list[str] | str]:
    assert response.status_code == 200
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form #{form_id} with fields on the page"
    return {**reader.data, "_save": "Save"}


def messages_of(response, level: int | None = None) -> list[str]:
    return [
        str(m) for m in get_messages(response.wsgi_request) if level is None or m.level == level
    ]


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def current_version(article: Article | int, **data) -> dict:
    """A transition POST as the admin's buttons send it: with the version on the page."""
    pk = article if isinstance(article, int) else article.pk
    version = Article.objects.filter(pk=pk).values_list("version", flat=True).first()
    return {**data, "version": "" if version is None else str(version)}


def transition_url(article: Article | int, name: str) -> str:
    pk = article if isinstance(article, int) else article.pk
    return reverse("admin:articles_article_transition", args=[pk, name])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def full_change_form(article: Article) -> dict:
    """The change form as someone allowed to edit it would submit it unchanged, so a refused
    POST is refused for the role and not for missing fields."""
    return form_data(logged_in(superuser()).get(change_url(article)))


def reloaded(article: Article) -> Article:
    return Article.objects.get(pk=article.pk)


def writers_article(writer, status: str, **kwargs) -> Article:
    """An article the writer started, with a byline (the change form requires one)."""
    kwargs.setdefault("authors", [AuthorFactory()])
    return article_in(status, created_by=writer, **kwargs)


def actions_for(client) -> set[str]:
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    form = response.context["action_form"]
    return {value for value, _label in form.fields["action"].choices if value}


def post_action(client, action: str, articles, query: str = ""):
    return client.post(
        reverse("admin:articles_article_changelist") + query,
        {
            "action": action,
            "_selected_action": [str(a.pk) for a in articles],
            "index": "0",
            "select_across": "0",
        },
    )


# --- (a) creating -------------------------------------------------------------------------


def test_writer_creates_an_article_as_a_draft_through_the_add_form(client, frozen_now, writer_user):
    topic = TopicFactory()
    author = AuthorFactory(name="Nadia Petrova")
    client.force_login(writer_user)
    add_url = reverse("admin:articles_article_add")
    data = form_data(client.get(add_url))
    data.update(
        {
            "title": "Caspian shipping",
            "slug": "caspian-shipping",
            "standfirst": "Trade across the Caspian is growing.",
            "body": "Ships cross the sea.",
            "primary_topic": str(topic.pk),
            "bylines-0-author": str(author.pk),
            # Not a field of the form: a forged state is ignored.
            "status": Status.PUBLISHED,
        }
    )

    response = client.post(add_url, data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    article = Article.objects.get(slug="caspian-shipping")
    assert article.status == Status.DRAFT
    assert article.publish_at is None
    assert article.created_by == writer_user
    assert [b.author for b in article.bylines.all()] == [author]
    [entry] = ArticleActivity.objects.filter(article=article)
    assert (entry.action, entry.actor, entry.to_status) == ("create", writer_user, Status.DRAFT)


def test_moderator_cannot_open_or_post_the_add_form(client, moderator_user):
    client.force_login(moderator_user)
    add_url = reverse("admin:articles_article_add")

    assert client.get(add_url).status_code == 403
    assert client.post(add_url, {"title": "x"}).status_code == 403
    assert not Article.objects.exists()


# --- (b) editing --------------------------------------------------------------------------

EDIT_CASES = [
    # role, whose article, its state, may edit
    ("writer_user", "own", Status.DRAFT, True),
    ("writer_user", "own", Status.RETURNED, True),
    ("writer_user", "own", Status.IN_REVIEW, False),
    ("writer_user", "own", Status.PUBLISHED, False),
    ("writer_user", "other", Status.DRAFT, False),
    ("moderator_user", "writer", Status.IN_REVIEW, False),
    ("moderator_user", "writer", Status.PUBLISHED, False),
    ("editor_user", "writer", Status.DRAFT, True),
    ("editor_user", "writer", Status.IN_REVIEW, True),
    ("editor_user", "writer", Status.PUBLISHED, True),
    ("admin_user", "writer", Status.ARCHIVED, True),
]


@pytest.mark.parametrize(
    ("role", "whose", "status", "allowed"),
    EDIT_CASES,
    ids=[f"{r}-{w}-{s}-{'ok' if a else 'refused'}" for r, w, s, a in EDIT_CASES],
)
def test_posting_the_change_form_per_role(
    request, frozen_now, writer_user, role, whose, status, allowed
):
    user = request.getfixturevalue(role)
    owner = UserFactory(is_staff=True) if whose == "other" else writer_user
    article = writers_article(owner, status, title="Old headline")
    before = reloaded(article)
    data = full_change_form(article)
    assert data["expected_version"] == [str(before.version)]
    data["title"] = "New headline"
    # Not fields of the form: the state, owner, version and trash mark cannot be forged.
    data.update(status=Status.PUBLISHED, created_by=str(user.pk), version="99", deleted_at="")

    response = logged_in(user).post(change_url(article), data)

    after = reloaded(article)
    if allowed:
        assert response.status_code == 302, response.context and response.context.get("errors")
        assert after.title == "New headline"
        assert after.version == before.version + 1
        assert after.status == status  # editing never changes the state
        assert after.created_by == owner
        assert ArticleActivity.objects.filter(article=article, action="edit", actor=user).exists()
    else:
        assert response.status_code == 403
        assert (after.title, after.version) == ("Old headline", before.version)
        assert not ArticleActivity.objects.filter(article=article).exists()


def test_writer_sees_own_article_in_review_read_only(client, writer_user):
    article = writers_article(writer_user, Status.IN_REVIEW)
    client.force_login(writer_user)

    response = client.get(change_url(article))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="title"' not in response.content.decode()


def test_moderator_sees_the_change_form_read_only_with_review_buttons(
    client, writer_user, moderator_user
):
    article = writers_article(writer_user, Status.IN_REVIEW)
    client.force_login(moderator_user)

    response = client.get(change_url(article))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert [t.name for t in response.context["workflow_actions"]] == ["approve", "return"]
    content = response.content.decode()
    assert transition_url(article, "approve") in content
    assert transition_url(article, "return") in content
    assert transition_url(article, "archive") not in content


def test_writer_sees_only_the_submit_button_on_own_draft(client, writer_user):
    article = writers_article(writer_user, Status.DRAFT)
    client.force_login(writer_user)

    response = client.get(change_url(article))

    assert [t.name for t in response.context["workflow_actions"]] == ["submit"]
    assert transition_url(article, "publish") not in response.content.decode()


SAVE_FIRST = "Save your changes before using these buttons."
SCHEDULE = "To schedule, set “publish at” to a future time, save, then press “{}”."
WORKFLOW_HELP_CASES = [
    ("writer_user", Status.DRAFT, SAVE_FIRST),
    ("writer_user", Status.RETURNED, SAVE_FIRST),
    ("moderator_user", Status.IN_REVIEW, ""),  # reads the form, cannot save or schedule
    ("editor_user", Status.DRAFT, f"{SAVE_FIRST} {SCHEDULE.format('Publish')}"),
    ("editor_user", Status.IN_REVIEW, f"{SAVE_FIRST} {SCHEDULE.format('Approve and publish')}"),
    ("editor_user", Status.PUBLISHED, SAVE_FIRST),
]


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    WORKFLOW_HELP_CASES,
    ids=[f"{role}-{status}" for role, status, _ in WORKFLOW_HELP_CASES],
)
def test_workflow_box_explains_only_the_steps_of_the_persons_role(
    request, writer_user, role, status, expected
):
    article = writers_article(writer_user, status)

    response = logged_in(request.getfixturevalue(role)).get(change_url(article))

    assert response.context["workflow_help"] == expected
    content = response.content.decode()
    assert "publish or approve" not in content
    if "To schedule" not in expected:
        assert "To schedule" not in content


# --- (c)-(e) workflow buttons, by direct POST ---------------------------------------------

TRANSITION_MATRIX = [
    # transition, source state, roles that may apply it to the writer's article
    ("submit", Status.DRAFT, {"writer_user", "editor_user", "admin_user"}),
    ("submit", Status.RETURNED, {"writer_user", "editor_user", "admin_user"}),
    ("approve", Status.IN_REVIEW, {"moderator_user", "editor_user", "admin_user"}),
    ("publish", Status.DRAFT, {"editor_user", "admin_user"}),
    ("publish", Status.UNPUBLISHED, {"editor_user", "admin_user"}),
    ("return", Status.IN_REVIEW, {"moderator_user", "editor_user", "admin_user"}),
    ("unpublish", Status.PUBLISHED, {"moderator_user", "editor_user", "admin_user"}),
    ("archive", Status.DRAFT, {"editor_user", "admin_user"}),
    ("archive", Status.PUBLISHED, {"editor_user", "admin_user"}),
    ("reopen", Status.RETURNED, {"writer_user", "editor_user", "admin_user"}),
    ("reopen", Status.ARCHIVED, {"writer_user", "editor_user", "admin_user"}),
]
TRANSITION_CASES = [
    (role, name, source, role in allowed)
    for name, source, allowed in TRANSITION_MATRIX
    for role in ROLES
]


@pytest.mark.parametrize(
    ("role", "name", "source", "allowed"),
    TRANSITION_CASES,
    ids=[f"{r}-{n}-from-{s}-{'ok' if a else 'refused'}" for r, n, s, a in TRANSITION_CASES],
)
def test_transition_by_direct_post_per_role(
    request, frozen_now, writer_user, role, name, source, allowed
):
    user = request.getfixturevalue(role)
    article = writers_article(writer_user, source)
    reason = REASON if name == "return" else ""

    response = logged_in(user).post(
        transition_url(article, name), current_version(article, reason=reason)
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    after = reloaded(article)
    entries = ArticleActivity.objects.filter(article=article)
    if allowed:
        target = workflow.TRANSITIONS[name].target
        assert after.status == target
        assert messages_of(response, constants.ERROR) == []
        [entry] = entries
        assert (entry.actor, entry.action, entry.from_status, entry.to_status, entry.reason) == (
            user,
            name,
            source,
            target,
            reason,
        )
    else:
        assert after.status == source
        assert not entries.exists()
        [error] = messages_of(response, constants.ERROR)
        label = workflow.TRANSITIONS[name].label.lower()
        assert error == f"You cannot {label} “{article.title}”: your role does not allow it."


def test_writer_cannot_submit_someone_elses_draft(client, writer_user):
    article = writers_article(UserFactory(is_staff=True), Status.DRAFT)
    client.force_login(writer_user)

    response = client.post(transition_url(article, "submit"), current_version(article))

    assert reloaded(article).status == Status.DRAFT
    assert messages_of(response, constants.ERROR) == [
        f"You cannot submit for review “{article.title}”: your role allows it only on your own "
        "articles."
    ]


@pytest.mark.parametrize("name", ["publish", "approve", "archive"])
def test_writers_forged_step_is_refused_for_the_role_not_the_state(client, writer_user, name):
    """Approve is not open from a draft either; the writer hears the reason that always holds."""
    article = writers_article(writer_user, Status.DRAFT)
    client.force_login(writer_user)

    response = client.post(transition_url(article, name), current_version(article))

    label = workflow.TRANSITIONS[name].label.lower()
    assert messages_of(response, constants.ERROR) == [
        f"You cannot {label} “{article.title}”: your role does not allow it."
    ]
    assert reloaded(article).status == Status.DRAFT


def test_moderator_returns_with_a_reason_and_the_writer_sees_it_returned(
    client, frozen_now, writer_user, moderator_user
):
    article = writers_article(writer_user, Status.IN_REVIEW)
    client.force_login(moderator_user)

    response = client.post(
        transition_url(article, "return"), current_version(article, reason=REASON)
    )

    assert reloaded(article).status == Status.RETURNED
    assert messages_of(response, constants.SUCCESS) == [
        f"“{article.title}” is now returned to writer."
    ]
    entry = ArticleActivity.objects.get(article=article)
    assert (entry.actor, entry.reason) == (moderator_user, REASON)


def test_return_without_a_reason_is_refused_in_the_admin(client, writer_user, moderator_user):
    article = writers_article(writer_user, Status.IN_REVIEW)
    client.force_login(moderator_user)

    response = client.post(transition_url(article, "return"), current_version(article, reason="  "))

    assert reloaded(article).status == Status.IN_REVIEW
    [error] = messages_of(response, constants.ERROR)
    assert "needs a reason" in error


def test_moderator_approval_publishes_now(client, frozen_now, writer_user, moderator_user):
    article = writers_article(writer_user, Status.IN_REVIEW)
    client.force_login(moderator_user)

    response = client.post(transition_url(article, "approve"), current_version(article))

    after = reloaded(article)
    assert (after.status, after.publish_at) == (Status.PUBLISHED, frozen_now)
    assert after.is_live
    assert messages_of(response, constants.SUCCESS) == [f"“{article.title}” is now published."]


def test_editor_schedules_by_setting_a_future_publish_time_then_publishing(
    client, frozen_now, writer_user, editor_user
):
    article = writers_article(writer_user, Status.DRAFT)
    client.force_login(editor_user)
    data = form_data(client.get(change_url(article)))
    data.update({"publish_at_0": "2026-06-10", "publish_at_1": "15:30:00"})
    assert client.post(change_url(article), data).status_code == 302
    go_live = datetime(2026, 6, 10, 15, 30, tzinfo=FROZEN_NOW.tzinfo)

    response = client.post(
        transition_url(article, "publish"), {"version": str(reloaded(article).version)}
    )

    after = reloaded(article)
    assert (after.status, after.publish_at) == (Status.PUBLISHED, go_live)
    assert messages_of(response, constants.SUCCESS)[-1] == (
        f"“{article.title}” is scheduled: it goes live on 10 Jun 2026, 15:30 UTC."
    )
    assert not Article.objects.live().exists()
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert not Article.objects.live().exists()
    with time_machine.travel(go_live, tick=False):
        assert list(Article.objects.live()) == [after]


# --- delete (trash), restore, purge -------------------------------------------------------

DELETE_CASES = [
    ("writer_user", "own", Status.DRAFT, True),
    ("writer_user", "own", Status.RETURNED, True),
    ("writer_user", "own", Status.IN_REVIEW, False),
    ("writer_user", "own", Status.PUBLISHED, False),
    ("writer_user", "other", Status.DRAFT, False),
    ("moderator_user", "writer", Status.IN_REVIEW, False),
    ("moderator_user", "writer", Status.PUBLISHED, False),
    ("editor_user", "writer", Status.PUBLISHED, True),
    ("editor_user", "writer", Status.IN_REVIEW, True),
    ("admin_user", "writer", Status.PUBLISHED, True),
]


@pytest.mark.parametrize(
    ("role", "whose", "status", "allowed"),
    DELETE_CASES,
    ids=[f"{r}-{w}-{s}-{'ok' if a else 'refused'}" for r, w, s, a in DELETE_CASES],
)
def test_deleting_through_the_admin_moves_to_trash_per_role(
    request, frozen_now, writer_user, role, whose, status, allowed
):
    user = request.getfixturevalue(role)
    owner = UserFactory(is_staff=True) if whose == "other" else writer_user
    article = writers_article(owner, status)
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    client = logged_in(user)

    page = client.get(delete_url)
    response = client.post(delete_url, {"post": "yes"})

    after = Article.objects.filter(pk=article.pk).first()
    assert after is not None, "deleting through the admin never removes the row"
    if allowed:
        assert page.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:articles_article_changelist")
        assert after.deleted_at == frozen_now
        assert after.status == status
        assert any("moved to the trash" in m for m in messages_of(response))
        assert ArticleActivity.objects.filter(article=article, action="trash", actor=user).exists()
    else:
        assert page.status_code == 403
        assert response.status_code == 403
        assert after.deleted_at is None


def test_delete_page_says_the_article_goes_to_the_trash(frozen_now, writer_user, editor_user):
    article = writers_article(writer_user, Status.PUBLISHED)
    ExpertQuoteFactory(article=article, text="Money follows the drones.")

    page = logged_in(editor_user).get(reverse("admin:articles_article_delete", args=[article.pk]))

    content = page.content.decode()
    assert page.context["title"] == "Move to the trash?"
    assert f"Move “{article.title}” to the trash?" in content
    assert "live now: readers will no longer see it" in content
    assert "Nothing is deleted" in content
    assert "restore it from the list’s trash filter" in content
    assert "will be deleted" not in content
    assert "Money follows the drones." not in content  # related rows are not listed as deleted


def test_bulk_delete_page_says_the_articles_go_to_the_trash(client, writer_user):
    drafts = [writers_article(writer_user, Status.DRAFT) for _ in range(2)]
    client.force_login(writer_user)

    page = post_action(client, "delete_selected", drafts)

    content = page.content.decode()
    assert "Move these 2 article(s) to the trash?" in content
    assert all(f"{draft.title}</a> (draft: not on the site)" in content for draft in drafts)
    assert "will be deleted" not in content


def test_bulk_delete_page_names_the_articles_a_writer_may_not_move(client, writer_user):
    own = writers_article(writer_user, Status.DRAFT)
    other = writers_article(UserFactory(is_staff=True), Status.DRAFT)
    client.force_login(writer_user)

    page = post_action(client, "delete_selected", [own, other])

    assert page.context["perms_lacking"] == {other.title}
    assert "You cannot move these selected articles to the trash" in page.content.decode()


def test_editor_trashes_an_article_whose_comments_were_reported(frozen_now, editor_user):
    """Editors may not delete reports; trashing deletes none, so it is not refused for them."""
    article = article_in(Status.PUBLISHED)
    ReportFactory(article=article, comment=CommentFactory(article=article))
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    client = logged_in(editor_user)

    assert "You cannot" not in client.get(delete_url).content.decode()
    response = client.post(delete_url, {"post": "yes"})

    assert response.status_code == 302
    assert reloaded(article).deleted_at == frozen_now


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("writer_user", False),
        ("moderator_user", False),
        ("editor_user", True),
        ("admin_user", True),
    ],
)
def test_restore_from_trash_per_role(request, frozen_now, writer_user, role, allowed):
    user = request.getfixturevalue(role)
    article = writers_article(writer_user, Status.DRAFT)
    workflow.move_to_trash(article=article, by=superuser())

    response = logged_in(user).post(reverse("admin:articles_article_restore", args=[article.pk]))

    if allowed:
        assert response.status_code == 302
        assert reloaded(article).deleted_at is None
        assert messages_of(response, constants.SUCCESS) == [
            f"“{article.title}” was restored from the trash."
        ]
    else:
        assert response.status_code == 403
        assert reloaded(article).deleted_at == frozen_now


def test_restoring_a_published_article_says_it_is_live_again(frozen_now, editor_user):
    article = article_in(Status.PUBLISHED)
    workflow.move_to_trash(article=article, by=editor_user)
    client = logged_in(editor_user)

    page = client.get(change_url(article))
    response = client.post(reverse("admin:articles_article_restore", args=[article.pk]))

    assert "It is published: restoring it puts it back on the site at once." in (
        page.content.decode()
    )
    assert reloaded(article).is_live
    assert messages_of(response, constants.SUCCESS) == [
        f"“{article.title}” was restored from the trash."
    ]
    assert messages_of(response, constants.WARNING) == [
        "It is published, so it is live on the site again. Unpublish it if readers should not "
        "see it."
    ]


def test_restoring_a_scheduled_article_says_when_it_goes_live(frozen_now, editor_user):
    go_live = frozen_now + timedelta(days=9, hours=3, minutes=30)
    article = article_in(Status.PUBLISHED, publish_at=go_live)
    workflow.move_to_trash(article=article, by=editor_user)

    response = logged_in(editor_user).post(
        reverse("admin:articles_article_restore", args=[article.pk])
    )

    assert messages_of(response, constants.WARNING) == [
        "It is scheduled, so it goes live on 10 Jun 2026, 15:30 UTC. Unpublish it if it should not."
    ]


def test_restoring_a_draft_says_nothing_about_the_site(frozen_now, editor_user):
    article = article_in(Status.DRAFT)
    workflow.move_to_trash(article=article, by=editor_user)
    client = logged_in(editor_user)

    page = client.get(change_url(article))
    response = client.post(reverse("admin:articles_article_restore", args=[article.pk]))

    assert "restoring it puts it back on the site" not in page.content.decode()
    assert messages_of(response, constants.WARNING) == []


def test_bulk_restore_names_the_articles_that_are_live_again(client, frozen_now, editor_user):
    live, draft = article_in(Status.PUBLISHED), article_in(Status.DRAFT)
    for article in (live, draft):
        workflow.move_to_trash(article=article, by=editor_user)
    client.force_login(editor_user)

    response = post_action(client, "restore_selected", [live, draft], query="?trash=only")

    assert messages_of(response, constants.SUCCESS) == ["Restored 2 article(s) from the trash."]
    assert messages_of(response, constants.WARNING) == [
        f"1 of them are published and live on the site again: {live.title}. Unpublish any "
        "that readers should not see."
    ]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("writer_user", False),
        ("moderator_user", False),
        ("editor_user", True),
        ("admin_user", True),
    ],
)
def test_purge_per_role(request, frozen_now, writer_user, role, allowed):
    user = request.getfixturevalue(role)
    article = writers_article(writer_user, Status.DRAFT)
    workflow.move_to_trash(article=article, by=superuser())

    response = logged_in(user).post(reverse("admin:articles_article_purge", args=[article.pk]))

    assert response.status_code == 302
    if allowed:
        assert not Article.objects.filter(pk=article.pk).exists()
        assert response["Location"] == reverse("admin:articles_article_changelist") + "?trash=only"
        assert messages_of(response, constants.SUCCESS) == [
            f"“{article.title}” was deleted for good."
        ]
    else:
        assert Article.objects.filter(pk=article.pk).exists()
        assert messages_of(response, constants.ERROR) == [
            "Only editors can delete articles for good."
        ]


def test_purge_of_an_article_that_is_not_in_the_trash_is_not_found(client, editor_user):
    article = article_in(Status.PUBLISHED)
    client.force_login(editor_user)

    response = client.post(reverse("admin:articles_article_purge", args=[article.pk]))

    assert response.status_code == 404
    assert Article.objects.filter(pk=article.pk).exists()


def test_restore_of_an_article_that_is_not_in_the_trash_is_not_found(client, editor_user):
    article = article_in(Status.PUBLISHED)
    client.force_login(editor_user)

    response = client.post(reverse("admin:articles_article_restore", args=[article.pk]))

    assert response.status_code == 404
    assert not ArticleActivity.objects.filter(article=article).exists()


# --- (f) malformed requests ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["articles_article_transition", "articles_article_restore", "articles_article_purge"],
)
def test_workflow_urls_refuse_get(client, editor_user, url_name):
    article = article_in(Status.DRAFT)
    if url_name == "articles_article_transition":
        args = [article.pk, "publish"]
    else:
        workflow.move_to_trash(article=article, by=editor_user)  # restore and purge need it
        args = [article.pk]
    client.force_login(editor_user)

    response = client.get(reverse(f"admin:{url_name}", args=args))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    after = reloaded(article)
    assert after.status == Status.DRAFT
    assert after.deleted_at == (
        None if url_name == "articles_article_transition" else after.deleted_at
    )


def test_unknown_transition_name_is_an_error_message_not_a_crash(client, editor_user):
    article = article_in(Status.DRAFT)
    client.force_login(editor_user)

    response = client.post(transition_url(article, "teleport"), current_version(article))

    assert response.status_code == 302
    assert messages_of(response, constants.ERROR) == [
        "There is no workflow action called “teleport”."
    ]
    assert reloaded(article).status == Status.DRAFT


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("articles_article_transition", [999_999, "publish"]),
        ("articles_article_restore", [999_999]),
        ("articles_article_purge", [999_999]),
    ],
)
def test_workflow_urls_on_a_missing_article_are_not_found(client, editor_user, url_name, args):
    client.force_login(editor_user)

    assert client.post(reverse(f"admin:{url_name}", args=args)).status_code == 404


def test_staff_without_article_permissions_cannot_transition(client):
    article = article_in(Status.IN_REVIEW)
    client.force_login(UserFactory(is_staff=True))

    response = client.post(transition_url(article, "approve"), current_version(article))

    assert response.status_code == 403
    assert reloaded(article).status == Status.IN_REVIEW


def test_anonymous_transition_goes_to_the_login_page(client):
    article = article_in(Status.IN_REVIEW)

    response = client.post(transition_url(article, "approve"), current_version(article))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert reloaded(article).status == Status.IN_REVIEW


def test_transition_on_a_trashed_article_is_refused(client, editor_user):
    article = article_in(Status.IN_REVIEW)
    workflow.move_to_trash(article=article, by=editor_user)
    client.force_login(editor_user)

    response = client.post(transition_url(article, "approve"), current_version(article))

    assert reloaded(article).status == Status.IN_REVIEW
    assert messages_of(response, constants.ERROR) == [
        f"You cannot approve and publish “{article.title}” while it is in the trash."
    ]


# --- bulk actions -------------------------------------------------------------------------

PUBLISHING_ACTIONS = {"archive_selected", "restore_selected", "purge_selected"}
REVIEW_ACTIONS = {"approve_selected", "unpublish_selected"}
ACTION_CASES = [
    # role, actions it must be offered, actions it must not be offered
    ("writer_user", {"submit_selected", "delete_selected"}, REVIEW_ACTIONS | PUBLISHING_ACTIONS),
    ("moderator_user", REVIEW_ACTIONS, PUBLISHING_ACTIONS | {"delete_selected"}),
    ("editor_user", REVIEW_ACTIONS | PUBLISHING_ACTIONS | {"delete_selected"}, set()),
    ("admin_user", REVIEW_ACTIONS | PUBLISHING_ACTIONS | {"delete_selected"}, set()),
]


@pytest.mark.parametrize(
    ("role", "offered", "withheld"), ACTION_CASES, ids=[case[0] for case in ACTION_CASES]
)
def test_changelist_offers_each_role_only_its_bulk_actions(
    request, client, role, offered, withheld
):
    client.force_login(request.getfixturevalue(role))

    actions = actions_for(client)

    assert offered <= actions
    assert not actions & withheld


def test_moderator_approves_several_articles_in_review_at_once(
    client, frozen_now, writer_user, moderator_user
):
    in_review = [writers_article(writer_user, Status.IN_REVIEW) for _ in range(3)]
    draft = writers_article(writer_user, Status.DRAFT, title="Not ready")
    client.force_login(moderator_user)

    response = post_action(client, "approve_selected", [*in_review, draft])

    assert response.status_code == 302
    assert {reloaded(a).status for a in in_review} == {Status.PUBLISHED}
    assert reloaded(draft).status == Status.DRAFT
    assert messages_of(response, constants.SUCCESS) == [
        "Approve and publish: done for 3 article(s)."
    ]
    [warning] = messages_of(response, constants.WARNING)
    assert "not allowed for 1 article(s)" in warning
    assert "Not ready" in warning
    assert ArticleActivity.objects.filter(action="approve", actor=moderator_user).count() == 3


@pytest.mark.parametrize(
    "action", ["approve_selected", "unpublish_selected", "archive_selected", "purge_selected"]
)
def test_writer_forging_a_bulk_action_changes_nothing(
    client, frozen_now, writer_user, editor_user, action
):
    in_review = writers_article(writer_user, Status.IN_REVIEW)
    published = writers_article(writer_user, Status.PUBLISHED)
    client.force_login(writer_user)

    response = post_action(client, action, [in_review, published])

    assert response.status_code == 302
    assert reloaded(in_review).status == Status.IN_REVIEW
    assert reloaded(published).status == Status.PUBLISHED
    assert not ArticleActivity.objects.exists()
    assert messages_of(response, constants.WARNING) == ["No action selected."]


def test_writer_bulk_submits_own_drafts_but_not_others(client, writer_user):
    own = writers_article(writer_user, Status.DRAFT)
    other = writers_article(UserFactory(is_staff=True), Status.DRAFT)
    client.force_login(writer_user)

    post_action(client, "submit_selected", [own, other])

    assert reloaded(own).status == Status.IN_REVIEW
    assert reloaded(other).status == Status.DRAFT


def test_writer_bulk_delete_of_someone_elses_article_is_refused(client, writer_user):
    other = writers_article(UserFactory(is_staff=True), Status.PUBLISHED)
    client.force_login(writer_user)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(other.pk)],
            "index": "0",
            "select_across": "0",
            "post": "yes",
        },
    )

    assert response.status_code == 403
    assert reloaded(other).deleted_at is None


def test_writer_bulk_delete_of_own_drafts_moves_them_to_trash(client, frozen_now, writer_user):
    drafts = [writers_article(writer_user, Status.DRAFT) for _ in range(2)]
    client.force_login(writer_user)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(a.pk) for a in drafts],
            "index": "0",
            "select_across": "0",
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert [reloaded(a).deleted_at for a in drafts] == [frozen_now, frozen_now]


def test_editor_bulk_restores_and_purges_from_the_trash_view(client, frozen_now, editor_user):
    keep, drop = article_in(Status.PUBLISHED), article_in(Status.DRAFT)
    for article in (keep, drop):
        workflow.move_to_trash(article=article, by=editor_user)
    client.force_login(editor_user)

    post_action(client, "restore_selected", [keep], query="?trash=only")
    post_action(client, "purge_selected", [drop], query="?trash=only")

    assert reloaded(keep).deleted_at is None
    assert reloaded(keep).is_live
    assert not Article.objects.filter(pk=drop.pk).exists()


# --- no lost edits ------------------------------------------------------------------------


def test_second_editor_saving_an_older_version_is_refused_and_loses_nothing(
    frozen_now, writer_user
):
    article = writers_article(writer_user, Status.DRAFT, title="Original headline")
    editor_a = logged_in(superuser())
    editor_b = logged_in(superuser())
    page_a = editor_a.get(change_url(article))
    page_b = editor_b.get(change_url(article))
    loaded = page_b.context["adminform"].form["expected_version"].value()
    assert loaded == reloaded(article).version
    data_a, data_b = form_data(page_a), form_data(page_b)
    assert data_b["expected_version"] == [str(loaded)]

    data_a["title"] = "A's headline"
    assert editor_a.post(change_url(article), data_a).status_code == 302
    data_b["title"] = "B's headline"
    response = editor_b.post(change_url(article), data_b)

    assert response.status_code == 200
    assert "Someone else saved this article" in response.content.decode()
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [e.code for e in errors] == ["edit_conflict"]
    after = reloaded(article)
    assert after.title == "A's headline"
    assert after.version == loaded + 1
    assert [e.action for e in ArticleActivity.objects.filter(article=article)] == ["edit"]


def test_reloading_after_a_conflict_lets_the_second_editor_save(frozen_now, writer_user):
    article = writers_article(writer_user, Status.DRAFT)
    editor_a, editor_b = logged_in(superuser()), logged_in(superuser())
    stale = form_data(editor_b.get(change_url(article)))
    data_a = form_data(editor_a.get(change_url(article)))
    data_a["title"] = "A's headline"
    editor_a.post(change_url(article), data_a)
    stale["title"] = "B's headline"
    assert editor_b.post(change_url(article), stale).status_code == 200

    fresh = form_data(editor_b.get(change_url(article)))
    fresh["title"] = "B's headline"
    response = editor_b.post(change_url(article), fresh)

    assert response.status_code == 302
    assert reloaded(article).title == "B's headline"


def test_transition_with_a_stale_version_is_refused(client, frozen_now, writer_user, editor_user):
    article = writers_article(writer_user, Status.IN_REVIEW)
    loaded = reloaded(article).version
    workflow.save_article(article=reloaded(article), by=writer_user, expected_version=loaded)
    client.force_login(editor_user)

    response = client.post(transition_url(article, "approve"), {"version": str(loaded)})

    assert response.status_code == 302
    [error] = messages_of(response, constants.ERROR)
    assert "changed by someone else" in error
    assert reloaded(article).status == Status.IN_REVIEW
    assert not ArticleActivity.objects.filter(article=article, action="approve").exists()


# --- trash in the admin -------------------------------------------------------------------


def test_changelist_hides_trashed_articles_unless_asked(client, editor_user):
    kept = article_in(Status.DRAFT, title="Kept")
    binned = article_in(Status.DRAFT, title="Binned")
    workflow.move_to_trash(article=binned, by=editor_user)
    client.force_login(editor_user)
    changelist = reverse("admin:articles_article_changelist")

    default = client.get(changelist).context["cl"].result_list
    trash = client.get(changelist, {"trash": "only"}).context["cl"].result_list

    assert list(default) == [kept]
    assert list(trash) == [binned]


def test_trashed_article_is_read_only_in_the_admin(client, writer_user, editor_user):
    article = writers_article(writer_user, Status.DRAFT)
    data = full_change_form(article)
    workflow.move_to_trash(article=article, by=editor_user)
    client.force_login(editor_user)

    page = client.get(change_url(article))
    data["title"] = "Edited in the bin"
    response = client.post(change_url(article), data)

    content = page.content.decode()
    assert "in the trash" in content
    assert reverse("admin:articles_article_restore", args=[article.pk]) in content
    assert reverse("admin:articles_article_purge", args=[article.pk]) in content
    assert response.status_code == 403
    assert reloaded(article).title != "Edited in the bin"


@pytest.mark.parametrize("viewer", ["anonymous", "staff"])
def test_public_page_of_a_trashed_article_that_was_live_is_not_found(
    client, frozen_now, editor_user, viewer
):
    article = ArticleFactory(slug="was-live")
    assert client.get(article.get_absolute_url()).status_code == 200
    if viewer == "staff":
        client.force_login(editor_user)
    admin = logged_in(editor_user)
    admin.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})

    response = client.get("/articles/was-live/")

    assert response.status_code == 404


# --- the standalone quote admin must not bypass the article's rules -----------------------


def test_writer_cannot_edit_a_quote_on_someone_elses_published_article(
    client, frozen_now, writer_user
):
    """Quotes are rendered into the live page, so changing one changes a published article,
    which a writer may not do (ArticleAdmin refuses it; the quote admin must too)."""
    article = writers_article(UserFactory(is_staff=True), Status.PUBLISHED)
    quote = ExpertQuoteFactory(article=article, text="What the expert said.")
    url = reverse("admin:articles_expertquote_change", args=[quote.pk])
    client.force_login(writer_user)

    response = client.post(
        url,
        {
            "expert": str(quote.expert_id),
            "article": str(article.pk),
            "key": quote.key,
            "text": "Words the expert never said.",
            "context": "",
            "source_url": "",
            "said_on": "",
            "sort_order": "0",
        },
    )

    assert response.status_code == 403
    quote.refresh_from_db()
    assert quote.text == "What the expert said."


def test_writer_cannot_delete_a_quote_on_someone_elses_published_article(
    client, frozen_now, writer_user
):
    article = writers_article(UserFactory(is_staff=True), Status.PUBLISHED)
    quote = ExpertQuoteFactory(article=article)
    client.force_login(writer_user)

    response = client.post(
        reverse("admin:articles_expertquote_delete", args=[quote.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert ExpertQuote.objects.filter(pk=quote.pk).exists()


def test_writer_cannot_add_a_quote_to_someone_elses_published_article(
    client, frozen_now, writer_user
):
    article = writers_article(UserFactory(is_staff=True), Status.PUBLISHED)
    expert = ExpertFactory()
    client.force_login(writer_user)

    client.post(
        reverse("admin:articles_expertquote_add"),
        {
            "expert": str(expert.pk),
            "article": str(article.pk),
            "key": "",
            "text": "Words the expert never said.",
            "context": "",
            "source_url": "",
            "said_on": "",
            "sort_order": "0",
        },
    )

    # Refused either outright (403) or as an invalid choice of article: nothing is added.
    assert not ExpertQuote.objects.filter(article=article).exists()


def test_change_post_without_a_version_is_refused_and_changes_nothing(editor_user, writer_user):
    article = writers_article(writer_user, Status.DRAFT, title="Old headline")
    data = full_change_form(article)
    data["title"] = "New headline"
    del data["expected_version"]

    response = logged_in(editor_user).post(change_url(article), data)

    assert response.status_code == 200
    assert "missing the version" in response.content.decode()
    assert reloaded(article).title == "Old headline"


def test_an_article_in_the_trash_cannot_be_deleted_again(editor_user, writer_user):
    article = writers_article(writer_user, Status.DRAFT)
    workflow.move_to_trash(article=article, by=editor_user)
    trashed_at = reloaded(article).deleted_at

    response = logged_in(editor_user).post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert reloaded(article).deleted_at == trashed_at
    assert ArticleActivity.objects.filter(article=article, action="trash").count() == 1


def test_moderators_are_not_offered_bulk_submit(moderator_user):
    assert "submit_selected" not in actions_for(logged_in(moderator_user))


def test_purging_leaves_an_entry_in_the_admin_log(editor_user, writer_user):
    from django.contrib.admin.models import DELETION, LogEntry

    article = writers_article(writer_user, Status.DRAFT, title="Gone for good")
    workflow.move_to_trash(article=article, by=editor_user)

    logged_in(editor_user).post(reverse("admin:articles_article_purge", args=[article.pk]))

    assert not Article.objects.filter(pk=article.pk).exists()
    entry = LogEntry.objects.get(action_flag=DELETION, object_id=str(article.pk))
    assert entry.user == editor_user
    assert entry.object_repr == "Gone for good"


def test_transition_post_without_a_version_is_refused(editor_user, writer_user):
    article = writers_article(writer_user, Status.IN_REVIEW)

    response = logged_in(editor_user).post(transition_url(article, "approve"), follow=True)

    assert any("did not say which version" in m for m in messages_of(response))
    assert reloaded(article).status == Status.IN_REVIEW
