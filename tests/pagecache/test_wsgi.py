"""PageCacheApp answers page-cache hits before Django runs, with the same answer the middleware
gives, and hands everything else to Django."""

from __future__ import annotations

import gzip
import re
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory

from articles.models import Article
from pagecache import store
from pagecache.backend import RedisCache
from pagecache.middleware import PageCacheMiddleware
from pagecache.wsgi import PageCacheApp
from tests.factories import ArticleFactory
from tests.wsgi import keep_test_transaction

pytestmark = pytest.mark.django_db

# Set per request (dates, lifetimes counted down, the request id) or only on a fresh render
# (Vary: Cookie).
PER_RESPONSE = {"Date", "Vary", "X-Page-Cache", "X-Request-ID"}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}


@pytest.fixture
def django_app():
    """Django's WSGI handler, counting the requests it is given, inside the test's transaction
    (tests/wsgi.py)."""
    handler = WSGIHandler()
    seen: list[str] = []

    def app(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return handler(environ, start_response)

    app.seen = seen
    with keep_test_transaction():
        yield app


@pytest.fixture
def front(django_app):
    return PageCacheApp(django_app)


class Answer:
    def __init__(self, app, method="get", path="/", **extra):
        environ = getattr(RequestFactory(), method)(path, **extra).environ
        # RequestFactory's environ is the one its own WSGIRequest has already rewritten (the
        # path decoded to text): give PATH_INFO as a WSGI server does, bytes read as Latin-1.
        environ["PATH_INFO"] = unquote_to_bytes(urlsplit(path).path).decode("iso-8859-1")
        self.environ = environ
        chunks = app(environ, self.start_response)
        self.body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()

    def start_response(self, status, headers, exc_info=None):
        self.status = int(status.split()[0])
        self.headers = dict(headers)


@pytest.fixture
def article():
    return ArticleFactory(title="Caspian shipping lanes", slug="caspian")


def test_a_stored_page_is_answered_without_reaching_django(front, django_app, article):
    url = article.get_absolute_url()
    first = Answer(front, path=url)
    assert first.headers["X-Page-Cache"] == "miss"

    hit = Answer(front, path=url)

    assert django_app.seen == [url]  # the second request never reached Django
    assert hit.status == 200
    assert hit.headers["X-Page-Cache"] == "hit"
    assert hit.body == first.body
    assert int(hit.headers["Content-Length"]) == len(hit.body)


def test_a_hit_carries_the_headers_django_gives_it(front, article, settings):
    """Security headers come from middleware that a hit answered here never passes through:
    they were stored with the page. The answer's headers are the middleware path's."""
    url = article.get_absolute_url()
    Answer(front, path=url)

    hit = Answer(front, path=url)
    through_django = Client().get(url)

    assert through_django["X-Page-Cache"] == "hit"
    assert hit.headers["X-Content-Type-Options"] == "nosniff"
    assert hit.headers["Referrer-Policy"] == settings.SECURE_REFERRER_POLICY
    assert hit.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert hit.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in hit.headers
    assert set(hit.headers) - PER_RESPONSE == set(through_django.headers) - PER_RESPONSE
    for name in set(hit.headers) - PER_RESPONSE - {"Last-Modified"}:
        assert hit.headers[name] == through_django[name], name


def test_pages_served_over_https_keep_hsts(front, article, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    url = article.get_absolute_url()
    Answer(front, path=url, secure=True)

    hit = Answer(front, path=url, secure=True)

    assert hit.headers["X-Page-Cache"] == "hit"
    assert hit.headers["Strict-Transport-Security"].startswith("max-age=3600")


def test_a_change_sends_the_next_request_to_django(
    front, django_app, article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    Answer(front, path=url)
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=article.pk).save()  # cache_rules moves its tag on commit

    again = Answer(front, path=url)

    assert again.headers["X-Page-Cache"] == "miss"
    assert django_app.seen == [url, url]


def test_a_miss_asks_the_cache_once(front, article, monkeypatch):
    lookups = []
    real = PageCacheMiddleware.fresh_page
    monkeypatch.setattr(
        PageCacheMiddleware,
        "fresh_page",
        staticmethod(lambda key, now: lookups.append(key) or real(key, now)),
    )

    assert Answer(front, path=article.get_absolute_url()).headers["X-Page-Cache"] == "miss"
    assert len(lookups) == 1  # here, not again in the middleware


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "post"},
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
    ],
    ids=["post", "session", "messages"],
)
def test_requests_the_cache_does_not_serve_go_to_django(front, django_app, article, request_kwargs):
    url = article.get_absolute_url()
    Answer(front, path=url)

    answer = Answer(front, path=url, **request_kwargs)

    assert django_app.seen == [url, url]
    assert answer.headers.get("X-Page-Cache") != "hit"


