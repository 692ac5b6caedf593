"""Whole journeys through the real site and admin, as the people who use them would go.

(a) a writer writes an article with every body element through the editor, previews it and
    submits it; (b) an editor reviews it, shares a preview link, schedules it, and it goes live
    on time; (c) a reader moves home → topic → article → linked article → author → search;
(d) a reader comments, a moderator approves, and the comment appears for everyone; (e) the
slug follows the title on a new article until the editor writes their own; (f) an
administrator invites a writer, who sets a password from the e-mail (received by a real SMTP
server on the loopback) and logs in; (g) an editor uploads an image to the media library,
places it in an article's body from the editor's toolbar and makes it the featured image, and
readers see it;
(h) an editor writes a site page, adds it to the footer menu and redirects an old address to it.

The live server runs on the real clock, so the articles made here are dated from now: a fixed
date would put them outside comment windows and schedules.
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image as Pillow
from playwright.sync_api import BrowserContext, Page, Route, expect

from articles.models import Article, Status
from comments.models import Comment, CommentStatus
from images.models import Image
from tests.browser.support import admin_message, log_in
from tests.factories import (
    WRITERS,
    ArticleFactory,
    AuthorFactory,
    ExpertFactory,
    TopicFactory,
    superuser,
)
from website.demo import content

pytestmark = pytest.mark.browser

TITLE = "Caspian Shipping After the Sanctions"
SLUG = "caspian-shipping-after-the-sanctions"
CALLOUT_KINDS = [
    ("practical-fact", "Practical Fact"),
    ("insight", "Insight"),
    ("expert-insight", "Expert Insight"),
    ("consideration", "Consideration"),
    ("key-point", "Key Point"),
    ("warning", "Caution"),
]


# --- the admin, driven as a person drives it --------------------------------------------------


def choose(page: Page, field_id: str, search: str, option: str) -> None:
    """Pick `option` in one of the admin's autocomplete (select2) fields by typing `search`."""
    page.locator(f"[aria-labelledby='select2-{field_id}-container']").click()
    page.locator(f"input[aria-controls='select2-{field_id}-results']").fill(search)
    page.locator(f"#select2-{field_id}-results").get_by_role("option", name=option).click()
    expect(page.locator(f"#select2-{field_id}-container")).to_contain_text(option)


class BodyEditor:
    """The article form's body field with its toolbar (static/js/article-editor.js)."""

    def __init__(self, page: Page):
        self.page = page
        self.textarea = page.locator("#id_body")

    def to_end(self) -> None:
        self.textarea.focus()
        self.textarea.evaluate("t => t.setSelectionRange(t.value.length, t.value.length)")

    def type(self, text: str) -> None:
        """Type at the end of the body, as someone carrying on writing does."""
        self.to_end()
        self.page.keyboard.insert_text(text)

    def select(self, fragment: str) -> None:
        self.textarea.evaluate(
            """(t, fragment) => {
                const start = t.value.lastIndexOf(fragment);
                t.focus();
                t.setSelectionRange(start, start + fragment.length);
            }""",
            fragment,
        )

    def press(self, label: str) -> None:
        self.page.locator("#id_body-toolbar").get_by_role("button", name=label).click()

    def callout(self, kind: str, text: str) -> None:
        self.to_end()
        self.page.locator("#id_body-callout-kind").select_option(kind)
        self.press("Insert callout")
        # The placeholder sentence is selected: typing replaces it.
        self.page.keyboard.insert_text(text)

    def quote(self, key: str) -> None:
        self.to_end()
        self.page.locator("#id_body-quote-key").fill(key)
        self.press("Insert quote")

    def link_article(self, search: str, title: str) -> None:
        self.page.locator("#id_body-article-search").fill(search)
        self.page.locator("#id_body-article-results").get_by_role("button", name=title).click()

    @property
    def value(self) -> str:
        return self.textarea.input_value()


def save_button(page: Page, label: str):
    # The article form has its buttons at the top and the bottom (save_on_top).
    return page.get_by_role("button", name=label).first


# --- (a) and (b): from a writer's draft to a published article --------------------------------


