"""Serving as production does: hashed, precompressed static files with far-future caching,
gzip for pages, cached templates, and the gunicorn settings file (docs/deployment.md)."""

from __future__ import annotations

import gzip
import json
import os
import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.backends.jinja2 import Jinja2
from django.template.loaders.cached import Loader as CachedLoader
from django.test import Client, override_settings
from gunicorn.config import Config

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HASHED_CSS = re.compile(r"^css/site\.[0-9a-f]{12}\.css$")
PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


# --- static files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic with the production storage into a fresh STATIC_ROOT (once: it takes a
    few seconds for the admin's files)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(collected):
    """Settings as in production for static files; a new Client builds a WhiteNoise that scans
    `collected`, and {% static %} reads its manifest."""
    with override_settings(STATIC_ROOT=collected, STORAGES=PRODUCTION_STATIC):
        yield collected


def hashed_name(root: Path, name: str) -> str:
    return json.loads((root / "staticfiles.json").read_text())["paths"][name]


def test_collectstatic_writes_hashed_names_with_gzip_copies(collected):
    hashed = hashed_name(collected, "css/site.css")

    assert HASHED_CSS.match(hashed), hashed
    served = (collected / hashed).read_bytes()
    assert gzip.decompress((collected / f"{hashed}.gz").read_bytes()) == served
    # The stylesheet's own url()s (the fonts) point at hashed names too, so they can be
    # cached for ever like the stylesheet.
    font = hashed_name(collected, "fonts/dossier-serif-latin.woff2")
    assert font != "fonts/dossier-serif-latin.woff2"
    assert f'url("../{font}")'.encode() in served


def test_pages_link_the_hashed_names(production_static):
    ArticleFactory()

    html = Client().get("/").content.decode()

    assert f'href="/static/{hashed_name(production_static, "css/site.css")}"' in html
    assert 'href="/static/css/site.css"' not in html


def test_hashed_static_files_are_cached_for_ever_and_served_gzipped(production_static):
    url = "/static/" + hashed_name(production_static, "css/site.css")

    # gzip only: with the brotli package installed (`make fonts` adds it) WhiteNoise prefers br.
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content)
    assert gzip.decompress(body) == (production_static / url.removeprefix("/static/")).read_bytes()


def test_a_plain_static_name_is_cached_only_briefly(production_static):
    """Its content changes with each deploy; only hashed names may be kept for ever."""
    response = Client().get("/static/css/site.css")

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"


# --- gzip for pages --------------------------------------------------------------------------


def test_html_is_gzipped_for_clients_that_accept_it():
    ArticleFactory(title="A compressed page")

    plain = Client().get("/")
    packed = Client().get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert "Accept-Encoding" in plain["Vary"]  # a shared cache must keep the two apart
    html = gzip.decompress(packed.content).decode()
    assert "A compressed page" in html
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)


def test_feeds_and_sitemaps_are_gzipped_too():
    for n in range(5):
        ArticleFactory(slug=f"packed-{n}")

    for url in ("/feeds/articles/", "/sitemap-articles.xml"):
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", url


def test_a_cached_page_served_gzipped_still_answers_304(settings):
    """The page cache stores the page once, uncompressed; gzip makes its ETag weak (W/"…") and
    a conditional GET carrying that weak ETag must still be answered 304."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    article = ArticleFactory()
    url = article.get_absolute_url()

    first = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    again = Client().get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    plain = Client().get(url)

    assert first["Content-Encoding"] == "gzip"
    assert first["ETag"].startswith('W/"')
    assert again.status_code == 304
    assert plain["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(first.content) == plain.content


# --- templates -------------------------------------------------------------------------------


def _engine_options(backend: str) -> dict:
    (options,) = [engine for engine in settings.TEMPLATES if engine["BACKEND"] == backend]
    return options


def test_admin_templates_are_compiled_once_per_process_when_debug_is_off():
    """No "loaders" option: Django wraps the site's loaders in its cached loader."""
    options = _engine_options("django.template.backends.django.DjangoTemplates")
    engine = DjangoTemplates(
        {
            "NAME": "production",
            "DIRS": options["DIRS"],
            "APP_DIRS": options["APP_DIRS"],
            "OPTIONS": {**options["OPTIONS"], "debug": False},
        }
    ).engine

    (loader,) = engine.template_loaders
    assert isinstance(loader, CachedLoader)
    first = engine.get_template("admin/base_site.html")
    assert engine.get_template("admin/base_site.html") is first


def test_public_templates_are_compiled_once_per_process_when_debug_is_off(settings):
    """With DEBUG off Jinja2 keeps what it compiled and never looks at the file again."""
    settings.DEBUG = False
    options = _engine_options("django.template.backends.jinja2.Jinja2")
    env = Jinja2(
        {
            "NAME": "production",
            "DIRS": options["DIRS"],
            "APP_DIRS": options["APP_DIRS"],
            "OPTIONS": options["OPTIONS"],
        }
    ).env

    assert env.auto_reload is False
    first = env.get_template("base.html")
    assert env.get_template("base.html") is first


