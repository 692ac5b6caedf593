"""Media on S3-compatible object storage, against a real S3 API on loopback (moto's server,
tests/objectstore.py): uploads through the admin land in the bucket with their renditions,
pages point readers at the bucket, a purge removes the objects, and a store that does not answer
costs the editor nothing they typed."""

from __future__ import annotations

import json
import re
import urllib.request
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

from articles.models import Article, Status
from authors.models import Author
from tests.articles.test_admin import _article_form, _management, admin_url
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory

pytestmark = pytest.mark.django_db


def png(width: int = 640, height: int = 360, name: str = "harbour.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), "#225588").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def article_form(topic, **overrides) -> dict:
    writer = AuthorFactory()
    return _article_form(
        topic,
        **_management("bylines", 1),
        **{"bylines-0-author": str(writer.pk), "bylines-0-sort_order": "0"},
        **{"featured_image": png(), "featured_image_alt": "Tankers at anchor", **overrides},
    )


def change_form(article, **overrides) -> dict:
    """The change form: the add form plus the version it was opened at and the history inline."""
    return article_form(
        article.primary_topic,
        expected_version=str(article.version),
        **_management("activity", 0),
        **overrides,
    )


def post_article_with_image(client, topic, **overrides):
    data = article_form(topic, **overrides)
    return client.post(admin_url(Article, "add"), data)


def test_image_uploaded_in_the_admin_lands_in_the_bucket_with_its_renditions(
    admin_client, s3_media
):
    response = post_article_with_image(admin_client, TopicFactory())

    assert response.status_code == 302
    article = Article.objects.get(slug="caspian-shipping")
    name = article.featured_image.name
    assert re.fullmatch(r"articles/\d{4}/\d{2}/harbour\.png", name)
    made = article.featured_image_renditions
    assert set(made["widths"]) == {"480", "640"}  # never wider than the 640 px original
    assert s3_media.keys() == sorted([name, *made["widths"].values(), made["share"]])


def test_the_same_file_name_uploaded_twice_keeps_both_images(admin_client, s3_media):
    topic = TopicFactory()
    post_article_with_image(admin_client, topic)
    post_article_with_image(admin_client, topic, title="Second", slug="second")

    names = {article.featured_image.name for article in Article.objects.all()}
    assert len(names) == 2  # django-storages would overwrite; config/storage_url.py says not to


def test_pages_and_the_api_give_the_bucket_urls(client, s3_media):
    article = ArticleFactory(featured_image=png(), featured_image_alt="Tankers at anchor")
    made = article.featured_image_renditions
    original = s3_media.base_url + article.featured_image.name
    share = s3_media.base_url + made["share"]

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<img src="{original}"' in html
    assert f"{s3_media.base_url}{made['widths']['480']} 480w" in html
    assert f'<meta property="og:image" content="{share}">' in html
    jsonld = re.search(r'"@type": "NewsArticle".*?</script>', html, re.S).group(0)
    assert f'"image": ["{share}"]' in jsonld
    api = client.get(reverse("api:article-detail", kwargs={"slug": article.slug})).json()
    assert json.dumps(api).count(s3_media.base_url) >= 4  # original, share, two renditions


def test_a_reader_fetches_the_image_from_the_bucket(client, s3_media):
    upload = png()
    sent = upload.read()
    upload.seek(0)
    article = ArticleFactory(featured_image=upload, featured_image_alt="x")

    with urllib.request.urlopen(s3_media.base_url + article.featured_image.name) as answer:
        assert answer.status == 200
        assert answer.read() == sent


def test_author_photo_renditions_are_served_from_the_bucket(client, s3_media):
    author = AuthorFactory(name="Nadia Quill", photo=png(300, 300), photo_alt="Nadia Quill")
    article = ArticleFactory(authors=[author])

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'src="{s3_media.base_url}authors/renditions/' in html
    assert len(s3_media.keys()) == 5  # the photo and its four widths


def test_deleting_an_article_for_good_removes_its_objects(
    admin_client, s3_media, django_capture_on_commit_callbacks
):
    keep = ArticleFactory(featured_image=png(name="other.png"), featured_image_alt="x")
    kept = sorted(s3_media.keys())
    post_article_with_image(admin_client, TopicFactory())
    article = Article.objects.get(slug="caspian-shipping")
    admin_client.post(admin_url(Article, "delete", article.pk), {"post": "yes"})

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:articles_article_purge", args=[article.pk]))

    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert s3_media.keys() == kept  # the other article's image is untouched
    assert keep.featured_image.name in kept


def test_a_purge_also_removes_images_of_earlier_revisions(
    admin_client, s3_media, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    post_article_with_image(admin_client, topic)
    article = Article.objects.get(slug="caspian-shipping")
    data = change_form(article, featured_image=png(name="second.png"), featured_image_alt="x")
    assert admin_client.post(admin_url(Article, "change", article.pk), data).status_code == 302
    article.refresh_from_db()
    assert "second" in article.featured_image.name
    assert len(s3_media.keys()) == 8  # two originals, each with two widths and a share card
    admin_client.post(admin_url(Article, "delete", article.pk), {"post": "yes"})

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:articles_article_purge", args=[article.pk]))

    assert s3_media.keys() == []


# --- a store that does not answer ----------------------------------------------------------


def test_store_down_on_add_shows_a_form_error_and_keeps_the_text(admin_client, s3_down):
    topic = TopicFactory()

    response = post_article_with_image(
        admin_client, topic, body="## Routes\n\nEvery word the editor typed."
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "the media store is not answering" in html
    assert "Every word the editor typed." in html
    assert "Caspian shipping" in html
    assert not Article.objects.exists()


def test_store_down_on_change_leaves_the_article_as_it_was(admin_client, s3_down):
    article = ArticleFactory(status=Status.DRAFT, publish_at=None, title="Before", slug="before")
    data = change_form(article, title="After", slug="before")

    response = admin_client.post(admin_url(Article, "change", article.pk), data)

    assert response.status_code == 200
    assert "the media store is not answering" in response.content.decode()
    assert 'value="After"' in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Before"
    assert not article.featured_image


def test_store_down_on_an_author_photo_is_a_form_error(admin_client, s3_down):
    data = {
        "name": "Nadia Quill",
        "slug": "nadia-quill",
        "role": "",
        "short_bio": "",
        "bio": "A long biography worth keeping.",
        "photo": png(200, 200),
        "photo_alt": "",
        "website": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }

    response = admin_client.post(admin_url(Author, "add"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "the media store is not answering" in html
    assert "A long biography worth keeping." in html
    assert not Author.objects.exists()


def test_pages_need_no_answer_from_the_store(client, s3_media, settings):
    """Readers never wait on the store: a page gives the image's URL without asking it."""
    article = ArticleFactory(featured_image=png(), featured_image_alt="x")
    settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] = "http://127.0.0.1:9"  # discard
    settings.STORAGES = {**settings.STORAGES}

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "127.0.0.1:9/" in response.content.decode()


# --- static files in the bucket (optional) --------------------------------------------------


def test_collectstatic_can_upload_static_files_to_the_bucket(s3_server, settings, tmp_path):
    from botocore.config import Config

    from config import storage_url

    bucket = s3_server.new_bucket("static")
    options = storage_url.parse(s3_server.url(bucket).replace(f"@{bucket}", f"@{bucket}/static"))
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": storage_url.S3_STATIC_BACKEND,
            "OPTIONS": {**options, "client_config": Config(retries={"max_attempts": 1})},
        },
    }
    settings.STATIC_URL = storage_url.base_url(options)
    # Only the site's own files: the admin's and Swagger UI's would go the same way, slower.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]

    call_command("collectstatic", "--noinput", verbosity=0)

    url = static("css/site.css")
    assert re.fullmatch(rf"{s3_server.endpoint}/{bucket}/static/css/site\.[0-9a-f]{{12}}\.css", url)
    with urllib.request.urlopen(url) as answer:
        assert b"{" in answer.read()


def test_store_down_on_restoring_a_revision_with_another_image_is_a_message(
    admin_client, s3_media, settings
):
    from articles import revisions
    from tests.objectstore import ACCESS_KEY, SECRET_KEY, free_port, use_storage

    article = ArticleFactory(featured_image=png(name="first.png"), featured_image_alt="x")
    revisions.record_revision(article=article, by=None, comment="Created")
    first = revisions.versions_of(article).first()
    article.featured_image = png(name="second.png")
    article.save()
    revisions.record_revision(article=article, by=None, comment="Edited")
    article.refresh_from_db()
    dead = f"http://127.0.0.1:{free_port()}"
    use_storage(settings, f"s3://{ACCESS_KEY}:{SECRET_KEY}@{s3_media.name}?endpoint_url={dead}")

    response = admin_client.post(
        reverse("admin:articles_article_restore_revision", args=[article.pk, first.pk]),
        {"version": str(article.version)},
        follow=True,
    )

    assert response.status_code == 200
    assert "The media store is not answering" in response.content.decode()
    assert "second" in Article.objects.get(pk=article.pk).featured_image.name


def test_store_down_on_the_site_logo_is_a_form_error(admin_client, s3_down):
    from core.models import SiteSettings

    site = SiteSettings.objects.get()
    data = {
        "site_name": "The Caspian Desk",
        "tagline": "Shipping, ports and sanctions",
        "logo": png(200, 200, name="logo.png"),
        "organisation_name": "",
        "organisation_url": "",
    }

    response = admin_client.post(reverse("admin:core_sitesettings_change", args=[site.pk]), data)

    assert response.status_code == 200
    assert "the media store is not answering" in response.content.decode()
    assert 'value="The Caspian Desk"' in response.content.decode()
    site.refresh_from_db()
    assert site.site_name != "The Caspian Desk"
    assert not site.logo
