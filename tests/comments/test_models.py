"""Comment querysets, the open/closed rule and the blocklist's stored form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from comments.models import BlockedTerm, Comment, CommentStatus, comments_open
from tests.factories import FIXED_PUBLISH_AT, ArticleFactory, BlockedTermFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_for_page_lists_only_approved_comments_of_the_article_oldest_first():
    article = ArticleFactory()
    later = CommentFactory(article=article, created_at=FIXED_PUBLISH_AT + timedelta(days=2))
    earlier = CommentFactory(article=article, created_at=FIXED_PUBLISH_AT + timedelta(days=1))
    for status in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.SPAM):
        CommentFactory(article=article, status=status)
    CommentFactory()  # another article's

    assert list(Comment.objects.for_page(article)) == [earlier, later]


def test_held_for_shows_a_reader_their_pending_and_quietly_spammed_comments_only():
    article = ArticleFactory()
    pending = CommentFactory(article=article, status=CommentStatus.PENDING)
    spam = CommentFactory(article=article, status=CommentStatus.SPAM)
    approved = CommentFactory(article=article)
    someone_elses = CommentFactory(article=article, status=CommentStatus.PENDING)

    held = Comment.objects.held_for(article, [pending.pk, spam.pk, approved.pk])

    assert set(held) == {pending, spam}
    assert someone_elses not in held


def test_moderation_order_puts_pending_first_oldest_first_then_the_rest_newest_first():
    day = timedelta(days=1)
    old_approved = CommentFactory(created_at=FIXED_PUBLISH_AT)
    new_approved = CommentFactory(created_at=FIXED_PUBLISH_AT + 3 * day)
    waiting_long = CommentFactory(status=CommentStatus.PENDING, created_at=FIXED_PUBLISH_AT + day)
    waiting = CommentFactory(status=CommentStatus.PENDING, created_at=FIXED_PUBLISH_AT + 2 * day)

    assert list(Comment.objects.moderation_order()) == [
        waiting_long,
        waiting,
        new_approved,
        old_approved,
    ]


def test_recent_duplicates_finds_the_same_words_on_the_article_or_from_the_same_sender():
    article = ArticleFactory()
    first = CommentFactory(article=article, body="Same words", email="a@example.org")
    since = FIXED_PUBLISH_AT - timedelta(hours=1)

    def dupes(**kwargs):
        query = {"article": article, "email": "", "ip": None, "since": since, **kwargs}
        return list(Comment.objects.recent_duplicates(fingerprint=first.fingerprint, **query))

    assert dupes() == [first]
    assert dupes(article=ArticleFactory(), email="A@example.org") == [first]
    assert dupes(article=ArticleFactory()) == []
    assert dupes(since=FIXED_PUBLISH_AT + timedelta(hours=1)) == []


def test_saving_renders_the_body_and_its_fingerprint():
    comment = CommentFactory(body="Read https://example.org <now>")

    assert 'rel="nofollow ugc noopener"' in comment.body_html
    assert "&lt;now&gt;" in comment.body_html
    assert len(comment.fingerprint) == 64


def test_a_reply_to_a_reply_is_invalid():
    top = CommentFactory()
    reply = CommentFactory(article=top.article, parent=top)

    with pytest.raises(ValidationError):
        Comment(article=top.article, parent=reply, name="x", body="y").full_clean()


def test_a_reply_must_be_on_the_same_article():
    top = CommentFactory()

    with pytest.raises(ValidationError):
        Comment(article=ArticleFactory(), parent=top, name="x", body="y").full_clean()


def test_comments_close_by_the_articles_switch():
    article = ArticleFactory.build(comments_enabled=False, publish_at=FIXED_PUBLISH_AT)

    assert not comments_open(article, close_after_days=0, at=FIXED_PUBLISH_AT)


def test_comments_close_the_given_number_of_days_after_publication():
    article = ArticleFactory.build(publish_at=FIXED_PUBLISH_AT)
    just_before = FIXED_PUBLISH_AT + timedelta(days=30) - timedelta(seconds=1)

    assert comments_open(article, close_after_days=30, at=just_before)
    assert not comments_open(article, close_after_days=30, at=just_before + timedelta(seconds=1))


def test_zero_days_keeps_comments_open_for_good():
    article = ArticleFactory.build(publish_at=FIXED_PUBLISH_AT)

    assert comments_open(article, close_after_days=0, at=FIXED_PUBLISH_AT + timedelta(days=3650))


def test_blocked_terms_are_stored_folded_and_domains_without_www():
    assert BlockedTermFactory(value="  CASINO ").value == "casino"
    assert BlockedTermFactory(kind="domain", value="WWW.Spam.Example.").value == "spam.example"
    assert BlockedTerm.objects.count() == 2
