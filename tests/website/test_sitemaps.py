"""The sitemap index and its sections, checked against the sitemaps.org protocol, and robots.txt.

`sitemap_problems` is a small structural validator written from the protocol's rules
(https://www.sitemaps.org/protocol.html): allowed elements only, one <loc> per entry,
absolute http(s) URLs on the sitemap's own host of at most 2,048 characters, W3C datetime
<lastmod>, at most 50,000 entries and 50 MB per file, UTF-8. It is tested on its own first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

import website.sitemaps
from articles.models import Status
from tests.factories import (
    FIXED_PUBLISH_AT,
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    PageFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

BASE = "http://testserver"
SECTIONS = ["articles", "topics", "authors", "experts", "pages"]

# --- the validator ---------------------------------------------------------------------------

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_ENTRIES = 50_000
MAX_BYTES = 50 * 1024 * 1024
MAX_LOC_LENGTH = 2048
CHANGEFREQS = {"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}
# root element → (entry element, elements an entry may hold once each)
STRUCTURE = {
    "urlset": ("url", {"loc", "lastmod", "changefreq", "priority"}),
    "sitemapindex": ("sitemap", {"loc", "lastmod"}),
}
W3C_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
W3C_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")
# Characters a URL may hold once escaped (RFC 3986): anything else must be %-encoded.
URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
XML_ENCODING = re.compile(rb'^<\?xml[^>]*\bencoding=["\']([^"\']+)["\']')


def split_tag(tag: str) -> tuple[str | None, str]:
    """'{namespace}name' → (namespace, name); a tag without namespace → (None, name)."""
    if tag.startswith("{"):
        namespace, name = tag[1:].split("}", 1)
        return namespace, name
    return None, tag


def lastmod_problem(value: str) -> str | None:
    if W3C_DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"lastmod {value!r} is not a real date"
        return None
    if W3C_DATETIME.fullmatch(value):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return f"lastmod {value!r} is not a real date and time"
        return None
    return f"lastmod {value!r} is not YYYY-MM-DD or a W3C datetime with a time zone"


def loc_problem(value: str, host: str) -> str | None:
    if len(value) > MAX_LOC_LENGTH:
        return f"loc longer than {MAX_LOC_LENGTH} characters: {value[:60]}…"
    if not URL_CHARACTERS.fullmatch(value):
        return f"loc {value!r} holds characters that must be escaped"
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return f"loc {value!r} is not an absolute http(s) URL"
    if parts.hostname != host:
        return f"loc {value!r} is not on the sitemap's host {host}"
    return None


def sitemap_problems(content: bytes, *, host: str = "testserver") -> list[str]:
    """Everything in `content` that breaks the sitemaps.org protocol; empty when it is valid."""
    problems: list[str] = []
    if len(content) > MAX_BYTES:
        problems.append(f"file larger than {MAX_BYTES} bytes")
    declared = XML_ENCODING.match(content)
    if declared and declared[1].decode().lower() not in {"utf-8", "utf8"}:
        problems.append(f"encoding {declared[1].decode()} is not UTF-8")
    try:
        content.decode("utf-8")
        root = ET.fromstring(content)
    except (UnicodeDecodeError, ET.ParseError) as error:
        return [*problems, f"not well-formed UTF-8 XML: {error}"]

    namespace, root_name = split_tag(root.tag)
    if namespace != SITEMAP_NS or root_name not in STRUCTURE:
        return [*problems, f"root <{root.tag}> is neither urlset nor sitemapindex in {SITEMAP_NS}"]
    entry_name, allowed = STRUCTURE[root_name]
    if (root.text or "").strip():
        problems.append(f"text directly inside <{root_name}>")

    entries = list(root)
    if len(entries) > MAX_ENTRIES:
        problems.append(f"{len(entries)} entries: more than {MAX_ENTRIES}")
    for position, entry in enumerate(entries, start=1):
        where = f"<{entry_name}> #{position}"
        if entry.tag != f"{{{SITEMAP_NS}}}{entry_name}":
            problems.append(f"unexpected <{entry.tag}> inside <{root_name}>")
            continue
        seen: dict[str, str] = {}
        for child in entry:
            child_namespace, name = split_tag(child.tag)
            if child_namespace != SITEMAP_NS:
                # Other namespaces may extend <url> (images, hreflang); an index has none.
                if child_namespace is None or root_name == "sitemapindex":
                    problems.append(f"{where}: element <{child.tag}> is not allowed")
                continue
            if name not in allowed:
                problems.append(f"{where}: element <{name}> is not allowed")
                continue
            if name in seen:
                problems.append(f"{where}: more than one <{name}>")
            seen[name] = (child.text or "").strip()
        if "loc" not in seen:
            problems.append(f"{where}: no <loc>")
        elif problem := loc_problem(seen["loc"], host):
            problems.append(f"{where}: {problem}")
        if "lastmod" in seen and (problem := lastmod_problem(seen["lastmod"])):
            problems.append(f"{where}: {problem}")
        if "changefreq" in seen and seen["changefreq"] not in CHANGEFREQS:
            problems.append(f"{where}: changefreq {seen['changefreq']!r} is not allowed")
        if "priority" in seen:
            try:
                priority = float(seen["priority"])
            except ValueError:
                priority = -1.0
            if not 0.0 <= priority <= 1.0:
                problems.append(f"{where}: priority {seen['priority']!r} is not 0.0–1.0")
    return problems


def urlset(*entries: str, extra_ns: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{SITEMAP_NS}"{extra_ns}>'
        + "".join(entries)
        + "</urlset>"
    ).encode()


def index(*entries: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="{SITEMAP_NS}">'
        + "".join(entries)
        + "</sitemapindex>"
    ).encode()


GOOD_URL = f"<url><loc>{BASE}/a/</loc></url>"


@pytest.mark.parametrize(
    "document",
    [
        urlset(),
        urlset(GOOD_URL),
        urlset(
            f"<url><loc>{BASE}/a/?x=1&amp;y=2</loc><lastmod>2026-06-01</lastmod>"
            "<changefreq>weekly</changefreq><priority>0.5</priority></url>"
        ),
        urlset(f"<url><loc>{BASE}/a/</loc><lastmod>2026-06-01T12:00:00+02:00</lastmod></url>"),
        urlset(f"<url><loc>{BASE}/a/</loc><lastmod>2026-06-01T12:00Z</lastmod></url>"),
        urlset(
            f'<url><loc>{BASE}/a/</loc><xhtml:link rel="alternate" hreflang="de" '
            f'href="{BASE}/de/a/"/></url>',
            extra_ns=' xmlns:xhtml="http://www.w3.org/1999/xhtml"',
        ),
        urlset("<url><loc>https://testserver/%C3%A9t%C3%A9/</loc></url>"),
        index(f"<sitemap><loc>{BASE}/s.xml?p=2</loc><lastmod>2026-06-01</lastmod></sitemap>"),
        urlset(*[GOOD_URL] * MAX_ENTRIES),
    ],
    ids=[
        "empty urlset",
        "one url",
        "all optional elements",
        "datetime with offset",
        "datetime in UTC without seconds",
        "hreflang extension",
        "escaped non-ASCII path",
        "index",
        "exactly 50,000 urls",
    ],
)
def test_validator_accepts_valid_sitemaps(document):
    assert sitemap_problems(document) == []


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (b"<urlset", "well-formed"),
        (b'<urlset xmlns="http://example.com/other"/>', "neither urlset nor sitemapindex"),
        (b"<urlset/>", "neither urlset nor sitemapindex"),
        (urlset("<url><lastmod>2026-06-01</lastmod></url>"), "no <loc>"),
        (urlset(f"<url><loc>{BASE}/a/</loc><loc>{BASE}/b/</loc></url>"), "more than one <loc>"),
        (urlset(f"<url><loc>{BASE}/a/</loc><title>A</title></url>"), "<title> is not allowed"),
        (urlset(f"<page><loc>{BASE}/a/</loc></page>"), "unexpected"),
        (urlset(GOOD_URL, f"<sitemap><loc>{BASE}/s.xml</loc></sitemap>"), "unexpected"),
        (index(f"<sitemap><loc>{BASE}/s.xml</loc><priority>1</priority></sitemap>"), "priority"),
        (urlset("<url><loc>/a/</loc></url>"), "absolute"),
        (urlset("<url><loc>ftp://testserver/a/</loc></url>"), "absolute"),
        (urlset("<url><loc>https://elsewhere.example/a/</loc></url>"), "host"),
        (urlset(f"<url><loc>{BASE}/a b/</loc></url>"), "escaped"),
        (urlset(f"<url><loc>{BASE}/été/</loc></url>"), "escaped"),
        (urlset(f"<url><loc>{BASE}/{'a' * MAX_LOC_LENGTH}</loc></url>"), "longer than"),
        (urlset(f"<url><loc>{BASE}/a/</loc><lastmod>01/06/2026</lastmod></url>"), "lastmod"),
        (urlset(f"<url><loc>{BASE}/a/</loc><lastmod>2026-13-01</lastmod></url>"), "real date"),
        (
            urlset(f"<url><loc>{BASE}/a/</loc><lastmod>2026-06-01T12:00:00</lastmod></url>"),
            "time zone",
        ),
        (urlset(f"<url><loc>{BASE}/a/</loc><changefreq>often</changefreq></url>"), "changefreq"),
        (urlset(f"<url><loc>{BASE}/a/</loc><priority>1.5</priority></url>"), "priority"),
        (urlset(*[GOOD_URL] * (MAX_ENTRIES + 1)), "more than 50000"),
        (
            b'<?xml version="1.0" encoding="ISO-8859-1"?>' + urlset(GOOD_URL).split(b"?>", 1)[1],
            "not UTF-8",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_validator_reports_what_breaks_the_protocol(document, problem):
    problems = sitemap_problems(document)

    assert any(problem in found for found in problems), problems


# --- reading the site's sitemaps -------------------------------------------------------------


def read_sitemap(client, url: str, *, root: str, secure: bool = False) -> list[dict[str, str]]:
    """GET a sitemap, check it against the protocol and return its entries as
    [{"loc": …, "lastmod": …}, …] (lastmod only where given)."""
    response = client.get(url, secure=secure)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml"), url
    assert sitemap_problems(response.content) == [], url
    document = ET.fromstring(response.content)
    assert document.tag == f"{{{SITEMAP_NS}}}{root}"
    return [
        {split_tag(child.tag)[1]: (child.text or "").strip() for child in entry}
        for entry in document
    ]


def locs(entries: list[dict[str, str]]) -> list[str]:
    return [entry["loc"] for entry in entries]


def local(url: str) -> str:
    """An absolute URL of this site as a path the test client can request."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def absolute(path: str) -> str:
    return BASE + path


