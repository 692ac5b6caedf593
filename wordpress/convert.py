"""WordPress post HTML → Dossier Markdown (docs/authoring.md).

WordPress bodies are HTML written by people and plugins: classic-editor text whose paragraphs
are blank lines (WordPress adds the <p> when it shows the page), block-editor HTML with
<!-- wp:… --> comments, and shortcodes such as [caption]. What Markdown can say is converted:
headings, paragraphs, line breaks, emphasis, links, lists, block quotes, images, code, tables.
Everything else keeps its text, and what has no text worth keeping (scripts, styles, forms,
embeds) is left out with a note for the import summary.

The result is ordinary Markdown: the article still goes through Dossier's renderer, which
treats any HTML as text and sanitises what it makes, so nothing here is a security wall. Text is
escaped for Markdown, so "*" or "[[quote:x]]" in a post stays what it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape as escape_attribute
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
}  # fmt: skip
VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Left out whole, with what is inside them.
DROPPED_TAGS = {
    "script", "style", "noscript", "template", "object", "form", "button", "select", "textarea",
    "input", "svg", "math", "canvas", "head", "title", "meta", "link", "map",
}  # fmt: skip
# Embedded players and frames: replaced by a link to what they showed, when that is a web page.
EMBED_TAGS = {"iframe", "video", "audio", "embed"}
SAFE_SCHEMES = {"http", "https", "mailto"}

# Deeper elements are flattened into their ancestor, so the conversion's recursion stays bounded.
MAX_DEPTH = 100
# Sentinels for breaks inside inline text, resolved when a paragraph is written.
PARA = "\x00P"
BREAK = "\x00B"

# Shortcode patterns are bounded ({0,2000}) and paired by a scan, not by ".*?" between an
# opener and a closer: on an export holding thousands of unclosed ones those take hours.
CAPTION_TOKEN = re.compile(r"\[(/?)(?:wp_)?caption\b[^\]]{0,2000}\]")
EMBED_TOKEN = re.compile(r"\[(/?)embed\b[^\]]{0,2000}\]")
CAPTION_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
# The shortcodes WordPress itself ships, and the commonest plugin ones. Other [bracketed] text is
# kept as text: it may be a reader's [sic] or a footnote mark.
SHORTCODE = re.compile(
    r"\[/?(gallery|audio|video|playlist|embed|contact-form-7|contact-form|wpforms)\b"
    r"[^\]]{0,2000}\]"
)
DROPPED_SCAN = re.compile(r"<(" + "|".join(sorted(DROPPED_TAGS)) + r")[\s/>]", re.I)
# What the tidying pass keeps, for the converter to read; everything else is unwrapped to its
# text, or removed with its content (DROPPED_TAGS).
TIDY_TAGS = BLOCK_TAGS | EMBED_TAGS | {
    "a", "b", "br", "cite", "code", "del", "dfn", "em", "i", "img", "s", "source", "strike",
    "strong", "tbody", "td", "tfoot", "th", "thead", "tr",
}  # fmt: skip
TIDY_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt"}, "code": {"class"}, "ol": {"start"},
    "iframe": {"src"}, "video": {"src"}, "audio": {"src"}, "embed": {"src"}, "source": {"src"},
}  # fmt: skip
PARAGRAPH_TAG = re.compile(r"<p[\s>]", re.I)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!&])")
LINE_START_SPECIAL = re.compile(r"^(\s*)([-+>:=]|\d+[.)])", re.M)


@dataclass
class Converted:
    markdown: str
    # What was left out or changed, for the summary; each once.
    notes: list[str] = field(default_factory=list)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


ImageResolver = Callable[[str], "str | None"]


def html_to_markdown(html: str, *, resolve_image: ImageResolver | None = None) -> Converted:
    """Convert a post body. `resolve_image(src)` gives the address an image is served from
    after the import, or None to leave the image out (its file is not available)."""
    converter = _Converter(
        autop=not PARAGRAPH_TAG.search(html), resolve_image=resolve_image or (lambda src: src)
    )
    converter.notes += [
        f"A <{tag}> element was left out."
        for tag in dict.fromkeys(found.lower() for found in DROPPED_SCAN.findall(html))
    ]
    tree = _parse(_expand_shortcodes(html, converter.notes))
    markdown = "\n\n".join(b for b in converter.blocks(tree) if b.strip())
    return Converted(
        markdown=markdown.strip() + "\n" if markdown.strip() else "",
        notes=list(dict.fromkeys(converter.notes)),
    )


def html_to_text(html: str) -> str:
    """Plain text of a short piece of HTML (an excerpt, a comment), whitespace collapsed;
    paragraphs stay apart as blank lines."""
    tree = _parse(html)
    parts: list[str] = []

    def walk(node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in DROPPED_TAGS or child.tag in EMBED_TAGS:
                continue
            elif child.tag == "br":
                parts.append("\n")
            else:
                if child.tag in BLOCK_TAGS:
                    parts.append("\n\n")
                walk(child)
                if child.tag in BLOCK_TAGS:
                    parts.append("\n\n")

    walk(tree)
    text = "".join(parts).replace("\r\n", "\n")
    paragraphs = [re.sub(r"[ \t\f\v]+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(re.sub(r" *\n *", "\n", p) for p in paragraphs if p)


# --- parsing ------------------------------------------------------------------------------


class _TreeBuilder(HTMLParser):
    """A forgiving tree: unclosed tags close with their parent, stray end tags are ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if len(self.stack) > MAX_DEPTH:
            return  # its content joins the element above: no real post nests this deep
        node = Node(tag, {k: v or "" for k, v in attrs})
        if tag in {"p", "li", "dt", "dd"}:
            self._close_open(tag)
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def _close_open(self, tag: str) -> None:
        # <p>a<p>b: HTML closes the first paragraph; likewise list items.
        if self.stack[-1].tag == tag:
            self.stack.pop()


