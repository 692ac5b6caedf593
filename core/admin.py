from django.contrib import admin

from .models import SlugHistory


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
