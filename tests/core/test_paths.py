"""core/paths.py builds the paths of pages with a slug without walking the URL resolver each
time: the same strings reverse() gives, for every script and under a script prefix."""

from __future__ import annotations

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


def test_the_path_tag_writes_what_the_url_tag_writes():
    from django.template import engines

    django_engine = engines["django"]
    names = ["website:home", "articles:search", "topics:list", "authors:list", "website:feed"]
    for name in names:
        with_path = django_engine.from_string(f'{{% load paths %}}{{% path "{name}" %}}')
        with_url = django_engine.from_string(f'{{% url "{name}" %}}')
        assert with_path.render({}) == with_url.render({}) == reverse(name)
