"""Editors' redirects, answered where the site has no page (a 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from . import redirects


class RedirectMiddleware:
    """Turns a 404 into the redirect an editor set up for that path, if any.

    Placed in MIDDLEWARE just below wordpress's OldAddressMiddleware and above the page cache
    (config/settings.py says why). Only a 404 is looked up, as django.contrib.redirects does: a
    page that exists costs nothing and can never be hidden by a redirect. Neither a 404 nor a
    redirect is ever stored by the page cache (only 200s are), so a changed redirect is
    answered at once, with nothing to invalidate.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            found = redirects.answer(request.path_info)
            if found is not None:
                return found
        return response
