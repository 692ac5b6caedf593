from django.utils.functional import SimpleLazyObject

from .site import site_settings


def site(request) -> dict:
    """Site identity for every template, read only if a template uses it (pagecache/site.py)."""
    current = SimpleLazyObject(lambda: site_settings(request))
    return {
        "site": current,
        "site_name": SimpleLazyObject(lambda: current.site_name),
        "site_tagline": SimpleLazyObject(lambda: current.tagline),
    }
