"""Checks on uploaded images, by content rather than by file name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 × 5000; larger images cost too much memory to resize
ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


def validate_image_upload(file) -> None:
    """Refuse files that are too large, not really images, of another format, or too many
    pixels. Runs on new uploads only; stored files are trusted."""
    if getattr(file, "_committed", False):
        return
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {filesizeformat(file.size)}; images can be at most "
            f"{filesizeformat(MAX_UPLOAD_BYTES)}.",
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.",
            code="invalid_image",
        ) from error
    finally:
        file.seek(position)
    if kind not in ALLOWED_FORMATS:
        raise ValidationError(
            f"{kind} images are not accepted. Upload a JPEG, PNG, WebP or GIF.",
            code="image_format",
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            f"This image is {width:,} × {height:,} pixels; at most {MAX_PIXELS:,} pixels in all "
            "are accepted. Resize it and upload it again.",
            code="too_many_pixels",
        )
