from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve

from tests.factories import TopicFactory
from topics.models import Topic

pytestmark = pytest.mark.django_db


def test_topic_url_resolves_back_to_the_topic_page():
    topic = TopicFactory(slug="russia-iran")

    url = topic.get_absolute_url()

    assert url == "/topics/russia-iran/"
    match = resolve(url)
    assert (match.namespace, match.url_name) == ("topics", "detail")
    assert match.kwargs == {"slug": "russia-iran"}


def test_main_topic_is_valid():
    TopicFactory().full_clean()


def test_subtopic_of_a_main_topic_is_valid():
    main = TopicFactory()

    TopicFactory(parent=main).full_clean()


def test_grandchild_topic_is_rejected():
    main = TopicFactory()
    sub = TopicFactory(parent=main)
    grandchild = TopicFactory.build(parent=sub)

    with pytest.raises(ValidationError) as error:
        grandchild.clean()

    assert "one level deep" in error.value.message_dict["parent"][0]


def test_topic_cannot_be_its_own_parent():
    topic = TopicFactory()
    topic.parent = topic

    with pytest.raises(ValidationError) as error:
        topic.clean()

    assert error.value.message_dict["parent"] == ["A topic cannot be its own parent."]


def test_topic_with_subtopics_cannot_get_a_parent():
    main = TopicFactory()
    TopicFactory(parent=main)
    other_main = TopicFactory()
    main.parent = other_main

    with pytest.raises(ValidationError) as error:
        main.clean()

    assert "has subtopics of its own" in error.value.message_dict["parent"][0]


def test_new_topic_under_a_subtopic_is_rejected_by_full_clean():
    sub = TopicFactory(parent=TopicFactory())

    with pytest.raises(ValidationError) as error:
        TopicFactory.build(name="Deep", slug="deep", parent=sub).full_clean()

    assert "parent" in error.value.message_dict


def test_topic_string_is_its_name_and_subtopic_breadcrumbs_include_the_main_topic():
    main = TopicFactory(name="Russia–Iran", slug="russia-iran")
    sub = TopicFactory(name="Arms trade", slug="arms-trade", parent=main)

    assert str(main) == "Russia–Iran"
    assert str(sub) == "Arms trade"
    assert main.breadcrumbs == [("Russia–Iran", "/topics/russia-iran/")]
    assert sub.breadcrumbs == [
        ("Russia–Iran", "/topics/russia-iran/"),
        ("Arms trade", "/topics/arms-trade/"),
    ]


def test_article_breadcrumbs_end_with_the_article():
    from tests.factories import ArticleFactory

    sub = TopicFactory(name="Arms trade", slug="arms-trade", parent=TopicFactory(slug="main"))
    article = ArticleFactory(title="Drones", slug="drones", primary_topic=sub)

    assert [url for _label, url in article.breadcrumbs] == [
        "/topics/main/",
        "/topics/arms-trade/",
        "/articles/drones/",
    ]


def test_topics_are_listed_by_name():
    for name in ("Zeta", "Alpha"):
        TopicFactory(name=name)

    assert [t.name for t in Topic.objects.all()] == ["Alpha", "Zeta"]
