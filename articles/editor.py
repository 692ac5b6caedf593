"""What the admin's article editor needs beyond the ModelAdmin: the live preview of an unsaved
body, the article search behind "Link to article", and the widgets that carry the toolbar,
preview pane and character counters. The browser side is static/js/article-editor.js; editors
read about it in docs/authoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.admin.widgets import AdminTextareaWidget, AdminTextInputWidget
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

from images.models import Image

from . import rendering
from .models import Article, ExpertQuote, live_q, reference_problems
from .models.article import existing_images

# The preview renders on every pause in typing, so it refuses bodies far beyond any article
# (the longest demo article is about 15,000 characters) instead of rendering megabytes.
MAX_PREVIEW_CHARS = 200_000
MAX_SEARCH_CHARS = 200
SEARCH_LIMIT = 20

# What search results show before cutting the text off: the lengths the help texts of these
# Article fields recommend (their max_length is a hard stop above).
RECOMMENDED_LENGTHS = {"seo_title": 60, "meta_description": 155}


class EditorInputError(ValueError):
    """Input the editor endpoints refuse; the message is shown to the editor."""


# --- live preview -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyPreview:
    html: SafeString
    warnings: list[str]
    word_count: int
    reading_minutes: int


def preview_body(*, body: str, article: Article | None = None) -> BodyPreview:
    """Render `body` as the article page would show it right now, without saving anything.

    The same two steps as a saved article: ``render_body`` (what saving stores) then
    ``finish_body`` (what the page fills in). Quotes are the *saved* quotes of `article`; a
    placed key without one is marked in the preview, where readers would see nothing.
    """
    if len(body) > MAX_PREVIEW_CHARS:
        raise EditorInputError(
            f"The body is too long to preview (over {MAX_PREVIEW_CHARS:,} characters)."
        )
    if "\x00" in body:
        # The form refuses NUL characters on save; the preview says so rather than guess.
        raise EditorInputError("The body contains a NUL character, which cannot be saved.")
    owner = article if article is not None else Article()
    rendered = rendering.render_body(
        body, resolve_article=owner._resolve_reference, resolve_images=existing_images
    )
    quotes: dict[str, ExpertQuote] = {}
    if article is not None and article.pk is not None:
        quotes = {q.key: q for q in article.quotes.select_related("expert")}
    linked = Article.objects.filter(pk__in=rendered.article_ids)
    if article is not None and article.pk is not None:
        # Saving drops a link to the article itself (see Article.save), so the page shows its
        # text only and the body check says nothing; the preview does the same.
        linked = linked.exclude(pk=article.pk)
    live = {a.pk: a.get_absolute_url() for a in linked.live().only("pk", "slug")}
    images = Image.objects.in_bulk(rendered.image_ids)
    html = rendering.finish_body(
        rendered.html, live_urls=live, quotes=quotes, images=images, missing_quote=_missing_quote
    )
    warnings = list(rendered.warnings) + reference_problems(
        placed_keys=rendered.quote_keys,
        quote_keys=quotes.keys(),
        not_live_titles=linked.exclude(pk__in=live).values_list("title", flat=True),
    )
    return BodyPreview(
        html=html,
        warnings=list(dict.fromkeys(warnings)),
        word_count=rendered.word_count,
        reading_minutes=rendering.reading_minutes(rendered.word_count),
    )


def _missing_quote(key: str) -> str:
    return format_html(
        '<figure class="expert-quote expert-quote--missing" data-missing-quote="{}">'
        "<p><strong>Quote “{}” is not shown:</strong> no saved quote of this article has this "
        "key. Quotes added below appear here once the article is saved.</p></figure>\n",
        key,
        key,
    )


# --- "Link to article" search -------------------------------------------------------------------


def articles_to_link(
    *, user: AbstractBaseUser, term: str, exclude: int | None = None
) -> list[dict]:
    """Up to SEARCH_LIMIT articles whose title or slug contains `term`, among those `user` may
    open (``visible_to``: editorial staff see drafts, which is where links are planned)."""
    term = term.strip()
    if len(term) > MAX_SEARCH_CHARS:
        raise EditorInputError(f"Search for at most {MAX_SEARCH_CHARS} characters.")
    if "\x00" in term:
        # PostgreSQL refuses NUL in a query parameter; no title contains one anyway.
        raise EditorInputError("The search contains a NUL character.")
    articles = Article.objects.visible_to(user)
    if term:
        articles = articles.filter(Q(title__icontains=term) | Q(slug__icontains=term))
    if exclude is not None:
        articles = articles.exclude(pk=exclude)
    rows = (
        articles.annotate(live_now=ExpressionWrapper(live_q(), output_field=BooleanField()))
        .order_by("-live_now", "title", "pk")
        .values("pk", "title", "slug", "status", "live_now")[:SEARCH_LIMIT]
    )
    labels = dict(Article._meta.get_field("status").choices)
    return [
        {
            "id": row["pk"],
            "title": row["title"],
            "slug": row["slug"],
            "status": row["status"],
            "status_label": labels.get(row["status"], row["status"]),
            "live": bool(row["live_now"]),
        }
        for row in rows
    ]


# --- widgets ----------------------------------------------------------------------------------


class BodyEditorWidget(AdminTextareaWidget):
    """The body textarea with the editor's toolbar above it and the preview pane beside it.

    The wrapper is rendered with the project's template engine: Django's default form renderer
    only sees app and django.forms templates, and ours live in templates/.
    """

    wrapper_template = "admin/articles/article/body_editor.html"

    def __init__(
        self,
        *,
        preview_url: str,
        search_url: str,
        image_search_url: str = "",
        image_add_url: str = "",
        article: Article | None = None,
        attrs: dict | None = None,
    ):
        super().__init__(attrs={"rows": 24, "spellcheck": "true", **(attrs or {})})
        self.preview_url = preview_url
        self.search_url = search_url
        self.image_search_url = image_search_url
        self.image_add_url = image_add_url
        self.article = article

    def render(self, name, value, attrs=None, renderer=None):
        textarea = super().render(name, value, attrs, renderer)
        saved = self.article is not None and self.article.pk is not None
        prefix = (attrs or {}).get("id") or f"id_{name}"
        return render_to_string(
            self.wrapper_template,
            {
                "textarea": textarea,
                "prefix": prefix,
                "preview_url": self.preview_url,
                "search_url": self.search_url,
                "image_search_url": self.image_search_url,
                "image_add_url": self.image_add_url,
                "article_id": self.article.pk if saved else "",
                "callout_kinds": rendering.callout_kinds().items(),
                "quote_keys": (
                    list(self.article.quotes.values_list("key", flat=True)) if saved else []
                ),
            },
        )


class CountedTextInput(AdminTextInputWidget):
    """A text input followed by "n / recommended characters", kept current by the editor's
    script; past the recommended length it says so in words, not only in colour."""

    def __init__(self, *, recommended: int, attrs: dict | None = None):
        super().__init__(attrs)
        self.recommended = recommended

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        counter_id = f"{widget_attrs.get('id') or 'id_' + name}-counter"
        described = widget_attrs.get("aria-describedby", "")
        widget_attrs["aria-describedby"] = f"{described} {counter_id}".strip()
        return context

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        input_id = (attrs or {}).get("id") or f"id_{name}"
        count = len(self.format_value(value) or "")
        over = count > self.recommended
        return format_html(
            '{}<span id="{}-counter" class="dossier-counter{}" data-counter-for="{}" '
            'data-recommended="{}" aria-live="polite">{}</span>',
            field,
            input_id,
            " dossier-counter--over" if over else "",
            input_id,
            self.recommended,
            counter_text(count, self.recommended),
        )


def counter_text(count: int, recommended: int) -> str:
    # static/js/article-editor.js writes the same words as the editor types.
    text = f"{count} / {recommended} characters"
    return f"{text}: longer than search results show" if count > recommended else text
