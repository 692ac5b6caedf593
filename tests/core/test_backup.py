"""`manage.py backup` and `manage.py restore` (core/backup.py), and the restore drill: back up a
site, destroy its database and media, restore into the empty database, and the site serves the
same articles, revisions, comments and images. On PostgreSQL (pg_dump / pg_restore) and SQLite
(its backup API), with media on the file system and on S3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image
from reversion.models import Version

from articles import revisions
from articles.models import Article
from comments.models import Comment, CommentStatus
from core.storage import walk
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, superuser


def png(name: str = "harbour.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = BytesIO()
    Image.new("RGB", (900, 500), "#663300").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def local_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def newsroom() -> None:
    editor = superuser(username="desk")
    writer = AuthorFactory(name="Nadia Petrova", photo=png("nadia.png"), photo_alt="Nadia")
    lead = ArticleFactory(
        title="Tanker routes",
        slug="tanker-routes",
        body="## Routes\n\nShips cross the sea.",
        authors=[writer],
        featured_image=png(),
        featured_image_alt="Tankers",
    )
    revisions.record_revision(article=lead, by=editor, comment="Created")
    lead.body = "## Routes\n\nShips cross the sea, and more of them each year."
    lead.save()
    revisions.record_revision(article=lead, by=editor, comment="Edited")
    ArticleFactory(title="Ports of the north", slug="ports", authors=[writer])
    CommentFactory(article=lead, body="The northern route is shorter in winter.")
    CommentFactory(article=lead, body="Awaiting a moderator.", status=CommentStatus.PENDING)


def site_state(client) -> dict:
    """What the site holds and shows, to compare before and after."""
    articles = {
        a.slug: (a.title, a.status, a.body, a.body_html, a.featured_image.name)
        for a in Article.objects.all()
    }
    versions = sorted(
        (v.object_id, v.revision.comment, v.serialized_data)
        for v in Version.objects.select_related("revision")
    )
    comments = sorted(
        (c.article.slug, c.body, c.status) for c in Comment.objects.select_related("article")
    )
    pages = {}
    for article in Article.objects.live():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        pages[article.slug] = response.content.decode()
    media = {name: default_storage.open(name).read() for name in walk(default_storage)}
    return {
        "articles": articles,
        "versions": versions,
        "comments": comments,
        "pages": pages,
        "media": media,
    }


def destroy_database() -> None:
    """Leave the database as `createdb` makes it: no tables at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


def destroy_media() -> None:
    for name in list(walk(default_storage)):
        default_storage.delete(name)
    assert list(walk(default_storage)) == []


def drill(client, tmp_path) -> None:
    newsroom()
    before = site_state(client)
    assert "The northern route is shorter in winter." in before["pages"]["tanker-routes"]
    assert len(before["versions"]) >= 2
    assert len(before["media"]) >= 8  # two images, each with renditions

    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    destroy_database()
    destroy_media()
    call_command("restore", str(tmp_path / "backup"), verbosity=0)

    after = site_state(client)
    assert after == before


@pytest.mark.django_db(transaction=True)
def test_restore_drill_with_media_on_the_file_system(client, local_media, tmp_path):
    drill(client, tmp_path)


@pytest.mark.django_db(transaction=True)
def test_restore_drill_with_media_in_a_bucket(client, s3_media, tmp_path):
    drill(client, tmp_path)


@pytest.mark.django_db(transaction=True)
def test_backup_writes_a_manifest_of_the_database_and_every_media_file(local_media, tmp_path):
    ArticleFactory(featured_image=png(), featured_image_alt="x")

    call_command("backup", str(tmp_path / "b"), verbosity=0)

    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert (tmp_path / "b" / manifest["database"]["file"]).stat().st_size > 0
    names = [item["name"] for item in manifest["media"]["files"]]
    assert names == list(walk(default_storage))
    assert any(name.endswith("harbour.png") for name in names)
    for name in names:
        assert (tmp_path / "b" / "media" / name).read_bytes() == default_storage.open(name).read()
    assert manifest["migrations"]["articles"].startswith("0")


