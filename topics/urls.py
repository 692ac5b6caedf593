from django.urls import path

from . import views

app_name = "topics"

urlpatterns = [
    path("topics/", views.TopicListView.as_view(), name="list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="detail"),
]
