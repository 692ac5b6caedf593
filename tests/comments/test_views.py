"""Reader-facing comments and reports, through HTTP as a browser sends them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.guards import FormTiming
from comments.models import Comment, CommentStatus, Report
from core.models import SiteSettings
from tests.conftest import FROZEN_NOW
from tests.factories import ArticleFactory, CommentFactory, article_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    """Comments on articles published a week before FROZEN_NOW are open (they close after 30
    days); time only moves when a test moves it."""
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def article():
    return ArticleFactory(slug="on-sanctions", publish_at=FROZEN_NOW - timedelta(days=7))


def form_data(**overrides) -> dict:
    """A valid comment, its form opened a minute ago."""
    with time_machine.travel(FROZEN_NOW - timedelta(minutes=1), tick=False):
        opened = FormTiming.issue()
    return {"name": "Reader", "email": "reader@example.org", "body": "A fair point.",
            "opened": opened, "website": "", **overrides}  # fmt: skip


def post(client, article, **overrides):
    return client.post(reverse("comments:post", kwargs={"slug": article.slug}),
                       form_data(**overrides), REMOTE_ADDR="203.0.113.7")  # fmt: skip


# --- the comments on the article page ------------------------------------------------------


def test_approved_comments_show_with_their_count_and_replies(client, article):
    top = CommentFactory(article=article, name="Ana", body="First thoughts.")
    CommentFactory(article=article, parent=top, name="Ben", body="A reply.")
    CommentFactory(article=article, status=CommentStatus.PENDING, body="Not yet approved.")
    CommentFactory(article=article, status=CommentStatus.SPAM, body="Buy now.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "First thoughts." in html and "A reply." in html
    assert "Not yet approved." not in html and "Buy now." not in html
    assert "2 comments" in html
    assert 'class="comments__replies"' in html


def test_reply_to_a_hidden_comment_is_hidden_with_it(client, article):
    top = CommentFactory(article=article, status=CommentStatus.REJECTED)
    CommentFactory(article=article, parent=top, body="Orphaned reply.")

    assert "Orphaned reply." not in client.get(article.get_absolute_url()).content.decode()


def test_editors_replies_are_marked(client, article):
    top = CommentFactory(article=article)
    CommentFactory(article=article, parent=top, from_editors=True, name="The editors")

    assert "From the editors" in client.get(article.get_absolute_url()).content.decode()


def test_comment_text_is_escaped_and_its_links_are_nofollow_ugc(client, article):
    CommentFactory(article=article, name="<b>Eve</b>",
                   body="<script>alert(1)</script> see https://example.org")  # fmt: skip

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html and "<b>Eve" not in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">' in html


def test_an_ordinary_reader_gets_no_cookie(client, article):
    CommentFactory(article=article)

    response = client.get(article.get_absolute_url())

    assert not response.cookies
    # The form on the (cacheable) page carries no token of its own; comments.js fetches one.
    assert 'name="csrfmiddlewaretoken" value=""' in response.content.decode()


def test_the_article_page_makes_the_same_queries_with_few_or_many_comments(client, article):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(captured)

    top = CommentFactory(article=article)
    queries()  # renders and keeps the page's parts (articles/page_parts.py)
    few = queries()
    for _ in range(15):
        CommentFactory(article=article, parent=CommentFactory(article=article))
    CommentFactory(article=article, parent=top)

    assert queries() == few


def test_every_article_page_shows_the_same_empty_form_rendered_once(client, article, settings):
    from comments import selectors

    settings.DEBUG = False
    selectors._kept_blank_comment_fields.cache_clear()
    other = ArticleFactory(slug="on-trade", publish_at=FROZEN_NOW - timedelta(days=7))

    pages = [client.get(a.get_absolute_url()).content.decode() for a in (article, other)]

    assert selectors._kept_blank_comment_fields.cache_info().misses == 1
    for html in pages:
        assert 'name="csrfmiddlewaretoken" value=""' in html  # filled by comments.js
        assert '<input type="text" name="name" maxlength="80" required' in html
    # Each form still sends to its own article.
    assert 'action="/articles/on-trade/comments/"' in pages[1]


def test_closed_comments_show_no_form(client, article):
    article.comments_enabled = False
    article.save()

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Comments are closed on this article." in html
    assert "data-comment-form" not in html


def test_comments_close_by_themselves_after_the_configured_days(client, article, clock):
    SiteSettings.objects.filter(pk=1).update(comments_close_after_days=10)
    assert "data-comment-form" in client.get(article.get_absolute_url()).content.decode()

    clock.shift(timedelta(days=3, seconds=1))

    assert "data-comment-form" not in client.get(article.get_absolute_url()).content.decode()
    assert post(client, article).status_code == 403


# --- posting a comment -----------------------------------------------------------------


def test_a_new_comment_is_held_and_shown_only_to_its_writer(client, article):
    response = post(client, article, body="My own view.")

    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    mine = client.get(article.get_absolute_url()).content.decode()
    assert "My own view." in mine and "Awaiting moderation" in mine
    theirs = Client().get(article.get_absolute_url()).content.decode()
    assert "My own view." not in theirs


def test_once_approved_the_comment_shows_to_everyone_without_the_note(client, article):
    post(client, article, body="My own view.")
    Comment.objects.update(status=CommentStatus.APPROVED)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "My own view." in html and "Awaiting moderation" not in html
    assert "My own view." in Client().get(article.get_absolute_url()).content.decode()


def test_a_reply_is_saved_under_its_parent(client, article):
    top = CommentFactory(article=article)

    post(client, article, reply_to=str(top.pk))

    assert Comment.objects.get(parent=top).status == CommentStatus.PENDING


@pytest.mark.parametrize("target", ["pending", "reply", "other-article"])
def test_replies_only_answer_approved_top_level_comments_of_the_article(client, article, target):
    top = CommentFactory(article=article)
    parent = {
        "pending": lambda: CommentFactory(article=article, status=CommentStatus.PENDING),
        "reply": lambda: CommentFactory(article=article, parent=top),
        "other-article": lambda: CommentFactory(),
    }[target]()

    assert post(client, article, reply_to=str(parent.pk)).status_code == 404
    write = reverse("comments:write", kwargs={"slug": article.slug})
    assert client.get(f"{write}?reply_to={parent.pk}").status_code == 404


def test_the_reply_page_quotes_the_comment(client, article):
    top = CommentFactory(article=article, name="Ana", body="Quoted words.")
    write = reverse("comments:write", kwargs={"slug": article.slug})

    html = client.get(f"{write}?reply_to={top.pk}").content.decode()

    assert "Reply to Ana" in html and "Quoted words." in html
    assert f'name="reply_to" value="{top.pk}"' in html


def test_the_honeypot_field_refuses_the_comment(client, article):
    response = post(client, article, website="http://spam.example")

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_form_sent_too_fast_is_refused_and_the_text_kept(client, article):
    with time_machine.travel(FROZEN_NOW - timedelta(seconds=1), tick=False):
        opened = FormTiming.issue()

    response = post(client, article, opened=opened, body="Typed by a bot.")

    assert response.status_code == 400
    assert "That was quick" in response.content.decode()
    assert "Typed by a bot." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "x" * 81, "at most 80 characters"),
        ("body", "x" * 3001, "at most 3000 characters"),
        ("body", "   ", "Please write your comment."),
        ("email", "not-an-address", "valid email"),
        ("body", "a https://a.example b https://b.example c https://c.example", "2 links or fewer"),
    ],
)
def test_invalid_comments_are_refused_with_a_message(client, article, field, value, message):
    response = post(client, article, **{field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_a_duplicate_is_refused_and_only_one_is_kept(client, article):
    post(client, article, body="Said once.")

    response = post(client, article, body="Said  once.")

    assert response.status_code == 400
    assert "already been sent" in response.content.decode()
    assert Comment.objects.count() == 1


def test_too_many_comments_from_one_address_get_429_with_the_text_kept(client, article, settings):
    settings.COMMENTS = {**settings.COMMENTS, "MAX_PER_IP": 2}
    post(client, article, body="one", email="")
    post(client, article, body="two", email="")

    response = post(client, article, body="three, kept for the reader", email="")

    assert response.status_code == 429
    assert "three, kept for the reader" in response.content.decode()
    assert Comment.objects.count() == 2


def test_too_many_comments_from_one_email_get_429(client, article, settings):
    settings.COMMENTS = {**settings.COMMENTS, "MAX_PER_EMAIL": 1}
    post(client, article, body="one")

    response = client.post(reverse("comments:post", kwargs={"slug": article.slug}),
                           form_data(body="two"), REMOTE_ADDR="198.51.100.9")  # fmt: skip

    assert response.status_code == 429


def test_behind_our_proxy_the_rate_limit_uses_the_forwarded_address(client, article, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.COMMENTS = {**settings.COMMENTS, "MAX_PER_IP": 1}
    url = reverse("comments:post", kwargs={"slug": article.slug})

    def send(forwarded: str, body: str):
        return client.post(url, form_data(body=body, email=""), REMOTE_ADDR="10.0.0.1",
                           HTTP_X_FORWARDED_FOR=forwarded)  # fmt: skip

    assert send("198.51.100.1", "one").status_code == 302
    assert send("198.51.100.2", "two").status_code == 302
    # A client-supplied first entry is ignored: the last one is what our proxy saw.
    assert send("1.2.3.4, 198.51.100.2", "three").status_code == 429
    assert Comment.objects.get(body="one").ip_address == "198.51.100.1"


def test_a_blocklisted_comment_looks_held_to_its_writer_but_is_spam(client, article):
    from tests.factories import BlockedTermFactory

    BlockedTermFactory(value="casino")

    post(client, article, body="Best casino in town")

    assert Comment.objects.get().status == CommentStatus.SPAM
    assert "Awaiting moderation" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("state", ["draft", "in_review", "archived"])
def test_articles_that_are_not_live_take_no_comments_or_reports(client, state):
    hidden = article_in(state, slug="hidden")

    assert post(client, hidden).status_code == 404
    assert client.get(reverse("comments:write", kwargs={"slug": "hidden"})).status_code == 404
    assert (
        client.get(reverse("comments:report_article", kwargs={"slug": "hidden"})).status_code == 404
    )
    assert not Comment.objects.exists()


def test_posting_needs_post(client, article):
    assert client.get(reverse("comments:post", kwargs={"slug": article.slug})).status_code == 405


# --- CSRF ------------------------------------------------------------------------------


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_a_post_without_a_csrf_token_is_refused_and_the_text_shown_again(csrf_client, article):
    response = post(csrf_client, article, body="Written without JavaScript.")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Written without JavaScript." in html
    assert "confirm this once more" in html
    assert not Comment.objects.exists()
    # The page it shows carries a real token and a fresh stamp: sending it again works.
    (token,) = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    resent = post(
        csrf_client, article, body="Written without JavaScript.", csrfmiddlewaretoken=token
    )
    assert resent.status_code == 302


def test_the_resent_form_goes_through(csrf_client, article):
    first = post(csrf_client, article, body="Second try.")
    token = str(first.context["csrf_token"])

    response = post(csrf_client, article, body="Second try.", csrfmiddlewaretoken=token)

    assert response.status_code == 302
    assert Comment.objects.get().body == "Second try."


def test_the_form_token_endpoint_gives_a_working_token_and_stamp(csrf_client, article):
    response = csrf_client.get(reverse("comments:form_token"))
    data = response.json()

    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    sent = post(csrf_client, article, csrfmiddlewaretoken=data["csrfToken"])
    assert sent.status_code == 302


def test_other_csrf_failures_get_a_plain_page(csrf_client):
    response = csrf_client.post(reverse("articles:search"), {"q": "x"})

    assert response.status_code in (403, 405)


# --- reports ---------------------------------------------------------------------------


def report_data(**overrides):
    with time_machine.travel(FROZEN_NOW - timedelta(minutes=1), tick=False):
        opened = FormTiming.issue()
    return {"reason": "inaccurate", "details": "Wrong date.", "opened": opened, **overrides}


def test_a_reader_reports_an_article(client, article):
    url = reverse("comments:report_article", kwargs={"slug": article.slug})
    assert "What is wrong?" in client.get(url).content.decode()

    response = client.post(url, report_data())

    assert response.status_code == 200
    assert "Your report has reached the moderators" in response.content.decode()
    report = Report.objects.get()
    assert report.article == article and report.comment is None
    assert report.details == "Wrong date."


def test_a_reader_reports_a_comment(client, article):
    comment = CommentFactory(article=article)

    client.post(reverse("comments:report_comment", kwargs={"pk": comment.pk}), report_data())

    assert Report.objects.get().comment == comment


def test_only_approved_comments_can_be_reported(client, article):
    pending = CommentFactory(article=article, status=CommentStatus.PENDING)

    url = reverse("comments:report_comment", kwargs={"pk": pending.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "overrides", [{"reason": "boring"}, {"website": "x"}, {"details": "x" * 1001}]
)
def test_bad_reports_are_refused(client, article, overrides):
    url = reverse("comments:report_article", kwargs={"slug": article.slug})

    assert client.post(url, report_data(**overrides)).status_code == 400
    assert not Report.objects.exists()


def test_the_report_link_is_on_the_article_and_each_comment(client, article):
    comment = CommentFactory(article=article)

    html = client.get(article.get_absolute_url()).content.decode()

    assert reverse("comments:report_article", kwargs={"slug": article.slug}) in html
    assert reverse("comments:report_comment", kwargs={"pk": comment.pk}) in html


def test_the_comment_script_is_served_from_our_origin(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<script src="{django_settings.STATIC_URL}js/comments.js" defer>' in html


@pytest.mark.parametrize(
    ("shown", "too_fast"),
    [("90", False), ("0", True), ("soon", True), ("nan", True), ("inf", True), ("-50", True)],
)
def test_the_form_token_counts_from_when_the_page_was_shown(csrf_client, article, shown, too_fast):
    response = csrf_client.get(reverse("comments:form_token"), {"shown": shown})

    assert response.status_code == 200
    problem = FormTiming.problem(response.json()["opened"])
    assert (problem == FormTiming.TOO_FAST) is too_fast
