from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        # Which change refreshes which cached page: see core/cache_invalidation.py.
        from . import cache_invalidation

        cache_invalidation.connect()


class DossierAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Dossier's site (the editorial dashboard on the index page)."""

    default = False  # core's own config stays the default for "core"
    default_site = "core.admin_site.DossierAdminSite"
