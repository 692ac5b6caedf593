from __future__ import annotations

import pytest
from django.urls import resolve

from authors.models import Author, Expert
from tests.factories import AuthorFactory, AuthorLinkFactory, ExpertFactory

pytestmark = pytest.mark.django_db


def test_author_url_resolves_back_to_the_author_page():
    author = AuthorFactory(slug="sarah-khan")

    url = author.get_absolute_url()

    assert url == "/authors/sarah-khan/"
    match = resolve(url)
    assert (match.namespace, match.url_name) == ("authors", "detail")
    assert match.kwargs == {"slug": "sarah-khan"}


def test_expert_url_resolves_back_to_the_expert_page():
    expert = ExpertFactory(slug="leila-farahani")

    url = expert.get_absolute_url()

    assert url == "/experts/leila-farahani/"
    match = resolve(url)
    assert (match.namespace, match.url_name) == ("authors", "expert_detail")
    assert match.kwargs == {"slug": "leila-farahani"}


@pytest.mark.parametrize(
    ("name", "initial"),
    [("Sarah Khan", "S"), ("  émile Zola", "É"), ("ñ", "Ñ"), ("", "?"), ("   ", "?")],
)
def test_author_initial_is_the_first_letter_in_capitals(name, initial):
    assert Author(name=name).initial == initial


def test_authors_and_experts_are_listed_by_name():
    for name in ("Zora", "Adam"):
        AuthorFactory(name=name)
    for name in ("Zed", "Abel"):
        ExpertFactory(name=name)

    assert [a.name for a in Author.objects.all()] == ["Adam", "Zora"]
    assert [e.name for e in Expert.objects.all()] == ["Abel", "Zed"]


def test_author_links_keep_their_order():
    author = AuthorFactory()
    second = AuthorLinkFactory(author=author, label="Website", sort_order=2)
    first = AuthorLinkFactory(author=author, label="Mastodon", sort_order=1)

    assert list(author.links.all()) == [first, second]
    assert str(first) == "Mastodon: https://example.social/@author"


def test_string_forms_are_the_names():
    assert str(AuthorFactory.build(name="Sarah Khan")) == "Sarah Khan"
    assert str(ExpertFactory.build(name="Leila Farahani")) == "Leila Farahani"
