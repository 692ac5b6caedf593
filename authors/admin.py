from django.contrib import admin
from django.db.models import Count

from core.admin import MediaStoreErrors, PlainHelpText

from .models import Author, AuthorLink, Expert


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    extra = 0
    fields = ["label", "url", "sort_order"]


@admin.register(Author)
class AuthorAdmin(MediaStoreErrors, PlainHelpText, admin.ModelAdmin):
    list_display = ["name", "role", "user", "article_count"]
    list_select_related = ["user"]
    search_fields = ["name", "role"]
    ordering = ["name"]  # the annotation below drops Meta.ordering
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    inlines = [AuthorLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "user"]}),
        ("Biography", {"fields": ["short_bio", "bio"]}),
        ("Photo", {"fields": ["photo", "photo_alt"]}),
        ("Elsewhere", {"fields": ["website"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("bylines"))

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, author: Author) -> int:
        return author.n_articles


@admin.register(Expert)
class ExpertAdmin(PlainHelpText, admin.ModelAdmin):
    list_display = ["name", "credentials", "quote_count"]
    search_fields = ["name", "credentials"]
    ordering = ["name"]  # the annotation below drops Meta.ordering
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_quotes=Count("quotes"))

    @admin.display(description="quotes", ordering="n_quotes")
    def quote_count(self, expert: Expert) -> int:
        return expert.n_quotes
