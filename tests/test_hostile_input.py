"""Hostile input never breaks a public page and is never reflected unescaped.

Every string of HOSTILE is sent, percent-encoded, as each path argument of every public URL
pattern, as each query parameter a public page reads (and one it does not), and as the username
and password of the admin login form. Each answer must be a 2xx, 3xx or 4xx (an exception
escaping a view, which would be a 500 in production, fails the test with the URL and the
input), and no HTML answer may carry an injected element, event handler or script URL.

The live site's article holds the corpus in its body, so searches for the hostile strings find
it and the results page renders highlighted snippets of them.

When a public route with a path argument is added, add it to PATH_ROUTES;
``test_path_routes_cover_every_public_route_with_an_argument`` fails until you do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import models
from django.urls import NoReverseMatch, reverse
from taggit.models import Tag

from articles.models import Article
from authors.models import Author, Expert
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    ExpertQuoteFactory,
    ImageFactory,
    TopicFactory,
)
from tests.routes import public_route_names
from topics.models import Topic
from website.sitemaps import SITEMAPS

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG_ONERROR = '"><img src=x onerror=alert(1)>'
MOUSEOVER = "' onmouseover='x"

# Decoded strings; each is sent percent-encoded (quote(value, safe="")).
HOSTILE_TEXT = {
    "script": SCRIPT,
    "img-onerror": IMG_ONERROR,
    "javascript-url": "javascript:alert(1)",
    "onmouseover": MOUSEOVER,
    "sql-or": "' OR 1=1 --",
    "sql-drop": "1; DROP TABLE articles_article",
    "printf": "%s%s%n",
    "format-attr": "{0.__class__}",
    "template-dollar": "${7*7}",
    "template-braces": "{{7*7}}",
    "rtl-override": "abc\u202edcba",
    "zero-width": "a\u200bb\ufeffc",
    "long-letters": "a" * 10_000,
    "long-digits": "9" * 10_000,
    "int64-overflow": "9" * 25,
    "negative": "-1",
    "nul": "a\x00b",
    "emoji": "\U0001f4a9\U0001f468\u200d\U0001f469\u200d\U0001f467\u2764\ufe0f",
}
# Already percent-encoded, and not UTF-8 once decoded: sent as they are.
HOSTILE_RAW = {
    "invalid-utf8": "%ff%fe",
    "overlong-slash": "%c0%af",
}
HOSTILE = {
    **{name: quote(value, safe="") for name, value in HOSTILE_TEXT.items()},
    **HOSTILE_RAW,
}

# Public routes with a path argument, as a template the encoded value is put into.
PATH_ROUTES = {
    "articles:detail": ("slug", "/articles/{}/"),
    "articles:tag": ("slug", "/tags/{}/"),
    "articles:preview": ("token", "/preview/{}/"),
    "topics:detail": ("slug", "/topics/{}/"),
    "topics:feed": ("slug", "/topics/{}/feed/"),
    "topics:feed_atom": ("slug", "/topics/{}/feed/atom/"),
    "authors:detail": ("slug", "/authors/{}/"),
    "authors:feed": ("slug", "/authors/{}/feed/"),
    "authors:feed_atom": ("slug", "/authors/{}/feed/atom/"),
    "authors:expert_detail": ("slug", "/experts/{}/"),
    "website:sitemap_section": ("section", "/sitemap-{}.xml"),
    "comments:post": ("slug", "/articles/{}/comments/"),
    "comments:write": ("slug", "/articles/{}/comments/write/"),
    "comments:report_article": ("slug", "/articles/{}/report/"),
    "comments:report_comment": ("pk", "/comments/{}/report/"),
    "api:article-detail": ("slug", "/api/v1/articles/{}/"),
    "api:topic-detail": ("slug", "/api/v1/topics/{}/"),
    "api:author-detail": ("slug", "/api/v1/authors/{}/"),
    "api:expert-detail": ("slug", "/api/v1/experts/{}/"),
    "api:tag-detail": ("slug", "/api/v1/tags/{}/"),
}

UNKNOWN_PARAMETER = "utm_x"


@dataclass
class Site:
    article: Article
    topic: Topic
    author: Author
    expert: Expert
    tag: Tag


@pytest.fixture
def site() -> Site:
    topic = TopicFactory(name="Cluster", slug="cluster")
    author = AuthorFactory(name="Shared Writer", slug="shared-writer")
    expert = ExpertFactory(name="Shared Expert", slug="shared-expert")
    printable = [v for v in HOSTILE_TEXT.values() if v.isprintable() and len(v) < 100]
    article = ArticleFactory(
        title="The live article",
        slug="the-live-article",
        primary_topic=topic,
        authors=[author],
        tags=["shared-tag"],
        standfirst=f"A standfirst quoting {SCRIPT} and {IMG_ONERROR}.",
        body="## One\n\n" + "\n\n".join(printable) + "\n\n[[quote:q]]\n",
    )
    ExpertQuoteFactory(article=article, expert=expert, key="q", text=f"Said {MOUSEOVER}.")
    return Site(article, topic, author, expert, article.tags.get())


def query_urls(site: Site, value: str) -> list[str]:
    """Every query parameter a public page reads, and an unknown one, set to `value`."""
    search = reverse("articles:search")
    urls = [f"{search}?{name}={value}" for name in ("q", "topic", "author", "page")]
    urls += [
        f"{search}?q=live&topic={site.topic.pk}&author={site.author.pk}&page={value}",
        f"{search}?q=article&{UNKNOWN_PARAMETER}={value}",
        f"{search}?q=live&{value}=1",
    ]
    pages = [
        reverse("website:home"),
        site.topic.get_absolute_url(),
        site.author.get_absolute_url(),
        site.expert.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": site.tag.slug}),
    ]
    for page in pages:
        urls += [f"{page}?page={value}", f"{page}?{UNKNOWN_PARAMETER}={value}"]
    for section in SITEMAPS:
        page = reverse("website:sitemap_section", kwargs={"section": section})
        urls += [f"{page}?p={value}", f"{page}?{UNKNOWN_PARAMETER}={value}"]
    write = reverse("comments:write", kwargs={"slug": site.article.slug})
    urls += [f"{write}?{UNKNOWN_PARAMETER}={value}"]
    return urls


def api_query_urls(site: Site, value: str) -> list[str]:
    """Every query parameter the read API reads, alone and beside valid ones, set to `value`.
    Most values are refused with a 400 (in JSON), so the control is api_control_urls()."""
    urls = []
    articles = reverse("api:article-list")
    for name in ("topic", "tag", "author", "updated_since", "page", "page_size"):
        urls += [f"{articles}?{name}={value}", f"{articles}?topic={site.topic.slug}&{name}={value}"]
    api_search = reverse("api:search")
    urls += [f"{api_search}?{name}={value}" for name in ("q", "topic", "author", "page")]
    urls += [f"{api_search}?q=live&page_size={value}", f"{articles}?{value}=1"]
    for name in ("topic-list", "author-list", "expert-list", "tag-list"):
        urls += [f"{reverse(f'api:{name}')}?page={value}"]
    urls += [f"{reverse('api:docs')}?{name}={value}" for name in ("lang", "script")]
    return urls


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)


def injection_problems(response) -> list[str]:
    """What in the answer shows an injection got through (empty when none did)."""
    body = response.content.decode("utf-8", errors="replace")
    if response.get("Content-Type", "") == "application/json":
        return json_injection_problems(json.loads(body))
    problems = [
        f"raw {marker!r}"
        for marker in (SCRIPT, "<img src=x onerror=alert(1)>", "onmouseover='x")
        if marker in body
    ]
    if "html" not in response.get("Content-Type", ""):
        return problems
    return problems + html_injection_problems(body)


def json_injection_problems(data) -> list[str]:
    """The read API's JSON: text fields hold text as written (the site's own standfirst quotes
    the corpus), which clients escape as text; the fields it gives as HTML ("…_html") must be as
    safe as the site's pages."""
    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("_html") and isinstance(value, str):
                problems += [f"{key}: {p}" for p in html_injection_problems(value)]
                if SCRIPT in value:
                    problems.append(f"{key}: raw {SCRIPT!r}")
            else:
                problems += json_injection_problems(value)
    elif isinstance(data, list):
        for item in data:
            problems += json_injection_problems(item)
    return problems


