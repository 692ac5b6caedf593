"""The inlines on the article form: byline, expert quotes, related reading, activity."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from ..models import ArticleActivity, Byline, ExpertQuote, RelatedLink


class BylineFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        # The same rule the workflow applies when publishing (workflow.MissingByline).
        "too_few_forms": "Add at least one author to the byline.",
    }


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
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


class ActivityInline(admin.TabularInline):
    """The article's activity log: read-only, newest first."""

    model = ArticleActivity
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "action", "from_status", "to_status", "reason"]
    readonly_fields = fields
    verbose_name = "activity"
    verbose_name_plural = "activity log"
    classes = ["collapse"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "from_article"
    extra = 0
    autocomplete_fields = ["to_article"]
    fields = ["to_article", "lead_in", "sort_order"]
    verbose_name = "related article"
    verbose_name_plural = "related reading (curated, in order)"
