from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/<str:token>/", views.SharedPreviewView.as_view(), name="preview"),
    path("tags/<str:slug>/", views.TagDetailView.as_view(), name="tag"),
]
