"""The site's URLs plus /__bench__/ceiling/: a Django view that returns fixed bytes the size of
an article page. Served with no middleware (bench/bare_settings.py) it is the most a Django
page can do on this machine, so every page is measured as a share of it."""

import os

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

CEILING_BYTES = b"x" * int(os.environ.get("BENCH_CEILING_BYTES", "30000"))


def ceiling(request):
    return HttpResponse(CEILING_BYTES, content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench__/ceiling/", ceiling), *site_urlpatterns]