def html_injection_problems(body: str) -> list[str]:
    problems = []
    parser = _Elements()
    parser.feed(body)
    parser.close()
    for tag, attrs in parser.elements:
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}={value!r}>")
            normalised = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in {"href", "src", "action", "formaction"} and normalised.startswith(
                "javascript:"
            ):
                problems.append(f"<{tag} {name}={value!r}>")
    if any("alert(1)" in text for text in parser.script_text):
        problems.append("alert(1) inside a <script> element")
    return problems


def check(client, method: str, url: str, **kwargs) -> str | None:
    """A description of what went wrong with one request, or None."""
    try:
        response = getattr(client, method)(url, **kwargs)
    except Exception as exc:  # the handler would have answered 500
        return f"{method.upper()} {url[:200]}: raised {exc!r}"[:800]
    if response.status_code >= 500:
        return f"{method.upper()} {url[:200]}: status {response.status_code}"
    problems = injection_problems(response)
    if problems:
        return f"{method.upper()} {url[:200]}: {response.status_code}, {problems}"
    return None


def overlong_login_records() -> list[str]:
    """Values django-axes stored in a CharField longer than its max_length. SQLite keeps them;
    PostgreSQL refuses the INSERT with a DataError, which is a 500 on the login form."""
    found = []
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        limited = [
            f for f in model._meta.fields if isinstance(f, models.CharField) and f.max_length
        ]
        for record in model.objects.all():
            for field in limited:
                value = getattr(record, field.attname) or ""
                if len(value) > field.max_length:
                    found.append(
                        f"{model.__name__}.{field.name}: {len(value)} > {field.max_length}"
                    )
    return found


