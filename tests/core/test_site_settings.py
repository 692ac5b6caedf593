import json
import re

import pytest
from django.urls import reverse

from core.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_migration_seeds_one_settings_row_from_the_environment(settings):
    row = SiteSettings.objects.get()

    assert row.pk == 1
    assert row.site_name == settings.DOSSIER["SITE_NAME"]


def test_editing_site_settings_in_the_admin_renames_the_site_everywhere(admin_client, client):
    article = ArticleFactory()
    response = admin_client.post(
        reverse("admin:core_sitesettings_change", args=[1]),
        {
            "site_name": "Caspian Desk",
            "tagline": "The region, explained",
            "organisation_name": "Caspian Media Ltd",
            "organisation_url": "https://caspian.example.org",
        },
    )
    assert response.status_code == 302

    home = client.get("/").content.decode()
    page = client.get(article.get_absolute_url()).content.decode()
    feed = client.get(reverse("website:feed")).content.decode()

    assert "Caspian Desk" in home and "The region, explained" in home
    assert f"<title>{article.title} — Caspian Desk</title>" in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page)[1])
    assert ld["publisher"]["name"] == "Caspian Media Ltd"
    assert ld["publisher"]["url"] == "https://caspian.example.org"
    assert "<title>Caspian Desk</title>" in feed


def test_site_settings_cannot_be_added_twice_or_deleted(admin_client):
    assert admin_client.get(reverse("admin:core_sitesettings_add")).status_code == 403
    delete = admin_client.post(reverse("admin:core_sitesettings_delete", args=[1]), {"post": "yes"})
    assert delete.status_code == 403
    assert SiteSettings.objects.filter(pk=1).exists()


def test_pages_still_work_if_the_row_is_missing(client):
    SiteSettings.objects.all().delete()

    assert client.get("/").status_code == 200


def test_site_settings_are_read_from_the_cache_after_the_first_time(db, django_assert_num_queries):
    from core.models import SiteSettings

    SiteSettings.current()
    with django_assert_num_queries(0):
        assert SiteSettings.current().site_name


def test_saving_site_settings_is_seen_at_once(db):
    from core.models import SiteSettings

    site = SiteSettings.current()
    site.site_name = "Caspian Desk"
    site.save()

    assert SiteSettings.current().site_name == "Caspian Desk"


def test_site_settings_are_read_from_the_database_when_the_cache_is_unreachable(db, monkeypatch):
    from django.core.cache import cache

    from core.models import SiteSettings

    def unreachable(*args, **kwargs):
        raise ConnectionRefusedError("Redis is down")

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)

    assert SiteSettings.current().site_name
