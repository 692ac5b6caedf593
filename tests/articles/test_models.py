from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from articles.models import Article, ExpertQuote, RelatedLink, Status, live_q
from tests.factories import (
    FIXED_PUBLISH_AT,
    ArticleFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    RelatedLinkFactory,
    TopicFactory,
    UserFactory,
    superuser,
)

pytestmark = pytest.mark.django_db

ONE_MICROSECOND = timedelta(microseconds=1)
NOT_PUBLISHED = [status for status in Status if status != Status.PUBLISHED]


def live_ids(at=None) -> set[int]:
    return set(Article.objects.live(at=at).values_list("pk", flat=True))


# --- live() -------------------------------------------------------------------------------


def test_article_published_exactly_now_is_live(frozen_now):
    article = ArticleFactory(publish_at=frozen_now)

    assert live_ids() == {article.pk}
    assert article.is_live


def test_article_scheduled_one_microsecond_ahead_is_not_live(frozen_now):
    article = ArticleFactory(publish_at=frozen_now + ONE_MICROSECOND)

    assert live_ids() == set()
    assert not article.is_live


def test_article_expiring_exactly_now_is_not_live(frozen_now):
    ArticleFactory(publish_at=FIXED_PUBLISH_AT, expire_at=frozen_now)

    assert live_ids() == set()


def test_article_expiring_one_microsecond_from_now_is_live(frozen_now):
    article = ArticleFactory(publish_at=FIXED_PUBLISH_AT, expire_at=frozen_now + ONE_MICROSECOND)

    assert live_ids() == {article.pk}


def test_published_article_without_expiry_stays_live(frozen_now):
    article = ArticleFactory(publish_at=FIXED_PUBLISH_AT, expire_at=None)

    assert live_ids() == {article.pk}


@pytest.mark.parametrize("status", NOT_PUBLISHED, ids=lambda s: s.value)
def test_article_that_is_not_published_is_never_live(frozen_now, status):
    article = ArticleFactory(status=status, publish_at=FIXED_PUBLISH_AT)

    assert live_ids() == set()
    assert live_ids(at=frozen_now + timedelta(days=3650)) == set()
    assert not article.is_live


def test_live_at_uses_the_given_instant_not_the_clock(frozen_now):
    article = ArticleFactory(
        publish_at=datetime(2026, 3, 1, 0, 0, tzinfo=UTC),
        expire_at=datetime(2026, 4, 1, 0, 0, tzinfo=UTC),
    )

    assert live_ids(at=datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC)) == set()
    assert live_ids(at=datetime(2026, 3, 1, 0, 0, tzinfo=UTC)) == {article.pk}
    assert live_ids(at=datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=UTC)) == {article.pk}
    assert live_ids(at=datetime(2026, 4, 1, 0, 0, tzinfo=UTC)) == set()
    # The frozen clock (June) is past the expiry.
    assert live_ids() == set()


def test_live_q_with_prefix_applies_the_rule_across_a_relation(frozen_now):
    live = ArticleFactory()
    draft = ArticleFactory(status=Status.DRAFT)
    source = ArticleFactory()
    to_live = RelatedLinkFactory(from_article=source, to_article=live)
    RelatedLinkFactory(from_article=source, to_article=draft)

    links = RelatedLink.objects.filter(live_q(prefix="to_article__"))

    assert list(links) == [to_live]


# --- publishing -----------------------------------------------------------------------------


def test_publishing_without_publish_time_sets_it_to_now(frozen_now):
    article = ArticleFactory(status=Status.PUBLISHED, publish_at=None)

    article.refresh_from_db()
    assert article.publish_at == frozen_now
    assert article.is_live


def test_saving_a_draft_leaves_publish_time_empty(frozen_now):
    article = ArticleFactory(status=Status.DRAFT, publish_at=None)

    article.refresh_from_db()
    assert article.publish_at is None


