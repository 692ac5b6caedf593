"""`manage.py seed_bench` and website/corpus: a reproducible, truthful benchmark corpus."""

from __future__ import annotations

import random
import re
import threading
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models.signals import pre_delete
from django.test import Client
from django.urls import reverse

from articles.models import (
    Article,
    Byline,
    ExpertQuote,
    RelatedLink,
    Status,
    TaggedArticle,
    search_vector_expression,
)
from articles.rendering import render_body
from authors.models import Author, Expert
from comments.models import Comment
from tests.articles.test_clusters import expected_memberships, stored_memberships
from tests.factories import ArticleFactory, BylineFactory, CommentFactory, TopicFactory
from topics.models import Topic
from website.corpus import corpus, prose
from website.corpus.corpus import BENCH_PREFIX, bench_articles, corpus_size
from website.demo import content

# After the corpus's fixed anchor date (2026-11-01) and before its scheduled articles (2036).
BENCH_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# Small pools given explicitly, so a test can grow the article count without a rebuild.
SMALL = {"authors": 5, "experts": 8, "topics": 2}


@pytest.fixture(autouse=True)
def bench_now():
    with time_machine.travel(BENCH_NOW, tick=False):
        yield BENCH_NOW


def seed_bench(*args: str) -> str:
    out = StringIO()
    call_command("seed_bench", *args, stdout=out)
    return out.getvalue()


def build(articles: int = 30, seed: int = 7, **options: int) -> str:
    args = [f"--articles={articles}", f"--seed={seed}"]
    args += [f"--{name.replace('_', '-')}={value}" for name, value in options.items()]
    return seed_bench(*args)


ARTICLE_FIELDS = (
    "slug", "title", "standfirst", "body", "body_html", "body_text", "toc", "word_count",
    "reading_minutes", "body_quote_keys", "body_warnings", "status", "publish_at", "expire_at",
    "updated_at", "deleted_at", "featured", "seo_title", "meta_description", "noindex",
    "primary_topic__slug",
)  # fmt: skip


QUOTE_FIELDS = (
    "article__slug", "expert__slug", "key", "text", "context", "source_url", "said_on",
    "sort_order",
)  # fmt: skip


def snapshot() -> dict:
    """The bench corpus without row ids, so two builds of it compare equal."""
    slugs = dict(Article.objects.values_list("pk", "slug"))
    articles = list(bench_articles().order_by("slug").values(*ARTICLE_FIELDS))
    for row in articles:  # stored links name article ids; compare the slugs they stand for
        row["body_html"] = re.sub(
            r'data-article-ref="(\d+)"',
            lambda m: f'data-article-ref="{slugs[int(m[1])]}"',
            row["body_html"],
        )
    bench = {"slug__startswith": BENCH_PREFIX}
    return {
        "articles": articles,
        "topics": sorted(
            Topic.objects.filter(**bench).values_list(
                "slug", "name", "description", "parent__slug", "pillar_article__slug"
            )
        ),
        "authors": sorted(
            Author.objects.filter(**bench).values_list("slug", "name", "role", "short_bio", "bio")
        ),
        "experts": sorted(
            Expert.objects.filter(**bench).values_list("slug", "name", "credentials", "bio")
        ),
        "bylines": sorted(
            Byline.objects.filter(article__slug__startswith=BENCH_PREFIX).values_list(
                "article__slug", "author__slug", "sort_order"
            )
        ),
        "quotes": sorted(
            ExpertQuote.objects.filter(article__slug__startswith=BENCH_PREFIX).values_list(
                *QUOTE_FIELDS
            )
        ),
        "related": sorted(
            RelatedLink.objects.filter(from_article__slug__startswith=BENCH_PREFIX).values_list(
                "from_article__slug", "to_article__slug", "lead_in", "sort_order"
            )
        ),
        "tags": sorted(
            TaggedArticle.objects.filter(content_object__slug__startswith=BENCH_PREFIX).values_list(
                "content_object__slug", "tag__name", "tag__slug"
            )
        ),
        "linked": sorted(
            Article.linked_articles.through.objects.filter(
                from_article__slug__startswith=BENCH_PREFIX
            ).values_list("from_article__slug", "to_article__slug")
        ),
        "further topics": sorted(
            Article.topics.through.objects.filter(
                article__slug__startswith=BENCH_PREFIX
            ).values_list("article__slug", "topic__slug")
        ),
    }


