"""Article search: PostgreSQL full-text search when available, a simpler search on SQLite.

Both return live articles only, best match first, with a highlighted snippet. Snippets are
built with control characters as highlight markers and escaped in Python afterwards, so nothing
from an article's text reaches the page unescaped.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Left, Lower, StrIndex, Substr
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from authors.models import Author
from core.compiled import CompiledQuery
from core.pagination import TOTAL
from core.paths import slug_path
from pagecache import object_tag
from topics.models import Topic

from .models import Article, Status, search_config

MAX_QUERY_LENGTH = 200
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 35
#: How many of the most recent matches a search ranks and returns (see search_articles()).
RANKED_MATCHES = 200
#: How many of the newest published articles PostgreSQL looks through first for those matches
#: (see _recent_matches()).
NEWEST_WINDOW = 5_000
#: The passage of a body a snippet is cut from (see _passage()): characters in all, before the
#: first stem found, and of the stem looked for.
PASSAGE_CHARS, PASSAGE_LEAD, STEM_PREFIX = 1_000, 300, 5


def clean_query(raw: str | None) -> str:
    """What we search for: printable text, spaces folded, at most MAX_QUERY_LENGTH characters."""
    text = "".join(ch for ch in (raw or "") if ch.isprintable() or ch.isspace())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


@dataclass
class SearchFilters:
    topic_id: int | None = None
    author_id: int | None = None


def search_articles(query: str, filters: SearchFilters | None = None) -> QuerySet[Article]:
    """Live articles matching `query`, best first, each with a `snippet_raw` annotation.

    Only the RANKED_MATCHES most recent matches are ranked and returned. A common word matches
    most of a large site (57,000 of 82,000 articles in the benchmark corpus), and ranking every
    match meant reading every match's search data: 0.7 to 2 seconds a search at 100,000
    articles. The most recent matches are found by walking the publication-date index (or, for
    rarer words, the search index), on PostgreSQL among the newest articles first
    (_recent_matches()), so the cost stays flat as the site grows. Readers narrow a common word
    by adding words or a filter; the page says when the limit was reached.
    """
    filters = filters or SearchFilters()
    if not query:
        return Article.objects.none()
    if connection.vendor == "postgresql":
        return _postgres_search(
            timezone.now(),
            fold_negations(query),
            query,
            _words(query),
            filters,
            ranked=RANKED_MATCHES,
            window=NEWEST_WINDOW,
        )
    articles = _filtered(Article.objects.live(), filters.topic_id, filters.author_id)
    recent = _simple_matches(articles, query).order_by("-publish_at", "-pk").values("pk")
    pool = Article.objects.filter(pk__in=recent[:RANKED_MATCHES])
    return _simple_ranked(pool, query).order_by("-rank", "-publish_at", "-pk")


def _filtered(articles: QuerySet[Article], topic_id: int | None, author_id: int | None):
    if topic_id:
        articles = articles.in_topic(topic_id)
    if author_id:
        articles = articles.by_author(author_id)
    return articles


def _postgres_search(
    now: datetime,
    websearch: str,
    query: str,
    words: list[str],
    filters: SearchFilters,
    *,
    ranked: int,
    window: int,
) -> QuerySet[Article]:
    """search_articles() on PostgreSQL, from the query as each part of the SQL takes it: the
    websearch text (negations folded), the raw query (its first stem places the snippet) and
    its words (each highlighted). Everything it reads is an argument, so that search_page()
    can compile it once (core/compiled.py)."""
    articles = _filtered(Article.objects.live(now), filters.topic_id, filters.author_id)
    matching = articles.filter(search_vector=_postgres_query(websearch))
    pool = Article.objects.filter(pk__in=_recent_matches(matching, now, ranked, window))
    return _postgres_ranked(pool, websearch, query, words).order_by("-rank", "-publish_at", "-pk")


def _postgres_query(websearch: str) -> SearchQuery:
    return SearchQuery(websearch, search_type="websearch", config=search_config())


@dataclass(frozen=True, slots=True)
class ResultAuthor:
    pk: int
    name: str
    slug: str

    def get_absolute_url(self) -> str:
        return slug_path("authors:detail", self.slug)


@dataclass(frozen=True, slots=True)
class ResultByline:
    """One author of a result's byline, shaped as includes/byline.html reads a Byline."""

    author: ResultAuthor


