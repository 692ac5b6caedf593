"""The media library: an image uploaded once, with its description, credit and renditions.

Articles place library images in their bodies (``[[image:42]]``, articles/rendering.py) and may
take one as their featured image; which articles use an image is recorded by the articles app
when an article is saved (``Article.body_images``, ``Article.featured_library_image``), so the
library shows its usage without scanning bodies.
"""

from __future__ import annotations

import posixpath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core import images
from core.validators import validate_image_upload

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class ImageQuerySet(models.QuerySet):
    def matching(self, term: str) -> ImageQuerySet:
        """Images whose title, description, credit or keywords contain `term` (any case)."""
        term = term.strip()
        if not term:
            return self
        return self.filter(
            Q(title__icontains=term)
            | Q(alt__icontains=term)
            | Q(credit__icontains=term)
            | Q(keywords__icontains=term)
        )


class Image(models.Model):
    file = models.ImageField(
        "image file",
        upload_to="images/%Y/%m/",
        validators=[validate_image_upload],
        width_field="width",
        height_field="height",
        help_text="A JPEG, PNG, WebP or GIF of at most 5 MB. Smaller copies for every screen "
        "width and a 1200×630 share card are made when it is saved.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="For finding the image in the library; readers never see it. Empty: the "
        "file's name.",
    )
    alt = models.CharField(
        "description",
        max_length=250,
        help_text="Describe the image for readers who cannot see it (the alt text). Shown "
        "wherever the image is placed.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="Shown under the image wherever it is placed, e.g. “Photo: Reuters”.",
    )
    keywords = models.CharField(
        max_length=250,
        blank=True,
        default="",
        help_text="More words to find the image by in the library (places, people, events).",
    )
    focal_x = models.PositiveSmallIntegerField(
        "focal point across",
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Where the subject is, in percent of the width from the left (0–100). Crops "
        "to a fixed shape, such as the 1200×630 share card, keep it in view. Empty: the middle.",
    )
    focal_y = models.PositiveSmallIntegerField(
        "focal point down",
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Where the subject is, in percent of the height from the top (0–100).",
    )
    # Stored on upload so pages can give width and height without opening the file.
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    # WebP widths and the share card, made once per file and focal point (core/images.py).
    renditions = models.JSONField(editable=False, default=dict)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    #: The same widths as featured images, so either can stand for the other.
    WIDTHS = (480, 800, 1200, 1600)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__isnull=True, focal_y__isnull=True)
                | Q(focal_x__lte=100, focal_y__lte=100),
                name="image_focal_point_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title or posixpath.basename(self.file.name or "") or f"Image {self.pk}"

    def save(self, *args, **kwargs) -> None:
        if not self.title and self.file:
            self.title = posixpath.splitext(posixpath.basename(self.file.name))[0][:200]
        self.renditions = images.refresh_renditions(
            self.file, self.renditions, widths=self.WIDTHS, share=True, focus=self.focus
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "renditions", "title"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (self.focal_x is None) != (self.focal_y is None):
            raise ValidationError(
                "Give both coordinates of the focal point, or neither (the middle)."
            )

    @property
    def focus(self) -> images.Focus:
        if self.focal_x is None or self.focal_y is None:
            return None
        return (self.focal_x, self.focal_y)

    @property
    def url(self) -> str:
        return self.file.url if self.file else ""

    @property
    def srcset(self) -> str:
        return images.srcset(self.renditions)

    @property
    def thumbnail_url(self) -> str:
        """The narrowest WebP copy (the original if none was made), for the admin."""
        widths = self.renditions.get("widths") or {}
        if widths:
            return default_storage.url(widths[min(widths, key=int)])
        return self.url

    @property
    def share_url(self) -> str:
        share = self.renditions.get("share")
        return default_storage.url(share) if share else self.url