def made_at(moment: datetime, factory, **kwargs):
    """Create through `factory` with the clock at `moment`, so auto_now fields get it."""
    with time_machine.travel(moment, tick=False):
        return factory(**kwargs)


# --- the index -------------------------------------------------------------------------------


def test_sitemap_index_lists_each_section(client):
    entries = read_sitemap(client, "/sitemap.xml", root="sitemapindex")

    assert locs(entries) == [absolute(f"/sitemap-{section}.xml") for section in SECTIONS]


def test_every_section_in_the_index_is_a_valid_urlset(client):
    ArticleFactory()
    AuthorFactory()
    ExpertFactory()

    for entry in read_sitemap(client, "/sitemap.xml", root="sitemapindex"):
        read_sitemap(client, local(entry["loc"]), root="urlset")


def test_index_lastmod_is_each_sections_latest_change(client):
    ArticleFactory(publish_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    ArticleFactory(
        publish_at=datetime(2026, 1, 1, 8, 0, tzinfo=UTC),
        updated_at=datetime(2026, 4, 2, 8, 0, tzinfo=UTC),
    )
    ExpertFactory()  # made at FROZEN_NOW

    entries = read_sitemap(client, "/sitemap.xml", root="sitemapindex")

    lastmods = {local(e["loc"]): e.get("lastmod") for e in entries}
    assert datetime.fromisoformat(lastmods["/sitemap-articles.xml"]) == datetime(
        2026, 4, 2, 8, 0, tzinfo=UTC
    )
    assert datetime.fromisoformat(lastmods["/sitemap-experts.xml"]) == datetime(
        2026, 6, 1, 12, 0, tzinfo=UTC
    )


def test_sitemaps_of_an_empty_site_are_valid(client):
    for entry in read_sitemap(client, "/sitemap.xml", root="sitemapindex"):
        assert read_sitemap(client, local(entry["loc"]), root="urlset") == []


def test_sitemaps_requested_over_https_give_https_addresses(client):
    ArticleFactory(slug="secure")

    index_entries = read_sitemap(client, "/sitemap.xml", root="sitemapindex", secure=True)
    section = read_sitemap(client, "/sitemap-articles.xml", root="urlset", secure=True)

    assert all(loc.startswith("https://testserver/") for loc in locs(index_entries))
    assert locs(section) == ["https://testserver/articles/secure/"]


# --- the articles section -----------------------------------------------------------------


def test_articles_section_lists_live_articles_with_their_last_change(client):
    """The date readers see on the page (Article.last_updated), whenever the row was saved."""
    older = ArticleFactory(slug="older", publish_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    newer = ArticleFactory(
        slug="newer",
        publish_at=datetime(2026, 2, 1, 8, 0, tzinfo=UTC),
        updated_at=datetime(2026, 4, 2, 23, 30, tzinfo=UTC),
    )

    entries = read_sitemap(client, "/sitemap-articles.xml", root="urlset")

    assert entries == [
        {"loc": absolute(older.get_absolute_url()), "lastmod": "2026-03-01"},
        {"loc": absolute(newer.get_absolute_url()), "lastmod": "2026-04-02"},
    ]


def test_articles_section_lastmod_follows_the_editors_updated_date_not_every_save(client):
    article = ArticleFactory(publish_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    article.standfirst = "Sharper."
    article.save()  # at FROZEN_NOW: a typo fix, which readers are not told about

    (entry,) = read_sitemap(client, "/sitemap-articles.xml", root="urlset")
    assert entry["lastmod"] == "2026-03-01"

    article.updated_at = datetime(2026, 5, 10, 9, 0, tzinfo=UTC)
    article.save()

    (entry,) = read_sitemap(client, "/sitemap-articles.xml", root="urlset")
    assert entry["lastmod"] == "2026-05-10"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"noindex": True},
        {"canonical_url": "https://original.example/first-printing/"},
        {"status": Status.DRAFT, "publish_at": None},
        {"status": Status.IN_REVIEW, "publish_at": None},
        {"status": Status.UNPUBLISHED},
        {"status": Status.ARCHIVED},
        {"publish_at": datetime(2026, 7, 1, 9, 0, tzinfo=UTC)},
        {"expire_at": datetime(2026, 5, 1, 9, 0, tzinfo=UTC)},
        {"deleted_at": datetime(2026, 5, 1, 9, 0, tzinfo=UTC)},
    ],
    ids=[
        "noindex",
        "canonical override",
        "draft",
        "in review",
        "unpublished",
        "archived",
        "scheduled",
        "expired",
        "trashed",
    ],
)
def test_articles_section_leaves_out_articles_search_engines_should_not_index(client, kwargs):
    live = ArticleFactory(slug="live")
    ArticleFactory(slug="left-out", **kwargs)

    entries = read_sitemap(client, "/sitemap-articles.xml", root="urlset")

    assert locs(entries) == [absolute(live.get_absolute_url())]


