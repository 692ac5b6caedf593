"""The moderation queue in the admin, through HTTP: who may open it, how it orders, filters and
searches, the bulk actions, the editors' reply, closing reports, the blocklist form and the
Moderation panel on the admin index. Roles are the groups the roles migrations create."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import constants, get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import ArticleActivity
from comments.models import BlockedTerm, Comment, CommentStatus, Report, ReportStatus
from core.models import SiteSettings
from tests.factories import (
    FIXED_PUBLISH_AT,
    MODERATORS,
    ArticleFactory,
    BlockedTermFactory,
    CommentFactory,
    ReportFactory,
    UserFactory,
    role_user,
)
from tests.html import parse

pytestmark = pytest.mark.django_db

COMMENTS = reverse("admin:comments_comment_changelist")
REPORTS = reverse("admin:comments_report_changelist")


# --- helpers ------------------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response, level: int | None = None) -> list[str]:
    return [
        str(m) for m in get_messages(response.wsgi_request) if level is None or m.level == level
    ]


def listed(client, url: str = COMMENTS, **params) -> list:
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def post_action(client, action: str, objects, url: str = COMMENTS, **extra):
    return client.post(
        url,
        {
            "action": action,
            "_selected_action": [str(o.pk) for o in objects],
            "index": "0",
            "select_across": "0",
            **extra,
        },
    )


def reloaded(obj):
    return type(obj).objects.get(pk=obj.pk)


def reply_url(comment: Comment) -> str:
    return reverse("admin:comments_comment_reply", args=[comment.pk])


def close_url(report: Report) -> str:
    return reverse("admin:comments_report_close", args=[report.pk])


def at(hours: int):
    return FIXED_PUBLISH_AT + timedelta(hours=hours)


# --- who may open the queue ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["moderator_user", "editor_user"])
def test_moderators_and_editors_can_open_the_comment_changelist(request, role):
    comment = CommentFactory(status=CommentStatus.PENDING)
    client = logged_in(request.getfixturevalue(role))

    assert listed(client) == [comment]


@pytest.mark.parametrize("role", ["moderator_user", "editor_user"])
def test_moderators_and_editors_can_open_the_report_changelist(request, role):
    report = ReportFactory()
    client = logged_in(request.getfixturevalue(role))

    assert listed(client, REPORTS) == [report]


@pytest.mark.parametrize(
    "url",
    [
        COMMENTS,
        REPORTS,
        reverse("admin:comments_blockedterm_changelist"),
        reverse("admin:comments_blockedterm_add"),
    ],
    ids=["comments", "reports", "blocklist", "blocklist-add"],
)
def test_writer_cannot_open_the_moderation_screens(writer_user, url):
    assert logged_in(writer_user).get(url).status_code == 403


# --- ordering, filters and search ---------------------------------------------------------


def test_changelist_lists_pending_oldest_first_then_the_rest_newest_first(moderator_user):
    old_approved = CommentFactory(created_at=at(1))
    new_pending = CommentFactory(status=CommentStatus.PENDING, created_at=at(5))
    new_rejected = CommentFactory(status=CommentStatus.REJECTED, created_at=at(4))
    old_pending = CommentFactory(status=CommentStatus.PENDING, created_at=at(2))
    spam = CommentFactory(status=CommentStatus.SPAM, created_at=at(3))

    assert listed(logged_in(moderator_user)) == [
        old_pending,
        new_pending,
        new_rejected,
        spam,
        old_approved,
    ]


def test_report_changelist_lists_open_reports_first(moderator_user):
    open_old = ReportFactory(created_at=at(1))
    resolved_new = ReportFactory(status=ReportStatus.RESOLVED, created_at=at(4))
    open_new = ReportFactory(created_at=at(2))
    dismissed = ReportFactory(status=ReportStatus.DISMISSED, created_at=at(3))

    assert listed(logged_in(moderator_user), REPORTS) == [
        open_new,
        open_old,
        resolved_new,
        dismissed,
    ]


def test_changelist_filters_by_status(moderator_user):
    pending = CommentFactory(status=CommentStatus.PENDING)
    CommentFactory(status=CommentStatus.APPROVED)
    spam = CommentFactory(status=CommentStatus.SPAM)
    client = logged_in(moderator_user)

    assert listed(client, status__exact="pending") == [pending]
    assert listed(client, status__exact="spam") == [spam]


def test_changelist_filters_by_article(moderator_user):
    article = ArticleFactory()
    first = CommentFactory(article=article, created_at=at(2))
    second = CommentFactory(article=article, created_at=at(1))
    CommentFactory()  # on another article

    assert listed(logged_in(moderator_user), article__id__exact=article.pk) == [first, second]


def test_article_filter_offers_only_articles_with_comments(moderator_user):
    commented = [ArticleFactory(title="Caspian shipping"), ArticleFactory(title="Drone money")]
    for article in commented:
        CommentFactory(article=article)
    ArticleFactory(title="Quiet article")

    content = logged_in(moderator_user).get(COMMENTS).content.decode()

    for article in commented:
        assert f"?article__id__exact={article.pk}" in content
        assert article.title in content
    assert "Quiet article" not in content


@pytest.mark.parametrize(
    ("target", "query"),
    [
        ({"body": "Drone exports doubled last year."}, "drone exports"),
        ({"name": "Ingrid Halvorsen"}, "halvorsen"),
        ({"email": "ingrid@fjord.example"}, "fjord.example"),
        ({"article__title": "Caspian shipping"}, "caspian"),
    ],
    ids=["body", "name", "email", "article-title"],
)
def test_changelist_search_finds_comments(moderator_user, target, query):
    wanted = CommentFactory(**target)
    CommentFactory()
    CommentFactory()

    assert listed(logged_in(moderator_user), q=query) == [wanted]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_comment_changelist_does_not_query_per_row(moderator_user):
    client = logged_in(moderator_user)

    def add(n: int) -> None:
        for _ in range(n):
            # Each on its own article, and some of them replies, so a per-row lookup shows.
            parent = CommentFactory(status=CommentStatus.PENDING)
            CommentFactory(article=parent.article, parent=parent, from_editors=True)

    add(2)
    _queries(client, COMMENTS)  # warm caches (content types, session)
    with_few = _queries(client, COMMENTS)
    add(13)
    with_many = _queries(client, COMMENTS)

    assert Comment.objects.count() == 30
    assert with_many == with_few


def test_report_changelist_does_not_query_per_row(moderator_user):
    client = logged_in(moderator_user)

    def add(n: int) -> None:
        for i in range(n):
            comment = CommentFactory()
            ReportFactory(article=comment.article, comment=comment if i % 2 else None)

    add(3)
    _queries(client, REPORTS)
    with_3 = _queries(client, REPORTS)
    add(27)
    with_30 = _queries(client, REPORTS)

    assert with_30 == with_3


# --- bulk moderation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "label"),
    [
        ("approve_selected", CommentStatus.APPROVED, "Approved"),
        ("reject_selected", CommentStatus.REJECTED, "Rejected"),
        ("spam_selected", CommentStatus.SPAM, "Marked as spam"),
    ],
)
def test_bulk_action_moderates_the_selected_comments(
    frozen_now, moderator_user, action, status, label
):
    chosen = [CommentFactory(status=CommentStatus.PENDING) for _ in range(2)]
    left = CommentFactory(status=CommentStatus.PENDING)

    response = post_action(logged_in(moderator_user), action, chosen)

    assert response.status_code == 302
    for comment in map(reloaded, chosen):
        assert comment.status == status
        assert comment.moderated_by == moderator_user
        assert comment.moderated_at == frozen_now
    untouched = reloaded(left)
    assert (untouched.status, untouched.moderated_by) == (CommentStatus.PENDING, None)
    assert messages_of(response, constants.SUCCESS) == [f"{label}: 2 comment(s)."]


def test_bulk_action_counts_only_comments_it_changed(editor_user, moderator_user):
    already = CommentFactory(status=CommentStatus.APPROVED)
    pending = CommentFactory(status=CommentStatus.PENDING)

    response = post_action(logged_in(editor_user), "approve_selected", [already, pending])

    assert messages_of(response, constants.SUCCESS) == ["Approved: 1 comment(s)."]
    assert reloaded(pending).moderated_by == editor_user
    # Already approved: its earlier moderation record stays as it was.
    assert reloaded(already).moderated_by is None


def test_bulk_delete_asks_for_confirmation_then_deletes(moderator_user):
    chosen = [CommentFactory(status=CommentStatus.SPAM) for _ in range(2)]
    kept = CommentFactory()
    client = logged_in(moderator_user)

    confirm = post_action(client, "delete_selected", chosen)

    assert confirm.status_code == 200
    assert "Are you sure" in confirm.content.decode()
    assert Comment.objects.count() == 3

    response = post_action(client, "delete_selected", chosen, post="yes")

    assert response.status_code == 302
    assert list(Comment.objects.all()) == [kept]
    assert messages_of(response, constants.SUCCESS) == ["Successfully deleted 2 comments."]


@pytest.mark.parametrize(
    "action", ["approve_selected", "reject_selected", "spam_selected", "delete_selected"]
)
def test_writer_cannot_run_bulk_actions(writer_user, action):
    comment = CommentFactory(status=CommentStatus.PENDING)

    response = post_action(logged_in(writer_user), action, [comment], post="yes")

    assert response.status_code == 403
    assert reloaded(comment).status == CommentStatus.PENDING


def test_viewer_without_change_permission_is_not_offered_bulk_actions():
    viewer = UserFactory(is_staff=True, permissions=["comments.view_comment"])
    comment = CommentFactory(status=CommentStatus.PENDING)
    client = logged_in(viewer)

    post_action(client, "approve_selected", [comment])

    assert reloaded(comment).status == CommentStatus.PENDING
    assert client.get(COMMENTS).context["action_form"] is None


# --- the change form ----------------------------------------------------------------------


def _change_form(comment: Comment, **overrides) -> dict:
    return {
        "name": comment.name,
        "email": comment.email,
        "body": comment.body,
        "status": comment.status,
        "_save": "Save",
        **overrides,
    }


def test_changing_status_in_the_change_form_records_the_moderator(frozen_now, moderator_user):
    comment = CommentFactory(status=CommentStatus.PENDING)

    response = logged_in(moderator_user).post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        _change_form(comment, status=CommentStatus.APPROVED),
    )

    assert response.status_code == 302
    comment = reloaded(comment)
    assert comment.status == CommentStatus.APPROVED
    assert (comment.moderated_by, comment.moderated_at) == (moderator_user, frozen_now)


def test_editing_a_comment_without_changing_status_is_not_moderation(moderator_user):
    comment = CommentFactory(status=CommentStatus.PENDING, body="Typo here.")

    response = logged_in(moderator_user).post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        _change_form(comment, body="No typo here."),
    )

    assert response.status_code == 302
    comment = reloaded(comment)
    assert comment.body_html == "<p>No typo here.</p>"
    assert (comment.moderated_by, comment.moderated_at) == (None, None)


def test_comments_cannot_be_added_through_the_admin(moderator_user):
    # Moderators hold comments.add_comment (for replies), yet the add form stays closed.
    client = logged_in(moderator_user)

    assert client.get(reverse("admin:comments_comment_add")).status_code == 403
    response = client.post(
        reverse("admin:comments_comment_add"),
        {"name": "Staff", "body": "Hello", "status": "approved", "article": "1"},
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()
    assert reverse("admin:comments_comment_add") not in client.get(COMMENTS).content.decode()


def test_change_form_offers_reply_as_the_editors(moderator_user, writer_user):
    comment = CommentFactory()
    change = reverse("admin:comments_comment_change", args=[comment.pk])
    viewer = UserFactory(is_staff=True, permissions=["comments.view_comment"])

    assert reply_url(comment) in logged_in(moderator_user).get(change).content.decode()
    assert reply_url(comment) not in logged_in(viewer).get(change).content.decode()


# --- reply as the editors -----------------------------------------------------------------


def test_reply_form_quotes_the_comment(moderator_user):
    article = ArticleFactory(title="Caspian shipping")
    comment = CommentFactory(article=article, name="Ingrid", body="Ports <matter> more.")

    response = logged_in(moderator_user).get(reply_url(comment))

    assert response.status_code == 200
    content = response.content.decode()
    assert '<blockquote class="dossier-quoted"><p>Ports &lt;matter&gt; more.</p></blockquote>' in (
        content
    )
    assert "Caspian shipping" in content
    assert "Ingrid wrote (approved)" in content
    assert 'name="body"' in content


def test_posting_a_reply_publishes_it_from_the_editors(moderator_user):
    comment = CommentFactory()

    response = logged_in(moderator_user).post(
        reply_url(comment), {"body": "  Thank you; corrected.  "}
    )

    reply = Comment.objects.get(from_editors=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:comments_comment_change", args=[reply.pk])
    assert reply.parent == comment
    assert reply.article == comment.article
    assert reply.status == CommentStatus.APPROVED
    assert reply.posted_by == moderator_user
    assert reply.moderated_by == moderator_user
    assert reply.body == "Thank you; corrected."
    assert messages_of(response, constants.SUCCESS) == ["Your reply is published on the article."]
    assert messages_of(response, constants.WARNING) == []


def test_replying_to_a_reply_answers_in_the_same_thread(editor_user):
    top = CommentFactory()
    answer = CommentFactory(article=top.article, parent=top)

    logged_in(editor_user).post(reply_url(answer), {"body": "Both good points."})

    reply = Comment.objects.get(from_editors=True)
    assert reply.parent == top
    assert reply.posted_by == editor_user


def test_replying_to_a_pending_comment_warns_that_readers_cannot_see_it_yet(moderator_user):
    comment = CommentFactory(status=CommentStatus.PENDING)

    response = logged_in(moderator_user).post(reply_url(comment), {"body": "Noted."})

    assert Comment.objects.filter(from_editors=True, parent=comment).exists()
    [warning] = messages_of(response, constants.WARNING)
    assert "only once the comment it answers is approved" in warning


@pytest.mark.parametrize("body", ["", "   ", "\u200b\u200b"], ids=["empty", "blank", "invisible"])
def test_an_empty_reply_is_refused_with_a_form_error(moderator_user, body):
    comment = CommentFactory()

    response = logged_in(moderator_user).post(reply_url(comment), {"body": body})

    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert Comment.objects.count() == 1


def test_reply_to_a_missing_comment_is_404(moderator_user):
    assert (
        logged_in(moderator_user)
        .get(reverse("admin:comments_comment_reply", args=[999]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    "permissions",
    [["comments.view_comment", "comments.change_comment"], ["comments.add_comment"]],
    ids=["without-add", "without-change"],
)
def test_reply_needs_both_add_and_change_permission(permissions):
    comment = CommentFactory()
    client = logged_in(UserFactory(is_staff=True, permissions=permissions))

    assert client.get(reply_url(comment)).status_code == 403
    assert client.post(reply_url(comment), {"body": "Sneaky."}).status_code == 403
    assert Comment.objects.count() == 1


def test_writer_cannot_reply(writer_user):
    comment = CommentFactory()

    response = logged_in(writer_user).post(reply_url(comment), {"body": "Hello."})

    assert response.status_code == 403
    assert Comment.objects.count() == 1


def test_reply_appears_on_the_article_page_marked_from_the_editors(client, moderator_user):
    SiteSettings.objects.filter(pk=1).update(comments_close_after_days=0)
    comment = CommentFactory(body="Is the date right?")
    logged_in(moderator_user).post(reply_url(comment), {"body": "Yes; see <the> second section."})
    reply = Comment.objects.get(from_editors=True)

    content = client.get(comment.article.get_absolute_url()).content.decode()

    start = content.index(f'id="comment-{reply.pk}"')
    shown = content[start : content.index("</article>", start)]
    assert '<span class="comment__badge">From the editors</span>' in shown
    assert "The editors" in shown
    assert "Yes; see &lt;the&gt; second section." in shown
    # In the thread of the comment it answers, after it.
    assert content.index(f'id="comment-{comment.pk}"') < start
    assert '<ol class="comments__replies">' in content[:start]


# --- reports: bulk actions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status"),
    [("resolve_selected", ReportStatus.RESOLVED), ("dismiss_selected", ReportStatus.DISMISSED)],
)
def test_bulk_closing_reports_records_it_in_the_article_activity(
    frozen_now, moderator_user, action, status
):
    article = ArticleFactory(title="Caspian shipping")
    comment = CommentFactory(article=article)
    reports = [ReportFactory(article=article), ReportFactory(article=article, comment=comment)]

    response = post_action(logged_in(moderator_user), action, reports, url=REPORTS)

    assert response.status_code == 302
    for report in map(reloaded, reports):
        assert report.status == status
        assert (report.resolved_by, report.resolved_at) == (moderator_user, frozen_now)
    entries = list(ArticleActivity.objects.filter(article=article))
    assert len(entries) == 2
    assert {(e.action, e.actor) for e in entries} == {(f"report {status}", moderator_user)}
    assert reloaded(comment).status == CommentStatus.APPROVED  # not touched by these two
    assert messages_of(response, constants.SUCCESS) == [
        "Closed 2 report(s); each is in its article's activity."
    ]


def test_resolve_and_reject_rejects_the_reported_comment(frozen_now, editor_user):
    comment = CommentFactory()
    report = ReportFactory(article=comment.article, comment=comment)

    post_action(logged_in(editor_user), "resolve_and_reject_selected", [report], url=REPORTS)

    assert reloaded(report).status == ReportStatus.RESOLVED
    comment = reloaded(comment)
    assert comment.status == CommentStatus.REJECTED
    assert (comment.moderated_by, comment.moderated_at) == (editor_user, frozen_now)
    [entry] = ArticleActivity.objects.filter(article=comment.article)
    assert entry.action == "report resolved"
    assert "The comment was rejected." in entry.reason


def test_bulk_close_leaves_closed_reports_alone(moderator_user, editor_user):
    earlier = ReportFactory(status=ReportStatus.DISMISSED, resolved_by=editor_user)
    still_open = ReportFactory()

    response = post_action(
        logged_in(moderator_user), "resolve_selected", [earlier, still_open], url=REPORTS
    )

    earlier_now = reloaded(earlier)
    assert (earlier_now.status, earlier_now.resolved_by) == (ReportStatus.DISMISSED, editor_user)
    assert reloaded(still_open).status == ReportStatus.RESOLVED
    assert not ArticleActivity.objects.filter(article=earlier.article).exists()
    assert ArticleActivity.objects.filter(article=still_open.article).count() == 1
    assert messages_of(response, constants.SUCCESS) == [
        "Closed 1 report(s); each is in its article's activity."
    ]
    assert messages_of(response, constants.INFO) == [
        "1 report(s) were already closed and left as they were."
    ]


@pytest.mark.parametrize(
    "action", ["resolve_selected", "dismiss_selected", "resolve_and_reject_selected"]
)
def test_writer_cannot_close_reports(writer_user, action):
    comment = CommentFactory()
    report = ReportFactory(article=comment.article, comment=comment)

    response = post_action(logged_in(writer_user), action, [report], url=REPORTS)

    assert response.status_code == 403
    assert reloaded(report).status == ReportStatus.OPEN
    assert reloaded(comment).status == CommentStatus.APPROVED
    assert not ArticleActivity.objects.exists()


def test_reports_cannot_be_added_through_the_admin(moderator_user):
    assert logged_in(moderator_user).get(reverse("admin:comments_report_add")).status_code == 403


# --- reports: closing one from its page ---------------------------------------------------


def test_report_page_offers_the_close_buttons_while_open(moderator_user):
    comment = CommentFactory()
    report = ReportFactory(article=comment.article, comment=comment)
    client = logged_in(moderator_user)
    change = reverse("admin:comments_report_change", args=[report.pk])

    content = client.get(change).content.decode()
    assert f'action="{close_url(report)}"' in content
    assert 'value="resolved-reject"' in content

    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RESOLVED)
    assert f'action="{close_url(report)}"' not in client.get(change).content.decode()


def test_report_page_shows_the_reported_comments_text(moderator_user):
    comment = CommentFactory(name="Ingrid", body="The date in <b>section two</b> is wrong.")
    report = ReportFactory(article=comment.article, comment=comment)

    content = (
        logged_in(moderator_user)
        .get(reverse("admin:comments_report_change", args=[report.pk]))
        .content.decode()
    )

    assert "reported comment" in content.lower()
    # As readers saw it: the text escaped, never markup.
    assert "The date in &lt;b&gt;section two&lt;/b&gt; is wrong." in content
    assert "<b>section two</b>" not in content


def test_report_of_an_article_has_no_comment_text_row(moderator_user):
    report = ReportFactory()
    content = (
        logged_in(moderator_user)
        .get(reverse("admin:comments_report_change", args=[report.pk]))
        .content.decode()
    )
    assert "field-reported_text" not in content


def test_report_page_has_one_note_field(moderator_user):
    comment = CommentFactory()
    report = ReportFactory(article=comment.article, comment=comment)
    client = logged_in(moderator_user)
    change = reverse("admin:comments_report_change", args=[report.pk])

    page = parse(client.get(change))
    assert [t.attrs["name"] for t in page.select("textarea")] == ["note"]
    assert page.select("input", name="_save") == []  # nothing to save through the form

    client.post(close_url(report), {"outcome": "resolved", "note": "Corrected the date."})
    closed = client.get(change).content.decode()
    assert "Corrected the date." in closed
    assert "<textarea" not in closed


def test_closing_a_report_records_the_note_in_the_activity(frozen_now, moderator_user):
    report = ReportFactory(article=ArticleFactory(title="Caspian shipping"))

    response = logged_in(moderator_user).post(
        close_url(report), {"outcome": "resolved", "note": "Date corrected in section two."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:comments_report_change", args=[report.pk])
    report = reloaded(report)
    assert report.status == ReportStatus.RESOLVED
    assert (report.resolved_by, report.resolved_at) == (moderator_user, frozen_now)
    assert report.resolution_note == "Date corrected in section two."
    [entry] = ArticleActivity.objects.filter(article=report.article)
    assert (entry.action, entry.actor) == ("report resolved", moderator_user)
    assert entry.reason == (
        "Report of article “Caspian shipping” (factually wrong or misleading). "
        "Date corrected in section two."
    )
    assert messages_of(response, constants.SUCCESS) == [
        "Report resolved: action taken; recorded in the activity."
    ]


def test_dismissing_a_report_from_its_page(editor_user):
    report = ReportFactory()

    logged_in(editor_user).post(close_url(report), {"outcome": "dismissed", "note": ""})

    assert reloaded(report).status == ReportStatus.DISMISSED
    [entry] = ArticleActivity.objects.filter(article=report.article)
    assert (entry.action, entry.actor) == ("report dismissed", editor_user)


def test_resolving_and_rejecting_from_the_report_page_rejects_the_comment(moderator_user):
    comment = CommentFactory()
    report = ReportFactory(article=comment.article, comment=comment)

    logged_in(moderator_user).post(close_url(report), {"outcome": "resolved-reject", "note": ""})

    assert reloaded(report).status == ReportStatus.RESOLVED
    assert reloaded(comment).status == CommentStatus.REJECTED
    [entry] = ArticleActivity.objects.filter(article=report.article)
    assert "The comment was rejected." in entry.reason


@pytest.mark.parametrize("outcome", ["", "open", "RESOLVED", "deleted"])
def test_closing_with_a_bad_outcome_changes_nothing(moderator_user, outcome):
    comment = CommentFactory()
    report = ReportFactory(article=comment.article, comment=comment)

    response = logged_in(moderator_user).post(close_url(report), {"outcome": outcome})

    assert response.status_code == 302
    assert reloaded(report).status == ReportStatus.OPEN
    assert reloaded(comment).status == CommentStatus.APPROVED
    assert not ArticleActivity.objects.exists()
    assert messages_of(response, constants.ERROR) == [
        "Choose whether the report is resolved or dismissed."
    ]


def test_close_view_refuses_get(moderator_user):
    report = ReportFactory()

    response = logged_in(moderator_user).get(close_url(report), {"outcome": "resolved"})

    assert response.status_code == 405
    assert reloaded(report).status == ReportStatus.OPEN
    assert not ArticleActivity.objects.exists()


def test_closing_a_report_twice_changes_nothing_the_second_time(moderator_user, editor_user):
    comment = CommentFactory()
    report = ReportFactory(article=comment.article, comment=comment)
    logged_in(moderator_user).post(close_url(report), {"outcome": "dismissed", "note": "Fine."})

    response = logged_in(editor_user).post(
        close_url(report), {"outcome": "resolved-reject", "note": "Changed my mind."}
    )

    report = reloaded(report)
    assert (report.status, report.resolved_by) == (ReportStatus.DISMISSED, moderator_user)
    assert report.resolution_note == "Fine."
    assert reloaded(comment).status == CommentStatus.APPROVED
    assert ArticleActivity.objects.filter(article=report.article).count() == 1
    assert messages_of(response, constants.WARNING) == [
        "This report was already closed; nothing changed."
    ]


def test_writer_cannot_close_a_report_from_its_page(writer_user):
    report = ReportFactory()

    response = logged_in(writer_user).post(close_url(report), {"outcome": "dismissed"})

    assert response.status_code == 403
    assert reloaded(report).status == ReportStatus.OPEN


# --- the blocklist ------------------------------------------------------------------------

BLOCKLIST_ADD = reverse("admin:comments_blockedterm_add")


def _add_term(client, kind: str, value: str):
    return client.post(BLOCKLIST_ADD, {"kind": kind, "value": value, "note": "", "_save": "Save"})


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("word", "  Online   CASINO ", "online casino"),
        ("domain", "WWW.Spam-Shop.Example.", "spam-shop.example"),
        ("domain", "Deals.Example.COM", "deals.example.com"),
    ],
)
def test_blocklist_add_form_stores_the_normalised_value(moderator_user, kind, typed, stored):
    response = _add_term(logged_in(moderator_user), kind, typed)

    assert response.status_code == 302, response.context and response.context["errors"]
    term = BlockedTerm.objects.get()
    assert (term.kind, term.value) == (kind, stored)
    assert term.created_by == moderator_user


@pytest.mark.parametrize(
    ("kind", "existing", "typed"),
    [("word", "casino", "  CASINO"), ("domain", "spam.example", "www.SPAM.example")],
)
def test_blocklist_refuses_a_duplicate_clearly(moderator_user, kind, existing, typed):
    BlockedTermFactory(kind=kind, value=existing)

    response = _add_term(logged_in(moderator_user), kind, typed)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"] == [
        "This is already on the blocklist."
    ]
    assert BlockedTerm.objects.count() == 1


def test_the_same_value_may_be_a_word_and_a_domain(moderator_user):
    BlockedTermFactory(kind="word", value="spam.example")

    response = _add_term(logged_in(moderator_user), "domain", "spam.example")

    assert response.status_code == 302
    assert BlockedTerm.objects.count() == 2


@pytest.mark.parametrize("typed", ["localhost", "www.", "spam example.com"])
def test_blocklist_refuses_something_that_is_not_a_domain(moderator_user, typed):
    response = _add_term(logged_in(moderator_user), "domain", typed)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"] == [
        "Enter a domain such as example.com."
    ]
    assert not BlockedTerm.objects.exists()


def test_editing_a_blocked_term_keeps_its_creator(moderator_user, editor_user):
    term = BlockedTermFactory(value="casino", created_by=moderator_user)

    response = logged_in(editor_user).post(
        reverse("admin:comments_blockedterm_change", args=[term.pk]),
        {"kind": "word", "value": "Casino", "note": "gambling spam", "_save": "Save"},
    )

    assert response.status_code == 302
    term = reloaded(term)
    assert (term.value, term.note, term.created_by) == ("casino", "gambling spam", moderator_user)


# --- the admin index ----------------------------------------------------------------------


def test_admin_index_shows_the_moderation_panel_to_moderators(moderator_user):
    CommentFactory(status=CommentStatus.PENDING)
    CommentFactory(status=CommentStatus.PENDING)
    CommentFactory(status=CommentStatus.SPAM)
    ReportFactory()
    ReportFactory(status=ReportStatus.RESOLVED)

    response = logged_in(moderator_user).get(reverse("admin:index"))

    assert response.context["moderation"] == {"pending_comments": 2, "open_reports": 1}
    content = response.content.decode()
    assert 'id="panel-moderation"' in content
    assert (
        f'<a href="{COMMENTS}?status__exact=pending">Comments awaiting moderation</a> '
        '<span class="dossier-count">2</span>'
    ) in content
    assert (
        f'<a href="{REPORTS}?status__exact=open">Open reports</a> '
        '<span class="dossier-count">1</span>'
    ) in content


def test_admin_index_hides_the_moderation_panel_from_writers(writer_user):
    CommentFactory(status=CommentStatus.PENDING)
    ReportFactory()

    response = logged_in(writer_user).get(reverse("admin:index"))

    assert response.status_code == 200
    assert response.context["moderation"] is None
    assert 'id="panel-moderation"' not in response.content.decode()


def test_moderation_panel_links_open_the_filtered_queues():
    pending = CommentFactory(status=CommentStatus.PENDING)
    CommentFactory()
    report = ReportFactory()
    ReportFactory(status=ReportStatus.DISMISSED)
    client = logged_in(role_user(MODERATORS))

    assert listed(client, status__exact="pending") == [pending]
    assert listed(client, REPORTS, status__exact="open") == [report]
