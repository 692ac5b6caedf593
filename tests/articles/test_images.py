from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
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


def open_stored(name: str) -> Image.Image:
    from django.core.files.storage import default_storage

    with default_storage.open(name) as handle:
        image = Image.open(handle)
        image.load()
    return image


def test_renditions_are_made_once_at_upload_without_upscaling():
    article = ArticleFactory(featured_image=png(1000, 500), featured_image_alt="x")

    widths = article.featured_image_renditions["widths"]
    assert sorted(map(int, widths)) == [480, 800, 1000]
    assert open_stored(widths["480"]).size == (480, 240)
    assert open_stored(widths["480"]).format == "WEBP"
    assert open_stored(article.featured_image_renditions["share"]).size == (1200, 630)


def test_saving_again_does_not_remake_renditions(monkeypatch):
    article = ArticleFactory(featured_image=png(640, 360), featured_image_alt="x")
    monkeypatch.setattr(
        "core.images.make_renditions", lambda *a, **k: pytest.fail("remade renditions")
    )

    article.title = "New title"
    article.save()


def test_replacing_the_image_remakes_renditions_and_removing_it_clears_them():
    article = ArticleFactory(featured_image=png(640, 360), featured_image_alt="x")
    first = article.featured_image_renditions["source"]

    article.featured_image = png(900, 900)
    article.save()
    assert article.featured_image_renditions["source"] != first
    assert "900" in article.featured_image_renditions["widths"]

    article.featured_image = None
    article.save()
    assert article.featured_image_renditions == {}


def test_an_unreadable_stored_file_gives_no_renditions_instead_of_an_error():
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from core import images

    name = default_storage.save("articles/broken.png", ContentFile(b"not an image"))
    stored = Article._meta.get_field("featured_image").attr_class(
        Article(), Article._meta.get_field("featured_image"), name
    )

    assert images.make_renditions(stored, widths=(480,), share=True) == {}


def test_article_page_offers_webp_srcset_and_a_share_card(client):
    article = ArticleFactory(featured_image=png(1600, 900), featured_image_alt="Harbour")

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<source type="image/webp" srcset="' in html
    assert "-480.webp 480w" in html and "-1600.webp 1600w" in html
    assert 'sizes="' in html
    assert '-share.jpg">' in html  # og:image
    assert '<meta property="og:image:width" content="1200">' in html


def test_author_photo_has_small_renditions_and_a_2x_source(client):
    author = AuthorFactory(name="Nadia Quill", photo=png(600, 600), photo_alt="Nadia Quill")
    article = ArticleFactory(authors=[author])

    html = client.get(article.get_absolute_url()).content.decode()

    assert "-72.webp" in html
    assert "-144.webp 2x" in html


def test_an_image_without_a_description_is_refused():
    from django.core.exceptions import ValidationError

    article = ArticleFactory.build(featured_image=png(10, 10), featured_image_alt=" ")

    with pytest.raises(ValidationError) as error:
        article.clean()

    assert "featured_image_alt" in error.value.message_dict
