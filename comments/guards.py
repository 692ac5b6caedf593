"""The abuse defences that do not belong to one form field: how long a form was open, how often
an address or e-mail posts, and the moderators' blocklist.

Rate-limit counters live in Django's cache (Redis in production), so several app servers share
them and a restart does not matter: the limits are short windows.
"""

from __future__ import annotations

import logging
import re
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from pagecache.backend import CACHE_UNREACHABLE

from . import text
from .models import BlockedTerm

logger = logging.getLogger("dossier.comments")
STAMP_SALT = "comments.form-opened"


class FormTiming:
    """A signed note of when a form was shown, checked when it comes back."""

    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    MISSING = "missing"

    @staticmethod
    def issue(*, shown_for: float = 0) -> str:
        """A stamp saying the form was shown `shown_for` seconds ago (0: now).

        Article pages are cached and the same for every reader, so a stamp written into one
        would date from when the copy was made, not from when this reader got it; the page's
        script asks for a stamp when the reader starts writing and says how long the page had
        been open (static/js/comments.js). The time counts from then, not from the first
        keystroke: someone who read for minutes and types a short reply fast is not "too quick".
        The claim is the browser's, so it is bounded by the form's lifetime; like every stamp,
        it only stops forms posted without our page's script, never a bot that runs it.
        """
        limit = settings.COMMENTS["FORM_MAX_AGE_SECONDS"] / 2
        credit = min(max(float(shown_for), 0.0), limit)
        return signing.dumps(time.time() - credit, salt=STAMP_SALT)

    @staticmethod
    def problem(stamp: str) -> str | None:
        """None when the form was open long enough and not too long; else why not."""
        limits = settings.COMMENTS
        try:
            opened = float(
                signing.loads(stamp, salt=STAMP_SALT, max_age=limits["FORM_MAX_AGE_SECONDS"])
            )
        except signing.SignatureExpired:
            return FormTiming.EXPIRED
        except (signing.BadSignature, TypeError, ValueError):
            return FormTiming.MISSING
        if time.time() - opened < limits["MIN_SECONDS_TO_POST"]:
            return FormTiming.TOO_FAST
        return None


def over_limit(scope: str, identity: str, *, limit: int) -> bool:
    """True when `identity` has already used its `limit` posts in this window.

    False when the cache cannot be reached: the reader's comment or report is taken (it still
    meets the form's timing check, the blocklist and moderation) rather than lost to an error.
    """
    try:
        count = cache.get(_rate_key(scope, identity), 0)
    except CACHE_UNREACHABLE as error:
        logger.warning("rate limit %s not checked, the cache is unreachable: %s", scope, error)
        return False
    return count >= limit


def count_post(scope: str, identity: str) -> None:
    """Add one post to `identity`'s count for the current window (not counted while the cache
    cannot be reached)."""
    try:
        _count(scope, identity)
    except CACHE_UNREACHABLE as error:
        logger.warning("rate limit %s not counted, the cache is unreachable: %s", scope, error)


def _count(scope: str, identity: str) -> None:
    key = _rate_key(scope, identity)
    # add() only sets a missing key, so the window starts at the first post and is not extended
    # by later ones; incr() is atomic in Redis, so parallel workers do not lose counts.
    cache.add(key, 0, timeout=settings.COMMENTS["RATE_WINDOW_SECONDS"])
    try:
        cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): start a new window with this post.
        cache.set(key, 1, timeout=settings.COMMENTS["RATE_WINDOW_SECONDS"])


def _rate_key(scope: str, identity: str) -> str:
    return f"ratelimit:{scope}:{text.fingerprint(identity)}"


def blocked_term(*, name: str, body: str, email: str, link_hosts: list[str]) -> str | None:
    """The first blocklist entry the submission matches, or None. One query."""
    words = []
    domains = []
    for kind, value in BlockedTerm.objects.values_list("kind", "value"):
        (domains if kind == BlockedTerm.Kind.DOMAIN else words).append(value)
    searched = text.comparable(f"{name}\n{body}")
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", searched):
            return word
    hosts = [*link_hosts, email.rpartition("@")[2].lower()] if email else link_hosts
    # Domains also hide in plain text ("visit spam.example now") that is not made a link.
    for domain in domains:
        if any(host == domain or host.endswith("." + domain) for host in hosts if host):
            return domain
        if re.search(rf"(?<![\w.-]){re.escape(domain)}(?![\w-])", searched):
            return domain
    return None
