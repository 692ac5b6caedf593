from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# Each app owns its public URL prefixes: website the home page, feeds and sitemaps; articles
# articles/, tags/, search/ and the pages listing articles (authors/, experts/, topics/);
# comments the reader forms under articles/<slug>/ and comments/; api the read API under api/v1/.
urlpatterns = [
    path("", include("website.urls")),
    path("", include("articles.urls")),
    path("", include("articles.author_urls")),
    path("", include("articles.topic_urls")),
    path("", include("comments.urls")),
    path("api/", include("api.urls")),
    # Before the admin's own URLs, whose catch-all would answer these with its login page.
    path(settings.ADMIN_PATH, include("website.account_urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

# The site's 500 page, with the request id to quote; a fixed page if that fails (core/errors.py).
handler500 = "core.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
