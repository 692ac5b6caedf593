"""The page cache's settings (settings.PAGE_CACHE; config/settings.py documents each)."""

from django.conf import settings


def config(name: str):
    return settings.PAGE_CACHE[name]