def test_publishing_keeps_a_scheduled_publish_time(frozen_now):
    scheduled = frozen_now + timedelta(days=2)
    article = ArticleFactory(status=Status.DRAFT, publish_at=scheduled)

    article.status = Status.PUBLISHED
    article.save()

    article.refresh_from_db()
    assert article.publish_at == scheduled
    assert not article.is_live


def test_publishing_with_update_fields_status_stores_the_publish_time(frozen_now):
    article = ArticleFactory(status=Status.DRAFT, publish_at=None)

    article.status = Status.PUBLISHED
    article.save(update_fields=["status"])

    article.refresh_from_db()
    assert article.publish_at == frozen_now
    assert article.is_live


# --- visible_to() ---------------------------------------------------------------------------


@pytest.fixture
def live_and_draft(frozen_now):
    live = ArticleFactory()
    draft = ArticleFactory(status=Status.DRAFT, publish_at=None)
    scheduled = ArticleFactory(publish_at=frozen_now + timedelta(days=1))
    return live, draft, scheduled


def visible_ids(user) -> set[int]:
    return set(Article.objects.visible_to(user).values_list("pk", flat=True))


def test_anonymous_visitor_sees_only_live_articles(live_and_draft):
    live, _draft, _scheduled = live_and_draft

    assert visible_ids(AnonymousUser()) == live_ids() == {live.pk}


def test_staff_with_view_permission_sees_drafts_and_scheduled(live_and_draft, staff_viewer):
    assert visible_ids(staff_viewer) == {a.pk for a in live_and_draft}


def test_superuser_sees_everything(live_and_draft):
    assert visible_ids(superuser()) == {a.pk for a in live_and_draft}


def test_logged_in_reader_who_is_not_staff_sees_only_live(live_and_draft):
    live, _draft, _scheduled = live_and_draft
    reader = UserFactory(permissions=["articles.view_article"])

    assert visible_ids(reader) == {live.pk}


def test_staff_without_view_permission_sees_only_live(live_and_draft):
    live, _draft, _scheduled = live_and_draft

    assert visible_ids(UserFactory(is_staff=True)) == {live.pk}


# --- rendering on save ----------------------------------------------------------------------


def test_saving_renders_html_toc_and_reading_time(settings):
    settings.DOSSIER = {**settings.DOSSIER, "WORDS_PER_MINUTE": 230}
    body = "# Opening\n\n## Shared ambitions\n\n" + "word " * 240

    article = ArticleFactory(body=body)

    article.refresh_from_db()
    assert '<h2 id="opening">Opening</h2>' in article.body_html
    assert '<h2 id="shared-ambitions">Shared ambitions</h2>' in article.body_html
    assert article.toc == [
        {"id": "opening", "title": "Opening"},
        {"id": "shared-ambitions", "title": "Shared ambitions"},
    ]
    assert article.word_count == 243
    assert article.reading_minutes == 2
    assert article.body_warnings == []


def test_changing_the_body_re_renders_it():
    article = ArticleFactory(body="First version.")

    article.body = "## Second\n\nSecond version."
    article.save()

    article.refresh_from_db()
    assert "First" not in article.body_html
    assert "Second version." in article.body_html
    assert article.toc == [{"id": "second", "title": "Second"}]


def test_saving_only_the_body_also_writes_the_derived_fields():
    article = ArticleFactory(body="Old text.")
    Article.objects.filter(pk=article.pk).update(body_html="stale", word_count=99, toc=[])

    article.body = "## Fresh\n\nNew text here."
    article.save(update_fields=["body"])

    article.refresh_from_db()
    assert "New text here." in article.body_html
    assert article.word_count == 4
    assert article.toc == [{"id": "fresh", "title": "Fresh"}]


def test_placed_quote_keys_are_stored():
    article = ArticleFactory(body="[[quote:leila-farahani]]\n\nText.\n\n[[quote:jan-novak]]")

    assert article.body_quote_keys == ["leila-farahani", "jan-novak"]


# --- links to other articles ----------------------------------------------------------------


