from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from articles.selectors import editorial_dashboard
from comments.selectors import moderation_counts


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
    site_header = "Dossier editorial"
    site_title = "Dossier"
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
