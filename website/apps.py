from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = "Website"

    def ready(self) -> None:
        # Which change refreshes which cached page: see website/cache_rules.py.
        from . import cache_rules

        cache_rules.connect()


class DossierAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Dossier's site (the editorial dashboard on the index page)."""

    default = False  # WebsiteConfig stays the default for "website"
    default_site = "website.admin_site.DossierAdminSite"
