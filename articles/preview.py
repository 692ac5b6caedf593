"""Share-preview tokens: signed, so they cannot be guessed or altered; backed by PreviewLink
rows, so they can expire and be revoked."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.utils import timezone

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
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A preview link lasts between 1 and {MAX_DAYS} days.")
    now = timezone.now()
    return PreviewLink.objects.create(
        article=article, created_by=by, created_at=now, expires_at=now + timedelta(days=days)
    )


def revoke_preview(*, link: PreviewLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
