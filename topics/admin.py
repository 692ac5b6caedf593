from django.contrib import admin

from core.admin import PlainHelpText

from .models import Topic


@admin.register(Topic)
class TopicAdmin(PlainHelpText, admin.ModelAdmin):
    list_display = ["name", "parent", "pillar_article"]
    list_select_related = ["parent", "pillar_article"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "pillar_article"]
