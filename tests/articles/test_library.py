"""Articles and the media library: images placed in bodies by reference and chosen as featured
images, their usage recorded on save, pages refreshed exactly when an image changes, and the
queries a page makes whatever the number of images (articles/library.py, rendering, selectors).
"""

from __future__ import annotations

import importlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import revisions, workflow
from articles.models import Article, KeptCard, PageParts
from images.models import Image
from tests.conftest import FROZEN_NOW
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    TopicFactory,
    superuser,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

DAY = timedelta(days=1)


def placing(*images: Image, caption: str = "") -> str:
    tail = f" | {caption}" if caption else ""
    return "Opening words.\n\n" + "".join(f"[[image:{i.pk}{tail}]]\n\n" for i in images)


def fetch(article: Article) -> Article:
    return Article.objects.get(pk=article.pk)


# --- saving records what the body places ----------------------------------------------------


def test_saving_records_the_images_the_body_places():
    first, second, unused = ImageFactory(), ImageFactory(), ImageFactory()

    article = ArticleFactory(body=placing(first, second, first))

    assert set(article.body_images.all()) == {first, second}
    assert set(unused.placed_in.all()) == set()
    assert not article.body_warnings


def test_a_new_body_replaces_the_record():
    first, second = ImageFactory(), ImageFactory()
    article = ArticleFactory(body=placing(first))

    article.body = placing(second)
    article.save()

    assert list(article.body_images.all()) == [second]


def test_a_reference_to_no_image_is_recorded_as_a_problem_not_a_use():
    article = ArticleFactory(body="[[image:424242]]")

    assert not article.body_images.exists()
    assert "[[image:424242]] is not in the media library" in article.body_problems()[0]


@pytest.mark.parametrize("count", [1, 8])
def test_saving_looks_up_all_the_images_of_a_body_in_one_query(count):
    images = [ImageFactory(file__width=40, file__height=30) for _ in range(count)]
    article = ArticleFactory(body="Nothing yet.")
    article.body = placing(*images)

    with CaptureQueriesContext(connection) as captured:
        article.save()

    # Which placed images exist: one question for the whole body (the link table's own
    # bookkeeping, Article.body_images.set(), reads it through its join).
    lookups = [
        q["sql"]
        for q in captured
        if 'FROM "images_image"' in q["sql"] and "body_images" not in q["sql"]
    ]
    assert len(lookups) == 1, lookups


def test_deleting_an_image_takes_it_out_of_bodies_and_the_body_check_says_so():
    image = ImageFactory()
    article = ArticleFactory(body=placing(image))
    pk = image.pk

    image.delete()

    article = fetch(article)
    assert f"[[image:{pk}]] has been deleted from the media library" in (article.body_problems()[0])


# --- the article page ----------------------------------------------------------------------


def test_the_article_page_shows_a_placed_image_with_its_description_and_credit(client):
    image = ImageFactory(alt="Cranes over the port", credit="Photo: Caspian Desk")
    article = ArticleFactory(body=placing(image, caption="Aktau in March"))

    html = client.get(article.get_absolute_url()).content.decode()

    figure = re.search(r'<figure class="body-image">.*?</figure>', html, re.DOTALL).group(0)
    assert 'alt="Cranes over the port"' in figure
    assert 'loading="lazy"' in figure and 'width="1600" height="900"' in figure
    assert "-480.webp 480w" in figure and "sizes=" in figure
    assert "Aktau in March" in figure and "Photo: Caspian Desk" in figure


def test_an_image_deleted_from_the_library_leaves_the_page_whole(client):
    image = ImageFactory()
    article = ArticleFactory(body=placing(image))
    image.delete()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Opening words." in html and "body-image" not in html


@pytest.mark.parametrize("kept", [True, False], ids=["kept-parts", "rendering-afresh"])
def test_the_article_page_makes_the_same_queries_for_one_image_or_many(client, settings, kept):
    settings.DOSSIER = {**settings.DOSSIER, "PAGE_PARTS": kept}
    one = ArticleFactory(body=placing(ImageFactory(file__width=40, file__height=30)))
    many = ArticleFactory(
        body=placing(*[ImageFactory(file__width=40, file__height=30) for _ in range(6)])
    )

    def queries(article: Article) -> int:
        client.get(article.get_absolute_url())  # keeps its parts, when kept
        with CaptureQueriesContext(connection) as captured:
            html = client.get(article.get_absolute_url()).content.decode()
        assert html.count('class="body-image"') == len(article.body_images.all())
        return len(captured)

    assert queries(one) == queries(many)


