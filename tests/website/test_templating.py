"""The public templates' Jinja2 environment (website/templating.py): what Django's template
language did for them, it does by the same rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone
from django.utils.safestring import mark_safe


def render(source: str, context: dict | None = None, request=None) -> str:
    return engines["jinja2"].from_string(source).render(context or {}, request)


def test_a_missing_variable_its_attributes_and_calls_render_empty():
    assert render("[{{ nothing }}|{{ nothing.attr }}|{{ page_obj.has_next() }}]") == "[||]"
    assert render("{% if page_obj.has_other_pages() %}pages{% else %}none{% endif %}") == "none"


def test_a_method_printed_without_its_call_is_an_error_not_its_repr():
    class Article:
        def get_absolute_url(self):
            return "/articles/a/"

    assert render("{{ a.get_absolute_url() }}", {"a": Article()}) == "/articles/a/"
    with pytest.raises(TypeError, match="uncalled"):
        render("{{ a.get_absolute_url }}", {"a": Article()})


def test_text_is_escaped_and_safe_html_is_not():
    context = {"text": "<b>R&D</b>", "html": mark_safe("<b>R&amp;D</b>")}
    assert render("{{ text }}|{{ html }}", context) == "&lt;b&gt;R&amp;D&lt;/b&gt;|<b>R&amp;D</b>"


def test_dates_are_shown_in_the_current_time_zone_as_djangos_date_filter_shows_them(settings):
    settings.TIME_ZONE = "Asia/Tehran"  # UTC+3:30 all year
    moment = datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
    with timezone.override("Asia/Tehran"):
        assert (
            render('{{ moment|date("j F Y, H:i") }}', {"moment": moment}) == "2 March 2026, 01:30"
        )
        assert render("{{ moment|date('c') }}", {"moment": moment}).endswith("+03:30")


def test_djangos_text_filters_keep_their_meaning():
    context = {"text": "one <two>\n\nthree", "count": 2, "long": "a" * 30}
    assert render("{{ text|linebreaks }}", context) == "<p>one &lt;two&gt;</p>\n\n<p>three</p>"
    assert render("{{ text|linebreaksbr }}", context) == "one &lt;two&gt;<br><br>three"
    assert render("comment{{ count|pluralize }}", context) == "comments"
    assert render("{{ long|truncatechars(10) }}", context) == "aaaaaaaaa…"
    assert render('{{ "a b c d"|truncatewords(2) }}') == "a b …"


def test_a_templates_last_newline_is_kept_as_djangos_templates_keep_it():
    assert render("line\n") == "line\n"


def test_the_frames_menus_and_topics_need_a_request():
    assert render("[{{ menu('header') }}{{ footer_topics() }}]") == "[]"


@pytest.mark.django_db
def test_the_frames_menus_and_topics_render_for_a_request():
    from tests.factories import TopicFactory
    from topics.tree import TOPICS_TAG

    TopicFactory(name="Energy", slug="energy")
    request = RequestFactory().get("/")
    request._page_cache_tags = set()  # as the page cache's middleware starts a page
    html = render("{{ footer_topics() }}", request=request)
    assert '<a href="/topics/energy/">Energy</a>' in html
    # The page records that it shows the list of topics, for the page cache.
    assert TOPICS_TAG in request._page_cache_tags
