from django.core.management.base import BaseCommand
from django.db import connection

from articles.models import Article, search_vector_expression


class Command(BaseCommand):
    help = (
        "Rebuild the search data of every article: the plain text of bodies that lack it, "
        "then (on PostgreSQL) every search vector in one statement."
    )

    def handle(self, *args, **options):
        missing = Article.objects.filter(body_text="").exclude(body="")
        rendered = 0
        for article in missing.iterator(chunk_size=200):
            article.save(update_fields=["body"])  # derives body_text and the vector
            rendered += 1
        if connection.vendor == "postgresql":
            updated = Article.objects.update(search_vector=search_vector_expression())
            self.stdout.write(f"Rendered {rendered} bodies; rebuilt {updated} search vectors.")
        else:
            self.stdout.write(
                f"Rendered {rendered} bodies. SQLite has no search vectors: search reads the "
                "text columns directly."
            )
