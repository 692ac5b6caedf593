"""Site pages, the menus and redirects in the admin (docs/authoring.md explains them)."""

from __future__ import annotations

import copy

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles import editor
from core.admin import PlainHelpText

from .models import Menu, MenuItem, Page, Redirect, SlugRedirect


@admin.register(Page)
class PageAdmin(PlainHelpText, admin.ModelAdmin):
    list_display = ["title", "address", "status", "modified_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["body_check", "created_at", "modified_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "status"]}),
        ("Body", {"fields": ["body", "body_check"]}),
        (
            "Search engines",
            {"fields": ["seo_title", "meta_description", "noindex"], "classes": ["collapse"]},
        ),
        (None, {"fields": ["created_at", "modified_at"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/article-editor.js"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The article body's editor (toolbar, live preview, "Link to article"): the same
        # Markdown renders the same way. It previews without an article, so with no quotes.
        widgets = {
            **kwargs.pop("widgets", {}),
            "body": editor.BodyEditorWidget(
                preview_url=reverse("admin:articles_article_editor_preview"),
                search_url=reverse("admin:articles_article_editor_search"),
            ),
        }
        return super().get_form(request, obj, change, widgets=widgets, **kwargs)

    @admin.display(description="address", ordering="slug")
    def address(self, page: Page) -> str:
        return page.get_absolute_url()

    @admin.display(description="problems in the body")
    def body_check(self, page: Page) -> str:
        problems = list(page.body_warnings)
        if page.pk and page.body_article_ids:
            from articles.models import Article

            not_live = Article.objects.filter(pk__in=page.body_article_ids).exclude(
                pk__in=Article.objects.live()
            )
            problems += [
                f"The link to “{title}” shows as plain text until that article is live."
                for title in not_live.values_list("title", flat=True)
            ]
        if not problems:
            return "None found." if page.pk else "Checked when you save."
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems))
        )


class MenuItemInline(admin.TabularInline):
    model = MenuItem
    extra = 1
    fields = ["sort_order", "label", "page", "article", "topic", "section", "url"]
    # Site pages are few: a plain list to pick from. Articles and topics are searched.
    autocomplete_fields = ["article", "topic"]
    verbose_name = "link"
    verbose_name_plural = "links (lower “sort order” first; each links to one thing)"


@admin.register(Menu)
class MenuAdmin(admin.ModelAdmin):
    """The header and footer menus: made by a migration, edited here, never added or
    deleted (the page has one place for each)."""

    list_display = ["__str__", "link_count"]
    inlines = [MenuItemInline]
    fields = ["location"]
    readonly_fields = ["location"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(links=Count("items"))

    @admin.display(description="links")
    def link_count(self, menu: Menu) -> int:
        return menu.links

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Redirect)
class RedirectAdmin(PlainHelpText, admin.ModelAdmin):
    list_display = ["old_path", "leads_to", "status", "note", "modified_at"]
    list_filter = ["status"]
    list_select_related = ["page", "article"]
    search_fields = ["old_path", "url", "note"]
    autocomplete_fields = ["page", "article"]
    fieldsets = [
        (None, {"fields": ["old_path", "status", "note"]}),
        (
            "Where readers are sent (one of these)",
            {"fields": ["page", "article", "url"]},
        ),
    ]

    @admin.display(description="leads to")
    def leads_to(self, redirect: Redirect) -> str:
        target = redirect.target_path()
        return format_html('{} <a href="{}">{}</a>', redirect.target_description(), target, "↗")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "slug_redirects_url": reverse("admin:pages_slugredirect_changelist"),
        }
        return super().changelist_view(request, extra_context)


class SlugRedirectChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        attach_targets(self.result_list)


def attach_targets(entries) -> None:
    """Each entry's current object as `entry.target` (None when it is gone): one query per
    kind of object on the page, not one per row."""
    by_model: dict = {}
    for entry in entries:
        by_model.setdefault(entry.content_type, set()).add(entry.object_id)
    found = {}
    for content_type, ids in by_model.items():
        model = content_type.model_class()
        if model is not None:
            for pk, obj in model._default_manager.in_bulk(ids).items():
                found[content_type.pk, pk] = obj
    for entry in entries:
        entry.target = found.get((entry.content_type_id, entry.object_id))


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    """The redirects the site keeps by itself when a slug changes, listed beside the manual
    ones. Read-only: they follow the objects (rename one to change them)."""

    list_display = ["old_address", "now_at", "kind", "created_at"]
    list_filter = ["content_type"]
    list_select_related = ["content_type"]
    search_fields = ["slug"]
    ordering = ["-created_at"]

    def get_changelist(self, request, **kwargs):
        return SlugRedirectChangeList

    @admin.display(description="old address", ordering="slug")
    def old_address(self, entry: SlugRedirect) -> str:
        target = getattr(entry, "target", None)
        if target is None:
            return entry.slug
        was = copy.copy(target)
        was.slug = entry.slug
        return was.get_absolute_url()

    @admin.display(description="now at")
    def now_at(self, entry: SlugRedirect) -> str:
        target = getattr(entry, "target", None)
        if target is None:
            return "(deleted)"
        url = target.get_absolute_url()
        return format_html('<a href="{}">{}</a> ({})', url, url, target)

    @admin.display(description="kind", ordering="content_type")
    def kind(self, entry: SlugRedirect) -> str:
        return entry.content_type.name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
