"""The site's URLs, its error handlers, and views that fail: for tests/core/test_errors.py and
tests/core/test_request_id.py (@pytest.mark.urls("tests.core.urls_with_failures"))."""

import logging

from django.http import HttpResponse
from django.urls import path

from config import urls as site

logger = logging.getLogger("dossier.tests")


def raises(request):
    logger.warning("about to fail")
    raise RuntimeError("the view failed")


def answers_503(request):
    return HttpResponse("down for a moment", status=503)


handler500 = site.handler500
urlpatterns = [
    path("test-only/raises/", raises),
    path("test-only/503/", answers_503),
    *site.urlpatterns,
]
