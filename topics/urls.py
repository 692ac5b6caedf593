from django.urls import path

from articles import feeds

from . import views

app_name = "topics"

urlpatterns = [
    path("topics/", views.TopicListView.as_view(), name="list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="detail"),
    path("topics/<slug:slug>/feed/", feeds.TopicFeed(), name="feed"),
    path("topics/<slug:slug>/feed/atom/", feeds.TopicAtomFeed(), name="feed_atom"),
]
