"""The articles app's models (being split by concern; see article.py)."""

from .article import *  # noqa: F403
