"""The media library in the admin: upload, search, usage, deleting, and the editor's search."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as Pillow

from images.models import Image
from tests.factories import (
    WRITERS,
    ArticleFactory,
    ImageFactory,
    UserFactory,
    role_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

ADD = "admin:images_image_add"
LIST = "admin:images_image_changelist"
SEARCH = "admin:images_image_search"


def png(width: int = 120, height: int = 80, name: str = "harbour.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Pillow.new("RGB", (width, height), "#446688").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def change_url(image: Image) -> str:
    return reverse("admin:images_image_change", args=[image.pk])


# --- upload ---------------------------------------------------------------------------------


def test_uploading_an_image_keeps_its_description_and_credit_and_makes_renditions(
    admin_client,
):
    response = admin_client.post(
        reverse(ADD),
        {"file": png(), "title": "", "alt": "Cranes over the harbour", "credit": "Photo: Staff"},
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.title, image.alt, image.credit) == ("harbour", "Cranes over the harbour",
                                                      "Photo: Staff")  # fmt: skip
    assert (image.width, image.height) == (120, 80)
    assert image.renditions["widths"] and image.renditions["share"]


def test_an_upload_without_a_description_is_refused_with_a_message(admin_client):
    response = admin_client.post(reverse(ADD), {"file": png(), "alt": ""})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"not an image at all"), "Upload a valid image"),
        (SimpleUploadedFile("x.png", b""), "The submitted file is empty"),
    ],
    ids=["not-an-image", "empty"],
)
def test_a_bad_upload_is_refused_with_a_clear_message(admin_client, upload, message):
    response = admin_client.post(reverse(ADD), {"file": upload, "alt": "Something"})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()


def test_an_image_of_a_refused_format_says_which_formats_are_accepted(admin_client):
    buffer = BytesIO()
    Pillow.new("RGB", (20, 20)).save(buffer, format="BMP")
    upload = SimpleUploadedFile("x.bmp", buffer.getvalue(), content_type="image/bmp")

    response = admin_client.post(reverse(ADD), {"file": upload, "alt": "Something"})

    assert response.status_code == 200
    assert "Upload a JPEG, PNG, WebP or GIF" in response.content.decode()


@pytest.mark.parametrize(
    ("focal_x", "focal_y", "message"),
    [
        ("30", "", "Give both coordinates"),
        ("150", "20", "less than or equal to 100"),
        ("abc", "20", "Enter a whole number"),
    ],
)
def test_a_bad_focal_point_is_refused_with_a_message(admin_client, focal_x, focal_y, message):
    response = admin_client.post(
        reverse(ADD), {"file": png(), "alt": "A port", "focal_x": focal_x, "focal_y": focal_y}
    )

    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_change_page_shows_the_image_and_its_focal_point(admin_client):
    image = ImageFactory(focal_x=25, focal_y=75)

    html = admin_client.get(change_url(image)).content.decode()

    assert 'class="dossier-focus"' in html
    assert 'data-x="25" data-y="75"' in html
    assert "js/image-focus.js" in html


# --- search and usage -----------------------------------------------------------------------


def test_the_library_list_searches_titles_descriptions_credits_and_keywords(admin_client):
    ImageFactory(title="Harbour", alt="Cranes", credit="Photo: Reuters", keywords="Aktau")
    ImageFactory(title="Desert", alt="Dunes", credit="Photo: Staff")

    for term in ("harbour", "cranes", "reuters", "aktau"):
        html = admin_client.get(reverse(LIST), {"q": term}).content.decode()
        assert "Harbour" in html and "Desert" not in html, term


def test_the_change_page_lists_the_articles_using_the_image_and_how(admin_client):
    image = ImageFactory()
    in_body = ArticleFactory(title="Placed here", body=f"[[image:{image.pk}]]")
    featuring = ArticleFactory(title="Featured here", featured_library_image=image)
    ArticleFactory(title="Elsewhere")

    html = admin_client.get(change_url(image)).content.decode()

    assert "Placed here</a> (in the body)" in html
    assert "Featured here</a> (featured image)" in html
    assert "Elsewhere" not in html
    assert reverse("admin:articles_article_change", args=[in_body.pk]) in html
    assert reverse("admin:articles_article_change", args=[featuring.pk]) in html


def test_usage_follows_the_body_when_it_changes(admin_client):
    image = ImageFactory()
    article = ArticleFactory(title="Placed here", body=f"[[image:{image.pk}]]")

    article.body = "No image any more."
    article.save()

    assert "Not used in any article yet" in admin_client.get(change_url(image)).content.decode()


def test_the_library_list_reads_usage_for_the_whole_page_at_once(admin_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse(LIST)).status_code == 200
        return len(captured)

    image = ImageFactory()
    ArticleFactory(body=f"[[image:{image.pk}]]", featured_library_image=image)
    few = queries()
    for _ in range(6):
        image = ImageFactory(file__width=40, file__height=30)
        ArticleFactory(body=f"[[image:{image.pk}]]", featured_library_image=image)
    many = queries()

    assert few == many
    html = admin_client.get(reverse(LIST)).content.decode()
    assert html.count("1 article<") == 7  # each placed and featured by the same one


# --- deleting -------------------------------------------------------------------------------


def test_deleting_an_image_placed_in_bodies_says_those_bodies_will_show_nothing(admin_client):
    image = ImageFactory(title="Cranes")
    ArticleFactory(title="Ports", body=f"[[image:{image.pk}]]")

    html = admin_client.get(reverse("admin:images_image_delete", args=[image.pk])).content
    response = admin_client.post(
        reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"}
    )

    assert "placed in the body of “Ports”: nothing will show there" in html.decode()
    assert response.status_code == 302
    assert not Image.objects.exists()


def test_a_featured_image_cannot_be_deleted_until_its_articles_choose_another(admin_client):
    image = ImageFactory(title="Cranes")
    article = ArticleFactory(title="Ports", featured_library_image=image)

    html = admin_client.get(reverse("admin:images_image_delete", args=[image.pk])).content
    response = admin_client.post(
        reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"}
    )

    assert "uses “Cranes” as its featured image: choose another first" in html.decode()
    assert reverse("admin:articles_article_change", args=[article.pk]) in html.decode()
    assert Image.objects.filter(pk=image.pk).exists()
    assert response.status_code in {200, 403}


# --- the editor's "Insert image" search ------------------------------------------------------


def test_the_editor_search_answers_matching_images_as_json(admin_client):
    wanted = ImageFactory(title="Harbour", alt="Cranes", credit="Photo: Staff")
    ImageFactory(title="Desert")

    data = admin_client.get(reverse(SEARCH), {"q": "harb"}).json()

    assert [row["id"] for row in data["results"]] == [wanted.pk]
    row = data["results"][0]
    assert (row["title"], row["alt"], row["credit"]) == ("Harbour", "Cranes", "Photo: Staff")
    assert row["thumbnail_url"].endswith(".webp")
    assert data["add_url"] == reverse(ADD)


def test_an_empty_search_offers_the_newest_images(admin_client):
    older, newer = ImageFactory(), ImageFactory()

    ids = [row["id"] for row in admin_client.get(reverse(SEARCH)).json()["results"]]

    assert ids[:2] == [newer.pk, older.pk]


@pytest.mark.parametrize(
    ("term", "message"),
    [("x" * 201, "at most 200 characters"), ("har\x00bour", "NUL character")],
    ids=["too-long", "nul"],
)
def test_a_hostile_search_is_refused_with_a_400(admin_client, term, message):
    response = admin_client.get(reverse(SEARCH), {"q": term})

    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.parametrize("term", ["%", "_", "' OR 1=1 --", "<script>", "\\", "ω" * 50])
def test_odd_search_terms_are_searched_for_as_text(admin_client, term):
    ImageFactory(title="Harbour")

    response = admin_client.get(reverse(SEARCH), {"q": term})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_editor_search_answers_only_get(admin_client):
    assert admin_client.post(reverse(SEARCH), {"q": "x"}).status_code == 405


def test_the_editor_search_needs_a_right_to_see_the_library(client):
    client.force_login(UserFactory(is_staff=True, permissions=["articles.view_article"]))

    assert client.get(reverse(SEARCH)).status_code == 403


def test_writers_may_upload_and_place_images_but_not_delete_them(client):
    writer = role_user(WRITERS, username="writer")
    client.force_login(writer)
    image = ImageFactory()

    assert writer.has_perms(["images.add_image", "images.change_image", "images.view_image"])
    assert not writer.has_perm("images.delete_image")
    assert client.get(reverse(SEARCH)).status_code == 200
    assert client.post(reverse("admin:images_image_delete", args=[image.pk]),
                       {"post": "yes"}).status_code == 403  # fmt: skip
