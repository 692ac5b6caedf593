from django.urls import path
from drf_spectacular.views import SpectacularAPIView

import core.converters  # noqa: F401 (registers <unicode_slug:>)

from . import docs, views

app_name = "api"

urlpatterns = [
    path("v1/articles/", views.ArticleList.as_view(), name="article-list"),
    path("v1/articles/<unicode_slug:slug>/", views.ArticleDetail.as_view(), name="article-detail"),
    path("v1/search/", views.Search.as_view(), name="search"),
    path("v1/topics/", views.TopicList.as_view(), name="topic-list"),
    path("v1/topics/<unicode_slug:slug>/", views.TopicDetail.as_view(), name="topic-detail"),
    path("v1/authors/", views.AuthorList.as_view(), name="author-list"),
    path("v1/authors/<unicode_slug:slug>/", views.AuthorDetail.as_view(), name="author-detail"),
    path("v1/experts/", views.ExpertList.as_view(), name="expert-list"),
    path("v1/experts/<unicode_slug:slug>/", views.ExpertDetail.as_view(), name="expert-detail"),
    path("v1/tags/", views.TagList.as_view(), name="tag-list"),
    path("v1/tags/<unicode_slug:slug>/", views.TagDetail.as_view(), name="tag-detail"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", docs.SwaggerUI.as_view(url_name="api:schema"), name="docs"),
]
