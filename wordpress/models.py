"""What came from WordPress, and what it became: one row per imported thing.

The row is written in the same transaction as what it maps to, so it is how an import knows
what is already done (a second run changes nothing; a run cut short continues where it
stopped), and how old WordPress addresses find the article that replaced them.
"""

from __future__ import annotations

from django.db import models
from taggit.models import Tag

from articles.models import Article
from authors.models import Author
from comments.models import Comment
from topics.models import Topic


class Kind(models.TextChoices):
    AUTHOR = "author", "Author"
    CATEGORY = "category", "Category"
    TAG = "tag", "Tag"
    ATTACHMENT = "attachment", "Attachment"
    POST = "post", "Post"
    PAGE = "page", "Page"
    COMMENT = "comment", "Comment"


class ImportedItemQuerySet(models.QuerySet):
    def articles(self) -> ImportedItemQuerySet:
        return self.filter(kind__in=[Kind.POST, Kind.PAGE], article__isnull=False)


class ImportedItem(models.Model):
    site = models.CharField(
        max_length=200, help_text="The WordPress site the export came from (its base address)."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    wp_id = models.PositiveBigIntegerField("WordPress id")
    wp_slug = models.CharField("WordPress slug", max_length=200, blank=True, default="")
    # The post's local date, which dated permalinks (/2019/03/slug/) show.
    wp_date = models.DateField("WordPress date", null=True, blank=True)
    old_path = models.CharField(
        "old address",
        max_length=500,
        blank=True,
        default="",
        help_text="The path of the item's WordPress permalink; it redirects to the article.",
    )
    # What it became: one of these, by kind. Emptied when that is deleted in Dossier, and then
    # never imported again.
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.CharField(
        max_length=255, blank=True, default="", help_text="Where an attachment's image is stored."
    )
    # A hash of the WordPress data last imported: an item whose data is unchanged is skipped.
    fingerprint = models.CharField(max_length=64, editable=False)
    # The article's version right after the import wrote it: a different version means an
    # editor changed it since, and a later import leaves it alone.
    imported_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImportedItemQuerySet.as_manager()

    class Meta:
        verbose_name = "imported WordPress item"
        ordering = ["site", "kind", "wp_id"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "wp_id"], name="unique_wp_item"),
        ]
        indexes = [
            # Old addresses: /?p=123, /2019/03/slug/, and the permalink's own path.
            models.Index(fields=["wp_id", "kind"], name="wp_item_id_idx"),
            models.Index(fields=["wp_slug", "kind"], name="wp_item_slug_idx"),
            models.Index(fields=["old_path"], name="wp_item_path_idx"),
        ]
        permissions = [("import_wxr", "Can import WordPress exports")]

    def __str__(self) -> str:
        return f"WordPress {self.get_kind_display().lower()} {self.wp_id}"

    @property
    def target(self) -> models.Model | None:
        return self.article or self.topic or self.author or self.tag or self.comment
