"""A site page (About, Contact …) at /<slug>/."""

from __future__ import annotations

from django.utils.functional import cached_property
from django.views.generic import DetailView

import pagecache
from articles import rendering
from articles.models import Article
from core.views import SlugObjectMixin
from images.models import Image

from .models import Page


class PageView(SlugObjectMixin, DetailView):
    """A published page for readers; a draft too for staff who edit pages (a preview, never
    cached). An old slug answers with a 301 to the current address (SlugObjectMixin)."""

    template_name = "pages/page_detail.html"
    context_object_name = "page"
    slug_model = Page

    def get_slug_queryset(self):
        return Page.objects.visible_to(self.request.user).defer("body")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page: Page = self.object
        # Links to articles show as links only while the article is live, as in articles.
        live_urls = {}
        if page.body_article_ids:
            linked = Article.objects.live().filter(pk__in=page.body_article_ids).only("slug")
            live_urls = {article.pk: article.get_absolute_url() for article in linked}
        # Library images placed in the body ([[image:42]]), as in articles.
        images = Image.objects.in_bulk(page.body_image_ids) if page.body_image_ids else {}
        context.update(
            body=rendering.finish_body(
                page.body_html, live_urls=live_urls, quotes={}, images=images
            ),
            crumbs=[(page.title, page.get_absolute_url())],
            is_preview=self.is_preview,
        )
        if not self.is_preview:
            pagecache.depends_on(
                self.request,
                page,
                [pagecache.object_tag(Article, pk) for pk in page.body_article_ids],
                [pagecache.object_tag(Image, pk) for pk in page.body_image_ids],
            )
        return context

    @cached_property
    def is_preview(self) -> bool:
        return not self.object.is_live

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.is_preview:
            response["X-Robots-Tag"] = "noindex, nofollow"
            response["Cache-Control"] = "private, no-store"
        return response
