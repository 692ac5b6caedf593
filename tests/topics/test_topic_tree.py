"""The home page's topic list and the footer's main topics (topics/tree.py): main topics by
name, each with its subtopics nested on the home page, links and names escaped, from one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import TopicFactory
from topics import tree
from topics.models import Topic
from topics.tree import main_topic_items, subtopic_items, tree_html

pytestmark = pytest.mark.django_db


def test_main_topics_by_name_with_their_subtopics_nested():
    energy = TopicFactory(name="Energy", slug="energy")
    TopicFactory(name="Gas", slug="gas", parent=energy)
    TopicFactory(name='Caspian <Sea> & "shelf"', slug="каспий")
    TopicFactory(name="Arms", slug="arms")

    with CaptureQueriesContext(connection) as queries:
        html = tree_html(Topic.objects.tree_rows())

    assert len(queries) == 1
    assert html == (
        '<ul class="topic-list">'
        '<li><a href="/topics/arms/">Arms</a></li>'
        '<li><a href="/topics/%D0%BA%D0%B0%D1%81%D0%BF%D0%B8%D0%B9/">'
        "Caspian &lt;Sea&gt; &amp; &quot;shelf&quot;</a></li>"
        '<li><a href="/topics/energy/">Energy</a><ul><li><a href="/topics/gas/">Gas</a></li></ul>'
        "</li></ul>"
    )


def test_no_topics_is_an_empty_list():
    assert tree_html(Topic.objects.tree_rows()) == ""


def test_the_footer_lists_the_main_topics_alone_by_name_escaped():
    energy = TopicFactory(name="Energy", slug="energy")
    TopicFactory(name="Gas", slug="gas", parent=energy)
    TopicFactory(name="Arms & <tanks>", slug="arms")

    assert main_topic_items(Topic.objects.tree_rows()) == (
        '<li><a href="/topics/arms/">Arms &amp; &lt;tanks&gt;</a></li>'
        '<li><a href="/topics/energy/">Energy</a></li>'
    )


def test_each_main_topics_subtopics_by_name_escaped():
    energy = TopicFactory(name="Energy", slug="energy")
    TopicFactory(name="Oil & <gas>", slug="oil", parent=energy)
    TopicFactory(name="Grid", slug="grid", parent=energy)
    arms = TopicFactory(name="Arms", slug="arms")

    items = subtopic_items(Topic.objects.tree_rows())

    assert items == {
        energy.pk: '<li><a href="/topics/grid/">Grid</a></li>'
        '<li><a href="/topics/oil/">Oil &amp; &lt;gas&gt;</a></li>'
    }
    assert tree.TopicNavigation("", "", items).subtopic_items(arms.pk) == ""


def test_the_lists_are_read_once_and_again_after_a_topic_changes(monkeypatch, commit):
    reads = []
    read = tree.read_navigation
    monkeypatch.setattr(tree, "read_navigation", lambda: reads.append(1) or read())
    tree.forget()
    energy = TopicFactory(name="Energy", slug="energy")

    first = tree.kept()
    tree.kept()
    commit(TopicFactory, name="Gas", slug="gas", parent=energy)
    after = tree.kept()

    assert len(reads) == 2
    assert first.subtopic_items(energy.pk) == ""
    assert after.subtopic_items(energy.pk) == '<li><a href="/topics/gas/">Gas</a></li>'