@pytest.mark.django_db(transaction=True)
def test_media_listing_only_copies_nothing_and_restore_says_to_skip_media(local_media, tmp_path):
    ArticleFactory(featured_image=png(), featured_image_alt="x")
    call_command("backup", str(tmp_path / "b"), "--media-listing-only", verbosity=0)
    assert not (tmp_path / "b" / "media").exists()
    destroy_database()

    with pytest.raises(CommandError, match="--skip-media"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)

    call_command("restore", str(tmp_path / "b"), "--skip-media", verbosity=0)
    assert Article.objects.count() == 1


# --- refusals: a clear CommandError, never a traceback --------------------------------------


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(local_media, tmp_path):
    ArticleFactory()
    call_command("backup", str(tmp_path / "b"), verbosity=0)

    with pytest.raises(CommandError, match=r"not empty .* fresh, empty database"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_holds_something(tmp_path):
    (tmp_path / "old.txt").write_text("keep me")

    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", str(tmp_path))
    assert (tmp_path / "old.txt").read_text() == "keep me"


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("restore", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="not a Dossier backup"):
        call_command("restore", str(tmp_path))
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(CommandError, match="not readable JSON"):
        call_command("restore", str(tmp_path))
    (tmp_path / "manifest.json").write_text('{"format": 1}')
    with pytest.raises(CommandError, match="incomplete"):
        call_command("restore", str(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup_before_touching_anything(local_media, tmp_path):
    ArticleFactory(featured_image=png(), featured_image_alt="x")
    call_command("backup", str(tmp_path / "b"), verbosity=0)
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    image = tmp_path / "b" / "media" / manifest["media"]["files"][0]["name"]
    image.write_bytes(b"changed")

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)

    (tmp_path / "b" / manifest["database"]["file"]).write_bytes(b"damaged")
    with pytest.raises(CommandError, match="backup is damaged"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_the_other_kind_of_database(local_media, tmp_path):
    call_command("backup", str(tmp_path / "b"), verbosity=0)
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest["database"]["vendor"] = other
    manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)


CHECK_RESTORED = """
import json
from django.test import Client
from reversion.models import Version
from articles.models import Article
from comments.models import Comment
from core.storage import walk
page = Client(HTTP_HOST="127.0.0.1").get("/articles/tanker-routes/")
print(json.dumps({
    "articles": sorted([a.slug, a.title, a.body_html] for a in Article.objects.all()),
    "versions": Version.objects.count(),
    "comments": sorted([c.body, c.status] for c in Comment.objects.all()),
    "page": [page.status_code, "shorter in winter" in page.content.decode()],
    "media": sorted(walk()),
}))
"""


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_new_postgresql_database_from_another_process(local_media, tmp_path):
    """As after losing the server: `createdb`, then `manage.py restore` on a host that has
    never seen the site, and that host serves it."""
    from tests.hosts import BASE_DIR, database_url

    if connection.vendor != "postgresql":
        pytest.skip(
            "createdb is PostgreSQL's; on SQLite the drills above restore into an empty one"
        )
    newsroom()
    expected = {
        "articles": sorted([a.slug, a.title, a.body_html] for a in Article.objects.all()),
        "versions": Version.objects.count(),
        "comments": sorted([c.body, c.status] for c in Comment.objects.all()),
        "page": [200, True],
        "media": sorted(walk(default_storage)),
    }
    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    fresh = f"{connection.settings_dict['NAME']}_restored"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MEDIA_STOR")},
        "REDIS_URL": "",  # the restore empties its cache: never a Redis of the developer's
        "DATABASE_URL": database_url().rsplit("/", 1)[0] + f"/{fresh}",
        "MEDIA_ROOT": str(tmp_path / "new-host-media"),
        "DEBUG": "1",
        "PAGE_CACHE": "0",
    }
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        manage = [sys.executable, str(BASE_DIR / "manage.py")]
        restored = subprocess.run(
            [*manage, "restore", str(tmp_path / "backup")],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert restored.returncode == 0, restored.stderr
        checked = subprocess.run(
            [*manage, "shell", "-c", CHECK_RESTORED],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert checked.returncode == 0, checked.stderr
        assert json.loads(checked.stdout.strip().splitlines()[-1]) == expected
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
