from __future__ import annotations

from django.conf import settings
from django.views.generic import ListView

from articles.models import Article, ExpertQuote, live_q
from core import page_cache
from core.views import ArticleListPage, SlugObjectMixin

from .models import Author, Expert


class AuthorListView(ListView):
    template_name = "authors/author_list.html"
    context_object_name = "authors"

    def get_queryset(self):
        page_cache.depends_on(self.request, page_cache.collection("authors"))
        return Author.objects.all()


class AuthorDetailView(ArticleListPage):
    template_name = "authors/author_detail.html"
    slug_model = Author

    def get_slug_queryset(self):
        return Author.objects.prefetch_related("links")

    def get_articles(self):
        return Article.objects.live().by_author(self.object)


class ExpertListView(ListView):
    template_name = "authors/expert_list.html"
    context_object_name = "experts"

    def get_queryset(self):
        page_cache.depends_on(self.request, page_cache.collection("experts"))
        return Expert.objects.all()


class ExpertDetailView(SlugObjectMixin, ListView):
    """An expert's bio and every quote of theirs in a live article."""

    template_name = "authors/expert_detail.html"
    slug_model = Expert
    context_object_name = "quotes"
    paginate_by = settings.DOSSIER["ARTICLES_PER_PAGE"]

    def get_queryset(self):
        return (
            ExpertQuote.objects.filter(live_q(prefix="article__"), expert=self.object)
            .select_related("article")
            .order_by("-article__publish_at", "sort_order", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        page_cache.depends_on(
            self.request,
            self.object,
            page_cache.collection("articles", self.object),
            [quote.article for quote in context["quotes"]],
        )
        return context