def test_article_expiring_later_is_still_listed(client):
    ArticleFactory(slug="expiring", expire_at=datetime(2026, 7, 1, tzinfo=UTC))

    entries = read_sitemap(client, "/sitemap-articles.xml", root="urlset")

    assert locs(entries) == [absolute("/articles/expiring/")]


def test_scheduled_article_appears_once_its_time_comes(client):
    ArticleFactory(slug="scheduled", publish_at=datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    assert read_sitemap(client, "/sitemap-articles.xml", root="urlset") == []

    with time_machine.travel(datetime(2026, 7, 1, 9, 0, tzinfo=UTC), tick=False):
        entries = read_sitemap(client, "/sitemap-articles.xml", root="urlset")

    assert locs(entries) == [absolute("/articles/scheduled/")]


# --- the other sections -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "factory"),
    [("topics", TopicFactory), ("authors", AuthorFactory), ("experts", ExpertFactory)],
)
def test_section_lists_every_object_with_its_last_change(client, section, factory):
    first = made_at(datetime(2026, 2, 1, 8, 0, tzinfo=UTC), factory)
    second = made_at(datetime(2026, 2, 3, 8, 0, tzinfo=UTC), factory)

    entries = read_sitemap(client, f"/sitemap-{section}.xml", root="urlset")

    assert entries == [
        {"loc": absolute(first.get_absolute_url()), "lastmod": "2026-02-01"},
        {"loc": absolute(second.get_absolute_url()), "lastmod": "2026-02-03"},
    ]


