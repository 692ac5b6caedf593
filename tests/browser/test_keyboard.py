"""The article page with the keyboard alone: skip link first, focus always visible, and Tab
walks the page in reading order down to the comment form."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from website.demo import content

pytestmark = pytest.mark.browser

# The element that has focus, described so a failure message says which one it was, and
# whether it shows where focus is (our :focus-visible outline, or the browser's own).
FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        name: (el.getAttribute('aria-label') || el.labels?.[0]?.textContent
               || el.textContent || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0
                  && box.top < window.innerHeight,
        index: (window.__tabOrder || []).indexOf(el),
    };
}"""

# What a reader can reach with Tab inside <main>, in document order: links, buttons and fields
# that are rendered (the honeypot is display:none) and not taken out with tabindex=-1.
TAB_ORDER = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]';
    const all = [...document.querySelectorAll(selector)];
    const reachable = all.filter(el => el.getClientRects().length > 0 && !el.disabled
                                      && el.tabIndex >= 0);
    window.__tabOrder = reachable.filter(el => el.closest('main'));
    return {
        inMain: window.__tabOrder.length,
        positiveTabindex: all.filter(el => el.tabIndex > 0).map(el => el.outerHTML.slice(0, 80)),
    };
}"""


def press_tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def test_article_page_works_with_the_keyboard_alone(demo_site, page):
    # Without smooth scrolling (site.css turns it on unless the reader asks for less motion),
    # a focused element is in view at once rather than at the end of an animation.
    page.emulate_media(reduced_motion="reduce")
    page.goto(reverse("articles:detail", kwargs={"slug": content.PILLAR}))

    # The first Tab lands on the skip link, which comes into view with a visible outline.
    skip = press_tab(page)
    assert (skip["tag"], skip["name"]) == ("a", "Skip to content")
    assert skip["outline"] and skip["onScreen"], skip

    # Without taking it: the header, in the order it reads.
    header = [press_tab(page) for _ in range(7)]
    assert [f["name"] for f in header] == [
        "Dossier", "Search articles", "Search", "Topics", "Authors", "Experts", "About",
    ]  # fmt: skip
    assert all(f["outline"] for f in header), header

    # Back to the skip link and take it: focus moves into the main content.
    for _ in range(7):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["name"] == "Skip to content"
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()

    # From there, Tab visits every link, button and field of the main content in document
    # order (no positive tabindex reorders it), each visibly focused and scrolled into view.
    order = page.evaluate(TAB_ORDER)
    assert order["positiveTabindex"] == []
    assert order["inMain"] > 30  # the demo article's TOC, body links, tags, boxes, form
    visited = [press_tab(page) for _ in range(order["inMain"])]
    assert [f["index"] for f in visited] == list(range(order["inMain"])), [
        (f["index"], f["tag"], f["name"]) for f in visited
    ]
    unseen = [f for f in visited if not (f["outline"] and f["onScreen"])]
    assert unseen == [], unseen

    names = [f["name"] for f in visited]
    assert names[0] == "← Back to Home"
    # The comment form's fields come in the order they read, then its button.
    form = [f["id"] for f in visited if f["id"] in {"id_name", "id_email", "id_body"}]
    assert form == ["id_name", "id_email", "id_body"]
    ids = [f["id"] for f in visited]
    assert names[ids.index("id_body") + 1] == "Send for moderation"
    # And the next Tab leaves the main content for the footer: its list of main topics first.
    assert press_tab(page)["name"] == "Russia–Iran Relations"
    assert page.evaluate("() => document.activeElement.closest('footer') !== null")