def test_link_by_slug_resolves_to_the_article_id_and_is_recorded():
    target = ArticleFactory(slug="drones-missiles-money")

    source = ArticleFactory(body="Read [the money trail](article:drones-missiles-money).")

    assert f'data-article-ref="{target.pk}"' in source.body_html
    assert list(source.linked_articles.all()) == [target]
    assert source.body_warnings == []


def test_link_by_id_resolves_to_the_article():
    target = ArticleFactory()

    source = ArticleFactory(body=f"Read [this](article:{target.pk}).")

    assert list(source.linked_articles.all()) == [target]


def test_link_by_an_old_slug_still_resolves_after_the_target_was_renamed():
    target = ArticleFactory(slug="old-address")
    target.slug = "new-address"
    target.save()

    source = ArticleFactory(body="Read [this](article:old-address).")

    assert f'data-article-ref="{target.pk}"' in source.body_html
    assert list(source.linked_articles.all()) == [target]
    assert source.body_warnings == []


def test_link_to_a_missing_slug_warns_and_links_nothing():
    source = ArticleFactory(body="Read [this](article:no-such-article).")

    assert source.body_warnings == [
        'The link to "no-such-article" points to no article: it shows as plain text.'
    ]
    assert source.linked_articles.count() == 0
    assert 'data-article-ref="0"' in source.body_html


def test_removing_a_link_from_the_body_removes_the_linked_article():
    ArticleFactory(slug="target")
    source = ArticleFactory(body="[t](article:target)")

    source.body = "No links any more."
    source.save()

    assert source.linked_articles.count() == 0


def test_an_article_linking_to_itself_is_not_its_own_linked_article():
    article = ArticleFactory(slug="self-ref")

    article.body = "[me](article:self-ref)"
    article.save()

    assert article.linked_articles.count() == 0


# --- body_problems() ------------------------------------------------------------------------


def test_body_problems_lists_a_placed_quote_without_a_matching_quote():
    article = ArticleFactory(body="[[quote:present]]\n\n[[quote:ghost]]")
    ExpertQuoteFactory(article=article, key="present")

    assert article.body_problems() == [
        'The body places quote "ghost", but this article has no quote with that key: nothing '
        "is shown there."
    ]


def test_body_problems_lists_a_link_to_an_article_that_is_not_live(frozen_now):
    ArticleFactory(slug="draft-target", title="Work in progress", status=Status.DRAFT)
    ArticleFactory(slug="live-target")

    article = ArticleFactory(body="[a](article:draft-target) and [b](article:live-target)")

    assert article.body_problems() == [
        'The link to "Work in progress" shows as plain text until that article is live.'
    ]


def test_body_problems_include_stored_warnings():
    article = ArticleFactory(body="::: nonsense\nText\n:::\n\n[x](article:nowhere)")

    problems = article.body_problems()

    assert len(problems) == 2
    assert problems[0].startswith('Unknown callout kind "nonsense"')
    assert problems[1].startswith('The link to "nowhere" points to no article')


def test_a_clean_body_has_no_problems(frozen_now):
    ArticleFactory(slug="live-target")
    article = ArticleFactory(body="[[quote:jan]]\n\n[b](article:live-target)")
    ExpertQuoteFactory(article=article, key="jan")

    assert article.body_problems() == []


def test_quote_key_with_capitals_is_found_by_its_placement():
    # ExpertQuote.key is a SlugField, which accepts capitals; the body placement should find it.
    article = ArticleFactory(body="[[quote:Novak]]")
    ExpertQuoteFactory(article=article, key="Novak")

    assert article.body_problems() == []


# --- related_to() ---------------------------------------------------------------------------


@pytest.fixture
def topics():
    return TopicFactory(name="Russia–Iran"), TopicFactory(name="Energy"), TopicFactory(name="Misc")


def related(article, **kwargs) -> list[Article]:
    return list(Article.objects.related_to(article, **kwargs))


