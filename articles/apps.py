from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from images import usage
        from images.models import Image
        from pagecache import schedule

        from . import clusters, library, revisions
        from .models import Article

        revisions.register_models()
        # The topics' clusters follow further topics and topics' parents (articles/clusters.py).
        clusters.connect()
        # Stored pages end when the next article goes live or expires (pagecache/schedule.py).
        schedule.register(Article.objects.next_scheduled_change)
        # The media library shows where articles use its images, and featured images follow
        # changes to theirs (articles/library.py).
        usage.add_usage_source(library.article_uses)
        post_save.connect(
            library.library_image_saved, sender=Image, dispatch_uid="articles.library_image"
        )