def test_the_sites_own_engine_caches_templates():
    (loader,) = engines["django"].engine.template_loaders
    assert isinstance(loader, CachedLoader)


# --- gunicorn ------------------------------------------------------------------------------

GUNICORN_CONF = Path(settings.BASE_DIR) / "config" / "gunicorn.py"
GUNICORN_ENV = (
    "GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_REQUESTS_JITTER", "FORWARDED_ALLOW_IPS",
    "GUNICORN_ACCESS_LOG", "LOG_LEVEL",
)  # fmt: skip


def gunicorn_settings(monkeypatch, **env) -> dict:
    """The settings config/gunicorn.py makes under `env` (and nothing else of ours set)."""
    for name in GUNICORN_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(GUNICORN_CONF))
    return {name: value for name, value in values.items() if not name.startswith("_")}


def applied(values: dict) -> Config:
    """A gunicorn Config with every setting applied, through gunicorn's own validators."""
    config = Config()
    for name, value in values.items():
        config.set(name, value)
    return config


def test_every_name_in_the_gunicorn_file_is_a_gunicorn_setting(monkeypatch):
    """gunicorn silently ignores names it does not know: a typo would be lost."""
    values = gunicorn_settings(monkeypatch)
    known = Config().settings

    assert {name for name in values if name not in known} == {"os"}


def test_gunicorn_defaults(monkeypatch):
    values = gunicorn_settings(monkeypatch)
    values.pop("os")
    config = applied(values)

    assert config.wsgi_app == "config.wsgi:application"
    assert config.bind == ["127.0.0.1:8000"]
    assert (config.worker_class_str, config.workers) == ("sync", 2)
    assert (config.timeout, config.graceful_timeout) == (30, 30)
    assert (config.max_requests, config.max_requests_jitter) == (50_000, 5_000)
    assert config.forwarded_allow_ips == ["127.0.0.1", "::1"]
    assert (config.accesslog, config.errorlog, config.loglevel) == ("-", "-", "info")
    assert "%(M)s" in config.access_log_format


def test_gunicorn_reads_the_environment(monkeypatch):
    values = gunicorn_settings(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:9000, unix:/run/dossier.sock",
        WEB_CONCURRENCY="5",
        GUNICORN_TIMEOUT="60",
        GUNICORN_GRACEFUL_TIMEOUT="10",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
        FORWARDED_ALLOW_IPS="10.0.0.5",
        GUNICORN_ACCESS_LOG="",
        LOG_LEVEL="WARNING",
    )
    values.pop("os")
    config = applied(values)

    assert config.bind == ["0.0.0.0:9000", "unix:/run/dossier.sock"]
    assert config.workers == 5
    assert (config.timeout, config.graceful_timeout) == (60, 10)
    assert (config.max_requests, config.max_requests_jitter) == (500, 50)
    assert config.forwarded_allow_ips == ["10.0.0.5"]
    assert config.accesslog is None
    assert config.loglevel == "warning"


@pytest.mark.skipif(not os.path.isdir("/dev/shm"), reason="no /dev/shm here")
def test_gunicorn_heartbeat_files_live_in_memory(monkeypatch):
    assert gunicorn_settings(monkeypatch)["worker_tmp_dir"] == "/dev/shm"


def test_gunicorn_access_lines_end_with_the_request_id(monkeypatch):
    """The id every answer carries (core/request_id.py) ties an access line to the site's log
    lines for that request, a 500's traceback among them."""
    from gunicorn.glogging import SafeAtoms

    values = gunicorn_settings(monkeypatch)
    values.pop("os")
    atoms = {"r": "GET /articles/x/ HTTP/1.1", "s": "500", "{x-request-id}o": "4f1c9e"}

    line = applied(values).access_log_format % SafeAtoms(atoms)

    assert '"GET /articles/x/ HTTP/1.1" 500 ' in line
    assert line.endswith(" [4f1c9e]")
    assert (applied(values).access_log_format % SafeAtoms({})).endswith(" [-]")


def test_loading_the_wsgi_application_keeps_what_it_loaded_out_of_full_collections():
    """Everything loaded with the application is frozen (gc.freeze), so the garbage collector's
    full collections, every few hundred requests, no longer walk it."""
    import gc

    gc.unfreeze()
    runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "wsgi.py"))
    try:
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_worker_freezes_what_it_keeps_once_warm(monkeypatch):
    """After its first requests have loaded what a worker keeps, it is frozen out of the
    garbage collector's full collections, once."""
    import gc
    from types import SimpleNamespace

    post_request = gunicorn_settings(monkeypatch)["post_request"]
    gc.unfreeze()
    try:
        post_request(SimpleNamespace(nr=199), None, {}, None)
        assert gc.get_freeze_count() == 0
        post_request(SimpleNamespace(nr=200), None, {}, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