def row_ids() -> dict:
    return {
        model._meta.label: sorted(model.objects.values_list("pk", flat=True))
        for model in (Article, Author, Expert, Topic, Byline, ExpertQuote, RelatedLink)
    }


# --- reproducible and idempotent -----------------------------------------------------------


@pytest.mark.django_db
def test_same_seed_builds_the_same_corpus():
    build(seed=7)
    first = snapshot()
    assert len(first["articles"]) == 30

    output = build(seed=8)  # replaces the whole corpus
    assert "Removing the 30 articles of a bench corpus built with another seed" in output
    other = snapshot()
    assert len(other["articles"]) == 30
    assert {a["title"] for a in other["articles"]} != {a["title"] for a in first["articles"]}

    build(seed=7)
    assert snapshot() == first


@pytest.mark.django_db
def test_second_run_adds_nothing():
    build()
    before, ids = snapshot(), row_ids()

    output = build()

    assert "Created 0 articles, kept 30, removed 0." in output
    assert row_ids() == ids
    assert snapshot() == before


@pytest.mark.django_db
def test_more_articles_keep_the_existing_ones_and_match_a_fresh_build():
    build(articles=20, **SMALL)
    kept = set(bench_articles().values_list("pk", flat=True))

    output = build(articles=30, **SMALL)

    assert "Created 10 articles, kept 20, removed 0." in output
    assert kept < set(bench_articles().values_list("pk", flat=True))
    grown = snapshot()
    build(articles=30, seed=99, **SMALL)
    build(articles=30, **SMALL)  # from scratch, since seed 99 replaced everything
    assert snapshot() == grown


@pytest.mark.django_db
def test_an_interrupted_run_goes_on_where_it_stopped(monkeypatch):
    build(seed=99)
    fresh = snapshot()  # of seed 99, for comparison at the end
    build(seed=98)
    create_batch, calls = corpus._create_batch, []

    def interrupted(context, indices):
        calls.append(indices)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return create_batch(context, indices)

    monkeypatch.setattr(corpus, "_create_batch", interrupted)
    with pytest.raises(CommandError, match="Finished batches are kept"):
        build(seed=99, batch_size=7)
    assert bench_articles().count() == 14  # two whole batches, nothing of the third

    monkeypatch.setattr(corpus, "_create_batch", create_batch)
    assert "Created 16 articles, kept 14, removed 0." in build(seed=99)
    assert snapshot() == fresh


@pytest.mark.django_db
def test_fewer_articles_remove_the_extra_ones():
    build(articles=30, **SMALL)

    output = build(articles=12, **SMALL)

    assert "Removing 18 bench articles beyond the first 12." in output
    assert "Created 0 articles, kept 12, removed 18." in output
    assert bench_articles().count() == 12
    assert sorted(a["slug"] for a in snapshot()["articles"]) == sorted(
        bench_articles().values_list("slug", flat=True)
    )