# --- featured images from the library ------------------------------------------------------


def test_a_library_image_chosen_as_featured_image_feeds_the_articles_image_fields():
    image = ImageFactory(alt="Tankers", credit="Photo: Staff", focal_x=20, focal_y=30)

    article = ArticleFactory(featured_library_image=image)

    assert article.featured_image.name == image.file.name
    assert (article.featured_image_width, article.featured_image_height) == (1600, 900)
    assert (article.featured_image_alt, article.featured_image_credit) == (
        "Tankers",
        "Photo: Staff",
    )
    assert article.featured_image_srcset == image.srcset
    assert article.share_image_url == image.share_url
    assert article.featured_image_position == "20% 30%"


def test_the_article_page_head_and_structured_data_show_the_library_image(client):
    image = ImageFactory(alt="Tankers at anchor", credit="Photo: Staff")
    article = ArticleFactory(featured_library_image=image)

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alt="Tankers at anchor"' in html and "Photo: Staff" in html
    assert f'content="http://testserver{image.share_url}"' in html  # og:image, the share card
    assert '<meta property="og:image:width" content="1200">' in html


def test_dropping_the_library_image_drops_the_featured_image():
    article = ArticleFactory(featured_library_image=ImageFactory())

    article.featured_library_image = None
    article.save()

    article = fetch(article)
    assert not article.featured_image
    assert article.featured_image_renditions == {}
    assert (article.featured_image_alt, article.featured_image_credit) == ("", "")


def test_an_image_uploaded_to_the_article_before_the_library_is_left_alone():
    from tests.articles.test_images import png

    article = ArticleFactory(featured_image=png(640, 360), featured_image_alt="Harbour")
    article.title = "Edited"
    article.save()

    assert fetch(article).featured_image_alt == "Harbour"
    assert fetch(article).featured_image_renditions["widths"]


def test_editing_the_library_image_updates_the_articles_featuring_it_without_a_new_version():
    image = ImageFactory(alt="Old words", credit="Photo: Old")
    article = ArticleFactory(featured_library_image=image)
    other = ArticleFactory(featured_library_image=ImageFactory(alt="Untouched"))
    version = fetch(article).version

    image.alt, image.credit = "New words", "Photo: New"
    image.focal_x, image.focal_y = 70, 40
    image.save()

    article = fetch(article)
    assert (article.featured_image_alt, article.featured_image_credit) == (
        "New words",
        "Photo: New",
    )
    assert article.featured_image_renditions["share"].endswith("-share-70-40.jpg")
    assert article.featured_image_position == "70% 40%"
    assert article.version == version  # an editor's open form still saves
    assert fetch(other).featured_image_alt == "Untouched"


def test_an_image_featuring_somewhere_cannot_be_deleted():
    from django.db.models import ProtectedError

    image = ImageFactory()
    ArticleFactory(featured_library_image=image)

    with pytest.raises(ProtectedError):
        image.delete()


def test_the_article_form_chooses_the_featured_image_from_the_library(superuser_client):
    from tests.articles.test_permissions import change_url, full_change_form

    image = ImageFactory(title="Tankers", alt="Tankers at anchor")
    article = ArticleFactory(authors=[AuthorFactory()])
    data = full_change_form(article)
    data["featured_library_image"] = str(image.pk)

    response = superuser_client.post(change_url(article), data)

    assert response.status_code == 302
    assert fetch(article).featured_image_alt == "Tankers at anchor"
    html = superuser_client.get(change_url(article)).content.decode()
    assert "From the media library" in html


def test_choosing_a_library_image_and_uploading_one_at_once_is_refused(superuser_client):
    from tests.articles.test_images import png
    from tests.articles.test_permissions import change_url, full_change_form

    image = ImageFactory()
    article = ArticleFactory(authors=[AuthorFactory()])
    data = full_change_form(article)
    data.update(featured_library_image=str(image.pk), featured_image=png(50, 40),
                featured_image_alt="Mine")  # fmt: skip

    response = superuser_client.post(change_url(article), data)

    assert response.status_code == 200
    assert "Choose a library image or upload one for this article, not both" in (
        response.content.decode()
    )
    assert fetch(article).featured_library_image is None


def test_the_article_form_offers_the_toolbars_insert_image(superuser_client):
    html = superuser_client.get(reverse("admin:articles_article_add")).content.decode()

    assert f'data-image-search-url="{reverse("admin:images_image_search")}"' in html
    assert 'id="id_body-image-search"' in html
    assert reverse("admin:images_image_add") in html


