"""Revisions (django-reversion): every admin save, workflow step and restore keeps the complete
article, the revisions page lists and compares them, and restoring brings old content back as a
new revision without touching the workflow state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import constants
from django.urls import reverse
from django.utils import dateformat, timezone
from reversion.models import Version

from articles import revisions, workflow
from articles.models import Article, ArticleActivity, Byline, ExpertQuote, RelatedLink, Status
from authors.models import Author, Expert
from tests.articles.test_permissions import (
    change_url,
    current_version,
    form_data,
    full_change_form,
    logged_in,
    messages_of,
    reloaded,
    transition_url,
    writers_article,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    RelatedLinkFactory,
    TopicFactory,
    UserFactory,
    article_in,
)
from tests.html import parse
from topics.models import Topic

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
T2 = T0 + timedelta(hours=2)


# --- helpers ------------------------------------------------------------------------------


def revisions_url(article: Article) -> str:
    return reverse("admin:articles_article_revisions", args=[article.pk])


def restore_url(article: Article, version: Version | int) -> str:
    version_id = version if isinstance(version, int) else version.pk
    return reverse("admin:articles_article_restore_revision", args=[article.pk, version_id])


def versions(article: Article) -> list[Version]:
    return list(revisions.versions_of(article))


def newest(article: Article) -> Version:
    return versions(article)[0]


def fields_of(version: Version) -> dict[str, str]:
    return revisions.snapshot(version).fields


def when(moment: datetime) -> str:
    """A revision time as the revisions page writes it."""
    return dateformat.format(timezone.localtime(moment), "j M Y, H:i:s")


def restore(client, article: Article, revision: Version, **data):
    """POST the restore button as the revisions page renders it (with the current version)."""
    data.setdefault("version", str(reloaded(article).version))
    return client.post(restore_url(article, revision), data)


def content_of(article: Article) -> dict:
    """Everything a restore is meant to bring back, as plain values."""
    article = reloaded(article)
    return {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "primary_topic": article.primary_topic_id,
        "topics": sorted(article.topics.values_list("pk", flat=True)),
        "byline": [b.author_id for b in article.bylines.all()],
        "quotes": [
            (q.expert_id, q.key, q.text, q.context, q.source_url, q.said_on)
            for q in article.quotes.all()
        ],
        "related": [(r.to_article_id, r.lead_in) for r in article.related_links.all()],
        "tags": sorted(article.tags.names()),
    }


def state_of(article: Article) -> tuple:
    article = reloaded(article)
    return (article.status, article.publish_at, article.expire_at, article.deleted_at)


# --- saving through the admin records a complete revision ---------------------------------


def test_saving_the_change_form_records_the_article_as_it_is_after_the_inlines_are_saved(
    frozen_now, editor_user
):
    kept = AuthorFactory(name="Kept Writer")
    dropped = AuthorFactory(name="Dropped Writer")
    expert = ExpertFactory(name="Dr Quoted")
    first_target = ArticleFactory(title="First target")
    second_target = ArticleFactory(title="Second target")
    article = ArticleFactory(title="Before the edit", authors=[kept, dropped], tags=["alpha"])
    ExpertQuoteFactory(article=article, expert=expert, key="k1", text="Old words.")
    RelatedLinkFactory(from_article=article, to_article=first_target, lead_in="First, read")
    data = full_change_form(article)
    dropped_row = next(
        name.rsplit("-", 1)[0]
        for name, value in data.items()
        if name.startswith("bylines-") and name.endswith("-author") and value == [str(dropped.pk)]
    )
    data.update(
        {
            "title": "After the edit",
            "tags": "alpha, beta",
            f"{dropped_row}-DELETE": "on",
            "quotes-0-text": "New words.",
            "related_links-TOTAL_FORMS": "2",
            "related_links-1-to_article": str(second_target.pk),
            "related_links-1-lead_in": "Then",
            "related_links-1-sort_order": "1",
        }
    )

    response = logged_in(editor_user).post(change_url(article), data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    assert [b.author for b in reloaded(article).bylines.all()] == [kept]
    [version] = versions(article)
    assert (version.revision.comment, version.revision.user) == ("Edited", editor_user)
    fields = fields_of(version)
    assert fields["Title"] == "After the edit"
    assert fields["Byline"] == "Kept Writer"
    assert fields["Tags"] == "alpha, beta"
    assert fields["Expert quotes"] == "[k1] Dr Quoted: New words."
    assert fields["Related links"] == "First, read → First target\nThen → Second target"


def test_each_admin_save_adds_a_revision_and_keeps_the_earlier_ones(frozen_now, editor_user):
    article = ArticleFactory(title="First title", authors=[AuthorFactory()])
    client = logged_in(editor_user)
    for title in ["Second title", "Third title"]:
        data = full_change_form(article)
        data["title"] = title
        assert client.post(change_url(article), data).status_code == 302

    assert [fields_of(v)["Title"] for v in versions(article)] == ["Third title", "Second title"]


def test_adding_an_article_through_the_admin_records_a_created_revision(frozen_now, writer_user):
    topic = TopicFactory()
    author = AuthorFactory(name="Nadia Petrova")
    client = logged_in(writer_user)
    add_url = reverse("admin:articles_article_add")
    data = form_data(client.get(add_url))
    data.update(
        {
            "title": "Caspian shipping",
            "slug": "caspian-shipping",
            "body": "Ships cross the sea.",
            "primary_topic": str(topic.pk),
            "bylines-0-author": str(author.pk),
            "tags": "shipping",
        }
    )

    assert client.post(add_url, data).status_code == 302

    [version] = versions(Article.objects.get(slug="caspian-shipping"))
    assert (version.revision.comment, version.revision.user) == ("Created", writer_user)
    assert fields_of(version)["Byline"] == "Nadia Petrova"
    assert fields_of(version)["Tags"] == "shipping"


def test_a_refused_save_records_no_revision(frozen_now, editor_user):
    article = ArticleFactory(title="Untouched", authors=[AuthorFactory()])
    data = full_change_form(article)
    data["title"] = "Stale edit"
    data["expected_version"] = str(article.version + 5)

    response = logged_in(editor_user).post(change_url(article), data)

    assert response.status_code == 200
    assert reloaded(article).title == "Untouched"
    assert versions(article) == []


# --- workflow transitions record revisions ------------------------------------------------

TRANSITION_ACTORS = [
    # transition, source state, who applies it
    ("submit", Status.DRAFT, "writer_user"),
    ("approve", Status.IN_REVIEW, "moderator_user"),
    ("publish", Status.DRAFT, "editor_user"),
    ("return", Status.IN_REVIEW, "moderator_user"),
    ("unpublish", Status.PUBLISHED, "moderator_user"),
    ("archive", Status.PUBLISHED, "editor_user"),
    ("reopen", Status.RETURNED, "writer_user"),
]


@pytest.mark.parametrize(
    ("name", "source", "actor"), TRANSITION_ACTORS, ids=[t[0] for t in TRANSITION_ACTORS]
)
def test_each_transition_records_a_revision_labelled_with_it_by_the_actor(
    request, frozen_now, writer_user, name, source, actor
):
    user = request.getfixturevalue(actor)
    article = writers_article(writer_user, source, title="On the move")
    reason = "Needs sources." if name == "return" else ""

    response = logged_in(user).post(
        transition_url(article, name), current_version(article, reason=reason)
    )

    assert response.status_code == 302
    assert messages_of(response, constants.ERROR) == []
    [version] = versions(article)
    assert version.revision.comment == workflow.TRANSITIONS[name].label
    assert version.revision.user == user
    assert version.field_dict["status"] == workflow.TRANSITIONS[name].target
    assert fields_of(version)["Title"] == "On the move"


def test_a_refused_transition_records_no_revision(frozen_now, writer_user):
    article = writers_article(writer_user, Status.DRAFT)

    logged_in(writer_user).post(transition_url(article, "publish"), current_version(article))

    assert reloaded(article).status == Status.DRAFT
    assert versions(article) == []


def test_successive_transitions_each_keep_their_own_revision(
    writer_user, moderator_user, editor_user
):
    article = writers_article(writer_user, Status.DRAFT)
    steps = [(writer_user, "submit"), (moderator_user, "approve"), (editor_user, "unpublish")]
    for minute, (user, name) in enumerate(steps):
        with time_machine.travel(T0 + timedelta(minutes=minute), tick=False):
            workflow.transition(article=article, name=name, by=user)

    assert [(v.revision.comment, v.revision.user) for v in versions(article)] == [
        ("Unpublish", editor_user),
        ("Approve and publish", moderator_user),
        ("Submit for review", writer_user),
    ]


# --- diff ---------------------------------------------------------------------------------


def test_diff_lists_only_the_changed_fields():
    older = revisions.Snapshot({"Title": "Same", "Body": "one", "Tags": "a"})
    newer = revisions.Snapshot({"Title": "Same", "Body": "two", "Tags": "a, b"})

    changes = revisions.diff(older, newer)

    assert [change.field for change in changes] == ["Body", "Tags"]


def test_diff_shows_removed_and_added_lines_with_some_context():
    body = [f"Paragraph {n}." for n in range(1, 41)]
    changed = [*body[:19], "Paragraph twenty, rewritten.", *body[20:]]
    older = revisions.Snapshot({"Body": "\n".join(body)})
    newer = revisions.Snapshot({"Body": "\n".join(changed)})

    [change] = revisions.diff(older, newer)

    assert change.field == "Body"
    assert ("remove", "Paragraph 20.") in change.lines
    assert ("add", "Paragraph twenty, rewritten.") in change.lines
    assert ("same", "Paragraph 19.") in change.lines
    # Long bodies keep only a little context around each change.
    assert ("same", "Paragraph 1.") not in change.lines
    assert len(change.lines) < 10
    assert {kind for kind, _text in change.lines} <= {"add", "remove", "same", "gap"}


def test_diff_of_a_field_that_became_empty_is_all_removals():
    older = revisions.Snapshot({"Byline": "Ada", "Title": "T"})
    newer = revisions.Snapshot({"Byline": "", "Title": "T"})

    [change] = revisions.diff(older, newer)

    assert (change.field, [kind for kind, _ in change.lines]) == ("Byline", ["gap", "remove"])


def test_diff_of_identical_snapshots_is_empty():
    same = {"Title": "T", "Body": "line\nline two"}

    assert revisions.diff(revisions.Snapshot(same), revisions.Snapshot(dict(same))) == []


def test_diff_between_two_real_revisions_names_only_the_byline(frozen_now, editor_user):
    first, second = AuthorFactory(name="First Author"), AuthorFactory(name="Second Author")
    article = ArticleFactory(authors=[first])
    revisions.record_revision(article=article, by=editor_user, comment="Edited")
    Byline.objects.create(article=article, author=second, sort_order=1)
    revisions.record_revision(article=article, by=editor_user, comment="Edited")
    new, old = versions(article)

    [change] = revisions.diff(revisions.snapshot(old), revisions.snapshot(new))

    assert change.field == "Byline"
    assert ("remove", "First Author") in change.lines
    assert ("add", "First Author, Second Author") in change.lines


# --- the revisions page -------------------------------------------------------------------


@pytest.fixture
def three_revisions(writer_user, moderator_user, editor_user) -> Article:
    """A writer's article saved by the writer, submitted, then approved, a minute apart."""
    article = writers_article(writer_user, Status.DRAFT, title="Listed", body="Old line.")
    with time_machine.travel(T0, tick=False):
        revisions.record_revision(article=article, by=writer_user, comment="Edited")
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        article = reloaded(article)
        article.body = "New line."
        article.title = "Listed again"
        article.save()
        workflow.transition(article=article, name="submit", by=writer_user)
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        workflow.transition(article=article, name="approve", by=moderator_user)
    return article


