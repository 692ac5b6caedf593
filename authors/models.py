from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

from core import images
from core.models import SlugHistoryMixin
from core.paths import slug_path
from core.validators import validate_image_upload


class Author(SlugHistoryMixin, models.Model):
    """Someone who writes for the site; shown in bylines, author boxes and on their own page."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=140,
        unique=True,
        allow_unicode=True,
        help_text="The author's address: /authors/<slug>/. Letters of any script, digits and "
        "hyphens.",
    )
    role = models.CharField(
        "role line",
        max_length=160,
        blank=True,
        default="",
        help_text='Shown under the name, e.g. "Staff Writer & Russia–Iran Specialist".',
    )
    short_bio = models.TextField(
        blank=True,
        default="",
        help_text="Two or three sentences for the author box under each article.",
    )
    bio = models.TextField(
        "long bio",
        blank=True,
        default="",
        help_text="The full biography on the author page. Separate paragraphs with a blank line.",
    )
    photo = models.ImageField(
        validators=[validate_image_upload],
        upload_to="authors/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text="Optional square portrait. Without one, the author box shows an initial.",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_renditions = models.JSONField(editable=False, default=dict)
    photo_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        default="",
        help_text="Describe the photo for screen readers, e.g. “Sarah at her desk”.",
    )
    website = models.URLField(blank=True, default="")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff login of this author, if they write in the admin themselves.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_photo_renditions()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_path("authors:detail", self.slug)

    PHOTO_WIDTHS = (72, 144, 120, 240)

    def refresh_photo_renditions(self) -> None:
        self.photo_renditions = images.refresh_renditions(
            self.photo, self.photo_renditions, widths=self.PHOTO_WIDTHS
        )

    def photo_url(self, width: int) -> str:
        """The smallest rendition at least `width` pixels wide, else the original."""
        widths = sorted(int(w) for w in self.photo_renditions.get("widths", {}))
        fitting = [w for w in widths if w >= width]
        if fitting:
            return default_storage.url(self.photo_renditions["widths"][str(fitting[0])])
        return self.photo.url if self.photo else ""

    @property
    def initial(self) -> str:
        """The letter shown in the avatar when there is no photo."""
        return self.name.strip()[:1].upper() or "?"


class AuthorLink(models.Model):
    """A profile elsewhere (social network, institution page), in the author's chosen order."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60, help_text='What the link is, e.g. "Mastodon".')
    url = models.URLField("URL")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.url}"


class Expert(SlugHistoryMixin, models.Model):
    """Someone quoted in articles; not a writer for the site."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=140,
        unique=True,
        allow_unicode=True,
        help_text="The expert's address: /experts/<slug>/. Letters of any script, digits and "
        "hyphens.",
    )
    credentials = models.CharField(
        "credentials and affiliation",
        max_length=200,
        blank=True,
        default="",
        help_text='Shown with every quote, e.g. "Senior Fellow, Caspian Policy Institute".',
    )
    bio = models.TextField(blank=True, default="", help_text="Shown on the expert's page.")
    url = models.URLField(
        "URL", blank=True, default="", help_text="The expert's own page or institutional profile."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("authors:expert_detail", self.slug)
