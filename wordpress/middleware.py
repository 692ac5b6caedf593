"""Old WordPress addresses answer with a 301 to the article that replaced them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from . import redirects


class OldAddressMiddleware:
    """Two cases, both before the page cache (config/settings.py says where):

    - ``/?p=123`` and ``/?page_id=123`` are the home page's address with a query, so they are
      answered here, before the home page is rendered or looked up: a known id redirects, an
      unknown one is the site's 404. Neither is ever stored by the page cache (only 200s are),
      so the WSGI front never has a stored page for these addresses to serve instead.
    - A permalink (``/2019/03/slug/``) is looked up only once Django has found no page there
      (a 404), the way django.contrib.redirects does, so no URL pattern of ours can be
      shadowed and pages that exist cost nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path_info == "/" and redirects.asks_for_wordpress_id(request.GET):
            wp_id = redirects.wordpress_id(request.GET)
            article = redirects.article_for_id(wp_id) if wp_id is not None else None
            if article is not None:
                return HttpResponsePermanentRedirect(article.get_absolute_url())
            if wp_id is not None:
                raise Http404("No live article was imported from that WordPress post.")
        response = self.get_response(request)
        if response.status_code == 404:
            article = redirects.article_for_path(request.path_info)
            if article is not None:
                return HttpResponsePermanentRedirect(article.get_absolute_url())
        return response