def test_same_primary_topic_outranks_articles_sharing_only_tags(topics):
    main, energy, _misc = topics
    base = ArticleFactory(primary_topic=main, tags=["oil", "gas", "sanctions"])
    same_topic = ArticleFactory(primary_topic=main)
    three_tags = ArticleFactory(primary_topic=energy, tags=["oil", "gas", "sanctions"])

    assert related(base) == [same_topic, three_tags]


def test_more_shared_tags_outrank_fewer(topics):
    main, energy, misc = topics
    base = ArticleFactory(primary_topic=main, tags=["oil", "gas", "sanctions"])
    one_tag = ArticleFactory(primary_topic=energy, tags=["oil"])
    two_tags = ArticleFactory(primary_topic=misc, tags=["oil", "gas", "unrelated"])

    assert related(base) == [two_tags, one_tag]


def test_a_shared_further_topic_outranks_a_single_shared_tag(topics):
    main, energy, misc = topics
    base = ArticleFactory(primary_topic=main, topics=[energy], tags=["oil"])
    one_tag = ArticleFactory(primary_topic=misc, tags=["oil"])
    shared_topic = ArticleFactory(primary_topic=misc, topics=[energy])

    assert related(base) == [shared_topic, one_tag]


def test_an_article_whose_primary_topic_is_a_further_topic_counts_as_sharing_it(topics):
    # `in_energy` belongs to the Energy cluster, which `base` also lists: that is a shared topic
    # (2), so it outranks an article sharing a single tag (1). It is already chosen as a
    # candidate for that reason, but the score counts only the candidate's further topics.
    main, energy, misc = topics
    base = ArticleFactory(primary_topic=main, topics=[energy], tags=["oil"])
    in_energy = ArticleFactory(primary_topic=energy)
    one_tag = ArticleFactory(primary_topic=misc, tags=["oil"])

    assert related(base) == [in_energy, one_tag]


def test_unrelated_articles_are_left_out(topics):
    main, _energy, misc = topics
    base = ArticleFactory(primary_topic=main, tags=["oil"])
    ArticleFactory(primary_topic=misc, tags=["cricket"])

    assert related(base) == []


def test_equal_scores_are_ordered_newest_first_then_highest_id(topics):
    main, energy, _misc = topics
    base = ArticleFactory(primary_topic=main, tags=["oil"])
    older = ArticleFactory(primary_topic=energy, tags=["oil"], publish_at=FIXED_PUBLISH_AT)
    newer_low_pk = ArticleFactory(
        primary_topic=energy, tags=["oil"], publish_at=FIXED_PUBLISH_AT + timedelta(days=1)
    )
    newer_high_pk = ArticleFactory(
        primary_topic=energy, tags=["oil"], publish_at=FIXED_PUBLISH_AT + timedelta(days=1)
    )
    assert newer_high_pk.pk > newer_low_pk.pk

    assert related(base) == [newer_high_pk, newer_low_pk, older]


def test_related_excludes_the_article_itself_and_the_given_ids(topics):
    main, energy, _misc = topics
    base = ArticleFactory(primary_topic=main, tags=["oil"])
    kept = ArticleFactory(primary_topic=main)
    curated = ArticleFactory(primary_topic=main)
    also_curated = ArticleFactory(primary_topic=energy, tags=["oil"])

    assert related(base, exclude=[curated.pk, also_curated.pk]) == [kept]
    assert base not in related(base)


def test_related_exposes_its_score(topics):
    main, energy, _misc = topics
    base = ArticleFactory(primary_topic=main, topics=[energy], tags=["oil", "gas"])
    best = ArticleFactory(primary_topic=main, topics=[energy], tags=["oil", "gas"])

    (found,) = Article.objects.related_to(base)

    assert found == best
    # Same primary topic 4, one shared further topic 2, two shared tags 1 each.
    assert found.relatedness == 4 + 2 + 2


