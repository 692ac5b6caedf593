from django.core.management.base import BaseCommand, CommandError

from articles.models import Article


class Command(BaseCommand):
    help = (
        "Render every article body again (after changing callout kinds or upgrading the "
        "renderer). Only the derived fields are written; modification times are untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=200, help="Articles loaded per query (default 200)."
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        done = 0
        for article in Article.objects.order_by("pk").iterator(chunk_size=batch_size):
            # update_fields keeps modified_at (auto_now) out of the write on purpose: readers'
            # "updated" dates and editors' change lists should not move for a re-render.
            article.save(update_fields=["body"])
            done += 1
        self.stdout.write(f"Rendered {done} article bodies.")
