from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def png(width: int, height: int) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), "#884422").save(buffer, format="PNG")
    return SimpleUploadedFile("picture.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_featured_image_dimensions_are_stored_on_upload():
    article = ArticleFactory(featured_image=png(640, 360), featured_image_alt="A harbour")

    assert (article.featured_image_width, article.featured_image_height) == (640, 360)


def test_article_page_gives_image_size_and_alt_without_opening_the_file(client):
    article = ArticleFactory(
        featured_image=png(640, 360),
        featured_image_alt="Tankers in the Caspian",
        featured_image_credit="Photo: Staff",
    )
    article.featured_image.storage.delete(article.featured_image.name)  # page must not need it

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alt="Tankers in the Caspian"' in html
    assert 'width="640" height="360"' in html
    assert "Photo: Staff" in html


def test_author_box_shows_photo_instead_of_initial(client):
    author = AuthorFactory(name="Nadia Quill", photo=png(200, 200), photo_alt="Nadia Quill")
    article = ArticleFactory(authors=[author])

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alt="Nadia Quill" width="72" height="72"' in html
    assert "avatar--initial" not in html