def table_rows(response) -> list[list[str]]:
    rows = parse(response).one("div", id="content-main").one("tbody").select("tr")
    return [[cell.text for cell in row.select("td")] for row in rows]


def test_revisions_page_lists_who_saved_when_and_what(client, three_revisions, editor_user):
    client.force_login(editor_user)

    response = client.get(revisions_url(three_revisions))

    assert response.status_code == 200
    rows = [row[2:5] for row in table_rows(response)]
    assert rows == [
        [when(T0 + timedelta(minutes=2)), "moderator", "Approve and publish"],
        [when(T0 + timedelta(minutes=1)), "writer", "Submit for review"],
        [when(T0), "writer", "Edited"],
    ]
    assert "Changes from" not in response.content.decode()


def test_revisions_page_of_an_article_without_revisions_says_so(client, editor_user):
    article = ArticleFactory()
    client.force_login(editor_user)

    response = client.get(revisions_url(article))

    assert response.status_code == 200
    assert "No revisions yet" in response.content.decode()


def test_comparing_two_revisions_shows_the_changed_fields_line_by_line(
    client, three_revisions, editor_user
):
    newest_version, _, oldest = versions(three_revisions)
    client.force_login(editor_user)

    response = client.get(
        revisions_url(three_revisions), {"from": oldest.pk, "to": newest_version.pk}
    )

    assert response.status_code == 200
    page = parse(response)
    heading = page.one("h2", id="diff-heading").text
    assert heading.startswith("Changes from")
    assert [h.text for h in page.select("h3", class_="dossier-diff__field")] == ["Title", "Body"]
    added = [span.text for span in page.select("span", class_="dossier-diff__add")]
    removed = [span.text for span in page.select("span", class_="dossier-diff__remove")]
    assert added == ["+ Listed again", "+ New line."]
    assert removed == ["− Listed", "− Old line."]


