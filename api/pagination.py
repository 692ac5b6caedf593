"""Page-number pagination in a stable order, learning the total with the page (one query)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import PageNumberPagination

from core.pagination import WindowCountPaginator


class Pages(PageNumberPagination):
    """?page=N&page_size=M over a queryset ordered to the last tie (…, pk), so a page holds the
    same rows however often it is asked for while nothing changes. The parameters are checked
    first (api/params.py): here they are known to be positive integers."""

    django_paginator_class = WindowCountPaginator
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.max_page_size = settings.API["MAX_PAGE_SIZE"]
        self.page_size = settings.API["PAGE_SIZE"]
        return super().get_page_size(request)
