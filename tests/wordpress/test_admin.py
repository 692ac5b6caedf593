"""The admin page that imports an uploaded export: same import, permission-checked."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Status
from tests.factories import UserFactory
from tests.wordpress.conftest import FIXTURE
from tests.wordpress.test_hostile_files import BILLION_LAUGHS
from wordpress import forms
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db

URL = reverse("admin:wordpress_importeditem_import")


def upload(content: bytes, name: str = "export.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/xml")


@pytest.fixture
def importer_client(client):
    """Staff with only the permission to import."""
    client.force_login(UserFactory(is_staff=True, permissions=["wordpress.import_wxr"]))
    return client


def test_a_dry_run_shows_the_summary_and_saves_nothing(importer_client):
    response = importer_client.post(URL, {"file": upload(FIXTURE.read_bytes()), "dry_run": "on"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "What the import would do" in page
    assert "<td>Articles (from posts)</td><td>11</td>" in page
    assert "Dry run: nothing was saved." in page
    assert not Article.objects.exists()


def test_an_import_saves_the_articles_and_names_who_imported(importer_client):
    response = importer_client.post(URL, {"file": upload(FIXTURE.read_bytes())})

    assert response.status_code == 200
    page = response.content.decode()
    assert "What was imported" in page
    # No images from the admin: nothing is downloaded, and there is no folder to read.
    assert "images are copied only from a local folder" in page
    # Hostile text from the export is shown escaped in the summary.
    assert "post 107 “Hostile &lt;b&gt;markup&lt;/b&gt; check”" in page
    assert Article.objects.count() == 12
    lead = ImportedItem.objects.get(kind="post", wp_id=100).article
    assert lead.status == Status.PUBLISHED
    assert lead.activity.get(action="import").actor.has_perm("wordpress.import_wxr")

    again = importer_client.post(URL, {"file": upload(FIXTURE.read_bytes())})

    assert "<td>Articles (from posts)</td><td>0</td><td>0</td><td>11</td>" in again.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS.encode(), "declares a DTD or XML entities"),
        (b"<rss><channel>", "not well-formed XML"),
        (b"<rss><channel></channel></rss>", "not a WordPress export"),
    ],
)
def test_a_bad_file_is_a_form_error(importer_client, content, message):
    response = importer_client.post(URL, {"file": upload(content)})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(importer_client, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 1000)

    response = importer_client.post(URL, {"file": upload(FIXTURE.read_bytes())})

    assert "the import page takes at most 1000" in response.content.decode()
    assert not Article.objects.exists()


def test_staff_without_the_permission_cannot_import(client):
    client.force_login(UserFactory(is_staff=True, permissions=["articles.view_article"]))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(FIXTURE.read_bytes())}).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_list_of_imported_items_links_to_the_import_page(importer_client):
    importer_client.post(URL, {"file": upload(FIXTURE.read_bytes())})

    listing = importer_client.get(reverse("admin:wordpress_importeditem_changelist"))

    assert listing.status_code == 200
    page = listing.content.decode()
    assert URL in page
    assert "Tanker routes shift south" in page
    index = importer_client.get(reverse("admin:index"))
    assert reverse("admin:wordpress_importeditem_changelist") in index.content.decode()


def test_imported_items_cannot_be_edited_or_deleted_in_the_admin(superuser_client):
    superuser_client.post(URL, {"file": upload(FIXTURE.read_bytes())})
    item = ImportedItem.objects.get(kind="post", wp_id=100)

    superuser_client.post(
        reverse("admin:wordpress_importeditem_delete", args=[item.pk]), {"post": "yes"}
    )

    assert ImportedItem.objects.filter(pk=item.pk).exists()
