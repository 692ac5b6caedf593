"""Image renditions, made once when an image is saved and stored next to it.

Pillow directly rather than a thumbnail library: Dossier needs a handful of fixed sizes known in
advance (responsive widths, avatars, a 1200×630 share card), made at upload time and never at
request time, and stored through Django's storage API so they land on object storage like the
originals. That is a few dozen lines; a library would add template-time generation and its own
cache tables that we would then have to keep in step across hosts.
"""

from __future__ import annotations

import logging
import posixpath
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from .storage import MediaStoreUnavailable, media_store

log = logging.getLogger(__name__)

SHARE_SIZE = (1200, 630)


def _open(field_file) -> Image.Image | None:
    try:
        with media_store():
            field_file.open("rb")
            try:
                data = field_file.read()
            finally:
                field_file.close()
    except MediaStoreUnavailable as error:
        # A file that is simply gone has nothing to make renditions of; a store that does not
        # answer is an error the editor must hear about (core/admin.py), not a page without them.
        if isinstance(error.__cause__, FileNotFoundError):
            log.warning("Cannot make renditions of %s: %s", field_file.name, error)
            return None
        raise
    try:
        image = Image.open(BytesIO(data))
        image.load()
    except (OSError, UnidentifiedImageError, ValueError) as error:
        log.warning("Cannot make renditions of %s: %s", field_file.name, error)
        return None
    image = ImageOps.exif_transpose(image)
    return image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")


def _save(image: Image.Image, name: str, fmt: str) -> str:
    buffer = BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, fmt, quality=85, optimize=True, progressive=True)
    else:
        image.save(buffer, fmt, quality=80, method=4)
    with media_store():
        if default_storage.exists(name):
            default_storage.delete(name)
        return default_storage.save(name, ContentFile(buffer.getvalue()))


#: A focal point: (x, y) as percentages of the width and height from the top left, or None.
Focus = tuple[int, int] | None


def crop_box(size: tuple[int, int], ratio: float, focus: Focus) -> tuple[int, int, int, int]:
    """The largest box of `ratio` (width / height) inside an image of `size`, centred on the
    focal point as far as the edges allow (on the middle without one)."""
    width, height = size
    if width / height > ratio:
        box_w, box_h = max(1, round(height * ratio)), height
    else:
        box_w, box_h = width, max(1, round(width / ratio))
    x, y = focus if focus is not None else (50, 50)
    left = min(max(round(width * x / 100 - box_w / 2), 0), width - box_w)
    top = min(max(round(height * y / 100 - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def fit(image: Image.Image, size: tuple[int, int], focus: Focus = None) -> Image.Image:
    """`image` cropped to the ratio of `size` around `focus`, then resized to `size`."""
    box = crop_box(image.size, size[0] / size[1], focus)
    return image.resize(size, Image.Resampling.LANCZOS, box=box)


def make_renditions(
    field_file, *, widths: tuple[int, ...], share: bool = False, focus: Focus = None
) -> dict:
    """WebP copies of `field_file` at each width no wider than the original, and optionally a
    1200×630 JPEG share card cropped around `focus`. Returns {"source", "widths": {w: name},
    "share": name, "focus": [x, y] or None} or {}."""
    image = _open(field_file)
    if image is None:
        return {}
    stem, _ = posixpath.splitext(field_file.name)
    base = posixpath.join(posixpath.dirname(stem), "renditions", posixpath.basename(stem))
    made: dict = {"source": field_file.name, "widths": {}, "focus": _focus_key(focus)}
    # Never upscale: widths beyond the original collapse into one at the original's width.
    for width in sorted({min(w, image.width) for w in widths}):
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        made["widths"][str(width)] = _save(resized, f"{base}-{width}.webp", "WEBP")
    if share:
        # A card cropped around another focal point gets another name: pages and share
        # previews that cached the old card's address then fetch the new one.
        suffix = "" if focus is None else f"-{focus[0]}-{focus[1]}"
        made["share"] = _save(fit(image, SHARE_SIZE, focus), f"{base}-share{suffix}.jpg", "JPEG")
    return made


def _focus_key(focus: Focus) -> list[int] | None:
    return None if focus is None else [int(focus[0]), int(focus[1])]


def refresh_renditions(
    field_file,
    renditions: dict,
    *,
    widths: tuple[int, ...],
    share: bool = False,
    focus: Focus = None,
) -> dict:
    """The renditions `field_file` should have: unchanged if already made for this file and
    focal point, new ones for a new or replaced file (written to storage first if just
    uploaded) or a moved focal point, none without a file. Called from model save() as derived
    data of the image."""
    if not field_file:
        return {}
    if renditions.get("source") == field_file.name and renditions.get("focus") == _focus_key(focus):
        return renditions
    if not field_file._committed:
        with media_store():
            field_file.save(field_file.name, field_file, save=False)
    return make_renditions(field_file, widths=widths, share=share, focus=focus)


def stored_names(field_file, renditions: dict) -> list[str]:
    """Every name in the media store that belongs to this image: the file and its renditions."""
    names = [field_file.name] if field_file else []
    names += list(renditions.get("widths", {}).values())
    if renditions.get("share"):
        names.append(renditions["share"])
    return names


def srcset(renditions: dict) -> str:
    return ", ".join(
        f"{default_storage.url(name)} {width}w"
        for width, name in sorted(renditions.get("widths", {}).items(), key=lambda i: int(i[0]))
    )