def test_every_sitemap_address_answers_200(client):
    topic = TopicFactory()
    ArticleFactory(primary_topic=topic, authors=[AuthorFactory()])
    ExpertFactory()

    for section in SECTIONS:
        for loc in locs(read_sitemap(client, f"/sitemap-{section}.xml", root="urlset")):
            assert client.get(local(loc)).status_code == 200, loc


# --- pagination ------------------------------------------------------------------------------


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(website.sitemaps.ArticleSitemap, "limit", 2)


@pytest.mark.usefixtures("two_per_page")
def test_articles_section_is_split_into_pages_the_index_lists(client):
    articles = [
        ArticleFactory(slug=f"paged-{n}", publish_at=FIXED_PUBLISH_AT + timedelta(days=n))
        for n in range(5)
    ]

    index_locs = locs(read_sitemap(client, "/sitemap.xml", root="sitemapindex"))
    article_pages = [loc for loc in index_locs if "sitemap-articles.xml" in loc]

    assert article_pages == [
        absolute("/sitemap-articles.xml"),
        absolute("/sitemap-articles.xml?p=2"),
        absolute("/sitemap-articles.xml?p=3"),
    ]
    pages = [read_sitemap(client, local(page), root="urlset") for page in article_pages]
    assert [len(page) for page in pages] == [2, 2, 1]
    listed = [loc for page in pages for loc in locs(page)]
    assert listed == [absolute(article.get_absolute_url()) for article in articles]