@pytest.fixture
def newsroom(writer_user, editor_user, live_server):
    """What a writer finds in the admin: a topic, an author, an expert and a live article."""
    topic = TopicFactory(name="Energy & Trade Corridors", slug="energy-trade-corridors")
    author = AuthorFactory(name="Ilse Marrow", slug="ilse-marrow")
    ExpertFactory(name="Roxana Tevelde", slug="roxana-tevelde")
    linked = ArticleFactory(
        title="The North–South Corridor and the Economics of Sanctions",
        slug="north-south-corridor",
        primary_topic=topic,
        authors=[author],
        publish_at=timezone.now() - timedelta(days=3),
    )
    return {"topic": topic, "author": author, "linked": linked}


def write_article(page: Page, newsroom, live_server, screenshots_dir) -> None:
    """The writer's part: every body element, through the editor's toolbar where it has a
    button and typed where it has not."""
    page.goto(reverse("admin:articles_article_add"))
    page.get_by_label("Title:", exact=True).press_sequentially(TITLE)
    # The slug follows the title as it is typed (the admin's prepopulated field).
    expect(page.get_by_label("Slug:")).to_have_value(SLUG)
    page.get_by_label("Standfirst:").fill(
        "Sanctions pushed Russia and Iran onto the Caspian. What moves there, and what does not."
    )
    choose(page, "id_primary_topic", "Energy", "Energy & Trade Corridors")
    choose(page, "id_bylines-0-author", "Marrow", "Ilse Marrow")

    # An expert quote in the form below, for the body to place by its key.
    page.get_by_role("button", name=re.compile("Add another expert quote", re.I)).click()
    choose(page, "id_quotes-0-expert", "Tevelde", "Roxana Tevelde")
    page.locator("#id_quotes-0-key").fill("tevelde")
    page.locator("#id_quotes-0-text").fill(
        "The Caspian is the one sea neither Washington nor Brussels can patrol."
    )

    body = BodyEditor(page)
    body.type('The opening paragraph says why "Caspian shipping" matters -- now.\n\n')
    body.type("Shared ambitions")
    body.press("Heading")
    body.type("\n\nBoth capitals want less Western leverage and they say so openly.\n\n")
    body.select("less")
    body.press("Italic")
    body.select("they say so openly")
    body.press("Bold")
    body.type("For the longer story, read ")
    body.link_article("North", newsroom["linked"].title)
    body.type(".\n\n")
    for kind, label in CALLOUT_KINDS:
        body.callout(kind, f"A point for the {label} box.")
    body.quote("tevelde")
    image_url = f"{live_server.url}/static/img/logo.png"
    body.type(
        "\n\n### What it means for trade\n\n"
        "| Route | Status |\n| --- | --- |\n"
        "| Caspian shipping | Expanding |\n| Rail through Azerbaijan | Partly built |\n\n"
        "- one point\n- another point\n\n"
        "1. first step\n2. second step\n\n"
        "> A short quotation from a public document.\n\n"
        "The route's code name is `INSTC`; see the "
        "[institute's report](https://example.org/report).\n\n"
        "---\n\n"
        f"![A map of the route]({image_url})\n\n"
        "## Conclusion\n\n"
        "A pragmatic alignment, not an alliance: ~~permanent~~ provisional by design.\n"
    )
    assert "## Shared ambitions" in body.value
    assert "*less*" in body.value and "**they say so openly**" in body.value
    assert "[The North–South Corridor and the Economics of Sanctions]" in body.value
    assert "(article:north-south-corridor)" in body.value
    for kind, label in CALLOUT_KINDS:
        assert f"::: {kind}\nA point for the {label} box.\n:::" in body.value
    assert "[[quote:tevelde]]" in body.value

    # The live preview renders it as the page will. The quote is only in the form so far, and
    # the preview says it cannot show it until it is saved.
    preview = page.locator("#id_body-preview")
    expect(preview.locator(".callout")).to_have_count(len(CALLOUT_KINDS))
    expect(preview).to_have_attribute("data-state", "ready")
    expect(preview.locator("table")).to_be_visible()
    expect(page.locator("#id_body-preview-status")).to_contain_text("min read")
    expect(page.locator("#id_body-preview-warnings")).to_contain_text('"tevelde"')
    page.locator("#id_body-editor").screenshot(path=screenshots_dir / "admin-article-editor.png")
    page.screenshot(path=screenshots_dir / "admin-article-form.png", full_page=True)

    save_button(page, "Save and preview").click()


