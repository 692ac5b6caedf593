"""Two app hosts, one site: two gunicorn servers on two loopback ports, sharing one PostgreSQL
database, one Redis and one object store (moto's S3 server), as docs/deployment.md lays out.

What one host does, the other shows at once: an editor publishes on host A and a reader of
host B gets the new page (its stored copy there is refreshed, not served stale); the image
uploaded through A is served from the bucket on B's pages; a comment sent to B is moderated on
A; and failed logins count against the same limit whichever host they reach.

Skips on SQLite (one file is no shared database) and, outside CI, without Redis; in CI
(CI=true) a missing Redis fails instead.
"""

from __future__ import annotations

import re
import uuid
from io import BytesIO

import pytest
import requests
from django.urls import reverse
from PIL import Image

from articles.models import Article, Status
from comments.models import Comment, CommentStatus
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory, UserFactory
from tests.hosts import AppHost, host_environment, require_postgresql_and_redis
from tests.objectstore import use_storage

PASSWORD = "correct horse battery staple"
TIMEOUT = 20


@pytest.fixture
def site(transactional_db, s3_server, settings, tmp_path):
    redis_url = require_postgresql_and_redis()
    # The hosts hash passwords with Django's default hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    bucket = s3_server.new_bucket()
    use_storage(settings, s3_server.url(bucket))  # the test reads what the hosts stored
    env = host_environment(
        REDIS_URL=redis_url,
        # Each run its own keys: another run sharing this Redis database sees none of them.
        CACHE_KEY_PREFIX=f"two-hosts-{uuid.uuid4().hex[:8]}",
        MEDIA_STORAGE_URL=s3_server.url(bucket),
        COMMENTS_MIN_SECONDS="0",
    )
    hosts = [AppHost("A", env), AppHost("B", env)]
    try:
        for host in hosts:
            host.start(tmp_path)
        for host in hosts:
            host.wait_until_ready()
        yield {"A": hosts[0], "B": hosts[1], "bucket": f"{s3_server.endpoint}/{bucket}/"}
    finally:
        for host in hosts:
            host.stop()


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (800, 450), "#336699").save(buffer, format="PNG")
    return buffer.getvalue()


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} in the form"
    return match.group(1)


def log_in(host: AppHost, username: str, password: str) -> tuple[requests.Session, int]:
    session = requests.Session()
    login = reverse("admin:login")
    form = session.get(host.url + login, timeout=TIMEOUT).text
    answer = session.post(
        host.url + login,
        data={
            "csrfmiddlewaretoken": hidden(form, "csrfmiddlewaretoken"),
            "username": username,
            "password": password,
            "next": reverse("admin:index"),
        },
        headers={"Referer": host.url + login},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    return session, answer.status_code


def post_form(session: requests.Session, host: AppHost, path: str, data: dict, **kwargs):
    token = session.cookies.get("csrftoken")
    return session.post(
        host.url + path,
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Referer": host.url + path},
        allow_redirects=False,
        timeout=TIMEOUT,
        **kwargs,
    )


def management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_two_hosts_serve_one_site(site):
    a, b = site["A"], site["B"]
    UserFactory(username="editor", is_staff=True, is_superuser=True, password=PASSWORD)
    topic = TopicFactory(name="Caspian", slug="caspian")
    writer = AuthorFactory(name="Nadia Petrova")
    ArticleFactory(title="Ports of the north", slug="ports", primary_topic=topic, authors=[writer])
    reader = requests.Session()

    # A reader of host B: the home page, then the same page from B's page cache.
    assert "Ports of the north" in reader.get(b.url + "/", timeout=TIMEOUT).text
    cached = reader.get(b.url + "/", timeout=TIMEOUT)
    assert cached.headers.get("X-Page-Cache") == "hit"
    assert "Tanker routes" not in cached.text

    # The editor, on host A, writes an article with an image and publishes it.
    desk, status = log_in(a, "editor", PASSWORD)
    assert status == 302
    add = reverse("admin:articles_article_add")
    desk.get(a.url + add, timeout=TIMEOUT)
    fields = {
        "title": "Tanker routes",
        "slug": "tanker-routes",
        "standfirst": "Where the oil goes.",
        "body": "## Routes\n\nShips cross the sea.",
        "primary_topic": str(topic.pk),
        "tags": "shipping",
        "status": Status.DRAFT,
        "featured_image_alt": "Tankers at anchor",
        "comments_enabled": "on",
        "_save": "Save",
        **management("bylines", 1),
        "bylines-0-author": str(writer.pk),
        "bylines-0-sort_order": "0",
        **management("quotes", 0),
        **management("related_links", 0),
    }
    image = {"featured_image": ("tankers.png", png_bytes(), "image/png")}
    assert post_form(desk, a, add, fields, files=image).status_code == 302
    article = Article.objects.get(slug="tanker-routes")
    publish = reverse("admin:articles_article_transition", args=[article.pk, "publish"])
    assert post_form(desk, a, publish, {"version": str(article.version)}).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED

    # At once on host B: the home page it had stored is refreshed, the article is there, and
    # its image comes from the bucket (B never saw the upload).
    home = reader.get(b.url + "/", timeout=TIMEOUT)
    assert "Tanker routes" in home.text
    page = reader.get(b.url + article.get_absolute_url(), timeout=TIMEOUT)
    assert page.status_code == 200
    image_url = site["bucket"] + article.featured_image.name
    assert f'src="{image_url}"' in page.text
    served = requests.get(image_url, timeout=TIMEOUT)
    assert served.status_code == 200
    assert Image.open(BytesIO(served.content)).size == (800, 450)
    assert f"{site['bucket']}{article.featured_image_renditions['share']}" in page.text

    # A reader comments on host B; the editor approves it on host A; B shows it to everyone.
    commenter = requests.Session()
    stamp = commenter.get(b.url + reverse("comments:form_token"), timeout=TIMEOUT).json()
    sent = post_form(
        commenter,
        b,
        reverse("comments:post", kwargs={"slug": article.slug}),
        {
            "name": "Ilya",
            "email": "ilya@example.org",
            "body": "The northern route is shorter in winter.",
            "opened": stamp["opened"],
            "website": "",
        },
    )
    assert sent.status_code in {200, 302}, re.sub(r"<[^>]+>", " ", sent.text)[-3000:]
    comment = Comment.objects.get(article=article)
    assert comment.status == CommentStatus.PENDING
    assert "shorter in winter" not in reader.get(b.url + article.get_absolute_url()).text
    changelist = reverse("admin:comments_comment_changelist")
    desk.get(a.url + changelist, timeout=TIMEOUT)
    moderated = post_form(
        desk,
        a,
        changelist,
        {"action": "approve_selected", "_selected_action": str(comment.pk), "index": "0"},
    )
    assert moderated.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert "shorter in winter" in reader.get(b.url + article.get_absolute_url()).text

    # Failed logins count against one limit (django-axes, in the shared database): the fifth
    # wrong password, wherever it lands, locks the account out of both hosts, right password
    # or not.
    UserFactory(username="mallory", is_staff=True, password=PASSWORD)
    for host in (a, b, a, b):
        assert log_in(host, "mallory", "wrong password")[1] == 200  # the form, shown again
    assert log_in(b, "mallory", "wrong password")[1] == 429
    for host in (a, b):
        assert log_in(host, "mallory", PASSWORD)[1] == 429  # locked out, not let in
