"""The media library: articles record the library images their bodies place and may feature
one; featured images uploaded to articles before the library move into it.

Moving makes one library image per uploaded file (articles sharing a file share the image),
with the article's description and credit, pointing at the same stored file and the same
renditions: nothing is copied or re-encoded. Going back leaves the files on the articles, as
before.
"""

import posixpath

import django.db.models.deletion
from django.db import migrations, models


FIELDS = (
    "pk", "featured_image", "featured_image_alt", "featured_image_credit", "featured_image_width",
    "featured_image_height", "featured_image_renditions",
)


def move_featured_images_into_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("images", "Image")
    library = {}
    # Rows as values, not instances: an image field without its size reads the file when an
    # instance is made, and a file gone from storage would stop the migration.
    uploaded = (
        Article.objects.filter(featured_library_image__isnull=True)
        .exclude(featured_image="")
        .order_by("pk")
        .values(*FIELDS)
    )
    for row in uploaded.iterator():
        name = row["featured_image"]
        image = library.get(name)
        if image is None:
            try:
                image = Image.objects.create(
                    file=name,
                    title=posixpath.splitext(posixpath.basename(name))[0][:200],
                    # An image without a description is still moved; the library's form asks
                    # for one the next time it is edited.
                    alt=row["featured_image_alt"],
                    credit=row["featured_image_credit"],
                    width=row["featured_image_width"],
                    height=row["featured_image_height"],
                    renditions=row["featured_image_renditions"] or {},
                )
            except OSError:
                # Its size unknown and its file gone: the article keeps its image as it was.
                continue
            library[name] = image
        renditions = {**(row["featured_image_renditions"] or {}), "library_image": image.pk}
        # Historical models have no custom save(): the copy Article.copy_library_image() keeps
        # is written here as it would write it.
        Article.objects.filter(pk=row["pk"]).update(
            featured_library_image=image,
            featured_image_alt=image.alt,
            featured_image_credit=image.credit,
            featured_image_renditions=renditions,
        )


def leave_files_on_articles(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    chosen = Article.objects.filter(featured_library_image__isnull=False)
    for row in chosen.values("pk", "featured_image_renditions").iterator():
        renditions = dict(row["featured_image_renditions"] or {})
        renditions.pop("library_image", None)
        Article.objects.filter(pk=row["pk"]).update(
            featured_library_image=None, featured_image_renditions=renditions
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0016_kept_cards'),
        ('images', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='body_images',
            field=models.ManyToManyField(blank=True, editable=False, help_text='Library images the body places; kept in step with the body on save.', related_name='placed_in', to='images.image'),
        ),
        migrations.AddField(
            model_name='article',
            name='featured_library_image',
            field=models.ForeignKey(blank=True, help_text='Shown above the article, on its card in lists and when it is shared. Choose from the media library, or upload a new image with “+”. Its description, credit and focal point are edited in the library.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='featured_in', to='images.image', verbose_name='featured image'),
        ),
        migrations.AlterField(
            model_name='article',
            name='body',
            field=models.TextField(blank=True, default='', help_text='Markdown. Callouts: “::: insight” … “:::”. Quotes: a line “[[quote:key]]”. Library images: a line “[[image:42]]”. Links to other articles: [text](article:their-slug). See docs/authoring.md.'),
        ),
        migrations.RunPython(move_featured_images_into_library, leave_files_on_articles),
    ]
