from django.urls import path

import core.converters  # noqa: F401 (registers <unicode_slug:>)
from articles import feeds

from . import views

app_name = "topics"

urlpatterns = [
    path("topics/", views.TopicListView.as_view(), name="list"),
    path("topics/<unicode_slug:slug>/", views.TopicDetailView.as_view(), name="detail"),
    path("topics/<unicode_slug:slug>/feed/", feeds.TopicFeed(), name="feed"),
    path("topics/<unicode_slug:slug>/feed/atom/", feeds.TopicAtomFeed(), name="feed_atom"),
]