@pytest.mark.django_db
def test_leaves_other_content_alone():
    call_command("load_demo", stdout=StringIO())
    other = ArticleFactory(slug="bench-warrant-reform", body="Not a benchmark article.")
    demo = list(Article.objects.order_by("slug").values())
    demo_rows = {
        "bylines": sorted(Byline.objects.values_list("article_id", "author_id")),
        "quotes": sorted(ExpertQuote.objects.values_list("article_id", "key")),
        "related": sorted(RelatedLink.objects.values_list("from_article_id", "to_article_id")),
        "tags": sorted(TaggedArticle.objects.values_list("content_object_id", "tag__name")),
        "authors": list(Author.objects.values()),
        "topics": list(Topic.objects.values()),
    }

    build(seed=1)
    build(seed=2)  # a rebuild deletes bench content: only bench content

    demo_ids = [row["id"] for row in demo]
    assert list(Article.objects.filter(pk__in=demo_ids).order_by("slug").values()) == demo
    assert Article.objects.filter(pk=other.pk).exists()  # a real slug may start with "bench-"
    assert demo_rows["bylines"] == sorted(
        Byline.objects.filter(article_id__in=demo_ids).values_list("article_id", "author_id")
    )
    assert demo_rows["quotes"] == sorted(
        ExpertQuote.objects.filter(article_id__in=demo_ids).values_list("article_id", "key")
    )
    assert demo_rows["related"] == sorted(
        RelatedLink.objects.filter(from_article_id__in=demo_ids).values_list(
            "from_article_id", "to_article_id"
        )
    )
    assert demo_rows["tags"] == sorted(
        TaggedArticle.objects.filter(content_object_id__in=demo_ids).values_list(
            "content_object_id", "tag__name"
        )
    )
    assert (
        list(Author.objects.exclude(slug__startswith=BENCH_PREFIX).values())
        == (demo_rows["authors"])
    )
    assert (
        list(Topic.objects.exclude(slug__startswith=BENCH_PREFIX).values()) == (demo_rows["topics"])
    )
    assert Article.objects.count() == len(content.ARTICLES) + 1 + 30


@pytest.mark.django_db
def test_a_rebuild_deletes_without_per_article_signals_but_follows_other_references():
    build(seed=1)
    old = set(bench_articles().values_list("pk", flat=True))
    commented = bench_articles().first()
    comment = CommentFactory(article=commented)
    signalled = []

    def spy(sender, instance, **kwargs):
        signalled.append(instance.pk)

    pre_delete.connect(spy, sender=Article)
    try:
        build(seed=2)
    finally:
        pre_delete.disconnect(spy, sender=Article)

    # Only the article a reader's comment points at went through the ORM (and took the comment
    # with it, as on_delete says); the others were deleted in bulk.
    assert signalled == [commented.pk]
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert not Article.objects.filter(pk__in=old).exists()
    for model, field_name in corpus.OWN_PARTS:
        assert not model.objects.filter(**{f"{field_name}__in": old}).exists(), model


