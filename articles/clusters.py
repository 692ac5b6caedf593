"""Keeping the topics' clusters (TopicMembership) in step with what they are derived from.

Article.save() writes the article's own rows. These receivers cover the changes that happen
elsewhere: its further topics (a many-to-many change, saved after the article by the admin,
the API and restored revisions) and a topic moving under another main topic, which moves every
article whose primary topic it is. Deleting an article or a topic deletes its rows by cascade.
Writes that bypass signals (bulk_create in website/corpus) call refresh() themselves.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save, pre_save

from topics.models import Topic

from .models import Article, TopicMembership


def further_topics_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:  # article.topics.add(...): this article moved
        if action != "pre_clear":
            TopicMembership.objects.refresh([instance.pk])
        return
    # topic.articles.add(...): the articles named moved; a clear names none, so the topic's
    # articles are noted before it.
    if action == "pre_clear":
        instance._cluster_cleared = list(
            sender.objects.filter(topic_id=instance.pk).values_list("article_id", flat=True)
        )
        return
    moved = pk_set if action != "post_clear" else instance.__dict__.pop("_cluster_cleared", [])
    TopicMembership.objects.refresh(moved or [])


def topic_before_save(sender, instance: Topic, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    instance._cluster_old_parent = (
        Topic.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
    )


def topic_saved(sender, instance: Topic, created: bool, raw: bool = False, **kwargs) -> None:
    old_parent = instance.__dict__.pop("_cluster_old_parent", None)
    if raw or created or old_parent == instance.parent_id:
        return
    TopicMembership.objects.refresh(
        Article.objects.filter(primary_topic=instance).values_list("pk", flat=True)
    )


def connect() -> None:
    uid = "articles.clusters"
    m2m_changed.connect(further_topics_changed, sender=Article.topics.through, dispatch_uid=uid)
    pre_save.connect(topic_before_save, sender=Topic, dispatch_uid=f"{uid}.t0")
    post_save.connect(topic_saved, sender=Topic, dispatch_uid=f"{uid}.t1")
