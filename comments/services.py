"""Writes that readers and moderators make: posting, moderating, replying, reporting, resolving.

Each is a small keyword-only function so the views and the admin stay thin and tests reach the
rules without HTTP.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

import pagecache
from articles.models import Article
from articles.workflow import record
from core import mail

from . import guards, text
from .models import Comment, CommentStatus, Report, ReportReason, ReportStatus
from .selectors import thread_tag


class Refused(Exception):
    """A submission we will not take; the message is for the reader, the status for HTTP."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


RATE_MESSAGE = (
    "You have sent several {what} in a short time. Please wait a few minutes and send this "
    "one again; your text is kept below."
)


def submit_comment(
    *,
    article: Article,
    parent: Comment | None,
    name: str,
    email: str,
    body: str,
    ip: str | None,
    notify_replies: bool = False,
) -> Comment:
    """Take a reader's comment into the moderation queue, or refuse it with a reason.

    A blocklisted comment is kept as spam rather than refused, so whoever sent it learns nothing
    about the list; moderators can still rescue a false match from the spam filter.
    """
    limits = settings.COMMENTS
    if ip and guards.over_limit("comment-ip", ip, limit=limits["MAX_PER_IP"]):
        raise Refused(RATE_MESSAGE.format(what="comments"), status=429)
    if email and guards.over_limit("comment-email", email, limit=limits["MAX_PER_EMAIL"]):
        raise Refused(RATE_MESSAGE.format(what="comments"), status=429)
    since = timezone.now() - timedelta(hours=limits["DUPLICATE_WINDOW_HOURS"])
    if Comment.objects.recent_duplicates(
        article=article, fingerprint=text.fingerprint(body), email=email, ip=ip, since=since
    ).exists():
        raise Refused("This comment has already been sent. It does not need sending twice.")
    blocked = guards.blocked_term(
        name=name, body=body, email=email, link_hosts=text.link_hosts(text.render_plain_text(body))
    )
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        name=name,
        email=email,
        body=body,
        notify_replies=notify_replies and bool(email),
        ip_address=ip,
        status=CommentStatus.SPAM if blocked else CommentStatus.PENDING,
    )
    if ip:
        guards.count_post("comment-ip", ip)
    if email:
        guards.count_post("comment-email", email)
    return comment


def moderate(*, comments, status: str, by: AbstractBaseUser) -> int:
    """Set the moderation state of several comments at once; returns how many changed."""
    if status not in CommentStatus.values:
        raise ValueError(f"unknown comment status {status!r}")
    changing = comments.exclude(status=status)
    # update() sends no signals: refresh the pages of the articles these comments are on.
    # (Only pages with approved comments change, but which were approved is gone after it.)
    article_ids = set(changing.values_list("article_id", flat=True))
    changed = changing.update(status=status, moderated_at=timezone.now(), moderated_by=by)
    pagecache.invalidate(thread_tag(article_id) for article_id in article_ids)
    return changed


def post_editors_reply(
    *, parent: Comment, body: str, by: AbstractBaseUser, site_url: str = ""
) -> Comment:
    """A staff answer to a reader's comment, published at once and marked as from the editors.

    The reader who wrote the comment answered is e-mailed a link to the reply once it is
    committed, if they asked for that and readers can see the reply (their comment is
    approved, and so is the thread's first comment); links on `site_url`, else SITE_URL."""
    answered = parent
    if parent.parent_id is not None:
        parent = parent.parent  # one level of replies: answer in the same thread
    now = timezone.now()
    with transaction.atomic():
        reply = Comment.objects.create(
            article=parent.article,
            parent=parent,
            name="The editors",
            body=text.clean_input(body),
            status=CommentStatus.APPROVED,
            from_editors=True,
            posted_by=by,
            moderated_at=now,
            moderated_by=by,
        )
        if reply_notice_due(answered=answered, thread=parent):
            base = site_url or mail.site_url()
            mail.send_after_commit(
                [
                    mail.compose(
                        "comment_reply",
                        {
                            "comment": answered,
                            "reply": reply,
                            "article": parent.article,
                            "reply_url": mail.absolute(reply.get_absolute_url(), base=base),
                        },
                        to=answered.email,
                    )
                ]
            )
    return reply


def reply_notice_due(*, answered: Comment, thread: Comment) -> bool:
    """Whether the author of `answered` is to be e-mailed of an editors' reply in `thread`."""
    return (
        answered.notify_replies
        and bool(answered.email)
        and not answered.from_editors
        and answered.status == CommentStatus.APPROVED
        and thread.status == CommentStatus.APPROVED
    )


def submit_report(
    *, article: Article, comment: Comment | None, reason: str, details: str, ip: str | None
) -> Report:
    if reason not in ReportReason.values:
        raise Refused("Please choose what is wrong.")
    if ip and guards.over_limit("report-ip", ip, limit=settings.COMMENTS["MAX_REPORTS_PER_IP"]):
        raise Refused(RATE_MESSAGE.format(what="reports"), status=429)
    report = Report.objects.create(
        article=article, comment=comment, reason=reason, details=details, ip_address=ip
    )
    if ip:
        guards.count_post("report-ip", ip)
    return report


def resolve_report(
    *,
    report: Report,
    outcome: str,
    by: AbstractBaseUser,
    note: str = "",
    reject_comment: bool = False,
) -> None:
    """Close a report and write what was done to the article's activity log."""
    if outcome not in (ReportStatus.RESOLVED, ReportStatus.DISMISSED):
        raise ValueError(f"a report is closed as resolved or dismissed, not {outcome!r}")
    with transaction.atomic():
        report.status = outcome
        report.resolved_at = timezone.now()
        report.resolved_by = by
        report.resolution_note = note or report.resolution_note
        report.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
        removed = ""
        if reject_comment and report.comment_id is not None:
            moderate(
                comments=Comment.objects.filter(pk=report.comment_id), status="rejected", by=by
            )
            removed = " The comment was rejected."
        record(
            article=report.article,
            by=by,
            action=f"report {outcome}",
            reason=(
                f"Report of {report.target_label} ({report.get_reason_display().lower()})."
                f"{removed}{' ' + report.resolution_note if report.resolution_note else ''}"
            ),
        )