def test_the_body_check_warns_of_a_deleted_image_after_saving(superuser_client):
    from tests.articles.test_permissions import change_url

    image = ImageFactory()
    article = ArticleFactory(body=placing(image), authors=[AuthorFactory()])
    image.delete()

    html = superuser_client.get(change_url(article)).content.decode()

    assert "has been deleted from the media library" in html


# --- the editor's preview ------------------------------------------------------------------


def test_the_preview_shows_a_placed_image_and_warns_of_a_missing_one(superuser_client):
    image = ImageFactory(alt="Cranes")

    data = superuser_client.post(
        reverse("admin:articles_article_editor_preview"),
        {"body": f"[[image:{image.pk} | In March]]\n\n[[image:999999]]"},
    ).json()

    assert 'alt="Cranes"' in data["html"] and "In March" in data["html"]
    assert any("[[image:999999]] is not in the media library" in w for w in data["warnings"])


# --- exact invalidation --------------------------------------------------------------------


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    settings.DOSSIER = {**settings.DOSSIER, "PAGE_PARTS": True}
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


@pytest.fixture
def shown(cached):
    """One image placed in a body, another featured elsewhere, and an article showing neither,
    each in a topic of its own (related reading would otherwise link them)."""
    topic, featured_topic = TopicFactory(slug="iran"), TopicFactory(slug="caspian")
    elsewhere = TopicFactory(slug="arctic")
    placed, featured = ImageFactory(alt="Placed alt"), ImageFactory(alt="Featured alt")
    return {
        "placed": placed,
        "featured": featured,
        "placing": ArticleFactory(
            slug="placing",
            primary_topic=topic,
            body=placing(placed),
            publish_at=FROZEN_NOW - 3 * DAY,
        ),
        "featuring": ArticleFactory(
            slug="featuring",
            primary_topic=featured_topic,
            featured_library_image=featured,
            publish_at=FROZEN_NOW - 2 * DAY,
        ),
        "other": ArticleFactory(slug="other", primary_topic=elsewhere, publish_at=FROZEN_NOW - DAY),
        "arctic": elsewhere,
    }


def state(url: str) -> str:
    return Client().get(url).get("X-Page-Cache", "uncached")


def refreshed(shown, change) -> set[str]:
    urls = {
        "placing": shown["placing"].get_absolute_url(),
        "featuring": shown["featuring"].get_absolute_url(),
        "other": shown["other"].get_absolute_url(),
        "arctic": shown["arctic"].get_absolute_url(),
    }
    for url in urls.values():
        Client().get(url)
        assert state(url) == "hit", url
    change()
    return {name for name, url in urls.items() if state(url) != "hit"}


def test_a_new_description_refreshes_exactly_the_page_placing_the_image(shown, commit):
    def describe():
        shown["placed"].alt = "Cranes, described again"
        commit(shown["placed"].save)

    assert refreshed(shown, describe) == {"placing"}
    assert "Cranes, described again" in Client().get("/articles/placing/").content.decode()


def test_a_new_credit_refreshes_exactly_the_pages_featuring_the_image(shown, commit):
    def credit():
        shown["featured"].credit = "Photo: Someone new"
        commit(shown["featured"].save)

    assert refreshed(shown, credit) == {"featuring"}
    assert "Photo: Someone new" in Client().get("/articles/featuring/").content.decode()


def test_deleting_a_placed_image_refreshes_the_page_placing_it(shown, commit):
    assert refreshed(shown, lambda: commit(shown["placed"].delete)) == {"placing"}
    assert "body-image" not in Client().get("/articles/placing/").content.decode()


