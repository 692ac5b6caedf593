"""Whatever path or query string a client sends, the deployed WSGI application answers it with
a 2xx, 3xx or 4xx and reflects nothing unescaped (hypothesis).

tests/test_hostile_input.py sends a fixed corpus through Django's test client. The client
builds its environ and lets a WSGIRequest rewrite it first, so it cannot show a bug that needs
the environ a WSGI server builds: PageCacheApp once handed Django an environ whose PATH_INFO its
own request had rewritten, and every path outside Latin-1 was a 500 on a page-cache miss. Here
the requests go to ``config.wsgi.application`` (PageCacheApp in front of Django's handler) with
environs built as a server builds them (tests/wsgi.py), with the page cache on and off.

Generated: arbitrary Unicode (Cyrillic, Persian, Arabic, emoji, combining marks, RTL
overrides), percent-encoded junk that is not UTF-8 once decoded, segments thousands of
characters long, control characters and dot segments; sent in each path argument of every
public route (test_hostile_input.PATH_ROUTES), after the live site's pages, as whole paths, and
in each query parameter a public page reads (test_hostile_input.query_urls).

A failure names the request and, for a 500, the exception behind it. With the ``ci`` profile
(any CI environment variable) hypothesis runs derandomised and keeps no example database.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from string import ascii_letters, digits
from urllib.parse import quote

import pytest
from django.core import signals
from django.db import transaction
from django.urls import reverse
from django.urls.resolvers import URLResolver
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    TopicFactory,
)
from tests.test_hostile_input import (
    HOSTILE_TEXT,
    PATH_ROUTES,
    Site,
    injection_problems,
    query_urls,
)
from tests.wsgi import Answer, keep_test_transaction, server_environ

pytestmark = pytest.mark.django_db

# Over https: SECURE_SSL_REDIRECT (on wherever DEBUG is off) would answer plain http with a
# redirect before any page rendered.
HTTPS = {"HTTPS": "on"}

WRITING = [
    "россия-иран", "Москва", "روسیه", "ایران", "مقالة", "עברית", "中文", "Ω≈ç√",
    "\U0001f4a9", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u2764\ufe0f",
    "e\u0301", "\u0336\u0336", "\u202e", "\u202d", "\u200f", "\u200b", "\ufeff", "\ufdfa",
]  # fmt: skip
CONTROL = ["\x00", "\r\n", "\r", "\n", "\t", "\x7f", "\x1b", "\x08", "\x85"]
DOT_SEGMENTS = [".", "..", "./", "../", "/..", "%2e", "%2E%2E", ".%2e", "..%2f", "..\\", "//"]
# Already percent-encoded, most of it not UTF-8 (or not an escape at all) once decoded.
PERCENT_JUNK = [
    "%C3%28", "%FF", "%fe%ff", "%", "%%", "%zz", "%2", "%c0%af", "%e2%82", "%ed%a0%80",
    "%f4%90%80%80", "%00", "%0D%0A", "%09", "%7F", "%25", "%2F", "%5C", "%3F", "%23",
    "%u202e", "%%32%65",
]  # fmt: skip
QUERY_SYNTAX = ["&", "=", "&&", "==", "+", ";", "?", "#", "[]", "q=", "page=", "&page="]
ATTACKS = [value for value in HOSTILE_TEXT.values() if len(value) < 100]

TEXT = st.lists(
    st.sampled_from(WRITING + CONTROL + DOT_SEGMENTS + ATTACKS) | st.text(max_size=10),
    max_size=10,
).map("".join)
JUNK = st.lists(
    st.sampled_from(PERCENT_JUNK + DOT_SEGMENTS)
    | st.text(alphabet=ascii_letters + digits + "-_.~", max_size=4),
    min_size=1,
    max_size=12,
).map("".join)
LONG = st.builds(
    lambda unit, count: unit * count,
    st.sampled_from(["a", "9", "я", "ی", "-", "%FF", "%C3%28", "%D1%8F"]),
    st.integers(min_value=1_000, max_value=5_000),
)
# One path segment or query value as it stands in the request line.
RAW = st.one_of(
    TEXT.map(lambda text: quote(text, safe="")),  # as a browser sends it
    TEXT,  # unencoded: the client's UTF-8 bytes as they are
    JUNK,
    LONG,
)
QUERY_RAW = st.one_of(
    RAW,
    st.lists(st.sampled_from(QUERY_SYNTAX) | RAW, min_size=1, max_size=8).map("".join),
)
METHODS = st.sampled_from(["GET", "GET", "HEAD", "POST"])

PROPERTY = settings(
    max_examples=300,
    deadline=None,  # a request renders a page: its time says nothing about the input
    # `site` and `front` are set up once per test, not per example: every example reads the
    # same site, and no request it sends changes what the next one sees (a stored page only
    # answers the same request again).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def site() -> Site:
    """A little live content at Cyrillic and Persian addresses (the bug's own kind of URL, so
    real pages are rendered, stored and answered from the cache at them), with nothing hostile
    in it: an attack string in an answer came from the request."""
    topic = TopicFactory(name="Россия", slug="россия")
    author = AuthorFactory(name="Мария Иванова", slug="мария-иванова")
    expert = ExpertFactory(name="مریم احمدی", slug="مریم-احمدی")
    article = ArticleFactory(
        title="Россия и Иран: the Caspian route",
        slug="россия-иран",
        primary_topic=topic,
        authors=[author],
        tags=["ایران"],
        standfirst="Каспийский путь, مسیر دریای خزر \U0001f6a2.",
        body="## Один\n\nТекст и متن.\n\n[[quote:q]]\n",
    )
    ExpertQuoteFactory(article=article, expert=expert, key="q", text="دو طرف به هم نیاز دارند.")
    return Site(article, topic, author, expert, article.tags.get())


@dataclass
class Front:
    """The deployed application, and the tracebacks of the exceptions Django answered with a
    500 while it ran."""

    app: Callable
    page_cache_on: bool
    exceptions: list[str] = field(default_factory=list, repr=False)


@pytest.fixture(params=[False, True], ids=["page-cache-off", "page-cache-on"])
def front(request, settings):
    from config.wsgi import application

    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": request.param}
    # Production's value: Django answers an exception with a 500, which the check reports
    # (raised instead, the check reports that too: test_the_check_reports_...).
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    front = Front(application, page_cache_on=request.param)

    def record(sender, **kwargs):
        front.exceptions.append(traceback.format_exc())

    signals.got_request_exception.connect(record)
    try:
        with keep_test_transaction():
            yield front
    finally:
        signals.got_request_exception.disconnect(record)


def failures(front: Front, raw_path: str, raw_query: str = "", method: str = "GET") -> list[str]:
    """What went wrong with one request (empty when nothing did). With the page cache on, a
    page it stored is asked for again, and answered from the cache."""
    request = f"{method} {raw_path[:150]!r}" + (f" ?{raw_query[:150]!r}" if raw_query else "")
    front.exceptions.clear()
    repeat = 2 if front.page_cache_on and method in ("GET", "HEAD") else 1
    found = []
    for _ in range(repeat):
        # Each request its own transaction, as in production: a database error in one (an
        # aborted transaction on PostgreSQL) fails that example alone, so it shrinks.
        savepoint = transaction.savepoint()
        try:
            answer = Answer(front.app, server_environ(raw_path, raw_query, method, **HTTPS))
        except Exception:  # the server would answer 500, with nothing from the site
            return [f"{request}: raised\n{traceback.format_exc()}"]
        finally:
            transaction.savepoint_rollback(savepoint)
        if currently_in_test_context():  # --hypothesis-show-statistics: what was reached
            event(f"status {answer.status}")
        if answer.status >= 500:
            causes = "\n".join(front.exceptions) or "(no exception reported)"
            return [f"{request}: status {answer.status}\n{causes}"]
        problems = injection_problems(answer)
        if problems:
            found.append(f"{request}: {answer.status}, {problems}")
    return found


def live_pages(site: Site) -> list[str]:
    return [
        reverse("website:home"),
        site.article.get_absolute_url(),
        site.topic.get_absolute_url(),
        site.author.get_absolute_url(),
        site.expert.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": site.tag.slug}),
        reverse("articles:search"),
        reverse("website:feed"),
        reverse("website:sitemap"),
    ]


@PROPERTY
@given(
    template=st.sampled_from(sorted({t for _, t in PATH_ROUTES.values()})),
    value=RAW,
    method=METHODS,
)
def test_any_path_argument_of_a_public_route(front, site, template, value, method):
    failed = failures(front, template.format(value), method=method)
    assert not failed, failed


@PROPERTY
@given(
    page=st.integers(min_value=0, max_value=100),
    segments=st.lists(RAW, min_size=1, max_size=4),
    after_page=st.booleans(),
    method=METHODS,
)
def test_any_path(front, site, page, segments, after_page, method):
    """Whole paths, alone or after one of the live site's pages."""
    pages = live_pages(site)
    prefix = pages[page % len(pages)] if after_page else "/"
    failed = failures(front, prefix + "/".join(segments), method=method)
    assert not failed, failed


