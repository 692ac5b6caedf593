"""`manage.py import_wxr` run end to end against tests/wordpress/fixtures/site.xml."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from taggit.models import Tag

from articles.models import Article, ArticleActivity, Status
from authors.models import Author
from comments.models import Comment, CommentStatus
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory
from tests.wordpress.conftest import FIXTURE, run_import
from topics.models import Topic
from wordpress import importer
from wordpress.models import ImportedItem, Kind

pytestmark = pytest.mark.django_db


def article_of(wp_id: int) -> Article:
    return ImportedItem.objects.get(kind__in=[Kind.POST, Kind.PAGE], wp_id=wp_id).article


def snapshot() -> dict:
    """Everything an import writes, to compare two runs."""
    return {
        "articles": list(
            Article.objects.order_by("pk").values_list(
                "pk", "slug", "status", "version", "modified_at", "body_html"
            )
        ),
        "topics": list(Topic.objects.order_by("pk").values_list("pk", "name", "parent")),
        "authors": list(Author.objects.order_by("pk").values_list("pk", "name")),
        "tags": list(Tag.objects.order_by("pk").values_list("pk", "name")),
        "comments": list(Comment.objects.order_by("pk").values_list("pk", "status", "parent")),
        "items": list(ImportedItem.objects.order_by("pk").values_list("pk", "fingerprint")),
        "activity": ArticleActivity.objects.count(),
    }


def test_posts_become_articles_with_their_state_dates_topics_tags_and_bylines(media_dir):
    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert "articles (from posts): 11 imported, 0 updated, 0 unchanged" in out
    assert "draft articles (from pages): 1 imported" in out
    lead = article_of(100)
    assert lead.title == "Tanker routes shift south"
    assert lead.slug == "tanker-routes-shift"
    assert lead.status == Status.PUBLISHED
    assert lead.publish_at == datetime(2024, 3, 14, 8, 30, tzinfo=UTC)
    assert lead.standfirst == "The western shore's ports are busier than ever."
    assert lead.primary_topic.name == "Shipping"
    assert [t.name for t in lead.topics.all()] == ["Energy"]
    assert sorted(lead.tags.names()) == ["ports", "sanctions"]
    assert [b.author.name for b in lead.bylines.all()] == ["Mara Voss"]
    assert lead in Article.objects.live()
    # Derived data is there, as for an article saved in the admin.
    assert '<h2 id="where-the-ships-go">Where the ships go</h2>' in lead.body_html
    assert lead.toc == [{"id": "where-the-ships-go", "title": "Where the ships go"}]
    assert lead.word_count > 40
    assert ArticleActivity.objects.filter(article=lead, action="import").exists()

    cyrillic = article_of(101)
    assert cyrillic.slug == "каспийский-маршрут"
    assert list(cyrillic.tags.names()) == ["Каспий"]
    assert cyrillic.comments_enabled is False
    assert [b.author.name for b in cyrillic.bylines.all()] == ["Teodor Lind"]


def test_each_wordpress_status_maps_to_a_dossier_state(media_dir, frozen_now):
    run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert article_of(102).status == Status.DRAFT  # draft
    assert article_of(102).slug == "notes-on-the-ferry-timetable"  # no slug yet: from the title
    assert article_of(103).status == Status.IN_REVIEW  # pending
    scheduled = article_of(104)  # future
    assert scheduled.status == Status.PUBLISHED and scheduled.is_scheduled
    assert scheduled not in Article.objects.live()
    assert article_of(105).status == Status.UNPUBLISHED  # private
    trashed = article_of(106)  # trash, published before
    assert trashed.deleted_at == datetime.fromtimestamp(1706000000, UTC)
    assert trashed.slug == "retracted-figure"
    assert trashed not in Article.objects.live()
    page = article_of(120)
    assert page.status == Status.DRAFT
    live = set(Article.objects.live().values_list("pk", flat=True))
    assert live == {article_of(i).pk for i in (100, 101, 107, 108)}


def test_categories_become_topics_one_level_deep(media_dir):
    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    topics = {t.name: t for t in Topic.objects.select_related("parent")}
    assert topics["Energy"].parent is None
    assert topics["Energy"].description == "Oil, gas and the routes they take."
    assert topics["Pipelines"].parent == topics["Energy"]
    # Energy › Pipelines › Southern Corridor in WordPress: Dossier's subtopics go one level.
    assert topics["Southern Corridor"].parent == topics["Energy"]
    assert "“Southern Corridor”: nested more than one level deep" in out
    assert article_of(101).primary_topic == topics["Southern Corridor"]
    # A post with no category at all goes to WordPress's own default.
    assert article_of(109).primary_topic == topics["Uncategorized"]


def test_comments_keep_their_moderation_state_and_threads(media_dir):
    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    comments = {c.name + ":" + c.body[:10]: c for c in Comment.objects.all()}
    first = comments["Ilya from Aktau:The queue "]
    assert first.status == CommentStatus.APPROVED
    assert first.created_at == datetime(2024, 3, 15, 9, 0, tzinfo=UTC)
    assert str(first.ip_address) == "192.0.2.10"
    reply = comments["Mara Voss:Thanks, Il"]
    assert reply.parent == first and reply.status == CommentStatus.APPROVED
    assert reply.ip_address is None  # "not-an-address" in the export
    # A reply to a reply joins the thread (Dossier has one level of replies).
    assert comments["Ilya from Aktau:A reply to"].parent == first
    pending = comments["Nadia:Waiting fo"]
    assert pending.status == CommentStatus.PENDING and pending.email == ""
    assert "script" not in pending.body
    assert comments["Cheap Pills:Buy now at"].status == CommentStatus.SPAM
    assert Comment.objects.count() == 5
    assert "1 pingback(s) or trackback(s)" in out


def test_attachments_come_only_from_the_media_folder(media_dir):
    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    lead = article_of(100)
    assert lead.featured_image.name == "wordpress/2024/03/tanker.png"
    assert default_storage.exists(lead.featured_image.name)
    assert lead.featured_image_alt == "A tanker moored at the port of Aktau"
    assert lead.featured_image_renditions["widths"]  # made, as for an upload
    # In the media library, like an editor's upload, and shown there as used by the article.
    assert lead.featured_library_image.file.name == "wordpress/2024/03/tanker.png"
    assert lead.featured_library_image.alt == "A tanker moored at the port of Aktau"
    assert list(lead.featured_library_image.featured_in.all()) == [lead]
    # The resized copy WordPress put in the body is the imported original.
    assert f'src="{default_storage.url("wordpress/2024/03/tanker.png")}"' in lead.body_html
    assert "cranes.jpg" not in lead.body_html
    assert "2024/03/cranes.jpg is not in" in out
    assert (
        "The image https://caspian-notes.example/wp-content/uploads/2024/03/cranes.jpg "
        "was left out" in out
    )
    # ../ in the export never reaches a file outside the folder, though one is there.
    assert "Attachment 12" in out
    assert ImportedItem.objects.filter(kind=Kind.ATTACHMENT).count() == 1


def test_without_a_media_folder_attachments_are_skipped_with_a_reason():
    out, _ = run_import(str(FIXTURE))

    assert "images are copied only from a local folder" in out
    assert not article_of(100).featured_image
    assert article_of(100).status == Status.PUBLISHED


def test_hostile_markup_and_odd_items_are_reported(media_dir):
    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert article_of(108).slug == "tanker-routes-shift-2"
    assert "its address “tanker-routes-shift” was taken" in out
    untitled = article_of(109)
    assert untitled.title == "Untitled (WordPress post 109)"
    assert untitled.status == Status.DRAFT
    assert "its date “2024-13-45 99:99:99” is not a date" in out
    anonymous = article_of(110)
    assert anonymous.status == Status.DRAFT and not anonymous.bylines.exists()
    assert "Dossier publishes nothing without a byline" in out
    assert "A <script> element was left out." in out
    assert "“nav_menu_item”" in out and "auto-draft" in out
    assert not ImportedItem.objects.filter(wp_id__in=[130, 131]).exists()


def test_a_second_run_changes_nothing(media_dir):
    run_import(str(FIXTURE), "--media-dir", str(media_dir))
    before = snapshot()

    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert snapshot() == before
    assert "articles (from posts): 0 imported, 0 updated, 11 unchanged" in out
    assert "comments: 0 imported, 0 updated, 5 unchanged" in out


def test_a_dry_run_writes_nothing_and_reports_what_it_would_do(media_dir, settings):
    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir), "--dry-run")

    assert out.startswith("Dry run: nothing was saved.")
    assert "articles (from posts): 11 imported" in out
    assert not Article.objects.exists()
    assert not Topic.objects.exists() and not Author.objects.exists()
    assert not ImportedItem.objects.exists() and not Comment.objects.exists()
    assert not (settings.MEDIA_ROOT / "wordpress").exists()


def test_an_interrupted_run_continues_where_it_stopped(media_dir, monkeypatch):
    write = importer._Importer._write
    calls = []

    def interrupted(self, plan, *, article):
        calls.append(plan.title)
        if len(calls) == 4:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the fourth article
        return write(self, plan, article=article)

    monkeypatch.setattr(importer._Importer, "_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_import(str(FIXTURE), "--media-dir", str(media_dir))
    assert Article.objects.count() == 3
    monkeypatch.setattr(importer._Importer, "_write", write)

    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert "articles (from posts): 8 imported, 0 updated, 3 unchanged" in out
    assert Article.objects.count() == 12
    assert ImportedItem.objects.filter(kind=Kind.POST).count() == 11
    assert Comment.objects.count() == 5


def test_a_post_changed_in_wordpress_is_updated_unless_an_editor_changed_it(media_dir, tmp_path):
    run_import(str(FIXTURE), "--media-dir", str(media_dir))
    edited = article_of(103)
    edited.title = "Port fees, edited in Dossier"
    edited.save()
    changed = tmp_path / "changed.xml"
    changed.write_text(
        FIXTURE.read_text()
        .replace("Fees at five ports, side by side.", "Fees at six ports.")
        .replace("<p>Opening day.</p>", "<p>Opening day, moved.</p>")
    )

    out, _ = run_import(str(changed), "--media-dir", str(media_dir))

    assert "articles (from posts): 0 imported, 1 updated, 9 unchanged" in out
    assert "Opening day, moved." in article_of(104).body
    kept = article_of(103)
    assert kept.title == "Port fees, edited in Dossier"
    assert "Fees at five ports" in kept.body
    assert "the Dossier version was kept" in out


def test_an_article_deleted_after_import_is_not_imported_again(media_dir):
    run_import(str(FIXTURE), "--media-dir", str(media_dir))
    article_of(102).delete()

    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert "deleted in Dossier after an earlier import" in out
    assert Article.objects.count() == 11


def test_existing_topics_authors_and_slugs_are_respected(media_dir):
    shipping = TopicFactory(name="Shipping", slug="sea-freight")
    mara = AuthorFactory(name="Mara Voss", slug="mara")
    ArticleFactory(slug="hostile-markup", title="Already here")

    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert article_of(100).primary_topic == shipping
    assert [b.author for b in article_of(100).bylines.all()] == [mara]
    assert article_of(107).slug == "hostile-markup-2"
    assert Article.objects.get(slug="hostile-markup").title == "Already here"
    assert "matched the Dossier topic of that name" in out


def test_progress_is_written_to_stderr(media_dir):
    _, err = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert "[##############################] 16/16 items" in err


def test_the_default_topic_option_names_an_existing_topic(media_dir):
    home = TopicFactory(slug="general")

    run_import(str(FIXTURE), "--default-topic", "general")

    assert article_of(109).primary_topic == home
    with pytest.raises(CommandError, match="no topic has that slug"):
        run_import(str(FIXTURE), "--default-topic", "nowhere")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/export.xml"], "no such file"),
        ([str(FIXTURE), "--media-dir", "/no/such/folder"], "no such folder"),
        ([str(FIXTURE), "--user", "nobody"], "no such user"),
    ],
)
def test_bad_arguments_give_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        run_import(*args)
    assert not Article.objects.exists()


def test_images_found_on_a_later_run_are_added_to_their_articles(media_dir):
    run_import(str(FIXTURE))
    assert not article_of(100).featured_image

    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert "images (from attachments): 1 imported" in out
    assert "articles (from posts): 0 imported, 1 updated, 10 unchanged" in out
    lead = article_of(100)
    assert lead.featured_image.name == "wordpress/2024/03/tanker.png"
    assert default_storage.url("wordpress/2024/03/tanker.png") in lead.body_html


def test_a_post_that_fails_is_reported_and_the_others_are_imported(media_dir, monkeypatch):
    write = importer._Importer._write

    def failing(self, plan, *, article):
        if plan.title == "Port fees compared":
            raise ValueError("something unexpected")
        return write(self, plan, article=article)

    monkeypatch.setattr(importer._Importer, "_write", failing)

    out, _ = run_import(str(FIXTURE), "--media-dir", str(media_dir))

    assert "post 103 “Port fees compared”: could not be imported (ValueError: something " \
           "unexpected)." in out  # fmt: skip
    assert "articles (from posts): 10 imported" in out
    assert not ImportedItem.objects.filter(kind=Kind.POST, wp_id=103).exists()


def test_a_new_comment_in_wordpress_is_imported_without_touching_the_article(media_dir, tmp_path):
    run_import(str(FIXTURE), "--media-dir", str(media_dir))
    version = article_of(100).version
    changed = tmp_path / "changed.xml"
    changed.write_text(
        FIXTURE.read_text().replace(
            "<wp:comment>",
            "<wp:comment><wp:comment_id>9</wp:comment_id><wp:comment_author>Late</wp:comment_author>"
            "<wp:comment_content>A late comment.</wp:comment_content>"
            "<wp:comment_approved>0</wp:comment_approved></wp:comment><wp:comment>",
            1,
        )
    )

    out, _ = run_import(str(changed), "--media-dir", str(media_dir))

    assert "comments: 1 imported, 0 updated, 5 unchanged" in out
    assert "articles (from posts): 0 imported, 0 updated, 11 unchanged" in out
    assert article_of(100).version == version
    assert Comment.objects.get(name="Late").status == CommentStatus.PENDING


def test_the_user_option_names_the_importer_and_quiet_runs_show_no_progress(media_dir):
    from tests.factories import UserFactory

    editor = UserFactory(username="desk")

    _, err = run_import(str(FIXTURE), "--user", "desk", "--verbosity", "0")

    assert err == ""
    assert article_of(100).activity.get(action="import").actor == editor
    assert article_of(100).created_by == editor


def test_a_re_export_after_moving_to_https_and_www_imports_nothing_twice(media_dir, tmp_path):
    run_import(str(FIXTURE), "--media-dir", str(media_dir))
    moved = tmp_path / "moved.xml"
    moved.write_text(
        FIXTURE.read_text().replace(
            "<wp:base_site_url>https://caspian-notes.example</wp:base_site_url>",
            "<wp:base_site_url>http://www.Caspian-Notes.example/</wp:base_site_url>",
        )
    )

    out, _ = run_import(str(moved), "--media-dir", str(media_dir))

    assert "articles (from posts): 0 imported" in out
    assert Article.objects.count() == 12
