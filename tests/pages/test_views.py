"""Site pages and the menus, as readers and staff see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Status
from pages.models import Menu, PageStatus
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    PageFactory,
    TopicFactory,
    UserFactory,
    menu_link,
)

pytestmark = pytest.mark.django_db


def test_a_published_page_is_served_at_its_slug_with_its_seo_meta(client):
    page = PageFactory(
        title="About Dossier",
        slug="about",
        body="## Who we are\n\nA small desk.",
        seo_title="About the desk",
        meta_description="Who writes Dossier.",
    )

    response = client.get("/about/")

    html = response.content.decode()
    assert response.status_code == 200
    assert page.get_absolute_url() == "/about/"
    assert "<title>About the desk — " in html
    assert '<meta name="description" content="Who writes Dossier.">' in html
    assert '<link rel="canonical" href="http://testserver/about/">' in html
    assert '<meta property="og:title" content="About the desk">' in html
    assert '"@type": "BreadcrumbList"' in html
    assert '<h2 id="who-we-are">Who we are</h2>' in html
    assert "noindex" not in html


def test_a_page_hidden_from_search_engines_says_so(client):
    PageFactory(slug="imprint", noindex=True)

    assert (
        '<meta name="robots" content="noindex, nofollow">'
        in client.get("/imprint/").content.decode()
    )


def test_a_draft_page_is_a_404_for_readers_and_a_private_preview_for_editors(client):
    PageFactory(slug="privacy", status=PageStatus.DRAFT)

    assert client.get("/privacy/").status_code == 404

    client.force_login(UserFactory(is_staff=True, permissions=["pages.change_page"]))
    preview = client.get("/privacy/")
    assert preview.status_code == 200
    assert preview["Cache-Control"] == "private, no-store"
    assert "Preview" in preview.content.decode()


def test_an_old_slug_redirects_to_the_page(client):
    page = PageFactory(slug="about-us")
    page.slug = "about"
    page.save()

    response = client.get("/about-us/")

    assert response.status_code == 301
    assert response["Location"] == "/about/"


def test_a_non_latin_slug_works(client):
    page = PageFactory(slug="о-нас", title="О нас")

    response = client.get(page.get_absolute_url())

    assert page.get_absolute_url() == "/%D0%BE-%D0%BD%D0%B0%D1%81/"
    assert response.status_code == 200


def test_links_to_articles_show_only_while_the_article_is_live(client):
    live = ArticleFactory(slug="live", title="Live one")
    draft = ArticleFactory(slug="unready", status=Status.DRAFT, publish_at=None)
    PageFactory(slug="about", body="See [this](article:live) and [that](article:unready).")

    html = client.get("/about/").content.decode()

    assert f'<a href="{live.get_absolute_url()}">this</a>' in html
    assert draft.get_absolute_url() not in html
    assert "and that." in html


def test_every_page_shows_the_header_and_footer_menus(client):
    about = PageFactory(slug="about", title="About")
    topic = TopicFactory(name="Iran", slug="iran")
    menu_link("header", page=about)
    menu_link("footer", topic=topic, label="The Iran file")
    menu_link("footer", url="https://example.org/", label="Our parent")

    for url in ("/", "/about/", "/topics/", topic.get_absolute_url()):
        html = client.get(url).content.decode()
        assert '<ul class="menu menu--header">' in html, url
        assert '<a href="/about/"' in html, url
        assert '<a href="/topics/iran/"' in html and "The Iran file" in html, url
        assert '<a href="https://example.org/">Our parent</a>' in html, url


def test_menu_links_to_drafts_and_unpublished_articles_are_left_out(client):
    draft = PageFactory(slug="soon", title="Coming soon", status=PageStatus.DRAFT)
    unpublished = ArticleFactory(title="Not yet", status=Status.DRAFT, publish_at=None)
    live = ArticleFactory(title="Out now")
    for target in ({"page": draft}, {"article": unpublished}, {"article": live}):
        menu_link("header", **target)

    html = client.get("/").content.decode()

    assert "Coming soon" not in html and "Not yet" not in html
    assert "Out now" in html


def test_links_follow_the_order_editors_gave_them(client):
    footer = Menu.objects.get(location="footer")
    footer.items.all().delete()
    footer.items.create(section="website:home", sort_order=2)
    footer.items.create(section="authors:list", sort_order=1)

    html = client.get("/").content.decode()
    footer_html = html[html.index("menu--footer") :]

    assert footer_html.index("All authors") < footer_html.index("Home page")


def test_the_menus_are_read_once_and_kept(client, django_assert_num_queries):
    client.get("/topics/")  # reads and keeps them

    with django_assert_num_queries(0):
        from pages.menus import kept_menus

        links = kept_menus().links

    assert [link.label for link in links["header"]] == ["All topics", "All authors", "All experts"]


def test_the_sitemap_lists_published_indexable_pages_only(client):
    PageFactory(slug="about")
    PageFactory(slug="draft", status=PageStatus.DRAFT)
    PageFactory(slug="hidden", noindex=True)

    xml = client.get(reverse("website:sitemap_section", kwargs={"section": "pages"})).content
    assert b"/about/" in xml
    assert b"/draft/" not in xml and b"/hidden/" not in xml


def test_a_menu_change_shows_on_the_next_page_even_inside_one_transaction(client):
    client.get("/")  # the menus are read and kept
    footer = Menu.objects.get(location="footer")
    footer.items.create(url="https://example.org/", label="Partner", sort_order=99)

    assert "Partner" in client.get("/").content.decode()


@pytest.mark.usefixtures("media_in_tmp")
def test_a_library_image_placed_in_a_page_shows_as_in_an_article(client):
    image = ImageFactory(alt="The desk at work", credit="Photo: Dossier")
    page = PageFactory(slug="about", body=f"## Us\n\n[[image:{image.pk}]]\n")

    html = client.get("/about/").content.decode()

    assert page.body_image_ids == [image.pk]
    assert 'alt="The desk at work"' in html
    assert "Photo: Dossier" in html
