from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.selectors import editorial_dashboard
from comments.selectors import moderation_counts
from core import mail

from .accounts import SITE_HEADER, SITE_TITLE, InviteForm, invite_staff


class LoginForm(AdminAuthenticationForm):
    """Django's admin login, with the username's length checked before any login attempt.

    Django sets the field's max_length from the user model but validates nothing, so an overlong
    name reached the lockout records (a 255-character column) and failed there on PostgreSQL.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


# Apps that configure or guard the site rather than make its content: on the index and in the
# sidebar they are one section after the editorial ones, in this order, each keeping its models
# (and their pages) as they are; an app's own index page (/admin/axes/) is unchanged.
SETTINGS_AND_SECURITY = ("core", "auth", "taggit", "axes")
SETTINGS_SECTION = "settings-and-security"


class DossierAdminSite(admin.AdminSite):
    site_header = SITE_HEADER
    site_title = SITE_TITLE
    index_title = "Newsroom"
    index_template = "admin/dossier_index.html"
    login_form = LoginForm

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list
        editorial = [app for app in app_list if app["app_label"] not in SETTINGS_AND_SECURITY]
        by_label = {app["app_label"]: app for app in app_list}
        settings = [
            model
            for label in SETTINGS_AND_SECURITY
            if label in by_label
            for model in by_label[label]["models"]
        ]
        if not settings:
            return editorial
        section = {
            "name": "Settings and security",
            "app_label": SETTINGS_SECTION,
            # No page of its own: the link leads to the section on the index. Never empty, or
            # Django's sidebar would mark it as the current section on every page.
            "app_url": reverse("admin:index", current_app=self.name) + f"#{SETTINGS_SECTION}",
            "has_module_perms": True,
            "models": settings,
        }
        return [*editorial, section]

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "dashboard": editorial_dashboard(user=request.user),
            "moderation": moderation_counts()
            if request.user.has_perm("comments.view_comment")
            else None,
        }
        return super().index(request, extra_context)

    # --- inviting staff ------------------------------------------------------------------

    def get_urls(self):
        return [
            path("invite/", self.admin_view(self.invite_view), name="invite"),
            *super().get_urls(),
        ]

    @staticmethod
    def may_invite(request) -> bool:
        return request.user.has_perms(["auth.add_user", "auth.change_user"])

    def invite_view(self, request):
        """One page instead of Django's two (add user, then change it): name, address, role;
        the person sets their own password from the e-mailed link."""
        if not self.may_invite(request):
            raise PermissionDenied
        form = InviteForm(request.POST or None)
        user = None
        if request.method == "POST" and form.is_valid():
            try:
                user = invite_staff(
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                    base=mail.site_url(request),
                )
            except IntegrityError:
                # Someone invited the same address between the form's check and the save.
                form.add_error("email", f"{form.cleaned_data['email']} already has a login.")
        if user is not None:
            messages.success(
                request,
                f"{form.cleaned_data['name']} is invited as one of the "
                f"{form.cleaned_data['role'].name}: an e-mail to {user.email} has the link to "
                "set their password (it works once, for "
                f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days).",
            )
            return redirect(
                reverse("admin:auth_user_change", args=[user.pk], current_app=self.name)
            )
        context = {
            **self.each_context(request),
            "title": "Invite a writer, moderator or editor",
            "form": form,
        }
        return TemplateResponse(
            request, "admin/invite.html", context, status=400 if form.errors else 200
        )
