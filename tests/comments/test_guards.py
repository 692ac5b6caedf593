"""The abuse defences outside the form fields: form timing, rate limits, the blocklist."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import signing

from comments import guards
from comments.guards import FormTiming
from pagecache.backend import RedisCache
from tests.conftest import FROZEN_NOW
from tests.factories import BlockedTermFactory

pytestmark = pytest.mark.django_db


def stamp_opened(seconds_ago: float) -> str:
    with time_machine.travel(FROZEN_NOW - timedelta(seconds=seconds_ago), tick=False):
        return FormTiming.issue()


@pytest.fixture
def now():
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield FROZEN_NOW


def test_a_form_sent_after_the_minimum_time_passes(now):
    assert FormTiming.problem(stamp_opened(seconds_ago=30)) is None


def test_a_form_sent_faster_than_a_person_can_is_too_fast(now):
    assert FormTiming.problem(stamp_opened(seconds_ago=1)) == FormTiming.TOO_FAST


def test_a_form_left_open_for_days_has_expired(now):
    assert FormTiming.problem(stamp_opened(seconds_ago=3 * 24 * 3600)) == FormTiming.EXPIRED


@pytest.mark.parametrize("stamp", ["", "not-a-stamp", signing.dumps(0.0, salt="other")])
def test_a_missing_or_forged_stamp_is_refused(now, stamp):
    assert FormTiming.problem(stamp) == FormTiming.MISSING


def test_a_stamp_cannot_be_backdated_by_editing_it(now):
    stamp = stamp_opened(seconds_ago=1)
    # Keep the timestamp and signature, swap in an earlier "opened" value.
    timestamp_and_signature = stamp.partition(":")[2]
    earlier = signing.dumps(0.0, salt=guards.STAMP_SALT).partition(":")[0]
    forged = f"{earlier}:{timestamp_and_signature}"

    assert FormTiming.problem(forged) == FormTiming.MISSING


def test_the_rate_limit_allows_up_to_the_limit_in_a_window():
    for _ in range(3):
        assert not guards.over_limit("comment-ip", "203.0.113.5", limit=3)
        guards.count_post("comment-ip", "203.0.113.5")

    assert guards.over_limit("comment-ip", "203.0.113.5", limit=3)
    assert not guards.over_limit("comment-ip", "203.0.113.6", limit=3)
    assert not guards.over_limit("comment-email", "203.0.113.5", limit=3)


def test_with_the_cache_unreachable_posts_are_taken_not_refused(monkeypatch):
    monkeypatch.setattr(guards, "cache", RedisCache("redis://127.0.0.1:1/0", {}))

    guards.count_post("comment-ip", "203.0.113.5")  # not counted, and no error

    assert not guards.over_limit("comment-ip", "203.0.113.5", limit=0)


@pytest.mark.skipif(
    "redis" in django_settings.CACHES["default"]["BACKEND"].lower(),
    reason="Redis expires keys by its own clock, which the test cannot move",
)
def test_the_rate_limit_window_ends(settings):
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        for _ in range(3):
            guards.count_post("comment-ip", "203.0.113.5")
        traveller.shift(settings.COMMENTS["RATE_WINDOW_SECONDS"] + 1)

        assert not guards.over_limit("comment-ip", "203.0.113.5", limit=3)


def blocked(**kwargs):
    submission = {"name": "Reader", "body": "A fair point.", "email": "", "link_hosts": []}
    return guards.blocked_term(**{**submission, **kwargs})


def test_a_blocked_word_matches_whole_words_in_any_case_or_disguise():
    BlockedTermFactory(value="casino")

    assert blocked(body="Best CASINO bonus") == "casino"
    assert blocked(body="Best ｃａｓｉ\u200bｎｏ bonus") == "casino"
    assert blocked(name="casino king") == "casino"
    assert blocked(body="Occasionally casinos appear") is None


def test_a_blocked_phrase_matches_across_extra_spaces():
    BlockedTermFactory(value="buy followers")

    assert blocked(body="You can Buy   followers here") == "buy followers"


def test_a_blocked_domain_matches_links_subdomains_emails_and_plain_text():
    BlockedTermFactory(kind="domain", value="spam.example")

    assert blocked(link_hosts=["spam.example"]) == "spam.example"
    assert blocked(link_hosts=["www.spam.example"]) == "spam.example"
    assert blocked(email="me@mail.spam.example") == "spam.example"
    assert blocked(body="visit spam.example today") == "spam.example"
    assert blocked(link_hosts=["notspam.example"]) is None
    assert blocked(body="visit notspam.example today") is None


def test_nothing_is_blocked_with_an_empty_blocklist():
    assert blocked(body="casino spam.example") is None


def test_the_time_counts_from_when_the_page_was_shown_not_from_the_first_keystroke(now):
    # Read for two minutes, then asked for the stamp on starting to write, and sent at once.
    stamp = FormTiming.issue(shown_for=120)

    assert FormTiming.problem(stamp) is None


def test_a_page_claiming_to_have_been_open_for_ever_is_credited_only_within_the_forms_life(now):
    stamp = FormTiming.issue(shown_for=10**12)

    assert FormTiming.problem(stamp) is None  # not expired: the credit is bounded
    opened = signing.loads(stamp, salt=guards.STAMP_SALT)
    assert now.timestamp() - opened <= django_settings.COMMENTS["FORM_MAX_AGE_SECONDS"]
