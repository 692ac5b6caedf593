"""WindowCountPaginator: Django's paginator, with the total read from the page query."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

from articles.models import Article
from core.pagination import WindowCountPaginator
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven():
    for n in range(7):
        ArticleFactory(slug=f"row-{n}")
    return Article.objects.order_by("pk")


@pytest.mark.parametrize("number", [1, 2, 3])
def test_pages_match_djangos_paginator(seven, number):
    ours = WindowCountPaginator(seven, 3).page(number)
    django = Paginator(seven, 3).page(number)

    assert list(ours.object_list) == list(django.object_list)
    assert ours.paginator.count == django.paginator.count == 7
    assert ours.paginator.num_pages == 3
    assert (ours.has_next(), ours.has_previous()) == (django.has_next(), django.has_previous())
    assert (ours.start_index(), ours.end_index()) == (django.start_index(), django.end_index())


def test_a_page_and_its_total_cost_one_query(seven, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = WindowCountPaginator(seven, 3).page(2)
        assert page.paginator.count == 7
        assert len(page.object_list) == 3


def test_first_page_of_nothing_is_empty_with_a_total_of_zero():
    page = WindowCountPaginator(Article.objects.order_by("pk"), 3).page(1)

    assert list(page.object_list) == []
    assert page.paginator.count == 0


@pytest.mark.parametrize("number", [4, 0, -1, 10**17, 2**62, 10**30])
def test_pages_outside_the_results_do_not_exist(seven, number):
    with pytest.raises(EmptyPage):
        WindowCountPaginator(seven, 3).page(number)


@pytest.mark.parametrize("number", ["abc", "2.5", None, 2.5])
def test_page_numbers_must_be_integers(seven, number):
    with pytest.raises(PageNotAnInteger):
        WindowCountPaginator(seven, 3).page(number)


def test_a_total_already_known_is_not_asked_again(seven, django_assert_num_queries):
    paginator = WindowCountPaginator(seven, 3)
    last = paginator.num_pages  # how ListView answers ?page=last: a COUNT first

    with django_assert_num_queries(1):
        slugs = [a.slug for a in paginator.page(last).object_list]

    assert slugs == ["row-6"]


def test_orphans_are_refused():
    with pytest.raises(ValueError, match="orphans"):
        WindowCountPaginator(Article.objects.order_by("pk"), 3, orphans=1)
