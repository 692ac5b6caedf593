from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import ListView, TemplateView

from articles.models import Article
from core import page_cache
from core.models import SlugHistory
from topics.models import Topic


class SlugObjectMixin:
    """Finds the page's object by the `slug` URL argument.

    A slug the object used to have answers with a 301 to its current URL; an unknown slug is a
    404. Subclasses say which objects may be shown through get_slug_queryset().
    """

    slug_model: type[models.Model]

    def get_slug_queryset(self) -> models.QuerySet:
        return self.slug_model._default_manager.all()

    def dispatch(self, request, *args, **kwargs):
        queryset = self.get_slug_queryset()
        slug = kwargs["slug"]
        self.object = queryset.filter(slug=slug).first()
        if self.object is None:
            moved = SlugHistory.objects.find(queryset, slug)
            if moved is None:
                raise Http404(f"No {queryset.model._meta.verbose_name} at this address.")
            return HttpResponsePermanentRedirect(moved.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.object


class ArticleListPage(SlugObjectMixin, ListView):
    """A page about one object (topic, author, tag, expert) listing its live articles."""

    paginate_by = settings.DOSSIER["ARTICLES_PER_PAGE"]
    context_object_name = "articles"

    def get_articles(self):
        """The live articles this page lists; subclasses narrow Article.objects.live()."""
        raise NotImplementedError

    def get_queryset(self):
        return self.get_articles().with_cards().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        page_cache.depends_on(
            self.request,
            self.object,
            page_cache.collection("articles", self.object),
            shown_on_cards(context["articles"]),
        )
        return context


def shown_on_cards(articles) -> list:
    """What article cards show (the article, its topic, its authors), for the page cache."""
    shown: list = []
    for article in articles:
        shown += [article, article.primary_topic, *(b.author for b in article.bylines.all())]
    return shown


class HomeView(TemplateView):
    template_name = "core/home.html"
    latest_count = 9

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        live = Article.objects.live().with_cards().newest_first()
        lead = live.filter(featured=True).first() or live.first()
        latest = live.exclude(pk=lead.pk) if lead else live
        context.update(
            lead=lead,
            latest=list(latest[: self.latest_count]),
            topics=Topic.objects.filter(parent__isnull=True).prefetch_related("subtopics"),
        )
        page_cache.depends_on(
            self.request,
            page_cache.collection("articles"),
            page_cache.collection("topics"),
            shown_on_cards([lead] if lead else []),
            shown_on_cards(context["latest"]),
        )
        return context


@require_safe
def robots_txt(request) -> HttpResponse:
    # The admin's address is left out on purpose: naming it here would advertise it.
    lines = [
        "User-agent: *",
        "Disallow: " + reverse("articles:preview", kwargs={"token": "x"}).rsplit("x/", 1)[0],
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('core:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def csrf_failure(request, reason: str = ""):
    """Django's CSRF rejection as a page of ours; reader forms are shown again, text kept."""
    from django.shortcuts import render

    from comments.views import CSRF_RESENDABLE, resend_after_csrf_failure

    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in CSRF_RESENDABLE:
        return resend_after_csrf_failure(request)
    return render(request, "403_csrf.html", status=403)
