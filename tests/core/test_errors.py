"""Every 500 is logged with its request id and answered with the site's own page (core/errors.py):
the template, or a fixed page when the template itself fails. Never Django's default page, never
a traceback, with DEBUG off.

No test here uses the database: the error path must not need it (a database outage is a common
reason for a 500), and pytest-django refuses any query without the `db` fixture.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver

from core import errors
from tests.html import parse

pytestmark = pytest.mark.urls("tests.core.urls_with_failures")

FAILING_URL = "/test-only/raises/"
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


@pytest.fixture
def client():
    # The default test client re-raises the view's exception; a reader gets the handler's page.
    return Client(raise_request_exception=False)


@pytest.fixture
def site_log(caplog):
    """caplog, reading records as the site's console handler does: its request id filter and
    format (LOGGING in config/settings.py)."""
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    for log_filter in console.filters:
        caplog.handler.addFilter(log_filter)
    caplog.handler.setFormatter(console.formatter)
    return caplog


def assert_no_traceback(body: str) -> None:
    assert "Traceback" not in body
    assert "RuntimeError" not in body
    assert "the view failed" not in body
    assert "Server Error (500)" not in body  # Django's default page


def test_the_site_sets_its_own_500_handler():
    assert get_resolver("config.urls").resolve_error_handler(500) is errors.server_error


def test_a_failing_view_gets_the_sites_500_page_with_its_request_id(client):
    response = client.get(FAILING_URL)

    assert response.status_code == 500
    reference = response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(reference)
    body = response.content.decode()
    page = parse(response)
    assert page.one("h1").text == "Something went wrong"
    assert page.one("code").text == reference
    assert page.one("meta", name="robots").attrs["content"] == "noindex"
    assert ("/", "Home page") in page.links()
    assert_no_traceback(body)


def test_the_500_page_quotes_the_id_a_proxy_sent(client):
    response = client.get(FAILING_URL, HTTP_X_REQUEST_ID="edge-42.a_b")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "edge-42.a_b"
    assert parse(response).one("code").text == "edge-42.a_b"


def test_the_error_is_logged_with_its_traceback_and_request_id(client, site_log):
    response = client.get(FAILING_URL)
    reference = response["X-Request-ID"]

    [error] = [r for r in site_log.records if r.levelno >= logging.ERROR]
    assert error.name == "django.request"
    assert error.exc_info[0] is RuntimeError
    assert error.request_id == reference
    assert f"ERROR django.request [{reference}] Internal Server Error: {FAILING_URL}" in (
        site_log.text
    )
    assert "RuntimeError: the view failed" in site_log.text  # the traceback
    # A line the view wrote before failing carries the same id.
    assert f"WARNING dossier.tests [{reference}] about to fail" in site_log.text


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("{% url 'no-such-view' %}", id="fails-to-render"),
        pytest.param("{% if %}", id="fails-to-compile"),
        pytest.param(None, id="missing"),
    ],
)
def test_a_broken_500_template_gives_the_fixed_page(client, site_log, settings, tmp_path, template):
    if template is None:
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path], "APP_DIRS": False}]
    else:
        (tmp_path / "500.html").write_text(template)
        settings.TEMPLATES = [
            {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
        ]

    response = client.get(FAILING_URL, HTTP_X_REQUEST_ID="trace-9")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "trace-9"
    page = parse(response)
    assert page.one("h1").text == "Something went wrong"
    assert page.one("code").text == "trace-9"
    assert_no_traceback(response.content.decode())
    # Both failures are logged, each with the request id: the view's, and the page's.
    logged = {(r.name, r.request_id) for r in site_log.records if r.levelno >= logging.ERROR}
    assert logged == {("django.request", "trace-9"), ("dossier.errors", "trace-9")}


def test_the_fixed_page_says_what_the_template_says(settings, tmp_path):
    request = RequestFactory().get("/")
    request.request_id = "ref-1"
    usual = errors.server_error(request)
    (tmp_path / "500.html").write_text("{% url 'no-such-view' %}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    fixed = errors.server_error(request)

    assert fixed.status_code == 500
    assert fixed["Content-Type"] == "text/html; charset=utf-8"
    assert "site.css" not in fixed.content.decode()  # the fixed page, not the template
    assert parse(fixed).one("main").text == parse(usual).one("main").text
    assert "quote this reference: ref-1" in parse(fixed).one("main").text


def test_the_500_page_needs_no_database_nor_request_context():
    """Rendered as in production, with no database access allowed: the template, not the
    fixed page (which would mean rendering it failed)."""
    request = RequestFactory().get("/")
    request.request_id = "ref-2"

    response = errors.server_error(request)

    assert response.status_code == 500
    page = parse(response)
    [stylesheet] = page.select("link", rel="stylesheet")  # only the template links it
    assert stylesheet.attrs["href"].endswith("css/site.css")
    assert page.one("code").text == "ref-2"
