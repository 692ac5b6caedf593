from django.contrib import admin
from django.utils.datastructures import MultiValueDict
from django.utils.html import conditional_escape

from .models import SiteSettings, SlugHistory
from .storage import MediaStoreUnavailable, media_store

MEDIA_STORE_DOWN_SHORT = "The media store is not answering: try again in a few minutes."
MEDIA_STORE_DOWN = (
    "The image could not be stored: the media store is not answering. Nothing was saved, and "
    "what you typed is still here. Choose the file again and save to retry, or save without it."
)


class MediaStoreErrors:
    """For a ModelAdmin whose model stores uploads: a media store that cannot be reached while
    saving becomes an error on the form, shown with everything the editor typed, instead of a
    500 that loses it.

    The admin saves inside a transaction, so when the store fails nothing of the save is kept.
    The form is then shown again from the same POST, without its files (the browser must send
    them again anyway), carrying the error on each file field that had been given a file."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except MediaStoreUnavailable:
            if request.method != "POST":
                raise
            request.media_store_failed_fields = set(request.FILES) or {None}
            request._files = MultiValueDict()
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # A file field without renditions is written by Django's FileField.pre_save, with the
        # backend's own errors; the models with renditions already raise MediaStoreUnavailable.
        with media_store():
            super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        failed = getattr(request, "media_store_failed_fields", None)
        if not failed:
            return form

        def clean(self):
            cleaned = super(with_error, self).clean()
            for field in failed:
                self.add_error(field if field in self.fields else None, MEDIA_STORE_DOWN)
            return cleaned

        with_error = type(form.__name__, (form,), {"clean": clean})
        return with_error


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
class SiteSettingsAdmin(MediaStoreErrors, admin.ModelAdmin):
    """One row, created by a migration: it can be edited, not added or deleted."""

    fieldsets = [
        (None, {"fields": ["site_name", "tagline", "logo"]}),
        ("Publisher (for search engines)", {"fields": ["organisation_name", "organisation_url"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
