from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from articles import feeds
from articles.models import Article
from authors.models import Author, Expert
from topics.models import Topic

from . import page_cache, views
from .sitemaps import SITEMAPS

# A sitemap lists every live page with its last change: any edit of those may change it.
sitemap_cached = page_cache.cached_as(
    [page_cache.every(model) for model in (Article, Topic, Author, Expert)],
    [page_cache.collection(name) for name in ("articles", "topics", "authors", "experts")],
)

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("feeds/articles/", feeds.SiteFeed(), name="feed"),
    path("feeds/articles/atom/", feeds.SiteAtomFeed(), name="feed_atom"),
    path(
        "sitemap.xml",
        sitemap_cached(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "core:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_cached(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