def test_related_to_combines_with_live(topics, frozen_now):
    main, _energy, _misc = topics
    base = ArticleFactory(primary_topic=main)
    live = ArticleFactory(primary_topic=main)
    ArticleFactory(primary_topic=main, status=Status.DRAFT)

    assert list(Article.objects.live().related_to(base)) == [live]


def test_only_the_most_recently_added_candidates_are_scored(topics, monkeypatch):
    """The pool keeps the cost flat on a large site: an old close match loses to newer ones."""
    import articles.models.querysets

    monkeypatch.setattr(articles.models.querysets, "RELATED_CANDIDATE_POOL", 2)
    main, energy, _misc = topics
    base = ArticleFactory(primary_topic=main, tags=["oil"])
    old_close = ArticleFactory(primary_topic=main, tags=["oil"], publish_at=FIXED_PUBLISH_AT)
    day = timedelta(days=1)
    newer = [
        ArticleFactory(primary_topic=energy, tags=["oil"], publish_at=FIXED_PUBLISH_AT + n * day)
        for n in (1, 2)
    ]

    assert old_close not in related(base)
    assert set(related(base)) == set(newer)


# --- with_cards() ---------------------------------------------------------------------------


def test_with_cards_costs_a_fixed_number_of_queries(django_assert_num_queries):
    from tests.factories import AuthorFactory

    for _ in range(3):
        ArticleFactory(authors=[AuthorFactory(), AuthorFactory()])

    with django_assert_num_queries(2):
        for article in Article.objects.with_cards():
            assert article.primary_topic.name
            assert [b.author.name for b in article.bylines.all()]


def test_byline_keeps_the_given_order():
    from tests.factories import AuthorFactory

    first, second = AuthorFactory(name="Zoë"), AuthorFactory(name="Adam")
    article = ArticleFactory(authors=[first, second])

    assert [b.author for b in article.bylines.all()] == [first, second]


# --- ExpertQuote and RelatedLink ------------------------------------------------------------


def test_quote_key_defaults_to_the_expert_slug():
    expert = ExpertFactory(slug="jan-novak")

    quote = ExpertQuoteFactory(expert=expert)

    assert quote.key == "jan-novak"


def test_second_and_third_quotes_by_one_expert_get_numbered_keys():
    expert = ExpertFactory(slug="jan-novak")
    article = ArticleFactory()

    keys = [ExpertQuoteFactory(article=article, expert=expert).key for _ in range(3)]

    assert keys == ["jan-novak", "jan-novak-2", "jan-novak-3"]


def test_quote_key_is_only_unique_within_one_article():
    expert = ExpertFactory(slug="jan-novak")

    first = ExpertQuoteFactory(expert=expert)
    other_article = ExpertQuoteFactory(expert=expert)

    assert first.key == other_article.key == "jan-novak"


def test_explicit_quote_key_is_kept():
    quote = ExpertQuoteFactory(key="on-sanctions")

    assert quote.key == "on-sanctions"


def test_resaving_a_quote_keeps_its_key():
    expert = ExpertFactory(slug="jan-novak")
    quote = ExpertQuoteFactory(expert=expert)

    quote.text = "Edited."
    quote.save()

    quote.refresh_from_db()
    assert quote.key == "jan-novak"
    assert ExpertQuote.objects.count() == 1


def test_related_link_to_itself_violates_the_constraint():
    article = ArticleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(from_article=article, to_article=article)

    assert RelatedLink.objects.count() == 0


def test_related_link_to_the_same_article_twice_violates_the_constraint():
    link = RelatedLinkFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(from_article=link.from_article, to_article=link.to_article)


# --- display helpers ------------------------------------------------------------------------


def test_display_title_and_description_fall_back_to_headline_and_standfirst():
    article = ArticleFactory.build(title="Headline", standfirst="Summary")
    assert (article.display_title, article.description) == ("Headline", "Summary")

    article.seo_title, article.meta_description = "SEO", "Meta"
    assert (article.display_title, article.description) == ("SEO", "Meta")


