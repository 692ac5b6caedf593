from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, Byline, ExpertQuote, RelatedLink, Status, TaggedArticle
from articles.rendering import callout_kinds
from authors.models import Author, AuthorLink, Expert
from comments.models import Comment
from core.models import SlugHistory
from pages.models import Menu, MenuItem, Page, PageStatus
from tests.factories import ArticleFactory, AuthorFactory
from topics.models import Topic
from website.demo import content

# The demo's publish dates run from September to early November 2026; pin "now" after them.
DEMO_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DEMO_SLUGS = [data["slug"] for data in content.ARTICLES]
SEED_CALLOUT_KINDS = ["practical-fact", "insight", "expert-insight", "consideration"]


@pytest.fixture
def demo_now():
    with time_machine.travel(DEMO_NOW, tick=False):
        yield DEMO_NOW


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, demo_now):
    load()


@pytest.fixture
def pillar(demo) -> Article:
    return Article.objects.get(slug=content.PILLAR)


ARTICLE_FIELDS = (
    "pk", "slug", "title", "standfirst", "body_html", "toc", "word_count", "body_quote_keys",
    "body_warnings", "status", "publish_at", "updated_at", "featured", "primary_topic__slug",
    "seo_title", "meta_description",
)  # fmt: skip


def snapshot() -> dict:
    """Everything the demo writes, in a form that does not depend on recreated rows' ids."""
    models = [
        Article, Author, AuthorLink, Expert, Topic, Byline, ExpertQuote, RelatedLink, Tag,
        TaggedArticle, SlugHistory, Article.linked_articles.through, Article.topics.through,
        Comment, Page, MenuItem,
    ]  # fmt: skip
    return {
        "counts": {model._meta.label: model.objects.count() for model in models},
        "articles": list(Article.objects.order_by("slug").values(*ARTICLE_FIELDS)),
        "topics": list(
            Topic.objects.order_by("slug").values(
                "pk", "slug", "name", "description", "parent__slug", "pillar_article__slug"
            )
        ),
        "authors": list(Author.objects.order_by("slug").values()),
        "comments": sorted(
            Comment.objects.values_list("article__slug", "name", "body", "status", "from_editors")
        ),
        "experts": list(Expert.objects.order_by("slug").values()),
        "pages": list(Page.objects.order_by("slug").values("pk", "slug", "title", "body_html")),
        "menus": list(
            MenuItem.objects.values_list(
                "menu__location", "sort_order", "label", "page__slug", "topic__slug", "section"
            )
        ),
        "author_links": sorted(AuthorLink.objects.values_list("author__slug", "label", "url")),
        "bylines": sorted(
            Byline.objects.values_list("article__slug", "author__slug", "sort_order")
        ),
        "quotes": sorted(
            ExpertQuote.objects.values_list(
                "article__slug", "key", "expert__slug", "text", "context", "said_on", "sort_order"
            )
        ),
        "related": sorted(
            RelatedLink.objects.values_list(
                "from_article__slug", "to_article__slug", "lead_in", "sort_order"
            )
        ),
        "tags": sorted(TaggedArticle.objects.values_list("content_object__slug", "tag__name")),
        "linked": sorted(
            Article.linked_articles.through.objects.values_list(
                "from_article__slug", "to_article__slug"
            )
        ),
    }


@pytest.mark.django_db
def test_prints_a_summary(demo_now):
    assert load().strip() == (
        "Demo content: 5 articles, 2 authors, 3 experts, 3 topics, 4 comments, 3 site pages."
    )


@pytest.mark.django_db
def test_running_twice_gives_the_same_database(demo_now):
    load()
    first = snapshot()
    load()
    assert snapshot() == first


@pytest.mark.django_db
def test_leaves_other_content_alone(demo_now):
    other = ArticleFactory(slug="unrelated", body="Plain text.", tags=["russia", "elsewhere"])
    other_author = AuthorFactory(slug="someone-else")
    load()
    load()
    other.refresh_from_db()
    assert other.title.startswith("Article")
    assert sorted(other.tags.names()) == ["elsewhere", "russia"]
    assert Author.objects.filter(pk=other_author.pk).exists()
    assert not RelatedLink.objects.filter(from_article=other).exists()
    assert Article.objects.count() == len(DEMO_SLUGS) + 1


