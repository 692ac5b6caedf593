"""JSON-LD and share metadata, read back the way a search engine or a social network reads it."""

import json
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import SiteSettings
from tests.factories import ArticleFactory, AuthorFactory, AuthorLinkFactory, TopicFactory

pytestmark = pytest.mark.django_db

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def jsonld(html: str) -> dict[str, dict]:
    return {data["@type"]: data for data in map(json.loads, JSONLD.findall(html))}


def meta(html: str, key: str) -> list[str]:
    pattern = rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"'
    return re.findall(pattern, html)


def png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (1200, 630), "#224488").save(buffer, format="PNG")
    return SimpleUploadedFile("share.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def article(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    main = TopicFactory(name="Russia–Iran", slug="russia-iran")
    sub = TopicFactory(name="Arms", slug="arms", parent=main)
    return ArticleFactory(
        title="Drones and money",
        slug="drones-and-money",
        standfirst="How the arms trade turned around.",
        primary_topic=sub,
        authors=[
            AuthorFactory(name="Ilse Marrow", slug="ilse", role="Staff Writer"),
            AuthorFactory(name="Darius Pen", slug="darius", role=""),
        ],
        tags=["drones", "sanctions"],
        featured_image=png(),
        featured_image_alt="A drone on a runway",
    )


def test_article_page_describes_itself_as_a_news_article_with_every_property(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    data = jsonld(html)["NewsArticle"]
    url = "http://testserver/articles/drones-and-money/"
    assert data["headline"] == "Drones and money"
    assert data["description"] == "How the arms trade turned around."
    assert data["image"][0].startswith("http://testserver/media/articles/")
    assert data["datePublished"].startswith("2026-01-15T09:00:00")
    assert data["dateModified"]
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Ilse Marrow",
            "url": "http://testserver/authors/ilse/",
            "jobTitle": "Staff Writer",
        },
        {"@type": "Person", "name": "Darius Pen", "url": "http://testserver/authors/darius/"},
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"]
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/static/img/logo")
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["articleSection"] == "Arms"
    assert sorted(data["keywords"]) == ["drones", "sanctions"]


def test_article_page_has_breadcrumb_list_from_home_to_the_article(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    items = jsonld(html)["BreadcrumbList"]["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in items] == [
        (1, "Home", "http://testserver/"),
        (2, "Russia–Iran", "http://testserver/topics/russia-iran/"),
        (3, "Arms", "http://testserver/topics/arms/"),
        (4, "Drones and money", "http://testserver/articles/drones-and-money/"),
    ]


def test_article_page_has_canonical_open_graph_and_twitter_tags(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert '<link rel="canonical" href="http://testserver/articles/drones-and-money/">' in html
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["Drones and money"]
    assert meta(html, "og:url") == ["http://testserver/articles/drones-and-money/"]
    assert meta(html, "og:image")[0].startswith("http://testserver/media/")
    assert meta(html, "og:image:alt") == ["A drone on a runway"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert sorted(meta(html, "article:tag")) == ["drones", "sanctions"]
    assert len(meta(html, "article:author")) == 2


def test_live_article_without_byline_names_the_publisher_as_its_author(client):
    # Written straight to the database, as older data: the workflow refuses to publish it.
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={"organisation_name": "Caspian Media Ltd",
                  "organisation_url": "https://caspian.example/"},
    )  # fmt: skip
    article = ArticleFactory(title="No byline")

    data = jsonld(client.get(article.get_absolute_url()).content.decode())["NewsArticle"]

    assert data["author"] == [data["publisher"]]
    assert data["author"][0]["@type"] == "Organization"
    assert data["author"][0]["name"] == "Caspian Media Ltd"
    assert data["author"][0]["url"] == "https://caspian.example/"


def test_canonical_override_is_used(client):
    article = ArticleFactory(canonical_url="https://example.org/original")

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<link rel="canonical" href="https://example.org/original">' in html


def test_author_page_describes_a_person(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    author = AuthorFactory(
        name="Ilse Marrow",
        slug="ilse",
        role="Staff Writer",
        short_bio="Covers Moscow and Tehran.",
        website="https://ilse.example.org",
        photo=png(),
    )
    AuthorLinkFactory(author=author, label="Mastodon", url="https://social.example/@ilse")

    html = client.get(author.get_absolute_url()).content.decode()

    person = jsonld(html)["Person"]
    assert person["name"] == "Ilse Marrow"
    assert person["jobTitle"] == "Staff Writer"
    assert person["description"] == "Covers Moscow and Tehran."
    assert person["url"] == "http://testserver/authors/ilse/"
    assert person["image"].startswith("http://testserver/media/authors/")
    assert person["sameAs"] == ["https://ilse.example.org", "https://social.example/@ilse"]


def test_home_page_describes_the_website_with_a_search_action(client, db):
    html = client.get("/").content.decode()

    site = jsonld(html)["WebSite"]
    assert site["url"] == "http://testserver/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term}"
    assert action["query-input"] == "required name=search_term"


def test_hostile_title_cannot_break_out_of_the_json_ld_script(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>", standfirst="a & b")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert jsonld(html)["NewsArticle"]["headline"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize(
    ("updated_at", "expected"),
    [(None, "2026-01-15T09:00:00"), ("2026-02-20T10:30:00+00:00", "2026-02-20T10:30:00")],
    ids=["never updated", "updated"],
)
def test_every_modified_date_is_the_one_readers_see(client, article, updated_at, expected):
    """JSON-LD, Open Graph and the page's "Updated" agree, and none is the row's modified_at
    (which every save moves, typo fixes included)."""
    article.updated_at = updated_at
    article.save()
    article.refresh_from_db()
    assert not article.modified_at.isoformat().startswith(expected)

    html = client.get(article.get_absolute_url()).content.decode()

    assert jsonld(html)["NewsArticle"]["dateModified"].startswith(expected)
    assert meta(html, "article:modified_time")[0].startswith(expected)
    assert (f'Updated <time datetime="{expected}' in html) is (updated_at is not None)
