"""Properties of render_body and finish_body over generated input (hypothesis).

Whatever an editor types, render_body never raises and its HTML carries no script, style,
frame, plugin or form element, no event handler and no script or data URL; finish_body keeps it
that way and turns every link to a live article into a real link.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.rendering import finish_body, render_body

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input"}
FORBIDDEN_SCHEMES = ("javascript:", "vbscript:", "data:")
LIVE_ID = 1

# Fragments that make up attacks and Dossier's own syntax; generated sources mix them with
# free text so hypothesis reaches links, images, callouts, quotes, tables and raw HTML.
FRAGMENTS = [
    *"<>\"'=&:/[]()!*_#`|~\\-",
    " ", "\t", "\n", "\n\n", "\x00", "\u200b", "\u202e",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "jav&#x09;ascript:", "&#106;avascript:",
    "vbscript:", "data:text/html,", "data:image/png;base64,AAAA", "file:///etc/passwd",
    "http://example.com/", "https://example.com/a?b=c&d=e", "mailto:a@example.com", "//evil",
    "alert(1)", "<script>", "</script>", "<style>", "<iframe src=x>", "<object>", "<embed>",
    "<form>", "<input>", "<svg onload=alert(1)>", "<img src=x onerror=alert(1)>",
    " onerror=", " onmouseover=", '" onclick="x', "' onfocus='x", "<!--", "-->", "<![CDATA[",
    "[", "](", ")", "![", "][", "]: ", "[x]: ", "<", ">", '"title"',
    "article:", "article:ok", "article:missing", "article: ok /", "ARTICLE:ok",
    "[[quote:", "[[ quote : k ]]", "]]", "::: insight", "::: nope", ":::", "```", "    ",
    "# ", "## ", "> ", "- ", "1. ", "| a | b |\n|---|---|\n| ", "***", "&amp;", "&lt;",
    "&#0;", "&#x110000;",
]  # fmt: skip

MARKDOWNISH = st.text(alphabet="<>\"'=&:/[]()!*_#:abcjsvrtxyz \n", max_size=200)
FRAGMENTED = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=40).map("".join)
UNICODE = st.text(max_size=300)
SOURCES = st.one_of(MARKDOWNISH, FRAGMENTED, UNICODE)

# Site paths as the views build them, with characters that need escaping in an attribute.
LIVE_URLS = st.dictionaries(
    st.integers(min_value=0, max_value=3),
    st.text(alphabet="abc-\"'<>&= ", max_size=12).map(lambda slug: f"/articles/{slug}/"),
    max_size=4,
)


def resolve(reference: str) -> int | None:
    return LIVE_ID if reference == "ok" else None


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def _squeezed(url: str) -> str:
    """The URL as a browser reads its scheme: no whitespace or control characters, lowercase."""
    kept = (ch for ch in url if not ch.isspace() and unicodedata.category(ch)[0] != "C")
    return "".join(kept).lower()


def harm(html: str) -> list[str]:
    """Everything in `html` that could run script or load a dangerous document."""
    found = []
    if re.search(r"<\s*script", html, re.IGNORECASE):
        found.append("<script")
    for tag, attrs in elements(html):
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name in {"href", "src"} and _squeezed(value or "").startswith(FORBIDDEN_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    return found


PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(source=SOURCES)
def test_render_body_never_raises_and_outputs_nothing_harmful(source):
    rendered = render_body(source, resolve_article=resolve)

    assert harm(rendered.html) == [], rendered.html
    assert set(rendered.article_ids) <= {LIVE_ID}


@PROPERTY
@given(source=SOURCES, live_urls=LIVE_URLS)
def test_finish_body_outputs_nothing_harmful(source, live_urls):
    html = render_body(source, resolve_article=resolve).html

    finished = finish_body(html, live_urls=live_urls, quotes={})

    assert harm(finished) == [], finished


def _anchors(html: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in elements(html) if tag == "a"]


@PROPERTY
@given(
    # Both references open the first line, so nothing generated after them can swallow them.
    source=st.one_of(
        FRAGMENTED, st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
    ).map(lambda text: f"[read this](article:ok) and [that](article:missing) {text}"),
    live_urls=LIVE_URLS,
)
def test_finish_body_links_every_live_article_and_nothing_else(source, live_urls):
    html = render_body(source, resolve_article=resolve).html
    before = _anchors(html)
    refs = [int(a["data-article-ref"]) for a in before if a.get("data-article-ref") is not None]
    plain = [a for a in before if a.get("data-article-ref") is None]
    assert LIVE_ID in refs and 0 in refs

    after = _anchors(finish_body(html, live_urls=live_urls, quotes={}))

    # Every reference is resolved: a link (with the escaped URL) when live, text otherwise.
    assert not [a for a in after if "data-article-ref" in a]
    assert len(after) == len(plain) + sum(1 for ref in refs if ref in live_urls)
    hrefs = [a.get("href") for a in after]
    for ref in refs:
        if ref in live_urls:
            assert live_urls[ref] in hrefs
    # No <a> without an href appears: those there are were already in the saved HTML.
    assert sum(1 for a in after if a.get("href") is None) == sum(
        1 for a in plain if a.get("href") is None
    )