@pytest.mark.usefixtures("two_per_page")
@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "2.0", ""])
def test_articles_page_that_does_not_exist_is_404(client, page):
    for n in range(5):
        ArticleFactory(slug=f"paged-{n}")

    assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404


@pytest.mark.usefixtures("two_per_page")
def test_first_page_can_be_asked_for_by_number(client):
    for n in range(3):
        ArticleFactory(slug=f"paged-{n}")

    assert read_sitemap(client, "/sitemap-articles.xml?p=1", root="urlset") == read_sitemap(
        client, "/sitemap-articles.xml", root="urlset"
    )


@pytest.mark.parametrize("path", ["/sitemap-nope.xml", "/sitemap-.xml", "/sitemap-Articles.xml"])
def test_unknown_section_is_404(client, path):
    assert client.get(path).status_code == 404


# --- the index asks the database, it does not load the sections ---------------------------


def test_index_reads_one_aggregate_per_section_and_no_items(client):
    """Django's own index loads every item of every section to find each section's latest
    change; ours asks for MAX(modified_at) per page, one query per section (the query budget
    is proved in tests/test_query_budgets.py)."""
    for n in range(5):
        ArticleFactory(slug=f"item-{n}")

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/sitemap.xml").status_code == 200

    sqls = [query["sql"] for query in captured.captured_queries]
    assert len(sqls) == len(SECTIONS)
    assert all(sql.startswith("SELECT MAX(") for sql in sqls), sqls