def test_kept_page_parts_go_stale_when_a_placed_image_changes(client, shown, commit, settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": False}
    article = shown["placing"]
    client.get(article.get_absolute_url())
    assert PageParts.objects.get(article=article).shows

    shown["placed"].credit = "Photo: Kept no more"
    commit(shown["placed"].save)

    assert "Photo: Kept no more" in client.get(article.get_absolute_url()).content.decode()


def test_kept_parts_of_a_featuring_article_go_stale_when_its_image_changes(
    client, shown, commit, settings
):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": False}
    article = shown["featuring"]
    client.get(article.get_absolute_url())

    shown["featured"].alt = "Described anew"
    commit(shown["featured"].save)

    assert 'alt="Described anew"' in client.get(article.get_absolute_url()).content.decode()


def test_kept_cards_go_stale_for_the_articles_featuring_a_changed_image_only(
    client, shown, commit, settings
):
    """Cards show an article's featured image fields (not its body): the featuring article's
    card is rendered again, the placing article's is kept."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": False}
    client.get(reverse("website:home"))
    before = {card.article_id: card.shows for card in KeptCard.objects.all()}
    assert {shown["featuring"].pk, shown["placing"].pk} <= set(before)

    shown["featured"].credit = "Photo: On the card"
    commit(shown["featured"].save)
    shown["placed"].credit = "Photo: Not on any card"
    commit(shown["placed"].save)
    client.get(reverse("website:home"))

    after = {card.article_id: card.shows for card in KeptCard.objects.all()}
    assert after[shown["featuring"].pk] != before[shown["featuring"].pk]
    assert after[shown["placing"].pk] == before[shown["placing"].pk]


# --- other readers of the body -------------------------------------------------------------


def test_the_api_gives_the_body_with_its_placed_images(client):
    image = ImageFactory(alt="Cranes")
    article = ArticleFactory(body=placing(image))

    body = client.get(reverse("api:article-detail", kwargs={"slug": article.slug})).json()

    assert 'alt="Cranes"' in body["body_html"]


def test_a_full_content_feed_gives_the_placed_images_absolute_addresses(client, settings):
    settings.DOSSIER = {**settings.DOSSIER, "FEED_FULL_CONTENT": True}
    ArticleFactory(body=placing(ImageFactory(alt="Cranes")))

    xml = client.get(reverse("website:feed")).content.decode()

    assert 'alt="Cranes"' in xml
    assert 'src="http://testserver/media/' in xml
    assert re.search(r'srcset="http://testserver/media/\S+ 480w, http://testserver/', xml)


# --- revisions and the migration -----------------------------------------------------------


def test_restoring_a_revision_brings_back_its_featured_library_image(frozen_now):
    editor = superuser()
    first, second = ImageFactory(alt="First"), ImageFactory(alt="Second")
    article = ArticleFactory(featured_library_image=first, authors=[AuthorFactory()])
    revisions.record_revision(article=article, by=editor, comment="First")
    old = revisions.versions_of(article).first()
    article.featured_library_image = second
    workflow.save_article(article=article, by=editor, expected_version=None)

    revisions.restore_revision(
        article=fetch(article), version=old, by=editor, expected_version=None
    )

    assert fetch(article).featured_library_image == first
    assert fetch(article).featured_image_alt == "First"


def test_the_migration_moves_uploaded_featured_images_into_the_library():
    from tests.articles.test_images import png

    migration = importlib.import_module("articles.migrations.0017_media_library")
    first = ArticleFactory(featured_image=png(640, 360), featured_image_alt="Harbour",
                           featured_image_credit="Photo: Staff")  # fmt: skip
    name = fetch(first).featured_image.name
    sharing = ArticleFactory()
    Article.objects.filter(pk=sharing.pk).update(
        featured_image=name,
        featured_image_alt="Harbour again",
        featured_image_renditions=fetch(first).featured_image_renditions,
    )
    plain = ArticleFactory()

    migration.move_featured_images_into_library(apps, schema_editor=None)

    image = Image.objects.get()
    assert image.file.name == name and (image.alt, image.credit) == ("Harbour", "Photo: Staff")
    assert image.renditions["widths"] == fetch(first).featured_image_renditions["widths"]
    assert fetch(first).featured_library_image == image
    assert fetch(sharing).featured_library_image == image  # one file, one library image
    assert fetch(plain).featured_library_image is None
    assert "Photo: Staff" in image.credit


def test_the_migration_leaves_an_image_whose_file_is_gone_and_size_unknown_as_it_was():
    migration = importlib.import_module("articles.migrations.0017_media_library")
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(
        featured_image="articles/2020/01/gone.png", featured_image_alt="Gone"
    )

    migration.move_featured_images_into_library(apps, schema_editor=None)

    assert not Image.objects.exists()
    row = Article.objects.filter(pk=article.pk).values("featured_image", "featured_library_image")
    assert list(row) == [
        {"featured_image": "articles/2020/01/gone.png", "featured_library_image": None}
    ]


def test_deleting_an_article_for_good_leaves_its_library_image_in_storage(commit):
    from django.core.files.storage import default_storage

    image = ImageFactory()
    article = ArticleFactory(featured_library_image=image, authors=[AuthorFactory()])
    editor = superuser()
    workflow.move_to_trash(article=article, by=editor)

    commit(workflow.purge, article=fetch(article), by=editor)

    assert not Article.objects.filter(pk=article.pk).exists()
    image.refresh_from_db()
    assert default_storage.exists(image.file.name)
    assert all(default_storage.exists(name) for name in image.renditions["widths"].values())
    assert default_storage.exists(image.renditions["share"])