def test_a_matching_etag_gets_a_304_with_no_body(front, article):
    url = article.get_absolute_url()
    etag = Answer(front, path=url).headers["ETag"]

    answer = Answer(front, path=url, HTTP_IF_NONE_MATCH=etag)

    assert answer.status == 304
    assert answer.body == b""
    assert answer.headers["ETag"] == etag
    assert "Content-Type" not in answer.headers


def test_readers_who_accept_gzip_get_the_stored_compressed_copy(front, article):
    url = article.get_absolute_url()
    plain = Answer(front, path=url).body

    answer = Answer(front, path=url, HTTP_ACCEPT_ENCODING="gzip, br")

    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.headers["Vary"] == "Accept-Encoding"
    assert answer.headers["ETag"].startswith('W/"')
    assert gzip.decompress(answer.body) == plain


def test_head_gets_the_headers_and_no_body(front, article):
    url = article.get_absolute_url()
    plain = Answer(front, path=url).body

    answer = Answer(front, method="head", path=url)

    assert answer.headers["X-Page-Cache"] == "hit"
    assert answer.body == b""
    assert int(answer.headers["Content-Length"]) == len(plain)


def test_an_unknown_host_gets_djangos_400(front, django_app, article):
    answer = Answer(front, path=article.get_absolute_url(), HTTP_HOST="evil.example")

    assert answer.status == 400
    assert django_app.seen == [article.get_absolute_url()]


def test_a_failed_lookup_leaves_the_request_to_django(front, django_app, article, monkeypatch):
    real = PageCacheMiddleware.fresh_page
    calls = []

    def fails_once(key, now):  # the cache drops the front's connection, then answers again
        calls.append(key)
        if len(calls) == 1:
            raise ConnectionError("connection reset by peer")
        return real(key, now)

    monkeypatch.setattr(PageCacheMiddleware, "fresh_page", staticmethod(fails_once))

    answer = Answer(front, path=article.get_absolute_url())

    assert answer.status == 200
    assert django_app.seen == [article.get_absolute_url()]
    assert len(calls) == 2  # the middleware, told nothing was found, looked for itself


def test_with_redis_unreachable_every_request_is_rendered_by_django(
    front, django_app, article, monkeypatch, caplog
):
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    monkeypatch.setattr(store, "cache", down)
    url = article.get_absolute_url()

    answers = [Answer(front, path=url) for _ in range(2)]

    assert [answer.status for answer in answers] == [200, 200]
    assert django_app.seen == [url, url]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # warnings, no tracebacks


def test_static_files_are_not_looked_up(front, django_app, monkeypatch, settings):
    monkeypatch.setattr(PageCacheMiddleware, "fresh_page", None)  # would fail

    Answer(front, path=settings.STATIC_URL + "css/site.css")

    assert django_app.seen == [settings.STATIC_URL + "css/site.css"]


def test_media_on_another_host_does_not_stop_hits(front, django_app, article, settings):
    settings.MEDIA_URL = "https://media.example.org/"
    url = article.get_absolute_url()
    Answer(front, path=url)

    assert Answer(front, path=url).headers["X-Page-Cache"] == "hit"
    assert django_app.seen == [url]


def test_the_deployed_application_answers_hits_first():
    from config import wsgi

    assert isinstance(wsgi.application, PageCacheApp)


@pytest.mark.parametrize(
    "path",
    ["/articles/Ω≈ç√∫˜µ≤≥÷/", "/articles/россия-иран/", "/topics/روسیه/", "/search/?q=Иран"],
)
def test_a_path_outside_latin_1_reaches_django_intact(front, django_app, path):
    # Django's request object writes the decoded path back into the environ it is given; the
    # front must not hand Django an environ it has changed (that was a 500 on every such URL).
    answer = Answer(front, path=path)
    assert answer.status in (200, 404)
    assert django_app.seen  # a miss: Django answered it


def test_a_hit_carries_a_request_id(front, article):
    """As every answer of Django's does (core/request_id.py): gunicorn's access log shows it."""
    url = article.get_absolute_url()
    Answer(front, path=url)

    hit = Answer(front, path=url)
    given = Answer(front, path=url, HTTP_X_REQUEST_ID="edge-7f3a.1")
    hostile = Answer(front, path=url, HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")

    assert {hit.headers["X-Page-Cache"], given.headers["X-Page-Cache"]} == {"hit"}
    assert re.fullmatch(r"[0-9a-f]{32}", hit.headers["X-Request-ID"])
    assert given.headers["X-Request-ID"] == "edge-7f3a.1"
    assert re.fullmatch(r"[0-9a-f]{32}", hostile.headers["X-Request-ID"])
