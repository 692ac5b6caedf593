"""Addresses editors type: the old path of a redirect, where it leads, a site page's slug.

What is accepted, and why (docs/authoring.md, "Redirects", says it for editors):

- An **old path** is a path on this site. Editors paste it as they find it: with or without
  the leading slash, percent-encoded (``/%D1%81%D1%82…/``) or as text (``/старое/``), or as a
  whole address (``https://example.org/old/``, of which the path is kept). It is stored as
  Django reads a request's path (decoded text), so non-Latin paths match. A query string or
  fragment is refused: redirects match the path only, and saying so beats ignoring it.
- A **target URL** is either a path on this site (``/topics/``, one leading slash) or an
  absolute ``http://`` or ``https://`` address with a host, which the editor typed on purpose.
  Everything else is refused: other schemes (``javascript:``, ``data:``, ``mailto:`` …),
  protocol-relative addresses (``//evil.example``, which browsers read as another host, and
  ``/\\evil.example``, which they read the same way), addresses with a user name
  (``https://ours@evil.example`` reads as ours and leads elsewhere), relative paths
  (``about/``, whose meaning depends on the page), and whitespace or control characters
  (browsers drop some, so ``java\\nscript:`` would run). Non-Latin host names are stored in
  their ASCII (punycode) form, which every browser understands in a Location header.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http.request import validate_host
from django.urls import URLPattern, URLResolver, get_resolver

MAX_PATH_LENGTH = 500
MAX_URL_LENGTH = 2000
# Whitespace and control characters, including the ones browsers silently drop from URLs.
UNSAFE_CHARACTERS = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")


def normalise_old_path(value: str) -> str:
    """The path a redirect answers, as request.path_info reads it, or ValidationError."""
    value = value.strip()
    if not value:
        raise ValidationError("Give the old address, e.g. /old-page/.")
    if UNSAFE_CHARACTERS.search(value):
        raise ValidationError("The old address contains spaces or control characters.")
    if value.lower().startswith(("http://", "https://")):
        parts = urlsplit(value)
        value = parts.path or "/"
        if parts.query or parts.fragment:
            value += "?"  # refused below, with the same message as a bare path
    if "?" in value or "#" in value:
        raise ValidationError("Redirects match the path only: remove the part from “?” or “#” on.")
    try:
        # As Django decodes a request's path; bytes that are not UTF-8 cannot be a path here.
        path = unquote(value, errors="strict")
    except UnicodeDecodeError as error:
        raise ValidationError(
            "The old address has percent-encoding that is not UTF-8 text."
        ) from error
    if UNSAFE_CHARACTERS.search(path):
        raise ValidationError("The old address contains spaces or control characters.")
    if not path.startswith("/"):
        path = "/" + path
    if path.startswith("//"):
        raise ValidationError("The old address is a path on this site: start it with one “/”.")
    if len(path) > MAX_PATH_LENGTH:
        raise ValidationError(f"The old address is longer than {MAX_PATH_LENGTH} characters.")
    return path


def path_variants(path: str) -> list[str]:
    """A path and its twin with or without the trailing slash, the path itself first.

    Both are looked up: Django's APPEND_SLASH sends /old-page to /old-page/ before any 404, so
    a redirect saved as either must answer both."""
    twin = path.rstrip("/") if path.endswith("/") else path + "/"
    return [path, twin] if twin and twin != path else [path]


def check_target_url(value: str) -> str:
    """A safe target URL (see the module docstring), normalised, or ValidationError."""
    value = value.strip()
    if UNSAFE_CHARACTERS.search(value):
        raise ValidationError("The address contains spaces or control characters.")
    if len(value) > MAX_URL_LENGTH:
        raise ValidationError(f"The address is longer than {MAX_URL_LENGTH} characters.")
    if "\\" in value:
        raise ValidationError("The address contains a backslash, which browsers read as “/”.")
    if value.startswith("/"):
        if value.startswith("//"):
            raise ValidationError(
                "An address starting with “//” leads to another site. Write a path on this "
                "site with one “/”, or a whole address starting with https://."
            )
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(
            "Redirect to a path on this site (starting with “/”) or to an address starting "
            "with http:// or https://; other kinds of address are refused."
        )
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError(
            "The address has a user name before “@”, which hides the site it leads to."
        )
    host = parts.hostname or ""
    if not host:
        raise ValidationError("The address has no host name after “https://”.")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValidationError("The host name of the address is not valid.") from error
    netloc = ascii_host if parts.port is None else f"{ascii_host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def internal_path(url: str) -> str | None:
    """The path on this site that `url` leads to, or None when it leads elsewhere.

    An absolute address counts as this site's when its host is one the site serves
    (ALLOWED_HOSTS, without the "*" that allows any)."""
    if url.startswith("/"):
        return unquote(urlsplit(url).path)
    parts = urlsplit(url)
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    if parts.hostname and validate_host(parts.hostname, hosts):
        return unquote(parts.path or "/")
    return None


def taken_first_segments() -> set[str]:
    """First path segments the site's other addresses use (articles, topics, api, admin …),
    and the static and media prefixes: a site page with such a slug could never be reached."""
    taken: set[str] = set()

    def walk(patterns) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver) and route in ("", "^"):
                walk(entry.url_patterns)
                continue
            if isinstance(entry, URLPattern | URLResolver):
                first = route.lstrip("^").split("/", 1)[0]
                if first and "<" not in first and "(" not in first:
                    taken.add(first)

    walk(get_resolver().url_patterns)
    for prefix in (settings.STATIC_URL, settings.MEDIA_URL):
        first = (prefix or "").strip("/").split("/", 1)[0]
        if first:
            taken.add(first)
    return taken
