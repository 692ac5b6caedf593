"""Uploads are checked by content, with size and pixel limits, and refused with a clear message."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core import validators
from images.models import Image as LibraryImage
from tests.articles.test_permissions import change_url, full_change_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def image_file(fmt: str = "PNG", size=(40, 30), name: str = "picture.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "#336699").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_common_web_formats_are_accepted(fmt):
    validators.validate_image_upload(image_file(fmt))


def test_a_script_named_like_an_image_is_refused():
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")

    with pytest.raises(ValidationError) as error:
        validators.validate_image_upload(fake)

    assert error.value.code == "invalid_image"


def test_a_real_image_of_another_format_is_refused():
    with pytest.raises(ValidationError) as error:
        validators.validate_image_upload(image_file("BMP", name="x.bmp"))

    assert error.value.code == "image_format"


def test_too_large_a_file_is_refused_with_its_size(monkeypatch):
    monkeypatch.setattr(validators, "MAX_UPLOAD_BYTES", 100)

    with pytest.raises(ValidationError) as error:
        validators.validate_image_upload(image_file(size=(200, 200)))

    assert error.value.code == "file_too_large"
    assert "at most 100" in error.value.messages[0]


def test_too_many_pixels_are_refused(monkeypatch):
    monkeypatch.setattr(validators, "MAX_PIXELS", 1000)

    with pytest.raises(ValidationError) as error:
        validators.validate_image_upload(image_file(size=(100, 100)))

    assert error.value.code == "too_many_pixels"


def test_the_library_upload_form_shows_a_clear_error_for_a_bad_file(admin_client, media_in_tmp):
    """Images are uploaded to the media library (featured images are chosen from it)."""
    response = admin_client.post(
        reverse("admin:images_image_add"),
        {"file": SimpleUploadedFile("evil.png", b"GIF89a<?php evil(); ?>"), "alt": "An image"},
    )

    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not LibraryImage.objects.exists()


def test_an_article_uploaded_before_the_library_still_checks_a_new_file(admin_client, media_in_tmp):
    """Such an article's form keeps its upload field; a bad file is refused the same way."""
    article = ArticleFactory(featured_image=image_file(), featured_image_alt="A harbour")
    data = full_change_form(article)
    data["featured_image"] = SimpleUploadedFile("evil.png", b"GIF89a<?php evil(); ?>")
    data["featured_image_alt"] = "An image"

    response = admin_client.post(change_url(article), data)

    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    article.refresh_from_db()
    assert article.featured_image.name.endswith(".png")
