"""No public page leaks an article that is not live: drafts, scheduled and expired articles.

Each hidden article is tied to the live one every way the site knows (same topic and pillar
slot, same author, tags and quoted expert, featured, a curated link and an inline link from the
live article) and then every public page is searched for its title and its URL.

When a public page is added (feeds, sitemap, search), add it to ``public_urls()`` (or, for a
page that is not for the public at large, to ``NOT_IN_PUBLIC_URLS`` with the reason);
``test_public_urls_cover_every_public_route`` fails until you do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlencode

import pytest
from django.urls import resolve, reverse

from articles.models import Article, Status
from authors.models import Author, Expert
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    PageFactory,
    RelatedLinkFactory,
    TopicFactory,
    UserFactory,
    menu_link,
)
from tests.routes import public_route_names
from topics.models import Topic
from website.sitemaps import SITEMAPS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TAGS = ["shared-tag", "Иран"]

# Relative to the frozen clock, 2026-06-01 12:00 UTC.
HIDDEN = {
    "LEAK-DRAFT-XYZ": {"status": Status.DRAFT, "publish_at": datetime(2026, 5, 31, tzinfo=UTC)},
    "LEAK-FUTURE-XYZ": {"publish_at": datetime(2026, 6, 1, 12, 1, tzinfo=UTC)},
    "LEAK-EXPIRED-XYZ": {
        "publish_at": datetime(2026, 5, 31, tzinfo=UTC),
        "expire_at": datetime(2026, 6, 1, 11, 59, tzinfo=UTC),
    },
    # Published and in its window, but moved to the trash.
    "LEAK-TRASHED-XYZ": {
        "publish_at": datetime(2026, 5, 31, tzinfo=UTC),
        "deleted_at": datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
    },
}

# Named routes deliberately left out of public_urls(), with the reason.
NOT_IN_PUBLIC_URLS = {
    "articles:preview": "shows one unpublished article to holders of a signed, expiring token",
    "comments:post": "takes POSTs only; its page for GET is comments:write, covered below",
    "website:feed_shortcut": "a redirect to the site feed (website:feed), which is covered",
}


@dataclass
class Site:
    live: Article
    hidden: list[Article]
    topic: Topic
    subtopic: Topic
    author: Author
    expert: Expert


@pytest.fixture
def site() -> Site:
    topic = TopicFactory(name="Cluster", slug="cluster")
    subtopic = TopicFactory(name="Branch", slug="branch", parent=topic)
    author = AuthorFactory(name="Shared Writer", slug="shared-writer")
    expert = ExpertFactory(name="Shared Expert", slug="shared-expert")
    hidden = [
        ArticleFactory(
            title=title,
            slug=title.lower(),
            standfirst=f"Standfirst of {title}.",
            primary_topic=topic,
            topics=[subtopic],
            authors=[author],
            tags=TAGS,
            featured=True,
            **state,
        )
        for title, state in HIDDEN.items()
    ]
    for article in hidden:
        ExpertQuoteFactory(
            article=article, expert=expert, key="q", text=f"Words said in {article.title}."
        )
    inline_links = " ".join(
        f"[hidden piece {n}](article:{article.slug})" for n, article in enumerate(hidden)
    )
    live = ArticleFactory(
        title="The live article",
        slug="the-live-article",
        primary_topic=topic,
        topics=[subtopic],
        authors=[author],
        tags=TAGS,
        body=f"## One\n\nSee {inline_links}.\n\n[[quote:q]]\n\n## Two\n\nMore.",
        publish_at=datetime(2026, 5, 1, tzinfo=UTC),
    )
    ExpertQuoteFactory(article=live, expert=expert, key="q", text="Words said in the live one.")
    for n, article in enumerate(hidden):
        RelatedLinkFactory(from_article=live, to_article=article, sort_order=n)
    # The pillar slots point at hidden articles too.
    topic.pillar_article = hidden[0]
    topic.save()
    subtopic.pillar_article = hidden[1]
    subtopic.save()
    CommentFactory(article=live, body="A reader's approved comment.")
    # A site page links to them, and the header menu (on every page) lists them.
    PageFactory(slug="about", body=f"## About\n\nSee {inline_links}.")
    for article in hidden:
        menu_link("header", article=article)
    return Site(live, hidden, topic, subtopic, author, expert)


def public_urls(site: Site) -> list[str]:
    """Every public page of `site` an anonymous reader can reach. Extend it with new pages."""
    return [
        reverse("website:home"),
        reverse("topics:list"),
        site.topic.get_absolute_url(),
        site.subtopic.get_absolute_url(),
        reverse("authors:list"),
        site.author.get_absolute_url(),
        reverse("authors:expert_list"),
        site.expert.get_absolute_url(),
        *(reverse("articles:tag", kwargs={"slug": tag.slug}) for tag in site.live.tags.all()),
        site.live.get_absolute_url(),
        reverse("pages:detail", kwargs={"slug": "about"}),
        reverse("website:robots"),
        # Searches that match every hidden article's title, standfirst and slug.
        reverse("articles:search") + "?q=LEAK",
        reverse("articles:search") + "?q=xyz",
        reverse("articles:search") + f"?q=Standfirst&topic={site.topic.pk}",
        reverse("website:feed"),
        reverse("website:feed_atom"),
        reverse("topics:feed", kwargs={"slug": site.topic.slug}),
        reverse("topics:feed_atom", kwargs={"slug": site.subtopic.slug}),
        reverse("authors:feed", kwargs={"slug": site.author.slug}),
        reverse("authors:feed_atom", kwargs={"slug": site.author.slug}),
        reverse("website:sitemap"),
        *(reverse("website:sitemap_section", kwargs={"section": name}) for name in SITEMAPS),
        reverse("comments:write", kwargs={"slug": site.live.slug}),
        reverse("comments:report_article", kwargs={"slug": site.live.slug}),
        *(
            reverse("comments:report_comment", kwargs={"pk": comment.pk})
            for comment in site.live.comments.all()
        ),
        reverse("comments:form_token"),
        *api_urls(site),
    ]


def api_urls(site: Site) -> list[str]:
    """The read API: every endpoint, each filter, and searches that match the hidden ones."""
    articles, search = reverse("api:article-list"), reverse("api:search")
    tags = [tag.slug for tag in site.live.tags.all()]
    return [
        articles,
        f"{articles}?topic={site.topic.slug}",
        f"{articles}?topic={site.subtopic.slug}",
        f"{articles}?author={site.author.slug}",
        *(f"{articles}?{urlencode({'tag': tag})}" for tag in tags),
        f"{articles}?updated_since=2000-01-01T00:00:00Z",
        reverse("api:article-detail", kwargs={"slug": site.live.slug}),
        f"{search}?q=LEAK",
        f"{search}?q=xyz",
        f"{search}?q=Standfirst&topic={site.topic.slug}&author={site.author.slug}",
        reverse("api:topic-list"),
        reverse("api:topic-detail", kwargs={"slug": site.topic.slug}),
        reverse("api:topic-detail", kwargs={"slug": site.subtopic.slug}),
        reverse("api:author-list"),
        reverse("api:author-detail", kwargs={"slug": site.author.slug}),
        reverse("api:expert-list"),
        reverse("api:expert-detail", kwargs={"slug": site.expert.slug}),
        reverse("api:tag-list"),
        *(reverse("api:tag-detail", kwargs={"slug": tag}) for tag in tags),
        reverse("api:schema"),
        reverse("api:docs"),
    ]


def test_public_urls_cover_every_public_route(site):
    covered = {resolve(unquote(url.split("?")[0])).view_name for url in public_urls(site)}

    assert covered == public_route_names() - NOT_IN_PUBLIC_URLS.keys()
    assert not covered & NOT_IN_PUBLIC_URLS.keys()


def assert_no_leak(response, hidden: list[Article], url: str) -> None:
    content = response.content.decode()
    for article in hidden:
        assert article.title not in content, f"{article.title} leaks on {url}"
        assert article.get_absolute_url() not in content, f"{article.title}'s URL leaks on {url}"


@pytest.fixture(params=["anonymous", "member", "staff-without-permission"])
def reader(request, client):
    """A visitor without preview rights."""
    if request.param == "member":
        client.force_login(UserFactory())
    elif request.param == "staff-without-permission":
        client.force_login(UserFactory(is_staff=True))
    return client


def test_no_public_page_shows_an_article_that_is_not_live(reader, site):
    for url in public_urls(site):
        response = reader.get(url)
        assert response.status_code == 200, url
        assert_no_leak(response, site.hidden, url)


def test_the_live_article_is_shown_where_the_hidden_ones_would_be(client, site):
    """The control: the pages above really list the shared topic, author, tags and expert."""
    listing_pages = [
        reverse("website:home"),
        site.topic.get_absolute_url(),
        site.subtopic.get_absolute_url(),
        site.author.get_absolute_url(),
        site.expert.get_absolute_url(),
        *(reverse("articles:tag", kwargs={"slug": tag.slug}) for tag in site.live.tags.all()),
    ]
    for url in listing_pages:
        content = client.get(url).content.decode()
        assert "The live article" in content, url
        assert site.live.get_absolute_url() in content, url
    article_page = client.get(site.live.get_absolute_url()).content.decode()
    assert "Words said in the live one." in article_page
    for n in range(len(site.hidden)):
        assert f"hidden piece {n}" in article_page  # shown as plain text


def test_an_invalid_preview_token_shows_nothing_hidden(reader, site):
    url = reverse("articles:preview", kwargs={"token": "not-a-valid-token"})

    response = reader.get(url)

    assert response.status_code == 400
    assert_no_leak(response, site.hidden, url)


def test_hidden_articles_are_404_for_readers(reader, site):
    for article in site.hidden:
        assert reader.get(article.get_absolute_url()).status_code == 404, article.title


def test_hidden_articles_are_404_in_the_api(reader, site):
    for article in site.hidden:
        url = reverse("api:article-detail", kwargs={"slug": article.slug})
        response = reader.get(url)
        assert response.status_code == 404, article.title
        assert_no_leak(response, site.hidden, url)


def test_the_live_article_is_in_the_api_where_the_hidden_ones_would_be(client, site):
    """The control for the API: its lists, filters and search really show the live one."""
    articles = reverse("api:article-list")
    for url in [articles, f"{articles}?topic={site.topic.slug}",
                f"{articles}?author={site.author.slug}",
                reverse("api:search") + "?q=live"]:  # fmt: skip
        assert [a["slug"] for a in client.get(url).json()["results"]] == [site.live.slug], url
    body = client.get(reverse("api:article-detail", kwargs={"slug": site.live.slug})).json()
    assert "Words said in the live one." in body["body_html"]
    assert [quote["key"] for quote in body["quotes"]] == ["q"]
    assert all(f"hidden piece {n}" in body["body_html"] for n in range(len(site.hidden)))
    assert body["related"] == []  # the curated links all point at hidden articles
    tags = {tag["name"] for tag in client.get(reverse("api:tag-list")).json()["results"]}
    assert tags == set(TAGS)


def test_hidden_articles_are_404_under_an_old_slug_too(client, site):
    for article in site.hidden:
        old = article.get_absolute_url()
        article.slug = f"{article.slug}-renamed"
        article.save()
        assert client.get(old).status_code == 404, article.title


def test_staff_with_view_permission_can_preview_the_hidden_articles(client, staff_viewer, site):
    client.force_login(staff_viewer)

    for article in site.hidden:
        response = client.get(article.get_absolute_url())
        if article.deleted_at is not None:
            assert response.status_code == 404, f"staff open {article.title} from the trash"
        else:
            assert response.status_code == 200, article.title
            assert "Preview" in response.content.decode()
