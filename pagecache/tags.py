"""Tags: the names of what a page shows, in one format, made only here.

A tag is a string, ``"articles.article:12"`` for one object or ``"list:articles:topic:3"`` for a
list; code elsewhere asks these helpers for one and never spells it, so a typo cannot leave a
page stale.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.db import models
from django.http import HttpRequest

SITE_TAG = "site"


def tag_for(obj: models.Model) -> str:
    """The tag of one object: every page that shows it depends on it."""
    return object_tag(type(obj), obj.pk)


def object_tag(model: type[models.Model], pk) -> str:
    """The tag of the object of `model` with this primary key, without loading it."""
    return f"{model._meta.label_lower}:{pk}"


def every(model: type[models.Model]) -> str:
    """Moves on whenever any object of `model` changes (sitemaps, search)."""
    return f"all:{model._meta.label_lower}"


def collection(name: str, scope: models.Model | None = None) -> str:
    """Which objects a list holds: "list:articles" (all live articles), or a scoped list such
    as collection("articles", topic) for the articles of one topic. Moves on when an object
    joins or leaves the list, or its place in it changes."""
    if scope is None:
        return f"list:{name}"
    return collection_of(name, type(scope), scope.pk)


def collection_of(name: str, model: type[models.Model], pk) -> str:
    """collection(name, scope) for the scope of `model` with this primary key, unloaded."""
    return f"list:{name}:{model._meta.model_name}:{pk}"


def tags_of(items: Iterable) -> set[str]:
    """Tags from objects, tags, or iterables of either (None is skipped)."""
    tags: set[str] = set()
    for item in items:
        if item is None:
            continue
        if isinstance(item, str):
            tags.add(item)
        elif isinstance(item, models.Model):
            tags.add(tag_for(item))
        else:
            tags |= tags_of(item)
    return tags


def depends_on(request: HttpRequest, *items) -> None:
    """Record what the page being built shows: objects, tags, or iterables of either."""
    found = getattr(request, "_page_cache_tags", None)
    if found is not None:
        found |= tags_of(items)


def cached_as(*items):
    """Decorate a view whose page depends on these fixed tags (sitemaps)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            depends_on(request, *items)
            return view(request, *args, **kwargs)

        wrapped.page_cache_view = view
        return wrapped

    return decorate
