"""The media library in the admin: upload, find, describe and see where each image is used.

Usage comes from images.usage (recorded by the apps placing images when they save), read for a
whole page of the list at once. The article editor's "Insert image" searches through
``search_view`` (static/js/article-editor.js).
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms import Script
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.admin import PlainHelpText

from . import search, usage
from .models import Image


@admin.register(Image)
class ImageAdmin(PlainHelpText, admin.ModelAdmin):
    class Media:
        css = {"all": ["css/admin.css"]}
        # Click the preview to set the focal point (a static file: the CSP allows no inline
        # script); the two number fields work without it.
        js = [Script("js/image-focus.js", defer=True)]

    list_display = ["thumbnail", "title", "alt", "credit", "size", "used", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    search_fields = ["title", "alt", "credit", "keywords"]
    search_help_text = "Searches the title, description, credit and keywords."
    date_hierarchy = "uploaded_at"
    ordering = ["-uploaded_at", "-pk"]
    readonly_fields = ["preview", "size", "usage_list", "uploaded_at", "modified_at"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "title", "alt", "credit", "keywords"]}),
        (
            "Focal point",
            {
                "fields": ["focal_x", "focal_y"],
                "description": "Optional. Click the subject in the preview above, or type the "
                "percentages. Crops to a fixed shape, such as the share card social networks "
                "show, are cut around it.",
            },
        ),
        ("Where it is used", {"fields": ["usage_list"]}),
        (None, {"fields": ["size", "uploaded_at", "modified_at"]}),
    ]

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)

        class WithUsage(changelist):
            """Reads the usage of the page's images in one go (a query per source), not per
            row."""

            def get_results(self, request):
                super().get_results(request)
                found = usage.uses_of([image.pk for image in self.result_list])
                for image in self.result_list:
                    image.uses = found.get(image.pk, [])

        return WithUsage

    # --- columns and read-only fields ---------------------------------------------------

    @admin.display(description="image")
    def thumbnail(self, image: Image) -> str:
        if not image.file:
            return "—"
        return format_html(
            '<img class="dossier-thumbnail" src="{}" alt="" width="96" loading="lazy">',
            image.thumbnail_url,
        )

    @admin.display(description="preview")
    def preview(self, image: Image) -> str:
        if image.pk is None or not image.file:
            return "Choose a file and save to see the image here."
        # The marker is placed by static/js/image-focus.js: the CSP refuses style attributes.
        return format_html(
            '<div class="dossier-focus" data-focus-x="id_focal_x" data-focus-y="id_focal_y"'
            ' data-x="{}" data-y="{}"><img src="{}" alt="{}" width="{}" height="{}"></div>',
            "" if image.focal_x is None else image.focal_x,
            "" if image.focal_y is None else image.focal_y,
            image.url,
            image.alt,
            image.width or "",
            image.height or "",
        )

    @admin.display(description="size")
    def size(self, image: Image) -> str:
        if not image.width:
            return "—"
        return f"{image.width} × {image.height} px"

    @admin.display(description="used in")
    def used(self, image: Image) -> str:
        uses = getattr(image, "uses", [])
        if not uses:
            return "not used"
        count = len({use.admin_url for use in uses})
        return f"{count} article" if count == 1 else f"{count} articles"

    @admin.display(description="used in")
    def usage_list(self, image: Image) -> str:
        if image.pk is None:
            return "Not used yet."
        uses = usage.uses_of([image.pk]).get(image.pk, [])
        if not uses:
            return "Not used in any article yet."
        return format_html(
            '<ul class="dossier-usage">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                ((use.admin_url, use.label, use.place) for use in uses),
            ),
        )

    # --- deleting: say what happens to the articles using it -------------------------------

    def get_deleted_objects(self, objs, request):
        """An image placed in bodies may go (those bodies then show nothing in its place and
        their body check says so); a featured image may not until its articles choose another,
        so those articles are listed as protecting it."""
        images = list(objs)
        found = usage.uses_of([image.pk for image in images])
        to_delete, protected = [], []
        for image in images:
            uses = found.get(image.pk, [])
            in_bodies = [use for use in uses if not use.protects]
            note = (
                format_html(
                    " (placed in the body of {}: nothing will show there)",
                    format_html_join(", ", "“{}”", ((use.label,) for use in in_bodies)),
                )
                if in_bodies
                else ""
            )
            to_delete.append(format_html("{}{}", str(image), note))
            protected += [
                format_html(
                    '<a href="{}">{}</a> uses “{}” as its featured image: choose another first',
                    use.admin_url,
                    use.label,
                    str(image),
                )
                for use in uses
                if use.protects
            ]
        count = {Image._meta.verbose_name_plural: len(images)} if images else {}
        perms_needed = set() if self.has_delete_permission(request) else {"image"}
        return to_delete, count, perms_needed, protected

    # --- the editor's search ------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "search/",
                self.admin_site.admin_view(self.search_view),
                name="images_image_search",
            ),
            *super().get_urls(),
        ]

    def search_view(self, request):
        """Library images for the article editor's "Insert image", as JSON."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            results = search.images_to_insert(term=request.GET.get("q", ""))
        except search.ImageSearchError as error:
            return JsonResponse({"error": str(error)}, status=400)
        return JsonResponse({"results": results, "add_url": reverse("admin:images_image_add")})