@pytest.mark.django_db
def test_building_refreshes_every_cached_page_and_a_rerun_refreshes_none(
    settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    build(articles=20, **SMALL)
    article = bench_articles().live().first()
    urls = [
        reverse("website:home"),
        article.get_absolute_url(),
        article.primary_topic.get_absolute_url(),
    ]

    def cached() -> list[str]:
        return [Client().get(url).get("X-Page-Cache", "uncached") for url in urls]

    cached()
    assert cached() == ["hit"] * 3

    with django_capture_on_commit_callbacks(execute=True):
        build(articles=20, **SMALL)  # nothing to do
    assert cached() == ["hit"] * 3

    with django_capture_on_commit_callbacks(execute=True):
        build(articles=30, **SMALL)
    assert cached() == ["miss"] * 3


@pytest.mark.django_db
def test_refuses_to_rebuild_when_real_content_uses_a_bench_author():
    build(seed=1)
    author = Author.objects.filter(slug__startswith=BENCH_PREFIX).first()
    BylineFactory(article=ArticleFactory(), author=author)

    with pytest.raises(CommandError, match=f"Remove those uses first: Author {author.name}."):
        build(seed=2)

    assert bench_articles().count() == 30  # the failed rebuild was rolled back


@pytest.mark.django_db
def test_refuses_to_rebuild_when_a_real_article_lists_a_bench_topic():
    build(seed=1)
    topic = Topic.objects.filter(slug__startswith=BENCH_PREFIX).first()
    ArticleFactory(topics=[topic])  # a further topic: a many-to-many row, not a foreign key

    with pytest.raises(CommandError, match=f"Remove those uses first: Topic {topic.name}."):
        build(seed=2)


@pytest.mark.django_db
def test_real_content_pointing_at_bench_articles_keeps_everything_else():
    build(seed=1)
    bench = bench_articles().live().first()
    real_topic = TopicFactory(pillar_article=bench)
    real = ArticleFactory(primary_topic=real_topic, body=f"See [this](article:{bench.slug}).")
    link = RelatedLink.objects.create(from_article=real, to_article=bench)
    assert list(real.linked_articles.all()) == [bench]

    build(seed=2)

    real_topic.refresh_from_db()
    assert real_topic.pillar_article is None
    assert Article.objects.filter(pk=real.pk).exists()
    assert not RelatedLink.objects.filter(pk=link.pk).exists()
    assert not real.linked_articles.exists()


# --- realistic and truthful -------------------------------------------------------------------


@pytest.mark.django_db
def test_derived_fields_match_what_a_normal_save_computes():
    build()
    derived = (*Article.DERIVED_FIELDS, "linked")
    for article in bench_articles():
        stored = {field: getattr(article, field) for field in Article.DERIVED_FIELDS}
        stored["linked"] = set(article.linked_articles.values_list("pk", flat=True))

        article.save()  # renders the body and rewrites the links, as an editor's save does
        article.refresh_from_db()
        saved = {field: getattr(article, field) for field in Article.DERIVED_FIELDS}
        saved["linked"] = set(article.linked_articles.values_list("pk", flat=True))

        assert [f for f in derived if stored[f] != saved[f]] == [], article.slug
        assert stored["body_warnings"] == []


@pytest.mark.django_db
def test_topic_clusters_are_written_for_every_article():
    build()
    assert stored_memberships()
    assert stored_memberships() == expected_memberships()


def assert_search_vectors_match_the_search_index_expression():
    articles = bench_articles().annotate(expected=search_vector_expression())
    pairs = list(articles.values_list("slug", "search_vector", "expected"))
    assert len(pairs) == 30
    # tsvectors arrive as their text form, so this compares lexemes, positions and weights.
    assert [slug for slug, stored, expected in pairs if stored != expected] == []
    assert all(stored for _, stored, _ in pairs)


POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="search vectors are PostgreSQL's"
)


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_search_vectors_are_filled_inside_the_callers_transaction():
    build(batch_size=7)
    assert_search_vectors_match_the_search_index_expression()


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_search_vectors_are_filled_by_the_worker_connection(monkeypatch):
    threads = []
    fill = corpus._fill_search_vectors

    def spy(pks):
        threads.append(threading.current_thread().name)
        fill(pks)

    monkeypatch.setattr(corpus, "_fill_search_vectors", spy)
    build(batch_size=7)  # committed batches, so the worker thread's connection sees them

    assert threads == ["bench-search-vectors"] * 5  # 30 articles in batches of 7
    assert_search_vectors_match_the_search_index_expression()


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_rerun_fills_search_vectors_an_interrupted_run_left_empty():
    build()
    bench_articles().filter(pk__in=bench_articles()[:5].values("pk")).update(search_vector=None)
    build()
    assert_search_vectors_match_the_search_index_expression()


def test_composed_bodies_render_exactly_like_their_source():
    """The speed trick in prose.py: composing pre-rendered blocks equals rendering the whole."""
    pools = prose.prose_for(seed=3, callout_kinds=tuple(settings.DOSSIER["CALLOUT_KINDS"]))
    targets = {"bench-first": 11, "bench-second": 12}
    for n in range(150):
        links = list(targets.items())[: n % 3]
        keys = ["pat-one-1", "sam-two-2", "lee-three-3"][: n % 4]
        composed = pools.compose_body(random.Random(n), links=links, quote_keys=keys)
        expected = render_body(composed.source, resolve_article=targets.get)
        assert composed.rendered == expected, n
        assert 1300 <= composed.rendered.word_count <= 1900


