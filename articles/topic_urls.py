"""The topic pages. A topic's page lists its articles, so these URLs live with articles; the
index of topics is the topics app's own view."""

from django.urls import path

import core.converters  # noqa: F401 (registers <unicode_slug:>)
from topics import views as topic_views

from . import feeds, listings

app_name = "topics"

urlpatterns = [
    path("topics/", topic_views.TopicListView.as_view(), name="list"),
    path("topics/<unicode_slug:slug>/", listings.TopicDetailView.as_view(), name="detail"),
    path("topics/<unicode_slug:slug>/feed/", feeds.TopicFeed(), name="feed"),
    path("topics/<unicode_slug:slug>/feed/atom/", feeds.TopicAtomFeed(), name="feed_atom"),
]
