"""The article itself: its fields, what it derives on save, and how it shows."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from taggit.managers import TaggableManager

from articles import rendering
from core import images
from core.models import SlugHistory, SlugHistoryMixin
from core.paths import slug_path
from core.validators import validate_image_upload
from images.models import Image

from .cluster import TopicMembership
from .parts import TaggedArticle
from .querysets import NOT_TRASHED, ArticleQuerySet
from .search_vector import search_vector_expression
from .status import Status


class Article(SlugHistoryMixin, models.Model):
    title = models.CharField(max_length=200, help_text="The headline readers see on the page.")
    slug = models.SlugField(
        max_length=220,
        unique=True,
        allow_unicode=True,
        help_text="The article's address: /articles/<slug>/. Letters of any script, digits and "
        "hyphens. If you change it, the old address keeps working and redirects here.",
    )
    standfirst = models.TextField(
        blank=True,
        default="",
        help_text="The summary under the headline (two or three sentences). Also used in lists "
        "and as the meta description when that is empty.",
    )
    body = models.TextField(
        blank=True,
        default="",
        help_text="Markdown. Callouts: “::: insight” … “:::”. Quotes: a line “[[quote:key]]”. "
        "Library images: a line “[[image:42]]”. Links to other articles: "
        "[text](article:their-slug). See docs/authoring.md.",
    )
    authors = models.ManyToManyField(
        "authors.Author", through="Byline", related_name="articles", blank=True
    )
    primary_topic = models.ForeignKey(
        "topics.Topic",
        on_delete=models.PROTECT,
        related_name="primary_articles",
        help_text="The cluster this article belongs to: it sets the breadcrumbs and weighs most "
        "in related reading.",
    )
    topics = models.ManyToManyField(
        "topics.Topic",
        related_name="articles",
        blank=True,
        verbose_name="further topics",
        help_text="Other clusters this article also belongs to.",
    )
    tags = TaggableManager(through=TaggedArticle, blank=True, help_text="Comma-separated keywords.")
    featured = models.BooleanField(
        "lead on the home page",
        default=False,
        help_text="The newest live article with this ticked leads the home page.",
    )

    featured_library_image = models.ForeignKey(
        "images.Image",
        verbose_name="featured image",
        # An image featuring somewhere cannot be deleted until its articles choose another: the
        # library's delete page lists them.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="featured_in",
        help_text="Shown above the article, on its card in lists and when it is shared. Choose "
        "from the media library, or upload a new image with “+”. Its description, credit and "
        "focal point are edited in the library.",
    )
    # The featured image as pages show it: copied from the library image above when one is
    # chosen (and again whenever that image changes, articles/library.py), so cards and pages
    # read it from the article's row with no further query. Articles from before the library,
    # and imports, may still hold an uploaded file here directly.
    featured_image = models.ImageField(
        validators=[validate_image_upload],
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
    )
    # Stored on upload so pages can give width and height without opening the file.
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # WebP widths and the share card, made once per uploaded image (see core/images.py).
    featured_image_renditions = models.JSONField(editable=False, default=dict)
    featured_image_alt = models.CharField(
        "image description",
        max_length=250,
        blank=True,
        default="",
        help_text="Describe the image for readers who cannot see it. Required with an image.",
    )
    featured_image_credit = models.CharField(
        "image credit", max_length=200, blank=True, default="", help_text="e.g. “Photo: Reuters”."
    )

    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        default="",
        help_text="The title search engines show (up to 60 characters reads best). Empty: the "
        "headline.",
    )
    meta_description = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="The snippet search engines show (about 155 characters). Empty: the standfirst.",
    )
    canonical_url = models.URLField(
        "canonical URL override",
        blank=True,
        default="",
        help_text="Only when this article first appeared elsewhere: the original's address.",
    )
    noindex = models.BooleanField(
        "hide from search engines",
        default=False,
        help_text="Asks search engines not to index this page and leaves it out of the sitemap.",
    )
    comments_enabled = models.BooleanField(
        "comments open",
        default=True,
        help_text="Readers may comment. Comments also close by themselves a number of days "
        "after publication (see Site settings).",
    )

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        db_index=True,
        help_text="When the article goes live. A future time schedules it; empty means “now” "
        "when it is published.",
    )
    expire_at = models.DateTimeField(
        "expire at",
        null=True,
        blank=True,
        help_text="Optional: when the article stops being shown to the public.",
    )
    updated_at = models.DateTimeField(
        "last substantively updated",
        null=True,
        blank=True,
        help_text="Set this when you change the substance (not for typo fixes); readers see "
        "“Updated” with this date.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Bumped on every save; a save carrying an older number is refused (see articles/workflow.py).
    version = models.PositiveIntegerField(default=1, editable=False)
    deleted_at = models.DateTimeField("moved to trash", null=True, blank=True, editable=False)

    # Derived from `body` on every save (see articles/rendering.py); never edited by hand.
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="", help_text="Plain text for search.")
    # PostgreSQL full-text index of title (A), standfirst (B) and body (C); see search.py.
    search_vector = SearchVectorField(null=True, editable=False)
    toc = models.JSONField("table of contents", editable=False, default=list)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    body_quote_keys = models.JSONField(editable=False, default=list)
    body_warnings = models.JSONField(editable=False, default=list)
    body_images = models.ManyToManyField(
        "images.Image",
        related_name="placed_in",
        editable=False,
        blank=True,
        help_text="Library images the body places; kept in step with the body on save.",
    )
    linked_articles = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="linked_from",
        editable=False,
        blank=True,
        help_text="Articles the body links to; kept in step with the body on save.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        permissions = [
            ("submit_article", "Can submit own articles for review"),
            ("review_article", "Can approve or return articles in review"),
            ("publish_article", "Can publish, schedule, unpublish and archive any article"),
            ("edit_any_article", "Can edit articles written by others"),
            ("purge_article", "Can delete articles from the trash for good"),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="article_live_idx"),
            models.Index(fields=["primary_topic", "status", "publish_at"]),
            # Related reading's candidates: a topic's most recently added articles.
            models.Index(fields=["primary_topic", "id"], name="article_topic_recent_idx"),
            # The home page's lead, the newest live featured article: walked backwards and
            # stopped at the first, rather than every featured article read and sorted.
            models.Index(
                fields=["publish_at", "id", "expire_at"],
                condition=Q(status=Status.PUBLISHED, deleted_at__isnull=True, featured=True),
                name="article_live_featured_idx",
            ),
            # The admin's article list: it shows what is not in the trash unless asked, newest
            # change first, filtered and sorted by these columns and drilled down by publish
            # date. Partial indexes on the rows it shows let each page, its count and its date
            # list be read from an index at 100,000 articles (measured in docs/performance.md).
            models.Index(
                fields=["modified_at", "id"], condition=NOT_TRASHED, name="article_desk_idx"
            ),
            models.Index(
                fields=["status", "modified_at", "publish_at"],
                condition=NOT_TRASHED,
                name="article_desk_status_idx",
            ),
            models.Index(
                fields=["publish_at", "modified_at"],
                condition=NOT_TRASHED,
                name="article_desk_publish_idx",
            ),
            models.Index(fields=["title"], condition=NOT_TRASHED, name="article_desk_title_idx"),
            # Few articles are featured or hidden from search engines: small indexes.
            models.Index(
                fields=["modified_at", "publish_at"],
                condition=NOT_TRASHED & Q(featured=True),
                name="article_desk_featured_idx",
            ),
            models.Index(
                fields=["modified_at", "publish_at"],
                condition=NOT_TRASHED & Q(noindex=True),
                name="article_desk_noindex_idx",
            ),
            models.Index(
                fields=["modified_at", "id"],
                condition=Q(deleted_at__isnull=False),
                name="article_trash_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # --- derived data ---------------------------------------------------------------------

    def save(self, *args, **kwargs) -> None:
        rendered = self.render()
        self.copy_library_image()
        self.refresh_image_renditions()
        if not self._state.adding and kwargs.get("update_fields") is None:
            self.version += 1
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"publish_at"} if "status" in update_fields else set()
            if "featured_image" in update_fields:
                extra.add("featured_image_renditions")
            if "featured_library_image" in update_fields:
                extra.update(self.LIBRARY_COPY_FIELDS)
            if "body" in update_fields:
                extra.update(self.DERIVED_FIELDS)
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)
        # The link tables and the search vector are derived like body_html, so they are written
        # with it; all need the row itself, hence after the insert.
        self.linked_articles.set([pk for pk in rendered.article_ids if pk != self.pk])
        self.body_images.set(rendered.image_ids)
        self.update_search_vector()
        if update_fields is None or not self.CLUSTER_FIELDS.isdisjoint(kwargs["update_fields"]):
            TopicMembership.objects.refresh([self.pk])

    #: What an article's rows in its topics' clusters copy or follow (TopicMembership).
    CLUSTER_FIELDS = frozenset(
        {"primary_topic", "primary_topic_id", "status", "publish_at", "expire_at", "deleted_at"}
    )

    def get_absolute_url(self) -> str:
        return slug_path("articles:detail", self.slug)

    IMAGE_WIDTHS = (480, 800, 1200, 1600)
    LIBRARY_COPY_FIELDS = (
        "featured_image", "featured_image_width", "featured_image_height",
        "featured_image_renditions", "featured_image_alt", "featured_image_credit",
    )  # fmt: skip

    def copy_library_image(self) -> None:
        """Take the featured image's file, size, renditions, description and credit from the
        chosen library image; drop them when a library image was chosen and no longer is. An
        image uploaded to the article itself (before the library) is left as it is."""
        image = self.featured_library_image
        if image is not None:
            for field, value in library_copy(image).items():
                setattr(self, field, value)
        elif self.featured_image_renditions.get("library_image"):
            self.featured_image = None
            self.featured_image_width = self.featured_image_height = None
            self.featured_image_renditions = {}
            self.featured_image_alt = self.featured_image_credit = ""

    @property
    def featured_image_position(self) -> str:
        """The featured image's focal point as CSS object-position ("30% 40%"), or "" for the
        middle: for templates cropping it to a fixed shape with object-fit."""
        focus = self.featured_image_renditions.get("focus")
        return f"{focus[0]}% {focus[1]}%" if focus else ""

    def refresh_image_renditions(self) -> None:
        if self.featured_image_renditions.get("library_image"):
            return  # made by the library for this file and focal point
        self.featured_image_renditions = images.refresh_renditions(
            self.featured_image,
            self.featured_image_renditions,
            widths=self.IMAGE_WIDTHS,
            share=True,
        )

    @property
    def share_image_url(self) -> str:
        name = self.featured_image_renditions.get("share")
        if name:
            return default_storage.url(name)
        return self.featured_image.url if self.featured_image else ""

    @property
    def featured_image_srcset(self) -> str:
        return images.srcset(self.featured_image_renditions)

    def update_search_vector(self) -> None:
        if connection.vendor != "postgresql":
            return  # SQLite searches the text columns directly (see articles/search.py)
        Article.objects.filter(pk=self.pk).update(search_vector=search_vector_expression())

    DERIVED_FIELDS = (
        "body_html", "body_text", "toc", "word_count", "reading_minutes", "body_quote_keys",
        "body_warnings",
    )  # fmt: skip

    def render(self) -> rendering.RenderedBody:
        """Re-derive the stored HTML and its companions from `body`."""
        rendered = rendering.render_body(
            self.body, resolve_article=self._resolve_reference, resolve_images=existing_images
        )
        self.body_html = rendered.html
        self.body_text = rendered.text
        self.toc = rendered.toc
        self.word_count = rendered.word_count
        self.reading_minutes = rendering.reading_minutes(rendered.word_count)
        self.body_quote_keys = rendered.quote_keys
        self.body_warnings = rendered.warnings
        return rendered

    def _resolve_reference(self, reference: str) -> int | None:
        """`article:<slug or id>` → article id; old slugs still resolve after a rename."""
        if reference.isdigit():
            return Article.objects.filter(pk=int(reference)).values_list("pk", flat=True).first()
        found = Article.objects.filter(slug=reference).values_list("pk", flat=True).first()
        if found is None:
            moved = SlugHistory.objects.find(Article.objects.all(), reference)
            found = moved.pk if moved else None
        return found

    # --- display ---------------------------------------------------------------------------

    @property
    def is_live(self) -> bool:
        """Costs a query, so it is for staff screens, not for lists."""
        return Article.objects.filter(pk=self.pk).live().exists()

    @property
    def is_scheduled(self) -> bool:
        """Published with a publish time still ahead (the admin's "Scheduled")."""
        return bool(
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def breadcrumbs(self) -> list[tuple[str, str]]:
        """Home › [main topic ›] topic › article; select primary_topic__parent to avoid queries."""
        return [*self.primary_topic.breadcrumbs, (self.title, self.get_absolute_url())]

    @property
    def display_title(self) -> str:
        return self.seo_title or self.title

    @property
    def description(self) -> str:
        return self.meta_description or self.standfirst

    @property
    def was_updated(self) -> bool:
        return bool(self.updated_at and self.publish_at and self.updated_at > self.publish_at)

    @property
    def last_updated(self) -> datetime | None:
        """When the article last changed for readers: the editor's "last substantively updated"
        date when later than publication, else the publication. The page's "Updated", the
        sitemap's lastmod, the feeds and the structured data all give this one date; the row's
        own modified_at also moves for typo fixes, comment switches and reloads, which are not
        news to readers or crawlers. (ArticleSitemap computes the same in SQL.)"""
        return self.updated_at if self.was_updated else self.publish_at

    def clean(self) -> None:
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": "Describe the image for readers who cannot see it."}
            )

    def body_problems(self) -> list[str]:
        """What the editor should fix in the body: stored warnings plus references that do not
        match this article's quotes. Used by the admin, not the public page."""
        problems = list(self.body_warnings)
        if self.pk:
            problems += reference_problems(
                placed_keys=self.body_quote_keys,
                quote_keys=set(self.quotes.values_list("key", flat=True)),
                not_live_titles=self.linked_articles.exclude(
                    pk__in=Article.objects.live()
                ).values_list("title", flat=True),
            )
            # Images deleted from the library since the body was saved: the page shows nothing
            # there now.
            placed = rendering.referenced_image_ids(self.body_html)
            if placed:
                present = set(self.body_images.values_list("pk", flat=True))
                problems += [missing_image_problem(pk) for pk in sorted(placed - present)]
        return problems


def existing_images(image_ids: list[int]) -> set[int]:
    """Which of these library images exist: one query for every image a body places."""
    return set(Image.objects.filter(pk__in=image_ids).values_list("pk", flat=True))


def missing_image_problem(image_id: int) -> str:
    return (
        f"The image [[image:{image_id}]] has been deleted from the media library: nothing is "
        "shown there."
    )


def library_copy(image: Image) -> dict:
    """What an article featuring `image` stores of it (Article.LIBRARY_COPY_FIELDS). The
    renditions carry the image's id, so dropping the choice later also drops the copy."""
    return {
        "featured_image": image.file.name,
        "featured_image_width": image.width,
        "featured_image_height": image.height,
        "featured_image_renditions": {**image.renditions, "library_image": image.pk},
        "featured_image_alt": image.alt,
        "featured_image_credit": image.credit,
    }


def reference_problems(
    *, placed_keys: Iterable[str], quote_keys: Collection[str], not_live_titles: Iterable[str]
) -> list[str]:
    """The editor's warnings about what a body refers to: placed quotes the article lacks and
    links to articles that are not live. Shared by the body check and the admin's preview, so
    both say the same thing."""
    problems = [
        f'The body places quote "{key}", but this article has no quote with that key: nothing '
        "is shown there."
        for key in placed_keys
        if key not in quote_keys
    ]
    problems += [
        f'The link to "{title}" shows as plain text until that article is live.'
        for title in not_live_titles
    ]
    return problems
