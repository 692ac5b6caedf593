from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join

from .models import Article, Byline, ExpertQuote, RelatedLink, Status

STATUS_COLOURS = {
    Status.DRAFT: "#5f6368",
    Status.IN_REVIEW: "#8a5a00",
    Status.RETURNED: "#a50e0e",
    Status.PUBLISHED: "#137333",
    Status.UNPUBLISHED: "#5f6368",
    Status.ARCHIVED: "#3c4043",
}


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    min_num = 1
    autocomplete_fields = ["author"]
    fields = ["author", "sort_order"]
    verbose_name = "author"
    verbose_name_plural = "byline (in order)"

    def get_formset(self, request, obj=None, **kwargs):
        # min_num alone only shows a row; validate_min makes "at least one author" a rule.
        kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)


class ExpertQuoteInline(admin.StackedInline):
    model = ExpertQuote
    extra = 0
    autocomplete_fields = ["expert"]
    fields = [("expert", "key", "sort_order"), "text", ("context", "said_on"), "source_url"]


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "from_article"
    extra = 0
    autocomplete_fields = ["to_article"]
    fields = ["to_article", "lead_in", "sort_order"]
    verbose_name = "related article"
    verbose_name_plural = "related reading (curated, in order)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status_badge", "primary_topic", "byline", "publish_at", "modified_at"]
    list_filter = ["status", "primary_topic", "featured", "noindex", "bylines__author"]
    list_select_related = ["primary_topic__parent"]
    search_fields = ["title", "slug", "standfirst"]
    date_hierarchy = "publish_at"
    ordering = ["-modified_at"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["primary_topic", "topics"]
    inlines = [BylineInline, ExpertQuoteInline, RelatedLinkInline]
    readonly_fields = ["body_check", "body_statistics", "preview_link", "created_at", "modified_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "preview_link"]}),
        ("Body", {"fields": ["body", "body_check", "body_statistics"]}),
        ("Placement", {"fields": ["primary_topic", "topics", "tags", "featured"]}),
        (
            "Publishing",
            {"fields": ["status", "publish_at", "expire_at", "updated_at", "created_at",
                        "modified_at"]},
        ),
        (
            "Featured image",
            {"fields": ["featured_image", "featured_image_alt", "featured_image_credit"],
             "classes": ["collapse"]},
        ),
        (
            "Search engines",
            {"fields": ["seo_title", "meta_description", "canonical_url", "noindex"],
             "classes": ["collapse"]},
        ),
    ]  # fmt: skip

    def get_queryset(self, request):
        # The byline column would otherwise cost a query per row.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    @admin.display(description="status", ordering="status")
    def status_badge(self, article: Article) -> str:
        colour = STATUS_COLOURS.get(article.status, "#5f6368")
        return format_html(
            '<span class="dossier-badge" style="background:{}">{}</span>',
            colour,
            article.get_status_display(),
        )

    @admin.display(description="byline")
    def byline(self, article: Article) -> str:
        return ", ".join(b.author.name for b in article.bylines.all())

    @admin.display(description="body check")
    def body_check(self, article: Article) -> str:
        if article.pk is None:
            return "Save the article to check its body."
        problems = article.body_problems()
        if not problems:
            return "No problems found in the body."
        return format_html(
            '<ul class="dossier-warnings">{}</ul>',
            format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
        )

    @admin.display(description="size")
    def body_statistics(self, article: Article) -> str:
        return f"{article.word_count:,} words · {article.reading_minutes} min read"

    @admin.display(description="preview")
    def preview_link(self, article: Article) -> str:
        if article.pk is None:
            return "Save the article to preview it."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview the article as readers will '
            "see it</a> (drafts are shown to staff only, marked as a preview)",
            article.get_absolute_url(),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Quotes and links are saved after the article, so the body is checked only now.
        for problem in form.instance.body_problems():
            messages.warning(request, problem)


@admin.register(ExpertQuote)
class ExpertQuoteAdmin(admin.ModelAdmin):
    list_display = ["short_text", "expert", "article", "said_on"]
    list_select_related = ["expert", "article"]
    list_filter = ["expert"]
    search_fields = ["text", "expert__name", "article__title"]
    autocomplete_fields = ["expert", "article"]

    @admin.display(description="quote")
    def short_text(self, quote: ExpertQuote) -> str:
        return quote.text[:90] + ("…" if len(quote.text) > 90 else "")
