"""The PostgreSQL full-text vector stored on each article (searched in articles/search.py)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVector


def search_config() -> str:
    return settings.DOSSIER["SEARCH_CONFIG"]


def search_vector_expression() -> SearchVector:
    config = search_config()
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("standfirst", weight="B", config=config)
        + SearchVector("body_text", weight="C", config=config)
    )