def test_comparing_in_either_order_shows_the_change_from_older_to_newer(
    client, three_revisions, editor_user
):
    newest_version, _, oldest = versions(three_revisions)
    client.force_login(editor_user)

    forwards = client.get(
        revisions_url(three_revisions), {"from": oldest.pk, "to": newest_version.pk}
    )
    backwards = client.get(
        revisions_url(three_revisions), {"from": newest_version.pk, "to": oldest.pk}
    )

    def diff_section(response):
        return parse(response).one("section", aria_labelledby="diff-heading").text

    assert diff_section(backwards) == diff_section(forwards)


def checked_rows(response) -> dict[str, int]:
    """Which row (0 = newest) each radio group marks."""
    rows = parse(response).one("div", id="content-main").one("tbody").select("tr")
    marked = {}
    for index, row in enumerate(rows):
        for radio in row.select("input"):
            if "checked" in radio.attrs:
                marked[radio.attrs["name"]] = index
    return marked


def test_the_radios_mark_the_latest_change_before_any_comparison(
    client, three_revisions, editor_user
):
    client.force_login(editor_user)
    response = client.get(revisions_url(three_revisions))
    assert checked_rows(response) == {"from": 1, "to": 0}


@pytest.mark.parametrize("backwards", [False, True])
def test_after_comparing_the_radios_mark_the_compared_rows(
    client, three_revisions, editor_user, backwards
):
    newest_version, _, oldest = versions(three_revisions)
    client.force_login(editor_user)
    pair = (newest_version.pk, oldest.pk) if backwards else (oldest.pk, newest_version.pk)
    response = client.get(revisions_url(three_revisions), {"from": pair[0], "to": pair[1]})
    # "from" is the older of the two, as the diff shown is; not the second row.
    assert checked_rows(response) == {"from": 2, "to": 0}


