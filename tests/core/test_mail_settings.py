"""The e-mail settings read from the environment (config/settings.py): the console unless
EMAIL_HOST is set, and a clear start-up error for settings a mail server would refuse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import config.settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, "
    "repr(s.SITE_URL), sep='|')"
)


def settings_with(**env) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with these variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "SITE_URL"))}
    clean.pop("DEFAULT_FROM_EMAIL", None)
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_email_host_mail_goes_to_the_console():
    result = settings_with()
    assert result.returncode == 0, result.stderr
    backend, host, *_ = result.stdout.strip().split("|")
    assert (backend, host) == ("django.core.mail.backends.console.EmailBackend", "")


def test_email_host_switches_to_smtp_with_its_settings():
    result = settings_with(
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="Newsroom <newsroom@example.org>",
        SITE_URL="https://news.example.org/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
        "Newsroom <newsroom@example.org>",
        "'https://news.example.org'",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_HOST": "smtp.example.org"}, "DEFAULT_FROM_EMAIL must be set when EMAIL_HOST is"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "Set EMAIL_USE_TLS or EMAIL_USE_SSL"),
        ({"SITE_URL": "news.example.org"}, "SITE_URL must be the site's address"),
    ],
)
def test_settings_a_mail_server_would_refuse_stop_the_start_with_a_reason(env, message):
    result = settings_with(**env)
    assert result.returncode != 0
    assert message in result.stderr
