"""The admin's article list at scale: autocomplete instead of giant selects, and indexes that
answer what the list filters, sorts and searches by.

Its query budget (and that it never counts the whole table) is proved in
tests/test_query_budgets.py; its time at 100,000 articles is in docs/performance.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, RelatedFieldWidgetWrapper
from django.core import checks
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.admin import ArticleAdmin
from articles.models import Article
from tests.factories import ArticleFactory, superuser

pytestmark = pytest.mark.django_db

# Apps whose package sits at the top of this repository (not Django's, not installed ones).
OUR_APPS = {
    config.label
    for config in apps.get_app_configs()
    if (Path(settings.BASE_DIR) / config.name.split(".")[0]).is_dir()
}


def related_fields(form_class) -> dict[str, forms.Field]:
    return {
        name: field
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ModelChoiceField)  # ModelMultipleChoiceField is one too
    }


def editable_forms(request):
    """(label, form class) of every add form in our apps' admins and their inlines."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        if not model_admin.has_add_permission(request):
            continue  # read-only in the admin: nothing to choose
        yield str(model._meta), model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None):
                label = f"{model._meta} › {inline.model._meta}"
                yield label, inline.get_formset(request).form


def test_every_relation_in_our_admin_forms_is_chosen_by_autocomplete(rf):
    """A plain select lists every row of the related table in the page: every article in a
    related-link select, every author in a byline. Autocomplete asks for what is typed."""
    request = rf.get("/")
    request.user = superuser()
    plain_selects = []
    for label, form_class in editable_forms(request):
        for name, field in related_fields(form_class).items():
            widget = field.widget
            if isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget
            if not isinstance(widget, AutocompleteMixin):
                plain_selects.append(f"{label}.{name}")

    assert plain_selects == []


def test_admin_checks_pass_so_every_autocomplete_target_is_searchable():
    """Django's admin checks refuse autocomplete towards an admin without search_fields."""
    assert checks.run_checks(tags=[checks.Tags.admin]) == []


# --- PostgreSQL answers the list from its indexes -----------------------------------------
# What the list shows is measured at 100,000 articles (docs/performance.md). These tests prove
# the indexes fit the SQL Django writes: planned with the alternatives made ruinous, a query
# that still scans the table or sorts has no index it can use.

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="index plans are PostgreSQL's"
)


def explain(sql: str, params=(), *, disable: tuple[str, ...]) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        for method in disable:
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


ROWS = re.compile(r'^SELECT "articles_article"\."id", .* LIMIT \d+$', re.DOTALL)


def article_list_query(client, query: str = "") -> str:
    """The SQL of the page of rows the admin's article list shows."""
    client.force_login(superuser())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("admin:articles_article_changelist") + query).status_code == 200
    (sql,) = [q["sql"] for q in captured.captured_queries if ROWS.search(q["sql"])]
    return sql


@postgresql_only
@pytest.mark.parametrize(
    ("query", "index"),
    [("", "article_desk_idx"), ("?trash=only", "article_trash_idx")],
    ids=["newest change first", "trash"],
)
def test_article_list_reads_its_rows_in_order_from_an_index(client, monkeypatch, query, index):
    # Two pages, so the list asks for one page with LIMIT, as it does at any real size.
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 1)
    for _ in range(2):
        ArticleFactory(deleted_at=timezone.now() if query else None)

    plan = explain(article_list_query(client, query), disable=("seqscan", "sort"))

    assert f"Index Scan Backward using {index} on articles_article" in plan, plan
    assert "Sort" not in plan, plan


@postgresql_only
@pytest.mark.parametrize("field", ArticleAdmin.search_fields)
def test_every_field_the_admin_searches_has_a_trigram_index(field):
    """The admin's search box is icontains on each search field: a trigram index on Django's
    own expression for it answers '%words%' without reading every row."""
    matching = Article.objects.filter(**{f"{field}__icontains": "caspian"}).values("pk")
    sql, params = matching.query.sql_with_params()

    plan = explain(sql, params, disable=("seqscan", "indexscan"))

    assert f"Bitmap Index Scan on article_{field}_trgm" in plan, plan
