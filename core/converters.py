"""Path converters shared by the apps' URLconfs.

Importing this module registers them; each urls.py that uses one imports it, so the URLconfs
work in whatever order they are loaded.
"""

from django.urls import register_converter


class UnicodeSlugConverter:
    """A slug in any script: Unicode letters, digits, underscores and hyphens, as a SlugField
    with allow_unicode=True accepts (Django's validate_unicode_slug).

    Django's own <slug:> is ASCII only, so an article titled in Russian or Persian would have
    no address. Nothing else gets through: no dots, slashes, spaces, control or format
    characters (a NUL byte would reach PostgreSQL as an error instead of a 404), no emoji.
    Reversing needs no encoding here; reverse() percent-encodes the path (iri_to_uri).
    """

    # Django compiles URL patterns as str regexes, so \w has its Unicode meaning.
    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "unicode_slug")
