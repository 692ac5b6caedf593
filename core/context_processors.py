from django.conf import settings


def site(request) -> dict:
    """Site identity for every template; reads settings only, never the database."""
    return {
        "site_name": settings.DOSSIER["SITE_NAME"],
        "site_tagline": settings.DOSSIER["SITE_TAGLINE"],
    }
