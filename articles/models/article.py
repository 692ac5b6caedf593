from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, models
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles import rendering
from core import images
from core.models import SlugHistory, SlugHistoryMixin
from core.validators import validate_image_upload


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Returned to writer"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    ARCHIVED = "archived", "Archived"


def search_config() -> str:
    return settings.DOSSIER["SEARCH_CONFIG"]


def search_vector_expression() -> SearchVector:
    config = search_config()
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("standfirst", weight="B", config=config)
        + SearchVector("body_text", weight="C", config=config)
    )


def live_q(at: datetime | None = None, prefix: str = "") -> Q:
    """THE definition of what the public may see, as a filter.

    Published, its publish time reached, its expiry (if any) not yet reached, and not in the
    trash. No background job is involved: scheduled and expiring articles change state by the
    clock, inside this filter. `prefix` lets a query on another model apply the same rule
    across a relation, e.g. ``to_article__``.
    Everything public goes through this function, directly or through ``ArticleQuerySet.live``.
    """
    now = at or timezone.now()
    return (
        Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}publish_at__lte": now})
        & (Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": now}))
        & Q(**{f"{prefix}deleted_at__isnull": True})
    )


NOT_TRASHED = Q(deleted_at__isnull=True)


class JSONList(models.Aggregate):
    """The aggregated values as one JSON array (JSON_GROUP_ARRAY on SQLite, JSONB_AGG on
    PostgreSQL), in no particular order."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


#: Columns read when editing and indexing, never by a public page (see for_reading()).
EDITING_ONLY_FIELDS = ("body", "body_text", "search_vector")

#: How many recent candidates related_to() takes from each shared topic and tag, and scores.
RELATED_CANDIDATE_POOL = 200


class ArticleQuerySet(models.QuerySet):
    def live(self, at: datetime | None = None) -> ArticleQuerySet:
        return self.filter(live_q(at))

    def not_trashed(self) -> ArticleQuerySet:
        return self.filter(NOT_TRASHED)

    def trashed(self) -> ArticleQuerySet:
        return self.filter(deleted_at__isnull=False)

    def scheduled(self, at: datetime | None = None) -> ArticleQuerySet:
        """Published but waiting for their publish time."""
        return self.not_trashed().filter(
            status=Status.PUBLISHED, publish_at__gt=at or timezone.now()
        )

    def next_scheduled_change(self, now: datetime) -> datetime | None:
        """The next moment live() changes by the clock alone: a published article reaching its
        publish time or its expiry. One query."""
        found = (
            self.not_trashed()
            .filter(status=Status.PUBLISHED)
            .aggregate(
                go_live=models.Min("publish_at", filter=Q(publish_at__gt=now)),
                expiry=models.Min("expire_at", filter=Q(expire_at__gt=now)),
            )
        )
        moments = [moment for moment in found.values() if moment is not None]
        return min(moments) if moments else None

    def in_topic(self, topic) -> ArticleQuerySet:
        """The topic's cluster: its primary articles, those listing it as a further topic, and
        those whose primary topic is one of its subtopics."""
        further = Article.topics.through.objects.filter(topic=topic).values("article_id")
        return self.filter(
            Q(primary_topic=topic) | Q(pk__in=further) | Q(primary_topic__parent=topic)
        )

    def by_author(self, author) -> ArticleQuerySet:
        return self.filter(pk__in=Byline.objects.filter(author=author).values("article_id"))

    def owned_by(self, user: AbstractBaseUser) -> ArticleQuerySet:
        """Articles `user` started, or whose byline names the author profile linked to them."""
        return self.filter(
            Q(created_by=user)
            | Q(pk__in=Byline.objects.filter(author__user=user).values("article"))
        )

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ArticleQuerySet:
        """What `user` may open by URL: everything for editorial staff (preview), else live()."""
        if user.is_authenticated and user.is_staff and user.has_perm("articles.view_article"):
            return self.not_trashed()
        return self.live()

    def for_reading(self) -> ArticleQuerySet:
        """Leaves behind the columns only editing and search read: the Markdown source, the
        plain text and the search vector, about 20 KB an article that a page never shows."""
        return self.defer(*EDITING_ONLY_FIELDS)

    def as_links(self) -> ArticleQuerySet:
        """What a link to an article shows: its title, address and topic."""
        return self.only("title", "slug", "publish_at", "primary_topic").select_related(
            "primary_topic"
        )

    def with_cards(self) -> ArticleQuerySet:
        """What an article card shows — topic and ordered byline — in a fixed number of queries.
        Cards never show the body, so its HTML stays behind too."""
        return self.for_reading().defer("body_html").select_related("primary_topic").with_bylines()

    def with_bylines(self) -> ArticleQuerySet:
        """The ordered byline with each author, in one query for any number of articles."""
        return self.prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def with_tag_list(self) -> ArticleQuerySet:
        """Each article's tags as `tag_list`, [{"id": …, "name": …}, …] in no particular order
        (None without tags), read in the same query as the articles: a prefetch would cost
        one more."""
        tags = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"))
            .values("content_object")
            .annotate(tags=JSONList(JSONObject(id="tag_id", name="tag__name")))
            .values("tags")
        )
        return self.annotate(tag_list=Subquery(tags, output_field=models.JSONField()))

    def with_body_references(self) -> ArticleQuerySet:
        """What finish_body() needs: the placed quotes with their experts, and which linked
        articles are live now (as `live_linked_articles`). Two queries for any number of rows."""
        return self.prefetch_related(
            models.Prefetch("quotes", queryset=ExpertQuote.objects.select_related("expert")),
            models.Prefetch(
                "linked_articles",
                queryset=Article.objects.live().only("pk", "slug"),
                to_attr="live_linked_articles",
            ),
        )

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-publish_at", "-pk")

    def related_to(self, article: Article, *, exclude: list[int] | tuple = ()) -> ArticleQuerySet:
        """Articles sharing topics or tags with `article`, best match first.

        Score: same primary topic 4, each other shared topic (primary or further, on either
        side) 2, each shared tag 1; ties go to the most
        recent, then the highest id, so the order is deterministic. Expects `article` to have its
        topics and tags prefetched (the article page does), so it costs one query.
        """
        topic_ids = {t.pk for t in article.topics.all()} | {article.primary_topic_id}
        topic_ids.discard(None)
        tag_ids = {t.pk for t in article.tags.all()}
        topic_links = Article.topics.through.objects.filter(topic_id__in=topic_ids)
        tag_links = TaggedArticle.objects.filter(tag_id__in=tag_ids)
        shared_topics = (
            topic_links.filter(article_id=OuterRef("pk"))
            .values("article_id")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        shared_tags = (
            tag_links.filter(content_object_id=OuterRef("pk"))
            .values("content_object_id")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        # Only recent candidates are scored: the RELATED_CANDIDATE_POOL most recently added
        # articles of each shared topic and tag (each one a short backward walk of an index),
        # and of those the same number of the most recently added that are live and not
        # excluded. Asking for "shares any topic or tag" in one go made PostgreSQL gather every
        # article of a popular tag first: 50,000 rows, 30 ms at 100,000 articles.
        sources = [
            *(
                Article.objects.filter(primary_topic_id=pk)
                .order_by("-pk")
                .values("pk")[:RELATED_CANDIDATE_POOL]
                for pk in topic_ids
            ),
            *(
                Article.topics.through.objects.filter(topic_id=pk)
                .order_by("-article_id")
                .values("article_id")[:RELATED_CANDIDATE_POOL]
                for pk in topic_ids
            ),
            *(
                TaggedArticle.objects.filter(tag_id=pk)
                .order_by("-content_object_id")
                .values("content_object_id")[:RELATED_CANDIDATE_POOL]
                for pk in tag_ids
            ),
        ]
        candidates = Q(pk__in=[])
        for source in sources:
            candidates |= Q(pk__in=source)
        pool = (
            self.filter(candidates)
            .exclude(pk__in=[article.pk, *exclude])
            .order_by("-pk")
            .values("pk")[:RELATED_CANDIDATE_POOL]
        )
        return (
            self.filter(pk__in=Subquery(pool))
            .annotate(
                relatedness=Case(
                    When(primary_topic_id=article.primary_topic_id, then=Value(4)),
                    # Its primary topic is one of this article's further topics: a shared topic.
                    When(primary_topic_id__in=topic_ids, then=Value(2)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                + Coalesce(Subquery(shared_topics, output_field=IntegerField()), 0) * 2
                + Coalesce(Subquery(shared_tags, output_field=IntegerField()), 0)
            )
            .order_by("-relatedness", "-publish_at", "-pk")
        )


class TaggedArticle(TaggedItemBase):
    """Explicit through model for tags, so tag queries can join and index it like any table."""

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "article tag"
        indexes = [models.Index(fields=["tag", "content_object"])]


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
        "Links to other articles: [text](article:their-slug). See docs/authoring.md.",
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
            if "body" in update_fields:
                extra.update(self.DERIVED_FIELDS)
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)
        # The link table and the search vector are derived like body_html, so they are written
        # with it; both need the row itself, hence after the insert.
        self.linked_articles.set([pk for pk in rendered.article_ids if pk != self.pk])
        self.update_search_vector()

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    IMAGE_WIDTHS = (480, 800, 1200, 1600)

    def refresh_image_renditions(self) -> None:
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
        rendered = rendering.render_body(self.body, resolve_article=self._resolve_reference)
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
        return problems


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


class Byline(models.Model):
    """One author on an article's byline, in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
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

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
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
        Article, on_delete=models.CASCADE, related_name="related_links"
    )
    to_article = models.ForeignKey(
        Article,
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


class ArticleActivity(models.Model):
    """One step in an article's life: who did what, when, from which state to which, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True, default="")
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "article activity"

    def __str__(self) -> str:
        return f"{self.action} by {self.actor or 'someone'} at {self.created_at:%Y-%m-%d %H:%M}"


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, at: datetime | None = None) -> PreviewLinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class PreviewLink(models.Model):
    """A shareable, expiring link that shows an unpublished article to someone without a login.

    The URL carries a signed token naming this row; the row decides whether it still works
    (expiry, revocation), so a link can be withdrawn before it expires.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.article} until {self.expires_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        from articles.preview import make_token  # avoids a cycle: preview imports this module

        return reverse("articles:preview", kwargs={"token": make_token(self)})
