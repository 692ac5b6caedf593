"""PageParts: an article's page, rendered once and kept with the article (derived data)."""

from __future__ import annotations

from django.db import models
from django.utils.safestring import SafeString, mark_safe


class PageParts(models.Model):
    """The parts of a published article's page that do not change from one reader to the next:
    its head (meta, Open Graph, JSON-LD), its header and everything from the image to the
    author boxes, with the finished body, related reading and tags.

    Written by articles/page_parts.py when a page is shown and none is kept, or the one kept has
    gone stale; never edited. `shows` holds the page cache's tags for what the parts show, with
    their versions when rendered: a change that refreshes cached pages (website/cache_rules.py)
    moves a version on, and that makes these parts stale too. The comment thread, which changes
    with every approved comment, is never part of them.
    """

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="page_parts",
        editable=False,
    )
    # Absolute URLs in the head carry the address the parts were rendered for.
    origin = models.CharField(max_length=300, editable=False)
    head = models.TextField(editable=False)
    header = models.TextField(editable=False)
    main = models.TextField(editable=False)
    shows = models.JSONField(editable=False)
    rendered_at = models.DateTimeField(editable=False)
    # The next scheduled change of any article (as for cached pages), or the parts' longest life.
    valid_until = models.DateTimeField(editable=False)

    class Meta:
        verbose_name = "rendered article page"

    def __str__(self) -> str:
        return f"Rendered page of article {self.article_id}"

    # Written by our own autoescaped templates (articles/parts/), so safe to output as they are.
    @property
    def head_html(self) -> SafeString:
        return mark_safe(self.head)

    @property
    def header_html(self) -> SafeString:
        return mark_safe(self.header)

    @property
    def main_html(self) -> SafeString:
        return mark_safe(self.main)


class KeptCard(models.Model):
    """An article's card as lists show it (home, topic, author and tag pages), rendered once,
    in its two forms: `html` as a list shows it, `lead_html` as the home page's lead or a
    topic's pillar shows it (image at once, whole standfirst).

    Written by articles/page_parts.cards(); stale, like PageParts, as soon as a version of
    what it shows moves on: the article, its topic, its authors.
    """

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="kept_card",
        editable=False,
    )
    html = models.TextField(editable=False)
    #: Empty in cards kept before leads were kept: rendered again when next shown.
    lead_html = models.TextField(editable=False, default="")
    shows = models.JSONField(editable=False)
    rendered_at = models.DateTimeField(editable=False)

    class Meta:
        verbose_name = "rendered article card"

    def __str__(self) -> str:
        return f"Rendered card of article {self.article_id}"
