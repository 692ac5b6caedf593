"""Where library images are used, as the apps using them report it.

The library stands below the apps that place images (articles), so it cannot ask them itself:
each registers a source from its AppConfig.ready() (articles/apps.py does), the way article
pages take their comment thread (docs/architecture.md). A source reads usage that its app
recorded on save; nothing scans text at request time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Use:
    image_id: int
    label: str  # what uses it, e.g. an article's title
    admin_url: str  # where an editor changes that
    place: str  # how, e.g. "body" or "featured image"
    # A use that keeps the image from being deleted (a featured image has no fallback).
    protects: bool = False


UsageSource = Callable[[Collection[int]], Iterable[Use]]
_sources: list[UsageSource] = []


def add_usage_source(source: UsageSource) -> None:
    """Report uses of images to the library (call from an AppConfig.ready())."""
    if source not in _sources:
        _sources.append(source)


def uses_of(image_ids: Collection[int]) -> dict[int, list[Use]]:
    """Every recorded use of these images, by image id: a query or two per source, however
    many images."""
    found: dict[int, list[Use]] = defaultdict(list)
    if not image_ids:
        return found
    for source in _sources:
        for use in source(image_ids):
            found[use.image_id].append(use)
    return found
