"""The home page's tree of topics and the footer's list of main topics, written in Python.

A site may have a hundred or more topics; through the template language each list item cost
several node renders, and reading them as model instances with their subtopics prefetched cost
two queries and a model instance each. Here the topics come as plain rows in one query
(`Topic.objects.tree_rows()`) and each link's path is built without walking the URL resolver
(core/paths.py). The markup is the same as a template would write.

All three lists (the footer's, the home page's tree, each topic page's subtopics) are written
together from that one query and kept in each process while no topic changes (`kept()`): a page
checks the version of the list of topics in the one read of versions it makes anyway
(pagecache.snapshots, every_page), so they cost no query and no render of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.http import HttpRequest
from django.utils.safestring import SafeString

import pagecache
from core.paths import slug_paths
from pagecache import collection, snapshots

from .models import Topic

#: Moves on when any topic is added, renamed, moved or deleted (website/cache_rules.py): a
#: page showing any of these lists depends on it.
TOPICS_TAG = collection("topics")


def _link(path, row: dict) -> str:
    return f'<a href="{escape(path(row["slug"]))}">{escape(row["name"])}</a>'


def main_topic_items(rows) -> SafeString:
    """<li> links to the main topics, by name, for the site footer, from
    `Topic.objects.tree_rows()`."""
    path = slug_paths("topics:detail")
    return SafeString(
        "".join(f"<li>{_link(path, row)}</li>" for row in rows if row["parent_id"] is None)
    )


def subtopic_items(rows) -> dict[int, SafeString]:
    """<li> links to each main topic's subtopics, by name, keyed by the main topic's id, from
    `Topic.objects.tree_rows()`; a topic without subtopics has no key."""
    path = slug_paths("topics:detail")
    items: dict[int, list[str]] = {}
    for row in rows:
        if row["parent_id"] is not None:
            items.setdefault(row["parent_id"], []).append(f"<li>{_link(path, row)}</li>")
    return {pk: SafeString("".join(links)) for pk, links in items.items()}  # escaped above


def tree_html(rows) -> SafeString:
    """<ul class="topic-list"> of the main topics, each with its subtopics, from
    `Topic.objects.tree_rows()` (ordered by name; a subtopic's parent is among the rows);
    nothing when there are no topics."""
    path = slug_paths("topics:detail")

    def link(row: dict) -> str:
        return _link(path, row)

    children: dict[int, list[dict]] = {}
    for row in rows:
        if row["parent_id"] is not None:
            children.setdefault(row["parent_id"], []).append(row)
    items = []
    for row in rows:
        if row["parent_id"] is not None:
            continue
        subtopics = children.get(row["id"])
        nested = (
            "<ul>" + "".join(f"<li>{link(sub)}</li>" for sub in subtopics) + "</ul>"
            if subtopics
            else ""
        )
        items.append(f"<li>{link(row)}{nested}</li>")
    if not items:
        return SafeString()
    return SafeString(f'<ul class="topic-list">{"".join(items)}</ul>')  # each part escaped above


@dataclass(frozen=True)
class TopicNavigation:
    """The site's lists of topics as HTML, written once per change of the topics."""

    #: The footer's <li> links to the main topics.
    footer_items: SafeString
    #: The home page's tree of every topic (empty without topics).
    tree: SafeString
    #: A main topic's id -> <li> links to its subtopics, for its page.
    subtopics: dict[int, SafeString]

    def subtopic_items(self, topic_id: int) -> SafeString:
        return self.subtopics.get(topic_id, SafeString())


def read_navigation() -> TopicNavigation:
    """The three lists from the database, in one query."""
    rows = list(Topic.objects.tree_rows())
    return TopicNavigation(main_topic_items(rows), tree_html(rows), subtopic_items(rows))


#: read_navigation() as this process read it last, while TOPICS_TAG stands. read_navigation is
#: looked up at each read, so that tests can count the reads.
_kept = snapshots.KeptCopy(
    lambda: read_navigation(), shows=lambda _: (TOPICS_TAG,), every_page=True
)


def kept(request: HttpRequest | None = None) -> TopicNavigation:
    """The lists of topics, from this process while current, else read afresh and kept. With the
    request, checked against the versions the page has read already (snapshots.current). The
    caller's page depends on TOPICS_TAG: declare it (pagecache.depends_on)."""
    return _kept.get(request)


def footer_items(request: HttpRequest) -> SafeString:
    """The footer's <li> links to the main topics, for this request's page, which then depends
    on the list of topics: adding, renaming or removing a topic refreshes every cached page."""
    pagecache.depends_on(request, TOPICS_TAG)
    return kept(request).footer_items


def forget() -> None:
    """Drop this process's copy at once (a change's versions move only on commit)."""
    _kept.forget()
