from django.urls import path

import core.converters  # noqa: F401 (registers <unicode_slug:>)

from . import views

app_name = "pages"

# One segment, any slug: included last in config/urls.py, so every other address wins. A
# page's slug cannot be one of theirs (Page.clean).
urlpatterns = [
    path("<unicode_slug:slug>/", views.PageView.as_view(), name="detail"),
]
