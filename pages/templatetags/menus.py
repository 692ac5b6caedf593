"""{% menu "header" %}: one of the site's menus, as editors arranged it in the admin; and the
footer's list of main topics."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString

import pagecache
from pages.menus import menus_for
from topics import tree as topic_tree

register = template.Library()


@register.simple_tag(takes_context=True)
def menu(context, location: str) -> SafeString:
    """The links of the menu at `location` ("header" or "footer"), the current page's marked
    aria-current. The page depends on what they show (pages/menus.py), so editing a menu
    refreshes every cached page. Written here rather than by a template: every page shows two
    menus, and a template's loop was a tenth of a page's render."""
    request = context.get("request")
    links = menus_for(request).links.get(location, []) if request is not None else []
    if not links:
        return SafeString()
    current = ' aria-current="page"'
    items = "".join(
        f'<li><a href="{escape(link.url)}"{current if link.url == request.path else ""}>'
        f"{escape(link.label)}</a></li>"
        for link in links
    )
    return SafeString(f'<ul class="menu menu--{escape(location)}">{items}</ul>')  # escaped


@register.simple_tag(takes_context=True)
def footer_topics(context) -> SafeString:
    """<li> links to the main topics, for the site footer, kept with the site's other lists of
    topics (topics/tree.py): no query, no cache read and no render of its own. The page then
    depends on the list of topics, so adding, renaming or removing a topic refreshes every
    cached page."""
    request = context.get("request")
    if request is None:
        return SafeString()
    pagecache.depends_on(request, topic_tree.TOPICS_TAG)
    return topic_tree.kept(request).footer_items
