"""Lists of topics written in Python: the home page's tree and the site footer's list.

A site may have a hundred or more topics; through the template language each list item cost
several node renders and the page's list of 150 topics was about a quarter of rendering the home
page (docs/performance.md). The markup is the same as a template would write.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

import pagecache
from topics.selectors import main_topic_links

register = template.Library()


def _link(topic) -> SafeString:
    return format_html('<a href="{}">{}</a>', topic.get_absolute_url(), topic.name)


@register.simple_tag
def topic_tree(topics) -> SafeString:
    """<ul class="topic-list"> of `topics` (main topics with `subtopics` prefetched)."""
    items = []
    for topic in topics:
        subtopics = list(topic.subtopics.all())
        nested = (
            format_html(
                "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((_link(s),) for s in subtopics))
            )
            if subtopics
            else ""
        )
        items.append(format_html("<li>{}{}</li>", _link(topic), nested))
    return format_html('<ul class="topic-list">{}</ul>', SafeString("".join(items)))


@register.simple_tag(takes_context=True)
def footer_topics(context) -> SafeString:
    """<li> links to the main topics, for the site footer on every page (topics/selectors.py
    keeps the list in the cache: no query per page).

    The page then depends on the list of topics, so adding, renaming or removing a topic
    refreshes every cached page (topics change seldom; pages are rebuilt on their next visit).
    """
    request = context.get("request")
    if request is not None:
        pagecache.depends_on(request, pagecache.collection("topics"))
    return format_html_join(
        "", '<li><a href="{}">{}</a></li>', ((url, name) for name, url in main_topic_links())
    )
