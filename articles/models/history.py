"""An article's history and outside access to it: activity log and preview links."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .status import Status


class ArticleActivity(models.Model):
    """One step in an article's life: who did what, when, from which state to which, and why."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True, default="")
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "article activity"

    def __str__(self) -> str:
        return f"{self.action} by {self.actor or 'someone'} at {self.created_at:%Y-%m-%d %H:%M}"


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, at: datetime | None = None) -> PreviewLinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class PreviewLink(models.Model):
    """A shareable, expiring link that shows an unpublished article to someone without a login.

    The URL carries a signed token naming this row; the row decides whether it still works
    (expiry, revocation), so a link can be withdrawn before it expires.
    """

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.article} until {self.expires_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        from articles.preview import make_token  # avoids a cycle: preview imports the models

        return reverse("articles:preview", kwargs={"token": make_token(self)})
