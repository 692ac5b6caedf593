"""Every request has an id (core/request_id.py): a proxy's when it is a plain token, else a new
one; returned as X-Request-ID and written in every log line of the request."""

from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings

from core import request_id

GENERATED_ID = re.compile(r"[0-9a-f]{32}")
PAGE = "/robots.txt"  # needs no database


@pytest.fixture
def site_log(caplog):
    """caplog, reading records as the site's console handler does (LOGGING in settings)."""
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    for log_filter in console.filters:
        caplog.handler.addFilter(log_filter)
    caplog.handler.setFormatter(console.formatter)
    return caplog


def test_the_middleware_runs_first():
    """Everything below it, and every log line they write, sees the id."""
    assert settings.MIDDLEWARE[0] == "core.request_id.RequestIdMiddleware"


def test_each_request_gets_a_new_id(client):
    first, second = client.get(PAGE)["X-Request-ID"], client.get(PAGE)["X-Request-ID"]

    assert GENERATED_ID.fullmatch(first)
    assert GENERATED_ID.fullmatch(second)
    assert first != second


@pytest.mark.parametrize("sent", ["f81d4fae7dec11d0a76500a0c91e6bf6", "lb-1.req_42", "x" * 200])
def test_a_plain_token_from_a_proxy_is_kept(client, sent):
    assert client.get(PAGE, HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("", id="empty"),
        pytest.param("abc\n", id="trailing-newline"),
        pytest.param("abc\r\nINFO forged log line", id="newlines"),
        pytest.param("<script>alert(1)</script>", id="markup"),
        pytest.param("x" * 201, id="201-chars"),
        pytest.param("x" * 500, id="500-chars"),
        pytest.param("two words", id="space"),
        pytest.param("idé", id="not-ascii"),
        pytest.param("%0a", id="percent"),
    ],
)
@pytest.mark.urls("tests.core.urls_with_failures")
def test_anything_else_is_replaced_not_cleaned(client, site_log, sent):
    response = client.get("/test-only/503/", HTTP_X_REQUEST_ID=sent)

    assert GENERATED_ID.fullmatch(response["X-Request-ID"])
    [record] = site_log.records  # the 503, logged with the replacement
    assert record.request_id == response["X-Request-ID"]


@pytest.mark.django_db  # the 404 page shows the site's name
def test_log_lines_of_a_request_carry_its_id_and_others_a_dash(client, site_log):
    logger = logging.getLogger("dossier.tests")
    logger.warning("before")

    response = client.get("/no/such/page/", HTTP_X_REQUEST_ID="req-404")
    logger.warning("after")

    assert request_id.current() == "-"
    assert [(r.name, r.request_id) for r in site_log.records] == [
        ("dossier.tests", "-"),
        ("django.request", "req-404"),
        ("dossier.tests", "-"),
    ]
    assert response.status_code == 404
    assert "WARNING django.request [req-404] Not Found: /no/such/page/" in site_log.text
    assert "WARNING dossier.tests [-] before" in site_log.text


@pytest.mark.urls("tests.core.urls_with_failures")
def test_a_5xx_a_view_returns_is_logged_with_its_id(client, site_log):
    """Django logs a response's error status after the middleware has finished: the id is read
    from the request the record carries."""
    response = client.get("/test-only/503/", HTTP_X_REQUEST_ID="req-503")

    assert response.status_code == 503
    assert response["X-Request-ID"] == "req-503"
    [record] = site_log.records
    assert (record.name, record.levelname) == ("django.request", "ERROR")
    assert record.request_id == "req-503"


def test_the_log_format_shows_the_id():
    [formatter] = settings.LOGGING["formatters"].values()
    assert "[%(request_id)s]" in formatter["format"]
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request_id"]


def test_a_record_from_another_source_is_never_dropped():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    record.request = object()  # runserver's records carry a socket under this name

    assert request_id.RequestIdFilter().filter(record) is True
    assert record.request_id == "-"
