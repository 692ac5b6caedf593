"""core/paths.py builds the paths of pages with a slug without walking the URL resolver each
time: the same strings reverse() gives, for every script and under a script prefix."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import override_settings
from django.urls import (
    NoReverseMatch,
    clear_script_prefix,
    include,
    path,
    reverse,
    set_script_prefix,
)

import core.converters  # noqa: F401  (registers <unicode_slug:>)
from core.paths import fixed_path, slug_path, slug_paths

SLUGS = [
    "russia-iran-gas",
    "под-санкциями",  # Cyrillic
    "روابط-ایران-و-روسیه",  # Persian
    "ünïcödé_and_digits-2026",
    "a",
]
NAMES = ["articles:detail", "topics:detail", "authors:detail", "authors:expert_detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("slug", SLUGS)
def test_slug_path_is_what_reverse_gives(name, slug):
    assert slug_path(name, slug) == reverse(name, kwargs={"slug": slug})
    assert slug_paths(name)(slug) == reverse(name, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["", "has space", "dot.ted", "slash/ed", "nul\x00byte"])
def test_a_slug_no_address_takes_fails_as_reverse_fails(slug):
    with pytest.raises(NoReverseMatch):
        slug_path("articles:detail", slug)
    with pytest.raises(NoReverseMatch):
        slug_paths("articles:detail")(slug)


def test_paths_follow_the_script_prefix_of_the_request():
    plain = slug_path("topics:detail", "oil")
    set_script_prefix("/dossier/")
    try:
        assert slug_path("topics:detail", "oil") == "/dossier" + plain
        assert fixed_path("website:home") == reverse("website:home") == "/dossier/"
    finally:
        clear_script_prefix()
    assert slug_path("topics:detail", "oil") == plain


def _view(request, slug):  # pragma: no cover - only reversed, never called
    raise AssertionError


# A URLconf that puts topics elsewhere, for the test below.
urlpatterns = [
    path(
        "elsewhere/",
        include(([path("<unicode_slug:slug>/", _view, name="detail")], "topics")),
    )
]


def test_a_changed_urlconf_is_not_answered_from_the_old_one():
    assert slug_path("topics:detail", "oil") == "/topics/oil/"
    with override_settings(ROOT_URLCONF=__name__):
        assert slug_path("topics:detail", "oil") == "/elsewhere/oil/"
    assert slug_path("topics:detail", "oil") == "/topics/oil/"


def test_models_link_to_their_pages_through_it(db):
    from tests.factories import ArticleFactory

    article = ArticleFactory(slug="газ-и-нефть")
    assert article.get_absolute_url() == reverse("articles:detail", kwargs={"slug": article.slug})
    topic = article.primary_topic
    assert topic.get_absolute_url() == reverse("topics:detail", kwargs={"slug": topic.slug})


def test_the_path_function_writes_what_url_writes():
    from django.template import engines

    jinja = engines["jinja2"]
    names = ["website:home", "articles:search", "topics:list", "authors:list", "website:feed"]
    for name in names:
        with_path = jinja.from_string(f'{{{{ path("{name}") }}}}')
        with_url = jinja.from_string(f'{{{{ url("{name}") }}}}')
        assert with_path.render({}) == with_url.render({}) == reverse(name)


def test_the_slug_path_function_writes_what_url_writes():
    from django.template import engines

    template = engines["jinja2"].from_string(
        '{{ slug_path("comments:post", slug) }}|{{ url("comments:post", slug=slug) }}'
    )
    for slug in SLUGS:
        with_path, with_url = template.render({"slug": slug}).split("|")
        assert with_path == with_url


def test_the_asset_function_writes_what_static_writes(settings):
    from django.template import engines

    settings.DEBUG = False
    template = engines["jinja2"].from_string(
        '{{ asset("css/site.css") }}|{{ static("css/site.css") }}'
    )
    with_asset, with_static = template.render({}).split("|")
    assert with_asset == with_static


def test_asset_urls_are_kept_without_debug_and_follow_a_new_static_url(settings):
    from core.paths import asset_url

    settings.DEBUG = False
    settings.STATIC_URL = "/first/"
    assert asset_url("css/site.css") == "/first/css/site.css"
    with mock.patch("core.paths.static") as static:
        assert asset_url("css/site.css") == "/first/css/site.css"
    static.assert_not_called()
    settings.STATIC_URL = "/second/"  # a changed setting forgets what was kept
    assert asset_url("css/site.css") == "/second/css/site.css"


def test_asset_urls_are_asked_every_time_with_debug(settings):
    from core.paths import asset_url

    settings.DEBUG = True
    with mock.patch("core.paths.static", return_value="/changed.css") as static:
        assert asset_url("css/site.css") == "/changed.css"
        assert asset_url("css/site.css") == "/changed.css"
    assert static.call_count == 2
