"""Query budgets: how many queries each page may make, whatever the size of the site.

Every public page and the admin's article list is requested on a small site (SMALL articles)
and again once the site has grown (LARGE articles, each with a byline of two, tags, a placed
expert quote, a curated related link, a body link, two placed library images, further topics).
A page passes when it makes the same number of queries at both sizes and no more than its
budget. Run on SQLite and PostgreSQL (the counts hold on both).

The budgets are the issue's, and live here only: other test modules import them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import preview
from articles.forms import forget_filter_choices
from articles.models import Article, KeptCard, PageParts, Status
from comments.models import Comment, CommentStatus
from pagecache.schedule import next_scheduled_change
from pages.menus import forget_menus
from tests.factories import (
    FIXED_PUBLISH_AT,
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    ImageFactory,
    PageFactory,
    RelatedLinkFactory,
    TopicFactory,
    menu_link,
    superuser,
)
from tests.routes import public_route_names
from topics.tree import forget as forget_topic_navigation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "media_in_tmp")]


@pytest.fixture(autouse=True)
def _uncached(settings):
    """Budgets are for building a page: a page served from the page cache makes no query and
    would prove nothing. (The suite's conftest turns the cache off too; this says so here.)"""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": False}


# --- the budgets (uncached: see _uncached) --------------------------------------------------
ARTICLE_PAGE_QUERY_BUDGET = 12
LIST_PAGE_QUERY_BUDGET = 10  # home, topic, author, tag and expert pages, and their indexes
FEED_QUERY_BUDGET = 4
# FEED_FULL_CONTENT=1 adds what finishing the bodies needs: their placed quotes, which linked
# articles are live and their placed library images
# (articles.models.ArticleQuerySet.with_body_references), three queries.
FULL_CONTENT_FEED_QUERY_BUDGET = FEED_QUERY_BUDGET + 3
SITEMAP_QUERY_BUDGET = 4  # a section
# The index: one aggregate query per section (articles, topics, authors, experts, site pages).
SITEMAP_INDEX_QUERY_BUDGET = 5
# A site page (pages app): the page, and which articles its body links to are live. Not in the
# issue's table; budgeted at what it makes now so that any growth shows.
SITE_PAGE_QUERY_BUDGET = 3
SEARCH_QUERY_BUDGET = 4
# The admin's article list, including the session and user its login costs. Its time at
# 100,000 articles is measured in docs/performance.md.
ADMIN_CHANGELIST_QUERY_BUDGET = 10

SMALL, LARGE = 3, 30

# Not in the issue: the reader forms of the comments app (write, reply, report) and the form
# token, budgeted at what they make now so that any growth shows.
READER_FORM_QUERY_BUDGET = 3

# The read API (api/): an article as its page shows it, and a page of any list, with or without
# filters (each filter names its object: one query to find it). Not in the table;
# budgeted at what they make now so that any growth shows.
# The article's placed library images are one query, however many (articles/selectors.py).
API_ARTICLE_QUERY_BUDGET = 9
API_LIST_QUERY_BUDGET = 6

# Public routes with no budget row, and why.
NOT_BUDGETED = {
    "api:schema": "the OpenAPI schema, generated from the code: no query at all",
    "api:docs": "Swagger UI's page, a fixed page: no query at all",
    "website:robots": "plain text built from URL names: no query at all",
    "website:feed_shortcut": "a redirect to the site feed: no query at all",
    "comments:post": "answers POSTs only: not a page",
}


class Site:
    """A site that grows: `grow_to(n)` adds articles until it holds n live ones.

    The pages measured (the first article, the topic, the author, ...) exist from the start, so
    at both sizes the same URLs are requested; only how much content is behind them changes.
    """

    def __init__(self):
        self.main = TopicFactory(slug="main", name="Main")
        self.sub = TopicFactory(slug="sub", name="Sub", parent=self.main)
        self.side = TopicFactory(slug="side", name="Side")
        self.author = AuthorFactory(slug="writer")
        self.expert = ExpertFactory(slug="expert")
        self.images = [ImageFactory(file__width=64, file__height=36) for _ in range(2)]
        self.articles: list[Article] = []
        self.first_comment: Comment | None = None
        self.draft = self._article(status=Status.DRAFT, publish_at=None, slug="draft")
        self.draft_preview_url = preview.share_preview(
            article=self.draft, by=superuser()
        ).get_absolute_url()
        # A site page linking to an article, in the menus every page shows with an article.
        self.about = PageFactory(slug="about", body="## Us\n\nSee [the draft](article:draft).")
        menu_link("header", page=self.about)
        menu_link("footer", topic=self.main)

    def grow_to(self, count: int) -> None:
        while len(self.articles) < count:
            n = len(self.articles)
            article = self._article(publish_at=FIXED_PUBLISH_AT + timedelta(days=n))
            if self.articles:
                RelatedLinkFactory(from_article=article, to_article=self.articles[-1])
            self.articles.append(article)
            # The first article's discussion grows with the site: a comment, a reply to it
            # and one held for moderation (shown to nobody) per article added.
            first = self.articles[0]
            comment = CommentFactory(article=first)
            CommentFactory(article=first, parent=comment)
            CommentFactory(article=first, status=CommentStatus.PENDING)
            self.first_comment = self.first_comment or comment
        if self.main.pillar_article_id is None:
            self.main.pillar_article = self.articles[0]
            self.main.save()

    def _article(self, **kwargs) -> Article:
        n = len(self.articles)
        previous = self.articles[-1].slug if self.articles else "nowhere"
        article = ArticleFactory(
            title=f"Corpus article {n}",
            primary_topic=self.sub if n % 2 else self.main,
            topics=[self.side] if n % 2 else [],
            authors=[self.author, AuthorFactory()],
            tags=["corpus", f"only-{n}"],
            featured=n == 0,
            body=f"## One\n\nSee [the previous one](article:{previous}).\n\n[[quote:q]]\n\n"
            + "".join(f"[[image:{image.pk} | Caption]]\n\n" for image in self.images),
            **kwargs,
        )
        ExpertQuoteFactory(article=article, expert=self.expert, key="q")
        return article


@dataclass
class Page:
    label: str
    route: str  # the URL name, to check that every public route has a budget
    url: Callable[[Site], str]
    budget: int
    admin: bool = False


def feed(name: str, **kwargs) -> Callable[[Site], str]:
    return lambda site: reverse(name, kwargs=kwargs)


PAGES = [
    Page("article", "articles:detail", lambda s: s.articles[0].get_absolute_url(),
         ARTICLE_PAGE_QUERY_BUDGET),
    Page("shared preview", "articles:preview", lambda s: s.draft_preview_url,
         ARTICLE_PAGE_QUERY_BUDGET),
    Page("home", "website:home", lambda s: reverse("website:home"), LIST_PAGE_QUERY_BUDGET),
    Page("topic", "topics:detail", lambda s: s.main.get_absolute_url(), LIST_PAGE_QUERY_BUDGET),
    Page("subtopic", "topics:detail", lambda s: s.sub.get_absolute_url(), LIST_PAGE_QUERY_BUDGET),
    Page("author", "authors:detail", lambda s: s.author.get_absolute_url(),
         LIST_PAGE_QUERY_BUDGET),
    Page("tag", "articles:tag", lambda s: reverse("articles:tag", kwargs={"slug": "corpus"}),
         LIST_PAGE_QUERY_BUDGET),
    Page("expert", "authors:expert_detail", lambda s: s.expert.get_absolute_url(),
         LIST_PAGE_QUERY_BUDGET),
    Page("topics", "topics:list", lambda s: reverse("topics:list"), LIST_PAGE_QUERY_BUDGET),
    Page("authors", "authors:list", lambda s: reverse("authors:list"), LIST_PAGE_QUERY_BUDGET),
    Page("experts", "authors:expert_list", lambda s: reverse("authors:expert_list"),
         LIST_PAGE_QUERY_BUDGET),
    Page("search", "articles:search", lambda s: reverse("articles:search") + "?q=corpus",
         SEARCH_QUERY_BUDGET),
    Page("search, filtered", "articles:search",
         lambda s: reverse("articles:search") + f"?q=corpus&topic={s.main.pk}&author={s.author.pk}",
         SEARCH_QUERY_BUDGET),
    Page("empty search", "articles:search", lambda s: reverse("articles:search"),
         SEARCH_QUERY_BUDGET),
    Page("site feed", "website:feed", feed("website:feed"), FEED_QUERY_BUDGET),
    Page("site Atom feed", "website:feed_atom", feed("website:feed_atom"), FEED_QUERY_BUDGET),
    Page("topic feed", "topics:feed", feed("topics:feed", slug="main"), FEED_QUERY_BUDGET),
    Page("topic Atom feed", "topics:feed_atom", feed("topics:feed_atom", slug="main"),
         FEED_QUERY_BUDGET),
    Page("author feed", "authors:feed", feed("authors:feed", slug="writer"), FEED_QUERY_BUDGET),
    Page("author Atom feed", "authors:feed_atom", feed("authors:feed_atom", slug="writer"),
         FEED_QUERY_BUDGET),
    Page("sitemap index", "website:sitemap", lambda s: reverse("website:sitemap"),
         SITEMAP_INDEX_QUERY_BUDGET),
    Page("sitemap pages", "website:sitemap_section",
         lambda s: reverse("website:sitemap_section", kwargs={"section": "pages"}),
         SITEMAP_QUERY_BUDGET),
    Page("site page", "pages:detail", lambda s: s.about.get_absolute_url(),
         SITE_PAGE_QUERY_BUDGET),
    Page("sitemap articles", "website:sitemap_section",
         lambda s: reverse("website:sitemap_section", kwargs={"section": "articles"}),
         SITEMAP_QUERY_BUDGET),
    Page("sitemap authors", "website:sitemap_section",
         lambda s: reverse("website:sitemap_section", kwargs={"section": "authors"}),
         SITEMAP_QUERY_BUDGET),
    Page("comment form", "comments:write",
         lambda s: reverse("comments:write", kwargs={"slug": s.articles[0].slug}),
         READER_FORM_QUERY_BUDGET),
    Page("reply form", "comments:write",
         lambda s: reverse("comments:write", kwargs={"slug": s.articles[0].slug})
         + f"?reply_to={s.first_comment.pk}",
         READER_FORM_QUERY_BUDGET),
    Page("report an article", "comments:report_article",
         lambda s: reverse("comments:report_article", kwargs={"slug": s.articles[0].slug}),
         READER_FORM_QUERY_BUDGET),
    Page("report a comment", "comments:report_comment",
         lambda s: reverse("comments:report_comment", kwargs={"pk": s.first_comment.pk}),
         READER_FORM_QUERY_BUDGET),
    Page("comment form token", "comments:form_token", lambda s: reverse("comments:form_token"),
         READER_FORM_QUERY_BUDGET),
    Page("API article", "api:article-detail",
         lambda s: reverse("api:article-detail", kwargs={"slug": s.articles[0].slug}),
         API_ARTICLE_QUERY_BUDGET),
    Page("API articles", "api:article-list", lambda s: reverse("api:article-list"),
         API_LIST_QUERY_BUDGET),
    Page("API articles, filtered", "api:article-list",
         lambda s: reverse("api:article-list")
         + "?topic=main&tag=corpus&author=writer&updated_since=2020-01-01T00:00:00Z",
         API_LIST_QUERY_BUDGET),
    Page("API search", "api:search",
         lambda s: reverse("api:search") + "?q=corpus&topic=main&author=writer",
         API_LIST_QUERY_BUDGET),
    Page("API topics", "api:topic-list", lambda s: reverse("api:topic-list"),
         API_LIST_QUERY_BUDGET),
    Page("API topic", "api:topic-detail",
         lambda s: reverse("api:topic-detail", kwargs={"slug": "main"}), API_LIST_QUERY_BUDGET),
    Page("API authors", "api:author-list", lambda s: reverse("api:author-list"),
         API_LIST_QUERY_BUDGET),
    Page("API author", "api:author-detail",
         lambda s: reverse("api:author-detail", kwargs={"slug": "writer"}),
         API_LIST_QUERY_BUDGET),
    Page("API experts", "api:expert-list", lambda s: reverse("api:expert-list"),
         API_LIST_QUERY_BUDGET),
    Page("API expert", "api:expert-detail",
         lambda s: reverse("api:expert-detail", kwargs={"slug": "expert"}),
         API_LIST_QUERY_BUDGET),
    Page("API tags", "api:tag-list", lambda s: reverse("api:tag-list"), API_LIST_QUERY_BUDGET),
    Page("API tag", "api:tag-detail",
         lambda s: reverse("api:tag-detail", kwargs={"slug": "corpus"}), API_LIST_QUERY_BUDGET),
    Page("admin article list", "admin", lambda s: reverse("admin:articles_article_changelist"),
         ADMIN_CHANGELIST_QUERY_BUDGET, admin=True),
    Page("admin article list, filtered and searched", "admin",
         lambda s: reverse("admin:articles_article_changelist")
         + f"?status__exact=published&primary_topic__id__exact={s.main.pk}&q=corpus",
         ADMIN_CHANGELIST_QUERY_BUDGET, admin=True),
]  # fmt: skip


def queries_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return [query["sql"] for query in captured.captured_queries]


FULL_CONTENT_FEEDS = [
    Page(f"{page.label}, full content", page.route, page.url, FULL_CONTENT_FEED_QUERY_BUDGET)
    for page in PAGES
    if page.route.endswith(("feed", "feed_atom"))
]


def measure(
    site: Site, public, admin, pages: list[Page] = PAGES, before_each=None
) -> dict[str, list[str]]:
    found = {}
    for page in pages:
        if before_each:
            before_each()
        found[page.label] = queries_of(admin if page.admin else public, page.url(site))
    return found


def over_budget(pages: list[Page], small, large) -> list[str]:
    report = []
    for page in pages:
        few, many = len(small[page.label]), len(large[page.label])
        if few != many or many > page.budget:
            report.append(
                f"{page.label}: {few} queries with {SMALL} articles, {many} with {LARGE} "
                f"(budget {page.budget})"
            )
    return report


@pytest.fixture
def staff_client():
    """A second client, logged in as a superuser, for the admin pages."""
    staff = Client()
    staff.force_login(superuser())
    return staff


def test_every_public_route_has_a_budget():
    budgeted = {page.route for page in PAGES if not page.admin}
    assert budgeted | set(NOT_BUDGETED) == public_route_names()


def forget_kept_renderings() -> None:
    """Article pages and cards are rendered once and kept (articles/page_parts.py). The next
    scheduled change, which kept parts end at, is read once for every page after a change to
    what is scheduled, not by each page: it is read here, as the first page would. The menus are
    kept too (pages/menus.py), but a change to an article does not touch them: their one query
    is measured by test_the_menus_cost_one_query_when_read_afresh_and_none_once_kept. The search
    form's choices are kept in each process until a topic or an author changes (growing the
    site adds authors): they are read afresh here, as after such a change."""
    forget_filter_choices()
    PageParts.objects.all().delete()
    KeptCard.objects.all().delete()
    next_scheduled_change(timezone.now())


@pytest.mark.parametrize("kept", [True, False], ids=["kept-renderings", "rendering-afresh"])
def test_no_page_makes_more_queries_as_the_site_grows(client, staff_client, kept):
    """Both ways a page is built are measured: from kept page parts and cards (every page
    viewed since its last change), and rendering and keeping them (the first view)."""
    site = Site()
    site.grow_to(SMALL)
    measure(site, client, staff_client)  # once first: per-process caches (content types) fill
    before_each = None if kept else forget_kept_renderings
    small = measure(site, client, staff_client, before_each=before_each)
    site.grow_to(LARGE)
    if kept:
        measure(site, client, staff_client)
    large = measure(site, client, staff_client, before_each=before_each)

    report = over_budget(PAGES, small, large)
    assert not report, "\n".join(report)


def test_full_content_feeds_make_no_more_queries_as_the_site_grows(client, settings):
    settings.DOSSIER = {**settings.DOSSIER, "FEED_FULL_CONTENT": True}
    site = Site()
    site.grow_to(SMALL)
    measure(site, client, None, FULL_CONTENT_FEEDS)
    small = measure(site, client, None, FULL_CONTENT_FEEDS)
    site.grow_to(LARGE)
    large = measure(site, client, None, FULL_CONTENT_FEEDS)

    assert len(FULL_CONTENT_FEEDS) == 6
    report = over_budget(FULL_CONTENT_FEEDS, small, large)
    assert not report, "\n".join(report)


def test_the_site_really_grew_between_the_two_measurements(client):
    """The pages above must list more at LARGE than at SMALL, or equal counts prove nothing."""
    site = Site()
    site.grow_to(LARGE)

    html = client.get(reverse("articles:search") + "?q=corpus").content.decode()
    assert f"{LARGE} results" in html
    assert Article.objects.live().count() == LARGE
    assert client.get(site.main.get_absolute_url() + "?page=2").status_code == 200


def test_admin_article_list_never_counts_the_whole_table(staff_client):
    """show_full_result_count is off: the list counts only the rows it shows (filtered), never
    every article, which is a full scan on every load at 100,000 rows."""
    site = Site()
    site.grow_to(SMALL)
    url = reverse("admin:articles_article_changelist")

    for suffix in ("", f"?status__exact=published&primary_topic__id__exact={site.main.pk}"):
        counts = [sql for sql in queries_of(staff_client, url + suffix) if "COUNT(" in sql]
        assert counts, "the list should still count the rows it shows"
        unfiltered = [sql for sql in counts if " WHERE " not in sql]
        assert not unfiltered, unfiltered


def test_search_learns_its_total_without_a_count_query(client):
    """The number of results comes with the page of results (COUNT(*) OVER ())."""
    Site().grow_to(SMALL)

    sqls = queries_of(client, reverse("articles:search") + "?q=corpus")

    assert not [sql for sql in sqls if "COUNT(*) AS" in sql], sqls


def test_the_api_lists_really_grew_between_the_two_measurements(client):
    """As above, for the API: its lists hold more at LARGE than at SMALL."""
    Site().grow_to(LARGE)

    articles = client.get(reverse("api:article-list") + "?tag=corpus").json()
    found = client.get(reverse("api:search") + "?q=corpus").json()
    tags = client.get(reverse("api:tag-list") + "?page_size=100").json()

    assert articles["count"] == found["count"] == LARGE
    assert tags["count"] == LARGE + 1  # "corpus" and one "only-N" each


def test_the_menus_cost_one_query_when_read_afresh_and_none_once_kept(client):
    """Every page shows the header and footer menus (pages/menus.py). After a change to a menu
    or what a menu links to they are read again, in one query whatever the site holds; the
    pages after that read them from the cache."""
    site = Site()
    site.grow_to(SMALL)
    url = reverse("topics:list")
    queries_of(client, url)
    kept = queries_of(client, url)

    forget_menus()
    afresh = queries_of(client, url)

    assert len(afresh) == len(kept) + 1
    assert "pages_menuitem" in " ".join(afresh) and "pages_menuitem" not in " ".join(kept)


def test_the_lists_of_topics_cost_one_query_when_read_afresh_and_none_once_kept(client):
    """Every page's footer lists the main topics, the home page every topic and a topic page
    its subtopics (topics/tree.py). After a change to a topic all three are read again, in one
    query whatever the site holds; the pages after that keep them."""
    site = Site()
    site.grow_to(SMALL)
    url = site.main.get_absolute_url()
    queries_of(client, url)
    kept = queries_of(client, url)

    forget_topic_navigation()
    afresh = queries_of(client, url)

    [read] = [sql for sql in afresh if sql not in kept]
    assert len(afresh) == len(kept) + 1
    assert 'FROM "topics_topic"' in read and "WHERE" not in read


@pytest.mark.parametrize(
    "url",
    [
        lambda s: "/",
        lambda s: s.main.get_absolute_url(),
        lambda s: s.articles[0].get_absolute_url(),
        lambda s: reverse("articles:search") + f"?q=corpus&topic={s.main.pk}",
        lambda s: reverse("topics:list"),
        lambda s: reverse("authors:list"),
    ],
    ids=["home", "topic", "article", "search", "topics", "authors"],
)
def test_a_page_reads_the_versions_of_all_it_keeps_once(client, monkeypatch, url):
    """What a page keeps between requests (its parts or cards, the menus, the lists of topics,
    the site's settings, the search's filter choices) is checked in one read of versions from
    the cache: each read is a round trip to Redis in production."""
    from pagecache import store

    site = Site()
    site.grow_to(SMALL)
    client.get(url(site))  # everything kept
    reads = []
    versions = store.versions
    monkeypatch.setattr(store, "versions", lambda tags: reads.append(1) or versions(tags))

    assert client.get(url(site)).status_code == 200
    assert len(reads) == 1