hostile = pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())


def test_path_routes_cover_every_public_route_with_an_argument():
    """PATH_ROUTES lists exactly the public routes that take an argument, as the URLconf has
    them."""
    needs_argument = set()
    for name in public_route_names():
        try:
            reverse(name)
        except NoReverseMatch:
            needs_argument.add(name)
    assert needs_argument == PATH_ROUTES.keys()
    for name, (argument, template) in PATH_ROUTES.items():
        sample = "1" if argument == "pk" else "x"
        assert reverse(name, kwargs={argument: sample}) == template.format(sample), name


def api_control_urls(site: Site) -> list[str]:
    articles, search = reverse("api:article-list"), reverse("api:search")
    return [
        f"{articles}?topic={site.topic.slug}&tag={site.tag.slug}&author={site.author.slug}"
        "&updated_since=2020-01-01T00:00:00Z&page=1&page_size=5",
        f"{search}?q=live&topic={site.topic.slug}&author={site.author.slug}&page=1",
    ]


def test_the_control_api_answers_list_the_live_article(client, site):
    for url in api_control_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert [a["slug"] for a in response.json()["results"]] == [site.article.slug], url


def test_the_control_site_pages_render(client, site):
    """The pages the hostile queries hit exist and list the live article."""
    for url in query_urls(site, "1"):
        response = client.get(url)
        assert response.status_code == 200, url
    search = client.get(reverse("articles:search"), {"q": "live article"})
    assert site.article.get_absolute_url() in search.content.decode()


@hostile
def test_hostile_path_arguments_never_fail_or_inject(client, site, value):
    failures = [
        check(client, "get", template.format(value)) for _, template in PATH_ROUTES.values()
    ]
    assert not [f for f in failures if f], failures


@hostile
def test_hostile_query_parameters_never_fail_or_inject(client, site, value):
    # reply_to names a comment, so the control pages (all 200) cannot include it.
    reply = reverse("comments:write", kwargs={"slug": site.article.slug}) + f"?reply_to={value}"
    urls = [*query_urls(site, value), *api_query_urls(site, value), reply]
    failures = [check(client, "get", url) for url in urls]
    assert not [f for f in failures if f], failures


BAD_HOSTS = {
    "unknown": "evil.example",
    "with-port": "evil.example:8000",
    "script": "<script>alert(1)</script>",
    "spaces": "a b",
    "userinfo": "testserver@evil.example",
}


@pytest.mark.parametrize("host", BAD_HOSTS.values(), ids=BAD_HOSTS.keys())
def test_a_host_header_the_site_does_not_serve_gets_a_400(client, site, host):
    """Django refuses the Host; the 400 page must not ask for the page's address again (it
    did, for its canonical link and og:url, and the second refusal made it a 500)."""
    urls = [reverse("website:home"), site.article.get_absolute_url(), reverse("website:feed")]
    for url in urls:
        response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 400, url
        assert not injection_problems(response), url


