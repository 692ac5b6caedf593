"""Share-preview tokens: signed, so they cannot be guessed or altered; backed by PreviewLink
rows, so they can expire and be revoked."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.utils import timezone

from . import workflow
from .models import Article, PreviewLink

SALT = "dossier.articles.preview"
MAX_DAYS = 30


class PreviewUnavailable(Exception):
    """The token is valid in form but the link no longer works (expired or revoked)."""


def make_token(link: PreviewLink) -> str:
    return signing.dumps({"link": link.pk}, salt=SALT, compress=True)


def link_for_token(token: str) -> PreviewLink:
    """The PreviewLink a token names. Raises signing.BadSignature for a tampered or malformed
    token and PreviewUnavailable for an expired or revoked link."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not isinstance(data.get("link"), int):
        raise signing.BadSignature("Malformed preview token.")
    link = PreviewLink.objects.filter(pk=data["link"]).select_related("article").first()
    if link is None or link.revoked_at is not None:
        raise PreviewUnavailable("This preview link has been withdrawn.")
    if link.expires_at <= timezone.now():
        raise PreviewUnavailable("This preview link has expired.")
    if link.article.deleted_at is not None:
        raise PreviewUnavailable("This article is no longer available for preview.")
    return link


def share_preview(*, article: Article, by: AbstractBaseUser, days: int = 7) -> PreviewLink:
    """A new link to `article`, working for `days`. Raises workflow.NotAllowed when `by` may
    not share it (workflow.may_share_preview) and ValueError for a length out of range."""
    if not workflow.may_share_preview(article=article, user=by):
        raise workflow.NotAllowed(f"You cannot share a preview of “{article.title}”.")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A preview link lasts between 1 and {MAX_DAYS} days.")
    now = timezone.now()
    return PreviewLink.objects.create(
        article=article, created_by=by, created_at=now, expires_at=now + timedelta(days=days)
    )


def revoke_preview(*, link: PreviewLink, by: AbstractBaseUser) -> None:
    """Withdraw `link`; the same people who may share a preview may withdraw one."""
    if not workflow.may_share_preview(article=link.article, user=by):
        raise workflow.NotAllowed(f"You cannot withdraw preview links to “{link.article.title}”.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
