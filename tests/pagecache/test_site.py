"""The site's settings as pages show them (pagecache/site.py): kept in the process, checked in the
page's one read of versions, read again after a change."""

from __future__ import annotations

import pytest

from core.models import SiteSettings
from pagecache import site

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(monkeypatch):
    """Every read of the settings from the shared cache or the database."""
    found = []
    current = SiteSettings.current
    monkeypatch.setattr(SiteSettings, "current", lambda: found.append(1) or current())
    site.forget()
    return found


def test_pages_read_the_settings_once_and_then_keep_them(client, reads):
    first = client.get("/")
    client.get("/")
    client.get("/topics/")

    assert first.status_code == 200
    assert len(reads) == 1


def test_a_change_is_shown_on_the_next_page(client, reads, commit):
    client.get("/")
    settings = SiteSettings.current()
    settings.site_name = "Caspian Desk"
    commit(settings.save)

    assert "<title>Caspian Desk — " in client.get("/").content.decode()


def test_another_process_change_is_seen_by_its_version(client, reads):
    """Another host's save moves SITE_TAG's version; this process's copy has no forget()."""
    from pagecache import SITE_TAG, store

    client.get("/")
    SiteSettings.objects.filter(pk=1).update(site_name="Caspian Desk")
    SiteSettings.forget_cached()  # the shared copy, as the other host's save does
    store.bump({SITE_TAG})

    assert "<title>Caspian Desk — " in client.get("/").content.decode()
    assert len(reads) == 2
