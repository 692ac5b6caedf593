from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.generic import RedirectView

import pagecache
from articles.models import Article
from authors.models import Author, Expert
from pages.models import Page
from topics.models import Topic

from . import feeds, views
from .sitemaps import SITEMAPS

# A sitemap lists every live page with its last change: any edit of those may change it.
sitemap_cached = pagecache.cached_as(
    [pagecache.every(model) for model in (Article, Topic, Author, Expert, Page)],
    [pagecache.collection(name) for name in ("articles", "topics", "authors", "experts", "pages")],
)

app_name = "website"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("feeds/articles/", feeds.SiteFeed(), name="feed"),
    path("feeds/articles/atom/", feeds.SiteAtomFeed(), name="feed_atom"),
    # The address feed readers and people try first (WordPress's): moved for good to the feed.
    path(
        "feed/",
        RedirectView.as_view(pattern_name="website:feed", permanent=True),
        name="feed_shortcut",
    ),
    path("sitemap.xml", sitemap_cached(views.sitemap_index), name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_cached(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
