from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from django.core import signing
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView

import pagecache
from core.compiled import compiled
from core.pagination import WindowCountPaginator
from core.views import SlugObjectMixin
from pagecache import snapshots
from pagecache.backend import CACHE_UNREACHABLE

from . import page_parts, preview, search, selectors
from .forms import FILTER_CHOICE_TAGS, SearchForm
from .models import Article, PageParts
from .models.querysets import ArticleQuerySet

#: Sections that apps above articles add to a published article's page: functions taking the
#: request and the article and giving context for the template. Each declares to the page cache
#: what it shows. Comments adds its thread and form this way (comments/apps.py), so articles
#: never imports the apps built on it. Previews show none of them.
PublishedPageSection = Callable[[HttpRequest, Article], dict]
published_page_sections: list[PublishedPageSection] = []


def add_published_page_section(section: PublishedPageSection) -> None:
    """Add a section to every published article's page (call from an AppConfig.ready())."""
    if section not in published_page_sections:
        published_page_sections.append(section)


#: The article's own fields the page shows around its kept parts (title, comments, preview).
FRAME_FIELDS = (
    "title", "seo_title", "slug", "status", "publish_at", "expire_at", "deleted_at",
    "comments_enabled", "primary_topic",
)  # fmt: skip


def with_kept_parts(articles: ArticleQuerySet) -> ArticleQuerySet:
    """Only what the page around its kept parts shows, with the parts: compiling and reading
    the article's every column was most of a page served from its parts."""
    kept = (f"page_parts__{field.name}" for field in PageParts._meta.concrete_fields)
    return articles.only(*FRAME_FIELDS, *kept).select_related("page_parts")


@compiled(now=datetime, slug=str)
def live_with_kept_parts(now: datetime, slug: str):
    """The live article at `slug` with its kept parts (core/compiled.py: compiled once)."""
    return with_kept_parts(Article.objects.live(now)).filter(slug=slug)[:1]


class ArticleDetailView(SlugObjectMixin, DetailView):
    """An article's page: a published article for readers, any article for staff (preview).

    A published article's page is put together from its kept parts when they are current
    (articles/page_parts.py): one query for the article and its parts, then the comments. When
    they are not, the page data is read (selectors.with_article_page_data), the parts rendered
    and kept.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    slug_model = Article

    def get_slug_queryset(self):
        # Staff open drafts through this same view (preview); everyone else gets live() only.
        articles = Article.objects.visible_to(self.request.user)
        if page_parts.enabled():
            return with_kept_parts(articles)
        return self.with_page_data(articles)

    def find_object(self, slug: str) -> Article | None:
        if page_parts.enabled() and not self.request.user.is_staff:
            # What most requests ask: a reader's live article, by a query compiled once.
            return next(iter(live_with_kept_parts.run(now=timezone.now(), slug=slug)), None)
        return super().find_object(slug)

    @staticmethod
    def with_page_data(articles):
        """Everything the page shows, in a fixed number of queries whatever the article holds."""
        return selectors.with_article_page_data(articles)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article: Article = self.object
        parts = None if self.is_preview else page_parts.kept_parts(self.request, article)
        if parts is not None:
            shows = set(parts.shows)
        else:
            started = None
            if not hasattr(article, "all_related_links"):  # read with its kept parts only
                # Before the page's data is read: parts rendered from data read before a change
                # committed are then never kept as current (pagecache.snapshots). A page served
                # from its kept parts never needs it, and so never reads it.
                with contextlib.suppress(CACHE_UNREACHABLE):  # then parts are shown, not kept
                    started = snapshots.started()
                article = self.with_page_data(Article.objects.filter(pk=article.pk)).get()
                self.object = context["object"] = context["article"] = article
            page = selectors.article_page(article)
            context.update(
                body=page.body,
                bylines=page.bylines,
                curated_links=page.curated_links,
                suggested_articles=page.suggested_articles,
            )
            # Kept parts choose suggested reading once (articles/page_parts.py); a page
            # rendered afresh each time chooses it from its topics' and tags' articles.
            shows = pagecache.tags_of(
                [page.shows(suggestion_sources=not page_parts.enabled()), pagecache.SITE_TAG]
            )
            if not self.is_preview and page_parts.enabled():
                parts = page_parts.render_parts(self.request, context, shows=shows, started=started)
        context.update(parts=parts, is_preview=self.is_preview)
        if not self.is_preview:
            # Comments belong to the published article; previews show none and take none.
            for section in published_page_sections:
                context.update(section(self.request, article))
            pagecache.depends_on(self.request, shows)
        return context

    @cached_property
    def is_preview(self) -> bool:
        """True when staff are looking at something the public cannot see."""
        return self.request.user.is_staff and not self.object.is_live

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.is_preview:
            response["X-Robots-Tag"] = "noindex, nofollow"
            response["Cache-Control"] = "private, no-store"
        return response


class SharedPreviewView(ArticleDetailView):
    """An unpublished article shown to an outside reviewer through a signed, expiring link."""

    def dispatch(self, request, *args, **kwargs):
        try:
            link = preview.link_for_token(kwargs["token"])
        except signing.BadSignature:
            return self._refusal(request, "This preview link is not valid.", status=400)
        except preview.PreviewUnavailable as reason:
            return self._refusal(request, str(reason), status=410)
        self.object = self.with_page_data(Article.objects.all()).get(pk=link.article_id)
        return super(SlugObjectMixin, self).dispatch(request, *args, **kwargs)

    @property
    def is_preview(self) -> bool:
        return True

    @staticmethod
    def _refusal(request, message: str, *, status: int):
        response = render(
            request, "articles/preview_unavailable.html", {"message": message}, status=status
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class SearchPaginator(WindowCountPaginator):
    """Pages of a search.Search: each page is one query, compiled once (search.search_page())."""

    def counted_rows(self, bottom: int, top: int) -> tuple[list[search.Result], int]:
        found = self.object_list
        rows = search.search_page(found.query, found.filters, bottom=bottom, top=top)
        return rows, rows[0].total if rows else 0


class SearchView(ListView):
    template_name = "articles/search.html"
    context_object_name = "results"
    paginate_by = 10
    # The page of results carries the number of results: no separate COUNT query.
    paginator_class = SearchPaginator

    def get_queryset(self):
        # One read of versions for all this page keeps (the filters' choices, and with the
        # request the navigation and the site's settings), rather than one read each.
        with contextlib.suppress(CACHE_UNREACHABLE):  # each then reads or falls back alone
            snapshots.current(FILTER_CHOICE_TAGS, request=self.request)
        self.form = SearchForm(self.request.GET or None, request=self.request)
        self.query = self.form.query()
        # Not a queryset: the paginator fetches only the page asked for, through a compiled
        # query, and building the whole search as a queryset first would cost what compiling
        # it once saves.
        return search.Search(self.query, self.form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for result in context["results"]:
            result.snippet = search.snippet_html(result, self.query)
        # Any edit can change what a search finds, so results depend on every article.
        pagecache.depends_on(
            self.request,
            pagecache.every(Article),
            pagecache.collection("articles"),
            [result.shown() for result in context["results"]],
            pagecache.collection("topics"),  # the filter's topic choices
            pagecache.collection("authors"),  # and its author choices
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        page = context["page_obj"]
        context.update(
            form=self.form,
            query=self.query,
            querystring=params.urlencode(),
            # Only the most recent matches are ranked (search.RANKED_MATCHES): say when there
            # may be more.
            results_capped=bool(page) and page.paginator.count >= search.RANKED_MATCHES,
        )
        return context
