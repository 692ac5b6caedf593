"""{% menu "header" %}: one of the site's menus, as editors arranged it in the admin."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from pages.menus import menus_for

register = template.Library()


@register.inclusion_tag("includes/menu.html", takes_context=True)
def menu(context, location: str, label: str = "") -> dict:
    """The links of the menu at `location` ("header" or "footer"). The page depends on what
    they show (pages/menus.py), so editing a menu refreshes every cached page."""
    request = context.get("request")
    links = menus_for(request).links.get(location, []) if request is not None else []
    return {"links": links, "location": location, "request": request}


@register.simple_tag(takes_context=True)
def footer_topics(context) -> SafeString:
    """<li> links to the main topics, for the site footer, kept with the menus
    (pages/menus.py): no query, no cache read and no render of its own. The page then depends
    on the list of topics, so adding, renaming or removing a topic refreshes every cached
    page."""
    request = context.get("request")
    # Written and escaped by topics/tree.py.
    return mark_safe(menus_for(request).footer_topics) if request is not None else SafeString()
