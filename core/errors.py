"""The site's 500 page (handler500 in config/urls.py), and its 404 page with DEBUG on.

Django has already logged the error (logger "django.request", with its traceback and, through
core/request_id.py, the request id) when it calls this view. The page tells the reader which
reference to quote. It is rendered without the request's context processors, which read the
database and the cache, often the very thing that failed; and if rendering it fails anyway, a
fixed page from this module is served, so a reader never sees Django's default page or a bare
error from the WSGI server (an exception raised by handler500 itself escapes Django).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpResponseServerError
from django.template import loader
from django.utils.html import escape
from django.views.defaults import page_not_found

from core import request_id

logger = logging.getLogger("dossier.errors")

FALLBACK_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Something went wrong</title>
</head>
<body>
  <main>
    <h1>Something went wrong</h1>
    <p>The page could not be shown. The error has been logged; please try again in a moment.</p>
    <p>If you report it, quote this reference: <code>{reference}</code></p>
    <p><a href="/">Home page</a></p>
  </main>
</body>
</html>
"""


def server_error(request, template_name: str = "500.html") -> HttpResponseServerError:
    reference = request_id.current()
    if reference == request_id.NO_REQUEST:  # RequestIdMiddleware did not run (or has finished)
        reference = getattr(request, "request_id", reference)
    try:
        body = loader.get_template(template_name).render({"request_id": reference})
    except Exception:
        logger.exception("the 500 page could not be rendered; serving the fixed one")
        body = FALLBACK_PAGE.format(reference=escape(reference))
    return HttpResponseServerError(body)


class SiteNotFoundPageMiddleware:
    """With DEBUG on, answer 404s with the site's own page (jinja2/404.html), as production
    does, instead of Django's technical page: `make run` then shows what readers will see.
    DEBUG_TECHNICAL_404=1 brings Django's page back (it lists the URL patterns tried). With
    DEBUG off this does nothing: Django renders the site's page by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def active() -> bool:
        return settings.DEBUG and not settings.DEBUG_TECHNICAL_404

    def __call__(self, request):
        response = self.get_response(request)
        # No view ran: the URL matched nothing, and Django answered with its technical page.
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and self.active()
        ):
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and self.active():
            return page_not_found(request, exception)
        return None
