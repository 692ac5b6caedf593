"""Paths of the site's pages from their URL names, reversed once per name and kept.

reverse() walks the URL resolver on every call: 30 to 100 µs here. A home page listing 150
topics and ten cards called it 170 times, more time than its queries took (docs/performance.md).
Pages with a slug differ from one another only in the slug, so a path is reversed once with a
marker slug and the marker then replaced by each slug, percent-encoded as reverse() encodes it.

What is kept is keyed by the URLconf and the script prefix in force, so a request with its own
urlconf or a site mounted under a prefix gets its own paths; a changed ROOT_URLCONF (tests)
clears it, as Django clears its own resolver caches then.

The static files' URLs the site's frame links on every page are kept the same way
(asset_url()): the manifest storage looks each hashed name up and builds its URL on every call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

#: A slug every slug converter accepts, found once in the reversed path.
_MARKER = "dossier-slug-marker-7f3a"
#: What reverse() leaves unencoded in a path (django.urls.resolvers: RFC 3986 sub-delimiters
#: and "/~:@"); everything else, non-ASCII letters included, is percent-encoded as UTF-8.
_SAFE = "!$&'()*+,;=/~:@"
#: What a <unicode_slug> or <slug> accepts (core/converters.py); anything else goes to
#: reverse(), which raises NoReverseMatch for it as before.
_SLUG = re.compile(r"[-\w]+")


@lru_cache(maxsize=512)
def _split(viewname: str, urlconf: str | None, prefix: str) -> tuple[str, str]:
    path = reverse(viewname, kwargs={"slug": _MARKER}, urlconf=urlconf)
    before, _, after = path.partition(_MARKER)
    return before, after


@lru_cache(maxsize=512)
def _fixed(viewname: str, urlconf: str | None, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf)


def slug_path(viewname: str, slug: str) -> str:
    """reverse(viewname, kwargs={"slug": slug}), the same string, without walking the
    resolver again for each slug."""
    if not _SLUG.fullmatch(slug):
        return reverse(viewname, kwargs={"slug": slug})
    before, after = _split(viewname, get_urlconf(), get_script_prefix())
    return f"{before}{quote(slug, safe=_SAFE)}{after}"


def slug_paths(viewname: str) -> Callable[[str], str]:
    """slug_path() for many slugs of one URL name: the URLconf is looked up once."""
    before, after = _split(viewname, get_urlconf(), get_script_prefix())

    def path(slug: str) -> str:
        if not _SLUG.fullmatch(slug):
            return reverse(viewname, kwargs={"slug": slug})
        return f"{before}{quote(slug, safe=_SAFE)}{after}"

    return path


def fixed_path(viewname: str) -> str:
    """reverse(viewname) for a URL that takes no arguments, kept."""
    return _fixed(viewname, get_urlconf(), get_script_prefix())


def asset_url(name: str) -> str:
    """static(name), kept per process with DEBUG off. The manifest of hashed names is read once
    when the process starts and never changes under it; with DEBUG on, files and their URLs
    may change while the server runs, so every call asks the storage."""
    return static(name) if settings.DEBUG else _asset(name)


@lru_cache(maxsize=256)
def _asset(name: str) -> str:
    return static(name)


#: Settings that change where static files are served from.
_STATIC_SETTINGS = frozenset({"STORAGES", "STATIC_URL", "STATIC_ROOT", "DEBUG"})


@receiver(setting_changed)
def _forget_on_urlconf_change(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _split.cache_clear()
        _fixed.cache_clear()
    if setting in _STATIC_SETTINGS:
        _asset.cache_clear()
