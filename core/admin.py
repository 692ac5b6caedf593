from django.contrib import admin

from .models import SiteSettings, SlugHistory


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