def check_article_page(page: Page, linked: Article, *, preview: bool) -> None:
    """Every body element, rendered on the article page."""
    article = page.locator("article.article")
    expect(article.locator("h1")).to_have_text(TITLE)
    if preview:
        expect(page.locator(".preview-banner")).to_contain_text("readers cannot see this")
    else:
        expect(page.locator(".preview-banner")).to_have_count(0)
    body = page.locator(".article__body")
    expect(body.locator("p").first).to_contain_text("“Caspian shipping” matters – now")
    expect(body.locator("h2")).to_have_text(["Shared ambitions", "Conclusion"])
    expect(page.locator("nav.toc li")).to_have_count(2)
    expect(body.locator("h3")).to_have_text("What it means for trade")
    expect(body.locator("em", has_text="less")).to_be_visible()
    expect(body.locator("strong", has_text="they say so openly")).to_be_visible()
    expect(body.get_by_role("link", name=linked.title)).to_have_attribute(
        "href", linked.get_absolute_url()
    )
    labels = body.locator(".callout__label")
    expect(labels).to_have_text([label for _, label in CALLOUT_KINDS], ignore_case=True)
    quote = body.locator("figure.expert-quote")
    expect(quote).to_contain_text("neither Washington nor Brussels")
    expect(quote.get_by_role("link", name="Roxana Tevelde")).to_be_visible()
    expect(body.locator("table tr")).to_have_count(3)
    expect(body.locator("ul > li")).to_have_count(2)
    expect(body.locator("ol > li")).to_have_count(2)
    expect(body.locator("blockquote").last).to_contain_text("public document")
    expect(body.locator("code")).to_have_text("INSTC")
    expect(body.get_by_role("link", name="institute’s report")).to_have_attribute(
        "href", "https://example.org/report"
    )
    expect(body.locator("hr")).to_have_count(1)
    image = body.get_by_role("img", name="A map of the route")
    image.scroll_into_view_if_needed()  # it loads lazily
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(body.locator("del, s")).to_have_text("permanent")


def test_writer_writes_previews_and_submits_an_article(
    newsroom, new_context, live_server, screenshots_dir
):
    writer = new_context().new_page()
    log_in(writer, "writer")
    write_article(writer, newsroom, live_server, screenshots_dir)

    # "Save and preview" opens the draft as readers will see it, marked as a preview.
    expect(writer).to_have_url(re.compile(re.escape(f"/articles/{SLUG}/") + "$"))
    check_article_page(writer, newsroom["linked"], preview=True)
    article = Article.objects.get(slug=SLUG)
    assert article.status == Status.DRAFT
    assert article.body_problems() == []
    assert [b.author.name for b in article.bylines.all()] == ["Ilse Marrow"]

    # The public page shows no admin messages: the save's is waiting back in the editor.
    writer.get_by_role("link", name="Back to the editor").click()
    expect(admin_message(writer)).to_contain_text(f"“{TITLE}” was saved and opened in preview")
    writer.get_by_role("button", name="Submit for review").click()
    expect(admin_message(writer)).to_contain_text(f"“{TITLE}” is now in review")
    # A writer has no way to publish: the buttons are not there.
    expect(writer.get_by_role("button", name="Approve and publish")).to_have_count(0)
    assert Article.objects.get(slug=SLUG).status == Status.IN_REVIEW


