"""Article body: Markdown in, sanitised HTML out.

Rendering happens in two steps:

1. ``render_body`` runs when an article is saved. It turns the editor's Markdown (with Dossier's
   extensions: callouts, placed expert quotes, library images and links to other articles by
   reference) into
   sanitised HTML, a table of contents, a word count and a list of problems to show the editor.
   The result is stored on the row.
2. ``finish_body`` runs when the page is shown. It fills in what cannot be known at save time:
   the current URL of each linked article (only if that article is live *now*; otherwise the
   link text stays as plain text), the expert quotes placed in the body, and the library images
   placed in it (their description, credit and renditions as the library has them now).

The syntax is documented for editors in docs/authoring.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import unquote

import nh3
from django.conf import settings
from django.core.validators import slug_unicode_re
from django.template.loader import render_to_string
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

ARTICLE_SCHEME = "article:"
QUOTE_LINE = re.compile(r"^\[\[\s*quote\s*:\s*([A-Za-z0-9_-]+)\s*\]\]\s*$")
# [[image:42]] or [[image:42 | A caption]] on a line of its own; ids are ASCII digits only.
IMAGE_LINE = re.compile(r"^\[\[\s*image\s*:\s*([0-9]{1,9})\s*(?:\|(.*))?\]\]\s*$", re.ASCII)
IMAGE_SCHEME = "image:"
MAX_CAPTION_CHARS = 300
CALLOUT_NAME = re.compile(r"^[a-z0-9-]+$")

# What the stored HTML may contain. Editors cannot write raw HTML at all (Markdown's html option
# is off); this list is the second wall, in case a renderer rule or plugin ever lets one through.
ALLOWED_TAGS = {
    "a", "abbr", "aside", "blockquote", "br", "code", "del", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "data-article-ref"},
    "aside": {"class", "role", "aria-label"},
    "figure": {"class", "data-quote", "data-image"},
    "p": {"class"},
    "h2": {"id"},
    "img": {"src", "alt", "title", "loading"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

ArticleResolver = Callable[[str], "int | None"]
# The ids of the library images that exist among those a body places: one query for a body.
ImageResolver = Callable[[list[int]], "set[int]"]


@dataclass
class RenderedBody:
    html: str
    text: str = ""
    toc: list[dict[str, str]] = field(default_factory=list)
    word_count: int = 0
    article_ids: list[int] = field(default_factory=list)
    quote_keys: list[str] = field(default_factory=list)
    image_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def callout_kinds() -> dict[str, str]:
    return dict(settings.DOSSIER["CALLOUT_KINDS"])


def reading_minutes(word_count: int) -> int:
    return max(1, math.ceil(word_count / settings.DOSSIER["WORDS_PER_MINUTE"]))


def render_body(
    source: str,
    *,
    resolve_article: ArticleResolver,
    resolve_images: ImageResolver | None = None,
) -> RenderedBody:
    """Render an article body written in Dossier Markdown (see docs/authoring.md).

    `resolve_images` is asked once, with every image id the body places, which of them exist;
    without it, no placed image exists."""
    md = _markdown()
    env: dict[str, Any] = {
        "resolve_article": resolve_article,
        "article_ids": [],
        "quote_keys": [],
        "image_ids": [],
        "warnings": [],
        "kinds": callout_kinds(),
    }
    tokens = md.parse(source or "", env)
    placed = list(dict.fromkeys(t.meta["id"] for t in tokens if t.type == "dossier_image"))
    env["images_found"] = resolve_images(placed) if (placed and resolve_images) else set()
    toc = _prepare_headings(tokens)
    html = nh3.clean(
        md.renderer.render(tokens, md.options, env),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    text = plain_text(html)
    words = re.findall(r"\w+(?:['’-]\w+)*", text)
    return RenderedBody(
        html=html,
        text=text,
        toc=toc,
        word_count=len(words),
        article_ids=list(dict.fromkeys(env["article_ids"])),
        quote_keys=list(dict.fromkeys(env["quote_keys"])),
        image_ids=list(dict.fromkeys(env["image_ids"])),
        warnings=list(dict.fromkeys(env["warnings"])),
    )


HEADING_END = re.compile(r"</h[1-6]>")
BLOCK_END = re.compile(r"</(?:p|li|td|th|blockquote|figcaption|div)>")
HEADING_MARK = "\x1f"  # never in rendered text: nh3 and markdown-it drop control characters
UNPUNCTUATED_HEADING = re.compile(r"(?<![.!?:;…])\s*" + HEADING_MARK)


def plain_text(html: str) -> str:
    """The body as one line of text, for search and its snippets.

    A heading ends with a full stop unless it has its own punctuation: otherwise a snippet runs
    "…Limiting US Hegemony A primary driver…", the heading read as the paragraph's first words.
    """
    marked = HEADING_END.sub(lambda m: m.group(0) + HEADING_MARK, BLOCK_END.sub(r"\g<0> ", html))
    marked = unescape(strip_tags(marked))
    text = UNPUNCTUATED_HEADING.sub(".", marked).replace(HEADING_MARK, " ")
    return re.sub(r"\s+", " ", text).strip()


ARTICLE_LINK = re.compile(
    r'<a\b[^>]*?\bdata-article-ref="(?P<id>\d+)"[^>]*>(?P<text>.*?)</a>', re.DOTALL
)
ARTICLE_REF = re.compile(r'\bdata-article-ref="(\d+)"')


def referenced_article_ids(html: str) -> set[int]:
    """The ids of every article a stored body links to, live or not (for the page cache)."""
    return {int(found) for found in ARTICLE_REF.findall(html)}


QUOTE_PLACEHOLDER = re.compile(r'<figure\b[^>]*?\bdata-quote="(?P<key>[a-z0-9_-]+)"[^>]*></figure>')
# The caption is text escaped at save time (no "<" in it), so the first </figcaption> ends it.
IMAGE_PLACEHOLDER = re.compile(
    r'<figure\b[^>]*?\bdata-image="(?P<id>\d+)"[^>]*>\s*'
    r"(?:<figcaption>(?P<caption>[^<]*)</figcaption>\s*)?</figure>"
)
IMAGE_REF = re.compile(r'\bdata-image="(\d+)"')


def referenced_image_ids(html: str) -> set[int]:
    """The ids of every library image a stored body places (for the body check)."""
    return {int(found) for found in IMAGE_REF.findall(html)}


def finish_body(
    html: str,
    *,
    live_urls: Mapping[int, str],
    quotes: Mapping[str, Any],
    images: Mapping[int, Any] | None = None,
    missing_quote: Callable[[str], str] | None = None,
    missing_image: Callable[[int], str] | None = None,
) -> SafeString:
    """Fill in links, quotes and images for display. The maps come from the view's prefetches.

    `live_urls` maps the id of every *live* linked article to its URL: a link to anything else
    shows its text only. `quotes` maps quote keys to ExpertQuote objects (with their expert).
    `images` maps the ids of the library images the body places (Article.body_images) to
    images.Image objects. A placed key with no quote, or a placed image no longer in the
    library, shows nothing to readers; the admin's preview passes `missing_quote` (key →
    escaped HTML) and `missing_image` (id → escaped HTML) to mark the spot for the editor.
    """
    images = images or {}

    def link(match: re.Match) -> str:
        url = live_urls.get(int(match["id"]))
        if url is None:
            return match["text"]
        return f'<a href="{escape(url)}">{match["text"]}</a>'

    def quote(match: re.Match) -> str:
        placed = quotes.get(match["key"])
        if placed is None:
            return missing_quote(match["key"]) if missing_quote else ""
        return render_to_string("includes/expert_quote.html", {"quote": placed})

    def image(match: re.Match) -> str:
        placed = images.get(int(match["id"]))
        if placed is None:
            return missing_image(int(match["id"])) if missing_image else ""
        # The caption was escaped at save time, but the sanitiser writes quotes back as they
        # are: escaped again from plain text, it is safe in any context.
        caption = escape(unescape(match["caption"] or ""))
        return render_to_string("includes/body_image.html", {"image": placed, "caption": caption})

    html = ARTICLE_LINK.sub(link, html)
    html = QUOTE_PLACEHOLDER.sub(quote, html)
    html = IMAGE_PLACEHOLDER.sub(image, html)
    # Safe: `html` was sanitised at save time, link URLs are escaped, quotes and images come
    # from autoescaped templates and `missing_quote` and `missing_image` must return escaped
    # HTML.
    return mark_safe(html)


# --- Markdown setup -------------------------------------------------------------------------


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    container_plugin(md, "callout", validate=_is_callout, render=_render_callout)
    md.block.ruler.before(
        "paragraph", "dossier_quote", _quote_block, {"alt": ["paragraph", "reference"]}
    )
    md.add_render_rule("dossier_quote", _render_quote)
    md.block.ruler.before(
        "paragraph", "dossier_image", _image_block, {"alt": ["paragraph", "reference"]}
    )
    md.add_render_rule("dossier_image", _render_placed_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    return md


def _is_callout(params: str, *args: Any) -> bool:
    return bool(CALLOUT_NAME.match(params.strip()))


def _render_callout(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        return "</aside>\n"
    kind = token.info.strip()
    label = env["kinds"].get(kind)
    if label is None:
        env["warnings"].append(
            f'Unknown callout kind "{kind}": use one of {", ".join(env["kinds"])}.'
        )
        return '<aside class="callout" role="note">\n'
    return (
        f'<aside class="callout callout--{escape(kind)}" role="note" aria-label="{escape(label)}">'
        f'\n<p class="callout__label">{escape(label)}</p>\n'
    )


def _quote_block(state, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    match = QUOTE_LINE.match(state.src[start : state.eMarks[start_line]])
    if match is None:
        return False
    if silent:
        return True
    token = state.push("dossier_quote", "figure", 0)
    token.meta = {"key": match[1].lower()}
    token.map = [start_line, start_line + 1]
    token.block = True
    state.line = start_line + 1
    return True


def _render_quote(self, tokens, idx, options, env) -> str:
    key = tokens[idx].meta["key"]
    env["quote_keys"].append(key)
    return f'<figure class="expert-quote" data-quote="{escape(key)}"></figure>\n'


def _image_block(state, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    match = IMAGE_LINE.match(state.src[start : state.eMarks[start_line]])
    if match is None:
        return False
    if silent:
        return True
    token = state.push("dossier_image", "figure", 0)
    caption = re.sub(r"\s+", " ", match[2] or "").strip()
    token.meta = {"id": int(match[1]), "caption": caption[:MAX_CAPTION_CHARS]}
    token.map = [start_line, start_line + 1]
    token.block = True
    state.line = start_line + 1
    return True


def _render_placed_image(self, tokens, idx, options, env) -> str:
    """A placeholder the page fills in (finish_body), or nothing for an image not in the
    library: what the image shows is read when the page is, so a changed description or
    credit needs no new rendering of the body."""
    image_id, caption = tokens[idx].meta["id"], tokens[idx].meta["caption"]
    if image_id not in env["images_found"]:
        env["warnings"].append(
            f"The image [[image:{image_id}]] is not in the media library: nothing is shown there."
        )
        return ""
    env["image_ids"].append(image_id)
    inner = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="body-image" data-image="{image_id}">{inner}</figure>\n'


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if not href.lower().startswith(ARTICLE_SCHEME):
        return self.renderToken(tokens, idx, options, env)
    written = href[len(ARTICLE_SCHEME) :].strip().strip("/")
    # markdown-it percent-encodes link targets: a Cyrillic or Persian slug is decoded back to
    # text. What decodes to no slug or id is neither looked up nor stored decoded: it could hold
    # a NUL byte, which PostgreSQL refuses in a query and in the stored warnings.
    decoded = unquote(written)
    is_slug = slug_unicode_re.match(decoded) is not None
    reference = decoded if is_slug else written
    article_id = env["resolve_article"](reference) if is_slug else None
    if article_id is None:
        env["warnings"].append(
            f'The link to "{reference}" points to no article: it shows as plain text.'
        )
        article_id = 0
    else:
        env["article_ids"].append(article_id)
    return f'<a data-article-ref="{article_id}">'


def _render_image(self, tokens, idx, options, env) -> str:
    if str(tokens[idx].attrGet("src") or "").lower().startswith(IMAGE_SCHEME):
        env["warnings"].append(
            "Library images stand on a line of their own, written [[image:42]] (the toolbar's "
            "“Insert image” does it): the ![…](image:…) form shows nothing."
        )
        return ""
    tokens[idx].attrSet("loading", "lazy")
    return self.image(tokens, idx, options, env)


def _prepare_headings(tokens) -> list[dict[str, str]]:
    """Demote h1 to h2 (the page has one h1, the title) and give each h2 an id for the TOC."""
    toc: list[dict[str, str]] = []
    used: set[str] = set()
    for position, token in enumerate(tokens):
        if token.type not in {"heading_open", "heading_close"}:
            continue
        if token.tag == "h1":
            token.tag = "h2"
        if token.type != "heading_open" or token.tag != "h2":
            continue
        inline = tokens[position + 1]
        text = "".join(child.content for child in inline.children or [] if child.content)
        text = text or inline.content
        # Unicode, as article slugs are: a Russian or Persian heading keeps a readable anchor.
        base = slugify(text, allow_unicode=True)[:60].strip("-") or "section"
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        token.attrSet("id", anchor)
        toc.append({"id": anchor, "title": text})
    return toc
