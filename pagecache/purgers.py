"""Purgers: told which tags moved and which stored URLs they covered, so a CDN or the nginx
front (deploy/nginx) can drop or refresh those URLs too (settings.PAGE_CACHE["PURGERS"])."""

from __future__ import annotations

import logging
import threading

from django.utils.module_loading import import_string

from pagecache.conf import config

logger = logging.getLogger("dossier.page_cache")

NGINX_VARIANTS = ("gzip", "identity")  # what deploy/nginx/dossier.conf passes on, normalised


def purgers():
    return [import_string(path) for path in config("PURGERS")]


def log_purge(*, tags: set[str], urls: set[str]) -> None:
    """The default purger: says what a CDN in front would have to drop (at debug level when
    nothing stored has to go: a demo load or a bulk change would print a line per change)."""
    logger.log(
        logging.INFO if urls else logging.DEBUG,
        "page cache: %d tag(s) changed; %d stored URL(s) to purge downstream: %s",
        len(tags),
        len(urls),
        " ".join(sorted(urls)[:20]),
    )


def refresh_nginx_fronts(*, tags: set[str], urls: set[str]) -> None:
    """Purger for the nginx front (deploy/nginx/dossier.conf): ask each front to fetch the
    changed URLs anew. nginx has no purge in its open-source build; a request carrying
    X-Dossier-Refresh from an allowed address bypasses its cache and stores the fresh answer.
    Runs in a thread so an editor's save does not wait for the pages to render."""
    fronts = config("NGINX_FRONTS")
    if not fronts or not urls:
        return
    threading.Thread(target=_refresh, args=(fronts, sorted(urls)), daemon=True).start()


def _refresh(fronts: list[str], urls: list[str]) -> None:
    import urllib.request
    from urllib.parse import urlsplit

    for front in fronts:
        for url in urls:
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            # nginx keeps a gzipped and a plain copy of each page (it passes Accept-Encoding on
            # as "gzip" or "identity" and keys its cache on that): both are fetched anew.
            for encoding in NGINX_VARIANTS:
                request = urllib.request.Request(
                    front.rstrip("/") + path,
                    headers={"Host": parts.netloc, "X-Dossier-Refresh": "1",
                             "X-Forwarded-Proto": parts.scheme, "Accept-Encoding": encoding},
                )  # fmt: skip
                try:
                    urllib.request.urlopen(request, timeout=10).read()
                except OSError as error:  # a 404 (now unpublished) is fine; so is a front down
                    logger.info("nginx refresh of %s via %s: %s", url, front, error)
