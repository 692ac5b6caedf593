"""Build the benchmark corpus (`manage.py seed_bench`): many realistic articles, fast.

What identifies bench content: every author, expert, topic and tag it creates has a slug that
starts with BENCH_PREFIX, and a bench article has such a slug *and* a bench primary topic.
Nothing else is ever changed or deleted.

Determinism: the pools (topics, authors, experts, tags) come from the seed and the pool sizes;
article *i* comes from the seed, *i*, the pools and articles before it (it links only to
earlier articles in its topic), never from the total count. So a run can keep what an earlier
run with the same pools made and only add the rest:

- pools in the database differ from the plan (other seed, other sizes, older corpus version):
  every bench article is deleted and the pools are rebuilt, then everything is created;
- otherwise the longest run of articles 0, 1, 2 … already present is kept, any other bench
  article is deleted, and the rest is created. A second identical run creates nothing; an
  interrupted run resumes (each batch is one transaction, so a batch is there whole or not).

Derived fields are written as Article.save() would write them: bodies are composed from blocks
rendered by the real renderer (see prose.py), `linked_articles` follows the body's links, and on
PostgreSQL search vectors are computed by UPDATEs with the same expression, a batch at a time
(see _search_vectors).
"""

from __future__ import annotations

import queue
import random
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, reset_queries, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from taggit.models import Tag

import pagecache
from articles.models import (
    Article,
    Byline,
    ExpertQuote,
    RelatedLink,
    Status,
    TaggedArticle,
    TopicMembership,
    search_vector_expression,
)
from articles.rendering import reading_minutes
from authors.models import Author, Expert
from core.models import SlugHistory
from pagecache import schedule
from topics.models import Topic

from . import prose
from . import words as w

BENCH_PREFIX = "bench-"
# Bump when generation changes, so existing corpora are rebuilt rather than mixed with new text.
CORPUS_VERSION = 1
MAX_ARTICLES = 1_000_000

# Dates are fixed, not taken from the clock, so a seed gives the same corpus on any day.
# Published articles spread over eight years before ANCHOR; scheduled ones (and live ones with
# an expiry still ahead) sit after FUTURE, far enough ahead to stay in the future for years.
ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)
PUBLISHED_SPAN = timedelta(days=8 * 365)
FUTURE = datetime(2036, 1, 1, tzinfo=UTC)

# A link to an article created in the same batch has no id yet when its body is composed: the
# body gets PLACEHOLDER + index, swapped for the real id once the batch is inserted.
PLACEHOLDER = 8_000_000_000_000


class CorpusError(Exception):
    """Something the caller can act on (e.g. real content uses a bench author)."""


@dataclass(frozen=True)
class CorpusSize:
    articles: int
    authors: int
    experts: int
    topics: int  # main topics; each has one to four subtopics
    tags: int


