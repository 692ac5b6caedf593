from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from articles import feeds

from . import views
from .sitemaps import SITEMAPS

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("feeds/articles/", feeds.SiteFeed(), name="feed"),
    path("feeds/articles/atom/", feeds.SiteAtomFeed(), name="feed_atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "core:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
