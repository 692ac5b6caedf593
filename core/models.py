"""Site-wide pieces shared by every app: slug history for permanent redirects."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import redis
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models, transaction

from .validators import validate_image_upload


def recorded_user(**kwargs) -> models.ForeignKey:
    """Who did something, recorded by the system (not edited in forms); kept when the user
    account is deleted, as empty."""
    from django.conf import settings

    options = {"null": True, "blank": True, "on_delete": models.SET_NULL, "related_name": "+",
               "editable": False, **kwargs}  # fmt: skip
    return models.ForeignKey(settings.AUTH_USER_MODEL, **options)


def default_comment_days() -> int:
    """Until editors choose in Site settings, the COMMENTS_CLOSE_AFTER_DAYS environment value."""
    from django.conf import settings

    return settings.DOSSIER["COMMENTS_CLOSE_AFTER_DAYS"]


class SlugHistoryQuerySet(models.QuerySet):
    def for_model(self, model: type[models.Model]) -> SlugHistoryQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def find(self, queryset: models.QuerySet, slug: str) -> models.Model | None:
        """The object in `queryset` that used to be reachable at `slug`, if any."""
        object_ids = self.for_model(queryset.model).filter(slug=slug).values("object_id")
        return queryset.filter(pk__in=object_ids).first()


class SlugHistory(models.Model):
    """A slug an object used to have, so its old URL answers with a 301 to the current one."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=255, allow_unicode=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlugHistoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "slug history"
        constraints = [
            # One owner per old slug and model: the newest rename wins.
            models.UniqueConstraint(fields=["content_type", "slug"], name="unique_old_slug"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model}:{self.slug} → #{self.object_id}"


class SlugHistoryMixin(models.Model):
    """Remembers every slug a model instance gives up.

    Recording happens in save() rather than in a service on purpose: every write path (admin,
    shell, import, API) that renames an object must keep the old URL alive, and save() is the
    one place they all pass through.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        previous = getattr(self, "_saved_slug", None)
        content_type = ContentType.objects.get_for_model(type(self))
        if previous and previous != self.slug:
            SlugHistory.objects.update_or_create(
                content_type=content_type, slug=previous, defaults={"object_id": self.pk}
            )
        if previous != self.slug:
            # A slug in use now is nobody's old slug any more: the live object wins.
            SlugHistory.objects.filter(content_type=content_type, slug=self.slug).delete()
        self._saved_slug = self.slug

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_slug = instance.__dict__.get("slug")
        return instance


SITE_SETTINGS_KEY = "core:site-settings"
SITE_SETTINGS_SECONDS = 300
# What the cache raises when Redis cannot be reached (pagecache.backend names the same).
CACHE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def forget_site_settings() -> None:
    with contextlib.suppress(*CACHE_ERRORS):
        cache.delete(SITE_SETTINGS_KEY)


class SiteSettings(models.Model):
    """The site's identity, edited by editors in the admin. One row; until it is saved, the
    defaults come from the environment (SITE_NAME, SITE_TAGLINE, ORGANISATION_*)."""

    site_name = models.CharField(max_length=100, help_text="Shown in the header and titles.")
    tagline = models.CharField(
        max_length=200, blank=True, default="", help_text="A line under the name, in the footer."
    )
    logo = models.ImageField(
        validators=[validate_image_upload],
        upload_to="site/",
        blank=True,
        help_text="Square logo for search results and share cards (at least 600×600). "
        "Empty: the bundled Dossier logo.",
    )
    organisation_name = models.CharField(
        max_length=150, blank=True, default="", help_text="The publisher. Empty: the site name."
    )
    organisation_url = models.URLField(
        "organisation URL", blank=True, default="", help_text="Empty: the home page."
    )
    comments_close_after_days = models.PositiveSmallIntegerField(
        "close comments after (days)",
        default=default_comment_days,
        help_text="Comments on an article close this many days after it was published. "
        "0 keeps them open for as long as the article's own switch allows.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return "Site settings"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget_cached()
        return result

    @staticmethod
    def forget_cached() -> None:
        # At once, so this process reads the change inside its transaction; and once committed,
        # in case another process read the old row meanwhile and kept it.
        forget_site_settings()
        transaction.on_commit(forget_site_settings, robust=True)

    @classmethod
    def current(cls) -> SiteSettings:
        """The saved settings, or unsaved defaults from the environment.

        Every page asks for them and they almost never change, so they are kept in the shared
        cache (Redis in production) and read from there: a cache read instead of a query. A
        save or delete forgets them once committed; SECONDS bounds how long another process
        with a local-memory cache can see old ones. Without a reachable cache, one query.
        """
        try:
            found = cache.get(SITE_SETTINGS_KEY)
        except CACHE_ERRORS:
            return cls._read()
        if found is None:
            found = cls._read()
            with contextlib.suppress(*CACHE_ERRORS):
                cache.set(SITE_SETTINGS_KEY, found, timeout=SITE_SETTINGS_SECONDS)
        return found

    @classmethod
    def _read(cls) -> SiteSettings:
        from django.conf import settings

        return cls.objects.filter(pk=1).first() or cls(
            pk=1,
            site_name=settings.DOSSIER["SITE_NAME"],
            tagline=settings.DOSSIER["SITE_TAGLINE"],
            organisation_name=settings.DOSSIER["ORGANISATION_NAME"],
            organisation_url=settings.DOSSIER["ORGANISATION_URL"],
        )

    @classmethod
    def for_request(cls, request, read: Callable[[], SiteSettings] | None = None) -> SiteSettings:
        """current() (or `read()`), fetched once per request however many parts of the page
        ask for it."""
        if not hasattr(request, "_site_settings"):
            request._site_settings = (read or cls.current)()
        return request._site_settings
