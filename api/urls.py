from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import docs, views

app_name = "api"

# Slugs as any text (<str:>), not <unicode_slug:>: a slug that cannot exist is still answered
# by the API, with its JSON 404, rather than by the site's HTML one.

urlpatterns = [
    path("v1/articles/", views.ArticleList.as_view(), name="article-list"),
    path("v1/articles/<str:slug>/", views.ArticleDetail.as_view(), name="article-detail"),
    path("v1/search/", views.Search.as_view(), name="search"),
    path("v1/topics/", views.TopicList.as_view(), name="topic-list"),
    path("v1/topics/<str:slug>/", views.TopicDetail.as_view(), name="topic-detail"),
    path("v1/authors/", views.AuthorList.as_view(), name="author-list"),
    path("v1/authors/<str:slug>/", views.AuthorDetail.as_view(), name="author-detail"),
    path("v1/experts/", views.ExpertList.as_view(), name="expert-list"),
    path("v1/experts/<str:slug>/", views.ExpertDetail.as_view(), name="expert-detail"),
    path("v1/tags/", views.TagList.as_view(), name="tag-list"),
    path("v1/tags/<str:slug>/", views.TagDetail.as_view(), name="tag-detail"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", docs.SwaggerUI.as_view(url_name="api:schema"), name="docs"),
]
