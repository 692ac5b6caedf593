"""Site pages (About, Contact, Privacy …), the header and footer menus, and redirects."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles import rendering
from articles.models import Article
from articles.models.article import existing_images
from core.models import SlugHistory, SlugHistoryMixin

from . import addresses

# --- site pages ---------------------------------------------------------------------------


class PageStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PageQuerySet(models.QuerySet):
    def live(self) -> PageQuerySet:
        """What the public may see: published pages. The one place that says so."""
        return self.filter(status=PageStatus.PUBLISHED)

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> PageQuerySet:
        """What `user` may open by URL: drafts too for staff who edit pages (preview)."""
        if user.is_authenticated and user.is_staff and user.has_perm("pages.change_page"):
            return self.all()
        return self.live()


def resolve_article_reference(reference: str) -> int | None:
    """`article:<slug or id>` in a page body → the article's id, as in an article's body."""
    return Article()._resolve_reference(reference)


class Page(SlugHistoryMixin, models.Model):
    """A page of the site that is not an article: About, Contact, Privacy, Imprint.

    Its body is written in the same Markdown as an article's and goes through the same
    rendering and sanitising (articles/rendering.py); it has no byline, topic or date."""

    title = models.CharField(max_length=200, help_text="The heading readers see on the page.")
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        help_text="The page's address: /<slug>/, e.g. “about” for /about/. Letters of any "
        "script, digits and hyphens. If you change it, the old address keeps working and "
        "redirects here.",
    )
    body = models.TextField(
        blank=True,
        default="",
        help_text="Markdown, as in articles: headings, lists, callouts “::: insight” … “:::”, "
        "links to articles [text](article:their-slug). See docs/authoring.md.",
    )
    status = models.CharField(
        max_length=20,
        choices=PageStatus.choices,
        default=PageStatus.DRAFT,
        help_text="Only published pages are shown to readers; staff can open drafts to check them.",
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        default="",
        help_text="The title search engines show (up to 60 characters reads best). Empty: the "
        "title.",
    )
    meta_description = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="The snippet search engines show (about 155 characters). Empty: the start "
        "of the body.",
    )
    noindex = models.BooleanField(
        "hide from search engines",
        default=False,
        help_text="Asks search engines not to index this page and leaves it out of the sitemap.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    # Derived from `body` on every save (articles/rendering.py); never edited by hand.
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    body_article_ids = models.JSONField(
        editable=False, default=list, help_text="Articles the body links to (for the cache)."
    )
    body_image_ids = models.JSONField(
        editable=False, default=list, help_text="Library images the body places."
    )
    body_warnings = models.JSONField(editable=False, default=list)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "site page"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.render()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, *self.DERIVED_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"slug": self.slug})

    DERIVED_FIELDS = (
        "body_html", "body_text", "body_article_ids", "body_image_ids", "body_warnings",
    )  # fmt: skip

    def render(self) -> rendering.RenderedBody:
        rendered = rendering.render_body(
            self.body, resolve_article=resolve_article_reference, resolve_images=existing_images
        )
        self.body_html = rendered.html
        self.body_text = rendered.text
        self.body_article_ids = rendered.article_ids
        self.body_image_ids = rendered.image_ids
        warnings = list(rendered.warnings)
        # Expert quotes belong to articles: a page has none to place.
        warnings += [
            f'The body places quote "{key}", but site pages have no quotes: nothing is shown there.'
            for key in rendered.quote_keys
        ]
        self.body_warnings = warnings
        return rendered

    def clean(self) -> None:
        if self.slug and self.slug in addresses.taken_first_segments():
            raise ValidationError(
                {"slug": f"/{self.slug}/ is already an address of the site: choose another slug."}
            )

    @property
    def is_live(self) -> bool:
        return self.status == PageStatus.PUBLISHED

    @property
    def display_title(self) -> str:
        return self.seo_title or self.title

    @property
    def description(self) -> str:
        if self.meta_description:
            return self.meta_description
        return (
            self.body_text[:155].rsplit(" ", 1)[0] if len(self.body_text) > 155 else self.body_text
        )


# --- menus --------------------------------------------------------------------------------


class MenuLocation(models.TextChoices):
    HEADER = "header", "Header"
    FOOTER = "footer", "Footer"


class Menu(models.Model):
    """One of the site's menus. There is one per place on the page (made by a migration):
    they can be edited, not added or deleted."""

    location = models.CharField(max_length=20, choices=MenuLocation.choices, unique=True)

    class Meta:
        ordering = ["location"]

    def __str__(self) -> str:
        return f"{self.get_location_display()} menu"


class SiteSection(models.TextChoices):
    """Pages of the site that are not objects an editor can pick, by their URL name."""

    HOME = "website:home", "Home page"
    TOPICS = "topics:list", "All topics"
    AUTHORS = "authors:list", "All authors"
    EXPERTS = "authors:expert_list", "All experts"
    SEARCH = "articles:search", "Search"


class MenuItem(models.Model):
    """A link in a menu: to a site page, an article, a topic, a section of the site or a URL.

    A link to a draft page or an article that is not live is left out of the menu until it is
    live, so readers never follow a menu link to a missing page."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="items")
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")
    label = models.CharField(
        max_length=80,
        blank=True,
        default="",
        help_text="The link's text. Empty: the page's, article's or topic's title.",
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(
        "topics.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    section = models.CharField(
        "section of the site",
        max_length=40,
        blank=True,
        default="",
        choices=SiteSection.choices,
    )
    url = models.CharField(
        "URL",
        max_length=addresses.MAX_URL_LENGTH,
        blank=True,
        default="",
        help_text="A path on this site (/about/) or an address starting with https://.",
    )

    class Meta:
        ordering = ["menu", "sort_order", "pk"]
        verbose_name = "menu link"

    def __str__(self) -> str:
        return self.label or self.target_label()

    def target_label(self) -> str:
        for name in ("page", "article", "topic"):
            if getattr(self, f"{name}_id"):
                target = getattr(self, name)
                return target.name if name == "topic" else target.title
        if self.section:
            return self.get_section_display()
        return self.url

    def clean(self) -> None:
        chosen = [self.page_id, self.article_id, self.topic_id, self.section, self.url]
        if sum(1 for target in chosen if target) != 1:
            raise ValidationError(
                "Choose exactly one thing to link to: a site page, an article, a topic, a "
                "section of the site or a URL."
            )
        if self.url:
            self.url = addresses.check_target_url(self.url)
            if not self.label.strip():
                raise ValidationError({"label": "A link to a URL needs a label."})

    def get_url(self) -> str:
        if self.page_id:
            return self.page.get_absolute_url()
        if self.article_id:
            return self.article.get_absolute_url()
        if self.topic_id:
            return self.topic.get_absolute_url()
        if self.section:
            return reverse(self.section)
        return self.url


# --- redirects ----------------------------------------------------------------------------


class RedirectStatus(models.IntegerChoices):
    PERMANENT = 301, "Permanent (301): the page has moved for good"
    TEMPORARY = 302, "Temporary (302): the old address will be used again"


ONE_TARGET = "Choose exactly one place to send readers: a site page, an article or a URL."


class RedirectQuerySet(models.QuerySet):
    def for_path(self, path: str) -> Redirect | None:
        """The redirect answering `path` (as request.path_info reads it), exact match first."""
        # PostgreSQL refuses a NUL in a query (a 500, not a 404); no stored path is longer.
        if "\x00" in path or len(path) > addresses.MAX_PATH_LENGTH + 1:
            return None
        variants = addresses.path_variants(path)
        found = {
            redirect.old_path: redirect
            for redirect in self.filter(old_path__in=variants).select_related("article", "page")
        }
        return next((found[p] for p in variants if p in found), None)


class Redirect(models.Model):
    """An old address of the site that sends readers elsewhere.

    It answers only where the site has nothing else to show (a 404), as WordPress addresses
    and Django's own redirects app do: a page that exists always wins, so a forgotten redirect
    can never hide a live page."""

    old_path = models.CharField(
        "old address",
        max_length=addresses.MAX_PATH_LENGTH,
        unique=True,
        help_text="The path readers arrive at, e.g. /old-about/ (a whole address such as "
        "https://example.org/old-about/ is cut to its path). Any script; with or without the "
        "trailing slash.",
    )
    page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="Send readers to this site page (only while it is published).",
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="Or to this article (only while it is live).",
    )
    url = models.CharField(
        "or to the URL",
        max_length=addresses.MAX_URL_LENGTH,
        blank=True,
        default="",
        help_text="A path on this site (/topics/) or an address starting with http:// or https://.",
    )
    status = models.PositiveSmallIntegerField(
        choices=RedirectStatus.choices, default=RedirectStatus.PERMANENT
    )
    note = models.CharField(max_length=200, blank=True, default="", help_text="Why, for editors.")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        constraints = [
            # The form says which is missing (redirects.check); this guards every other path.
            models.CheckConstraint(
                name="redirect_has_one_target",
                violation_error_message=ONE_TARGET,
                condition=(
                    Q(page__isnull=False, article__isnull=True, url="")
                    | Q(page__isnull=True, article__isnull=False, url="")
                    | (Q(page__isnull=True, article__isnull=True) & ~Q(url=""))
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.target_description()}"

    def target_description(self) -> str:
        if self.page_id:
            return f"page “{self.page.title}”"
        if self.article_id:
            return f"article “{self.article.title}”"
        return self.url

    def target_path(self) -> str:
        """Where the redirect leads as a path or URL, whether or not the target is live."""
        if self.page_id:
            return self.page.get_absolute_url()
        if self.article_id:
            return self.article.get_absolute_url()
        return self.url

    def live_target(self) -> str | None:
        """Where readers are sent now: None while the page or article is not public (an old
        address must not reveal a draft's address)."""
        if self.page_id:
            return self.page.get_absolute_url() if self.page.is_live else None
        if self.article_id:
            is_live = Article.objects.live().filter(pk=self.article_id).exists()
            return self.article.get_absolute_url() if is_live else None
        return self.url

    def clean(self) -> None:
        from . import redirects  # the checks read other redirects and the URLconf

        redirects.check(self)


class SlugRedirect(SlugHistory):
    """The redirects the site makes by itself: an article's, topic's, author's, expert's or
    page's old slug, kept when it was renamed (core.SlugHistory). Listed beside the manual
    redirects, read-only."""

    class Meta:
        proxy = True
        verbose_name = "slug-history redirect"