def corpus_size(
    *,
    articles: int,
    authors: int | None = None,
    experts: int | None = None,
    topics: int | None = None,
) -> CorpusSize:
    """Pool sizes that grow with the article count unless given (100,000 articles: 400 authors,
    1,000 experts, 40 main topics, 2,000 tags)."""

    def scaled(given: int | None, per: int, low: int, high: int) -> int:
        return given if given is not None else max(low, min(high, articles // per))

    return CorpusSize(
        articles=articles,
        authors=scaled(authors, 250, 4, 400),
        experts=scaled(experts, 100, 6, 1000),
        topics=scaled(topics, 2500, 2, 40),
        tags=max(20, min(2000, articles // 50)),
    )


@dataclass
class CorpusReport:
    size: CorpusSize
    seed: int
    created: int = 0
    kept: int = 0
    removed: int = 0
    pools_rebuilt: bool = False
    counts: dict[str, int] = field(default_factory=dict)


ProgressCallback = Callable[[int, int], None]


# --- the plan: pools ---------------------------------------------------------------------


@dataclass
class Pools:
    topics: list[dict]  # main topics and their subtopics, parents first
    authors: list[dict]
    experts: list[dict]
    tags: list[str]


TOPIC_FIELDS = ("slug", "name", "description", "parent__slug")
AUTHOR_FIELDS = ("slug", "name", "role", "short_bio", "bio", "website")
EXPERT_FIELDS = ("slug", "name", "credentials", "bio", "url")


def plan_pools(*, size: CorpusSize, seed: int) -> Pools:
    rng = random.Random(f"bench-pools:{seed}")
    names = [f"{place} {theme}" for place in w.PLACES for theme in w.THEMES]
    rng.shuffle(names)
    taken: set[str] = set()

    def topic_name() -> str:
        base = names[len(taken) % len(names)]
        name, n = base, 2
        while name in taken:
            name, n = f"{base} {n}", n + 1
        taken.add(name)
        return name

    topics = []
    for _ in range(size.topics):
        main = _topic(rng, topic_name(), None, seed)
        topics.append(main)
        topics.extend(
            _topic(rng, topic_name(), main["slug"], seed) for _ in range(rng.randint(1, 4))
        )

    authors = []
    for j in range(size.authors):
        name = prose.person_name(rng)
        slug = f"{BENCH_PREFIX}{slugify(name)[:36]}-{j + 1}"
        first, second = rng.sample(w.THEMES, 2)
        authors.append(
            {
                "slug": slug,
                "name": name,
                "role": f"{rng.choice(w.AUTHOR_ROLES)}, {first}",
                "short_bio": f"{name} covers {first.lower()} and {second.lower()} for Dossier. "
                + prose.sentence(rng),
                "bio": "\n\n".join(prose.paragraph(rng, (3, 4)) for _ in range(2)),
                "website": f"https://example.org/authors/{slug}",
            }
        )

    experts = []
    for j in range(size.experts):
        name = prose.person_name(rng)
        slug = f"{BENCH_PREFIX}{slugify(name)[:36]}-{j + 1}"
        experts.append(
            {
                "slug": slug,
                "name": name,
                "credentials": f"{rng.choice(w.EXPERT_TITLES)}, {rng.choice(w.PLACES)} "
                f"{rng.choice(w.INSTITUTIONS)}",
                "bio": prose.paragraph(rng, (2, 3)),
                "url": f"https://example.org/experts/{slug}",
            }
        )

    tags: dict[str, None] = {}
    while len(tags) < size.tags:
        noun = w.plural(rng.choice(w.NOUNS))
        name = noun if rng.random() < 0.2 else f"{rng.choice(w.ADJECTIVES)} {noun}"
        if len(tags) < len(w.THEMES) and rng.random() < 0.5:
            name = rng.choice(w.THEMES).lower()
        tags[name] = None
    return Pools(topics=topics, authors=authors, experts=experts, tags=list(tags))


def _topic(rng: random.Random, name: str, parent: str | None, seed: int) -> dict:
    return {
        "slug": f"{BENCH_PREFIX}{slugify(name)}",
        "name": name,
        # The seed and version are in the description on purpose: they make a corpus built
        # from another seed or generator differ from the plan, which triggers a rebuild.
        "description": f"{prose.paragraph(rng, (2, 3))}\n\n"
        f"A synthetic benchmark cluster (corpus v{CORPUS_VERSION}, seed {seed}).",
        "parent__slug": parent,
    }


def zipf_cumulative(rng: random.Random, n: int, exponent: float = 0.8) -> list[float]:
    """Cumulative weights in which a few items are popular and most are not, shuffled."""
    weights = [1 / (rank + 1) ** exponent for rank in range(n)]
    rng.shuffle(weights)
    return list(accumulate(weights))


def pick_distinct(rng: random.Random, cumulative: list[float], k: int) -> list[int]:
    """k different indices drawn by weight (or fewer, if there are fewer than k items)."""
    chosen: dict[int, None] = {}
    total = cumulative[-1]
    for _ in range(k * 20):
        if len(chosen) == min(k, len(cumulative)):
            break
        chosen[bisect_left(cumulative, rng.random() * total)] = None
    return list(chosen)


# --- the plan: articles ------------------------------------------------------------------


@dataclass
class Skeleton:
    """What later articles need to know about article i, whether it is created or kept."""

    title: str
    slug: str
    topic: int  # index into Pools.topics
    position: int  # its place among its topic's articles, in index order
    status_draw: float


def article_rng(*, seed: int, index: int) -> tuple[random.Random, str, float, float]:
    """Article `index`'s generator, after its first draws: title, topic draw, status draw.

    Skeletons need only these; creating the article replays them to reach the same state,
    which is cheaper than keeping 100,000 generators (2.5 kB each) alive in between."""
    rng = random.Random(f"bench-article:{seed}:{index}")
    return rng, prose.title(rng), rng.random(), rng.random()


def skeletons(*, count: int, seed: int, topic_weights: list[float]) -> list[Skeleton]:
    result = []
    members: dict[int, int] = {}
    for i in range(count):
        _, title, topic_draw, status_draw = article_rng(seed=seed, index=i)
        topic = bisect_left(topic_weights, topic_draw * topic_weights[-1])
        position = members.get(topic, 0)
        members[topic] = position + 1
        result.append(
            Skeleton(
                title=title,
                slug=f"{BENCH_PREFIX}{slugify(title)[:80].strip('-')}-{i + 1}",
                topic=topic,
                position=position,
                status_draw=status_draw,
            )
        )
    return result


# --- building ------------------------------------------------------------------------------


def bench_articles():
    return Article.objects.filter(
        slug__startswith=BENCH_PREFIX, primary_topic__slug__startswith=BENCH_PREFIX
    )


def build_corpus(
    *,
    articles: int,
    seed: int,
    authors: int | None = None,
    experts: int | None = None,
    topics: int | None = None,
    batch_size: int = 500,
    progress: ProgressCallback | None = None,
    notify: Callable[[str], None] | None = None,
) -> CorpusReport:
    """Make the bench content in the database the corpus for these arguments (see the module
    docstring for what is kept, deleted and created). Returns what it did and row counts.

    `progress(done, total)` follows the articles created; `notify(message)` announces slow
    steps that have no progress of their own (deleting an earlier corpus)."""
    notify = notify or (lambda message: None)
    if not 1 <= articles <= MAX_ARTICLES:
        raise CorpusError(f"The article count must be between 1 and {MAX_ARTICLES:,}.")
    size = corpus_size(articles=articles, authors=authors, experts=experts, topics=topics)
    if min(size.authors, size.experts, size.topics, batch_size) < 1:
        raise CorpusError("Authors, experts, topics and the batch size must be at least 1.")
    report = CorpusReport(size=size, seed=seed)
    pools = plan_pools(size=size, seed=seed)
    pools_rng = random.Random(f"bench-weights:{seed}")
    topic_weights = zipf_cumulative(pools_rng, len(pools.topics))
    plan = skeletons(count=articles, seed=seed, topic_weights=topic_weights)

    try:
        _build(
            report=report,
            pools=pools,
            pools_rng=pools_rng,
            plan=plan,
            batch_size=batch_size,
            progress=progress,
            notify=notify,
        )
    finally:
        # Also after an interruption: the batches written by then are there for readers.
        if report.created or report.removed or report.pools_rebuilt:
            _refresh_cached_pages()
    _analyze()
    report.counts = corpus_counts()
    return report


def _build(
    *,
    report: CorpusReport,
    pools: Pools,
    pools_rng: random.Random,
    plan: list[Skeleton],
    batch_size: int,
    progress: ProgressCallback | None,
    notify: Callable[[str], None],
) -> None:
    """Remove what does not belong to the plan, then create what is missing; `report` follows
    along, so the caller knows what changed even if this is interrupted."""
    try:
        with transaction.atomic():
            if not _pools_match(pools):
                old = list(bench_articles().values_list("pk", flat=True))
                if old:
                    notify(
                        f"Removing the {len(old):,} articles of a bench corpus built with "
                        "another seed, other sizes or an older generator."
                    )
                report.removed += _delete_articles(old)
                _replace_pools(pools)
                report.pools_rebuilt = True
            _ensure_tags(pools.tags)
            existing = dict(bench_articles().values_list("slug", "pk"))
            kept = 0
            while kept < len(plan) and plan[kept].slug in existing:
                kept += 1
            keep = {existing[s.slug] for s in plan[:kept]}
            extra = [pk for pk in existing.values() if pk not in keep]
            if extra:
                notify(f"Removing {len(extra):,} bench articles beyond the first {kept:,}.")
            report.removed += _delete_articles(extra)
            _delete_unused_tags(pools.tags)
    except ProtectedError as error:
        # Only if an article that something else points at is protected by it (see
        # _delete_articles); the corpus's own rows are checked before they are deleted.
        raise _in_use(error.protected_objects) from error
    report.kept = kept

    context = _Context(
        seed=report.seed,
        pools=pools,
        plan=plan,
        ids={i: existing[plan[i].slug] for i in range(kept)},
        author_weights=zipf_cumulative(pools_rng, len(pools.authors)),
        tag_weights=zipf_cumulative(pools_rng, len(pools.tags), exponent=1.0),
    )
    articles = len(plan)
    if progress:
        progress(0, articles - kept)
    with _search_vectors() as fill_search_vectors:
        for start in range(kept, articles, batch_size):
            stop = min(start + batch_size, articles)
            with transaction.atomic():
                pks = _create_batch(context, range(start, stop))
            fill_search_vectors(pks)
            # With DEBUG on, Django keeps every SQL string it ran; a batch's INSERT is ~17 MB.
            reset_queries()
            report.created += stop - start
            if progress:
                progress(stop - kept, articles - kept)

    with transaction.atomic():
        _set_pillars(context)


def _analyze() -> None:
    """Refresh the planner's statistics: after a bulk load they still describe the tables
    before it (PostgreSQL then guessed 255 bench articles instead of 100,000 and counting them
    took seconds), and whoever benchmarks next should get the plans production would.

    On PostgreSQL, VACUUM as well, as autovacuum does on a live site in its own time: until
    then no page is marked all-visible, and an index-only scan (related reading's candidates)
    still visits the table for every row."""
    models = [
        Article, Article.linked_articles.through, Article.topics.through, Byline, ExpertQuote,
        RelatedLink, TaggedArticle, Tag, Topic, Author, Expert, TopicMembership,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for model in models:  # one table per statement: SQLite takes no list
            table = connection.ops.quote_name(model._meta.db_table)
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            else:
                cursor.execute(f"ANALYZE {table}")


@dataclass
class _Context:
    seed: int
    pools: Pools
    plan: list[Skeleton]
    ids: dict[int, int]  # article index → primary key
    author_weights: list[float]
    tag_weights: list[float]
    prose: prose.Prose | None = None
    topic_ids: dict[str, int] = field(default_factory=dict)
    author_ids: list[int] = field(default_factory=list)
    expert_ids: list[int] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)  # topic → article indices

    def __post_init__(self) -> None:
        self.topic_ids = dict(
            Topic.objects.filter(slug__startswith=BENCH_PREFIX).values_list("slug", "pk")
        )
        authors = dict(
            Author.objects.filter(slug__startswith=BENCH_PREFIX).values_list("slug", "pk")
        )
        self.author_ids = [authors[a["slug"]] for a in self.pools.authors]
        experts = dict(
            Expert.objects.filter(slug__startswith=BENCH_PREFIX).values_list("slug", "pk")
        )
        self.expert_ids = [experts[e["slug"]] for e in self.pools.experts]
        tags = dict(Tag.objects.filter(name__in=self.pools.tags).values_list("name", "pk"))
        self.tag_ids = [tags[name] for name in self.pools.tags]
        for index, skeleton in enumerate(self.plan):
            self.members.setdefault(skeleton.topic, []).append(index)

    def topic_id(self, topic: int) -> int:
        return self.topic_ids[self.pools.topics[topic]["slug"]]

    def ref(self, index: int) -> int:
        """The id to write into a body for a link to article `index` (maybe a placeholder)."""
        return self.ids.get(index, PLACEHOLDER + index)


def _pools_match(pools: Pools) -> bool:
    def stored(model, fields):
        return set(model.objects.filter(slug__startswith=BENCH_PREFIX).values_list(*fields))

    def planned(rows, fields):
        return {tuple(row[f] for f in fields) for row in rows}

    return (
        stored(Topic, TOPIC_FIELDS) == planned(pools.topics, TOPIC_FIELDS)
        and stored(Author, AUTHOR_FIELDS) == planned(pools.authors, AUTHOR_FIELDS)
        and stored(Expert, EXPERT_FIELDS) == planned(pools.experts, EXPERT_FIELDS)
    )


def _replace_pools(pools: Pools) -> None:
    """Delete bench topics, authors and experts (bench articles are already gone) and create
    the planned ones. Refuses if anything else still uses one of them, as PROTECT would."""
    stored = {
        model: list(
            model.objects.filter(slug__startswith=BENCH_PREFIX).values_list("pk", flat=True)
        )
        for model in (Topic, Author, Expert)
    }
    used = [
        row
        for model, pks in stored.items()
        for row in model.objects.filter(pk__in=_referenced(model, pks))
    ]
    if used:
        raise _in_use(used)
    for model, pks in stored.items():  # plain DELETEs: see _delete_articles for why
        _delete_rows(model, model._meta.pk.column, pks)

    mains = {
        t["slug"]: Topic(slug=t["slug"], name=t["name"], description=t["description"])
        for t in pools.topics
        if t["parent__slug"] is None
    }
    Topic.objects.bulk_create(mains.values())
    ids = dict(Topic.objects.filter(slug__in=mains).values_list("slug", "pk"))
    Topic.objects.bulk_create(
        Topic(
            slug=t["slug"],
            name=t["name"],
            description=t["description"],
            parent_id=ids[t["parent__slug"]],
        )
        for t in pools.topics
        if t["parent__slug"] is not None
    )
    Author.objects.bulk_create(Author(**data) for data in pools.authors)
    Expert.objects.bulk_create(Expert(**data) for data in pools.experts)
    # What SlugHistoryMixin.save() does for a new slug: it is nobody's old address any more.
    for model, rows in ((Topic, pools.topics), (Author, pools.authors), (Expert, pools.experts)):
        _forget_old_slugs(model, [row["slug"] for row in rows])


def _forget_old_slugs(model, slugs: list[str]) -> None:
    SlugHistory.objects.filter(
        content_type=ContentType.objects.get_for_model(model), slug__in=slugs
    ).delete()


def _ensure_tags(names: list[str]) -> None:
    # A real tag with the same name is reused rather than duplicated (names are unique).
    Tag.objects.bulk_create(
        [Tag(name=name, slug=f"{BENCH_PREFIX}{slugify(name)}") for name in names],
        ignore_conflicts=True,
    )
    found = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
    if missing := [name for name in names if name not in found]:
        raise CorpusError(f"Could not create bench tags (slug taken?): {missing[:5]}")


def _delete_unused_tags(keep: list[str]) -> None:
    """Bench tags the plan no longer has, unless something still uses them."""
    candidates = list(
        Tag.objects.filter(slug__startswith=BENCH_PREFIX)
        .exclude(name__in=keep)
        .values_list("pk", flat=True)
    )
    used = _referenced(Tag, candidates)
    _delete_rows(Tag, Tag._meta.pk.column, [pk for pk in candidates if pk not in used])


def _in_use(rows) -> CorpusError:
    named = sorted(f"{type(row).__name__} {row}" for row in rows)
    more = f" and {len(named) - 5} more" if len(named) > 5 else ""
    return CorpusError(
        "Content outside the benchmark uses bench authors, experts or topics, so the corpus "
        f"cannot be rebuilt. Remove those uses first: {'; '.join(named[:5])}{more}."
    )


# The rows a bench article has that the corpus itself writes: (model, field pointing at it).
OWN_PARTS = (
    (Byline, "article"), (ExpertQuote, "article"), (RelatedLink, "from_article"),
    (RelatedLink, "to_article"), (TaggedArticle, "content_object"),
    (Article.topics.through, "article"), (Article.linked_articles.through, "from_article"),
    (Article.linked_articles.through, "to_article"), (TopicMembership, "article"),
)  # fmt: skip


def _delete_articles(pks: list[int]) -> int:
    """Delete these articles, in chunks.

    Not through the ORM: it would send signals for every article and every byline, tag and
    quote, and the page cache's receivers (website/cache_rules.py) read and refresh each
    article's lists one at a time, hundreds of thousands of queries for a 100,000-article
    corpus. The rows the corpus wrote itself are deleted with plain DELETEs, and the page cache
    is refreshed once at the end (_refresh_cached_pages). An article that anything else points
    at (a comment, an activity entry, a preview link …) still goes through the ORM, so those
    rows follow their on_delete rules and signals as usual.
    """
    for start in range(0, len(pks), 2000):
        chunk = pks[start : start + 2000]
        elsewhere = _referenced(Article, chunk, ignore=OWN_REFERENCES)
        if elsewhere:
            Article.objects.filter(pk__in=elsewhere).only("pk").delete()
        plain = [pk for pk in chunk if pk not in elsewhere]
        if not plain:
            continue
        for model, field_name in OWN_PARTS:
            _delete_rows(model, model._meta.get_field(field_name).column, plain)
        Topic.objects.filter(pillar_article__in=plain).update(pillar_article=None)
        _delete_rows(Article, Article._meta.pk.column, plain)
    return len(pks)


# How the corpus's own rows point at an article: its parts, the reverse of linked_articles,
# and a topic's pillar (set to NULL in _delete_articles, as on_delete=SET_NULL would).
OWN_REFERENCES = frozenset({*OWN_PARTS, (Article, "linked_articles"), (Topic, "pillar_article")})


def _referenced(model, pks: list[int], *, ignore=frozenset()) -> set[int]:
    """Those of `pks` that some other row points at, by any relation but those in `ignore`
    ((model, field name) pairs). Rows of `pks` pointing at each other (a bench subtopic's
    parent) do not count."""
    found: set[int] = set()
    # Hidden relations too (related_name="+", many-to-many through tables): a row pointing
    # here that we did not check would stop the plain DELETE at commit.
    relations = [
        f for f in model._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete
    ]
    for relation in relations:
        related, name = relation.related_model, relation.field.name
        if (related, name) in ignore or not pks:
            continue
        rows = related._base_manager.filter(**{f"{name}__in": pks})
        if related is model:
            rows = rows.exclude(pk__in=pks)
        found.update(rows.values_list(name, flat=True))
    return found


def _delete_rows(model, column: str, pks: list[int]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 2000):  # under SQLite's limit of query parameters
            chunk = pks[start : start + 2000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(column)} IN ({marks})",
                chunk,
            )


def _refresh_cached_pages() -> None:
    """bulk_create and plain DELETEs send no signals, so the page cache has not heard of the
    corpus: refresh every cached page, as a change of site settings does (a corpus changes
    nearly every list anyway), and forget the next scheduled change, which new scheduled and
    expiring articles may bring forward."""
    pagecache.invalidate(pagecache.SITE_TAG)
    schedule.forget_next_scheduled_change()


def _create_batch(context: _Context, indices: range) -> list[int]:
    if context.prose is None:
        context.prose = prose.prose_for(
            seed=context.seed, callout_kinds=tuple(settings.DOSSIER["CALLOUT_KINDS"])
        )
    drafts = [_draft(context, i) for i in indices]
    created = Article.objects.bulk_create([d.article for d in drafts])
    for i, article in zip(indices, created, strict=True):
        context.ids[i] = article.pk

    # Links to articles of this same batch were written with placeholders: swap in the ids.
    fixed = []
    for draft in drafts:
        for target in draft.links:
            placeholder = f'data-article-ref="{PLACEHOLDER + target}"'
            if placeholder in draft.article.body_html:
                draft.article.body_html = draft.article.body_html.replace(
                    placeholder, f'data-article-ref="{context.ids[target]}"'
                )
                fixed.append(draft.article)
    if fixed:
        Article.objects.bulk_update(list({a.pk: a for a in fixed}.values()), ["body_html"])

    Byline.objects.bulk_create(
        Byline(article_id=d.article.pk, author_id=context.author_ids[a], sort_order=position)
        for d in drafts
        for position, a in enumerate(d.authors)
    )
    ExpertQuote.objects.bulk_create(
        ExpertQuote(article_id=d.article.pk, sort_order=position, **quote)
        for d in drafts
        for position, quote in enumerate(d.quotes)
    )
    RelatedLink.objects.bulk_create(
        RelatedLink(
            from_article_id=d.article.pk,
            to_article_id=context.ids[target],
            lead_in=lead_in,
            sort_order=position,
        )
        for d in drafts
        for position, (target, lead_in) in enumerate(d.related)
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object_id=d.article.pk, tag_id=context.tag_ids[t])
        for d in drafts
        for t in d.tags
    )
    Article.topics.through.objects.bulk_create(
        Article.topics.through(article_id=d.article.pk, topic_id=context.topic_id(t))
        for d in drafts
        for t in d.further_topics
    )
    Article.linked_articles.through.objects.bulk_create(
        Article.linked_articles.through(
            from_article_id=d.article.pk, to_article_id=context.ids[target]
        )
        for d in drafts
        for target in d.links
    )
    # What Article.save() and the further topics' signal write, for the whole batch at once.
    TopicMembership.objects.refresh(d.article.pk for d in drafts)
    _forget_old_slugs(Article, [d.article.slug for d in drafts])
    return [d.article.pk for d in drafts]


def _fill_search_vectors(pks: list[int]) -> None:
    # The expression Article.update_search_vector() uses, for a whole batch at once.
    Article.objects.filter(pk__in=pks).update(search_vector=search_vector_expression())


@contextmanager
def _search_vectors() -> Iterator[Callable[[list[int]], None]]:
    """Yields a function that fills the search vectors of committed articles.

    On PostgreSQL, stemming ~1,500 words takes about 2 ms an article, as long as composing and
    inserting it. So a worker thread with its own connection fills the vectors of one batch
    while this thread builds the next, and both cores work. When the caller holds a
    transaction (tests do), another connection cannot see the new rows: the vectors are then
    filled in line. Whatever is still empty at the end (an interrupted run, a failed worker)
    is filled by one last UPDATE, so no bench article is left out of search.
    """
    if connection.vendor != "postgresql":
        yield lambda pks: None  # SQLite searches the text columns directly
        return
    if connection.in_atomic_block:
        yield _fill_search_vectors
    else:
        pending: queue.Queue[list[int] | None] = queue.Queue(maxsize=4)
        failures: list[BaseException] = []

        def work() -> None:
            try:
                while (pks := pending.get()) is not None:
                    _fill_search_vectors(pks)
                    reset_queries()
            except BaseException as error:  # reported by the main thread below
                failures.append(error)
                while pending.get() is not None:  # let the main thread finish its puts
                    pass
            finally:
                connections.close_all()  # this thread's own connection

        worker = threading.Thread(target=work, name="bench-search-vectors", daemon=True)
        worker.start()
        try:
            yield pending.put
        finally:
            pending.put(None)
            worker.join()
        if failures:
            raise failures[0]
    bench_articles().filter(search_vector__isnull=True).update(
        search_vector=search_vector_expression()
    )


@dataclass
class _Draft:
    article: Article
    authors: list[int]
    tags: list[int]
    further_topics: list[int]
    quotes: list[dict]
    related: list[tuple[int, str]]
    links: list[int]  # article indices the body links to, in link order


def _draft(context: _Context, i: int) -> _Draft:
    skeleton = context.plan[i]
    rng, *_ = article_rng(seed=context.seed, index=i)
    pools = context.pools
    siblings = context.members[skeleton.topic]
    earlier = siblings[: skeleton.position]
    pillar = siblings[0]

    article = Article(
        title=skeleton.title,
        slug=skeleton.slug,
        standfirst=prose.standfirst(rng),
        primary_topic_id=context.topic_id(skeleton.topic),
    )
    _set_status(article, rng, draw=skeleton.status_draw, is_pillar=i == pillar)

    authors = pick_distinct(rng, context.author_weights, rng.choices((1, 2, 3), (75, 20, 5))[0])
    tags = pick_distinct(rng, context.tag_weights, rng.randint(2, 6))
    further = rng.choices((0, 1, 2), (70, 25, 5))[0]
    candidates = rng.sample(range(len(pools.topics)), min(further + 1, len(pools.topics)))
    further_topics = [t for t in candidates if t != skeleton.topic][:further]

    quoted = rng.choices((0, 1, 2, 3), (10, 45, 30, 15))[0]
    experts = rng.sample(range(len(pools.experts)), min(quoted, len(pools.experts)))
    quotes = [_quote(rng, context, expert, article.publish_at) for expert in experts]

    links: list[int] = []
    if earlier and rng.random() < 0.85:
        links.append(pillar)
    if len(earlier) > 1 and rng.random() < 0.5:
        other = earlier[1 + rng.randrange(len(earlier) - 1)]  # any earlier one but the pillar
        links.append(other)
    related = [
        (earlier[position], rng.choice(w.RELATED_LEAD_INS))
        for position in rng.sample(range(len(earlier)), min(rng.randint(0, 3), len(earlier)))
    ]

    composed = context.prose.compose_body(
        rng,
        links=[(context.plan[t].slug, context.ref(t)) for t in links],
        quote_keys=[q["key"] for q in quotes],
    )
    rendered = composed.rendered
    article.body = composed.source
    article.body_html = rendered.html
    article.body_text = rendered.text
    article.toc = rendered.toc
    article.word_count = rendered.word_count
    article.reading_minutes = reading_minutes(rendered.word_count)
    article.body_quote_keys = rendered.quote_keys
    article.body_warnings = rendered.warnings
    return _Draft(
        article=article,
        authors=authors,
        tags=tags,
        further_topics=further_topics,
        quotes=quotes,
        related=related,
        links=links,
    )


def _set_status(article: Article, rng: random.Random, *, draw: float, is_pillar: bool) -> None:
    """Mostly live, with the states live() must exclude: drafts, scheduled, expired, trashed.

    A topic's first article (its pillar) is always live, as an editor would make sure of."""
    past = ANCHOR - timedelta(minutes=rng.randrange(int(PUBLISHED_SPAN.total_seconds() // 60)))
    later = timedelta(days=rng.randint(1, 400))
    article.status = Status.PUBLISHED
    article.publish_at = past
    if is_pillar or draw < 0.80:
        pass  # live
    elif draw < 0.83:  # expired
        article.expire_at = min(past + later, ANCHOR)
    elif draw < 0.85:  # live, with an expiry ahead
        article.expire_at = FUTURE + later
    elif draw < 0.88:  # scheduled
        article.publish_at = FUTURE + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
    elif draw < 0.93:
        article.status, article.publish_at = Status.DRAFT, None
    elif draw < 0.945:
        article.status, article.publish_at = Status.IN_REVIEW, None
    elif draw < 0.955:
        article.status, article.publish_at = Status.RETURNED, None
    elif draw < 0.965:
        article.status = Status.UNPUBLISHED
    elif draw < 0.975:
        article.status = Status.ARCHIVED
    else:  # in the trash
        article.deleted_at = min(past + later, ANCHOR)
    if article.status == Status.PUBLISHED and article.publish_at < ANCHOR:
        if rng.random() < 0.15:
            article.updated_at = min(past + later, ANCHOR)
        article.featured = rng.random() < 0.004
    if rng.random() < 0.15 and len(article.title) <= 60:
        article.seo_title = article.title
    if rng.random() < 0.3:
        article.meta_description = article.standfirst.split(". ")[0][:199]
    article.noindex = rng.random() < 0.005


def _quote(rng: random.Random, context: _Context, expert: int, publish_at) -> dict:
    data = context.pools.experts[expert]
    said = (publish_at or ANCHOR) - timedelta(days=rng.randint(1, 120))
    return {
        "expert_id": context.expert_ids[expert],
        "key": data["slug"],  # what ExpertQuote.save() would choose for a first quote
        "text": f"{prose.sentence(rng)} {prose.sentence(rng)}",
        "context": rng.choice(w.QUOTE_CONTEXTS).format(
            place=rng.choice(w.PLACES), theme=rng.choice(w.THEMES).lower()
        ),
        "source_url": f"https://example.org/sources/{data['slug']}/{rng.randint(1, 999)}"
        if rng.random() < 0.4
        else "",
        "said_on": date(said.year, said.month, said.day),
    }


def _set_pillars(context: _Context) -> None:
    topics = []
    for index, data in enumerate(context.pools.topics):
        members = context.members.get(index)
        topic = Topic(pk=context.topic_id(index), slug=data["slug"])
        topic.pillar_article_id = context.ids[members[0]] if members else None
        topics.append(topic)
    Topic.objects.bulk_update(topics, ["pillar_article"])


def corpus_counts() -> dict[str, int]:
    articles = bench_articles()
    tagged = TaggedArticle.objects.filter(content_object__in=articles)
    return {
        "articles": articles.count(),
        "live articles": articles.live().count(),
        "authors": Author.objects.filter(slug__startswith=BENCH_PREFIX).count(),
        "experts": Expert.objects.filter(slug__startswith=BENCH_PREFIX).count(),
        "topics": Topic.objects.filter(slug__startswith=BENCH_PREFIX).count(),
        "tags": Tag.objects.filter(articles_taggedarticle_items__in=tagged).distinct().count(),
        "bylines": Byline.objects.filter(article__in=articles).count(),
        "expert quotes": ExpertQuote.objects.filter(article__in=articles).count(),
        "related links": RelatedLink.objects.filter(from_article__in=articles).count(),
        "tag links": tagged.count(),
        "body links": Article.linked_articles.through.objects.filter(
            from_article__in=articles
        ).count(),
        "further topics": Article.topics.through.objects.filter(article__in=articles).count(),
    }