def test_comparing_revisions_with_the_same_content_says_so(client, three_revisions, editor_user):
    newest_version, middle, _ = versions(three_revisions)
    client.force_login(editor_user)

    response = client.get(
        revisions_url(three_revisions), {"from": middle.pk, "to": newest_version.pk}
    )

    assert "These two revisions have the same content." in response.content.decode()


BAD_COMPARISONS = {
    "non-numeric-from": lambda own, other: {"from": "abc", "to": own},
    "non-numeric-to": lambda own, other: {"from": own, "to": "latest"},
    "other-articles-version": lambda own, other: {"from": other, "to": own},
    "both-from-another-article": lambda own, other: {"from": other, "to": other},
    "only-from": lambda own, other: {"from": own},
    "only-to": lambda own, other: {"to": own},
    "empty-from": lambda own, other: {"from": "", "to": own},
    "unknown-id": lambda own, other: {"from": "99999999", "to": own},
    "negative": lambda own, other: {"from": "-1", "to": own},
    "decimal": lambda own, other: {"from": f"{own}.5", "to": own},
    "huge": lambda own, other: {"from": "9" * 40, "to": own},
    "nul-byte": lambda own, other: {"from": "\x00", "to": own},
}


@pytest.mark.parametrize("case", BAD_COMPARISONS)
def test_bad_comparison_values_give_a_message_not_an_error(
    client, editor_user, three_revisions, case
):
    other = ArticleFactory()
    revisions.record_revision(article=other, by=editor_user, comment="Edited")
    own_id, other_id = str(newest(three_revisions).pk), str(newest(other).pk)
    client.force_login(editor_user)

    response = client.get(revisions_url(three_revisions), BAD_COMPARISONS[case](own_id, other_id))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose two revisions of this article to compare." in content
    assert "Changes from" not in content
    assert len(table_rows(response)) == 3  # the list is still there


def test_revisions_of_a_missing_article_are_not_found(client, editor_user):
    client.force_login(editor_user)

    response = client.get(reverse("admin:articles_article_revisions", args=[999_999]))

    assert response.status_code == 404


def test_revisions_page_is_for_staff_only(client, three_revisions):
    response = client.get(revisions_url(three_revisions))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    client.force_login(UserFactory(is_staff=True))
    assert client.get(revisions_url(three_revisions)).status_code == 403


def test_change_form_links_to_the_revisions(client, editor_user):
    article = ArticleFactory(authors=[AuthorFactory()])
    client.force_login(editor_user)

    response = client.get(change_url(article))

    assert revisions_url(article) in response.content.decode()


# --- restoring ----------------------------------------------------------------------------


@dataclass
class History:
    """An article with two revisions: `old` (a draft) and `new` (published and rewritten)."""

    article: Article
    old: Version
    new: Version
    old_content: dict
    new_content: dict
    old_topic: Topic
    old_further: Topic
    old_author: Author
    old_expert: Expert
    old_target: Article


@pytest.fixture
def history(writer_user, editor_user) -> History:
    old_topic, new_topic = TopicFactory(name="Old topic"), TopicFactory(name="New topic")
    old_further, new_further = TopicFactory(name="Old further"), TopicFactory(name="New further")
    old_author, new_author = AuthorFactory(name="Old Author"), AuthorFactory(name="New Author")
    old_expert, new_expert = ExpertFactory(name="Old Expert"), ExpertFactory(name="New Expert")
    old_target = ArticleFactory(title="Old target", slug="old-target")
    new_target = ArticleFactory(title="New target", slug="new-target")
    with time_machine.travel(T0, tick=False):
        article = article_in(
            Status.DRAFT,
            title="Old headline",
            slug="the-piece",
            standfirst="Old standfirst.",
            body="Old body, see [the old target](article:old-target).\n\n[[quote:old]]",
            primary_topic=old_topic,
            topics=[old_further],
            authors=[old_author],
            tags=["old-tag", "shared-tag"],
            created_by=writer_user,
        )
        ExpertQuoteFactory(
            article=article,
            expert=old_expert,
            key="old",
            text="Old words.",
            context="on the radio",
            source_url="https://example.org/old",
            said_on=date(2026, 5, 1),
        )
        RelatedLinkFactory(from_article=article, to_article=old_target, lead_in="Old lead-in")
        article = reloaded(article)
        article.save()  # render the body with its quote and link in place
        revisions.record_revision(article=article, by=writer_user, comment="Edited")
        old_content = content_of(article)
    with time_machine.travel(T1, tick=False):
        article = reloaded(article)
        article.title = "New headline"
        article.standfirst = "New standfirst."
        article.body = "New body.\n\n[[quote:new]]"
        article.primary_topic = new_topic
        article.status = Status.PUBLISHED
        article.publish_at = T1
        article.expire_at = T1 + timedelta(days=30)
        article.save()
        article.topics.set([new_further])
        article.bylines.all().delete()
        Byline.objects.create(article=article, author=new_author)
        article.quotes.all().delete()
        ExpertQuote.objects.create(article=article, expert=new_expert, key="new", text="New words.")
        article.related_links.all().delete()
        RelatedLink.objects.create(from_article=article, to_article=new_target, lead_in="New")
        article.tags.set(["new-tag", "shared-tag"])
        revisions.record_revision(article=article, by=editor_user, comment="Edited")
        new_content = content_of(article)
    new, old = versions(article)
    return History(
        article, old, new, old_content, new_content, old_topic, old_further, old_author,
        old_expert, old_target,
    )  # fmt: skip


def test_restore_brings_back_the_old_revisions_content(client, history, editor_user):
    client.force_login(editor_user)
    assert content_of(history.article) != history.old_content

    with time_machine.travel(T2, tick=False):
        response = restore(client, history.article, history.old)

    assert response.status_code == 302
    assert response["Location"] == change_url(history.article)
    assert messages_of(response, constants.SUCCESS) == [
        "The revision was restored as a new revision; the previous text is still in the history."
    ]
    restored = content_of(history.article)
    assert restored == history.old_content
    assert restored["title"] == "Old headline"
    assert restored["primary_topic"] == history.old_topic.pk
    assert restored["topics"] == [history.old_further.pk]
    assert restored["byline"] == [history.old_author.pk]
    assert restored["quotes"] == [
        (
            history.old_expert.pk,
            "old",
            "Old words.",
            "on the radio",
            "https://example.org/old",
            date(2026, 5, 1),
        )
    ]
    assert restored["related"] == [(history.old_target.pk, "Old lead-in")]
    assert restored["tags"] == ["old-tag", "shared-tag"]


def test_restore_renders_the_restored_body_again(client, history, editor_user):
    client.force_login(editor_user)

    restore(client, history.article, history.old)

    article = reloaded(history.article)
    assert "Old body" in article.body_html
    assert "New body" not in article.body_html
    assert list(article.linked_articles.all()) == [history.old_target]
    assert article.body_problems() == []


def test_restore_is_a_new_revision_and_the_replaced_text_stays_in_the_history(
    client, history, editor_user
):
    client.force_login(editor_user)

    with time_machine.travel(T2, tick=False):
        restore(client, history.article, history.old)

    after = versions(history.article)
    assert len(after) == 3
    assert [v.pk for v in after[1:]] == [history.new.pk, history.old.pk]
    assert after[0].revision.comment.startswith("Restored the revision of")
    assert after[0].revision.user == editor_user
    assert fields_of(after[0])["Title"] == "Old headline"
    assert fields_of(after[0])["Byline"] == "Old Author"
    # The text the restore replaced can still be read, compared and restored.
    assert fields_of(after[1])["Title"] == "New headline"
    assert fields_of(after[1])["Body"] == "New body.\n\n[[quote:new]]"
    assert fields_of(after[1])["Byline"] == "New Author"
    entry = ArticleActivity.objects.filter(article=history.article).first()
    assert (entry.action, entry.actor) == ("restore revision", editor_user)


def test_the_replaced_revision_can_be_restored_again(client, history, editor_user):
    client.force_login(editor_user)
    with time_machine.travel(T2, tick=False):
        restore(client, history.article, history.old)

    with time_machine.travel(T2 + timedelta(minutes=1), tick=False):
        response = restore(client, history.article, history.new)

    assert response.status_code == 302
    assert content_of(history.article) == history.new_content
    assert len(versions(history.article)) == 4


def test_restore_leaves_status_and_dates_alone(client, history, editor_user):
    before = state_of(history.article)
    assert history.old.field_dict["status"] == Status.DRAFT  # the old revision was a draft
    client.force_login(editor_user)

    restore(client, history.article, history.old)

    assert state_of(history.article) == before
    assert reloaded(history.article).status == Status.PUBLISHED


def test_restore_of_a_revision_taken_in_the_trash_does_not_trash_the_article(
    client, frozen_now, editor_user
):
    article = ArticleFactory(title="Binned text", authors=[AuthorFactory()])
    workflow.move_to_trash(article=article, by=editor_user)
    revisions.record_revision(article=reloaded(article), by=editor_user, comment="Edited")
    workflow.restore_from_trash(article=reloaded(article), by=editor_user)
    article = reloaded(article)
    article.title = "Current text"
    article.save()
    old_version = newest(article)
    assert old_version.field_dict["deleted_at"] is not None
    client.force_login(editor_user)

    response = restore(client, article, old_version)

    assert response.status_code == 302
    after = reloaded(article)
    assert (after.title, after.deleted_at) == ("Binned text", None)


def test_restore_with_a_stale_version_is_refused_and_changes_nothing(client, history, editor_user):
    before_version = reloaded(history.article).version
    client.force_login(editor_user)

    response = restore(client, history.article, history.old, version=str(before_version - 1))

    assert response.status_code == 302
    assert response["Location"] == revisions_url(history.article)
    [error] = messages_of(response, constants.ERROR)
    assert "changed by someone else" in error
    assert content_of(history.article) == history.new_content
    assert reloaded(history.article).version == before_version
    assert len(versions(history.article)) == 2
    assert not ArticleActivity.objects.filter(
        article=history.article, action="restore revision"
    ).exists()


def test_restore_when_the_old_slug_is_now_another_articles_gives_a_clear_message(
    client, frozen_now, editor_user
):
    article = ArticleFactory(title="First title", slug="first-address", authors=[AuthorFactory()])
    revisions.record_revision(article=article, by=editor_user, comment="Edited")
    old_version = newest(article)
    article = reloaded(article)
    article.title, article.slug = "Second title", "second-address"
    article.save()
    revisions.record_revision(article=article, by=editor_user, comment="Edited")
    ArticleFactory(title="Squatter", slug="first-address")
    client.force_login(editor_user)

    response = restore(client, article, old_version)

    assert response.status_code == 302
    assert response["Location"] == revisions_url(article)
    assert messages_of(response, constants.ERROR) == [
        "Another article now uses the address “first-address”; it cannot be restored."
    ]
    after = reloaded(article)
    assert (after.title, after.slug) == ("Second title", "second-address")
    assert len(versions(article)) == 2


def test_restore_of_an_old_slug_keeps_the_newer_address_redirecting(
    client, frozen_now, editor_user
):
    article = ArticleFactory(title="Renamed", slug="first-address", authors=[AuthorFactory()])
    revisions.record_revision(article=article, by=editor_user, comment="Edited")
    old_version = newest(article)
    article = reloaded(article)
    article.slug = "second-address"
    article.save()
    client.force_login(editor_user)

    restore(client, article, old_version)

    assert reloaded(article).slug == "first-address"
    response = client.get(reverse("articles:detail", kwargs={"slug": "second-address"}))
    assert response.status_code == 301
    assert response["Location"] == reloaded(article).get_absolute_url()


def test_restore_of_another_articles_revision_is_not_found(client, history, editor_user):
    other = ArticleFactory()
    client.force_login(editor_user)

    response = restore(client, other, history.old)

    assert response.status_code == 404
    assert content_of(history.article) == history.new_content


def test_restore_by_get_is_not_allowed(client, history, editor_user):
    client.force_login(editor_user)

    response = client.get(restore_url(history.article, history.old))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert content_of(history.article) == history.new_content


def test_writer_restores_a_revision_of_their_own_draft(client, frozen_now, writer_user):
    article = writers_article(writer_user, Status.DRAFT, title="My first words")
    revisions.record_revision(article=article, by=writer_user, comment="Edited")
    old_version = newest(article)
    article = reloaded(article)
    article.title = "My second words"
    article.save()
    client.force_login(writer_user)

    response = restore(client, article, old_version)

    assert response.status_code == 302
    assert reloaded(article).title == "My first words"


@pytest.mark.parametrize(
    ("whose", "status"),
    [("someone else's", Status.DRAFT), ("own", Status.IN_REVIEW), ("own", Status.PUBLISHED)],
)
def test_writer_cannot_restore_an_article_they_cannot_edit(
    client, frozen_now, writer_user, whose, status
):
    owner = writer_user if whose == "own" else UserFactory(is_staff=True)
    article = writers_article(owner, status, title="Their words")
    revisions.record_revision(article=article, by=owner, comment="Edited")
    old_version = newest(article)
    article = reloaded(article)
    article.title = "Their newer words"
    article.save()
    client.force_login(writer_user)

    response = restore(client, article, old_version)

    assert response.status_code == 403
    assert reloaded(article).title == "Their newer words"
    assert len(versions(article)) == 1


def test_moderator_sees_the_revisions_but_cannot_restore(client, history, moderator_user):
    client.force_login(moderator_user)

    page = client.get(revisions_url(history.article))
    response = restore(client, history.article, history.old)

    assert page.status_code == 200
    assert len(table_rows(page)) == 2
    assert restore_url(history.article, history.old) not in page.content.decode()
    assert "Restore" not in [th.text for th in parse(page).select("th")]
    assert response.status_code == 403
    assert content_of(history.article) == history.new_content
    assert len(versions(history.article)) == 2


def test_editor_is_offered_restore_for_every_revision_but_the_current_one(
    client, history, editor_user
):
    client.force_login(editor_user)

    content = client.get(revisions_url(history.article)).content.decode()

    assert restore_url(history.article, history.old) in content
    assert restore_url(history.article, history.new) not in content


def test_anonymous_restore_goes_to_the_login_page(client, history):
    response = restore(client, history.article, history.old)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert content_of(history.article) == history.new_content


def test_restore_when_the_old_primary_topic_was_deleted_is_refused_with_a_message(
    client, history, editor_user
):
    history.old_topic.delete()
    client.force_login(editor_user)

    response = restore(client, history.article, history.old)

    assert response.status_code == 302
    assert response["Location"] == revisions_url(history.article)
    [error] = messages_of(response, constants.ERROR)
    assert "primary topic no longer exists" in error
    assert content_of(history.article) == history.new_content
    assert len(versions(history.article)) == 2


def test_restore_when_the_old_byline_author_was_deleted_leaves_the_article_with_an_author(
    client, history, editor_user
):
    # Every article has at least one author (the change form refuses an empty byline); a
    # restore must not be a way round that rule.
    history.old_author.delete()
    client.force_login(editor_user)

    restore(client, history.article, history.old)

    assert reloaded(history.article).bylines.exists()


def test_restore_names_the_restored_revision_in_the_same_time_zone_as_the_list(
    client, history, editor_user, settings
):
    settings.TIME_ZONE = "Asia/Tokyo"  # UTC+9 all year: T0 09:00 UTC is 18:00 there
    client.force_login(editor_user)
    with time_machine.travel(T2, tick=False):
        restore(client, history.article, history.old)

    listed = table_rows(client.get(revisions_url(history.article)))
    assert listed[2][2] == "1 Jun 2026, 18:00:00"  # the old revision, as the list shows it
    assert listed[0][4] == "Restored the revision of 01 Jun 2026, 18:00"
