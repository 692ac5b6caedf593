"""The public forms readers send. Every limit here is also a defence: see docs/security.md."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.forms import public_form_renderer

from . import text
from .guards import FormTiming
from .models import ReportReason

TIMING_MESSAGES = {
    FormTiming.TOO_FAST: "That was quick. Please read your text once more, then send it again.",
    FormTiming.EXPIRED: "This form was open for a long time. Please send it again.",
    FormTiming.MISSING: "This form could not be checked. Please send it again.",
}


class GuardedForm(forms.Form):
    """A public form with a honeypot field and a signed note of when it was shown."""

    default_renderer = public_form_renderer

    # Hidden from people by CSS and from screen readers by aria-hidden; bots fill in every field.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    opened = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each showing gets a fresh stamp, including a form shown again with errors.
        self.fresh_stamp = FormTiming.issue()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError("This form could not be accepted.", code="honeypot")
        problem = FormTiming.problem(cleaned.get("opened") or "")
        if problem:
            raise ValidationError(TIMING_MESSAGES[problem], code=problem)
        return cleaned


def clean_text(value: str, *, label: str) -> str:
    value = text.clean_input(value)
    if not value:
        raise ValidationError(f"Please write your {label}.", code="required")
    return value


class CommentForm(GuardedForm):
    name = forms.CharField(
        max_length=80,
        label="Your name",
        help_text="Shown with your comment.",
        error_messages={"required": "Please write your name."},
    )
    email = forms.EmailField(
        required=False,
        label="E-mail (optional)",
        help_text="Never shown. Moderators may use it to reach you about your comment.",
    )
    notify_replies = forms.BooleanField(
        required=False,
        label="E-mail me when the editors reply",
        help_text="Only to the address above, once for each reply; nothing else.",
    )
    body = forms.CharField(
        label="Comment",
        max_length=settings.COMMENTS["MAX_BODY_LENGTH"],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text. Links are allowed but limited; all comments are moderated.",
        error_messages={"required": "Please write your comment."},
    )
    # Replies are answered to one approved, top-level comment; the view checks which.
    reply_to = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    field_order = ["name", "email", "notify_replies", "body", "website", "opened", "reply_to"]

    def clean_name(self) -> str:
        return clean_text(self.cleaned_data["name"], label="name")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("notify_replies")
            and not cleaned.get("email")
            and "email" not in self.errors
        ):
            self.add_error(
                "email",
                ValidationError(
                    "Write your e-mail address to be told of replies, or untick the box.",
                    code="email_for_replies",
                ),
            )
        return cleaned

    def clean_body(self) -> str:
        body = clean_text(self.cleaned_data["body"], label="comment")
        links = len(text.link_hosts(text.render_plain_text(body)))
        limit = settings.COMMENTS["MAX_LINKS"]
        if links > limit:
            raise ValidationError(
                f"Please keep to {limit} links or fewer (this comment has {links}).",
                code="too_many_links",
            )
        return body


class ReportForm(GuardedForm):
    reason = forms.ChoiceField(
        choices=ReportReason.choices, widget=forms.RadioSelect, label="What is wrong?"
    )
    details = forms.CharField(
        required=False,
        max_length=1000,
        label="Details (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What should a moderator look at?",
    )

    field_order = ["reason", "details", "website", "opened"]

    def clean_details(self) -> str:
        return text.clean_input(self.cleaned_data["details"])
