from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site pages, menus and redirects"
    default_auto_field = "django.db.models.BigAutoField"
