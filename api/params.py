"""The query parameters each endpoint reads, checked before any query: a bad value is a 400
naming the parameter and what is wrong, never a 500 and never silently ignored."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers
from rest_framework.exceptions import APIException
from taggit.models import Tag

from articles.search import MAX_QUERY_LENGTH, clean_query
from authors.models import Author
from topics.models import Topic


class BadQuery(APIException):
    """400 with {"detail": ..., "errors": {parameter: [message, ...]}}."""

    status_code = 400
    default_code = "bad_query"

    def __init__(self, errors: dict):
        super().__init__({"detail": "Invalid query parameters.", "errors": errors})


def read(params_class: type[serializers.Serializer], request) -> dict:
    """The checked values of `params_class`'s parameters in the request's query string."""
    params = params_class(data=request.query_params)
    if not params.is_valid():
        raise BadQuery(params.errors)
    return params.validated_data


class SlugOf(serializers.CharField):
    """A slug naming an existing object of `model` (the value is the object); a slug nothing
    has is an error, so a typo is not answered with an empty list."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(max_length=220, required=False, **kwargs)

    def run_validation(self, data=serializers.empty):
        slug = super().run_validation(data)  # a string within bounds, or SkipField when absent
        found = self.model._default_manager.filter(slug=slug).first()
        if found is None:
            # The slug is not repeated back: an answer never reflects what a client sent.
            raise serializers.ValidationError(f"No {self.model._meta.verbose_name} has this slug.")
        return found


class PageParams(serializers.Serializer):
    page = serializers.IntegerField(
        min_value=1, required=False, help_text="The page of results, from 1."
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=settings.API["MAX_PAGE_SIZE"],
        required=False,
        help_text=f"Results a page (default {settings.API['PAGE_SIZE']}).",
    )


class ArticleListParams(PageParams):
    topic = SlugOf(
        Topic, help_text="Only articles in this topic's cluster (its subtopics included)."
    )
    tag = SlugOf(Tag, help_text="Only articles with this tag.")
    author = SlugOf(Author, help_text="Only articles this author wrote.")
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Only articles changed at or after this time (ISO 8601, e.g. "
        "2026-06-01T12:00:00Z): any save of the article counts (modified_at).",
    )


class SearchParams(PageParams):
    q = serializers.CharField(
        max_length=1000,
        help_text=f"What to look for (words; the first {MAX_QUERY_LENGTH} characters count).",
    )
    topic = SlugOf(Topic, help_text="Only articles in this topic's cluster.")
    author = SlugOf(Author, help_text="Only articles this author wrote.")

    def validate_q(self, value: str) -> str:
        query = clean_query(value)
        if not query:
            raise serializers.ValidationError("Give some words to look for.")
        return query
