"""The site's settings (name, tagline, logo, …) as pages show them, kept in each process.

Every page shows them. Read from the shared cache (SiteSettings.current()) they cost each page a
cache read of their own; kept here, they are checked against SITE_TAG, which moves on with every
change to them (website/cache_rules.py), in the one read of versions the page makes anyway
(snapshots.current with the request, every_page). They are read again at the latest after
SITE_SETTINGS_SECONDS, as the shared copy is, for changes no signal reports.
"""

from __future__ import annotations

from django.http import HttpRequest

from core.models import SITE_SETTINGS_SECONDS, SiteSettings

from . import snapshots
from .tags import SITE_TAG

#: SiteSettings.current() as this process read it last. current is looked up at each read, so
#: that tests can replace it.
_kept = snapshots.KeptCopy(
    lambda: SiteSettings.current(),
    shows=lambda _: (SITE_TAG,),
    lifetime=lambda: SITE_SETTINGS_SECONDS,
    every_page=True,
)


def site_settings(request: HttpRequest) -> SiteSettings:
    """SiteSettings.for_request() from this process's copy while current."""
    return SiteSettings.for_request(request, read=lambda: _kept.get(request))


def forget() -> None:
    """Drop this process's copy at once (a change's versions move only on commit)."""
    _kept.forget()