@pytest.mark.django_db
def test_every_demo_article_is_live_and_clean(demo):
    live = set(Article.objects.live().values_list("slug", flat=True))
    for slug in DEMO_SLUGS:
        article = Article.objects.get(slug=slug)
        assert slug in live
        assert article.status == Status.PUBLISHED
        assert len(article.toc) >= 2, slug
        assert article.toc[-1]["title"].startswith("Conclusion"), slug
        assert article.body_problems() == [], slug
        assert article.body_warnings == [], slug
        assert article.quotes.exists(), slug
        assert set(article.body_quote_keys) <= set(article.quotes.values_list("key", flat=True))
        assert article.linked_articles.exists(), slug
        assert article.bylines.exists(), slug
        assert 3 <= article.tags.count() <= 6, slug
        assert article.standfirst, slug


@pytest.mark.django_db
def test_siblings_use_callouts_and_have_a_sensible_length(demo):
    for slug in DEMO_SLUGS:
        article = Article.objects.get(slug=slug)
        kinds = {kind for kind in callout_kinds() if f"callout--{kind}" in article.body_html}
        assert len(kinds) >= 2, slug
        if slug != content.PILLAR:
            assert 700 <= article.word_count <= 1100, slug


@pytest.mark.django_db
def test_pillar(pillar):
    for kind in SEED_CALLOUT_KINDS:
        assert f"callout--{kind}" in pillar.body_html
    assert 1200 <= pillar.word_count <= 1600
    assert pillar.featured
    assert list(Article.objects.filter(featured=True)) == [pillar]
    assert pillar.was_updated
    assert Topic.objects.get(slug=content.MAIN_TOPIC).pillar_article == pillar
    siblings = {slug for slug in DEMO_SLUGS if slug != pillar.slug}
    assert set(pillar.linked_articles.values_list("slug", flat=True)) == siblings
    related = list(pillar.related_links.values_list("to_article__slug", "lead_in"))
    assert {slug for slug, _ in related} == siblings
    assert any(lead_in for _, lead_in in related)


@pytest.mark.django_db
def test_topics_authors_and_experts(demo):
    main = Topic.objects.get(slug=content.MAIN_TOPIC)
    assert main.parent is None and main.description
    assert main.subtopics.count() == 2
    for author in Author.objects.filter(slug__in=[a["slug"] for a in content.AUTHORS]):
        assert author.short_bio and author.website and author.role
        assert author.bio.count("\n\n") >= 1
        assert 1 <= author.links.count() <= 2
        assert author.articles.exists()
    assert Article.objects.filter(slug__in=DEMO_SLUGS, bylines__sort_order=1).exists()
    for expert in Expert.objects.filter(slug__in=[e["slug"] for e in content.EXPERTS]):
        assert expert.credentials and expert.bio
        assert expert.url.startswith("https://example.org/")
        assert expert.quotes.exists()


@pytest.mark.django_db
def test_site_pages_are_published_and_clean_and_both_menus_link_them(demo, client):
    slugs = {data["slug"] for data in content.PAGES}
    for page in Page.objects.filter(slug__in=slugs):
        assert page.status == PageStatus.PUBLISHED
        assert page.body_warnings == [], page.slug
        assert page.meta_description, page.slug
        assert client.get(page.get_absolute_url()).status_code == 200
    assert Page.objects.filter(slug__in=slugs).count() == 3
    about = Page.objects.get(slug="about")
    assert about.body_article_ids == [Article.objects.get(slug=content.PILLAR).pk]

    html = client.get("/").content.decode()
    header = Menu.objects.get(location="header")
    footer = Menu.objects.get(location="footer")
    assert [item.label for item in header.items.all()][-1] == "About"
    assert [item.label for item in footer.items.all()] == ["Home", "About", "Contact", "Privacy"]
    for url in ("/about/", "/contact/", "/privacy/", "/topics/russia-iran-relations/"):
        assert f'href="{url}"' in html, url


def test_every_demo_article_gets_its_own_drawn_image_with_a_description(
    db, demo_now, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    load()

    for article in Article.objects.filter(slug__in=DEMO_SLUGS):
        assert article.featured_image.name == f"demo/{article.slug}.png"
        assert (tmp_path / article.featured_image.name).exists()
        assert (article.featured_image_width, article.featured_image_height) == (1600, 1000)
        assert set(article.featured_image_renditions["widths"]) == {"480", "800", "1200", "1600"}
        assert article.featured_image_alt
        assert article.featured_image_credit == "Illustration: Dossier demo"


def test_loading_the_demo_again_reuses_its_images(db, demo_now, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load()
    before = {a.slug: a.featured_image_renditions for a in Article.objects.all()}

    load()

    assert {a.slug: a.featured_image_renditions for a in Article.objects.all()} == before
    assert len(list((tmp_path / "demo").glob("*.png"))) == len(DEMO_SLUGS)
