"""Articles and the media library (images app): what the library learns of its images' use,
and the featured-image copies kept in step with the library.

An article records the library images its body places (``Article.body_images``) and the one it
features (``Article.featured_library_image``) when it is saved; the library reads them through
the usage source registered in ArticlesConfig.ready(). A featured image's file, size,
renditions, description and credit are copied onto the article (Article.copy_library_image) so
cards and pages read them from its row; when the library image changes, the copies are
refreshed here, by a signal, because every write path (the library's admin, the shell, a
migration's later code) must be covered.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from django.urls import reverse

from images.models import Image
from images.usage import Use
from pagecache import object_tag

from .invalidation import refresh
from .models import Article
from .models.article import library_copy


def article_uses(image_ids: Collection[int]) -> Iterator[Use]:
    """Where articles use these images, in two queries: placed in bodies, and featured."""
    placed = (
        Article.body_images.through.objects.filter(image_id__in=image_ids)
        .order_by("article__title", "article_id")
        .values_list("image_id", "article_id", "article__title", "article__deleted_at")
    )
    for image_id, article_id, title, deleted_at in placed:
        yield Use(image_id, _label(title, deleted_at), _admin_url(article_id), "in the body")
    featured = (
        Article.objects.filter(featured_library_image_id__in=image_ids)
        .order_by("title", "pk")
        .values_list("featured_library_image_id", "pk", "title", "deleted_at")
    )
    for image_id, article_id, title, deleted_at in featured:
        yield Use(
            image_id,
            _label(title, deleted_at),
            _admin_url(article_id),
            "featured image",
            protects=True,
        )


def _label(title: str, deleted_at) -> str:
    return f"{title} (in the trash)" if deleted_at else title


def _admin_url(article_id: int) -> str:
    return reverse("admin:articles_article_change", args=[article_id])


def refresh_featured_copies(*, image: Image) -> None:
    """Copy `image` again onto the articles featuring it, and refresh their pages and cards.

    An update, not Article.save(): the article's content and version are unchanged (an editor
    with its form open can still save), only what it shows of the image."""
    ids = list(Article.objects.filter(featured_library_image=image).values_list("pk", flat=True))
    if not ids:
        return
    Article.objects.filter(pk__in=ids).update(**library_copy(image))
    refresh(tags={object_tag(Article, pk) for pk in ids})


def library_image_saved(sender, instance: Image, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_featured_copies(image=instance)
