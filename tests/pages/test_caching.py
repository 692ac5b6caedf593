"""Site pages and menus go through the page cache and are refreshed exactly: a page's edit
refreshes that page (and, when a menu links to it, every page), a menu's edit every page that
shows the menus, and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import PageParts
from pagecache import snapshots
from pages.menus import MENUS_TAG
from pages.models import Menu, PageStatus
from tests.factories import ImageFactory, PageFactory, menu_link
from tests.pagecache.test_store import clock, get, page_cache_on, pages, site, state, warm

pytestmark = pytest.mark.django_db

__all__ = ["clock", "page_cache_on", "site"]  # fixtures, used by name

FEEDS_AND_SITEMAPS = {"feed", "iran-feed", "arctic-feed", "sitemap"}


@pytest.fixture
def urls(site):
    PageFactory(slug="about", title="About")
    PageFactory(slug="contact", title="Contact")
    return {**pages(site), "about": "/about/", "contact": "/contact/"}


def refreshed(urls, change) -> set[str]:
    warm(*urls.values())
    change()
    return {name for name, url in urls.items() if state(url) != "hit"}


def test_a_site_page_is_cached(urls):
    warm("/about/")

    assert get("/about/")["X-Page-Cache"] == "hit"


def test_editing_a_page_refreshes_that_page_and_the_sitemaps_only(urls, commit):
    page = PageFactory._meta.model.objects.get(slug="contact")

    def edit():
        page.body = "Write to us."
        commit(page.save)

    assert refreshed(urls, edit) == {"contact", "sitemap"}
    assert "Write to us." in get("/contact/").content.decode()


def test_editing_a_menu_refreshes_every_page_that_shows_it_and_no_feed(urls, commit):
    def add_link():
        commit(menu_link, "footer", page=PageFactory._meta.model.objects.get(slug="contact"))

    assert refreshed(urls, add_link) == set(urls) - FEEDS_AND_SITEMAPS
    assert '<a href="/contact/">Contact</a>' in get(reverse("website:home")).content.decode()


def test_renaming_a_page_a_menu_links_to_refreshes_every_page(urls, commit):
    about = PageFactory._meta.model.objects.get(slug="about")
    commit(menu_link, "header", page=about)

    def rename():
        about.title = "Who we are"
        commit(about.save)

    assert refreshed(urls, rename) == set(urls) - FEEDS_AND_SITEMAPS | {"sitemap"}
    assert ">Who we are</a>" in get("/topics/").content.decode()


def test_unpublishing_a_page_in_a_menu_takes_it_out_of_every_menu(urls, commit):
    about = PageFactory._meta.model.objects.get(slug="about")
    commit(menu_link, "header", page=about)
    warm(*urls.values())

    about.status = PageStatus.DRAFT
    commit(about.save)

    assert get("/about/").status_code == 404
    assert 'href="/about/"' not in get(urls["home"]).content.decode()


def test_removing_a_menu_link_refreshes_every_page(urls, commit):
    link = Menu.objects.get(location="header").items.first()

    def remove():
        commit(link.delete)

    assert refreshed(urls, remove) == set(urls) - FEEDS_AND_SITEMAPS
    assert "All topics" not in get(urls["about"]).content.decode().split("menu--header")[1][:300]


def test_a_menu_change_leaves_kept_article_parts_current(urls, commit):
    get(urls["first"])
    parts = PageParts.objects.get(article__slug="drones")

    commit(menu_link, "footer", url="/search/", label="Search")

    assert MENUS_TAG not in parts.shows
    assert snapshots.is_current(parts.shows)


@pytest.mark.usefixtures("media_in_tmp")
def test_editing_a_library_image_refreshes_the_page_placing_it(urls, commit):
    image = ImageFactory(alt="Old words")
    page = PageFactory._meta.model.objects.get(slug="contact")
    page.body = f"[[image:{image.pk}]]"
    commit(page.save)

    def describe():
        image.alt = "New words"
        commit(image.save)

    assert refreshed(urls, describe) == {"contact"}
    assert 'alt="New words"' in get("/contact/").content.decode()


def test_each_process_keeps_the_menus_and_sees_a_change_made_elsewhere(monkeypatch):
    from django.core.cache import cache

    from pagecache import store
    from pages import menus

    Menu.objects.get(location="footer").items.create(label="Masthead", url="https://example.org/")
    menus.forget_menus()
    assert "Masthead" in [link.label for link in menus.kept_menus().links["footer"]]

    read = []
    monkeypatch.setattr(menus, "read_menus", lambda: read.append(1) or menus.KeptMenus({}, set()))
    shared_reads = []
    real_get = cache.get
    monkeypatch.setattr(
        cache,
        "get",
        lambda key, *a, **kw: shared_reads.append(key) or real_get(key, *a, **kw),
    )

    menus.kept_menus()
    assert read == [] and menus.MENUS_KEY not in shared_reads  # this process's copy

    store.bump({MENUS_TAG})  # as another host's edit does: no forget_menus() here
    menus.kept_menus()
    assert read == [1]  # stale in this process and in the shared cache: read afresh
