"""Facts about the request that several apps need and must agree on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address


def client_ip(request) -> str | None:
    """The reader's address, for rate limits and moderation.

    Behind our own proxy (TRUST_X_FORWARDED_FOR) it is the last X-Forwarded-For entry: the one
    our proxy appended. Earlier entries are whatever the client claimed, so they are never used.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidate = forwarded.split(",")[-1].strip()
    try:
        validate_ipv46_address(candidate)
    except ValidationError:
        return None
    return candidate
