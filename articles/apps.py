from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        from pagecache import schedule

        from . import revisions
        from .models import Article

        revisions.register_models()
        # Stored pages end when the next article goes live or expires (pagecache/schedule.py).
        schedule.register(Article.objects.next_scheduled_change)
