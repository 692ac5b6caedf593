"""The workflow's e-mail notices, received by a real SMTP server on the loopback (aiosmtpd):
reviewers hear of a submission, writers of a return (with the reason) and an approval; a mail
server that is down changes nothing about the step."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.urls import reverse

from articles import workflow
from articles.models import Status
from tests.factories import (
    EDITORS,
    MODERATORS,
    WRITERS,
    AuthorFactory,
    UserFactory,
    article_in,
    role_user,
    superuser,
)

pytestmark = pytest.mark.django_db
BASE = "https://news.example.org"


@pytest.fixture
def newsroom(db):
    writer = role_user(WRITERS, username="writer", email="writer@example.org", first_name="Wanda")
    return {
        "writer": writer,
        "other_writer": role_user(WRITERS, username="w2", email="w2@example.org"),
        "editor": role_user(EDITORS, username="editor", email="editor@example.org"),
        "moderator": role_user(MODERATORS, username="mod", email="mod@example.org"),
        "boss": superuser(username="boss", email="boss@example.org"),
        "silent_editor": role_user(EDITORS, username="noaddress", email=""),
        "gone_editor": role_user(
            EDITORS, username="gone", email="gone@example.org", is_active=False
        ),
    }


def step(commit, article, name, by, **kwargs):
    return commit(workflow.transition, article=article, name=name, by=by, site_url=BASE, **kwargs)


def test_submission_tells_everyone_who_may_review_it(smtp_server, commit, newsroom):
    article = article_in(Status.DRAFT, title="Caspian Shipping", created_by=newsroom["writer"])
    step(commit, article, "submit", newsroom["writer"])
    told = sorted(address for m in smtp_server.messages for address in m.recipients)
    assert told == ["boss@example.org", "editor@example.org", "mod@example.org"]
    message = smtp_server.to("editor@example.org")[0]
    assert message["Subject"] == "For review: Caspian Shipping"
    text = smtp_server.text(message)
    assert 'Wanda has submitted "Caspian Shipping" for review.' in text
    assert f"{BASE}{reverse('admin:articles_article_change', args=[article.pk])}" in text


def test_return_tells_the_writers_the_reason(smtp_server, commit, newsroom):
    on_byline = UserFactory(is_staff=True, email="byline@example.org")
    author = AuthorFactory(user=on_byline)
    article = article_in(
        Status.IN_REVIEW, title="Caspian Shipping", created_by=newsroom["writer"], authors=[author]
    )
    step(commit, article, "return", newsroom["editor"], reason="Sources for section two, please.")
    told = sorted(address for m in smtp_server.messages for address in m.recipients)
    assert told == ["byline@example.org", "writer@example.org"]
    message = smtp_server.to("writer@example.org")[0]
    assert message["Subject"] == "Returned to you: Caspian Shipping"
    assert "Sources for section two, please." in smtp_server.text(message)


def test_approval_tells_the_writer_it_is_live(smtp_server, commit, newsroom):
    article = article_in(Status.IN_REVIEW, title="Caspian Shipping", created_by=newsroom["writer"])
    step(commit, article, "approve", newsroom["moderator"])
    [message] = smtp_server.messages
    assert message.recipients == ["writer@example.org"]
    assert message["Subject"] == "Approved: Caspian Shipping"
    text = smtp_server.text(message)
    assert "It is live now:" in text
    assert f"{BASE}{article.get_absolute_url()}" in text


def test_approval_of_a_scheduled_article_says_when_it_goes_live(
    smtp_server, commit, newsroom, frozen_now
):
    article = article_in(
        Status.IN_REVIEW,
        created_by=newsroom["writer"],
        publish_at=frozen_now + timedelta(days=2),
    )
    step(commit, article, "approve", newsroom["editor"])
    assert "It goes live on 3 June 2026, 12:00 UTC." in smtp_server.text(smtp_server.messages[0])


def test_whoever_takes_the_step_is_not_told_of_it(smtp_server, commit, newsroom):
    article = article_in(Status.IN_REVIEW, created_by=newsroom["editor"])
    step(commit, article, "approve", newsroom["editor"])
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("name", "source"),
    [("unpublish", Status.PUBLISHED), ("reopen", Status.RETURNED), ("archive", Status.DRAFT)],
)
def test_other_steps_send_nothing(smtp_server, commit, newsroom, name, source):
    article = article_in(source, created_by=newsroom["writer"])
    step(commit, article, name, newsroom["editor"])
    assert smtp_server.messages == []


def test_a_refused_step_sends_nothing(smtp_server, commit, newsroom):
    article = article_in(Status.IN_REVIEW, created_by=newsroom["writer"], authors=[])
    with pytest.raises(workflow.MissingByline):
        step(commit, article, "approve", newsroom["editor"])
    assert smtp_server.messages == []


def test_publishing_works_when_the_mail_server_is_down(smtp_down, commit, newsroom, caplog, client):
    article = article_in(Status.IN_REVIEW, created_by=newsroom["writer"])
    client.force_login(newsroom["editor"])
    with caplog.at_level(logging.ERROR, logger="dossier.mail"):
        response = commit(
            client.post,
            reverse("admin:articles_article_transition", args=[article.pk, "approve"]),
            {"version": article.version},
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.is_live
    assert "e-mail not sent" in caplog.text and "writer@example.org" in caplog.text


def test_the_admin_builds_links_from_the_request(smtp_server, commit, newsroom, client, settings):
    settings.SITE_URL = ""
    article = article_in(Status.DRAFT, created_by=newsroom["writer"])
    client.force_login(newsroom["writer"])
    commit(
        client.post,
        reverse("admin:articles_article_transition", args=[article.pk, "submit"]),
        {"version": article.version},
    )
    text = smtp_server.text(smtp_server.to("editor@example.org")[0])
    assert f"http://testserver{reverse('admin:articles_article_change', args=[article.pk])}" in text
