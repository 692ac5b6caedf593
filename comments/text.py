"""What a reader writes, made safe to show and reduced to what the abuse checks compare.

Comment bodies are plain text: nothing a reader types becomes markup except bare links, and
those carry rel="nofollow ugc" so the site lends them no search-engine credit.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

import nh3
from django.utils.html import linebreaks, urlize

# Zero-width and direction-control characters: invisible, so they can hide a blocked word
# ("sp\u200bam") or reverse how a name reads. None belongs in a comment's comparisons.
INVISIBLE_CHARACTERS = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width, soft hyphen
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"  # direction
)
INVISIBLE = dict.fromkeys(map(ord, INVISIBLE_CHARACTERS), None)
LINK_REL = "nofollow ugc noopener"
HREF = re.compile(r'<a href="([^"]*)"')


def clean_input(value: str) -> str:
    """Drop NUL and other control characters (except newlines and tabs) and invisible ones."""
    value = value.translate(INVISIBLE)
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    ).strip()


def render_plain_text(value: str) -> str:
    """Escaped paragraphs with bare http(s) links made into nofollow, ugc links."""
    html = linebreaks(urlize(value, trim_url_limit=60, nofollow=True, autoescape=True))
    # A second, independent guard: whatever urlize does, only these elements and attributes
    # survive, and every link gets our rel whatever urlize set.
    cleaned = nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )
    # nh3 writes text quotes back unescaped; escape them again, as Django would (the entity is
    # also correct inside nh3's double-quoted attribute values).
    return cleaned.replace("'", "&#x27;")


def link_hosts(rendered: str) -> list[str]:
    """Host names of the links a rendered comment contains (one per link, in order)."""
    hosts = []
    for href in HREF.findall(rendered):
        host = urlsplit(href.replace("&amp;", "&")).hostname
        if href.startswith("mailto:"):
            host = href.rpartition("@")[2]
        hosts.append((host or "").lower())
    return hosts


def comparable(value: str) -> str:
    """Case, width and spacing folded away, so look-alike writings compare equal."""
    folded = unicodedata.normalize("NFKC", value.translate(INVISIBLE)).casefold()
    return " ".join(folded.split())


def fingerprint(value: str) -> str:
    """Identifies a body for duplicate detection, whatever its case or spacing."""
    return hashlib.sha256(comparable(value).encode()).hexdigest()
