"""E-mails the workflow sends: to reviewers when an article is submitted, to its writers when
it is returned (with the reason) or approved. workflow.transition() calls notify() inside its
transaction, so the messages go once the step is committed, and not at all if it is not.

Who is told:
- submitted: every active staff login with an address that may approve or return it (the
  review or publish permission, through a role or directly, and superusers);
- returned, approved: the article's writers (whoever started it, and the logins of the authors
  on its byline).
Never the person who took the step: they know.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.urls import reverse

from core import mail

from .models import Article

NOTICES = {
    "submit": "article_submitted",
    "return": "article_returned",
    "approve": "article_approved",
}
REVIEW_PERMISSIONS = ("articles.review_article", "articles.publish_article")


def reviewers() -> QuerySet:
    User = get_user_model()
    # with_perm() needs the backend named: the login lockout's comes first in the settings.
    backend = "django.contrib.auth.backends.ModelBackend"
    may_review = Q()
    for perm in REVIEW_PERMISSIONS:
        may_review |= Q(pk__in=User._default_manager.with_perm(perm, backend=backend).values("pk"))
    return User._default_manager.filter(may_review, is_active=True, is_staff=True)


def writers(article: Article) -> QuerySet:
    User = get_user_model()
    return User._default_manager.filter(
        Q(pk=article.created_by_id) | Q(author_profile__bylines__article=article),
        is_active=True,
    ).distinct()


def notify(
    *, article: Article, action: str, by: AbstractBaseUser, reason: str, site_url: str
) -> None:
    """Send the notice of `action` on `article`, if that step has one, after commit."""
    name = NOTICES.get(action)
    if name is None:
        return
    recipients = reviewers() if action == "submit" else writers(article)
    recipients = recipients.exclude(pk=by.pk).exclude(email="").order_by("pk")
    base = site_url or mail.site_url()
    context = {
        "article": article,
        "by": by,
        "reason": reason,
        "edit_url": mail.absolute(
            reverse("admin:articles_article_change", args=[article.pk]), base=base
        ),
        "page_url": mail.absolute(article.get_absolute_url(), base=base),
        "scheduled": article.is_scheduled,
    }
    mail.send_after_commit(
        [mail.compose(name, {**context, "recipient": user}, to=user.email) for user in recipients]
    )
