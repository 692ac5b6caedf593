"""What readers send: comments (one level of replies) and reports, plus the blocklist that
moderators keep. Everything here arrives from the public, so every field has a length limit and
nothing is ever shown unescaped (bodies are rendered once, on save, by comments.text)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from core.models import recorded_user

from . import text


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


MODERATION_ORDER = ["waiting", "pending_since", "-created_at", "-pk"]


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.PENDING)

    def for_page(self, article: Article | int) -> CommentQuerySet:
        """The approved comments of an article in reading order, in one query."""
        return self.approved().filter(article=article).order_by("created_at", "pk")

    def held_for(self, article: Article, ids: list[int]) -> CommentQuerySet:
        """A reader's own comments not yet approved (spam is held quietly, shown the same)."""
        return self.filter(
            article=article,
            pk__in=ids,
            status__in=[CommentStatus.PENDING, CommentStatus.SPAM],
        ).order_by("created_at", "pk")

    def moderation_order(self) -> CommentQuerySet:
        """Pending first, oldest first (the longest waiting); then the rest, newest first.

        The admin sorts by the same annotations (see CommentAdmin.get_ordering)."""
        return self.annotate(
            waiting=models.Case(
                models.When(status=CommentStatus.PENDING, then=models.Value(0)),
                default=models.Value(1),
            ),
            # Null outside the pending group, so there "-created_at" decides.
            pending_since=models.Case(
                models.When(status=CommentStatus.PENDING, then=models.F("created_at"))
            ),
        ).order_by(*MODERATION_ORDER)

    def recent_duplicates(self, *, article: Article, fingerprint: str, email: str, ip: str | None,
                          since: datetime) -> CommentQuerySet:  # fmt: skip
        """The same words again: on this article from anyone, or anywhere from the same sender."""
        same_sender = Q(ip_address=ip) if ip else Q(pk__in=[])
        if email:
            same_sender |= Q(email__iexact=email)
        return self.filter(fingerprint=fingerprint, created_at__gte=since).filter(
            Q(article=article) | same_sender
        )


class Comment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The comment this replies to. Replies cannot themselves be replied to.",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(
        blank=True, default="", help_text="Never shown on the site; only moderators see it."
    )
    body = models.TextField(max_length=3000)
    notify_replies = models.BooleanField(
        "e-mail replies",
        default=False,
        help_text="The reader asked to be e-mailed when the editors reply (needs an address).",
    )
    status = models.CharField(
        max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    from_editors = models.BooleanField(
        default=False, help_text="Posted by staff and shown as a reply from the editors."
    )
    posted_by = recorded_user(
        editable=True, help_text="The staff member who posted an editors' reply."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = recorded_user()
    # Derived on save.
    body_html = models.TextField(editable=False, default="")
    fingerprint = models.CharField(max_length=64, editable=False, default="")

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["fingerprint", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.article_id}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        self.body_html = text.render_plain_text(self.body)
        self.fingerprint = text.fingerprint(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def clean(self):
        if self.parent_id is not None:
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": "Replies cannot be replied to."})
            if self.parent.article_id != self.article_id:
                raise ValidationError({"parent": "A reply belongs to the same article."})

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abusive, hateful or harassing"
    INACCURATE = "inaccurate", "Factually wrong or misleading"
    PRIVACY = "privacy", "Shares someone's private information"
    COPYRIGHT = "copyright", "Copies someone else's work"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved: action taken"
    DISMISSED = "dismissed", "Dismissed: no action needed"


class ReportQuerySet(models.QuerySet):
    def open(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.OPEN)


class Report(models.Model):
    """A reader's report of an article, or of one comment on it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    details = models.TextField(max_length=1000, blank=True, default="")
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = recorded_user()
    resolution_note = models.TextField(
        blank=True, default="", help_text="What was done and why; recorded in the activity log."
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.comment_id:
            return f"comment #{self.comment_id} on “{self.article.title}”"
        return f"article “{self.article.title}”"


class BlockedTerm(models.Model):
    """A word or web domain that sends a comment to spam instead of the queue."""

    class Kind(models.TextChoices):
        WORD = "word", "Word or phrase"
        DOMAIN = "domain", "Web domain"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WORD)
    value = models.CharField(
        max_length=100,
        help_text="A word or phrase (matched whole, ignoring case) or a domain such as "
        "example.com (matches its subdomains too, in links and in e-mail addresses).",
    )
    note = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = recorded_user()

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="unique_blocked_term")
        ]

    def __str__(self) -> str:
        return self.value

    def save(self, *args, **kwargs):
        self.value = text.comparable(self.value)
        if self.kind == self.Kind.DOMAIN:
            self.value = self.value.removeprefix("www.").strip(".")
        super().save(*args, **kwargs)


def comments_open(article: Article, *, close_after_days: int, at: datetime | None = None) -> bool:
    """Whether readers may comment on a live article now: its own switch, then its age."""
    if not article.comments_enabled:
        return False
    if close_after_days and article.publish_at is not None:
        return (at or timezone.now()) < article.publish_at + timedelta(days=close_after_days)
    return True