@pytest.mark.parametrize("value", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_searching_for_hostile_text_renders_escaped_snippets(client, site, value):
    """The article body holds the printable strings, so these searches find it."""
    failure = check(client, "get", reverse("articles:search"), data={"q": value})
    assert failure is None, failure


@hostile
def test_hostile_admin_login_never_fails_or_injects(client, site, value):
    login = reverse("admin:login")
    failures = [
        check(
            client,
            "post",
            login,
            data=body,
            content_type="application/x-www-form-urlencoded",
        )
        for body in (
            f"username={value}&password=wrong-password",
            f"username=editor&password={value}",
            f"username={value}&password={value}&next={value}",
        )
    ]
    assert not [f for f in failures if f], failures
    assert "_auth_user_id" not in client.session
    # Fails on every database; on PostgreSQL the POST itself is a 500 (caught above).
    assert not overlong_login_records(), (
        "django-axes recorded the failed login in a value too long for its column",
        overlong_login_records(),
    )


COMMENT_FIELDS = ("name", "email", "body", "reply_to", "website", "opened")
REPORT_FIELDS = ("reason", "details", "website", "opened")


@pytest.fixture
def open_for_comments(settings, site):
    """Comments open on the site's article, no minimum wait and no rate limits in the way, so
    hostile text that passes validation is saved and then shown."""
    from core.models import SiteSettings

    SiteSettings.objects.filter(pk=1).update(comments_close_after_days=0)
    # A plain article: the shared one holds the hostile corpus in its own body on purpose.
    site.article = ArticleFactory(title="Plain", slug="plain", standfirst="", body="## Plain")
    settings.COMMENTS = {
        **settings.COMMENTS,
        "MIN_SECONDS_TO_POST": 0,
        "MAX_PER_IP": 10_000,
        "MAX_PER_EMAIL": 10_000,
        "MAX_REPORTS_PER_IP": 10_000,
        "DUPLICATE_WINDOW_HOURS": 0,
    }
    return site


def form_bodies(fields: tuple[str, ...], good: dict[str, str], value: str) -> list[str]:
    """One urlencoded body per field with `value` in it (the rest valid), and one with `value`
    everywhere."""
    from urllib.parse import urlencode

    bodies = []
    for field in fields:
        rest = urlencode({k: v for k, v in good.items() if k != field})
        bodies.append(f"{field}={value}&{rest}")
    bodies.append("&".join(f"{field}={value}" for field in fields))
    return bodies


@hostile
def test_hostile_comment_form_never_fails_or_injects(client, open_for_comments, settings, value):
    from comments.guards import FormTiming
    from comments.models import Comment, CommentStatus

    site = open_for_comments
    good = {"name": "Reader", "body": "Fair point.", "opened": FormTiming.issue()}
    url = reverse("comments:post", kwargs={"slug": site.article.slug})
    failures = [
        check(client, "post", url, data=body, content_type="application/x-www-form-urlencoded")
        for body in form_bodies(COMMENT_FIELDS, good, value)
    ]
    assert not [f for f in failures if f], failures
    # Whatever was accepted is shown, escaped, once approved. A value that fits in a comment
    # is accepted as one (NUL bytes are refused by Django's forms with a message), so the page
    # below really renders it.
    if len(value) <= settings.COMMENTS["MAX_BODY_LENGTH"] and "%00" not in value:
        assert Comment.objects.exists()
    Comment.objects.update(status=CommentStatus.APPROVED)
    failure = check(client, "get", site.article.get_absolute_url())
    assert failure is None, failure


@hostile
def test_hostile_report_forms_never_fail_or_inject(client, open_for_comments, value):
    from comments.guards import FormTiming
    from tests.factories import CommentFactory

    site = open_for_comments
    comment = CommentFactory(article=site.article)
    good = {"reason": "spam", "details": "Look at this.", "opened": FormTiming.issue()}
    failures = [
        check(client, "post", url, data=body, content_type="application/x-www-form-urlencoded")
        for url in (
            reverse("comments:report_article", kwargs={"slug": site.article.slug}),
            reverse("comments:report_comment", kwargs={"pk": comment.pk}),
        )
        for body in form_bodies(REPORT_FIELDS, good, value)
    ]
    assert not [f for f in failures if f], failures


# --- library images in a body: hostile captions, descriptions and credits -------------------


@pytest.mark.usefixtures("media_in_tmp")
def test_hostile_library_image_text_is_shown_escaped(client, site):
    """Every printable hostile string as a placed image's caption, and as its description,
    credit and title, one of them the featured image: the article page, its API answer and the
    home page listing it stay clean. (An article of its own: the live article's body quotes the
    corpus as text, which the raw-marker check would find.)"""
    printable = [v for v in HOSTILE_TEXT.values() if v.isprintable() and len(v) < 100]
    images = [
        ImageFactory(
            alt=value[:250], credit=value[:200], title=value[:200], file__width=40, file__height=30
        )
        for value in printable
    ]
    article = ArticleFactory(
        title="Pictures",
        slug="pictures",
        primary_topic=site.topic,
        authors=[site.author],
        body="".join(
            f"[[image:{image.pk} | {value}]]\n\n"
            for image, value in zip(images, printable, strict=True)
        ),
        featured_library_image=images[0],
    )
    assert article.body_images.count() == len(images)

    urls = [
        article.get_absolute_url(),
        reverse("api:article-detail", kwargs={"slug": article.slug}),
        reverse("website:home"),
    ]
    failures = [check(client, "get", url) for url in urls]
    assert not [f for f in failures if f], failures
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="body-image"') == len(images)
