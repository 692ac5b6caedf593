"""Views every app's pages build on: finding a page's object by its slug, old slugs included."""

from __future__ import annotations

from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect

from core.models import SlugHistory


class SlugObjectMixin:
    """Finds the page's object by the `slug` URL argument.

    A slug the object used to have answers with a 301 to its current URL; an unknown slug is a
    404. Subclasses say which objects may be shown through get_slug_queryset().
    """

    slug_model: type[models.Model]

    def get_slug_queryset(self) -> models.QuerySet:
        return self.slug_model._default_manager.all()

    def find_object(self, slug: str) -> models.Model | None:
        """The object at `slug` among get_slug_queryset(), or None."""
        # Slugs are unique: no ORDER BY (first() adds one, and the cost of compiling it).
        return next(iter(self.get_slug_queryset().filter(slug=slug)[:1]), None)

    def dispatch(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        self.object = self.find_object(slug)
        if self.object is None:
            queryset = self.get_slug_queryset()
            moved = SlugHistory.objects.find(queryset, slug)
            if moved is None:
                raise Http404(f"No {queryset.model._meta.verbose_name} at this address.")
            return HttpResponsePermanentRedirect(moved.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.object