def test_editor_reviews_shares_schedules_and_publishes_an_article(
    newsroom, new_context, live_server, screenshots_dir, console
):
    # Before its publish time the article is a 404, which the browser logs.
    console.allow(re.escape(f"/articles/{SLUG}/") + ".*status of 404")
    writer = new_context().new_page()
    log_in(writer, "writer")
    write_article(writer, newsroom, live_server, screenshots_dir)
    writer.get_by_role("link", name="Back to the editor").click()
    writer.get_by_role("button", name="Submit for review").click()
    expect(admin_message(writer)).to_contain_text("is now in review")

    editor = new_context().new_page()
    log_in(editor, "editor")
    # The dashboard lists it under "Awaiting review".
    awaiting = editor.locator("section.dossier-panel", has_text="Awaiting review")
    awaiting.get_by_role("link", name=TITLE).click()
    expect(editor.locator(".dossier-workflow")).to_contain_text("In review")

    # A preview link for someone outside, which works without a login.
    editor.get_by_role("button", name="Create preview link").click()
    shared = admin_message(editor).get_by_role("link")
    preview_url = shared.get_attribute("href")
    outsider = new_context().new_page()
    outsider.goto(preview_url)
    check_article_page(outsider, newsroom["linked"], preview=True)
    expect(outsider.locator("meta[name=robots]")).to_have_attribute(
        "content", re.compile("noindex")
    )

    # Schedule: a publish time tomorrow, saved, then approved.
    go_live = (timezone.localtime() + timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    editor.locator("#id_publish_at_0").fill(go_live.strftime("%Y-%m-%d"))
    editor.locator("#id_publish_at_1").fill(go_live.strftime("%H:%M:%S"))
    save_button(editor, "Save and continue editing").click()
    expect(admin_message(editor)).to_contain_text("was changed successfully")
    editor.get_by_role("button", name="Approve and publish").click()
    expect(admin_message(editor)).to_contain_text(f"“{TITLE}” is scheduled: it goes live on")
    article = Article.objects.get(slug=SLUG)
    assert (article.status, article.publish_at) == (Status.PUBLISHED, go_live)

    # Readers cannot see it yet, not even a second before its time...
    reader = new_context().new_page()
    article_url = reverse("articles:detail", kwargs={"slug": SLUG})
    assert reader.goto(article_url).status == 404
    # (The clock moves for the live server too, in this process; Playwright's timers keep
    # real time.)
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert reader.goto(article_url).status == 404
    # ...and can from then on, without anyone doing anything more.
    with time_machine.travel(go_live + timedelta(seconds=1), tick=True):
        reader.goto(reverse("website:home"))
        reader.get_by_role("link", name=TITLE).first.click()
        expect(reader).to_have_url(re.compile(re.escape(article_url) + "$"))
        check_article_page(reader, newsroom["linked"], preview=False)


# --- (c) a reader finding their way ------------------------------------------------------------


def test_reader_goes_from_home_through_topic_article_author_and_search(demo_site, page):
    pillar = Article.objects.get(slug=content.PILLAR)
    corridor = Article.objects.get(slug="north-south-corridor-sanctions")

    page.goto(reverse("website:home"))
    page.locator(".home-topics").get_by_role("link", name="Russia–Iran Relations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Russia–Iran Relations")

    # The topic's "Start here" card leads to its pillar article.
    page.locator(".pillar").get_by_role("link", name=pillar.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(pillar.title)

    # A link in the running text to a sibling article in the cluster.
    page.locator(".article__body").get_by_role("link", name=corridor.title).click()
    expect(page).to_have_url(re.compile(re.escape(corridor.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(corridor.title)
    # Its curated related reading leads back to the pillar.
    expect(page.locator("section.related").get_by_role("link", name=pillar.title)).to_be_visible()

    # "About Me →" in the author box opens the author's page, which lists the article.
    author = corridor.bylines.order_by("sort_order").first().author
    page.locator(".author-box").first.get_by_role("link", name=re.compile("About Me")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(author.name)
    expect(page.locator(".card-list").get_by_role("link", name=corridor.title)).to_be_visible()

    # The search box in the header finds the pillar by words of its title.
    page.get_by_role("searchbox", name="Search articles").first.fill("wary partnership")
    page.get_by_role("button", name="Search", exact=True).first.click()
    results = page.locator(".search-results")
    expect(results.get_by_role("link", name=pillar.title)).to_be_visible()
    results.get_by_role("link", name=pillar.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(pillar.title)


# --- (d) a reader's comment, through moderation --------------------------------------------------


@pytest.fixture
def commentable(live_server, settings):
    # The form refuses a comment sent within MIN_SECONDS_TO_POST of opening it, a bot's pace;
    # the test types at a bot's pace.
    settings.COMMENTS = {**settings.COMMENTS, "MIN_SECONDS_TO_POST": 0}
    # Published yesterday: comments close 30 days after publication.
    return ArticleFactory(
        title="Caspian Ports and Their Owners",
        publish_at=timezone.now() - timedelta(days=1),
        authors=[AuthorFactory()],
    )


def test_reader_comment_appears_once_a_moderator_approves_it(
    commentable, moderator_user, new_context
):
    words = "The Astrakhan figures look low to me: were the winter months counted?"
    reader = new_context().new_page()
    reader.goto(commentable.get_absolute_url())
    form = reader.locator("form[data-comment-form]")
    with reader.expect_response(lambda r: "/comments/form-token/" in r.url):
        form.get_by_label("Your name").fill("Mina Arlow")
    form.get_by_label("E-mail (optional)").fill("mina@example.org")
    form.get_by_label("Comment").fill(words)
    form.get_by_role("button", name="Send for moderation").click()

    # Its writer sees it, marked as held; nobody else does.
    expect(reader).to_have_url(re.compile(r"#comment-\d+$"))
    held = reader.locator("article.comment--held")
    expect(held).to_contain_text(words)
    expect(held.get_by_role("status")).to_contain_text("Awaiting moderation")
    stranger = new_context().new_page()
    stranger.goto(commentable.get_absolute_url())
    expect(stranger.locator(".comments")).to_contain_text("No comments yet.")
    expect(stranger.get_by_text(words)).to_have_count(0)
    comment = Comment.objects.get(article=commentable)
    assert comment.status == CommentStatus.PENDING

    # The moderator finds it from the admin's Moderation panel and approves it.
    moderator = new_context().new_page()
    log_in(moderator, "moderator")
    moderator.get_by_role("link", name="Comments awaiting moderation").click()
    row = moderator.locator("#result_list tbody tr", has_text=words[:40])
    row.get_by_role("checkbox").check()
    moderator.get_by_label("Action:").select_option(label="Approve selected comments")
    moderator.get_by_role("button", name="Go").click()
    expect(admin_message(moderator)).to_contain_text("Approved: 1 comment(s).")
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (CommentStatus.APPROVED, moderator_user)

    # Now everyone reads it, under the article and in its count.
    stranger.reload()
    published = stranger.locator(f"#comment-{comment.pk}")
    expect(published).to_contain_text(words)
    expect(published).to_contain_text("Mina Arlow")
    expect(published).not_to_contain_text("Awaiting moderation")
    expect(stranger.locator(".article__comment-count")).to_have_text("1 comment")
    expect(stranger.get_by_text("mina@example.org")).to_have_count(0)


# --- (e) the slug follows the title on a new article -------------------------------------------


def test_slug_follows_the_title_until_the_editor_writes_their_own(editor_user, new_context):
    page = new_context().new_page()
    log_in(page, "editor")
    page.goto(reverse("admin:articles_article_add"))
    title, slug = page.get_by_label("Title:", exact=True), page.get_by_label("Slug:")

    # Any script, typographic punctuation dropped, as the server's slugify() would make it.
    title.press_sequentially("Россия и Иран: «Северный коридор»")
    expect(slug).to_have_value("россия-и-иран-северный-коридор")

    # Once the editor types in the slug, the title no longer changes it...
    slug.fill("")
    slug.press_sequentially("north-corridor")
    title.press("End")
    title.press_sequentially(" 2026")
    expect(slug).to_have_value("north-corridor")
    # ...until they empty it, when it follows the title again.
    slug.fill("")
    title.press("End")
    title.press_sequentially("!")
    expect(slug).to_have_value("россия-и-иран-северный-коридор-2026")

    # An existing article's slug stays put whatever its title becomes.
    article = ArticleFactory(title="Settled Title", slug="settled-title", authors=[AuthorFactory()])
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    page.get_by_label("Title:", exact=True).press("End")
    page.get_by_label("Title:", exact=True).press_sequentially(" and more")
    expect(page.get_by_label("Slug:")).to_have_value("settled-title")


def test_the_body_pickers_work_from_the_keyboard(editor_user, new_context):
    """The article-link and image pickers share their keys (pickWithKeys in
    static/js/article-editor.js): Down into the results, Up back to the box, Enter on a result
    inserts it."""
    ArticleFactory(title="Northern Corridor Tolls", slug="tolls", authors=[AuthorFactory()])
    page = new_context().new_page()
    log_in(page, "editor")
    page.goto(reverse("admin:articles_article_add"))
    body = BodyEditor(page)
    body.type("Start. ")

    search = page.locator("#id_body-article-search")
    results = page.locator("#id_body-article-results")
    search.fill("Northern")
    first = results.get_by_role("button", name="Northern Corridor Tolls")
    expect(first).to_be_visible()
    search.press("ArrowDown")
    expect(first).to_be_focused()
    first.press("ArrowUp")
    expect(search).to_be_focused()
    search.press("Enter")  # the first result, without leaving the box
    expect(body.textarea).to_have_value(re.compile(r"\(article:tolls\)"))
    expect(results).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/add/$"))  # Enter did not submit the form

    image_search = page.locator("#id_body-image-search")
    image_search.fill("zzz-nothing-matches")
    image_search.press("Escape")
    expect(page.locator("#id_body-image-results")).to_be_hidden()


# --- (f) inviting a writer ----------------------------------------------------------------------


def test_administrator_invites_a_writer_who_sets_a_password_and_logs_in(
    smtp_server, new_context, live_server, console, screenshots_dir
):
    # The form with a bad address comes back as a 400, which the browser logs.
    console.allow(re.escape("/admin/invite/") + ".*status of 400")
    superuser(username="chief", first_name="Clara", last_name="Chief")
    admin = new_context().new_page()
    log_in(admin, "chief")
    admin.goto(reverse("admin:auth_user_changelist"))
    admin.get_by_role("link", name="Invite a writer/editor").click()

    # A bad address is refused with a clear message, and nothing is created.
    admin.get_by_label("Name:").fill("Ilse Marrow")
    admin.get_by_label("E-mail address:").fill("ilse@")
    admin.get_by_label("Role:").select_option(label=WRITERS)
    admin.get_by_role("button", name="Invite and send the e-mail").click()
    expect(admin.locator(".errorlist")).to_contain_text("Enter an e-mail address such as")
    admin.screenshot(path=screenshots_dir / "admin-invite.png", full_page=True)

    admin.get_by_label("E-mail address:").fill("ilse@example.org")
    admin.get_by_role("button", name="Invite and send the e-mail").click()
    expect(admin_message(admin)).to_contain_text("Ilse Marrow is invited as one of the Writers")

    # The invitation arrives by SMTP, with the link to choose a password.
    # Sent once the login was committed, before the page answered.
    [message] = smtp_server.to("ilse@example.org")
    text = smtp_server.text(message)
    assert "Clara Chief has invited you" in text
    link = re.search(r"http://\S+/password-reset/\S+/", text).group(0)

    writer = new_context().new_page()
    writer.goto(link)
    expect(writer.get_by_role("heading", level=1)).to_have_text("Choose your password")
    writer.screenshot(path=screenshots_dir / "admin-set-password.png", full_page=True)
    writer.get_by_label("New password:").fill("a long and private phrase")
    writer.get_by_label("The same again:").fill("a long and private phrase")
    writer.get_by_role("button", name="Set my password").click()
    expect(writer.get_by_role("heading", level=1)).to_have_text("Password set")
    log_in(writer, "ilse@example.org", password="a long and private phrase")
    # A writer's admin: they may add articles.
    expect(writer.get_by_role("link", name="Articles").first).to_be_visible()


# --- (g) the media library --------------------------------------------------------------------


def serve_media(context: BrowserContext) -> None:
    """Answer /media/ from MEDIA_ROOT, as nginx or object storage does in production (Django
    serves no uploads when DEBUG is off, as in the live server)."""
    root = Path(settings.MEDIA_ROOT).resolve()

    def handle(route: Route) -> None:
        wanted = unquote(urlparse(route.request.url).path).removeprefix(settings.MEDIA_URL)
        found = (root / wanted).resolve()
        if found.is_file() and root in found.parents:
            route.fulfill(path=str(found))
        else:
            route.fulfill(status=404)

    context.route(re.compile(r"^https?://[^/]+" + re.escape(settings.MEDIA_URL)), handle)


def test_editor_uploads_an_image_and_places_it_in_a_body_from_the_toolbar(
    newsroom, new_context, live_server, media_in_tmp, tmp_path, screenshots_dir
):
    picture = tmp_path / "aktau-port.png"
    buffer = BytesIO()
    Pillow.new("RGB", (1280, 720), "#2a6f97").save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())
    context = new_context()
    serve_media(context)
    editor = context.new_page()
    log_in(editor, "editor")

    # Upload once, with the description and credit kept with the image.
    editor.goto(reverse("admin:images_image_add"))
    editor.get_by_label("Image file:").set_input_files(picture)
    editor.get_by_label("Description:").fill("Cargo ships at the port of Aktau")
    editor.get_by_label("Credit:").fill("Photo: Caspian Desk")
    editor.get_by_label("Keywords:").fill("Kazakhstan, harbour")
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(admin_message(editor)).to_contain_text("was added successfully")
    image = Image.objects.get()
    assert image.title == "aktau-port" and image.renditions["share"]

    # The focal point: a click on the subject in the preview.
    editor.locator(".dossier-focus img").click(position={"x": 20, "y": 20})
    expect(editor.locator("#id_focal_x")).not_to_have_value("")
    expect(editor.locator(".dossier-focus__marker")).to_be_visible()
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(admin_message(editor)).to_contain_text("was changed successfully")
    image.refresh_from_db()
    assert image.focal_x is not None and image.focal_x < 50 and image.focal_y < 50

    # The library finds it by any of its words.
    editor.goto(reverse("admin:images_image_changelist") + "?q=harbour")
    expect(editor.locator("#result_list")).to_contain_text("aktau-port")

    # In an article's body, from the toolbar's "Insert image", and as its featured image.
    article = newsroom["linked"]
    editor.goto(reverse("admin:articles_article_change", args=[article.pk]))
    body = BodyEditor(editor)
    body.type("\n\nThe port is busier than ever.")
    body.select("The port is busier than ever.")
    editor.locator("#id_body-image-search").fill("Aktau")
    results = editor.locator("#id_body-image-results")
    results.get_by_role("button", name=re.compile("aktau-port")).click()
    assert f"[[image:{image.pk} | The port is busier than ever.]]" in body.value
    expect(editor.locator("#id_body-toolbar-status")).to_contain_text("Inserted “aktau-port”")
    placed = editor.locator("#id_body-preview figure.body-image")
    expect(placed.get_by_role("img", name="Cargo ships at the port of Aktau")).to_be_visible()
    expect(placed.locator("figcaption")).to_contain_text("Photo: Caspian Desk")
    editor.locator("summary", has_text="Featured image").click()  # a collapsed fieldset
    choose(editor, "id_featured_library_image", "Aktau", "aktau-port")
    editor.locator("#id_body-editor").screenshot(path=screenshots_dir / "admin-image-insert.png")
    save_button(editor, "Save and continue editing").click()
    expect(admin_message(editor)).to_contain_text("was changed successfully")
    saved = Article.objects.get(pk=article.pk)
    assert list(saved.body_images.all()) == [image]
    assert saved.featured_image_alt == "Cargo ships at the port of Aktau"
    expect(editor.locator(".field-featured_image_preview")).to_contain_text(
        "From the media library"
    )

    # Readers see it in the body, with its renditions, caption and credit.
    reader = context.new_page()
    reader.goto(article.get_absolute_url())
    figure = reader.locator(".article__body figure.body-image")
    shown = figure.get_by_role("img", name="Cargo ships at the port of Aktau")
    shown.scroll_into_view_if_needed()  # it loads lazily
    expect(shown).to_be_visible()
    expect(shown).to_have_attribute("srcset", re.compile(r"\.webp 480w"))
    assert shown.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(figure.locator("figcaption")).to_have_text(
        "The port is busier than ever. Photo: Caspian Desk"
    )
    expect(reader.locator("meta[property='og:image']")).to_have_attribute(
        "content", re.compile(r"-share-\d+-\d+\.jpg$")
    )

    # The library says where the image is used.
    editor.goto(reverse("admin:images_image_change", args=[image.pk]))
    usage = editor.locator(".field-usage_list")
    expect(usage).to_contain_text(f"{article.title} (in the body)")
    expect(usage).to_contain_text(f"{article.title} (featured image)")


# --- (h) an editor's site page, in the footer, with a redirect to it ---------------------------


def choose_when_found(page: Page, field_id: str, option: str) -> None:
    """choose(), waiting for select2's search to finish first: an option clicked while an
    older search is still "Searching…" can be replaced under the click on a busy machine."""
    page.locator(f"[aria-labelledby='select2-{field_id}-container']").click()
    page.locator(f"input[aria-controls='select2-{field_id}-results']").fill(option)
    results = page.locator(f"#select2-{field_id}-results")
    expect(results.get_by_role("option", name="Searching…")).to_have_count(0)
    results.get_by_role("option", name=option).click()
    expect(page.locator(f"#select2-{field_id}-container")).to_contain_text(option)


def test_editor_creates_a_page_adds_it_to_the_footer_and_redirects_an_old_address_to_it(
    editor_user, live_server, new_context, console
):
    # The old address is a 404 before the redirect exists, which the browser logs.
    console.allow(r"/impressum/.*status of 404")
    editor = new_context().new_page()
    log_in(editor, "editor")

    # A new site page, written in the article editor's Markdown and published.
    editor.goto(reverse("admin:pages_page_add"))
    editor.get_by_label("Title:", exact=True).fill("Imprint")
    editor.get_by_label("Title:", exact=True).press("Tab")  # the slug follows the title
    expect(editor.get_by_label("Slug:", exact=True)).to_have_value("imprint")
    editor.locator("#id_body").fill("## Publisher\n\nDossier Media, 1 Example Street.")
    editor.get_by_label("Status:").select_option(label="Published")
    editor.get_by_role("button", name="Save", exact=True).first.click()
    expect(admin_message(editor)).to_contain_text("was added successfully")

    # Into the footer menu, through the link rows under the menu.
    editor.goto(reverse("admin:pages_menu_changelist"))
    editor.get_by_role("link", name="Footer menu").click()
    # The whole form first: read while the page still streams in, the last row is a saved link.
    editor.wait_for_url(re.compile(r"/pages/menu/\d+/change/$"), wait_until="load")
    row = editor.locator("tr.form-row:not(.empty-form)").last
    row_id = row.get_attribute("id")  # items-4: the footer starts with four links
    row.locator("input[name$='-sort_order']").fill("90")
    row.locator(f"#id_{row_id}-page").select_option(label="Imprint")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(admin_message(editor)).to_contain_text("was changed successfully")

    # A redirect from the old German address; an unsafe one first, refused with a reason.
    editor.goto(reverse("admin:pages_redirect_add"))
    editor.get_by_label("Old address:").fill("/impressum/")
    editor.get_by_label("Or to the URL:").fill("javascript:alert(1)")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".errorlist")).to_contain_text("other kinds of address are refused")
    editor.get_by_label("Or to the URL:").fill("")
    choose_when_found(editor, "id_page", "Imprint")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(admin_message(editor)).to_contain_text("was added successfully")

    # A reader finds the page from the footer of any page, and the old address leads there.
    reader = new_context().new_page()
    reader.goto(reverse("topics:list"))
    reader.locator("footer").get_by_role("link", name="Imprint").click()
    expect(reader).to_have_url(re.compile(r"/imprint/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Imprint")
    expect(reader.get_by_role("heading", name="Publisher")).to_be_visible()
    reader.goto("/impressum/")
    expect(reader).to_have_url(re.compile(r"/imprint/$"))
