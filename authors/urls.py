from django.urls import path

from . import views

app_name = "authors"

urlpatterns = [
    path("authors/", views.AuthorListView.as_view(), name="list"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="detail"),
    path("experts/", views.ExpertListView.as_view(), name="expert_list"),
    path("experts/<slug:slug>/", views.ExpertDetailView.as_view(), name="expert_detail"),
]
