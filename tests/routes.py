"""The site's named public routes, read from the URLconf (the admin is not public)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

PRIVATE_NAMESPACES = {"admin"}


def public_route_names() -> set[str]:
    """Every named URL outside the admin, as "namespace:name"."""
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in PRIVATE_NAMESPACES:
                    continue
                namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                walk(entry.url_patterns, namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(f"{prefix}{entry.name}")

    walk(get_resolver().url_patterns, "")
    return names
