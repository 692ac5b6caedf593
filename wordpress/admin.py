from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html

from .forms import ImportForm
from .importer import import_wxr
from .models import ImportedItem

IMPORT_PERMISSION = "wordpress.import_wxr"


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    """What came from WordPress (read only: the rows are what keeps imports idempotent and old
    addresses redirecting), and the page that imports an export."""

    list_display = ["__str__", "kind", "wp_slug", "target_link", "old_path", "imported_at"]
    list_filter = ["kind", "site"]
    search_fields = ["wp_slug", "old_path"]
    list_select_related = ["article", "topic", "author", "tag", "comment"]
    change_list_template = "admin/wordpress/importeditem/change_list.html"

    @admin.display(description="Became")
    def target_link(self, item: ImportedItem) -> str:
        target = item.target
        if target is None:
            return item.file or "—"
        info = (target._meta.app_label, target._meta.model_name)
        try:
            url = reverse("admin:{}_{}_change".format(*info), args=[target.pk])
        except NoReverseMatch:  # a model without an admin page (taggit's tags)
            return str(target)
        return format_html('<a href="{}">{}</a>', url, target)

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Every field shown as text: a form field for the comment would list every comment
        # (and in their moderation order, which only their own admin's queryset provides).
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or self.may_import(request)

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) or self.may_import(request)

    @staticmethod
    def may_import(request) -> bool:
        return request.user.is_active and request.user.has_perm(IMPORT_PERMISSION)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="wordpress_importeditem_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import": self.may_import(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Upload an export, optionally as a dry run; the same import as the command."""
        if not self.may_import(request):
            raise PermissionDenied
        summary = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            summary = import_wxr(
                export=form.cleaned_data["export"],
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            if summary.dry_run:
                messages.info(request, "Dry run: nothing was saved. This is what would happen.")
            else:
                messages.success(request, "The export was imported. The summary is below.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import from WordPress",
            "form": form,
            "summary": summary,
        }
        return TemplateResponse(request, "admin/wordpress/import.html", context)
