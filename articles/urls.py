from django.urls import path, register_converter

from . import views


class TagSlugConverter:
    """Tag slugs may be Unicode (taggit keeps non-Latin names); control characters never are,
    and a NUL byte would reach PostgreSQL as an error instead of a 404."""

    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TagSlugConverter, "tagslug")

app_name = "articles"

urlpatterns = [
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("preview/<str:token>/", views.SharedPreviewView.as_view(), name="preview"),
    path("tags/<tagslug:slug>/", views.TagDetailView.as_view(), name="tag"),
]
