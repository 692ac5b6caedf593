"""The articles app's models, one module per concern; import them from here.

- status: Status, where an article stands in the workflow.
- querysets: live_q() and ArticleQuerySet, what may be read.
- search_vector: the PostgreSQL full-text vector.
- article: Article.
- parts: its tags, byline, expert quotes and related links.
- history: its activity log and preview links.
- page: its page's rendered parts and its card (derived data).
- cluster: the topics' clusters it belongs to (derived data).
"""

from .article import Article, reference_problems
from .cluster import TopicMembership, cluster_topic_ids
from .history import ArticleActivity, PreviewLink, PreviewLinkQuerySet
from .page import KeptCard, PageParts
from .parts import Byline, ExpertQuote, RelatedLink, TaggedArticle
from .querysets import (
    EDITING_ONLY_FIELDS,
    NOT_TRASHED,
    RELATED_CANDIDATE_POOL,
    ArticleQuerySet,
    JSONList,
    live_q,
)
from .search_vector import search_config, search_vector_expression
from .status import Status

__all__ = [
    "EDITING_ONLY_FIELDS",
    "NOT_TRASHED",
    "RELATED_CANDIDATE_POOL",
    "Article",
    "ArticleActivity",
    "ArticleQuerySet",
    "Byline",
    "ExpertQuote",
    "JSONList",
    "KeptCard",
    "PageParts",
    "PreviewLink",
    "PreviewLinkQuerySet",
    "RelatedLink",
    "Status",
    "TaggedArticle",
    "TopicMembership",
    "cluster_topic_ids",
    "live_q",
    "reference_problems",
    "search_config",
    "search_vector_expression",
]