@pytest.mark.usefixtures("two_per_page")
def test_each_index_entry_has_the_latest_change_on_its_own_page(client):
    """Pages follow the section's order (by id): an edit shows on the edited article's page
    only, so a crawler can skip the pages that did not change."""
    articles = [
        ArticleFactory(slug=f"p-{n}", publish_at=datetime(2026, 3, n + 1, 8, 0, tzinfo=UTC))
        for n in range(5)
    ]
    articles[0].updated_at = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)
    articles[0].save()

    entries = read_sitemap(client, "/sitemap.xml", root="sitemapindex")

    lastmods = {
        local(e["loc"]): datetime.fromisoformat(e["lastmod"])
        for e in entries
        if "sitemap-articles.xml" in e["loc"]
    }
    assert lastmods == {
        "/sitemap-articles.xml": datetime(2026, 5, 20, 8, 0, tzinfo=UTC),
        "/sitemap-articles.xml?p=2": datetime(2026, 3, 4, 8, 0, tzinfo=UTC),
        "/sitemap-articles.xml?p=3": datetime(2026, 3, 5, 8, 0, tzinfo=UTC),
    }


def test_index_says_when_anything_last_changed(client):
    made_at(datetime(2026, 4, 2, 8, 0, tzinfo=UTC), ArticleFactory)
    made_at(datetime(2026, 3, 1, 8, 0, tzinfo=UTC), TopicFactory)
    made_at(datetime(2026, 3, 1, 8, 0, tzinfo=UTC), AuthorFactory)
    made_at(datetime(2026, 2, 1, 8, 0, tzinfo=UTC), ExpertFactory)
    made_at(datetime(2026, 2, 1, 8, 0, tzinfo=UTC), PageFactory)

    response = client.get("/sitemap.xml")

    assert response["Last-Modified"] == "Thu, 02 Apr 2026 08:00:00 GMT"
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"


def test_index_of_a_site_with_an_empty_section_has_no_last_modified(client):
    ArticleFactory()  # no expert yet: that section has no date

    assert "Last-Modified" not in client.get("/sitemap.xml")


# --- robots.txt --------------------------------------------------------------------------------


def robots_lines(client, **kwargs) -> list[str]:
    response = client.get("/robots.txt", **kwargs)
    assert response.status_code == 200
    return response.content.decode().splitlines()


def test_robots_txt_is_plain_text(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "text/plain"


def test_robots_txt_points_to_the_sitemap_index_by_absolute_url(client):
    lines = robots_lines(client)

    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.get("/sitemap.xml").status_code == 200


def test_robots_txt_sitemap_follows_the_request_scheme(client):
    assert "Sitemap: https://testserver/sitemap.xml" in robots_lines(client, secure=True)


def test_robots_txt_keeps_crawlers_out_of_share_previews(client):
    lines = robots_lines(client)

    assert lines[0] == "User-agent: *"
    assert "Disallow: /preview/" in lines


def test_robots_txt_allows_the_rest_of_the_site(client):
    disallowed = [
        line.split(":", 1)[1].strip()
        for line in robots_lines(client)
        if line.lower().startswith("disallow:")
    ]

    assert disallowed == ["/preview/"]


def test_robots_txt_does_not_reveal_the_admin_address(client):
    body = client.get("/robots.txt").content.decode()

    assert settings.ADMIN_PATH.strip("/") not in body
    assert "admin" not in body.lower()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_robots_txt_refuses_methods_other_than_get(client, method):
    assert getattr(client, method)("/robots.txt").status_code == 405


def test_robots_txt_answers_head(client):
    assert client.head("/robots.txt").status_code == 200
