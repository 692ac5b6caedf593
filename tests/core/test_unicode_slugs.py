"""Slugs in any script, end to end: an article, topic, author, expert or tag named in Russian or
Persian gets a readable slug in that script, its page answers at the percent-encoded address,
an old address redirects, and every place that prints the address (links, canonical, og:url,
JSON-LD, sitemap, feeds) prints it percent-encoded. The page cache stores and serves it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import resolve, reverse
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article
from authors.models import Author, Expert
from core.models import SlugHistory
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    TopicFactory,
)
from tests.html import parse
from tests.pagecache import test_wsgi
from tests.test_hostile_input import PATH_ROUTES, check
from tests.website.test_sitemaps import sitemap_problems
from topics.models import Topic

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
RU_TITLE = "Россия и Иран: северный коридор"
RU_SLUG = "россия-и-иран-северный-коридор"
FA_TITLE = "روابط ایران و روسیه"
FA_SLUG = "روابط-ایران-و-روسیه"
TAG_NAME, TAG_SLUG = "Каспий", "каспий"


def uslug(text: str) -> str:
    """What the admin's prepopulated slug (allowUnicode) and Python both derive from a title."""
    return slugify(text, allow_unicode=True)


def encoded(path: str) -> str:
    """The address as it goes over the wire: UTF-8, percent-encoded (upper-case hex)."""
    return quote(path)


@pytest.fixture
def site():
    topic = TopicFactory(name="Каспийский регион", slug=uslug("Каспийский регион"))
    author = AuthorFactory(name="مریم احمدی", slug=uslug("مریم احمدی"))
    expert = ExpertFactory(name="Анна Петрова", slug=uslug("Анна Петрова"))
    article = ArticleFactory(
        title=RU_TITLE,
        slug=uslug(RU_TITLE),
        primary_topic=topic,
        authors=[author],
        tags=[TAG_NAME],
        body="## Северный коридор\n\nТекст.\n\n[[quote:quote]]\n",
    )
    ExpertQuoteFactory(article=article, expert=expert, key="", text="Слова.")
    persian = ArticleFactory(title=FA_TITLE, slug=uslug(FA_TITLE), primary_topic=topic)
    return {
        "article": article,
        "persian": persian,
        "topic": topic,
        "author": author,
        "expert": expert,
        "tag": Tag.objects.get(name=TAG_NAME),
    }


def url_of(obj) -> str:
    if isinstance(obj, Tag):
        return reverse("articles:tag", kwargs={"slug": obj.slug})
    return obj.get_absolute_url()


KINDS = {
    "article": "/articles/",
    "persian": "/articles/",
    "topic": "/topics/",
    "author": "/authors/",
    "expert": "/experts/",
    "tag": "/tags/",
}


# --- deriving the slug -------------------------------------------------------------------


def test_russian_and_persian_titles_give_readable_slugs_in_their_script():
    assert uslug(RU_TITLE) == RU_SLUG
    assert uslug(FA_TITLE) == FA_SLUG
    # The ASCII slug of either is empty: transliterating is not an option for Persian.
    assert slugify(RU_TITLE) == slugify(FA_TITLE) == ""


@pytest.mark.parametrize("model", [Article, Topic, Author, Expert, SlugHistory, Tag])
def test_slug_fields_accept_letters_of_any_script(model):
    field = model._meta.get_field("slug")
    assert field.allow_unicode
    for slug in (RU_SLUG, FA_SLUG, "۱۴۰۳-iran"):
        assert field.formfield().clean(slug) == slug  # what the admin form checks
    for bad in ("two words", "a/b", "a.b", "a\u200cb"):
        with pytest.raises(ValidationError):
            field.formfield().clean(bad)


def test_a_tag_named_in_russian_gets_a_russian_slug():
    article = ArticleFactory()
    article.tags.add(TAG_NAME)

    assert Tag.objects.get(name=TAG_NAME).slug == TAG_SLUG


# The article's add form fills its slug with its own script, tested in
# tests/articles/test_admin_editor.py and the browser journeys.
ADMIN_ADD_PAGES = [
    "admin:topics_topic_add",
    "admin:authors_author_add",
    "admin:authors_expert_add",
    "admin:taggit_tag_add",
]


