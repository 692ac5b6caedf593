"""core.compiled: querysets compiled once per connection, run with new values.

Runs on SQLite and, with DATABASE_URL set, on PostgreSQL: the parameters reach the two backends
in different forms (an aware datetime stays a datetime on PostgreSQL, becomes a string on
SQLite), and both must give exactly what the plain queryset gives.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.models import Prefetch
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from articles.models import Article, KeptCard
from core.compiled import (
    CONNECTION_ATTRIBUTE,
    PREPARED_ATTRIBUTE,
    CompiledQuery,
    CompileError,
    compiled,
    statement_sql,
)
from tests.factories import FIXED_PUBLISH_AT, ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CARD_ROW = ("pk", "kept_card__html", "kept_card__shows")


@compiled(now=datetime, pk=int)
def live_card(now, pk):
    return Article.objects.live(now).with_cards().filter(pk=pk)


@compiled(now=datetime)
def newest_cards(now):
    return Article.objects.live(now).newest_first().values_list(*CARD_ROW)[:10]


@compiled(now=datetime, slug=str)
def live_by_slug(now, slug):
    return Article.objects.live(now).select_related("primary_topic").filter(slug=slug)


def described(article: Article) -> tuple:
    """What a page reads of an article from with_cards(): its own columns, what was left
    behind, its topic (selected with it) and its byline (prefetched)."""
    assert "primary_topic" in article._state.fields_cache
    assert "bylines" in article._prefetched_objects_cache
    return (
        article.pk,
        article.title,
        article.publish_at,
        article.toc,
        article.get_deferred_fields(),
        article.primary_topic.name,
        [byline.author.name for byline in article.bylines.all()],
    )


def calls_of(method: str):
    original = getattr(SQLCompiler, method)
    return mock.patch.object(SQLCompiler, method, autospec=True, side_effect=original)


# --- same rows as the plain queryset -------------------------------------------------------


def test_model_rows_with_select_related_and_prefetch_equal_the_plain_querysets():
    article = ArticleFactory(authors=[AuthorFactory(), AuthorFactory()])
    # toc is derived on save: written directly, as a JSON value to read back.
    Article.objects.filter(pk=article.pk).update(toc=[{"id": "one", "title": "One"}])

    plain = list(Article.objects.live(NOW).with_cards().filter(pk=article.pk))
    rows = live_card.run(now=NOW, pk=article.pk)

    assert [type(row) for row in rows] == [Article]
    assert [described(row) for row in rows] == [described(row) for row in plain]
    assert rows[0].toc == [{"id": "one", "title": "One"}]  # the JSONField decoded


def test_values_list_rows_equal_the_plain_querysets_with_json_decoded():
    with_card, without_card = ArticleFactory(), ArticleFactory()
    KeptCard.objects.create(
        article=with_card, html="<article>…</article>", shows={"t:1": 3}, rendered_at=NOW
    )

    plain = list(Article.objects.live(NOW).newest_first().values_list(*CARD_ROW)[:10])
    rows = newest_cards.run(now=NOW)

    assert rows == plain
    assert (with_card.pk, "<article>…</article>", {"t:1": 3}) in rows
    assert (without_card.pk, None, None) in rows


def test_values_rows_are_dicts_as_the_plain_querysets():
    article = ArticleFactory()
    by_pk = CompiledQuery(lambda pk: Article.objects.filter(pk=pk).values("pk", "slug"), pk=int)

    assert by_pk.run(pk=article.pk) == [{"pk": article.pk, "slug": article.slug}]


def test_a_constant_json_value_stays_a_constant():
    # On PostgreSQL it reaches the parameters wrapped in an adapter that compares by identity.
    toc = [{"id": "one", "title": "One"}]
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(toc=toc)
    query = CompiledQuery(lambda pk: Article.objects.filter(pk=pk, toc=toc), pk=int)

    assert query.run(pk=article.pk) == [article]


def test_first_gives_the_first_row_or_none():
    article = ArticleFactory()

    assert live_card.first(now=NOW, pk=article.pk) == article
    assert live_card.first(now=NOW, pk=article.pk + 1000) is None


@compiled(now=datetime)
def live_newest_first(now):
    return Article.objects.live(now).newest_first().values_list("pk", "title")


def test_windows_give_the_rows_slicing_gives_on_one_compiled_text(django_assert_num_queries):
    for n in range(7):
        ArticleFactory(publish_at=FIXED_PUBLISH_AT - timedelta(hours=n))
    plain = Article.objects.live(NOW).newest_first().values_list("pk", "title")

    for start, stop in [(0, 3), (3, 6), (6, 9), (2, 2), (20, 30), (0, 100)]:
        assert live_newest_first.rows(start, stop, now=NOW) == list(plain[start:stop])
    with django_assert_num_queries(2) as captured:
        live_newest_first.rows(0, 3, now=NOW)
        live_newest_first.rows(3, 6, now=NOW)
    first, second = (statement_sql(query["sql"]) for query in captured.captured_queries)
    assert first.replace("3 OFFSET 0", "?") == second.replace("3 OFFSET 3", "?")


def test_an_empty_or_unreachable_window_asks_nothing(django_assert_num_queries):
    live_newest_first.rows(0, 1, now=NOW)  # compiled
    with django_assert_num_queries(0):
        assert live_newest_first.rows(4, 4, now=NOW) == []
        assert live_newest_first.rows(2**63, 2**64, now=NOW) == []
    with pytest.raises(ValueError):
        live_newest_first.rows(5, 4, now=NOW)


def test_a_window_of_an_unordered_or_sliced_query_is_refused():
    unordered = CompiledQuery(lambda pk: Article.objects.filter(pk__gt=pk).order_by(), pk=int)
    sliced = CompiledQuery(lambda pk: Article.objects.filter(pk__gt=pk)[:5], pk=int)

    for query in (unordered, sliced):
        with pytest.raises(CompileError, match="ordered, unsliced"):
            query.rows(0, 3, pk=0)


# --- new values on each run ----------------------------------------------------------------


def test_each_run_binds_its_own_now():
    soon = ArticleFactory(publish_at=NOW + timedelta(hours=1), expire_at=NOW + timedelta(days=1))

    assert live_card.run(now=NOW, pk=soon.pk) == []
    assert live_card.run(now=NOW + timedelta(hours=2), pk=soon.pk) == [soon]
    assert live_card.run(now=NOW + timedelta(days=2), pk=soon.pk) == []


def test_each_run_binds_its_own_slug():
    first, second = ArticleFactory(slug="first"), ArticleFactory(slug="second")

    assert live_by_slug.run(now=NOW, slug="first") == [first]
    assert live_by_slug.run(now=NOW, slug="second") == [second]
    assert live_by_slug.run(now=NOW, slug="third") == []
    # A value with LIKE's special characters is only a value: no pattern, no escaping.
    assert live_by_slug.run(now=NOW, slug="f%") == []


def test_a_date_parameter_binds_as_the_orm_binds_it():
    article = ArticleFactory()  # published 2026-01-15 09:00 UTC
    on_day = CompiledQuery(lambda day: Article.objects.filter(publish_at__date=day), day=date)

    assert on_day.run(day=date(2026, 1, 15)) == [article]
    assert on_day.run(day=date(2026, 1, 16)) == []
    with timezone.override("Pacific/Honolulu"):  # 2026-01-14 23:00 there
        assert on_day.run(day=date(2026, 1, 14)) == [article]


def test_a_parameter_used_twice_is_bound_in_both_places():
    article = ArticleFactory(expire_at=FIXED_PUBLISH_AT + timedelta(days=1))

    # live() compares `now` with the publish time and with the expiry.
    assert live_card.run(now=FIXED_PUBLISH_AT - timedelta(hours=1), pk=article.pk) == []
    assert live_card.run(now=FIXED_PUBLISH_AT + timedelta(hours=1), pk=article.pk) == [article]
    assert live_card.run(now=FIXED_PUBLISH_AT + timedelta(days=2), pk=article.pk) == []


def test_raw_sql_parameters_bind_as_given():
    """RawSQL hands its parameters to the driver as they are (the search's newest-window
    statement is one): they are found and bound like the ORM's, constants stay constants."""
    first, second = ArticleFactory(slug="first"), ArticleFactory(slug="second")
    by_raw_slug = CompiledQuery(
        lambda slug: Article.objects.filter(
            pk__in=RawSQL(
                "SELECT id FROM articles_article WHERE slug = %s AND status = %s",
                (slug, "published"),
            )
        ),
        slug=str,
    )

    assert by_raw_slug.run(slug="first") == [first]
    assert by_raw_slug.run(slug="second") == [second]
    assert by_raw_slug.run(slug="f%") == []


