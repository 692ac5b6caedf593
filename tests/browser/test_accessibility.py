"""axe-core finds no WCAG 2 A/AA or best-practice violation on the public pages.

axe only sees what is on the page, so the pages are the demo's: long articles with every body
element, two authors, quotes, comments and an open comment form.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.support import PUBLIC_PAGES, axe_source, axe_violations, describe_violations
from website.demo import content

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations(name, demo_site, page, console):
    source = axe_source()
    if name == "404":
        console.allow("status of 404")
    page.goto(PUBLIC_PAGES[name]())
    violations = axe_violations(page, source)
    assert not violations, f"{name} page:\n{describe_violations(violations)}"


@pytest.mark.parametrize("name", ["home", "article"])
def test_page_on_a_phone_has_no_axe_violations(name, demo_site, page):
    """Target sizes, reflow and contrast, again at a phone's width."""
    source = axe_source()
    page.set_viewport_size(PHONE)
    page.goto(PUBLIC_PAGES[name]())
    violations = axe_violations(page, source)
    assert not violations, f"{name} page at 390 px:\n{describe_violations(violations)}"


def test_comment_form_being_filled_in_has_no_axe_violations(demo_site, page):
    """The article page's own comment form, once a reader has started: the script has filled
    its token fields by then."""
    source = axe_source()
    page.goto(reverse("articles:detail", kwargs={"slug": content.PILLAR}))
    form = page.locator("form[data-comment-form]")
    with page.expect_response(lambda r: "/comments/form-token/" in r.url):
        form.get_by_label("Your name").fill("Mina Arlow")
    form.get_by_label("Comment").fill("A careful piece on a slippery subject.")
    violations = axe_violations(page, source)
    assert not violations, f"comment form:\n{describe_violations(violations)}"