@pytest.mark.parametrize("name", ADMIN_ADD_PAGES)
def test_admin_fills_the_slug_from_the_title_keeping_its_script(superuser_client, name):
    """Django's prepopulate script (urlify.js) drops non-Latin letters unless the SlugField
    allows Unicode; the admin tells it so through data-prepopulated-fields."""
    response = superuser_client.get(reverse(name))
    assert response.status_code == 200
    script = parse(response).select("script", id="django-admin-prepopulated-fields-constants")
    fields = json.loads(script[0].attrs["data-prepopulated-fields"])

    slug = next(f for f in fields if f["id"] == "#id_slug")
    assert slug["allowUnicode"] is True


def test_an_expert_quote_key_stays_latin_when_the_experts_slug_is_not(site):
    """Quote keys are what [[quote:key]] matches (Latin letters, digits, hyphens)."""
    quote_ = site["article"].quotes.get()

    assert quote_.key == "quote"
    latin = ExpertQuoteFactory(article=site["article"], expert=ExpertFactory(slug="leyla"))
    assert latin.key == "leyla"


# --- addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_answers_at_its_percent_encoded_address(client, site, kind):
    obj = site[kind]
    url = url_of(obj)

    assert url == encoded(f"{KINDS[kind]}{obj.slug}/")
    assert url.isascii()
    assert resolve(unquote(url)).kwargs == {"slug": obj.slug}  # the resolver sees it decoded
    response = client.get(url)
    assert response.status_code == 200
    assert (obj.title if kind in ("article", "persian") else obj.name) in response.text


def test_a_page_answers_at_the_decoded_address_too(client, site):
    """Browsers show (and people paste) the decoded form; it is the same address."""
    assert client.get(f"/articles/{RU_SLUG}/").status_code == 200
    assert client.get(f"/tags/{TAG_SLUG}/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/articles/россия-и-иран/",  # no such article
        "/articles/%F0%9F%92%A9/",  # an emoji is no slug
        "/articles/a%E2%80%8Cb/",  # nor a zero-width non-joiner
        "/topics/%D8%B1.%D8%B1/",  # nor a dot
        "/tags/a%00b/",  # nor a NUL byte
    ],
)
def test_what_is_not_a_live_slug_is_a_404(client, site, path):
    assert client.get(path).status_code == 404


def test_the_article_page_links_its_tag_topic_and_author_encoded(client, site):
    page = parse(client.get(site["article"].get_absolute_url()))
    hrefs = {a.attrs.get("href") for a in page.select("a")}

    for obj in (site["tag"], site["topic"], site["author"], site["expert"]):
        assert url_of(obj) in hrefs, obj


@pytest.mark.parametrize(("model", "factory"), [
    (Article, ArticleFactory), (Topic, TopicFactory), (Author, AuthorFactory),
    (Expert, ExpertFactory),
])  # fmt: skip
def test_an_old_unicode_address_redirects_to_the_new_one(client, model, factory):
    obj = factory(slug=RU_SLUG)
    old_url = obj.get_absolute_url()
    obj.slug = FA_SLUG
    obj.save()

    assert SlugHistory.objects.for_model(model).get().slug == RU_SLUG
    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == obj.get_absolute_url()
    assert response["Location"].endswith(f"/{encoded(FA_SLUG)}/")  # percent-encoded, not raw
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("name", ["topics:feed", "topics:feed_atom", "authors:feed"])
def test_an_old_unicode_feed_address_redirects_to_the_new_feed(client, name):
    obj = (TopicFactory if name.startswith("topics") else AuthorFactory)(slug=RU_SLUG)
    obj.slug = FA_SLUG
    obj.save()

    response = client.get(reverse(name, kwargs={"slug": RU_SLUG}))

    assert response.status_code == 301
    assert response["Location"] == reverse(name, kwargs={"slug": FA_SLUG})
    assert response["Location"].isascii()


def test_an_article_link_by_unicode_slug_resolves(client, site):
    """The editor's "Link to article" writes [text](article:<slug>); markdown-it percent-encodes
    the target, so the reference is decoded before it is looked up."""
    linking = ArticleFactory(title="Links", body=f"See [the relations](article:{FA_SLUG}).")

    assert linking.body_warnings == []
    page = parse(client.get(linking.get_absolute_url()))
    assert site["persian"].get_absolute_url() in {a.attrs.get("href") for a in page.select("a")}


