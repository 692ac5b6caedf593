"""Shared preview links: signed, expiring, revocable links that show one unpublished article to
someone without a login, created and withdrawn from the article's admin page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import constants
from django.core import signing
from django.urls import reverse

from articles import preview, workflow
from articles.models import Article, ArticleActivity, PreviewLink, Status
from tests.articles.test_permissions import change_url, logged_in, messages_of, writers_article
from tests.factories import (
    WRITERS,
    ArticleFactory,
    RelatedLinkFactory,
    TopicFactory,
    UserFactory,
    article_in,
    role_user,
)
from tests.html import parse

pytestmark = pytest.mark.django_db


# --- helpers ------------------------------------------------------------------------------


def share_url(article: Article) -> str:
    return reverse("admin:articles_article_share_preview", args=[article.pk])


def revoke_url(link: PreviewLink) -> str:
    return reverse("admin:articles_article_revoke_preview", args=[link.article_id, link.pk])


def shared_url_in(response) -> str:
    """The preview URL the success message hands to the editor."""
    message = messages_of(response, constants.SUCCESS)[-1]
    found = re.search(r'href="(http://testserver/preview/[^"]+)"', message)
    assert found, message
    return found.group(1)


def path_of(url: str) -> str:
    return url.removeprefix("http://testserver")


def token_of(url: str) -> str:
    return path_of(url).removeprefix("/preview/").rstrip("/")


def preview_path(token: str) -> str:
    return reverse("articles:preview", kwargs={"token": token})


def tampered(token: str) -> str:
    """The token with the first character of its signature changed."""
    head, signature = token.rsplit(":", 1)
    first = "A" if signature[0] != "A" else "B"
    return f"{head}:{first}{signature[1:]}"


@pytest.fixture
def draft(writer_user) -> Article:
    return writers_article(
        writer_user,
        Status.DRAFT,
        title="Unreleased analysis",
        slug="unreleased-analysis",
        body="Draft text for the reviewer.",
    )


@pytest.fixture
def shared(client, frozen_now, draft, editor_user) -> str:
    """The draft shared for 7 days by an editor; the URL from the success message."""
    response = logged_in(editor_user).post(share_url(draft), {"days": "7"})
    assert response.status_code == 302
    return shared_url_in(response)


def assert_unavailable(response, status: int, words: str) -> None:
    assert response.status_code == status
    content = response.content.decode()
    assert words in content
    assert "Unreleased analysis" not in content
    assert "Draft text for the reviewer." not in content
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]


# --- sharing ------------------------------------------------------------------------------


def test_editor_shares_a_draft_and_the_message_gives_the_link(frozen_now, draft, editor_user):
    response = logged_in(editor_user).post(share_url(draft), {"days": "7"})

    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    link = PreviewLink.objects.get()
    assert (link.article, link.created_by) == (draft, editor_user)
    assert (link.created_at, link.expires_at) == (frozen_now, frozen_now + timedelta(days=7))
    assert link.revoked_at is None
    url = shared_url_in(response)
    assert url == "http://testserver" + link.get_absolute_url()
    assert preview.link_for_token(token_of(url)) == link
    assert "until 08 Jun 2026, 12:00" in messages_of(response, constants.SUCCESS)[0]
    entry = ArticleActivity.objects.get(article=draft)
    assert (entry.action, entry.actor) == ("share preview", editor_user)


def test_the_shared_link_shows_the_draft_to_anyone_marked_as_a_preview(client, shared, draft):
    response = client.get(path_of(shared))

    assert response.status_code == 200
    content = response.content.decode()
    page = parse(response)
    assert page.one("h1").text == "Unreleased analysis"
    assert "Draft text for the reviewer." in content
    assert page.one("p", class_="preview-banner").text.startswith("Preview")
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in content


def test_the_draft_itself_stays_hidden_from_the_public(client, shared, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_change_page_lists_the_active_link_with_a_revoke_button(
    client, shared, draft, editor_user
):
    client.force_login(editor_user)

    content = client.get(change_url(draft)).content.decode()

    assert shared in content
    assert revoke_url(PreviewLink.objects.get()) in content


@pytest.mark.parametrize("days", ["1", "30"])
def test_a_link_may_last_from_one_to_thirty_days(frozen_now, draft, editor_user, days):
    response = logged_in(editor_user).post(share_url(draft), {"days": days})

    assert response.status_code == 302
    link = PreviewLink.objects.get()
    assert link.expires_at == frozen_now + timedelta(days=int(days))


@pytest.mark.parametrize("days", ["0", "31", "abc", "", "-3", "7.5", "1e1"])
def test_an_impossible_duration_is_refused_with_a_message(frozen_now, draft, editor_user, days):
    response = logged_in(editor_user).post(share_url(draft), {"days": days})

    assert response.status_code == 302
    assert messages_of(response, constants.ERROR) == [
        "Choose how long the link works: 1 to 30 days."
    ]
    assert messages_of(response, constants.SUCCESS) == []
    assert not PreviewLink.objects.exists()
    assert not ArticleActivity.objects.filter(article=draft, action="share preview").exists()


def test_writer_shares_their_own_draft(frozen_now, draft, writer_user):
    response = logged_in(writer_user).post(share_url(draft), {"days": "7"})

    assert response.status_code == 302
    assert PreviewLink.objects.get().created_by == writer_user


@pytest.mark.parametrize(
    ("whose", "status"), [("someone else's", Status.DRAFT), ("own", Status.IN_REVIEW)]
)
def test_writer_cannot_share_an_article_they_cannot_edit(frozen_now, writer_user, whose, status):
    owner = writer_user if whose == "own" else UserFactory(is_staff=True)
    article = writers_article(owner, status)

    response = logged_in(writer_user).post(share_url(article), {"days": "7"})

    assert response.status_code == 403
    assert not PreviewLink.objects.exists()


def test_moderator_shares_an_article_in_review(frozen_now, writer_user, moderator_user):
    article = writers_article(writer_user, Status.IN_REVIEW)

    response = logged_in(moderator_user).post(share_url(article), {"days": "3"})

    assert response.status_code == 302
    assert PreviewLink.objects.get().created_by == moderator_user


def test_staff_without_article_permissions_cannot_share(frozen_now, draft):
    response = logged_in(UserFactory(is_staff=True)).post(share_url(draft), {"days": "7"})

    assert response.status_code == 403
    assert not PreviewLink.objects.exists()


@pytest.mark.parametrize("days", ["7", "0", "a week"])
def test_who_may_not_share_is_refused_whatever_length_they_ask_for(frozen_now, draft, days):
    response = logged_in(UserFactory(is_staff=True)).post(share_url(draft), {"days": days})

    assert response.status_code == 403
    assert not PreviewLink.objects.exists()


def test_anonymous_share_goes_to_the_login_page(client, draft):
    response = client.post(share_url(draft), {"days": "7"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not PreviewLink.objects.exists()


def test_sharing_an_article_in_the_trash_is_not_found(frozen_now, draft, editor_user):
    workflow.move_to_trash(article=draft, by=editor_user)

    response = logged_in(editor_user).post(share_url(draft), {"days": "7"})

    assert response.status_code == 404
    assert not PreviewLink.objects.exists()


def test_share_by_get_is_not_allowed(draft, editor_user):
    response = logged_in(editor_user).get(share_url(draft))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not PreviewLink.objects.exists()


# --- links that no longer work ------------------------------------------------------------


def test_a_link_with_an_altered_signature_is_not_valid(client, shared):
    response = client.get(preview_path(tampered(token_of(shared))))

    assert_unavailable(response, 400, "This preview link is not valid.")


def test_a_link_naming_another_preview_without_the_key_is_not_valid(
    client, frozen_now, shared, draft, editor_user
):
    other = preview.share_preview(article=ArticleFactory(status=Status.DRAFT), by=editor_user)
    head, signature = token_of(shared).split(":", 1)
    forged_payload = signing.b64_encode(f'{{"link":{other.pk}}}'.encode()).decode()

    response = client.get(preview_path(f"{forged_payload}:{signature}"))

    assert head != forged_payload
    assert_unavailable(response, 400, "This preview link is not valid.")


@pytest.mark.parametrize(
    "make_token",
    [
        lambda link: "garbage",
        lambda link: "a:b:c",
        lambda link: "x" * 500,
        # Signed by this site, but for something else.
        lambda link: signing.dumps({"link": link.pk}),
        lambda link: signing.dumps({"link": link.pk}, salt="another.salt"),
        # Signed with the preview salt, but not naming a link.
        lambda link: signing.dumps([link.pk], salt=preview.SALT),
        lambda link: signing.dumps({"link": str(link.pk)}, salt=preview.SALT),
        lambda link: signing.dumps({}, salt=preview.SALT),
    ],
    ids=[
        "garbage",
        "colons",
        "long",
        "no-salt",
        "other-salt",
        "list",
        "string-id",
        "empty",
    ],
)
def test_a_malformed_token_is_not_valid(client, shared, make_token):
    link = PreviewLink.objects.get()

    response = client.get(preview_path(make_token(link)))

    assert_unavailable(response, 400, "This preview link is not valid.")


def test_a_link_works_until_it_expires_then_says_so(client, shared):
    link = PreviewLink.objects.get()

    with time_machine.travel(link.expires_at - timedelta(seconds=1), tick=False):
        assert client.get(path_of(shared)).status_code == 200
    for moment in [link.expires_at, link.expires_at + timedelta(days=1)]:
        with time_machine.travel(moment, tick=False):
            response = client.get(path_of(shared))
        assert_unavailable(response, 410, "This preview link has expired.")
        assert "Preview unavailable" in response.content.decode()


def test_revoking_a_link_withdraws_it_at_once(client, shared, draft, editor_user):
    link = PreviewLink.objects.get()
    editor = logged_in(editor_user)

    response = editor.post(revoke_url(link))

    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    assert messages_of(response, constants.SUCCESS) == ["The preview link no longer works."]
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert_unavailable(client.get(path_of(shared)), 410, "This preview link has been withdrawn.")
    assert shared not in editor.get(change_url(draft)).content.decode()
    entry = ArticleActivity.objects.filter(article=draft).first()
    assert (entry.action, entry.actor) == ("revoke preview", editor_user)


def test_revoking_one_link_leaves_the_others_working(client, frozen_now, draft, editor_user):
    editor = logged_in(editor_user)
    first = shared_url_in(editor.post(share_url(draft), {"days": "7"}))
    with time_machine.travel(frozen_now + timedelta(seconds=1), tick=False):
        second = shared_url_in(editor.post(share_url(draft), {"days": "7"}))
    first_link = preview.link_for_token(token_of(first))

    editor.post(revoke_url(first_link))

    assert client.get(path_of(first)).status_code == 410
    assert client.get(path_of(second)).status_code == 200


def test_a_link_whose_row_was_deleted_is_withdrawn(client, shared):
    PreviewLink.objects.all().delete()

    assert_unavailable(client.get(path_of(shared)), 410, "This preview link has been withdrawn.")


def test_a_link_to_an_article_in_the_trash_no_longer_works(client, shared, draft, editor_user):
    workflow.move_to_trash(article=draft, by=editor_user)

    response = client.get(path_of(shared))

    assert_unavailable(response, 410, "no longer available")


def test_moderator_may_revoke_a_link(client, shared, moderator_user):
    link = PreviewLink.objects.get()

    response = logged_in(moderator_user).post(revoke_url(link))

    assert response.status_code == 302
    assert client.get(path_of(shared)).status_code == 410


def test_writer_cannot_revoke_a_link_on_someone_elses_article(client, frozen_now, editor_user):
    other = UserFactory(is_staff=True)
    article = writers_article(other, Status.DRAFT)
    link = preview.share_preview(article=article, by=editor_user)

    response = logged_in(role_user(WRITERS)).post(revoke_url(link))

    assert response.status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None
    assert client.get(link.get_absolute_url()).status_code == 200


def test_revoke_through_another_articles_address_is_not_found(shared, editor_user):
    link = PreviewLink.objects.get()
    other = ArticleFactory()

    response = logged_in(editor_user).post(
        reverse("admin:articles_article_revoke_preview", args=[other.pk, link.pk])
    )

    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_revoke_by_get_is_not_allowed(client, shared, editor_user):
    link = PreviewLink.objects.get()

    response = logged_in(editor_user).get(revoke_url(link))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    link.refresh_from_db()
    assert link.revoked_at is None
    assert client.get(path_of(shared)).status_code == 200


# --- nothing else leaks through the shared page --------------------------------------------


def test_the_shared_page_does_not_reveal_other_drafts(client, frozen_now, writer_user, editor_user):
    topic = TopicFactory()
    secret = article_in(
        Status.DRAFT,
        title="Secret other draft",
        slug="secret-other-draft",
        primary_topic=topic,
        tags=["shared-tag"],
    )
    live = ArticleFactory(title="Published neighbour", slug="published-neighbour")
    previewed = writers_article(
        writer_user,
        Status.DRAFT,
        primary_topic=topic,
        tags=["shared-tag"],
        body=(
            "See [the other draft](article:secret-other-draft) "
            "and [the neighbour](article:published-neighbour)."
        ),
    )
    RelatedLinkFactory(from_article=previewed, to_article=secret, lead_in="Also")
    RelatedLinkFactory(from_article=previewed, to_article=live, lead_in="Next")
    link = preview.share_preview(article=previewed, by=editor_user)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    body = parse(response).one("div", class_="article__body")
    assert "the other draft" in body.text  # shown as plain text
    assert ("/articles/secret-other-draft/", "the other draft") not in body.links()
    assert "Secret other draft" not in content
    assert secret.get_absolute_url() not in content
    # The control: a live article linked the same ways is a link.
    assert (live.get_absolute_url(), "the neighbour") in body.links()
    assert "Published neighbour" in content


# --- the services themselves refuse whoever may not share or revoke ------------------------


@pytest.mark.parametrize(
    ("role", "whose", "status"),
    [
        ("writer", "someone else's", Status.DRAFT),
        ("writer", "own", Status.IN_REVIEW),
        ("staff without article permissions", "someone else's", Status.DRAFT),
    ],
)
def test_share_preview_refuses_whoever_may_not_share(frozen_now, writer_user, role, whose, status):
    user = writer_user if role == "writer" else UserFactory(is_staff=True)
    owner = writer_user if whose == "own" else UserFactory(is_staff=True)
    article = writers_article(owner, status)

    assert not workflow.may_share_preview(article=article, user=user)
    with pytest.raises(workflow.NotAllowed):
        preview.share_preview(article=article, by=user)

    assert not PreviewLink.objects.exists()


@pytest.mark.parametrize("role", ["writer_user", "moderator_user", "editor_user"])
def test_share_preview_lets_the_writer_of_a_draft_and_reviewers_share(
    request, frozen_now, draft, role
):
    user = request.getfixturevalue(role)

    assert workflow.may_share_preview(article=draft, user=user)
    link = preview.share_preview(article=draft, by=user, days=2)

    assert (link.created_by, link.expires_at) == (user, frozen_now + timedelta(days=2))


def test_revoke_preview_refuses_whoever_may_not_share(client, frozen_now, editor_user):
    article = writers_article(UserFactory(is_staff=True), Status.DRAFT)
    link = preview.share_preview(article=article, by=editor_user)

    with pytest.raises(workflow.NotAllowed):
        preview.revoke_preview(link=link, by=role_user(WRITERS))

    link.refresh_from_db()
    assert link.revoked_at is None
    assert client.get(link.get_absolute_url()).status_code == 200


def test_revoke_preview_withdraws_the_link_for_a_reviewer(
    client, frozen_now, draft, editor_user, moderator_user
):
    link = preview.share_preview(article=draft, by=editor_user)

    preview.revoke_preview(link=link, by=moderator_user)

    link.refresh_from_db()
    assert link.revoked_at == frozen_now
    assert client.get(link.get_absolute_url()).status_code == 410