@dataclass(slots=True)
class Result:
    """One search result: what its line shows, read as one plain row (RESULT_COLUMNS). Model
    instances with their bylines prefetched cost a second query a page and two fifths of the
    page's time in Python (JSON fields decoded, a prefetch compiled), for five values shown."""

    pk: int
    title: str
    slug: str
    standfirst: str
    publish_at: datetime
    topic_id: int
    topic_name: str
    rank: float
    snippet_raw: str
    bylines: tuple[ResultByline, ...]
    total: int
    snippet: SafeString | str = ""  # snippet_html(), set by the view

    def get_absolute_url(self) -> str:
        return slug_path("articles:detail", self.slug)

    def shown(self) -> list:
        """What the result shows, for the page cache (as shown_on_cards() gives for a card)."""
        return [
            object_tag(Article, self.pk),
            object_tag(Topic, self.topic_id),
            *(object_tag(Author, byline.author.pk) for byline in self.bylines),
        ]


#: A result's columns, in Result's order up to its bylines, then the number of results.
RESULT_COLUMNS = (
    "pk",
    "title",
    "slug",
    "standfirst",
    "publish_at",
    "primary_topic_id",
    "primary_topic__name",
    "rank",
    "snippet_raw",
    "byline_list",
    TOTAL,
)


def _result_rows(found: QuerySet[Article]) -> QuerySet:
    """search_articles()' rows as RESULT_COLUMNS, each carrying the number of results."""
    counted = found.with_byline_list().annotate(**{TOTAL: Window(Count("*"))})
    return counted.values_list(*RESULT_COLUMNS)


def _results(rows: list[tuple]) -> list[Result]:
    results = []
    for *columns, byline_list, total in rows:
        authors = sorted(byline_list or (), key=operator.itemgetter("order"))
        bylines = tuple(
            ResultByline(ResultAuthor(author["id"], author["name"], author["slug"]))
            for author in authors
        )
        results.append(Result(*columns, bylines=bylines, total=total))
    return results


@dataclass(frozen=True)
class Search:
    """A reader's search, which a paginator fetches one page at a time (search_page())."""

    query: str
    filters: SearchFilters


#: search_page() compiles the searches of up to COMPILED_WORDS words for the first COMPILED_ROWS
#: results (three pages of ten). Each shape (words, filters, page) is a query of its own, kept
#: compiled on each connection for its life, so the shapes must be few; longer queries and
#: later pages are rare and built by the ORM, as search_articles() builds them.
COMPILED_WORDS, COMPILED_ROWS = 3, 30


def search_page(query: str, filters: SearchFilters, *, bottom: int, top: int) -> list[Result]:
    """search_articles(query, filters) as Results, rows bottom to top, each carrying the number
    of results.

    Building and compiling the search's SQL (the live filter, the newest-window CTEs, rank and
    headline) was 5–8 ms of every search page in Python, for SQL whose shape depends only
    on the number of words, the filters chosen and the page. On PostgreSQL it is compiled once
    per shape and connection (core/compiled.py) and run with this search's values.
    """
    if not query:
        return []
    words = _words(query)
    compiled = (
        connection.vendor == "postgresql" and len(words) <= COMPILED_WORDS and top <= COMPILED_ROWS
    )
    if not compiled:
        return _results(list(_result_rows(search_articles(query, filters))[bottom:top]))
    shape = _compiled_search(
        len(words),
        bool(filters.topic_id),
        bool(filters.author_id),
        bottom,
        top,
        RANKED_MATCHES,
        NEWEST_WINDOW,
    )
    values = {f"word{i}": word for i, word in enumerate(words)}
    if filters.topic_id:
        values["topic"] = filters.topic_id
    if filters.author_id:
        values["author"] = filters.author_id
    rows = shape.run(now=timezone.now(), websearch=fold_negations(query), query=query, **values)
    return _results(rows)


