"""The article form the admin edits."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from .. import workflow
from ..models import Article


class ArticleAdminForm(forms.ModelForm):
    # The version the editor loaded; a save from an older version is refused (no lost edits).
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 -- the admin narrows this to its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        # A new upload is an uploaded file; the image already stored is a FieldFile.
        upload = self.files.get("featured_image") if self.files else None
        if cleaned.get("featured_library_image") and upload:
            # The library's image would win and the upload be dropped without a word.
            self.add_error(
                "featured_image",
                "Choose a library image or upload one for this article, not both.",
            )
        if self.instance.pk is None:
            return cleaned
        expected = cleaned.get("expected_version")
        if expected is None:
            # The service lets its own callers skip the check; a form never may.
            raise ValidationError(
                "This form is missing the version it was opened at, so it cannot be checked "
                "against other people's changes. Reload the page and make your change again.",
                code="missing_version",
            )
        try:
            # The admin wraps the whole request in a transaction, so the lock check_version
            # takes holds until the save: nobody can slip a save in between.
            workflow.check_version(article=self.instance, expected_version=expected)
        except workflow.EditConflict:
            raise ValidationError(
                format_html(
                    "Someone else saved this article after you opened it, so your changes were "
                    'not saved. <a href="{}" target="_blank" rel="noopener">Open the latest '
                    'version in a new tab</a> and its <a href="{}" target="_blank" '
                    'rel="noopener">history</a> to see what changed, then copy your changes '
                    "across.",
                    reverse("admin:articles_article_change", args=[self.instance.pk]),
                    reverse("admin:articles_article_history", args=[self.instance.pk]),
                ),
                code="edit_conflict",
            ) from None
        return cleaned
