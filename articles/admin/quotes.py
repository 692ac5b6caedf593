from __future__ import annotations

from django.contrib import admin

from .. import workflow
from ..models import ExpertQuote


@admin.register(ExpertQuote)
class ExpertQuoteAdmin(admin.ModelAdmin):
    list_display = ["short_text", "expert", "article", "said_on"]
    list_select_related = ["expert", "article"]
    list_filter = ["expert"]
    search_fields = ["text", "expert__name", "article__title"]
    autocomplete_fields = ["expert", "article"]

    # Quotes belong to articles: the article's editing rules apply to them here too.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm(
            "articles.edit_any_article"
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or workflow.may_edit(article=obj.article, user=request.user)
        )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or workflow.may_edit(article=obj.article, user=request.user)
        )

    @admin.display(description="quote")
    def short_text(self, quote: ExpertQuote) -> str:
        return quote.text[:90] + ("…" if len(quote.text) > 90 else "")
