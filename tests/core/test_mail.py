"""core.mail against a real SMTP server on the loopback (aiosmtpd), and one that is down."""

from __future__ import annotations

import logging

import pytest

from core import mail

pytestmark = pytest.mark.django_db


def reset_mail(to: str = "ilse@example.org") -> mail.Mail:
    class Someone:
        def get_full_name(self):
            return "Ilse Marrow"

        def get_username(self):
            return "ilse"

    return mail.compose(
        "password_reset", {"user": Someone(), "link": "https://x.example/set/"}, to=to
    )


def test_composed_mail_has_a_one_line_subject_and_plain_text(settings):
    composed = reset_mail()
    assert composed.subject == "Dossier: choose a new password"
    assert "Hello Ilse Marrow," in composed.body
    assert "https://x.example/set/" in composed.body
    assert composed.html == ""  # no HTML template for this one


def test_mail_goes_through_a_real_smtp_conversation(smtp_server, commit):
    commit(mail.send_after_commit, [reset_mail("ilse@example.org"), reset_mail("rox@example.org")])
    assert [m.recipients for m in smtp_server.messages] == [
        ["ilse@example.org"],
        ["rox@example.org"],
    ]
    message = smtp_server.messages[0]
    assert message["From"] == "Dossier <newsroom@example.org>"
    assert message["Subject"] == "Dossier: choose a new password"
    assert "https://x.example/set/" in smtp_server.text(message)


def test_nothing_is_sent_when_the_transaction_rolls_back(
    smtp_server, django_capture_on_commit_callbacks
):
    from django.db import transaction

    class Undo(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Undo),
        transaction.atomic(),
    ):
        mail.send_after_commit([reset_mail()])
        raise Undo
    assert callbacks == []
    assert smtp_server.messages == []


def test_a_server_that_is_down_is_logged_not_raised(smtp_down, commit, caplog):
    with caplog.at_level(logging.ERROR, logger="dossier.mail"):
        commit(mail.send_after_commit, [reset_mail()])
    assert "e-mail not sent" in caplog.text
    assert "ilse@example.org" in caplog.text


def test_site_url_prefers_the_setting_then_the_request(settings, rf):
    request = rf.get("/", HTTP_HOST="admin.example.org")
    settings.ALLOWED_HOSTS = ["admin.example.org"]
    settings.SITE_URL = ""
    assert mail.site_url(request) == "http://admin.example.org"
    settings.SITE_URL = "https://news.example.org"
    assert mail.site_url(request) == "https://news.example.org"
    assert (
        mail.absolute("/articles/x/", base=mail.site_url())
        == "https://news.example.org/articles/x/"
    )


@pytest.fixture
def sample_templates(settings):
    """templates/emails/sample.* from tests/core/templates: a message with an HTML part."""
    from pathlib import Path

    here = Path(__file__).parent / "templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], here]}]


def test_a_message_with_an_html_template_carries_both_parts(sample_templates, smtp_server, commit):
    composed = mail.compose("sample", {"name": "Ilse <3"}, to="ilse@example.org")
    assert composed.html == "<p>HTML for <strong>Ilse &lt;3</strong></p>\n"
    commit(mail.send_after_commit, [composed])
    [message] = smtp_server.messages
    assert smtp_server.text(message).strip() == "Plain for Ilse <3"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<strong>Ilse &lt;3</strong>" in html
