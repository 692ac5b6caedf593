from django.contrib import admin

from articles.selectors import editorial_dashboard


class DossierAdminSite(admin.AdminSite):
    site_header = "Dossier editorial"
    site_title = "Dossier"
    index_title = "Newsroom"
    index_template = "admin/dossier_index.html"

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "dashboard": editorial_dashboard(user=request.user),
        }
        return super().index(request, extra_context)
