"""Screenshots of the pages readers see, saved to artifacts/screenshots/ (git-ignored) for people
to look at after a run, and the layout checks that go with them: nothing wider than the window.

docs/screenshots/article.png in the README is a copy of article-1280.png from this test.
"""

from __future__ import annotations

import struct

import pytest
from django.urls import reverse

from website.demo import content

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def png_width(path) -> int:
    # A PNG starts with its 8-byte signature and the IHDR chunk: width, then height.
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", header[16:20])[0]


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(
    ("name", "viewport"), [("1280", DESKTOP), ("390", PHONE)], ids=["desktop", "phone"]
)
def test_article_page_screenshot(name, viewport, demo_site, page, screenshots_dir):
    page.set_viewport_size(viewport)
    page.goto(reverse("articles:detail", kwargs={"slug": content.PILLAR}))
    assert sideways_overflow(page) == 0

    first_screen = screenshots_dir / f"article-{name}.png"
    page.screenshot(path=first_screen)
    page.screenshot(path=screenshots_dir / f"article-{name}-full.png", full_page=True)
    assert png_width(first_screen) == viewport["width"]


@pytest.mark.parametrize(
    ("name", "viewport"), [("1280", DESKTOP), ("390", PHONE)], ids=["desktop", "phone"]
)
def test_home_page_screenshot(name, viewport, demo_site, page, screenshots_dir):
    page.set_viewport_size(viewport)
    page.goto(reverse("website:home"))
    assert sideways_overflow(page) == 0

    path = screenshots_dir / f"home-{name}.png"
    page.screenshot(path=path, full_page=True)
    assert png_width(path) == viewport["width"]
