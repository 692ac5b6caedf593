"""Staff logins by e-mail: the password reset from the admin's login page, and inviting a
writer, moderator or editor, whose invitation is a link to set their first password.

Both use Django's password-reset tokens (one link, valid PASSWORD_RESET_TIMEOUT, dead once the
password is set) and Django's views for setting the password, with our own templates
(templates/admin/password/) and messages (templates/emails/), sent through core.mail.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comments import guards
from core import mail
from core.http import client_ip

User = get_user_model()


def password_link(*, user: AbstractBaseUser, base: str) -> str:
    """The one-time link where `user` sets a password (Django's reset token)."""
    return mail.absolute(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        ),
        base=base,
    )


def may_get_password_link(user: AbstractBaseUser) -> bool:
    """Active staff with a password, or invited and not yet logged in (their password is
    unusable until they set one, and a lost invitation is replaced from the login page)."""
    return (
        user.is_active and user.is_staff and (user.has_usable_password() or user.last_login is None)
    )


def same_address(a: str, b: str) -> bool:
    def folded(value: str) -> str:
        return unicodedata.normalize("NFKC", value).casefold()

    return folded(a) == folded(b)


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form for staff logins only, sending our message through core.mail."""

    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={"invalid": "Enter an e-mail address such as name@example.org."},
    )

    def get_users(self, email):
        # The same answer whether or not anyone has this address: the page says "if". The
        # database's case-insensitive match is checked again after Unicode normalisation, as
        # Django's own form does, so a look-alike address (dotless ı for i) never matches.
        candidates = User._default_manager.filter(email__iexact=email)
        return (
            user
            for user in candidates
            if may_get_password_link(user) and same_address(email, user.email)
        )

    def save(self, *, request: HttpRequest | None = None, **kwargs) -> None:
        self.base = mail.site_url(request)
        super().save(request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None) -> None:  # fmt: skip
        user = context["user"]
        mail.send_after_commit(
            [
                mail.compose(
                    "password_reset",
                    {"user": user, "link": password_link(user=user, base=self.base)},
                    to=to_email,
                )
            ]
        )


# Django's views with our templates: each extends the admin's base, as its login page does.
SITE_HEADER, SITE_TITLE = "Dossier editorial", "Dossier"  # the admin site's too (admin_site.py)
HEADER = {"site_header": SITE_HEADER, "site_title": SITE_TITLE}
# Each request may send a message to a staff address: without a limit, anyone could flood
# an editor's inbox from the login page. Counted in the shared cache over the same window as the
# comment limits (COMMENTS_RATE_WINDOW_SECONDS), as comments.guards counts those.
RESET_LIMITS = {"password-reset-ip": 5, "password-reset-email": 3}
RESET_LIMITED = (
    "Several password links were asked for in a short time. Please wait a few minutes, then "
    "ask again; a link already sent keeps working."
)


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        identities = {
            "password-reset-ip": client_ip(self.request),
            "password-reset-email": form.cleaned_data["email"].lower(),
        }
        if any(
            identity and guards.over_limit(scope, identity, limit=RESET_LIMITS[scope])
            for scope, identity in identities.items()
        ):
            form.add_error(None, RESET_LIMITED)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        for scope, identity in identities.items():
            if identity:
                guards.count_post(scope, identity)
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    form_class=StaffPasswordResetForm,
    template_name="admin/password/reset_form.html",
    success_url=reverse_lazy("password_reset_done"),
    extra_context={**HEADER, "title": "Forgotten your password?"},
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="admin/password/reset_sent.html",
    extra_context={**HEADER, "title": "Check your e-mail"},
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="admin/password/set_password.html",
    success_url=reverse_lazy("password_reset_complete"),
    extra_context=HEADER,
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="admin/password/set_password_done.html",
    extra_context={**HEADER, "title": "Password set"},
)


# --- inviting staff --------------------------------------------------------------------------


class InviteForm(forms.Form):
    name = forms.CharField(
        max_length=150,
        label="Name",
        help_text="Their full name, as colleagues know them.",
        error_messages={"required": "Write their name."},
    )
    email = forms.EmailField(
        max_length=150,  # it becomes their username, which holds 150 characters
        label="E-mail address",
        help_text="The invitation goes here, and it is their username for logging in.",
        error_messages={
            "required": "Write their e-mail address.",
            "invalid": "Enter an e-mail address such as name@example.org.",
            "max_length": "This address is too long for a login (150 characters at most).",
        },
    )
    role = forms.ModelChoiceField(
        queryset=Group.objects.order_by("name"),
        label="Role",
        empty_label=None,
        help_text="What they may do: docs/editorial-workflow.md has the table of roles.",
        error_messages={"invalid_choice": "Choose one of the roles listed."},
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Write their name.")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = User._default_manager.filter(email__iexact=email).first() or (
            User._default_manager.filter(username__iexact=email).first()
        )
        if taken is not None:
            raise ValidationError(
                f"{email} already has a login (username “{taken.get_username()}”). Change its "
                "role under Users, or send a new password link from the login page.",
                code="taken",
            )
        return email


def invite_staff(*, name: str, email: str, role: Group, by: AbstractBaseUser, base: str):
    """Create a staff login for `email` in `role` with no password yet, and e-mail them the
    link to set one (sent once the login is committed)."""
    first, _, last = name.rpartition(" ")
    with transaction.atomic():
        user = User._default_manager.create_user(
            username=email,
            email=email,
            first_name=(first or last)[:150],
            last_name=(last if first else "")[:150],
            is_staff=True,
        )  # no password given: create_user makes it unusable
        user.groups.add(role)
        mail.send_after_commit(
            [
                mail.compose(
                    "invitation",
                    {
                        "user": user,
                        "name": name,
                        "role": role.name,
                        "by": by,
                        "link": password_link(user=user, base=base),
                        "login_url": mail.absolute(reverse("admin:index"), base=base),
                    },
                    to=email,
                )
            ]
        )
    return user
