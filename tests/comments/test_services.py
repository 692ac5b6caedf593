"""Posting, moderating, replying, reporting and resolving, without HTTP."""

from __future__ import annotations

import pytest
from django.utils import timezone

from articles.models import ArticleActivity
from comments import services
from comments.models import Comment, CommentStatus, Report, ReportStatus
from tests.factories import (
    ArticleFactory,
    BlockedTermFactory,
    CommentFactory,
    ReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def submit(article=None, **kwargs):
    fields = {
        "article": article or ArticleFactory(),
        "parent": None,
        "name": "Reader",
        "email": "reader@example.org",
        "body": "The sanctions section misses the 2023 deal.",
        "ip": "203.0.113.7",
        **kwargs,
    }
    return services.submit_comment(**fields)


def test_a_new_comment_waits_for_moderation():
    comment = submit()

    assert comment.status == CommentStatus.PENDING
    assert comment.ip_address == "203.0.113.7"


def test_a_blocklisted_comment_is_kept_as_spam_not_refused():
    BlockedTermFactory(value="casino")

    assert submit(body="Great casino offers").status == CommentStatus.SPAM


def test_the_same_comment_twice_is_refused_as_a_duplicate():
    article = ArticleFactory()
    submit(article)

    with pytest.raises(services.Refused, match="already been sent"):
        submit(article, body="the sanctions section  misses the 2023 deal.", ip="198.51.100.1",
               email="")  # fmt: skip


def test_the_same_words_elsewhere_from_the_same_address_are_a_duplicate():
    submit()

    with pytest.raises(services.Refused):
        submit(ArticleFactory(), email="")


def test_an_address_over_its_limit_is_refused_with_429(settings):
    settings.COMMENTS = {**settings.COMMENTS, "MAX_PER_IP": 2, "MAX_PER_EMAIL": 100}
    submit(body="one", email="a@example.org")
    submit(body="two", email="b@example.org")

    with pytest.raises(services.Refused) as refused:
        submit(body="three", email="c@example.org")

    assert refused.value.status == 429
    assert Comment.objects.count() == 2


def test_an_email_over_its_limit_is_refused_whatever_the_address(settings):
    settings.COMMENTS = {**settings.COMMENTS, "MAX_PER_IP": 100, "MAX_PER_EMAIL": 1}
    submit(body="one", ip="198.51.100.1")

    with pytest.raises(services.Refused) as refused:
        submit(body="two", ip="198.51.100.2")

    assert refused.value.status == 429


def test_refused_comments_do_not_count_against_the_limit(settings):
    settings.COMMENTS = {**settings.COMMENTS, "MAX_PER_IP": 1}
    article = ArticleFactory()
    CommentFactory(article=article, body="taken", created_at=timezone.now())
    with pytest.raises(services.Refused):
        submit(article, body="taken")

    assert submit(article, body="new").pk


def test_moderate_sets_the_state_and_who_did_it():
    moderator = UserFactory()
    pending = CommentFactory(status=CommentStatus.PENDING)
    already = CommentFactory(status=CommentStatus.APPROVED)

    changed = services.moderate(
        comments=Comment.objects.all(), status=CommentStatus.APPROVED, by=moderator
    )

    pending.refresh_from_db()
    assert changed == 1
    assert pending.status == CommentStatus.APPROVED
    assert pending.moderated_by == moderator and pending.moderated_at is not None
    already.refresh_from_db()
    assert already.moderated_by is None


def test_moderate_refuses_an_unknown_state():
    with pytest.raises(ValueError):
        services.moderate(comments=Comment.objects.all(), status="lost", by=UserFactory())


def test_an_editors_reply_is_published_at_once_and_marked():
    editor = UserFactory()
    comment = CommentFactory()

    reply = services.post_editors_reply(parent=comment, body="Thanks, corrected.", by=editor)

    assert reply.status == CommentStatus.APPROVED
    assert reply.from_editors and reply.posted_by == editor
    assert reply.parent == comment and reply.article == comment.article


def test_an_editors_reply_to_a_reply_joins_the_same_thread():
    top = CommentFactory()
    reply = CommentFactory(article=top.article, parent=top)

    answer = services.post_editors_reply(parent=reply, body="Both fair.", by=UserFactory())

    assert answer.parent == top


def test_a_report_is_open_until_resolved():
    report = services.submit_report(
        article=ArticleFactory(), comment=None, reason="inaccurate", details="", ip=None
    )

    assert report.status == ReportStatus.OPEN


def test_a_report_needs_a_known_reason():
    with pytest.raises(services.Refused):
        services.submit_report(
            article=ArticleFactory(), comment=None, reason="boring", details="", ip=None
        )


def test_reports_from_one_address_are_rate_limited(settings):
    settings.COMMENTS = {**settings.COMMENTS, "MAX_REPORTS_PER_IP": 1}
    article = ArticleFactory()
    services.submit_report(article=article, comment=None, reason="spam", details="", ip="::1")

    with pytest.raises(services.Refused) as refused:
        services.submit_report(article=article, comment=None, reason="spam", details="", ip="::1")

    assert refused.value.status == 429
    assert Report.objects.count() == 1


def test_resolving_a_report_records_it_in_the_articles_activity():
    moderator = UserFactory()
    report = ReportFactory()

    services.resolve_report(
        report=report, outcome=ReportStatus.RESOLVED, by=moderator, note="Date fixed."
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED and report.resolved_by == moderator
    entry = ArticleActivity.objects.get(article=report.article)
    assert entry.action == "report resolved"
    assert entry.actor == moderator
    assert "Date fixed." in entry.reason and "factually wrong" in entry.reason


def test_resolving_a_comment_report_can_reject_the_comment():
    comment = CommentFactory()
    report = ReportFactory(article=comment.article, comment=comment)

    services.resolve_report(
        report=report, outcome=ReportStatus.RESOLVED, by=UserFactory(), reject_comment=True
    )

    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert "The comment was rejected." in ArticleActivity.objects.get().reason


def test_a_report_is_closed_only_as_resolved_or_dismissed():
    with pytest.raises(ValueError):
        services.resolve_report(report=ReportFactory(), outcome="open", by=UserFactory())
