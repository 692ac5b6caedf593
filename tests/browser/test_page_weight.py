"""The public pages stay light: everything from our own origin, nothing blocking the first
paint but our stylesheet, our own web fonts within their own budget, and an article page under
100 KB before images and fonts."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.browser.support import PUBLIC_PAGES
from website.demo import content

pytestmark = pytest.mark.browser

# The budget for everything but images and fonts: HTML, CSS and JavaScript, measured as the bytes
# that crossed the wire (headers included). The live server does not compress, so this is the
# uncompressed weight; gzip from WhiteNoise and the proxy only makes production lighter.
ARTICLE_BUDGET_BYTES = 100 * 1024

# Fonts have a budget of their own, set deliberately when the site took on a typeface pair
# (issue 19): the Latin files of the serif (regular and italic, both variable in weight) and of
# the sans, about 111 KB in all; files for Latin Extended or Cyrillic come only on pages that
# use those letters. WOFF2 is already compressed, so this is also what production sends; the
# files are immutable under hashed names and cached for a year, so a reader pays it once.
FONT_BUDGET_BYTES = 120 * 1024

# The article page asks for its HTML, the stylesheet, the print stylesheet (fetched at low
# priority), the icon (twice: the tab's icon and the header's mark), comments.js, the featured
# image's rendition and its three Latin font files. A new request showing up is worth a look.
ARTICLE_MAX_REQUESTS = 10


@dataclass
class Transfer:
    url: str
    resource_type: str
    status: int
    bytes: int


def record_transfers(page) -> list[Transfer]:
    transfers: list[Transfer] = []

    def finished(request) -> None:
        sizes = request.sizes()
        response = request.response()
        transfers.append(
            Transfer(
                url=request.url,
                resource_type=request.resource_type,
                status=response.status if response else 0,
                bytes=sizes["responseHeadersSize"] + sizes["responseBodySize"],
            )
        )

    page.on("requestfinished", finished)
    return transfers


def test_article_page_weighs_under_100_kb_before_images(demo_site, page, live_server):
    transfers = record_transfers(page)
    page.goto(reverse("articles:detail", kwargs={"slug": content.PILLAR}))
    page.wait_for_load_state("networkidle")

    not_images = [t for t in transfers if t.resource_type not in ("image", "font")]
    fonts = [t for t in transfers if t.resource_type == "font"]
    total = sum(t.bytes for t in not_images)
    font_total = sum(t.bytes for t in fonts)
    breakdown = "\n".join(
        f"{t.bytes:>7} {t.resource_type:<10} {t.url}" for t in [*not_images, *fonts]
    )
    print(f"Article page, before images: {total} bytes, fonts {font_total} bytes\n{breakdown}")
    assert total < ARTICLE_BUDGET_BYTES, f"{total} bytes:\n{breakdown}"
    assert font_total < FONT_BUDGET_BYTES, f"fonts {font_total} bytes:\n{breakdown}"
    # An English page needs the Latin files only.
    assert fonts and all(t.url.endswith("-latin.woff2") for t in fonts), breakdown
    # The page really is the long one (the HTML travels gzipped; its text is over 20 KB).
    document = next(t for t in transfers if t.resource_type == "document")
    assert document.status == 200
    assert len(page.content().encode()) > 20_000
    assert len(transfers) <= ARTICLE_MAX_REQUESTS, breakdown
    assert all(t.status == 200 for t in transfers), breakdown


def test_article_page_blocks_first_paint_on_nothing_but_its_own_stylesheet(demo_site, page):
    page.goto(reverse("articles:detail", kwargs={"slug": content.PILLAR}))
    head = page.evaluate(
        """() => ({
            blockingScripts: [...document.head.querySelectorAll('script[src]')]
                .filter(s => !s.defer && !s.async && s.type !== 'module').map(s => s.src),
            inlineScripts: [...document.querySelectorAll('script:not([src])')]
                .filter(s => s.type !== 'application/ld+json').length,
            stylesheets: [...document.querySelectorAll('link[rel=stylesheet]')]
                .map(l => ({href: l.href, media: l.media})),
            bodyScripts: [...document.querySelectorAll('script[src]')]
                .map(s => ({src: s.src, defer: s.defer})),
            fontFaces: [...document.fonts].map(f => f.family),
            preloads: [...document.querySelectorAll('link[rel=preload][as=font]')]
                .map(l => l.href),
        })"""
    )
    assert head["blockingScripts"] == []
    assert head["inlineScripts"] == 0  # the CSP would refuse them anyway
    assert all(script["defer"] for script in head["bodyScripts"]), head["bodyScripts"]
    assert [s["media"] for s in head["stylesheets"]] == ["", "print"]
    origin = page.evaluate("() => location.origin")
    assert all(s["href"].startswith(origin + "/") for s in head["stylesheets"])
    # Our own two families only, each file from our own origin; the two faces every page shows
    # first are preloaded rather than found late in the stylesheet.
    assert set(head["fontFaces"]) == {"Dossier Sans", "Dossier Serif"}
    assert len(head["preloads"]) == 2
    assert all(href.startswith(origin + "/static/fonts/") for href in head["preloads"])


def test_public_pages_load_nothing_from_another_origin(demo_site, page, console, live_server):
    """Every public page, with every request it makes (the comment form's token request
    included), stays on our origin; the pages log no console error (a Content-Security-Policy
    refusal would show there), checked by the `console` fixture."""
    console.allow("/no-such-page/.*status of 404")
    # Recorded as they are made (not as they finish), so none is missed when the loop ends.
    requests = []
    page.on("request", lambda request: requests.append(request))
    origin = urlsplit(live_server.url)
    for name, url in PUBLIC_PAGES.items():
        page.goto(url())
        if name == "article":
            # Starting to write fetches the comment form's token: that request counts too.
            with page.expect_response(lambda r: "/comments/form-token/" in r.url):
                page.get_by_label("Your name").focus()

    documents = {r.url for r in requests if r.resource_type == "document"}
    assert len(documents) == len(PUBLIC_PAGES)
    assert any(r.resource_type == "fetch" for r in requests)  # the token request
    elsewhere = [r.url for r in requests if urlsplit(r.url)[:2] != origin[:2]]
    assert elsewhere == []
    # Fonts come from our own static files, never a font service.
    fonts = [r.url for r in requests if r.resource_type == "font"]
    assert fonts and all(urlsplit(url).path.startswith("/static/fonts/") for url in fonts)