@pytest.mark.parametrize("target", ["%00", "a%00b", "%FF", "x%2Fy", "۱%20۲"])
def test_an_article_link_that_decodes_to_no_slug_is_a_warning(target):
    article = ArticleFactory(body=f"See [this](article:{target}).")

    assert len(article.body_warnings) == 1
    assert "points to no article" in article.body_warnings[0]
    assert "\x00" not in article.body_warnings[0]  # PostgreSQL refuses NUL in stored text


def test_a_heading_in_russian_keeps_a_readable_anchor(client, site):
    article = site["article"]

    assert article.toc == [{"id": "северный-коридор", "title": "Северный коридор"}]
    assert '<h2 id="северный-коридор">' in client.get(article.get_absolute_url()).content.decode()


# --- comments ----------------------------------------------------------------------------


def test_the_comment_and_report_forms_of_a_unicode_article_work(client, site, settings):
    from comments.guards import FormTiming
    from comments.models import Comment
    from core.models import SiteSettings

    SiteSettings.objects.update_or_create(pk=1, defaults={"comments_close_after_days": 0,
                                                          "site_name": "Dossier"})  # fmt: skip
    settings.COMMENTS = {**settings.COMMENTS, "MIN_SECONDS_TO_POST": 0}
    slug = site["article"].slug
    for name in ("comments:write", "comments:report_article"):
        url = reverse(name, kwargs={"slug": slug})
        assert url.isascii()
        assert client.get(url).status_code == 200, name

    url = reverse("comments:post", kwargs={"slug": slug})
    response = client.post(
        url, {"name": "Читатель", "body": "Спасибо.", "opened": FormTiming.issue()}
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{site['article'].get_absolute_url()}#comment-{comment.pk}"


# --- where the address is printed --------------------------------------------------------


def test_canonical_og_url_and_json_ld_hold_the_encoded_address(client, site):
    article = site["article"]
    absolute = BASE + article.get_absolute_url()
    html = client.get(article.get_absolute_url()).content.decode()
    page = parse(html)

    assert page.select("link", rel="canonical")[0].attrs["href"] == absolute
    assert page.select("meta", property="og:url")[0].attrs["content"] == absolute
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    data = {d["@type"]: d for d in map(json.loads, scripts)}
    assert data["NewsArticle"]["url"] == absolute
    assert data["NewsArticle"]["mainEntityOfPage"]["@id"] == absolute
    assert data["NewsArticle"]["author"][0]["url"] == BASE + site["author"].get_absolute_url()
    crumbs = [item["item"] for item in data["BreadcrumbList"]["itemListElement"]]
    assert crumbs[-1] == absolute
    assert BASE + site["topic"].get_absolute_url() in crumbs
    assert all(url.isascii() for url in [absolute, *crumbs])


@pytest.mark.parametrize("kind", ["topic", "author", "expert", "tag"])
def test_list_pages_give_their_encoded_address_as_canonical(client, site, kind):
    url = url_of(site[kind])
    page = parse(client.get(url))

    assert page.select("link", rel="canonical")[0].attrs["href"] == BASE + url
    assert page.select("meta", property="og:url")[0].attrs["content"] == BASE + url


@pytest.mark.parametrize("section", ["articles", "topics", "authors", "experts"])
def test_sitemap_locations_are_percent_encoded_uris(client, site, section):
    content = client.get(reverse("website:sitemap_section", kwargs={"section": section})).content

    assert sitemap_problems(content) == []
    objects = {
        "articles": [site["article"], site["persian"]],
        "topics": [site["topic"]],
        "authors": [site["author"]],
        "experts": [site["expert"]],
    }[section]
    for obj in objects:
        assert f"<loc>{BASE}{obj.get_absolute_url()}</loc>".encode() in content


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_addresses(content: bytes) -> dict[str, list[str]]:
    """Every address a feed gives: its own links and each entry's link and id."""
    root = ET.fromstring(content)
    if root.tag == "rss":
        channel = root.find("channel")
        return {
            "feed": [channel.findtext("link"), *(link.get("href") for link in
                     channel.findall(f"{ATOM}link"))],
            "links": [item.findtext("link") for item in channel.findall("item")],
            "ids": [item.findtext("guid") for item in channel.findall("item")],
        }  # fmt: skip
    return {
        "feed": [root.findtext(f"{ATOM}id"), *(link.get("href") for link in
                 root.findall(f"{ATOM}link"))],
        "links": [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")],
        "ids": [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")],
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["", "_atom"])
@pytest.mark.parametrize("owner", ["topic", "author"])
def test_feeds_give_encoded_links_and_ids(client, site, owner, kind):
    name = f"{owner}s:feed{kind}"
    feed_url = reverse(name, kwargs={"slug": site[owner].slug})
    response = client.get(feed_url)
    assert response.status_code == 200

    addresses = feed_addresses(response.content)

    articles = [site["persian"], site["article"]] if owner == "topic" else [site["article"]]
    expected = [BASE + a.get_absolute_url() for a in articles]
    assert sorted(addresses["links"]) == sorted(expected)
    assert sorted(addresses["ids"]) == sorted(expected)
    assert BASE + site[owner].get_absolute_url() in addresses["feed"]
    assert BASE + feed_url in addresses["feed"]  # rel="self"
    assert all(url.isascii() for urls in addresses.values() for url in urls)


def test_the_site_feed_gives_encoded_links(client, site):
    addresses = feed_addresses(client.get(reverse("website:feed")).content)

    assert BASE + site["article"].get_absolute_url() in addresses["links"]
    assert all(url.isascii() for urls in addresses.values() for url in urls)


# --- page cache --------------------------------------------------------------------------

# The WSGI front and the Django handler behind it, as tests/pagecache/test_wsgi.py sets them up.
front, django_app, Answer = test_wsgi.front, test_wsgi.django_app, test_wsgi.Answer


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}


@pytest.mark.usefixtures("page_cache_on")
@pytest.mark.parametrize("kind", KINDS)
def test_a_unicode_address_is_stored_and_served_from_the_page_cache(site, kind):
    url = url_of(site[kind])
    first = Client().get(url)
    assert first["X-Page-Cache"] == "miss"

    second = Client().get(url)

    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # The decoded form of the address is the same page, so the same stored copy.
    decoded = Client().get(f"{KINDS[kind]}{site[kind].slug}/")
    assert decoded["X-Page-Cache"] == "hit"


@pytest.mark.usefixtures("page_cache_on")
def test_the_wsgi_front_serves_a_unicode_address_from_the_cache(front, django_app, site):
    """A WSGI server gives PATH_INFO as the URL's UTF-8 bytes read as Latin-1."""
    url = site["article"].get_absolute_url()
    first = Answer(front, path=url)
    assert first.status == 200
    assert first.headers["X-Page-Cache"] == "miss"

    hit = Answer(front, path=url)

    assert hit.status == 200
    assert hit.headers["X-Page-Cache"] == "hit"
    assert hit.body == first.body
    assert len(django_app.seen) == 1  # the hit never reached Django


# --- hostile input -----------------------------------------------------------------------

# Strings the Unicode converter lets through to the views (letters of other scripts), or that
# sit next to them: each must give a 404, never a 500.
UNICODE_HOSTILE = {
    "cyrillic-long": "я" * 5_000,
    "persian-digits": "۱" * 30,
    "mixed-scripts": "россия-روسیه-russia_1",
    "hyphens": "-" * 300,
    "underscore": "_",
    "zwnj": "روابط\u200cایران",
    "rtl-mark": "\u200fروسیه",
    "combining": "и\u0306",  # й decomposed: a combining mark is not a word character
}


@pytest.mark.parametrize("value", UNICODE_HOSTILE.values(), ids=UNICODE_HOSTILE.keys())
def test_unicode_path_arguments_are_404s_not_500s(client, site, value):
    failures = []
    for argument, template in PATH_ROUTES.values():
        url = template.format(quote(value, safe=""))
        failures.append(check(client, "get", url))
        if argument == "slug":
            response = client.get(url)
            # 405: the comment route takes only POSTs, and says so before looking anything up.
            if response.status_code not in (404, 405):
                failures.append(f"{url[:80]}: {response.status_code}, not 404")
    assert not [f for f in failures if f], failures
