"""The editorial workflow: who may move an article from which state to which.

Every change of state goes through ``transition()``: it checks the rule (permission, ownership,
source state), refuses a stale version, saves, and writes the activity log, all in one
transaction. The admin's buttons and bulk actions call it; so can anything else.

    draft ──submit──▶ in review ──approve──▶ published (live now, or scheduled by publish_at)
      ▲                   │                      │
      └──reopen── returned ◀──return (reason)    └──unpublish──▶ unpublished ──reopen──▶ draft
    any state ──archive──▶ archived ──reopen──▶ draft
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from core import storage

from . import notifications, revisions
from .models import Article, ArticleActivity, Status


class WorkflowError(Exception):
    """A transition that is not allowed; the message is meant for the person who tried."""


class NotAllowed(WorkflowError):
    """The person's role does not allow the action (the ``may_*`` predicates below say no)."""


class EditConflict(WorkflowError):
    """Someone else saved the article after this person loaded it."""

    def __init__(self, article: Article, current_version: int):
        self.current_version = current_version
        super().__init__(
            f"“{article.title}” was changed by someone else after you opened it (it is now at "
            f"version {current_version}). Reload it to see their changes, then apply yours."
        )


class MissingByline(WorkflowError):
    """Publishing or scheduling an article whose byline names nobody: its feed item and its
    structured data would have no author."""

    def __init__(self, article: Article):
        super().__init__(
            f"Add at least one author to the byline of “{article.title}” before publishing "
            "or scheduling it."
        )


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    # Any of these permissions allows the transition on any article.
    permissions: tuple[str, ...]
    # This permission allows it on the person's own articles only.
    own_permission: str | None = None
    needs_reason: bool = False
    # Shown in the admin as a button of this style: "default" or "danger".
    style: str = "default"


S = Status
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit",
            "Submit for review",
            frozenset({S.DRAFT, S.RETURNED}),
            S.IN_REVIEW,
            permissions=("articles.publish_article",),
            own_permission="articles.submit_article",
        ),
        Transition(
            "approve",
            "Approve and publish",
            frozenset({S.IN_REVIEW}),
            S.PUBLISHED,
            permissions=("articles.review_article", "articles.publish_article"),
        ),
        Transition(
            "publish",
            "Publish",
            frozenset({S.DRAFT, S.RETURNED, S.UNPUBLISHED}),
            S.PUBLISHED,
            permissions=("articles.publish_article",),
        ),
        Transition(
            "return",
            "Return to writer",
            frozenset({S.IN_REVIEW}),
            S.RETURNED,
            permissions=("articles.review_article", "articles.publish_article"),
            needs_reason=True,
        ),
        Transition(
            "unpublish",
            "Unpublish",
            frozenset({S.PUBLISHED}),
            S.UNPUBLISHED,
            permissions=("articles.review_article", "articles.publish_article"),
            style="danger",
        ),
        Transition(
            "archive",
            "Archive",
            frozenset({S.DRAFT, S.IN_REVIEW, S.RETURNED, S.PUBLISHED, S.UNPUBLISHED}),
            S.ARCHIVED,
            permissions=("articles.publish_article",),
            style="danger",
        ),
        Transition(
            "reopen",
            "Reopen as draft",
            frozenset({S.RETURNED, S.UNPUBLISHED, S.ARCHIVED}),
            S.DRAFT,
            permissions=("articles.publish_article",),
            own_permission="articles.submit_article",
        ),
    ]
}


def is_owner(*, article: Article, user: AbstractBaseUser) -> bool:
    if not user.is_authenticated or article.pk is None:
        return False
    return Article.objects.filter(pk=article.pk).owned_by(user).exists()


def may_transition(*, article: Article, user: AbstractBaseUser, transition: Transition) -> bool:
    """Whether `user` may apply `transition` to `article` in its current state."""
    if article.deleted_at is not None or article.status not in transition.sources:
        return False
    return _role_refusal(article=article, user=user, transition=transition) is None


def _role_refusal(
    *, article: Article, user: AbstractBaseUser, transition: Transition
) -> str | None:
    """Why `user`'s role does not allow `transition` on `article` whatever its state, for the
    person who tried; None when it does."""
    if any(user.has_perm(perm) for perm in transition.permissions):
        return None
    label = transition.label.lower()
    if transition.own_permission and user.has_perm(transition.own_permission):
        if is_owner(article=article, user=user):
            return None
        return (
            f"You cannot {label} “{article.title}”: your role allows it only on your own articles."
        )
    return f"You cannot {label} “{article.title}”: your role does not allow it."


def allowed_transitions(*, article: Article, user: AbstractBaseUser) -> list[Transition]:
    return [
        t for t in TRANSITIONS.values() if may_transition(article=article, user=user, transition=t)
    ]


def may_edit(*, article: Article, user: AbstractBaseUser) -> bool:
    """Editing the content (not the state): anyone who may edit any article, or the owner while
    the article is a draft or has been returned to them."""
    if not user.has_perm("articles.change_article"):
        return False
    if article.pk is None or user.has_perm("articles.edit_any_article"):
        return True
    return article.status in {S.DRAFT, S.RETURNED} and is_owner(article=article, user=user)


def may_move_to_trash(*, article: Article, user: AbstractBaseUser) -> bool:
    """Anyone who may edit any article, once they may delete articles at all; writers only
    their own drafts (draft or returned). Not what is already in the trash."""
    if not user.has_perm("articles.delete_article") or article.deleted_at is not None:
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return article.status in {S.DRAFT, S.RETURNED} and is_owner(article=article, user=user)


def may_restore_from_trash(*, article: Article, user: AbstractBaseUser) -> bool:
    return article.deleted_at is not None and user.has_perm("articles.edit_any_article")