def _tidy(html: str) -> str:
    """Well-formed HTML holding only what the converter reads. nh3 (html5ever) parses any
    input in linear time, as browsers do; Python's HTMLParser, which builds the tree, rescans
    the rest of the text at each unclosed tag, so a hostile body of unclosed tags would take it
    hours. Comments go too (block-editor markers, <!--more-->)."""
    return nh3.clean(
        html,
        tags=TIDY_TAGS,
        attributes=TIDY_ATTRIBUTES,
        clean_content_tags=DROPPED_TAGS - TIDY_TAGS,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
        link_rel=None,
    )


def _parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(_tidy(html.replace("\x00", "")))
    builder.close()
    return builder.root


def _expand_shortcodes(html: str, notes: list[str]) -> str:
    def caption(inner: str) -> str:
        found = CAPTION_IMAGE.match(inner)
        if found is None:
            return inner
        return f"<figure>{found[1]}<figcaption>{found[2].strip()}</figcaption></figure>"

    def embed(inner: str) -> str:
        url = escape_attribute(inner.strip())
        return f'<p><a href="{url}">{url}</a></p>'

    def other(match: re.Match) -> str:
        notes.append(f"The [{match[1]}] shortcode was left out: Dossier has no equivalent.")
        return ""

    html = _pair(html, CAPTION_TOKEN, caption)
    html = _pair(html, EMBED_TOKEN, embed)
    return SHORTCODE.sub(other, html)


def _pair(html: str, token: re.Pattern, render: Callable[[str], str]) -> str:
    """Replace each [name]…[/name] with render(…), in one pass. An opener with no closer keeps
    what follows it; a closer with no opener is dropped."""
    parts = token.split(html)
    out, inside = [parts[0]], None
    for closing, text in zip(parts[1::2], parts[2::2], strict=True):
        if not closing:
            if inside is not None:
                out.append(inside)
            inside = text
        elif inside is not None:
            out += [render(inside), text]
            inside = None
        else:
            out.append(text)
    if inside is not None:
        out.append(inside)
    return "".join(out)


# --- writing Markdown ---------------------------------------------------------------------


def escape(text: str) -> str:
    """Text as Markdown that shows exactly that text."""
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # At a line's start, "-", "+", "1." and the like would begin a list, a heading or a callout.
    return LINE_START_SPECIAL.sub(lambda m: f"{m[1]}{m[2][:-1]}\\{m[2][-1]}", text)


def _url(value: str) -> str | None:
    """A link target Markdown can carry, or None for one a reader must not get."""
    value = value.strip().replace("\x00", "")
    if not value:
        return None
    scheme = urlsplit(value).scheme.lower() if ":" in value else ""
    if scheme and scheme not in SAFE_SCHEMES:
        return None
    # Spaces, brackets and angle brackets would end the Markdown link early.
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        value = value.replace(char, code)
    return value


