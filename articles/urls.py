from django.urls import path

import core.converters  # noqa: F401 (registers <unicode_slug:>)

from . import listings, views

app_name = "articles"

urlpatterns = [
    path("articles/<unicode_slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("preview/<str:token>/", views.SharedPreviewView.as_view(), name="preview"),
    path("tags/<unicode_slug:slug>/", listings.TagDetailView.as_view(), name="tag"),
]