def test_was_updated_only_when_updated_after_publishing():
    article = ArticleFactory.build(publish_at=FIXED_PUBLISH_AT, updated_at=None)
    assert not article.was_updated

    article.updated_at = FIXED_PUBLISH_AT
    assert not article.was_updated

    article.updated_at = FIXED_PUBLISH_AT + timedelta(days=1)
    assert article.was_updated


def test_article_url_is_under_articles():
    assert ArticleFactory.build(slug="x-y").get_absolute_url() == "/articles/x-y/"


# --- with_tag_list() ------------------------------------------------------------------------


def test_with_tag_list_brings_every_tag_in_the_article_query(django_assert_num_queries):
    names = ["sanctions", "Ünïcode", 'with "quotes", and commas', "[not json]"]
    tagged = ArticleFactory(tags=names)
    untagged = ArticleFactory()

    with django_assert_num_queries(1):
        found = {a.pk: a.tag_list for a in Article.objects.with_tag_list()}

    assert sorted((t["id"], t["name"]) for t in found[tagged.pk]) == sorted(
        (tag.pk, tag.name) for tag in tagged.tags.all()
    )
    assert sorted(t["name"] for t in found[tagged.pk]) == sorted(names)
    assert found[untagged.pk] is None


def test_in_topic_lists_primary_subtopic_and_further_topic_articles_once(frozen_now):
    topic = TopicFactory()
    sub = TopicFactory(parent=topic)
    elsewhere = TopicFactory()
    primary = ArticleFactory(primary_topic=topic)
    in_sub = ArticleFactory(primary_topic=sub)
    further = ArticleFactory(primary_topic=elsewhere)
    further.topics.add(topic)
    # Listed as a further topic *and* in the cluster by its primary topic: once.
    both = ArticleFactory(primary_topic=sub)
    both.topics.add(topic)
    # A further topic of the subtopic does not put an article in the main topic's cluster.
    ArticleFactory(primary_topic=elsewhere).topics.add(sub)
    ArticleFactory(primary_topic=elsewhere)

    assert sorted(Article.objects.in_topic(topic).values_list("pk", flat=True)) == sorted(
        [primary.pk, in_sub.pk, further.pk, both.pk]
    )
    assert Article.objects.in_topic(sub).count() == 3


def test_topic_pages_count_and_list_only_live_articles(client, frozen_now):
    topic = TopicFactory()
    shown = ArticleFactory(primary_topic=topic, title="Shown")
    ArticleFactory(primary_topic=topic, status=Status.DRAFT)
    ArticleFactory(primary_topic=topic, expire_at=frozen_now)
    ArticleFactory(primary_topic=topic, publish_at=frozen_now + timedelta(microseconds=1))
    ArticleFactory(primary_topic=TopicFactory(), deleted_at=frozen_now).topics.add(topic)

    response = client.get(topic.get_absolute_url())

    assert response.context["paginator"].count == 1
    assert [card.pk for card in response.context["articles"]] == [shown.pk]


def test_topic_pages_list_the_cluster_page_by_page_without_its_pillar(
    client, monkeypatch, frozen_now
):
    from articles import listings

    monkeypatch.setattr(listings.TopicDetailView, "paginate_by", 2)
    topic = TopicFactory(slug="iran")
    sub = TopicFactory(parent=topic)
    for n in range(5):
        ArticleFactory(
            title=f"Piece {n}",
            primary_topic=sub if n % 2 else topic,
            publish_at=frozen_now - timedelta(days=n),
        )
    topic.pillar_article = Article.objects.get(title="Piece 2")
    topic.save()

    titles = dict(Article.objects.values_list("pk", "title"))
    listed = []
    for page in (1, 2):
        response = client.get(f"{topic.get_absolute_url()}?page={page}")
        assert response.context["paginator"].count == 4
        listed += [titles[card.pk] for card in response.context["articles"]]

    assert listed == ["Piece 0", "Piece 1", "Piece 3", "Piece 4"]
    assert client.get(f"{topic.get_absolute_url()}?page=3").status_code == 404
