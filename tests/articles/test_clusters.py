"""The topics' clusters (TopicMembership) stay what the articles and topics say they are, after
every kind of change (articles/models/cluster.py, articles/clusters.py)."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps

from articles import workflow
from articles.models import Article, Status, TopicMembership
from tests.factories import ArticleFactory, TopicFactory, superuser

LIVE_COLUMNS = ("status", "publish_at", "expire_at", "deleted_at")


def expected_memberships() -> set[tuple]:
    """Every (topic, article, live columns…) row, worked out from the articles and topics
    themselves: primary topic, its main topic, further topics."""
    rows = set()
    for article in Article.objects.select_related("primary_topic").prefetch_related("topics"):
        topics = {article.primary_topic_id, article.primary_topic.parent_id}
        topics |= {topic.pk for topic in article.topics.all()}
        state = tuple(getattr(article, name) for name in LIVE_COLUMNS)
        rows |= {(topic, article.pk, *state) for topic in topics if topic is not None}
    return rows


def stored_memberships() -> set[tuple]:
    return set(TopicMembership.objects.values_list("topic_id", "article_id", *LIVE_COLUMNS))


def assert_in_step() -> None:
    assert stored_memberships() == expected_memberships()


@pytest.fixture
def clusters(frozen_now):
    main, other = TopicFactory(name="Main"), TopicFactory(name="Other")
    sub = TopicFactory(name="Sub", parent=main)
    article = ArticleFactory(primary_topic=sub)
    return main, other, sub, article


def test_a_new_article_is_in_its_topic_its_main_topic_and_its_further_topics(clusters):
    main, other, sub, article = clusters
    article.topics.add(other)

    assert set(
        TopicMembership.objects.filter(article=article).values_list("topic_id", flat=True)
    ) == {main.pk, other.pk, sub.pk}
    assert_in_step()


def test_changing_the_primary_topic_moves_the_article_between_clusters(clusters):
    main, other, _sub, article = clusters
    article.primary_topic = other
    article.save()

    assert_in_step()
    assert not TopicMembership.objects.filter(article=article, topic=main).exists()


def test_further_topics_added_removed_and_cleared_from_either_side_are_followed(clusters):
    main, other, _sub, article = clusters
    second = ArticleFactory(primary_topic=main)
    article.topics.add(other)
    assert_in_step()
    other.articles.add(second)
    assert_in_step()
    other.articles.remove(article)
    assert_in_step()
    article.topics.set([other, main])
    assert_in_step()
    other.articles.clear()
    assert_in_step()
    article.topics.clear()
    assert_in_step()


def test_a_subtopic_moved_under_another_main_topic_moves_its_articles(clusters):
    main, other, sub, article = clusters
    sub.parent = other
    sub.save()

    assert_in_step()
    assert TopicMembership.objects.filter(article=article, topic=other).exists()
    assert not TopicMembership.objects.filter(article=article, topic=main).exists()


def test_saving_a_topic_without_moving_it_leaves_its_articles_rows_alone(
    clusters, django_assert_num_queries
):
    _main, _other, sub, _article = clusters
    sub.description = "New words."
    with django_assert_num_queries(2):  # the old parent, and the save
        sub.save()
    assert_in_step()


@pytest.mark.parametrize(
    "change",
    [
        {"status": Status.DRAFT},
        {"status": Status.ARCHIVED},
        {"publish_at": "later"},
        {"expire_at": "later"},
    ],
)
def test_the_live_columns_are_copied_on_every_save(clusters, frozen_now, change):
    *_, article = clusters
    for name, value in change.items():
        setattr(article, name, frozen_now + timedelta(days=1) if value == "later" else value)
    article.save(update_fields=list(change))

    assert_in_step()


def test_trash_and_restore_are_copied(clusters):
    *_, article = clusters
    editor = superuser()
    workflow.move_to_trash(article=article, by=editor)
    assert_in_step()
    assert TopicMembership.objects.filter(article=article, deleted_at__isnull=False).exists()
    workflow.restore_from_trash(article=article, by=editor)
    assert_in_step()


def test_deleting_an_article_or_a_topic_deletes_their_rows(clusters):
    main, other, _sub, article = clusters
    ArticleFactory(primary_topic=main).topics.add(other)
    article.delete()
    assert_in_step()
    other.delete()
    assert_in_step()


def test_an_unrelated_save_does_not_rewrite_the_rows(clusters):
    *_, article = clusters
    before = set(TopicMembership.objects.filter(article=article).values_list("pk", flat=True))
    article.featured = True
    article.save(update_fields=["featured"])

    after = set(TopicMembership.objects.filter(article=article).values_list("pk", flat=True))
    assert after == before


def test_the_migration_fills_the_same_rows_as_saving_does(clusters):
    _main, other, sub, article = clusters
    article.topics.add(other)
    ArticleFactory(primary_topic=other, status=Status.DRAFT).topics.add(sub)
    saved = stored_memberships()
    TopicMembership.objects.all().delete()

    migration = importlib.import_module("articles.migrations.0020_topic_memberships")
    migration.fill_memberships(apps, None)

    assert stored_memberships() == saved == expected_memberships()


def test_live_in_applies_the_live_rule_to_the_copied_columns(clusters, frozen_now):
    main, *_ = clusters
    ArticleFactory(primary_topic=main, status=Status.DRAFT)
    ArticleFactory(primary_topic=main, expire_at=frozen_now)
    ArticleFactory(primary_topic=main, publish_at=frozen_now + timedelta(seconds=1))

    live_in_cluster = set(
        TopicMembership.objects.live_in(main.pk, frozen_now).values_list("article_id", flat=True)
    )
    assert live_in_cluster == set(
        Article.objects.live(frozen_now).in_topic(main).values_list("pk", flat=True)
    )
    assert len(live_in_cluster) == 1
