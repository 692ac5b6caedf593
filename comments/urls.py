from django.urls import path

import core.converters  # noqa: F401 (registers <unicode_slug:>)

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<unicode_slug:slug>/comments/", views.post_comment, name="post"),
    path("articles/<unicode_slug:slug>/comments/write/", views.write_comment, name="write"),
    path("articles/<unicode_slug:slug>/report/", views.report_article, name="report_article"),
    path("comments/<int:pk>/report/", views.report_comment, name="report_comment"),
    path("comments/form-token/", views.form_token, name="form_token"),
]
