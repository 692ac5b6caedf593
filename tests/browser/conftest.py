"""Browser tests: pytest-playwright driving Debian's Chromium against Django's live server.

Every test here carries the `browser` marker (set in each module), runs after the rest of the
suite (tests/conftest.py moves it there) and uses a real Chromium, never one that Playwright
downloads: CI installs Debian's package (.ci/run), and no test calls `playwright install`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.support import ConsoleWatch

CHROMIUM = Path("/usr/bin/chromium")

# What Debian's Chromium needs to start headless here, and to stay off the network: as root it
# needs --no-sandbox; the rest stop it calling Google's services at start-up (the machine has no
# network beyond the loopback, and each refused connection would slow the start).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A failing step should fail in seconds, not after Playwright's default of 30.
ACTION_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    """Without Chromium, skip (with the reason) on a developer's machine; in CI, run and fail:
    a CI whose browser tests all skipped would pass without having tested anything."""
    if CHROMIUM.exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: `apt-get install -y chromium` to run the browser tests"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _django_beside_playwright(django_db_setup):
    """Let the test's own code use Django's ORM while Playwright's sync API runs.

    Playwright's sync API keeps an asyncio loop running in the test's thread (in a greenlet)
    from its start to the end of the session, and Django takes the thread for async code:
    - its async-safety check refuses every query the test makes (factories, assertions, the
      flush after each test) with SynchronousOnlyOperation;
    - its connection handler keeps connections per async context instead of per thread, so the
      test would quietly get fresh connections, without what the test database set up on the
      thread's own (the serialized rollback data; on SQLite, the in-memory database connection
      the live server shares).

    Yet no code of ours runs inside that loop: the test's queries are ordinary blocking ones in
    its own thread, and the live server answers from threads of its own. So, for the browser
    tests only, the check is switched off (from before Playwright starts to after it stops;
    tests/conftest.py runs the rest of the suite first) and the playwright fixture below gives
    the test its thread's connections back.
    """
    from django.db import connections

    thread_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield thread_connections


@pytest.fixture(scope="session")
def playwright(_django_beside_playwright, playwright):
    """pytest-playwright's Playwright, started once Django can work beside it."""
    from django.db import connections

    for alias, connection in _django_beside_playwright.items():
        connections[alias] = connection
    return playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Pages open relative to the live server: page.goto("/") is the home page."""
    return live_server.url


@pytest.fixture
def console():
    """Every console error and uncaught script error in the test's pages (a script or style
    that the Content-Security-Policy blocks shows up here). A test whose pages logged one fails,
    even when its assertions passed; console.allow() names the errors a test expects."""
    watch = ConsoleWatch()
    yield watch
    watch.assert_clean()


@pytest.fixture
def new_context(console, new_context):
    """Contexts that report their console errors to `console` and give up after 10 s.

    `console` comes first so that it is torn down last, after the contexts have closed."""

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        console.watch(context)
        return context

    return make


@pytest.fixture
def screenshots_dir() -> Path:
    """artifacts/screenshots/ (git-ignored): the pages as the browser drew them."""
    path = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def demo_site(transactional_db):
    """The demo content (five articles with every body element, authors, experts, topics and
    comments), with comments open on every article so each page shows its comment form: the
    demo's publish dates are fixed, and by age most would have closed."""
    from core.models import SiteSettings
    from website.management.commands.load_demo import load_demo

    load_demo()
    site = SiteSettings.current()
    site.comments_close_after_days = 0
    site.save()
