from django.utils.functional import SimpleLazyObject

from .models import SiteSettings


def site(request) -> dict:
    """Site identity for every template: one query per page, made only if a template uses it."""
    current = SimpleLazyObject(lambda: SiteSettings.for_request(request))
    return {
        "site": current,
        "site_name": SimpleLazyObject(lambda: current.site_name),
        "site_tagline": SimpleLazyObject(lambda: current.tagline),
    }
