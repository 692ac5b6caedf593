from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments and moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The thread, its count and the form on every published article's page: articles asks
        # the apps above it for sections rather than importing them (articles/views.py).
        from articles.views import add_published_page_section

        from .selectors import article_page_context

        add_published_page_section(article_page_context)