@functools.cache
def _compiled_search(
    words: int, has_topic: bool, has_author: bool, bottom: int, top: int, ranked: int, window: int
) -> CompiledQuery:
    """The compiled search of one shape. The limits are part of the shape (they are literals
    in the SQL), so a test that changes RANKED_MATCHES or NEWEST_WINDOW gets its own."""
    types: dict[str, type] = {"now": datetime, "websearch": str, "query": str}
    types.update({f"word{i}": str for i in range(words)})
    if has_topic:
        types["topic"] = int
    if has_author:
        types["author"] = int

    def build(now, websearch, query, topic=None, author=None, **each_word):
        found = _postgres_search(
            now,
            websearch,
            query,
            [each_word[f"word{i}"] for i in range(words)],
            SearchFilters(topic_id=topic, author_id=author),
            ranked=ranked,
            window=window,
        )
        return _result_rows(found)[bottom:top]

    build.__qualname__ = (
        f"search_page[{words} words, topic={has_topic}, author={has_author}, {bottom}:{top}]"
    )
    # Not prepared (core/compiled.py): the best plan depends on the words (a rare word wants
    # the search index, a common one the walk of the newest), and the generic plan PostgreSQL
    # switched a prepared search to ran 25 ms where the planned one ran 10.
    return CompiledQuery(build, prepare=False, **types)


#: Hyphens with nothing but punctuation and spaces between them ("--", "- -", "-(-").
NEGATION_RUN = re.compile(r"-(?:[^\w-]*-)+")


def fold_negations(query: str) -> str:
    """`query` with each run of hyphens cut to one or none, as websearch syntax reads them.

    websearch_to_tsquery reads a hyphen before a word as NOT, and nests each further one: from
    33 in a row ("-" * 33, "- " * 33) PostgreSQL refuses the query ("tsquery stack too
    small"), and the search page was a 500. Two NOTs cancel, so an odd run keeps one hyphen
    and an even run none; the others become spaces, so no words are joined."""

    def fold(run: re.Match) -> str:
        hyphens = run.group()
        kept = "-" if hyphens.count("-") % 2 else " "
        return hyphens[:-1].replace("-", " ") + kept

    return NEGATION_RUN.sub(fold, query)


def _recent_matches(matching: QuerySet[Article], now: datetime, ranked: int, window: int) -> RawSQL:
    """The ids of the `ranked` (RANKED_MATCHES) most recent of `matching`, looked for among the
    `window` (NEWEST_WINDOW) newest published articles first, and among all only when too few
    are there.

    Walking the publication-date index and testing each article's search vector is fast for a
    common word (about 300 articles read) but not for one in a tenth of the articles: some
    2,500 vectors read from TOAST, 25–40 ms at 100,000 articles, the searches that made the
    p99. PostgreSQL does not count those reads when it chooses a plan. Bounded to the newest
    window, the same query lets it choose: the walk for a common word, the search index ANDed
    with the date index for a rarer one (about 5 ms). The window's articles are the newest of
    every article the query can find, so when 200 of them match they are the 200 most recent
    matches; otherwise the second part looks through every match, as before. Each part is
    MATERIALIZED, computed once; the second runs only when the first found too few.
    """
    rows_sql, rows_params = (
        matching.order_by().values_list("pk", "publish_at").query.sql_with_params()
    )
    # Any published article counts towards the window: it only needs to be a prefix of the
    # publication order. No such article (a small site) leaves the bound NULL and the window empty.
    bound = (
        Article.objects.filter(status=Status.PUBLISHED, publish_at__lte=now)
        # Dates alone: read from the index (article_live_idx) without visiting the table.
        .order_by("-publish_at")
        .values("publish_at")[window - 1 : window]
    )
    bound_sql, bound_params = bound.query.sql_with_params()
    sql = f"""
        WITH in_window AS MATERIALIZED (
            SELECT m.id, m.publish_at FROM ({rows_sql}) AS m (id, publish_at)
            WHERE m.publish_at >= ({bound_sql})
            ORDER BY m.publish_at DESC, m.id DESC LIMIT %s
        ), everywhere AS MATERIALIZED (
            SELECT m.id, m.publish_at FROM ({rows_sql}) AS m (id, publish_at)
            WHERE (SELECT COUNT(*) FROM in_window) < %s
            ORDER BY m.publish_at DESC, m.id DESC LIMIT %s
        )
        SELECT id FROM in_window WHERE (SELECT COUNT(*) FROM in_window) = %s
        UNION ALL SELECT id FROM everywhere
    """
    limit = ranked
    params = (*rows_params, *bound_params, limit, *rows_params, limit, limit, limit)
    return RawSQL(sql, params)


