"""The articles admin, split by concern. Importing this package registers ArticleAdmin and
ExpertQuoteAdmin with the admin site (``@admin.register``, as before the split)."""

from .actions import BulkActions
from .article import ArticleAdmin
from .filters import ScheduleFilter, TrashFilter
from .forms import ArticleAdminForm
from .inlines import (
    ActivityInline,
    BylineFormSet,
    BylineInline,
    ExpertQuoteInline,
    RelatedLinkInline,
)
from .quotes import ExpertQuoteAdmin
from .views import EditorViews, PreviewViews, RevisionViews, TransitionViews, TrashViews

__all__ = [
    "ActivityInline",
    "ArticleAdmin",
    "ArticleAdminForm",
    "BulkActions",
    "BylineFormSet",
    "BylineInline",
    "EditorViews",
    "ExpertQuoteAdmin",
    "ExpertQuoteInline",
    "PreviewViews",
    "RelatedLinkInline",
    "RevisionViews",
    "ScheduleFilter",
    "TransitionViews",
    "TrashFilter",
    "TrashViews",
]
