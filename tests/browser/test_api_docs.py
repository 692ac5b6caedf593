"""The read API's browsable documentation works in a real browser under the site's
Content-Security-Policy, with nothing from another origin (docs/api.md)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_shows_the_api_from_our_own_origin(demo_site, page, console, live_server):
    requests = []
    page.on("request", lambda request: requests.append(request))

    page.goto(reverse("api:docs"))

    # Swagger UI drew the schema it fetched: the operations of the article endpoints.
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/articles/").count() >= 1
    assert any(request.url.endswith(reverse("api:schema")) for request in requests)
    origin = urlsplit(live_server.url)[:2]
    assert [r.url for r in requests if urlsplit(r.url)[:2] != origin] == []
    # No script or style was refused by the CSP: the `console` fixture fails on any.
