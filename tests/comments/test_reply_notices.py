"""A reader who ticks "E-mail me when the editors reply" is e-mailed each editors' reply to
their comment, through a real SMTP server on the loopback; nobody else is, and a mail server
that is down does not stop the reply."""

from __future__ import annotations

import logging
import re

import pytest
from django.urls import reverse

from comments.models import Comment, CommentStatus
from tests.comments.test_views import form_data, post
from tests.conftest import FROZEN_NOW
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(frozen_now):
    from datetime import timedelta

    return ArticleFactory(
        slug="on-sanctions", title="On Sanctions", publish_at=FROZEN_NOW - timedelta(days=7)
    )


def reply(client, user, comment, commit, body="Thank you; corrected."):
    client.force_login(user)
    return commit(
        client.post, reverse("admin:comments_comment_reply", args=[comment.pk]), {"body": body}
    )


# --- the reader's choice ------------------------------------------------------------------


def test_the_comment_form_offers_reply_notices(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="notify_replies"' in page
    assert "E-mail me when the editors reply" in page


def test_ticking_the_box_is_kept_with_the_comment(client, article):
    post(client, article, notify_replies="on")
    assert Comment.objects.get().notify_replies is True


def test_not_ticking_it_is_the_default(client, article):
    post(client, article)
    assert Comment.objects.get().notify_replies is False


def test_asking_for_notices_without_an_address_says_what_is_missing(client, article):
    response = post(client, article, email="", notify_replies="on")
    assert response.status_code == 400
    assert "Write your e-mail address to be told of replies" in response.content.decode()
    assert not Comment.objects.exists()


# --- the notice -----------------------------------------------------------------------------


def test_an_editors_reply_is_emailed_to_a_reader_who_asked(
    client, article, moderator_user, smtp_server, commit, settings
):
    settings.SITE_URL = "https://news.example.org"
    comment = CommentFactory(
        article=article, name="Ingrid", email="ingrid@example.org", notify_replies=True
    )
    response = reply(client, moderator_user, comment, commit)
    assert response.status_code == 302
    [message] = smtp_server.messages
    assert message.recipients == ["ingrid@example.org"]
    # Python's parser keeps a space from the folded, encoded header; mail clients do not.
    assert message["Subject"].strip() == "The editors replied to your comment on “On Sanctions”"
    text = smtp_server.text(message)
    assert "Hello Ingrid," in text and "Thank you; corrected." in text
    reply_pk = Comment.objects.get(from_editors=True).pk
    assert f"https://news.example.org/articles/on-sanctions/#comment-{reply_pk}" in text


def test_the_link_is_built_from_the_request_without_site_url(
    client, article, moderator_user, smtp_server, commit
):
    comment = CommentFactory(article=article, email="ingrid@example.org", notify_replies=True)
    reply(client, moderator_user, comment, commit)
    assert re.search(
        r"http://testserver/articles/on-sanctions/#comment-\d+",
        smtp_server.text(smtp_server.messages[0]),
    )


def test_a_reply_to_a_reply_tells_the_readers_of_the_reply(
    client, article, moderator_user, smtp_server, commit
):
    top = CommentFactory(article=article, email="top@example.org", notify_replies=True)
    answer = CommentFactory(
        article=article, parent=top, email="answer@example.org", notify_replies=True
    )
    reply(client, moderator_user, answer, commit)
    assert [m.recipients for m in smtp_server.messages] == [["answer@example.org"]]


@pytest.mark.parametrize(
    "comment",
    [
        {"notify_replies": False},
        {"notify_replies": True, "email": ""},
        {"notify_replies": True, "status": CommentStatus.PENDING},
        {"notify_replies": True, "status": CommentStatus.SPAM},
    ],
    ids=["not asked", "no address", "pending", "spam"],
)
def test_no_notice_unless_asked_for_and_the_reply_is_visible(
    client, article, moderator_user, smtp_server, commit, comment
):
    target = CommentFactory(article=article, **{"email": "ingrid@example.org", **comment})
    reply(client, moderator_user, target, commit)
    assert smtp_server.messages == []


def test_the_moderator_is_told_the_reader_is_emailed(client, article, moderator_user, commit):
    comment = CommentFactory(
        article=article, name="Ingrid", email="i@example.org", notify_replies=True
    )
    response = reply(client, moderator_user, comment, commit)
    page = client.get(response["Location"]).content.decode()
    assert "Ingrid is e-mailed a link to it, as they asked." in page


def test_a_reply_is_published_when_the_mail_server_is_down(
    client, article, moderator_user, smtp_down, commit, caplog
):
    comment = CommentFactory(article=article, email="ingrid@example.org", notify_replies=True)
    with caplog.at_level(logging.ERROR, logger="dossier.mail"):
        response = reply(client, moderator_user, comment, commit)
    assert response.status_code == 302
    assert Comment.objects.filter(from_editors=True, parent=comment).exists()
    assert "e-mail not sent" in caplog.text


def test_form_data_helper_is_still_valid():
    # The shared helper posts no notify_replies: an unticked box sends nothing.
    assert "notify_replies" not in form_data()
