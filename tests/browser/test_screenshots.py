"""Screenshots of the pages readers see, saved to artifacts/screenshots/ (git-ignored) for people
to look at after a run, and the layout checks that go with them: nothing wider than the window.

`make screenshots` runs this file and copies the pictures the README and docs show into
docs/screenshots/ (DOCS_SHOTS in the Makefile): they are refreshed by that target, never by hand.
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


def settle(page) -> None:
    """Wait for the web fonts and every image, lazy ones included, so a full-page picture shows
    what a reader scrolling down would see."""
    page.evaluate(
        """async () => {
            await document.fonts.ready;
            await Promise.all([...document.images].map((img) => {
                img.loading = "eager";
                return img.decode().catch(() => {});
            }));
        }"""
    )


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
    settle(page)
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
    settle(page)
    assert sideways_overflow(page) == 0

    page.screenshot(path=screenshots_dir / f"home-{name}.png")
    path = screenshots_dir / f"home-{name}-full.png"
    page.screenshot(path=path, full_page=True)
    assert png_width(path) == viewport["width"]


@pytest.mark.parametrize(
    ("name", "viewport"), [("1280", DESKTOP), ("390", PHONE)], ids=["desktop", "phone"]
)
def test_topic_page_screenshot(name, viewport, demo_site, page, screenshots_dir):
    page.set_viewport_size(viewport)
    page.goto(reverse("topics:detail", kwargs={"slug": content.MAIN_TOPIC}))
    settle(page)
    assert sideways_overflow(page) == 0

    page.screenshot(path=screenshots_dir / f"topic-{name}.png")
    path = screenshots_dir / f"topic-{name}-full.png"
    page.screenshot(path=path, full_page=True)
    assert png_width(path) == viewport["width"]


def test_phone_header_is_two_short_rows(demo_site, page):
    """At 390 px the header holds the name and the menu, with a Search link in place of the
    form: under 100 px tall (it was three rows, about 190 px)."""
    page.set_viewport_size(PHONE)
    page.goto(reverse("website:home"))

    height = page.evaluate("() => document.querySelector('.site-header').offsetHeight")
    assert height < 100, height
    assert not page.locator(".site-search").is_visible()
    assert page.get_by_role("link", name="Search", exact=True).is_visible()


def test_wide_screens_show_the_search_form_and_no_second_search_link(demo_site, page):
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("website:home"))

    assert page.locator(".site-search").is_visible()
    assert not page.locator(".site-nav__search").is_visible()
