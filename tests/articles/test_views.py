"""The public article page (every element of the seed page, preview, query budget) and tag page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import PageParts, Status
from tests.factories import (
    FIXED_PUBLISH_AT,
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    RelatedLinkFactory,
    TopicFactory,
)
from tests.html import parse
from tests.test_query_budgets import ARTICLE_PAGE_QUERY_BUDGET

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

CALLOUT_KINDS = list(settings.DOSSIER["CALLOUT_KINDS"].items())

SEED_BODY = """The opening paragraph sets out the argument and why it matters now.

# A stray top-level heading

## Shared ambitions

Moscow and Tehran both want *less* American influence in the region.
For the longer story, read [the drones piece](article:drones-missiles-money), and compare
[the unfinished piece](article:secret-draft).

[[quote:leila-farahani]]

## Where they part ways

{callouts}

## Conclusion

A pragmatic alignment, not an alliance.
""".format(
    callouts="\n\n".join(
        f"::: {kind}\nA box of kind {kind}.\n:::" for kind, _label in CALLOUT_KINDS
    )
)


@pytest.fixture
def seed():
    """The seed page: an article on a subtopic with two authors, a quote, links and tags."""
    main = TopicFactory(name="Russia–Iran", slug="russia-iran")
    sub = TopicFactory(name="Arms trade", slug="arms-trade", parent=main)
    elsewhere = TopicFactory(name="Elsewhere", slug="elsewhere")
    sarah = AuthorFactory(
        name="Sarah Khan",
        slug="sarah-khan",
        role="Staff Writer & Russia–Iran Specialist",
        short_bio="Sarah covers the Caspian region.",
    )
    tomas = AuthorFactory(
        name="Tomás Ruiz", slug="tomas-ruiz", role="Contributor", short_bio="Tomás edits."
    )
    leila = ExpertFactory(
        name="Leila Farahani",
        slug="leila-farahani",
        credentials="Senior Fellow, Caspian Policy Institute",
    )
    drones = ArticleFactory(
        title="Drones, missiles and money",
        slug="drones-missiles-money",
        primary_topic=main,
        tags=["drones"],
        publish_at=FIXED_PUBLISH_AT - timedelta(days=3),
    )
    secret = ArticleFactory(
        title="Secret unfinished draft",
        slug="secret-draft",
        primary_topic=sub,
        tags=["sanctions", "drones"],
        status=Status.DRAFT,
        publish_at=None,
    )
    first_read = ArticleFactory(title="First read", slug="first-read", primary_topic=elsewhere)
    second_read = ArticleFactory(title="Second read", slug="second-read", primary_topic=elsewhere)
    arms_deals = ArticleFactory(
        title="Arms deals", slug="arms-deals", primary_topic=sub, publish_at=FIXED_PUBLISH_AT
    )
    ArticleFactory(title="Unrelated piece", slug="unrelated", primary_topic=elsewhere)
    article = ArticleFactory(
        title="Russia and Iran: the uneasy partnership",
        slug="uneasy-partnership",
        standfirst="Why the two need each other, and where they do not.",
        primary_topic=sub,
        authors=[sarah, tomas],
        tags=["sanctions", "drones"],
        body=SEED_BODY,
        publish_at=FIXED_PUBLISH_AT,
        updated_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
    )
    ExpertQuoteFactory(
        article=article, expert=leila, text="They need each other more than they admit."
    )
    # Created in the opposite order to the one readers see.
    RelatedLinkFactory(
        from_article=article, to_article=second_read, lead_in="Then turn to", sort_order=1
    )
    RelatedLinkFactory(
        from_article=article, to_article=first_read, lead_in="For a deeper dive, read", sort_order=0
    )
    RelatedLinkFactory(from_article=article, to_article=secret, lead_in="Not yet", sort_order=2)
    return {
        "article": article,
        "main": main,
        "sub": sub,
        "sarah": sarah,
        "tomas": tomas,
        "leila": leila,
        "drones": drones,
        "secret": secret,
        "arms_deals": arms_deals,
    }


@pytest.fixture
def seed_page(client, seed):
    response = client.get(seed["article"].get_absolute_url())
    assert response.status_code == 200
    return response


def page_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response


# --- every element of the seed page ---------------------------------------------------------


def test_article_page_has_back_to_home_link(seed_page):
    back = parse(seed_page).one("p", class_="back-link")
    assert back.links() == [("/", "← Back to Home")]


def test_breadcrumbs_run_home_parent_topic_subtopic_article(seed_page):
    crumbs = parse(seed_page).one("nav", class_="breadcrumbs")
    assert crumbs.attrs["aria-label"] == "Breadcrumb"
    assert crumbs.links() == [
        ("/", "Home"),
        ("/topics/russia-iran/", "Russia–Iran"),
        ("/topics/arms-trade/", "Arms trade"),
    ]
    items = crumbs.select("li")
    assert [li.text for li in items][-1] == "Russia and Iran: the uneasy partnership"
    current = crumbs.select(aria_current="page")
    assert len(current) == 1
    assert current[0].text == "Russia and Iran: the uneasy partnership"
    assert current[0] in items[-1].iter()


def test_breadcrumbs_of_an_article_in_a_main_topic_skip_the_parent(client):
    article = ArticleFactory(title="Overview", primary_topic=TopicFactory(name="Main", slug="main"))

    crumbs = parse(page_of(client, article)).one("nav", class_="breadcrumbs")

    assert crumbs.links() == [("/", "Home"), ("/topics/main/", "Main")]
    assert crumbs.one(aria_current="page").text == "Overview"


def test_article_page_has_exactly_one_h1_the_title(seed_page):
    content = seed_page.content.decode()
    assert content.count("<h1") == 1
    assert parse(content).one("h1").text == "Russia and Iran: the uneasy partnership"


def test_article_page_shows_the_standfirst(seed_page):
    standfirst = parse(seed_page).one("p", class_="article__standfirst")
    assert standfirst.text == "Why the two need each other, and where they do not."


def test_byline_lists_every_author_in_order_linking_their_pages(seed_page):
    byline = parse(seed_page).one("span", class_="article__byline")
    assert byline.links() == [
        ("/authors/sarah-khan/", "Sarah Khan"),
        ("/authors/tomas-ruiz/", "Tomás Ruiz"),
    ]
    assert byline.text == "By Sarah Khan and Tomás Ruiz"


def test_byline_of_three_authors_reads_as_a_list(client):
    names = ["Ann Lee", "Bo Chen", "Cy Diaz"]
    article = ArticleFactory(authors=[AuthorFactory(name=name) for name in names])

    byline = parse(page_of(client, article)).one("span", class_="article__byline")

    assert byline.text == "By Ann Lee, Bo Chen and Cy Diaz"
    assert [text for _href, text in byline.links()] == names


def test_article_page_shows_the_published_date(seed_page):
    meta = parse(seed_page).one("p", class_="article__meta")
    published = meta.select("time")[0]
    assert published.attrs["datetime"] == "2026-01-15T09:00:00+00:00"
    assert "Published 15 January 2026" in meta.text


def test_updated_date_shown_when_updated_after_publishing(seed_page):
    meta = parse(seed_page).one("p", class_="article__meta")
    assert "Updated 2 March 2026" in meta.text
    assert meta.select("time")[1].attrs["datetime"] == "2026-03-02T10:00:00+00:00"


@pytest.mark.parametrize(
    "updated_at",
    [None, FIXED_PUBLISH_AT, FIXED_PUBLISH_AT - timedelta(days=1)],
    ids=["never", "at-publish-time", "before-publishing"],
)
def test_updated_date_hidden_unless_later_than_publishing(client, updated_at):
    article = ArticleFactory(updated_at=updated_at)

    meta = parse(page_of(client, article)).one("p", class_="article__meta")

    assert "Updated" not in meta.text
    assert len(meta.select("time")) == 1


def test_reading_time_is_shown(seed_page, seed):
    meta = parse(seed_page).one("p", class_="article__meta")
    assert f"{seed['article'].reading_minutes} min read" in meta.text


@pytest.mark.parametrize(("words", "minutes"), [(1, 1), (230, 1), (231, 2), (461, 3)])
def test_reading_time_rounds_up_whole_minutes(client, words, minutes):
    article = ArticleFactory(body=" ".join(["word"] * words))

    meta = parse(page_of(client, article)).one("p", class_="article__meta")

    assert f"{minutes} min read" in meta.text


def test_table_of_contents_links_every_section_to_an_anchor_in_the_body(seed_page):
    page = parse(seed_page)
    toc = page.one("nav", class_="toc")
    body = page.one("div", class_="article__body")
    hrefs = toc.hrefs()
    assert [text for _href, text in toc.links()] == [
        "A stray top-level heading",
        "Shared ambitions",
        "Where they part ways",
        "Conclusion",
    ]
    ids_in_body = {node.attrs["id"] for node in body.select(id=True)}
    assert hrefs
    for href in hrefs:
        assert href.startswith("#")
        assert href[1:] in ids_in_body, href


def test_table_of_contents_needs_two_sections(client):
    one_section = ArticleFactory(body="Intro.\n\n## Only section\n\nText.")
    two_sections = ArticleFactory(body="## One\n\nText.\n\n## Two\n\nText.")

    assert not parse(page_of(client, one_section)).select("nav", class_="toc")
    assert parse(page_of(client, two_sections)).select("nav", class_="toc")


@pytest.mark.parametrize(("kind", "label"), CALLOUT_KINDS, ids=[k for k, _ in CALLOUT_KINDS])
def test_each_callout_kind_renders_with_its_label(seed_page, kind, label):
    callout = parse(seed_page).one("aside", class_=f"callout--{kind}")
    assert "callout" in callout.classes
    assert callout.attrs["role"] == "note"
    assert callout.attrs["aria-label"] == label
    assert callout.one("p", class_="callout__label").text == label
    assert f"A box of kind {kind}." in callout.text


def test_placed_expert_quote_shows_text_linked_name_and_credentials(seed_page):
    quote = parse(seed_page).one("figure", class_="expert-quote")
    assert quote.one("blockquote").text == "They need each other more than they admit."
    assert quote.select("a", class_="expert-quote__name")[0].attrs["href"] == (
        "/experts/leila-farahani/"
    )
    assert quote.select("a", class_="expert-quote__name")[0].text == "Leila Farahani"
    assert (
        quote.one("span", class_="expert-quote__credentials").text
        == "Senior Fellow, Caspian Policy Institute"
    )


def test_unplaced_quote_is_not_shown(client):
    article = ArticleFactory(body="No quote placed here.")
    ExpertQuoteFactory(article=article, text="Words nobody placed.")

    assert "Words nobody placed." not in page_of(client, article).content.decode()


def test_inline_link_to_live_article_is_a_link(seed_page):
    body = parse(seed_page).one("div", class_="article__body")
    assert ("/articles/drones-missiles-money/", "the drones piece") in body.links()


def test_inline_link_to_draft_article_is_plain_text(seed_page):
    content = seed_page.content.decode()
    body = parse(content).one("div", class_="article__body")
    assert "the unfinished piece" in body.text
    assert "the unfinished piece" not in [text for _href, text in body.links()]
    assert "/articles/secret-draft/" not in content
    assert "Secret unfinished draft" not in content


def test_related_reading_lists_curated_links_in_order_then_suggestions(seed_page):
    related = parse(seed_page).one("section", class_="related")
    items = related.select("li")
    assert [li.links()[0] for li in items] == [
        ("/articles/first-read/", "First read"),
        ("/articles/second-read/", "Second read"),
        ("/articles/arms-deals/", "Arms deals"),  # same primary topic
        ("/articles/drones-missiles-money/", "Drones, missiles and money"),  # a shared tag
    ]
    assert items[0].text.startswith("For a deeper dive, read First read")
    assert items[1].text.startswith("Then turn to Second read")


def test_curated_link_to_a_non_live_article_is_left_out(seed_page):
    related = parse(seed_page).one("section", class_="related")
    assert "Not yet" not in related.text


def test_suggested_reading_never_includes_the_article_or_non_live_articles(client):
    topic = TopicFactory()
    tags = ["oil", "gas", "grain"]
    article = ArticleFactory(title="The article itself", primary_topic=topic, tags=tags)
    # The closest matches are not live; the live ones share only a tag.
    ArticleFactory(title="Hidden draft", primary_topic=topic, tags=tags, status=Status.DRAFT)
    ArticleFactory(
        title="Hidden future",
        primary_topic=topic,
        tags=tags,
        publish_at=datetime(2026, 7, 1, tzinfo=UTC),
    )
    ArticleFactory(
        title="Hidden expired",
        primary_topic=topic,
        tags=tags,
        expire_at=datetime(2026, 5, 1, tzinfo=UTC),
    )
    ArticleFactory(title="Hidden unpublished", primary_topic=topic, status=Status.UNPUBLISHED)
    ArticleFactory(title="Live by tag", tags=["oil"])
    ArticleFactory(title="Live by topic", primary_topic=topic)

    related = parse(page_of(client, article)).one("section", class_="related")

    assert [text for _href, text in related.links()] == ["Live by topic", "Live by tag"]


def test_no_related_reading_section_without_related_articles(client):
    article = ArticleFactory()

    assert not parse(page_of(client, article)).select("section", class_="related")


def test_tags_link_to_their_tag_pages(seed_page):
    tags = parse(seed_page).one("section", class_="tags")
    assert sorted(tags.links()) == [("/tags/drones/", "drones"), ("/tags/sanctions/", "sanctions")]


def test_author_box_for_each_author_in_byline_order(seed_page):
    boxes = parse(seed_page).select("section", class_="author-box")
    assert len(boxes) == 2
    expected = [
        ("S", "Sarah Khan", "Staff Writer & Russia–Iran Specialist",
         "Sarah covers the Caspian region.", "/authors/sarah-khan/"),
        ("T", "Tomás Ruiz", "Contributor", "Tomás edits.", "/authors/tomas-ruiz/"),
    ]  # fmt: skip
    for box, (initial, name, role, bio, url) in zip(boxes, expected, strict=True):
        assert box.one("h2").text == "About the Author"
        avatar = box.one("span", class_="avatar--initial")
        assert avatar.text == initial
        assert avatar.attrs["aria-hidden"] == "true"
        assert not box.select("img")
        assert box.one("p", class_="author-box__name").text == name
        assert box.one("p", class_="author-box__role").text == role
        assert box.one("p", class_="author-box__bio").text == bio
        more = box.one("a", class_="author-box__more")
        assert more.attrs["href"] == url
        assert more.text.startswith("About Me")


def test_meta_description_is_the_standfirst(seed_page):
    meta = parse(seed_page).one("meta", name="description")
    assert meta.attrs["content"] == "Why the two need each other, and where they do not."


def test_meta_description_prefers_the_editors_description(client):
    article = ArticleFactory(meta_description="For search engines.")

    meta = parse(page_of(client, article)).one("meta", name="description")

    assert meta.attrs["content"] == "For search engines."


def test_canonical_link_is_the_articles_own_absolute_url(seed_page):
    canonical = parse(seed_page).one("link", rel="canonical")
    assert canonical.attrs["href"] == "http://testserver/articles/uneasy-partnership/"


def test_canonical_link_honours_the_override(client):
    article = ArticleFactory(canonical_url="https://original.example/story")

    canonical = parse(page_of(client, article)).one("link", rel="canonical")

    assert canonical.attrs["href"] == "https://original.example/story"


def test_skip_link_targets_main_content(seed_page):
    page = parse(seed_page)
    skip = page.one("a", class_="skip-link")
    assert skip.attrs["href"] == "#content"
    assert page.one("main").attrs["id"] == "content"
    assert '<main id="content"' in seed_page.content.decode()


def test_live_article_has_no_robots_meta_for_the_public(seed_page):
    assert not parse(seed_page).select("meta", name="robots")
    assert "X-Robots-Tag" not in seed_page.headers


def test_noindex_article_asks_search_engines_not_to_index(client):
    article = ArticleFactory(noindex=True)

    robots = parse(page_of(client, article)).one("meta", name="robots")

    assert robots.attrs["content"].startswith("noindex")


# --- visibility and staff preview -----------------------------------------------------------

NOT_LIVE = [
    pytest.param({"status": Status.DRAFT, "publish_at": None}, id="draft"),
    pytest.param({"status": Status.IN_REVIEW}, id="in-review"),
    pytest.param({"status": Status.UNPUBLISHED}, id="unpublished"),
    pytest.param({"publish_at": datetime(2026, 7, 1, tzinfo=UTC)}, id="scheduled"),
    pytest.param({"expire_at": datetime(2026, 5, 1, tzinfo=UTC)}, id="expired"),
]


@pytest.mark.parametrize("state", NOT_LIVE)
def test_anonymous_gets_404_for_an_article_that_is_not_live(client, state):
    article = ArticleFactory(**state)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_article_expiring_later_is_live(client):
    article = ArticleFactory(expire_at=datetime(2026, 6, 2, tzinfo=UTC))

    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.fixture(params=["staff_viewer", "superuser"])
def staff_client(request, client, db):
    from tests.factories import superuser

    user = request.getfixturevalue("staff_viewer") if request.param == "staff_viewer" else None
    client.force_login(user or superuser())
    return client


@pytest.mark.parametrize("state", NOT_LIVE)
def test_staff_preview_of_a_non_live_article_is_marked_and_not_indexed(staff_client, state):
    article = ArticleFactory(title="Work in progress", **state)

    response = staff_client.get(article.get_absolute_url())

    assert response.status_code == 200
    page = parse(response)
    banner = page.one("p", class_="preview-banner")
    assert banner.text.startswith("Preview")
    assert response["X-Robots-Tag"].startswith("noindex")
    assert page.one("meta", name="robots").attrs["content"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert page.one("h1").text == "Work in progress"


def test_staff_see_no_preview_banner_on_a_live_article(staff_client):
    article = ArticleFactory()

    response = staff_client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert not parse(response).select("p", class_="preview-banner")
    assert "Preview" not in response.content.decode()
    assert "X-Robots-Tag" not in response.headers


def test_staff_without_view_permission_get_404_for_a_draft(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    draft = ArticleFactory(status=Status.DRAFT, publish_at=None)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_anonymous_gets_404_for_the_draft_staff_can_preview(client, staff_viewer):
    draft = ArticleFactory(status=Status.DRAFT, publish_at=None)

    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(staff_viewer)
    assert client.get(draft.get_absolute_url()).status_code == 200


# --- query budget ---------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_article_page_query_count_does_not_depend_on_what_the_article_holds(client):
    topic = TopicFactory()
    simple = ArticleFactory(
        primary_topic=topic, authors=[AuthorFactory()], tags=["only-tag"], body="Plain text."
    )
    targets = [ArticleFactory(primary_topic=topic, slug=f"linked-{n}") for n in range(3)]
    experts = [ExpertFactory(slug=f"expert-q{n}") for n in range(5)]
    body = "\n\n".join(
        [
            "## Part one",
            *[f"[[quote:q{n}]]" for n in range(5)],
            "## Part two",
            " ".join(f"See [piece {n}](article:linked-{n})." for n in range(3)),
            "::: insight\nA callout.\n:::",
        ]
    )
    rich = ArticleFactory(
        primary_topic=topic,
        topics=[TopicFactory(), TopicFactory()],
        authors=[AuthorFactory() for _ in range(3)],
        tags=[f"tag-{n}" for n in range(10)],
        body=body,
    )
    for n, expert in enumerate(experts):
        ExpertQuoteFactory(article=rich, expert=expert, key=f"q{n}")
    for n in range(6):
        RelatedLinkFactory(
            from_article=rich, to_article=ArticleFactory(primary_topic=TopicFactory()), sort_order=n
        )
    rich_page = parse(client.get(rich.get_absolute_url()))
    assert len(rich_page.select("figure", class_="expert-quote")) == 5
    assert len(rich_page.one("section", class_="related").select("li")) == 6
    assert len(rich_page.select("section", class_="author-box")) == 3
    assert len(rich_page.one("section", class_="tags").select("a")) == 10
    body_links = rich_page.one("div", class_="article__body").hrefs()
    article_links = [href for href in body_links if href.startswith("/articles/")]
    assert article_links == [t.get_absolute_url() for t in targets]

    # Both ways a page is built: rendering its parts (the first reader, or after a change) and
    # from the parts kept then (articles/page_parts.py).
    for built in ("rendering its parts", "from kept parts"):
        if built == "rendering its parts":
            PageParts.objects.all().delete()
        simple_count = count_queries(client, simple.get_absolute_url())
        rich_count = count_queries(client, rich.get_absolute_url())

        assert simple_count == rich_count, (
            f"article page {built}: {simple_count} queries for a plain article, "
            f"{rich_count} for a rich one"
        )
        assert rich_count <= ARTICLE_PAGE_QUERY_BUDGET, (
            f"article page {built} makes {rich_count} queries (budget {ARTICLE_PAGE_QUERY_BUDGET})"
        )
    assert rich_count == 2  # the article with its parts, and the comments


# --- tag page -------------------------------------------------------------------------------


def test_tag_page_lists_live_articles_with_the_tag_newest_first(client):
    ArticleFactory(title="Older", tags=["oil"], publish_at=FIXED_PUBLISH_AT)
    ArticleFactory(
        title="Newer", tags=["oil", "gas"], publish_at=FIXED_PUBLISH_AT + timedelta(days=1)
    )
    ArticleFactory(title="Other tag", tags=["gas"])
    ArticleFactory(title="Draft with tag", tags=["oil"], status=Status.DRAFT)

    response = client.get("/tags/oil/")

    assert response.status_code == 200
    page = parse(response)
    assert page.one("h1").text == "oil"
    titles = [card.one("h3").text for card in page.select("article", class_="card")]
    assert titles == ["Newer", "Older"]


def test_tag_page_of_a_tag_with_no_live_articles_says_so(client):
    ArticleFactory(tags=["lonely"], status=Status.DRAFT)

    response = client.get("/tags/lonely/")

    assert response.status_code == 200
    assert "No published articles carry this tag yet." in response.content.decode()


def test_unknown_tag_is_404(client):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tag_page_with_a_unicode_name_works(client):
    ArticleFactory(title="About Iran", tags=["Иран"])
    tag = Tag.objects.get(name="Иран")
    url = reverse("articles:tag", kwargs={"slug": tag.slug})

    response = client.get(url)

    assert tag.slug == "иран"
    assert response.status_code == 200
    page = parse(response)
    assert page.one("h1").text == "Иран"
    assert "About Iran" in page.text


def test_article_page_links_a_unicode_tag_to_a_working_page(client):
    article = ArticleFactory(tags=["Иран"])

    tags = parse(page_of(client, article)).one("section", class_="tags")
    [(href, text)] = tags.links()

    assert text == "Иран"
    assert client.get(href).status_code == 200
