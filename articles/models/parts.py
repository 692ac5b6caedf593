"""An article's parts, each its own row: tags, byline, expert quotes and "read next" links."""

from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from taggit.models import TaggedItemBase


class TaggedArticle(TaggedItemBase):
    """Explicit through model for tags, so tag queries can join and index it like any table."""

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "article tag"
        indexes = [models.Index(fields=["tag", "content_object"])]


class Byline(models.Model):
    """One author on an article's byline, in order."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="bylines")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline_author")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class ExpertQuote(models.Model):
    """Something an expert said, placed in an article's body with [[quote:key]]."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="quotes")
    expert = models.ForeignKey("authors.Expert", on_delete=models.PROTECT, related_name="quotes")
    key = models.SlugField(
        max_length=60,
        blank=True,
        help_text="Short name to place the quote in the body with [[quote:key]]: Latin letters, "
        "digits and hyphens. Empty: the expert's slug, or “quote” when that is in another script.",
    )
    text = models.TextField("quote", help_text="The words, without quotation marks.")
    context = models.CharField(
        max_length=250,
        blank=True,
        default="",
        help_text="Where or when it was said, e.g. “in an interview with the author”.",
    )
    source_url = models.URLField("source link", blank=True, default="")
    said_on = models.DateField("date", null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="unique_quote_key")]

    def __str__(self) -> str:
        return f"{self.expert}: {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        # Placements are matched in lower case ([[quote:Novak]] finds "novak").
        self.key = self.key.lower() if self.key else self._free_key()
        super().save(*args, **kwargs)

    def _free_key(self) -> str:
        # Keys stay ASCII (what [[quote:key]] matches) while expert slugs may be in any
        # script: ASCII slugify keeps a Latin slug as it is and empties a Cyrillic or Persian one.
        base = (slugify(self.expert.slug)[:50] if self.expert_id else "") or "quote"
        taken = set(
            ExpertQuote.objects.filter(article_id=self.article_id)
            .exclude(pk=self.pk)
            .values_list("key", flat=True)
        )
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        return key


class RelatedLink(models.Model):
    """A curated "read next" link from one article to another, in the editor's order."""

    from_article = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="related_links"
    )
    to_article = models.ForeignKey(
        "Article",
        on_delete=models.CASCADE,
        related_name="related_from",
        verbose_name="article",
    )
    lead_in = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="Optional sentence before the title, e.g. “For a deeper dive into these fault "
        "lines, read”.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_article", "to_article"], name="unique_related_link"
            ),
            models.CheckConstraint(
                condition=~Q(from_article=models.F("to_article")), name="related_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_article} → {self.to_article}"
