from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat

from .wxr import WXRError, parse

# Larger sites take longer than a web request may run: they use the command (docs/import.md).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="WordPress export file",
        help_text=f"The .xml file from WordPress's Tools → Export, at most "
        f"{filesizeformat(MAX_UPLOAD_BYTES)}.",
    )
    dry_run = forms.BooleanField(
        label="Dry run",
        required=False,
        initial=True,
        help_text="Show what the import would do, and save nothing.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; the import page takes at most "
                f"{filesizeformat(MAX_UPLOAD_BYTES)}. Import larger sites with "
                "“manage.py import_wxr” (see docs/import.md)."
            )
        try:
            self.cleaned_data["export"] = parse(upload.read())
        except WXRError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
