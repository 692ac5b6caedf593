from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator

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


class DossierAdminSite(admin.AdminSite):
    site_header = "Dossier editorial"
    site_title = "Dossier"
    index_title = "Newsroom"
    index_template = "admin/dossier_index.html"
    login_form = LoginForm

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "dashboard": editorial_dashboard(user=request.user),
            "moderation": moderation_counts()
            if request.user.has_perm("comments.view_comment")
            else None,
        }
        return super().index(request, extra_context)
