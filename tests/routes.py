"""The site's named public routes, read from the URLconf (the admin is not public)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

PRIVATE_NAMESPACES = {"admin"}
# The admin's password pages: outside its namespace only because Django's admin and auth views
# reverse them by these bare names (website/account_urls.py); tests/website/test_accounts.py.
PRIVATE_URLCONFS = {"website.account_urls"}


def public_route_names() -> set[str]:
    """Every named URL outside the admin, as "namespace:name"."""
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                module = getattr(entry.urlconf_name, "__name__", entry.urlconf_name)
                if entry.namespace in PRIVATE_NAMESPACES or module in PRIVATE_URLCONFS:
                    continue
                namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                walk(entry.url_patterns, namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(f"{prefix}{entry.name}")

    walk(get_resolver().url_patterns, "")
    return names
