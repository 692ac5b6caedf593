from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from core.models import SlugHistoryMixin
from core.paths import slug_path


class TopicQuerySet(models.QuerySet):
    def tree_rows(self) -> models.QuerySet:
        """Every topic as a plain row (id, name, slug, parent_id), by name: what a list of the
        topics with their subtopics needs, in one query and without model instances."""
        return self.order_by("name").values("id", "name", "slug", "parent_id")


class Topic(SlugHistoryMixin, models.Model):
    """A cluster of articles on one subject; related reading follows topics first."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(
        max_length=140,
        unique=True,
        allow_unicode=True,
        help_text="The topic's address: /topics/<slug>/. Letters of any script, digits and "
        "hyphens.",
    )
    description = models.TextField(
        blank=True,
        default="",
        help_text="One or two paragraphs introducing the topic, shown at the top of its page.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subtopics",
        help_text="Leave empty for a main topic. Subtopics go one level deep.",
    )
    pillar_article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The cornerstone article of this cluster, shown first on the topic page.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        # Name only: showing the parent here would cost a query per topic in every admin select.
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("topics:detail", self.slug)

    @property
    def breadcrumbs(self) -> list[tuple[str, str]]:
        """(label, url) pairs from the main topic down to this one; `parent` should be selected."""
        crumbs = [(self.parent.name, self.parent.get_absolute_url())] if self.parent_id else []
        return [*crumbs, (self.name, self.get_absolute_url())]

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "A topic cannot be its own parent."})
        if self.parent and self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Choose a main topic: subtopics go only one level deep."}
            )
        if self.pk is not None and self.subtopics.exists():
            raise ValidationError(
                {"parent": "This topic has subtopics of its own, so it must stay a main topic."}
            )
