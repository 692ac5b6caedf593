from django.urls import path

import core.converters  # noqa: F401 (registers <unicode_slug:>)
from articles import feeds

from . import views

app_name = "authors"

urlpatterns = [
    path("authors/", views.AuthorListView.as_view(), name="list"),
    path("authors/<unicode_slug:slug>/", views.AuthorDetailView.as_view(), name="detail"),
    path("authors/<unicode_slug:slug>/feed/", feeds.AuthorFeed(), name="feed"),
    path("authors/<unicode_slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="feed_atom"),
    path("experts/", views.ExpertListView.as_view(), name="expert_list"),
    path("experts/<unicode_slug:slug>/", views.ExpertDetailView.as_view(), name="expert_detail"),
]