def _postgres_ranked(
    pool: QuerySet[Article], websearch: str, query: str, words: list[str]
) -> QuerySet[Article]:
    search = _postgres_query(websearch)
    # PostgreSQL computes the headline after sorting and limiting, for the page's rows only.
    return pool.annotate(
        rank=SearchRank(F("search_vector"), search),
        snippet_raw=SearchHeadline(
            _passage(query),
            _any_word(words),
            config=search_config(),
            start_sel=START,
            stop_sel=STOP,
            max_words=SNIPPET_WORDS,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    )


def _passage(query: str) -> Substr:
    """The part of the body a snippet is cut from: PASSAGE_CHARS characters starting a little
    before the first place a stem of the query appears, or the start of the body.

    ts_headline parses the whole text it is given, and bodies are about 10,000 characters: it
    took 2 ms an article, about half of a search's database time at 100,000 articles. Cut from
    the passage, 54 of 60 snippets of eight test queries had a word highlighted, against 56 of
    60 cut from the whole body (with _any_word(); 46 without). The stem's first
    STEM_PREFIX characters are looked for, so "policy" is found for the stem "polici"; where
    they are not found (or found inside another word), the passage is the body's start and the
    snippet falls back to the words found there (snippet_html()).
    """
    stem = RawSQL(
        "(tsvector_to_array(to_tsvector(%s::regconfig, %s)))[1]",
        (search_config(), query),
        output_field=TextField(),
    )
    found = StrIndex(Lower("body_text"), Left(stem, STEM_PREFIX))
    # GREATEST skips the NULL of a query without stems (it matches nothing anyway).
    start = Greatest(found - PASSAGE_LEAD, Value(1))
    return Substr("body_text", start, PASSAGE_CHARS)


def _any_word(words: list[str]) -> SearchQuery:
    """Each word of the query on its own, for highlighting: in a passage of the body, both
    words of "central bank" are rarely near enough to make the whole query match, and every
    word found should be marked."""
    queries = [SearchQuery(word, config=search_config()) for word in words]
    return functools.reduce(operator.or_, queries)


def _words(query: str) -> list[str]:
    return query.split()[:10]


def _simple_matches(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """SQLite: every word must appear somewhere."""
    for word in _words(query):
        articles = articles.filter(
            Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body_text__icontains=word)
        )
    return articles


def _simple_ranked(pool: QuerySet[Article], query: str) -> QuerySet[Article]:
    """SQLite: title hits rank above standfirst hits above body hits (of the first word)."""
    first = _words(query)[0]
    return pool.annotate(
        rank=Case(
            When(title__icontains=first, then=Value(3)),
            When(standfirst__icontains=first, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        snippet_raw=F("body_text"),
    )


def snippet_html(article: Article, query: str) -> SafeString:
    """The article's snippet, escaped, with the matched words in <mark>."""
    raw = getattr(article, "snippet_raw", "") or article.standfirst
    if START not in raw:
        raw = _mark_words(_excerpt(raw, query), query)
    html = escape(raw).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # escaped above; only our own <mark> tags are added


def _excerpt(text: str, query: str) -> str:
    """About SNIPPET_WORDS words around the first word of the query found in `text`."""
    words = text.split()
    lowered = [w.lower() for w in words]
    at = 0
    for term in query.lower().split():
        at = next((i for i, w in enumerate(lowered) if term in w), None)
        if at is not None:
            break
    at = at or 0
    start = max(0, at - 10)
    excerpt = " ".join(words[start : start + SNIPPET_WORDS])
    return ("… " if start else "") + excerpt + (" …" if start + SNIPPET_WORDS < len(words) else "")


def _mark_words(text: str, query: str) -> str:
    terms = sorted({t for t in query.split() if len(t) > 1}, key=len, reverse=True)
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    return pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)