# --- compiled once, counted every time -----------------------------------------------------


def test_later_runs_compile_nothing():
    article = ArticleFactory()
    built = mock.Mock(side_effect=lambda now, slug: live_by_slug.build(now, slug))
    query = CompiledQuery(built, now=datetime, slug=str)

    with calls_of("as_sql") as as_sql, calls_of("get_converters") as get_converters:
        query.run(now=NOW, slug=article.slug)
        assert as_sql.call_count > 0  # the first run compiles
        as_sql.reset_mock()
        get_converters.reset_mock()
        for _ in range(3):
            assert query.run(now=NOW, slug=article.slug) == [article]
        assert as_sql.call_count == 0
        assert get_converters.call_count == 0
    assert built.call_count == 2  # the two compiles of the first run


def test_every_run_is_one_counted_query_with_its_own_values(django_assert_num_queries):
    first, second = ArticleFactory(slug="first"), ArticleFactory(slug="second")

    for article in (first, second):  # the compiling run, then a compiled one
        with django_assert_num_queries(1) as captured:
            assert live_by_slug.run(now=NOW, slug=article.slug) == [article]
        assert f"'{article.slug}'" in captured.captured_queries[0]["sql"]


def test_prefetches_run_after_the_compiled_query(django_assert_num_queries):
    article = ArticleFactory(authors=[AuthorFactory()])

    live_card.run(now=NOW, pk=article.pk)
    with django_assert_num_queries(2):  # the articles, then their bylines with authors
        [row] = live_card.run(now=NOW, pk=article.pk)
        assert len(row.bylines.all()) == 1