@pytest.mark.django_db
def test_bodies_have_sections_callouts_quotes_and_links_to_earlier_siblings():
    build(articles=60)
    articles = list(bench_articles().order_by("pk"))
    assert sum(a.word_count for a in articles) / len(articles) == pytest.approx(1500, rel=0.1)
    for article in articles:
        assert len(article.toc) >= 5, article.slug
        assert 'class="callout callout--' in article.body_html
        assert article.body_quote_keys == [
            q.key for q in sorted(article.quotes.all(), key=lambda q: article.body.find(q.key))
        ]
        assert set(article.body_quote_keys) == set(article.quotes.values_list("key", flat=True))
        for target in [
            *article.linked_articles.all(),
            *(r.to_article for r in article.related_links.all()),
        ]:
            assert target.primary_topic_id == article.primary_topic_id
            assert target.pk < article.pk, "links go to articles that were there first"
    assert any(a.linked_articles.exists() for a in articles)
    assert any(a.related_links.exists() for a in articles)


@pytest.mark.django_db
def test_bench_articles_render_callouts_quotes_and_links(client):
    build(articles=60)
    article = (
        bench_articles()
        .live()
        .filter(quotes__isnull=False, linked_articles__in=Article.objects.live())
        .distinct()
        .first()
    )
    target = article.linked_articles.live().first()
    quote = article.quotes.select_related("expert").first()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "callout__label" in html
    assert quote.expert.name in html
    assert f'href="{target.get_absolute_url()}"' in html
    assert article.toc[0]["id"] in html


@pytest.mark.django_db
def test_live_articles_and_drafts_are_both_present():
    build(articles=300)
    articles = bench_articles()
    live = articles.live()
    assert 0.7 < live.count() / articles.count() < 0.95
    assert articles.filter(status=Status.DRAFT).exists()
    assert articles.filter(status=Status.IN_REVIEW).exists()
    assert articles.scheduled().exists()
    assert articles.filter(status=Status.PUBLISHED, expire_at__lte=BENCH_NOW).exists()
    assert articles.trashed().exists()
    assert not live.filter(pk__in=articles.scheduled()).exists()
    assert not live.filter(pk__in=articles.trashed()).exists()
    years = {a.publish_at.year for a in live}
    assert len(years) >= 6, "published dates spread over years"


@pytest.mark.django_db
def test_every_topic_has_a_live_pillar_from_its_own_cluster():
    build(articles=60, **SMALL)
    topics = Topic.objects.filter(slug__startswith=BENCH_PREFIX, pillar_article__isnull=False)
    assert topics.exists()
    assert Topic.objects.filter(slug__startswith=BENCH_PREFIX, parent__isnull=False).exists()
    for topic in topics:
        assert topic.pillar_article.primary_topic_id == topic.pk
        assert topic.pillar_article.is_live


def test_pools_grow_with_the_article_count():
    small, large = corpus_size(articles=30), corpus_size(articles=100_000)
    assert (small.authors, small.experts, small.topics) == (4, 6, 2)
    assert (large.authors, large.experts, large.topics, large.tags) == (400, 1000, 40, 2000)
    assert corpus_size(articles=100_000, authors=7).authors == 7


# --- the command ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_prints_progress_and_row_counts():
    output = build()
    assert "[##############################] 30/30 articles 100%" in output
    assert "Bench rows: 30 articles," in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--articles=0"], "must be between 1 and 1,000,000, got 0"),
        (["--articles=-5"], "must be between 1 and 1,000,000, got -5"),
        (["--articles=abc"], "expected a whole number, got 'abc'"),
        (["--articles=1.5"], "expected a whole number, got '1.5'"),
        (["--articles=2000000"], "must be between 1 and 1,000,000"),
        (["--authors=0"], "must be between 1 and 100,000, got 0"),
        (["--topics=-1"], "must be between 1 and 10,000, got -1"),
        (["--batch-size=0"], "must be between 1 and 10,000, got 0"),
        (["--seed=x"], "expected a whole number, got 'x'"),
    ],
)
def test_rejects_non_positive_article_count(args, message):
    # No database access: arguments are checked before anything is built.
    with pytest.raises(CommandError, match=re.escape(message)):
        seed_bench(*args)