@PROPERTY
@given(url=st.integers(min_value=0, max_value=1_000), value=QUERY_RAW, method=METHODS)
def test_any_query_string(front, site, url, value, method):
    """Each query parameter a public page reads, an unknown one, and whole query strings on
    the live site's pages."""
    urls = query_urls(site, value) + [f"{page}?{value}" for page in live_pages(site)]
    path, _, query = urls[url % len(urls)].partition("?")  # no page's path holds a "?"
    failed = failures(front, path, query, method=method)
    assert not failed, failed


def test_the_live_site_pages_render(front, site):
    """The pages the generated requests add to are real pages, answered by the application."""
    for page in live_pages(site):
        answer = Answer(front.app, server_environ(page, **HTTPS))
        assert answer.status == 200, page
        if front.page_cache_on:  # the repeat in failures() reaches PageCacheApp's answer
            again = Answer(front.app, server_environ(page, **HTTPS))
            assert again.headers.get("X-Page-Cache") == "hit", page
    search = reverse("articles:search")
    answer = Answer(front.app, server_environ(search, "q=" + quote("Иран"), **HTTPS))
    assert site.article.get_absolute_url().encode() in answer.body


@pytest.mark.parametrize("propagate", [False, True], ids=["answered-500", "propagated"])
def test_the_check_reports_an_exception_however_django_handles_it(
    front, site, settings, monkeypatch, propagate
):
    """An exception in Django's handling fails the check, whether Django answers it with a 500
    or DEBUG_PROPAGATE_EXCEPTIONS lets it out to the server."""
    settings.DEBUG_PROPAGATE_EXCEPTIONS = propagate

    def broken(self, path):
        raise RuntimeError("resolver broke")

    monkeypatch.setattr(URLResolver, "resolve", broken)

    failed = failures(front, "/articles/россия/")

    assert len(failed) == 1
    assert "resolver broke" in failed[0]
