"""What the public site's design promises readers: cards with images, leads, the header's logo,
the footer's topics and feeds, visible feed links, /feed/, and the site's own 404 page locally.

The browser tests (tests/browser) check the same pages for layout, accessibility and weight.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from core.models import SiteSettings
from tests.articles.test_images import png
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, TopicFactory
from tests.html import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def with_image(**kwargs):
    return ArticleFactory(featured_image=png(1600, 1000), featured_image_alt="A map", **kwargs)


# --- cards and leads ---------------------------------------------------------------------------


def test_home_lead_shows_its_image_at_once_and_its_whole_standfirst(client):
    standfirst = " ".join(["word"] * 80)
    with_image(title="Lead", featured=True, standfirst=standfirst)

    lead = parse(client.get("/")).one("section", class_="home-lead")

    image = lead.one("img")
    assert image.attrs["fetchpriority"] == "high"
    assert "loading" not in image.attrs
    assert (image.attrs["width"], image.attrs["height"]) == ("1600", "1000")
    assert "480w" in lead.one("source").attrs["srcset"]
    assert lead.one("p", class_="card__standfirst").text == standfirst


def test_list_cards_load_their_image_lazily_with_its_size_and_renditions(client):
    ArticleFactory(title="Lead", featured=True)
    with_image(title="Listed")

    card = parse(client.get("/")).one("div", class_="card-list").one("article")

    image = card.one("img")
    assert image.attrs["loading"] == "lazy"
    assert (image.attrs["width"], image.attrs["height"]) == ("1600", "1000")
    assert image.attrs["alt"] == ""  # the title beside it says what the link is
    assert "1600w" in card.one("source").attrs["srcset"]


def test_a_card_without_an_image_has_no_image_slot(client):
    ArticleFactory(title="Lead", featured=True)
    ArticleFactory(title="Plain")

    card = parse(client.get("/")).one("div", class_="card-list").one("article")

    assert card.select("img") == []
    assert "card--image" not in card.classes


def test_topic_page_leads_with_its_pillar_and_image(client):
    topic = TopicFactory(slug="russia-iran")
    pillar = with_image(title="Pillar", primary_topic=topic)
    topic.pillar_article = pillar
    topic.save()

    section = parse(client.get(topic.get_absolute_url())).one("section", class_="pillar")

    assert "card--lead" in section.one("article").classes
    assert section.one("img").attrs["fetchpriority"] == "high"


def test_meta_lines_keep_their_parts_apart_for_the_stylesheets_separators(client):
    author = AuthorFactory(name="Ilse Marrow")
    article = ArticleFactory(featured=True, publish_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC))
    BylineFactory(article=article, author=author)

    meta = parse(client.get("/")).one("p", class_="card__meta")

    parts = [child for child in meta.children if not isinstance(child, str)]
    assert [part.text for part in parts][:2] == ["By Ilse Marrow", "5 Mar 2026"]
    assert all(part.tag == "span" for part in parts)


# --- header and footer -------------------------------------------------------------------------


def test_header_shows_the_logo_from_site_settings(client):
    site = SiteSettings.current()
    site.logo = png(600, 600)
    site.save()

    logo = parse(client.get("/")).one("img", class_="site-brand__logo")

    assert logo.attrs["src"] == SiteSettings.current().logo.url


def test_header_falls_back_to_the_bundled_mark_without_a_logo(client):
    logo = parse(client.get("/")).one("img", class_="site-brand__logo")

    assert logo.attrs["src"].endswith("img/favicon.svg")
    assert logo.attrs["alt"] == ""  # the site's name follows it in the same link


def test_footer_lists_the_main_topics_and_the_feeds(client):
    main = TopicFactory(name="Energy")
    TopicFactory(name="Pipelines", parent=main)

    footer = parse(client.get("/")).one("footer", class_="site-footer")

    hrefs = footer.hrefs()
    assert main.get_absolute_url() in hrefs
    assert "Pipelines" not in footer.text
    assert reverse("website:feed") in hrefs and reverse("website:feed_atom") in hrefs


def test_footer_follows_a_renamed_topic_at_once(client, commit):
    topic = TopicFactory(name="Energy")
    client.get("/")  # the list is now kept (pages/menus.py)

    topic.name = "Energy and trade"
    commit(topic.save)

    assert "Energy and trade" in parse(client.get(reverse("authors:list"))).one("footer").text


# --- feeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["home", "topic", "author"])
def test_pages_show_a_visible_follow_via_rss_link(client, page):
    topic = TopicFactory(slug="energy")
    author = AuthorFactory(slug="ilse")
    urls = {
        "home": ("/", reverse("website:feed")),
        "topic": (topic.get_absolute_url(), reverse("topics:feed", kwargs={"slug": "energy"})),
        "author": (author.get_absolute_url(), reverse("authors:feed", kwargs={"slug": "ilse"})),
    }
    url, feed = urls[page]

    links = parse(client.get(url)).one("main").select("a", class_="feed-link")

    assert [link.attrs["href"] for link in links] == [feed]
    assert "via RSS" in links[0].text


def test_feed_shortcut_redirects_for_good_to_the_site_feed(client):
    response = client.get("/feed/")

    assert response.status_code == 301
    assert response["Location"] == reverse("website:feed")


# --- the 404 page with DEBUG on ----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/no-such-page/", "/articles/no-such-article/"])
def test_with_debug_on_a_missing_page_shows_the_sites_own_404(client, url):
    with override_settings(DEBUG=True):
        response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Using the URLconf" not in response.content.decode()


def test_the_technical_404_stays_available_for_developers(client):
    with override_settings(DEBUG=True, DEBUG_TECHNICAL_404=True):
        response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Using the URLconf" in response.content.decode()
