from django.conf import settings
from django.db import migrations


def create_row(apps, schema_editor):
    # The single settings row, seeded from the environment's defaults.
    SiteSettings = apps.get_model("core", "SiteSettings")
    SiteSettings.objects.get_or_create(
        pk=1,
        defaults={
            "site_name": settings.DOSSIER["SITE_NAME"],
            "tagline": settings.DOSSIER["SITE_TAGLINE"],
            "organisation_name": settings.DOSSIER["ORGANISATION_NAME"],
            "organisation_url": settings.DOSSIER["ORGANISATION_URL"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_site_settings")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