class _Converter:
    def __init__(self, *, autop: bool, resolve_image: ImageResolver) -> None:
        # Classic-editor bodies have no <p>: blank lines are paragraphs, newlines are breaks.
        self.autop = autop
        self.resolve_image = resolve_image
        self.notes: list[str] = []

    # Blocks --------------------------------------------------------------------------------

    def blocks(self, node: Node) -> list[str]:
        """The Markdown blocks of a container, in order."""
        out: list[str] = []
        run: list[Node | str] = []

        def flush() -> None:
            if run:
                out.extend(self.paragraphs(self.inline_children(run)))
                run.clear()

        for child in node.children:
            if isinstance(child, str) or child.tag not in BLOCK_TAGS | EMBED_TAGS:
                if isinstance(child, Node) and child.tag == "img" and not run:
                    # An image on its own between blocks is a block of its own.
                    out.extend(self.paragraphs(self.inline(child)))
                    continue
                run.append(child)
                continue
            flush()
            out.extend(self.block(child))
        flush()
        return out

    def block(self, node: Node) -> list[str]:
        tag = node.tag
        if tag in EMBED_TAGS:
            return self.embed(node)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            text = self._one_line(self.inline_children(node.children))
            return [f"{'#' * int(tag[1])} {text}"] if text else []
        if tag == "hr":
            return ["---"]
        if tag == "pre":
            return [self.code_block(node)]
        if tag in {"ul", "ol"}:
            written = self.list(node)
            return [written] if written else []
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(node))
            return [self._prefix(inner, "> ", "> ")] if inner.strip() else []
        if tag == "table":
            return self.table(node)
        if tag == "figcaption":
            text = self._one_line(self.inline_children(node.children))
            return [f"*{text}*"] if text else []
        return self.blocks(node)

    def paragraphs(self, inline: str) -> list[str]:
        out = []
        for part in inline.split(PARA):
            lines = [line.strip() for line in part.split(BREAK)]
            while lines and not lines[0]:
                lines.pop(0)
            while lines and not lines[-1]:
                lines.pop()
            if lines:
                # A backslash at the end of a line is a hard line break in CommonMark.
                out.append("\\\n".join(lines))
        return out

    def list(self, node: Node) -> str:
        ordered = node.tag == "ol"
        start = int(node.attrs.get("start", "1")) if node.attrs.get("start", "").isdigit() else 1
        items = []
        number = start
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    items.append(("- " if not ordered else f"{number}. ", escape(child.strip())))
                    number += 1
                continue
            if child.tag in {"ul", "ol"} and items:
                # A list directly inside a list belongs to the item before it.
                marker, text = items[-1]
                items[-1] = (marker, self._item_body([text, self.list(child)]))
                continue
            if child.tag != "li":
                child = Node("li", children=[child])
            marker = f"{number}. " if ordered else "- "
            number += 1
            items.append((marker, self._item_body(self.blocks(child))))
        lines = [self._prefix(body or "", marker, " " * len(marker)) for marker, body in items]
        return "\n".join(line for line in lines if line.strip())

    def code_block(self, node: Node) -> str:
        code = node.children[0] if len(node.children) == 1 else None
        language = ""
        if isinstance(code, Node) and code.tag == "code":
            found = re.search(r"(?:language|lang)-([\w+-]+)", code.attrs.get("class", ""))
            language = found[1] if found else ""
        text = self.plain(node).strip("\n")
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}{language}\n{text}\n{fence}"

    def table(self, node: Node) -> list[str]:
        rows: list[list[str]] = []
        header = False

        def walk(n: Node) -> None:
            nonlocal header
            for child in n.children:
                if not isinstance(child, Node):
                    continue
                if child.tag == "tr":
                    cells = [
                        c for c in child.children if isinstance(c, Node) and c.tag in {"td", "th"}
                    ]
                    if not rows and cells and all(c.tag == "th" for c in cells):
                        header = True
                    # Text is escaped already ("|" included), so a cell cannot end early.
                    rows.append([self._one_line(self.inline_children(c.children)) for c in cells])
                elif child.tag in {"thead", "tbody", "tfoot"}:
                    walk(child)

        walk(node)
        rows = [row for row in rows if any(cell for cell in row)]
        if not rows:
            return []
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        head = rows[0] if header else [""] * width
        body = rows[1:] if header else rows
        lines = [f"| {' | '.join(head)} |", f"|{'---|' * width}"]
        lines += [f"| {' | '.join(row)} |" for row in body]
        return ["\n".join(lines)]

    def embed(self, node: Node) -> list[str]:
        source = node.attrs.get("src", "")
        if not source:
            found = [c for c in node.children if isinstance(c, Node) and c.tag == "source"]
            source = found[0].attrs.get("src", "") if found else ""
        url = _url(source)
        if url and urlsplit(url).scheme in {"http", "https"}:
            self.notes.append(f"An embedded <{node.tag}> was replaced by a link to what it showed.")
            return [f"[{escape(source)}]({url})"]
        self.notes.append(f"An embedded <{node.tag}> with no web address was left out.")
        return []

    # Inline --------------------------------------------------------------------------------

    def inline_children(self, children: list[Node | str]) -> str:
        return "".join(self.inline(child) for child in children)

    def inline(self, node: Node | str) -> str:
        if isinstance(node, str):
            return self.text(node)
        tag = node.tag
        if tag in EMBED_TAGS:
            found = self.embed(node)
            return f"{PARA}{found[0]}{PARA}" if found else ""
        if tag == "br":
            return BREAK
        if tag == "img":
            return self.image(node)
        if tag in {"strong", "b"}:
            return self._wrap(self.inline_children(node.children), "**")
        if tag in {"em", "i", "cite", "dfn"}:
            return self._wrap(self.inline_children(node.children), "*")
        if tag in {"del", "s", "strike"}:
            return self._wrap(self.inline_children(node.children), "~~")
        if tag == "code":
            return self.code_span(self.plain(node))
        if tag == "a":
            return self.link(node)
        if tag in BLOCK_TAGS:
            # A block inside inline content (a <p> in a <span>): keep it a paragraph.
            return PARA + PARA.join(self.blocks(node)) + PARA
        return self.inline_children(node.children)

    def text(self, value: str) -> str:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if not self.autop:
            return escape(re.sub(r"\s+", " ", value))
        # Each line escaped on its own: after a break, "- x" or "1. x" must not start a list.
        paragraphs = re.split(r"\n[ \t]*\n\s*", value)
        return PARA.join(
            BREAK.join(escape(re.sub(r"[ \t\f\v]+", " ", line)) for line in p.split("\n"))
            for p in paragraphs
        )

    def plain(self, node: Node | str) -> str:
        if isinstance(node, str):
            return node
        if node.tag == "br":
            return "\n"
        return "".join(self.plain(child) for child in node.children)

    def code_span(self, code: str) -> str:
        code = code.replace("\n", " ")
        if not code.strip():
            return ""
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        ticks = "`" * (longest + 1)
        padding = " " if code.startswith("`") or code.endswith("`") else ""
        return f"{ticks}{padding}{code}{padding}{ticks}"

    def link(self, node: Node) -> str:
        text = self.inline_children(node.children)
        url = _url(node.attrs.get("href", ""))
        if not text.strip(PARA + BREAK + " "):
            return text
        if url is None:
            if node.attrs.get("href", "").strip():
                self.notes.append(
                    "A link with an address that is not a web or mail address "
                    "was kept as plain text."
                )
            return text
        # A link cannot span paragraphs: keep the address on the first part.
        first, sep, rest = text.partition(PARA)
        title = node.attrs.get("title", "").replace('"', "'").strip()
        title_part = f' "{escape(title)}"' if title else ""
        return f"[{first.strip()}]({url}{title_part}){sep}{rest}"

    def image(self, node: Node) -> str:
        source = node.attrs.get("src", "").strip()
        alt = escape(re.sub(r"\s+", " ", node.attrs.get("alt", "")).strip())
        if not source:
            return ""
        resolved = self.resolve_image(source)
        url = _url(resolved) if resolved else None
        if url is None:
            self.notes.append(
                f"The image {source[:120]} was left out: its file was not found among the "
                "imported attachments."
                if resolved is None
                else f"The image {source[:120]} was left out: its address is not a web address."
            )
            return ""
        return f"![{alt}]({url})"

    # Helpers -------------------------------------------------------------------------------

    @staticmethod
    def _item_body(blocks: list[str]) -> str:
        """A list item's blocks. A bullet list right after the item's text follows it on the
        next line, as people write nested lists; a blank line there would make the whole
        list loose (each item a paragraph)."""
        body = ""
        for block in blocks:
            separator = "\n" if body and block.startswith("- ") else "\n\n"
            body = f"{body}{separator}{block}" if body else block
        return body

    @staticmethod
    def _wrap(inner: str, marker: str) -> str:
        """Emphasis around each piece between breaks, whitespace kept outside the markers
        (CommonMark ignores "* a *")."""
        pieces = re.split(f"({PARA}|{BREAK})", inner)
        out = []
        for piece in pieces:
            if piece in (PARA, BREAK) or not piece.strip():
                out.append(piece)
                continue
            stripped = piece.strip()
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()) :]
            out.append(f"{lead}{marker}{stripped}{marker}{trail}")
        return "".join(out)

    @staticmethod
    def _one_line(inline: str) -> str:
        return re.sub(r"\s+", " ", inline.replace(PARA, " ").replace(BREAK, " ")).strip()

    @staticmethod
    def _prefix(text: str, first: str, rest: str) -> str:
        lines = text.split("\n")
        out = [first + lines[0]]
        out += [(rest + line) if line.strip() else rest.rstrip() for line in lines[1:]]
        return "\n".join(out)
