"""The site's own pages, composed from every app: home, robots.txt, the sitemap index, and the
CSRF failure page (which hands reader forms back to comments)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

import pagecache
from articles import page_parts
from articles.models import Article
from comments.views import CSRF_RESENDABLE, resend_after_csrf_failure
from core.compiled import compiled
from topics import tree as topic_tree

from .sitemaps import SITEMAPS

#: How many articles the home page lists under its lead.
LATEST_COUNT = 9


# The home page's two queries, compiled once per connection (core/compiled.py) and not
# prepared: which plan is best depends on the instant (what has gone live since), so PostgreSQL
# plans them for each run either way.
@compiled(now=datetime, prepare=False)
def newest_card_rows(now: datetime):
    """The newest live articles as kept cards' rows: the list, and its lead if none is featured."""
    return page_parts.card_rows(Article.objects.live(now).newest_first())[: LATEST_COUNT + 1]


@compiled(now=datetime, prepare=False)
def featured_card_row(now: datetime):
    """The newest featured live article as a kept card's row: the lead."""
    live = Article.objects.live(now).newest_first()
    return page_parts.card_rows(live.filter(featured=True))[:1]


class HomeView(TemplateView):
    template_name = "website/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The lead is the newest featured article, else the newest; the list the newest others.
        # Both come as kept cards' rows (articles/page_parts.py): no article is read in full.
        now = timezone.now()
        rows = newest_card_rows.run(now=now)
        featured = featured_card_row.run(now=now)
        lead_row = featured[0] if featured else rows[0] if rows else None
        others = [row for row in rows if lead_row is None or row[0] != lead_row[0]]
        listed = ([lead_row] if lead_row else []) + others[:LATEST_COUNT]
        # With the request, the cards' read of versions checks the menus and the tree below too.
        shown = page_parts.cards(listed, request=self.request)
        lead = shown.pop(0) if shown and lead_row and shown[0].pk == lead_row[0] else None
        # The tree of topics is kept (topics/tree.py): no query, no render.
        context.update(lead=lead, latest=shown, topic_tree=topic_tree.kept(self.request).tree)
        pagecache.depends_on(
            self.request,
            pagecache.collection("articles"),
            pagecache.collection("topics"),
            page_parts.shown_on([lead, *shown] if lead else shown),
        )
        return context


@require_safe
def robots_txt(request) -> HttpResponse:
    # The admin's address is left out on purpose: naming it here would advertise it.
    lines = [
        "User-agent: *",
        "Disallow: " + reverse("articles:preview", kwargs={"token": "x"}).rsplit("x/", 1)[0],
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('website:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def csrf_failure(request, reason: str = ""):
    """Django's CSRF rejection as a page of ours; reader forms are shown again, text kept."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in CSRF_RESENDABLE:
        return resend_after_csrf_failure(request)
    return render(request, "403_csrf.html", status=403)


@require_safe
@x_robots_tag
def sitemap_index(request) -> TemplateResponse:
    """/sitemap.xml: every page of every section, each with its own latest change.

    Replaces Django's index view, which loads every item of every section to find one date.
    One aggregate query per section; the sections themselves are Django's paginated views.
    """
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        section_url = request.build_absolute_uri(
            reverse("website:sitemap_section", kwargs={"section": section})
        )
        # An empty section still has its (empty) first page, as in Django's index.
        lastmods = sitemap_class().page_lastmods() or [None]
        for number, lastmod in enumerate(lastmods, start=1):
            url = section_url if number == 1 else f"{section_url}?p={number}"
            entries.append(SitemapIndexItem(url, lastmod))
    headers = None
    stamps = [entry.last_mod for entry in entries]
    if all(stamps):
        # Lets a crawler's conditional GET be answered 304 by ConditionalGetMiddleware or a cache.
        headers = {"Last-Modified": http_date(max(stamps).timestamp())}
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )
