"""The workflow service: every transition, its guards, the activity log, trash and purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from articles import workflow
from articles.models import Article, ArticleActivity, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    TopicFactory,
    UserFactory,
    article_in,
    superuser,
)

pytestmark = pytest.mark.django_db

ALL_STATUSES = list(Status)
ALLOWED = [
    (name, source) for name, t in workflow.TRANSITIONS.items() for source in sorted(t.sources)
]
REFUSED = [
    (name, source)
    for name, t in workflow.TRANSITIONS.items()
    for source in ALL_STATUSES
    if source not in t.sources
]
REASON = "The second section needs sources."


def reason_for(name: str) -> str:
    return REASON if workflow.TRANSITIONS[name].needs_reason else ""


def activity(article: Article) -> list[ArticleActivity]:
    return list(ArticleActivity.objects.filter(article=article).order_by("pk"))


def reloaded(article: Article) -> Article:
    return Article.objects.get(pk=article.pk)


# --- the transition table -----------------------------------------------------------------


def test_the_transition_table_is_the_documented_one():
    table = {name: (set(t.sources), t.target) for name, t in workflow.TRANSITIONS.items()}

    assert table == {
        "submit": ({Status.DRAFT, Status.RETURNED}, Status.IN_REVIEW),
        "approve": ({Status.IN_REVIEW}, Status.PUBLISHED),
        "publish": ({Status.DRAFT, Status.RETURNED, Status.UNPUBLISHED}, Status.PUBLISHED),
        "return": ({Status.IN_REVIEW}, Status.RETURNED),
        "unpublish": ({Status.PUBLISHED}, Status.UNPUBLISHED),
        "archive": (
            {
                Status.DRAFT,
                Status.IN_REVIEW,
                Status.RETURNED,
                Status.PUBLISHED,
                Status.UNPUBLISHED,
            },
            Status.ARCHIVED,
        ),
        "reopen": ({Status.RETURNED, Status.UNPUBLISHED, Status.ARCHIVED}, Status.DRAFT),
    }


@pytest.mark.parametrize(("name", "source"), ALLOWED, ids=[f"{n}-from-{s}" for n, s in ALLOWED])
def test_transition_moves_from_each_allowed_source_to_its_target(frozen_now, name, source):
    article = article_in(source)
    actor = superuser()

    result = workflow.transition(article=article, name=name, by=actor, reason=reason_for(name))

    target = workflow.TRANSITIONS[name].target
    assert result.status == target
    assert reloaded(article).status == target
    [entry] = activity(article)
    assert entry.actor == actor
    assert entry.action == name
    assert entry.from_status == source
    assert entry.to_status == target
    assert entry.reason == reason_for(name)
    assert entry.created_at == frozen_now


@pytest.mark.parametrize(("name", "source"), REFUSED, ids=[f"{n}-from-{s}" for n, s in REFUSED])
def test_transition_is_refused_from_every_other_source(frozen_now, name, source):
    article = article_in(source)
    version = reloaded(article).version

    with pytest.raises(workflow.WorkflowError):
        workflow.transition(article=article, name=name, by=superuser(), reason=reason_for(name))

    after = reloaded(article)
    assert after.status == source
    assert after.version == version
    assert activity(article) == []


def test_transition_bumps_the_version(frozen_now):
    article = article_in(Status.DRAFT)
    before = reloaded(article).version

    result = workflow.transition(article=article, name="submit", by=superuser())

    assert result.version == before + 1
    assert reloaded(article).version == before + 1


def test_unknown_transition_is_refused(frozen_now):
    article = article_in(Status.DRAFT)

    with pytest.raises(workflow.WorkflowError, match="no workflow action called"):
        workflow.transition(article=article, name="teleport", by=superuser())

    assert reloaded(article).status == Status.DRAFT
    assert activity(article) == []


@pytest.mark.parametrize("reason", ["", "   \n "], ids=["empty", "blank"])
def test_return_without_a_reason_is_refused(frozen_now, reason):
    article = article_in(Status.IN_REVIEW)

    with pytest.raises(workflow.WorkflowError, match="needs a reason"):
        workflow.transition(article=article, name="return", by=superuser(), reason=reason)

    assert reloaded(article).status == Status.IN_REVIEW
    assert activity(article) == []


def test_return_stores_the_reason_without_surrounding_whitespace(frozen_now):
    article = article_in(Status.IN_REVIEW)

    workflow.transition(article=article, name="return", by=superuser(), reason=f"  {REASON}\n")

    assert activity(article)[0].reason == REASON


# --- publishing and scheduling ------------------------------------------------------------


def test_approve_without_publish_time_goes_live_now(frozen_now):
    article = article_in(Status.IN_REVIEW)

    result = workflow.transition(article=article, name="approve", by=superuser())

    assert result.publish_at == frozen_now
    assert list(Article.objects.live()) == [result]


def test_approve_with_a_future_publish_time_schedules_the_article(frozen_now):
    article = article_in(Status.IN_REVIEW)
    go_live = frozen_now + timedelta(days=2, hours=3)

    result = workflow.transition(
        article=article, name="approve", by=superuser(), publish_at=go_live
    )

    assert result.status == Status.PUBLISHED
    assert result.publish_at == go_live
    assert result.is_scheduled
    assert list(Article.objects.scheduled()) == [result]
    assert not Article.objects.live().exists()
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert not Article.objects.live().exists()
    with time_machine.travel(go_live, tick=False):
        assert list(Article.objects.live()) == [result]
        assert not Article.objects.scheduled().exists()


def test_publishing_keeps_a_publish_time_set_in_advance(frozen_now):
    go_live = frozen_now + timedelta(hours=6)
    article = article_in(Status.DRAFT, publish_at=go_live)

    result = workflow.transition(article=article, name="publish", by=superuser())

    assert result.publish_at == go_live
    assert not Article.objects.live().exists()


def test_unpublish_takes_the_article_off_the_site(frozen_now):
    article = article_in(Status.PUBLISHED)
    assert Article.objects.live().exists()

    workflow.transition(article=article, name="unpublish", by=superuser())

    assert not Article.objects.live().exists()


# --- no byline, no publishing -------------------------------------------------------------

# Every transition that makes an article live or scheduled, from each of its sources.
GOING_LIVE = [(n, s) for n, s in ALLOWED if workflow.TRANSITIONS[n].target == Status.PUBLISHED]
NOT_GOING_LIVE = [(n, s) for n, s in ALLOWED if (n, s) not in GOING_LIVE]
NO_BYLINE = "Add at least one author to the byline of “Caspian shipping” before publishing"


def test_publish_and_approve_are_the_transitions_that_make_an_article_live():
    assert {name for name, _source in GOING_LIVE} == {"approve", "publish"}


@pytest.mark.parametrize(
    ("name", "source"), GOING_LIVE, ids=[f"{n}-from-{s}" for n, s in GOING_LIVE]
)
@pytest.mark.parametrize("scheduled", [False, True], ids=["now", "scheduled"])
def test_going_live_or_scheduled_without_a_byline_is_refused_and_changes_nothing(
    frozen_now, name, source, scheduled
):
    article = article_in(source, title="Caspian shipping", authors=[])
    before = reloaded(article)
    go_live = frozen_now + timedelta(days=2) if scheduled else None

    with pytest.raises(workflow.MissingByline, match=NO_BYLINE):
        workflow.transition(article=article, name=name, by=superuser(), publish_at=go_live)

    after = reloaded(article)
    assert (after.status, after.publish_at, after.version) == (
        source,
        before.publish_at,
        before.version,
    )
    assert activity(article) == []
    assert not Article.objects.live().exists()
    assert not Article.objects.scheduled().exists()


def test_a_missing_byline_is_a_workflow_error():
    assert issubclass(workflow.MissingByline, workflow.WorkflowError)


def test_publishing_a_draft_set_to_go_live_later_without_a_byline_is_refused(frozen_now):
    go_live = frozen_now + timedelta(hours=6)
    article = article_in(Status.DRAFT, title="Caspian shipping", publish_at=go_live, authors=[])

    with pytest.raises(workflow.MissingByline, match=NO_BYLINE):
        workflow.transition(article=article, name="publish", by=superuser())

    assert reloaded(article).status == Status.DRAFT
    assert not Article.objects.scheduled().exists()


@pytest.mark.parametrize(
    ("name", "source"), NOT_GOING_LIVE, ids=[f"{n}-from-{s}" for n, s in NOT_GOING_LIVE]
)
def test_steps_that_do_not_publish_need_no_byline(frozen_now, name, source):
    article = article_in(source, authors=[])

    workflow.transition(article=article, name=name, by=superuser(), reason=reason_for(name))

    assert reloaded(article).status == workflow.TRANSITIONS[name].target


def test_who_may_not_publish_hears_that_before_the_missing_byline(frozen_now, writer_user):
    article = article_in(Status.DRAFT, title="Caspian shipping", authors=[])

    with pytest.raises(workflow.WorkflowError, match="You cannot publish") as raised:
        workflow.transition(article=article, name="publish", by=writer_user)

    assert not isinstance(raised.value, workflow.MissingByline)


# --- who may do what ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "source"), [("publish", Status.DRAFT), ("approve", Status.DRAFT)])
def test_a_step_the_role_never_allows_is_refused_for_the_role(
    frozen_now, writer_user, name, source
):
    article = article_in(source, title="Caspian shipping", created_by=writer_user)
    label = workflow.TRANSITIONS[name].label.lower()

    with pytest.raises(workflow.NotAllowed) as raised:
        workflow.transition(article=article, name=name, by=writer_user)

    assert (
        str(raised.value) == f"You cannot {label} “Caspian shipping”: your role does not allow it."
    )


def test_writer_may_submit_own_draft_but_not_someone_elses(frozen_now, writer_user):
    own = article_in(Status.DRAFT, created_by=writer_user)
    other = article_in(Status.DRAFT, created_by=UserFactory(is_staff=True))

    workflow.transition(article=own, name="submit", by=writer_user)

    assert reloaded(own).status == Status.IN_REVIEW
    with pytest.raises(workflow.WorkflowError):
        workflow.transition(article=other, name="submit", by=writer_user)
    assert reloaded(other).status == Status.DRAFT
    assert activity(other) == []


def test_writer_named_on_the_byline_owns_the_article(frozen_now, writer_user):
    article = article_in(Status.DRAFT, authors=[AuthorFactory(user=writer_user)])

    assert workflow.is_owner(article=article, user=writer_user)
    workflow.transition(article=article, name="submit", by=writer_user)

    assert reloaded(article).status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("publish", Status.DRAFT),
        ("approve", Status.IN_REVIEW),
        ("return", Status.IN_REVIEW),
        ("unpublish", Status.PUBLISHED),
        ("archive", Status.DRAFT),
    ],
)
def test_writer_cannot_publish_review_or_archive_even_own_articles(
    frozen_now, writer_user, name, source
):
    article = article_in(source, created_by=writer_user)

    with pytest.raises(workflow.WorkflowError, match="You cannot"):
        workflow.transition(article=article, name=name, by=writer_user, reason=reason_for(name))

    assert reloaded(article).status == source
    assert activity(article) == []


@pytest.mark.parametrize(
    ("role", "source", "expected"),
    [
        ("writer_user", Status.DRAFT, ["submit"]),
        ("writer_user", Status.RETURNED, ["submit", "reopen"]),
        ("writer_user", Status.IN_REVIEW, []),
        ("writer_user", Status.PUBLISHED, []),
        ("moderator_user", Status.DRAFT, []),
        ("moderator_user", Status.IN_REVIEW, ["approve", "return"]),
        ("moderator_user", Status.PUBLISHED, ["unpublish"]),
        ("editor_user", Status.DRAFT, ["submit", "publish", "archive"]),
        ("editor_user", Status.IN_REVIEW, ["approve", "return", "archive"]),
        ("editor_user", Status.PUBLISHED, ["unpublish", "archive"]),
        ("editor_user", Status.ARCHIVED, ["reopen"]),
    ],
)
def test_allowed_transitions_per_role_on_the_writers_article(
    request, writer_user, role, source, expected
):
    user = request.getfixturevalue(role)
    article = article_in(source, created_by=writer_user)

    allowed = workflow.allowed_transitions(article=article, user=user)

    assert [t.name for t in allowed] == expected


# --- stale versions -----------------------------------------------------------------------


def test_transition_with_a_stale_version_raises_edit_conflict_and_changes_nothing(frozen_now):
    article = article_in(Status.IN_REVIEW)
    loaded = reloaded(article).version
    other = reloaded(article)
    other.title = "Someone else's headline"
    other.save()

    with pytest.raises(workflow.EditConflict) as raised:
        workflow.transition(
            article=article, name="approve", by=superuser(), expected_version=loaded
        )

    assert raised.value.current_version == loaded + 1
    after = reloaded(article)
    assert after.status == Status.IN_REVIEW
    assert after.version == loaded + 1
    assert activity(article) == []


def test_transition_with_the_current_version_succeeds(frozen_now):
    article = article_in(Status.IN_REVIEW)

    workflow.transition(
        article=article, name="approve", by=superuser(), expected_version=article.version
    )

    assert reloaded(article).status == Status.PUBLISHED


def test_edit_conflict_is_a_workflow_error_with_a_readable_message():
    article = ArticleFactory.build(title="Caspian shipping")

    error = workflow.EditConflict(article, 7)

    assert isinstance(error, workflow.WorkflowError)
    assert "Caspian shipping" in str(error)
    assert "version 7" in str(error)


# --- save_article -------------------------------------------------------------------------


def test_save_article_creates_with_created_by_and_logs_create(frozen_now, writer_user):
    article = ArticleFactory.build(
        status=Status.DRAFT, publish_at=None, primary_topic=TopicFactory()
    )

    workflow.save_article(article=article, by=writer_user, expected_version=None)

    saved = reloaded(article)
    assert saved.created_by == writer_user
    assert saved.version == 1
    [entry] = activity(article)
    assert (entry.action, entry.actor, entry.from_status, entry.to_status) == (
        "create",
        writer_user,
        "",
        Status.DRAFT,
    )


def test_save_article_bumps_the_version_and_logs_edit(frozen_now, writer_user):
    author = UserFactory()
    article = article_in(Status.DRAFT, created_by=author)
    loaded = reloaded(article)
    loaded.title = "A better headline"

    workflow.save_article(article=loaded, by=writer_user, expected_version=loaded.version)

    saved = reloaded(article)
    assert saved.title == "A better headline"
    assert saved.version == article.version + 1
    assert saved.created_by == author  # an edit does not change who started it
    [entry] = activity(article)
    assert (entry.action, entry.actor) == ("edit", writer_user)


def test_save_article_refuses_a_stale_version_and_saves_nothing(frozen_now, writer_user):
    article = article_in(Status.DRAFT)
    mine = reloaded(article)
    theirs = reloaded(article)
    theirs.title = "Their headline"
    workflow.save_article(article=theirs, by=superuser(), expected_version=theirs.version)
    entries_before = len(activity(article))

    mine.title = "My headline"
    with pytest.raises(workflow.EditConflict):
        workflow.save_article(article=mine, by=writer_user, expected_version=article.version)

    saved = reloaded(article)
    assert saved.title == "Their headline"
    assert saved.version == article.version + 1
    assert len(activity(article)) == entries_before


def test_save_article_twice_in_a_row_from_the_same_load_is_a_conflict(frozen_now):
    """The second save carries the version the editor loaded, which the first save moved on."""
    article = article_in(Status.DRAFT)
    loaded_version = reloaded(article).version
    first = reloaded(article)
    workflow.save_article(article=first, by=superuser(), expected_version=loaded_version)

    second = reloaded(article)
    second.title = "Late edit"
    with pytest.raises(workflow.EditConflict):
        workflow.save_article(article=second, by=superuser(), expected_version=loaded_version)


# --- trash, restore, purge ----------------------------------------------------------------


def test_move_to_trash_hides_the_article_from_the_public_and_from_staff(frozen_now, staff_viewer):
    article = article_in(Status.PUBLISHED)
    editor = superuser()

    workflow.move_to_trash(article=article, by=editor)

    trashed = reloaded(article)
    assert trashed.deleted_at == frozen_now
    assert trashed.status == Status.PUBLISHED  # the state is kept for a restore
    assert not Article.objects.live().exists()
    assert not Article.objects.visible_to(staff_viewer).exists()
    assert list(Article.objects.trashed()) == [trashed]
    [entry] = activity(article)
    assert (entry.action, entry.actor) == ("trash", editor)


def test_restore_from_trash_brings_the_article_back(frozen_now, staff_viewer):
    article = article_in(Status.PUBLISHED)
    editor = superuser()
    workflow.move_to_trash(article=article, by=editor)

    workflow.restore_from_trash(article=reloaded(article), by=editor)

    assert reloaded(article).deleted_at is None
    assert list(Article.objects.live()) == [article]
    assert list(Article.objects.visible_to(staff_viewer)) == [article]
    assert [e.action for e in activity(article)] == ["trash", "restore"]


@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_trashed_article_refuses_every_transition(frozen_now, name):
    # A source state every transition accepts, where there is one.
    source = next(iter(sorted(workflow.TRANSITIONS[name].sources)))
    article = article_in(source)
    workflow.move_to_trash(article=article, by=superuser())

    with pytest.raises(workflow.WorkflowError):
        workflow.transition(
            article=reloaded(article), name=name, by=superuser(), reason=reason_for(name)
        )

    assert reloaded(article).status == source
    assert [e.action for e in activity(article)] == ["trash"]


def test_purge_refuses_an_article_that_is_not_in_the_trash(frozen_now):
    article = article_in(Status.DRAFT)

    with pytest.raises(workflow.WorkflowError, match="trash before"):
        workflow.purge(article=article, by=superuser())

    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("role", ["writer_user", "moderator_user"])
def test_purge_refuses_a_user_without_the_purge_permission(request, frozen_now, role):
    article = article_in(Status.DRAFT)
    workflow.move_to_trash(article=article, by=superuser())

    with pytest.raises(workflow.WorkflowError, match="Only editors"):
        workflow.purge(article=reloaded(article), by=request.getfixturevalue(role))

    assert Article.objects.filter(pk=article.pk).exists()


def test_purge_deletes_a_trashed_article_for_good(frozen_now, editor_user):
    article = article_in(Status.PUBLISHED)
    workflow.move_to_trash(article=article, by=editor_user)

    workflow.purge(article=reloaded(article), by=editor_user)

    assert not Article.objects.filter(pk=article.pk).exists()
    assert not ArticleActivity.objects.filter(article_id=article.pk).exists()


def test_purge_refusal_is_the_workflows_permission_error(frozen_now, writer_user):
    article = article_in(Status.DRAFT, created_by=writer_user)
    workflow.move_to_trash(article=article, by=superuser())

    with pytest.raises(workflow.NotAllowed):
        workflow.purge(article=reloaded(article), by=writer_user)


# --- who may trash, restore, purge: the services enforce it, whoever calls them -------------

TRASH_RULES = [
    # role, whose article, status, may move it to the trash
    ("writer_user", "own", Status.DRAFT, True),
    ("writer_user", "own", Status.RETURNED, True),
    ("writer_user", "own", Status.IN_REVIEW, False),
    ("writer_user", "other", Status.DRAFT, False),
    ("moderator_user", "other", Status.IN_REVIEW, False),
    ("editor_user", "other", Status.PUBLISHED, True),
]


@pytest.mark.parametrize(("role", "whose", "status", "allowed"), TRASH_RULES)
def test_move_to_trash_is_refused_to_whoever_may_not(
    request, frozen_now, writer_user, role, whose, status, allowed
):
    user = request.getfixturevalue(role)
    owner = writer_user if whose == "own" else UserFactory(is_staff=True)
    article = article_in(status, created_by=owner)

    assert workflow.may_move_to_trash(article=article, user=user) is allowed
    if allowed:
        workflow.move_to_trash(article=article, by=user)
        assert reloaded(article).deleted_at == frozen_now
    else:
        with pytest.raises(workflow.NotAllowed):
            workflow.move_to_trash(article=article, by=user)
        assert reloaded(article).deleted_at is None
        assert activity(article) == []


def test_move_to_trash_refuses_what_is_already_there(frozen_now, editor_user):
    article = article_in(Status.DRAFT)
    workflow.move_to_trash(article=article, by=editor_user)

    assert not workflow.may_move_to_trash(article=reloaded(article), user=editor_user)
    with pytest.raises(workflow.WorkflowError, match="already in the trash"):
        workflow.move_to_trash(article=reloaded(article), by=editor_user)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("writer_user", False), ("moderator_user", False), ("editor_user", True)],
)
def test_restore_from_trash_is_refused_to_whoever_may_not(request, frozen_now, role, allowed):
    user = request.getfixturevalue(role)
    article = article_in(Status.DRAFT, created_by=user)
    workflow.move_to_trash(article=article, by=superuser())
    trashed = reloaded(article)

    assert workflow.may_restore_from_trash(article=trashed, user=user) is allowed
    if allowed:
        workflow.restore_from_trash(article=trashed, by=user)
        assert reloaded(article).deleted_at is None
    else:
        with pytest.raises(workflow.NotAllowed, match="Only editors"):
            workflow.restore_from_trash(article=trashed, by=user)
        assert reloaded(article).deleted_at == frozen_now
        assert [e.action for e in activity(article)] == ["trash"]


def test_restore_from_trash_refuses_an_article_that_is_not_in_the_trash(frozen_now, editor_user):
    article = article_in(Status.DRAFT)

    assert not workflow.may_restore_from_trash(article=article, user=editor_user)
    with pytest.raises(workflow.WorkflowError, match="not in the trash"):
        workflow.restore_from_trash(article=article, by=editor_user)

    assert activity(article) == []


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("writer_user", False), ("moderator_user", False), ("editor_user", True)],
)
def test_may_purge_only_editors_and_only_from_the_trash(request, frozen_now, role, allowed):
    user = request.getfixturevalue(role)
    article = article_in(Status.DRAFT, created_by=user)

    assert not workflow.may_purge(article=article, user=user)
    workflow.move_to_trash(article=article, by=superuser())
    assert workflow.may_purge(article=reloaded(article), user=user) is allowed


# --- the one version check ----------------------------------------------------------------


def test_check_version_returns_the_saved_version(frozen_now):
    article = article_in(Status.DRAFT)
    saved = reloaded(article).version

    assert workflow.check_version(article=article, expected_version=saved) == saved
    assert workflow.check_version(article=article, expected_version=None) == saved


def test_check_version_refuses_a_stale_version(frozen_now):
    article = article_in(Status.DRAFT)
    loaded = reloaded(article).version
    reloaded(article).save()

    with pytest.raises(workflow.EditConflict) as raised:
        workflow.check_version(article=article, expected_version=loaded)

    assert raised.value.current_version == loaded + 1


@pytest.mark.parametrize("service", ["save_article", "transition"])
def test_saving_and_stepping_through_the_workflow_use_the_one_version_check(
    monkeypatch, frozen_now, service
):
    article = article_in(Status.IN_REVIEW, authors=[AuthorFactory()])
    seen: list[int | None] = []
    real_check = workflow.check_version

    def spy(*, article: Article, expected_version: int | None) -> int:
        seen.append(expected_version)
        return real_check(article=article, expected_version=expected_version)

    monkeypatch.setattr(workflow, "check_version", spy)
    loaded = reloaded(article)
    version = loaded.version
    if service == "save_article":
        workflow.save_article(article=loaded, by=superuser(), expected_version=version)
    else:
        workflow.transition(
            article=loaded, name="approve", by=superuser(), expected_version=version
        )

    assert seen == [version]
