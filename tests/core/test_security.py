"""Security headers on every response, and brute-force lockout on the admin login."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_public_pages_send_a_strict_content_security_policy(client):
    article = ArticleFactory()

    response = client.get(article.get_absolute_url())

    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_public_pages_send_the_other_security_headers(client, db):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_templates_carry_no_inline_script_or_style(client):
    article = ArticleFactory(body="## One\n\n::: insight\nx\n:::\n\n## Two\n")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>" not in html
    assert ' style="' not in html
    assert " on" + "click=" not in html


def test_admin_login_locks_out_after_repeated_failures(client, settings):
    UserFactory(username="editor", password="right-password-123", is_staff=True)
    login = reverse("admin:login")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "editor", "password": "wrong"})
    locked = client.post(login, {"username": "editor", "password": "right-password-123"})

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_resets_the_count(client, settings):
    UserFactory(username="writer", password="right-password-123", is_staff=True)
    login = reverse("admin:login")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login, {"username": "writer", "password": "wrong"})
    response = client.post(login, {"username": "writer", "password": "right-password-123"})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
