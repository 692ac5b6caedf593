from django.contrib import admin
from django.utils.html import conditional_escape

from .models import SiteSettings, SlugHistory


class PlainHelpText:
    """For a ModelAdmin: its model fields' help_text shown as the plain text it is.

    Django's admin prints help_text as HTML, so "/articles/<slug>/" showed as "/articles//".
    Help text marked safe on purpose is left as it is."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and formfield.help_text:
            formfield.help_text = conditional_escape(formfield.help_text)
        return formfield


@admin.register(SlugHistory)
class SlugHistoryAdmin(admin.ModelAdmin):
    """Old addresses that redirect. Read-only: entries are written when a slug changes."""

    list_display = ["slug", "content_type", "object_id", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row, created by a migration: it can be edited, not added or deleted."""

    fieldsets = [
        (None, {"fields": ["site_name", "tagline", "logo"]}),
        ("Publisher (for search engines)", {"fields": ["organisation_name", "organisation_url"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