def test_a_setting_change_compiles_again(settings):
    article = ArticleFactory()
    built = mock.Mock(side_effect=lambda slug: Article.objects.filter(slug=slug))
    query = CompiledQuery(built, slug=str)
    query.run(slug=article.slug)

    settings.DOSSIER = {**settings.DOSSIER}
    assert query.run(slug=article.slug) == [article]
    assert built.call_count == 4


def test_another_active_time_zone_compiles_again():
    built = mock.Mock(side_effect=lambda now: Article.objects.filter(publish_at__lte=now))
    query = CompiledQuery(built, now=datetime)
    query.run(now=NOW)

    with timezone.override("Europe/Paris"):
        query.run(now=NOW)
    query.run(now=NOW)
    assert built.call_count == 4


# --- one compile per connection ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_run_in_another_thread_compiles_on_its_own_connection():
    article = ArticleFactory(slug="threaded")
    live_by_slug.run(now=NOW, slug="threaded")
    seen = {}

    def elsewhere():
        try:
            seen["rows"] = live_by_slug.run(now=NOW, slug="threaded")
            seen["connection"] = connections["default"]
        except Exception as error:  # reported in the test's own thread
            seen["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()

    assert "error" not in seen, seen.get("error")
    assert seen["rows"] == [article]
    assert seen["connection"] is not connection
    ours = getattr(connection, CONNECTION_ATTRIBUTE)
    theirs = getattr(seen["connection"], CONNECTION_ATTRIBUTE)
    [(key, kept)] = [(key, kept) for key, kept in ours.items() if key[0] is live_by_slug]
    assert theirs[key].compiler is not kept.compiler
    assert theirs[key].compiler.connection is seen["connection"]


# --- programming errors, refused at the first run ------------------------------------------


def test_a_transformed_parameter_is_refused():
    query = CompiledQuery(lambda q: Article.objects.filter(title__contains=q), q=str)

    with pytest.raises(CompileError, match="no parameter as given"):
        query.run(q="x")


def test_a_computed_parameter_is_refused():
    query = CompiledQuery(lambda pk: Article.objects.filter(pk__gt=pk + 1), pk=int)

    with pytest.raises(CompileError, match="no parameter as given"):
        query.run(pk=1)


def test_reading_the_clock_inside_is_refused():
    query = CompiledQuery(lambda slug: Article.objects.live().filter(slug=slug), slug=str)

    with pytest.raises(CompileError, match="the clock"):
        query.run(slug="x")


def test_an_unused_parameter_is_refused():
    query = CompiledQuery(lambda now, pk: Article.objects.filter(pk=pk), now=datetime, pk=int)

    with pytest.raises(CompileError, match=r"never uses \['now'\]"):
        query.run(now=NOW, pk=1)


def test_sql_that_depends_on_the_values_is_refused():
    # A slice becomes literal LIMIT: a page size cannot be a parameter.
    query = CompiledQuery(lambda upto: Article.objects.order_by("pk")[:upto], upto=int)

    with pytest.raises(CompileError, match="SQL depends on the parameters"):
        query.run(upto=10)


def test_a_prefetch_that_depends_on_a_parameter_is_refused():
    def build(now, pk):
        live = Article.objects.live(now).only("pk")
        return Article.objects.filter(pk=pk, publish_at__lte=now).prefetch_related(
            Prefetch("linked_articles", queryset=live)
        )

    with pytest.raises(CompileError, match="prefetch_related"):
        CompiledQuery(build, now=datetime, pk=int).run(now=NOW, pk=1)


def test_a_query_that_matches_nothing_is_refused():
    query = CompiledQuery(lambda pk: Article.objects.filter(pk=pk, slug__in=[]), pk=int)

    with pytest.raises(CompileError, match="matches nothing"):
        query.run(pk=1)


def test_an_unsupported_parameter_type_is_refused():
    with pytest.raises(TypeError, match="takes datetime, date, str, int"):
        CompiledQuery(lambda ratio: Article.objects.all(), ratio=float)


@pytest.mark.parametrize(
    "values",
    [
        {"now": NOW},
        {"now": NOW, "pk": 1, "slug": "x"},
        {"now": NOW, "pk": "1"},
        {"now": NOW, "pk": True},
        {"now": NOW.date(), "pk": 1},
        {"now": NOW.replace(tzinfo=None), "pk": 1},
    ],
)
def test_wrong_values_are_refused_before_any_query(values, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises((TypeError, ValueError)):
        live_card.run(**values)


# --- prepared on the server (PostgreSQL) ---------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


@compiled(slug=str)
def article_at(slug):
    return Article.objects.filter(slug=slug).values_list("title", flat=True)


def prepared_here() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


@on_postgresql
def test_a_query_is_prepared_once_per_session_then_executed(django_assert_num_queries):
    ArticleFactory(slug="oil", title="Oil")
    assert article_at.run(slug="oil") == ["Oil"]

    with django_assert_num_queries(2) as captured:
        assert article_at.run(slug="oil") == ["Oil"]
        assert article_at.run(slug="gas") == []
    first, second = (query["sql"] for query in captured.captured_queries)
    name = first.split()[1]
    assert first.startswith("EXECUTE dossier_") and second.split()[1] == name
    assert "'oil'" in first and "'gas'" in second  # only the values travel
    assert '"articles_article"."slug" = $1' in prepared_here()[name]
    assert statement_sql(first).startswith("SELECT")
    assert '"articles_article"."slug" = %s' in statement_sql(first)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_new_database_session_prepares_again():
    ArticleFactory(slug="oil", title="Oil")
    article_at.run(slug="oil")
    connection.close()  # as CONN_MAX_AGE or a failed health check does

    assert article_at.run(slug="oil") == ["Oil"]
    assert any(name.startswith("dossier_") for name in prepared_here())


@on_postgresql
def test_a_statement_the_session_has_already_is_used_as_it_is():
    ArticleFactory(slug="oil", title="Oil")
    article_at.run(slug="oil")
    # This process's record of the session lost (the session itself kept): PREPARE finds the
    # name taken, by the same SQL, inside the test's transaction, which stays usable.
    del connections["default"].__dict__[PREPARED_ATTRIBUTE]

    assert article_at.run(slug="oil") == ["Oil"]
    assert Article.objects.filter(slug="oil").exists()


@on_postgresql
def test_an_over_long_value_matches_nothing_as_in_plain_sql():
    # The slug column is varchar(n); the parameter is declared text, so nothing is cut or
    # refused: the same answer as the ORM's query, not "value too long".
    assert article_at.run(slug="x" * 5000) == []
    assert list(Article.objects.filter(slug="x" * 5000)) == []


@on_postgresql
def test_a_statement_postgresql_will_not_prepare_runs_as_plain_sql(caplog):
    # A NULL constant gives PostgreSQL no type to declare for its parameter.
    query = CompiledQuery(
        lambda pk: (
            Article.objects.filter(pk=pk)
            .annotate(empty=RawSQL("%s IS NULL", (None,)))
            .values_list("empty", flat=True)
        ),
        pk=int,
    )
    article = ArticleFactory()

    assert query.run(pk=article.pk) == [True]  # in the test's transaction, still usable after
    assert query.run(pk=article.pk) == [True]
    assert Article.objects.filter(pk=article.pk).exists()
    assert caplog.text.count("not prepared") == 1
    session = connections["default"].__dict__[PREPARED_ATTRIBUTE][1]
    assert False in session.values()  # refused once, then not asked again on this session


@on_postgresql
def test_an_integer_the_query_holds_takes_the_type_its_place_needs(django_assert_num_queries):
    # LEFT() takes an integer length: declared bigint, PostgreSQL would refuse to prepare it.
    query = CompiledQuery(
        lambda pk: (
            Article.objects.filter(pk=pk)
            .annotate(head=Left("title", 3))
            .values_list("head", flat=True)
        ),
        pk=int,
    )
    article = ArticleFactory(title="Drones")

    with django_assert_num_queries(1) as captured:
        assert query.run(pk=article.pk) == ["Dro"]

    assert captured.captured_queries[0]["sql"].startswith("EXECUTE dossier_")


@on_postgresql
def test_prepared_statements_can_be_turned_off(settings, django_assert_num_queries):
    settings.DB_PREPARED_STATEMENTS = False

    with django_assert_num_queries(1) as captured:
        article_at.run(slug="oil")

    assert captured.captured_queries[0]["sql"].startswith("SELECT")


@on_postgresql
def test_a_query_declared_unprepared_is_sent_as_plain_sql(django_assert_num_queries):
    query = CompiledQuery(
        lambda slug: Article.objects.filter(slug=slug).values_list("title", flat=True),
        prepare=False,
        slug=str,
    )
    ArticleFactory(slug="oil", title="Oil")
    before = prepared_here()

    with django_assert_num_queries(2) as captured:
        assert query.run(slug="oil") == ["Oil"]
        assert query.run(slug="gas") == []

    assert all(q["sql"].startswith("SELECT") for q in captured.captured_queries)
    assert prepared_here() == before