def may_purge(*, article: Article, user: AbstractBaseUser) -> bool:
    return article.deleted_at is not None and user.has_perm("articles.purge_article")


def may_share_preview(*, article: Article, user: AbstractBaseUser) -> bool:
    """Sharing a preview link, or revoking one: whoever may edit the article, and reviewers
    (who read it before it goes live) on any article."""
    return (article.deleted_at is None and may_edit(article=article, user=user)) or user.has_perm(
        "articles.review_article"
    )


def check_version(*, article: Article, expected_version: int | None) -> int:
    """The one edit-conflict check: lock the article's row until the end of the transaction
    and return its saved version, raising EditConflict when that is not `expected_version`.

    None skips the comparison, for callers that load and save in one go; callers acting on a
    form the person loaded earlier (the admin) must pass the version it was loaded at."""
    current = (
        Article.objects.select_for_update()
        .filter(pk=article.pk)
        .values_list("version", flat=True)
        .get()
    )
    if expected_version is not None and current != expected_version:
        raise EditConflict(article, current)
    return current


def transition(
    *,
    article: Article,
    name: str,
    by: AbstractBaseUser,
    reason: str = "",
    expected_version: int | None = None,
    publish_at: datetime | None = None,
    site_url: str = "",
) -> Article:
    """Apply the transition `name` to `article` on behalf of `by`, or raise WorkflowError.

    The step's e-mail notice (articles/notifications.py) goes once it is committed, with links
    on `site_url` (the request's address; empty: the SITE_URL setting)."""
    chosen = TRANSITIONS.get(name)
    if chosen is None:
        raise WorkflowError(f"There is no workflow action called “{name}”.")
    reason = (reason or "").strip()
    if chosen.needs_reason and not reason:
        raise WorkflowError(f"“{chosen.label}” needs a reason for the writer.")
    with transaction.atomic():
        check_version(article=article, expected_version=expected_version)
        locked = Article.objects.get(pk=article.pk)  # its row is locked by check_version
        # The role first: a step the person may never take is refused for that reason, not
        # for the article's state (which another day would not make it possible).
        refusal = _role_refusal(article=locked, user=by, transition=chosen)
        if refusal is not None:
            raise NotAllowed(refusal)
        if not may_transition(article=locked, user=by, transition=chosen):
            raise WorkflowError(
                f"You cannot {chosen.label.lower()} “{locked.title}” while it is "
                f"{'in the trash' if locked.deleted_at else locked.get_status_display().lower()}."
            )
        # The saved byline is checked: the admin saves the form (byline included) and steps
        # through the workflow in separate requests. No check is needed when a scheduled
        # article goes live by the clock (live_q): it was checked here when it was scheduled,
        # and since then the form has refused to empty its byline (BylineInline's min_num)
        # and an author on a byline cannot be deleted (PROTECT).
        if chosen.target == S.PUBLISHED and not locked.bylines.exists():
            raise MissingByline(locked)
        from_status = locked.status
        locked.status = chosen.target
        if publish_at is not None:
            locked.publish_at = publish_at
        if chosen.target == S.PUBLISHED and locked.publish_at is None:
            locked.publish_at = timezone.now()
        locked.save()
        record(article=locked, by=by, action=name, from_status=from_status, reason=reason)
        revisions.record_revision(article=locked, by=by, comment=chosen.label)
        notifications.notify(article=locked, action=name, by=by, reason=reason, site_url=site_url)
    return locked


def record(
    *,
    article: Article,
    by: AbstractBaseUser | None,
    action: str,
    from_status: str = "",
    reason: str = "",
) -> ArticleActivity:
    return ArticleActivity.objects.create(
        article=article,
        actor=by if by is not None and by.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=article.status,
        reason=reason,
    )


def save_article(*, article: Article, by: AbstractBaseUser, expected_version: int | None) -> None:
    """Save an edit, refusing it if someone else saved since `expected_version` was loaded."""
    with transaction.atomic():
        if article.pk is not None:
            article.version = check_version(article=article, expected_version=expected_version)
        else:
            article.created_by = by if by.is_authenticated else None
        adding = article.pk is None
        article.save()
        record(article=article, by=by, action="create" if adding else "edit")


def move_to_trash(*, article: Article, by: AbstractBaseUser) -> None:
    if article.deleted_at is not None:
        raise WorkflowError(f"“{article.title}” is already in the trash.")
    if not may_move_to_trash(article=article, user=by):
        raise NotAllowed(f"You cannot move “{article.title}” to the trash.")
    with transaction.atomic():
        article.deleted_at = timezone.now()
        article.save(update_fields=["deleted_at"])
        record(article=article, by=by, action="trash")


def restore_from_trash(*, article: Article, by: AbstractBaseUser) -> None:
    if article.deleted_at is None:
        raise WorkflowError(f"“{article.title}” is not in the trash.")
    if not may_restore_from_trash(article=article, user=by):
        raise NotAllowed("Only editors can restore articles from the trash.")
    with transaction.atomic():
        article.deleted_at = None
        article.save(update_fields=["deleted_at"])
        record(article=article, by=by, action="restore")


def purge(*, article: Article, by: AbstractBaseUser) -> None:
    """Delete for good. Only from the trash, and only with the purge permission."""
    if article.deleted_at is None:
        raise WorkflowError("Move the article to the trash before deleting it for good.")
    if not may_purge(article=article, user=by):
        raise NotAllowed("Only editors can delete articles for good.")
    # Its image and renditions go with it, and the images of its earlier revisions (which can
    # no longer be restored); removed from the media store only once the delete has committed.
    names = revisions.stored_images(article)
    with transaction.atomic():
        article.delete()
        transaction.on_commit(lambda: storage.delete_quietly(names))
