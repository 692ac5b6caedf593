"""Reading a WordPress export (WXR 1.0–1.2) into plain dataclasses.

The file comes from outside, so it is parsed with defusedxml and any DTD is refused: WordPress
never writes one, and a DTD is what XML bombs (entity expansion, "billion laughs") and external
entities need. Nothing here touches the database; importer.py decides what the data becomes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

# Dates outside these years are taken as a broken export, not as history or a plan.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200

FIXED_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# WXR 1.0, 1.1 and 1.2 differ in the version in these two namespaces only.
WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/(excerpt/)?$")


class WXRError(Exception):
    """The file cannot be read as a WordPress export; the message says why, for the person
    who chose it."""


@dataclass(frozen=True)
class WPAuthor:
    id: int | None
    login: str
    email: str
    display_name: str

    @property
    def name(self) -> str:
        return self.display_name or self.login


@dataclass(frozen=True)
class WPTerm:
    """A category or a tag, as declared at the top of the export."""

    id: int | None
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass(frozen=True)
class WPComment:
    id: int
    author: str
    email: str
    url: str
    ip: str
    date_gmt: datetime | None
    content: str
    approved: str  # "1", "0", "spam" or "trash"
    type: str  # "" or "comment"; "pingback", "trackback"
    parent_id: int | None


@dataclass(frozen=True)
class WPItem:
    """A post, page, attachment or anything else WordPress keeps as a post."""

    id: int
    type: str
    status: str
    title: str
    slug: str
    link: str
    creator: str
    content: str
    excerpt: str
    # post_date is the site's local time (what dated permalinks show); post_date_gmt is UTC.
    date: datetime | None
    date_gmt: datetime | None
    date_problem: str
    parent_id: int | None
    categories: tuple[tuple[str, str], ...]  # (slug, name)
    tags: tuple[tuple[str, str], ...]
    meta: dict[str, str]
    comments: tuple[WPComment, ...]
    attachment_url: str
    comment_status: str = "open"

    @property
    def label(self) -> str:
        return f"{self.type} {self.id} “{self.title or self.slug or 'untitled'}”"


@dataclass
class WXRFile:
    title: str
    site_url: str
    authors: list[WPAuthor] = field(default_factory=list)
    categories: list[WPTerm] = field(default_factory=list)
    tags: list[WPTerm] = field(default_factory=list)
    items: list[WPItem] = field(default_factory=list)
    # Items the parser could not read at all (no id), each with the reason.
    problems: list[str] = field(default_factory=list)


def parse(data: bytes) -> WXRFile:
    """Read an export from its bytes, or raise WXRError."""
    if not data.strip():
        raise WXRError("The file is empty.")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise WXRError(
            "The file declares a DTD or XML entities, which WordPress exports never do. It was "
            f"refused unread, as such files can exhaust the server ({type(error).__name__})."
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise WXRError(
            f"The file is not well-formed XML (line {line}, column {column}): it may be cut "
            "short or not an export. Export again from WordPress (Tools → Export)."
        ) from error
    _short_names(root)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None or channel.find("wp:wxr_version") is None:
        raise WXRError(
            "This XML file is not a WordPress export (WXR): it has no <channel> with a "
            "<wp:wxr_version>. Export from WordPress with Tools → Export."
        )
    export = WXRFile(
        title=_text(channel, "title"),
        site_url=_text(channel, "wp:base_site_url") or _text(channel, "link"),
    )
    export.authors = [_author(el) for el in channel.findall("wp:author")]
    export.categories = [
        WPTerm(
            id=_int(_text(el, "wp:term_id")),
            slug=_slug(_text(el, "wp:category_nicename")),
            name=_text(el, "wp:cat_name"),
            parent_slug=_slug(_text(el, "wp:category_parent")),
            description=_text(el, "wp:category_description"),
        )
        for el in channel.findall("wp:category")
    ]
    export.tags = [
        WPTerm(
            id=_int(_text(el, "wp:term_id")),
            slug=_slug(_text(el, "wp:tag_slug")),
            name=_text(el, "wp:tag_name"),
            description=_text(el, "wp:tag_description"),
        )
        for el in channel.findall("wp:tag")
    ]
    for position, el in enumerate(channel.findall("item"), start=1):
        post_id = _int(_text(el, "wp:post_id"))
        if post_id is None:
            title = _text(el, "title")[:80] or "untitled"
            export.problems.append(f"Item {position} (“{title}”) has no post id: skipped.")
            continue
        export.items.append(_item(el, post_id))
    return export


def _short_names(root: Element) -> None:
    """Rewrite `{namespace}name` tags as `prefix:name`, whatever WXR version wrote them."""
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.startswith("{"):
            continue
        uri, _, local = el.tag[1:].partition("}")
        prefix = FIXED_NAMESPACES.get(uri)
        if prefix is None:
            match = WP_NAMESPACE.match(uri)
            prefix = ("excerpt" if match.group(1) else "wp") if match else None
        if prefix:
            el.tag = f"{prefix}:{local}"


def _author(el: Element) -> WPAuthor:
    return WPAuthor(
        id=_int(_text(el, "wp:author_id")),
        login=_text(el, "wp:author_login"),
        email=_text(el, "wp:author_email"),
        display_name=_text(el, "wp:author_display_name"),
    )


def _item(el: Element, post_id: int) -> WPItem:
    date_problems: list[str] = []
    date = _date(_text(el, "wp:post_date"), date_problems)
    date_gmt = _date(_text(el, "wp:post_date_gmt"), date_problems)
    terms: dict[str, list[tuple[str, str]]] = {"category": [], "post_tag": []}
    for term in el.findall("category"):
        domain = term.get("domain", "")
        if domain in terms:
            name = (term.text or "").strip()
            slug = _slug(term.get("nicename", ""))
            if name or slug:
                terms[domain].append((slug, name))
    meta = {
        _text(m, "wp:meta_key"): _text(m, "wp:meta_value", strip=False)
        for m in el.findall("wp:postmeta")
    }
    return WPItem(
        id=post_id,
        type=_text(el, "wp:post_type") or "post",
        status=_text(el, "wp:status") or "draft",
        title=_text(el, "title"),
        slug=_slug(_text(el, "wp:post_name")),
        link=_text(el, "link"),
        creator=_text(el, "dc:creator"),
        content=_text(el, "content:encoded", strip=False),
        excerpt=_text(el, "excerpt:encoded"),
        date=date,
        date_gmt=date_gmt.replace(tzinfo=UTC) if date_gmt else None,
        date_problem=date_problems[0] if date_problems else "",
        parent_id=_int(_text(el, "wp:post_parent")) or None,
        categories=tuple(dict.fromkeys(terms["category"])),
        tags=tuple(dict.fromkeys(terms["post_tag"])),
        meta=meta,
        comments=tuple(_comment(c) for c in el.findall("wp:comment") if _comment_id(c)),
        attachment_url=_text(el, "wp:attachment_url"),
        comment_status=_text(el, "wp:comment_status") or "open",
    )


def _comment_id(el: Element) -> int | None:
    return _int(_text(el, "wp:comment_id"))


def _comment(el: Element) -> WPComment:
    date = _date(_text(el, "wp:comment_date_gmt"), []) or _date(_text(el, "wp:comment_date"), [])
    return WPComment(
        id=_comment_id(el) or 0,
        author=_text(el, "wp:comment_author"),
        email=_text(el, "wp:comment_author_email"),
        url=_text(el, "wp:comment_author_url"),
        ip=_text(el, "wp:comment_author_IP"),
        date_gmt=date.replace(tzinfo=UTC) if date else None,
        content=_text(el, "wp:comment_content", strip=False),
        approved=_text(el, "wp:comment_approved"),
        type=_text(el, "wp:comment_type"),
        parent_id=_int(_text(el, "wp:comment_parent")) or None,
    )


def _text(el: Element, path: str, *, strip: bool = True) -> str:
    found = el.find(path)
    if found is None or found.text is None:
        return ""
    # NUL cannot be stored in PostgreSQL text; a real export never holds one.
    text = found.text.replace("\x00", "")
    return text.strip() if strip else text


def _int(value: str) -> int | None:
    # Ids become database keys: bigint at most, and never negative.
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _slug(value: str) -> str:
    """WordPress stores non-Latin slugs percent-encoded (%d0%b8…): give them back as text."""
    return unquote(value).strip() if value else ""


def _date(value: str, problems: list[str]) -> datetime | None:
    """A naive datetime, or None for WordPress's empty date (0000-00-00 …) and for values that
    are not a date or are absurd (recorded in `problems`)."""
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        problems.append(f"its date “{value[:40]}” is not a date")
        return None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        problems.append(f"its date “{value[:40]}” is out of range")
        return None
    return parsed
