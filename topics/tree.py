"""The home page's tree of topics and the footer's list of main topics, written in Python.

A site may have a hundred or more topics; through the template language each list item cost
several node renders, and reading them as model instances with their subtopics prefetched cost
two queries and a model instance each. Here the topics come as plain rows in one query
(`Topic.objects.tree_rows()`) and each link's path is built without walking the URL resolver
(core/paths.py). The markup is the same as a template would write. The tree is kept with the
site's menus (pages/menus.py), so it is written once per change of the topics, not per page.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString

from core.paths import slug_paths


def _link(path, row: dict) -> str:
    return f'<a href="{escape(path(row["slug"]))}">{escape(row["name"])}</a>'


def main_topic_items(rows) -> SafeString:
    """<li> links to the main topics, by name, for the site footer, from
    `Topic.objects.tree_rows()`."""
    path = slug_paths("topics:detail")
    return SafeString(
        "".join(f"<li>{_link(path, row)}</li>" for row in rows if row["parent_id"] is None)
    )


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
