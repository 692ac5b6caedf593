"""Finding images in the library: the admin's list and the article editor's "Insert image"."""

from __future__ import annotations

from .models import Image

MAX_SEARCH_CHARS = 200
SEARCH_LIMIT = 24


class ImageSearchError(ValueError):
    """A search the library refuses; the message is shown to the editor."""


def images_to_insert(*, term: str) -> list[dict]:
    """Up to SEARCH_LIMIT images matching `term` (all, newest first, for an empty term), as
    the editor's toolbar shows them."""
    if len(term) > MAX_SEARCH_CHARS:
        raise ImageSearchError(f"Search for at most {MAX_SEARCH_CHARS} characters.")
    if "\x00" in term:
        # PostgreSQL refuses NUL in a query parameter; no title contains one anyway.
        raise ImageSearchError("The search contains a NUL character.")
    found = Image.objects.matching(term).order_by("-uploaded_at", "-pk")[:SEARCH_LIMIT]
    return [
        {
            "id": image.pk,
            "title": str(image),
            "alt": image.alt,
            "credit": image.credit,
            "width": image.width,
            "height": image.height,
            "thumbnail_url": image.thumbnail_url,
        }
        for image in found
    ]
