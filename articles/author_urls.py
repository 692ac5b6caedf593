"""The author and expert pages. Their pages list articles and quotes, so these URLs live with
articles; the indexes of authors and experts are the authors app's own views."""

from django.urls import path

import core.converters  # noqa: F401 (registers <unicode_slug:>)
from authors import views as author_views

from . import feeds, listings

app_name = "authors"

urlpatterns = [
    path("authors/", author_views.AuthorListView.as_view(), name="list"),
    path("authors/<unicode_slug:slug>/", listings.AuthorDetailView.as_view(), name="detail"),
    path("authors/<unicode_slug:slug>/feed/", feeds.AuthorFeed(), name="feed"),
    path("authors/<unicode_slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="feed_atom"),
    path("experts/", author_views.ExpertListView.as_view(), name="expert_list"),
    path("experts/<unicode_slug:slug>/", listings.ExpertDetailView.as_view(), name="expert_detail"),
]
