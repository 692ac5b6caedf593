"""A tiny HTML tree for assertions on rendered pages (the standard library's parser, no deps).

page = parse(response)
page.select("nav", aria_label="Breadcrumb")[0].select("a")
page.one("h1").text
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text inside, whitespace collapsed."""
        parts: list[str] = []
        self._collect_text(parts)
        return " ".join("".join(parts).split())

    def _collect_text(self, parts: list[str]) -> None:
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                child._collect_text(parts)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def select(self, tag: str | None = None, *, class_: str | None = None, **attrs) -> list[Node]:
        """Descendants matching the tag, a class and attributes (`aria_label` → aria-label)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if class_ is not None and class_ not in node.classes:
                continue
            if any(
                node.attrs.get(name) != value if value is not True else name not in node.attrs
                for name, value in wanted.items()
            ):
                continue
            found.append(node)
        return found

    def one(self, tag: str | None = None, **kwargs) -> Node:
        found = self.select(tag, **kwargs)
        assert len(found) == 1, f"expected one <{tag} {kwargs}>, found {len(found)}"
        return found[0]

    def links(self) -> list[tuple[str, str]]:
        """(href, text) of every <a> inside."""
        return [(a.attrs.get("href", ""), a.text) for a in self.select("a")]

    def hrefs(self) -> list[str]:
        return [a.attrs["href"] for a in self.select("a") if "href" in a.attrs]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # Close up to the matching open element (tolerates an unclosed child).
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(page) -> Node:
    """Parse a response (or an HTML string) into a Node tree."""
    html = page if isinstance(page, str) else page.content.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def card_titles(node: Node) -> list[str]:
    """Titles of the article cards inside `node`, in order."""
    return [
        title.text
        for card in node.select("article", class_="card")
        for title in card.select(class_="card__title")
    ]
