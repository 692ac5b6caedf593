"""What the browser tests share: console watching, logging in, the public pages, axe-core."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, WebError, expect

from tests.factories import TEST_PASSWORD
from website.demo import content

# --- console errors ----------------------------------------------------------------------------


@dataclass
class ConsoleWatch:
    """Collects console errors and uncaught exceptions from every page of the watched contexts.

    A test that expects one (a 404 page logs its own status) says so with allow(); anything
    else fails the test when it ends."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self._on_console)
        context.on("weberror", self._on_web_error)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.location.get('url', '?')}: {message.text}")

    def _on_web_error(self, error: WebError) -> None:
        self.errors.append(f"uncaught: {error.error}")

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]

    def assert_clean(self) -> None:
        unexpected = self.unexpected()
        assert not unexpected, "The browser console logged errors:\n" + "\n".join(unexpected)


# --- people ------------------------------------------------------------------------------------


def log_in(page: Page, username: str, *, password: str = TEST_PASSWORD) -> None:
    """Log in through the admin's own login form, as a person does."""
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def admin_message(page: Page):
    """The admin's success/warning/error messages after a redirect."""
    return page.locator("ul.messagelist")


# --- the public pages ----------------------------------------------------------------------

# One of each public page, on the demo content (the `demo_site` fixture).
PUBLIC_PAGES = {
    "home": lambda: reverse("website:home"),
    "article": lambda: reverse("articles:detail", kwargs={"slug": content.PILLAR}),
    "topic": lambda: reverse("topics:detail", kwargs={"slug": content.MAIN_TOPIC}),
    "subtopic": lambda: reverse("topics:detail", kwargs={"slug": "energy-trade-corridors"}),
    "topic list": lambda: reverse("topics:list"),
    "author": lambda: reverse("authors:detail", kwargs={"slug": "ilse-marrow"}),
    "author list": lambda: reverse("authors:list"),
    "expert": lambda: reverse("authors:expert_detail", kwargs={"slug": "roxana-tevelde"}),
    "expert list": lambda: reverse("authors:expert_list"),
    "tag": lambda: reverse("articles:tag", kwargs={"slug": "sanctions"}),
    "search": lambda: reverse("articles:search") + "?q=sanctions",
    "comment form": lambda: reverse("comments:write", kwargs={"slug": content.PILLAR}),
    "report form": lambda: reverse("comments:report_article", kwargs={"slug": content.PILLAR}),
    "site page": lambda: reverse("pages:detail", kwargs={"slug": "about"}),
    "404": lambda: "/no-such-page/",
}


# --- axe-core ----------------------------------------------------------------------------------

# Installed from the npm registry by `make axe` (a dependency of `make test` where npm exists);
# var/ is git-ignored, so the 500 KB script is never committed.
AXE_JS = Path(settings.BASE_DIR) / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (landmarks, one h1,
# heading order, unique landmark names...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_source() -> str:
    if not AXE_JS.exists():
        message = f"{AXE_JS} is missing: run `make axe` (needs npm) to fetch axe-core"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page, source: str) -> list[dict]:
    """Run axe-core on the page as it stands and return its violations.

    The script goes in with evaluate(), which Chromium runs outside the page's
    Content-Security-Policy: a <script> tag of ours would be refused as inline script, and
    loosening the policy (bypass_csp) would test a page readers never get."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {json.dumps(node['target'])}: {summary[:300]}")
    return "\n".join(lines)
