"""Dossier settings, read from the environment.

Every variable is listed with its default in README.md ("Configuration"). The defaults give a
zero-setup local site (SQLite, DEBUG on); production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL.
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import storage_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -----------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=True)

# The development key is only acceptable while DEBUG is on; production must supply its own.
_DEV_SECRET_KEY = "dossier-insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

# DEBUG on shows Django's technical 404 page, so a local site would never show its own; Dossier
# shows its own 404 page anyway (core/errors.SiteNotFoundPageMiddleware) unless this is set.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", default=False)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "website.apps.DossierAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "csp",
    "axes",
    "reversion",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our origin (no CDN)
    "corsheaders",
    # Dossier's apps, from the floor up; each imports only those above it in this list
    # (docs/architecture.md; the import-linter contract in pyproject.toml enforces it).
    "core",
    "pagecache",
    "topics",
    "authors",
    "images",
    "articles",
    "comments",
    "api",
    "wordpress",
    "pages",
    "website",
]

MIDDLEWARE = [
    # First: every log line of the request, and every answer, carries its id (core/request_id.py).
    "core.request_id.RequestIdMiddleware",
    # CORS for the read API (/api/ only): above the page cache, so a hit answered here carries
    # the headers too. The WSGI front leaves requests with an Origin header to Django for this.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML, feeds and sitemaps for clients that accept gzip. Below WhiteNoise, which
    # answers static files itself with their precompressed copies (and leaves images alone);
    # above the page cache, so a stored page is kept once, uncompressed, and each reader gets
    # it gzipped or not as they asked. Django pads each response with random bytes against
    # BREACH. https://docs.djangoproject.com/en/5.2/ref/middleware/#module-django.middleware.gzip
    "django.middleware.gzip.GZipMiddleware",
    # Old WordPress addresses (/?p=123, /2019/03/slug/) redirect to imported articles: above the
    # page cache, so /?p=123 is answered before any page is looked up or stored there.
    "wordpress.middleware.OldAddressMiddleware",
    # Editors' redirects (pages app), answered where Django found no page (a 404). Below the line
    # above, so an editor's redirect wins over an imported WordPress address, and above the
    # page cache, which never stores a 404 or a redirect (nothing of theirs to go stale).
    "pages.middleware.RedirectMiddleware",
    # Before sessions, CSRF and auth: a cached page for an anonymous reader skips them all.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # With DEBUG on, 404s show the site's page rather than Django's (DEBUG_TECHNICAL_404).
    "core.errors.SiteNotFoundPageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# The public site's pages are Jinja2 templates (jinja2/, website/templating.py says why); the
# admin, the e-mails and the apps' own templates stay on Django's template language. Django
# asks each engine in turn, so a name is looked up in jinja2/ first. Both compile a template
# once per process: Jinja2 keeps what it compiled (and looks again at the file with DEBUG on,
# as runserver needs); Django's engine has no "loaders" option on purpose, so Django wraps its
# loaders in the cached loader. tests/core/test_serving.py holds both for DEBUG off.
# https://docs.djangoproject.com/en/5.2/ref/templates/api/#django.template.loaders.cached.Loader
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "website.templating.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "pagecache.context_processors.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pagecache.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL whenever DATABASE_URL is set (production, CI); a SQLite file otherwise so a bare
# machine runs the site with no setup. https://docs.djangoproject.com/en/5.2/ref/databases/
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'dossier.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Compiled queries (core/compiled.py) are prepared once per PostgreSQL session, so the server
# plans them once rather than on every page. Turn off (0) behind a pooler that passes server
# connections between clients at each transaction (PgBouncer's transaction mode).
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# URLs typed without a scheme in forms are https (Django 6's default, opted into now).
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Cache ----------------------------------------------------------------------------------
# Redis in production (Django's built-in backend); per-process memory when REDIS_URL is unset.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, keeping its redis-py client between calls (pagecache/backend.py).
            "BACKEND": "pagecache.backend.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dossier"),
            # redis-py waits forever by default: a Redis that stops answering would hold every
            # worker until gunicorn kills it. Calls give up after a second instead, and the page
            # cache renders pages afresh meanwhile (pagecache/).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes counts failed logins per username and address and locks further attempts out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", "1"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
if env_bool("BEHIND_TLS_PROXY", default=False):
    # Behind a proxy the client address is in X-Forwarded-For (set by our own proxy only).
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Moving the admin off /admin/ keeps drive-by login scanners off it; must end with a slash.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"

# --- E-mail ---------------------------------------------------------------------------------
# Password links, workflow notices and reply notices (core/mail.py) go through Django's mail
# framework: SMTP when EMAIL_HOST is set, else printed to the console (nothing leaves the
# machine of a developer who set nothing). https://docs.djangoproject.com/en/5.2/topics/email/
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)  # STARTTLS, usually on port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)  # TLS from the start, usually 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
# An SMTP server that stops answering would otherwise hold the editor's request for as long as
# the operating system waits; a notice not sent is logged, the edit is kept (core/mail.py).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "")
if not DEFAULT_FROM_EMAIL:
    if EMAIL_HOST:
        # Django's default, webmaster@localhost, is refused by any real mail server.
        raise ImproperlyConfigured("DEFAULT_FROM_EMAIL must be set when EMAIL_HOST is.")
    DEFAULT_FROM_EMAIL = "Dossier <noreply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's public address for links in e-mails (https://news.example.org). Empty: the
# address of the request that sent the mail (the admin's host as the editor reached it).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's address such as https://news.example.org; it is {SITE_URL!r}."
    )
# Password links (reset and invitation) work this long, and once.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_LINK_DAYS", "3")) * 24 * 3600

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Slugs may be in any script (docs/authoring.md): a tag named “Каспий” gets the slug “каспий”,
# as articles, topics, authors and experts keep theirs. taggit's default, stated so it stays.
# https://django-taggit.readthedocs.io/en/latest/changelog.html (5.0.0)
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = False

# --- Static and media -----------------------------------------------------------------------
# WhiteNoise serves content-hashed, compressed static files from the app servers; media goes to
# MEDIA_ROOT on this host, or to S3-compatible object storage (django-storages) when
# MEDIA_STORAGE_URL or AWS_STORAGE_BUCKET_NAME is set, so that several hosts serve the same
# uploads (docs/deployment.md). config/storage_url.py reads the URL.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# With DEBUG off (production), collectstatic writes every file under a content-hashed name too
# (css/site.1a2b….css, the name {% static %} gives) with a .gz copy beside it: run it before
# starting the site. WhiteNoise serves hashed names with "max-age=315360000, public, immutable"
# by itself, as their content never changes under that name; a file asked for by its plain name
# keeps WhiteNoise's 60-second default, since that name's content changes with each deploy.
# No brotli copies: the public site's assets are two small stylesheets, and every client and
# proxy speaks gzip. With DEBUG on (development, the tests) plain names: nothing to collect.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
try:
    _media_storage = (
        storage_url.parse(os.environ["MEDIA_STORAGE_URL"])
        if os.environ.get("MEDIA_STORAGE_URL")
        else storage_url.from_environment()
    )
    _static_storage = (
        storage_url.parse(os.environ["STATIC_STORAGE_URL"])
        if os.environ.get("STATIC_STORAGE_URL")
        else None
    )
except storage_url.StorageUrlError as error:
    raise ImproperlyConfigured(f"MEDIA_STORAGE_URL / STATIC_STORAGE_URL: {error}") from error
if _media_storage or _static_storage:
    from botocore.config import Config as _BotoConfig

    # boto3 retries a dead endpoint for many seconds by default, holding the editor's request
    # (and a worker) that long; two quick tries, then the admin says the store is down.
    _boto_config = _BotoConfig(
        connect_timeout=float(os.environ.get("STORAGE_CONNECT_TIMEOUT", "2")),
        read_timeout=float(os.environ.get("STORAGE_READ_TIMEOUT", "20")),
        retries={"total_max_attempts": 2, "mode": "standard"},
    )
if _media_storage:
    STORAGES["default"] = {
        "BACKEND": storage_url.S3_BACKEND,
        "OPTIONS": {**_media_storage, "client_config": _boto_config},
    }
    MEDIA_URL = storage_url.base_url(_media_storage)
if _static_storage:
    # Static files in the bucket too (collectstatic uploads them, under content-hashed names);
    # WhiteNoise then has nothing to serve. Optional: WhiteNoise on each host is the default.
    STORAGES["staticfiles"] = {
        "BACKEND": storage_url.S3_STATIC_BACKEND,
        "OPTIONS": {**_static_storage, "client_config": _boto_config},
    }
    STATIC_URL = storage_url.base_url(_static_storage)
# Uploads larger than this are refused before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------
# Safe by default whenever DEBUG is off; each can be relaxed explicitly behind a TLS proxy.
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A reader's comment that fails the CSRF check is shown again with its text, not lost.
CSRF_FAILURE_VIEW = "website.views.csrf_failure"
# Content-Security-Policy (django-csp): everything from our own origin, no inline script or
# style, no plugins, no framing. Images may come from https: (editors can embed them in bodies).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:", "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Media (and static) files from object storage: their origin, which may be plain http on a
# private network, is named where "https:" alone would not cover it.
_STORAGE_DIRECTIVES = (
    (MEDIA_URL, ("img-src",)),
    (STATIC_URL, ("img-src", "style-src", "script-src", "font-src")),
)
for _url, _directives in _STORAGE_DIRECTIVES:
    if "://" in _url:
        for _directive in _directives:
            CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(storage_url.origin(_url))
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging --------------------------------------------------------------------------------
# Everything to stderr (the service manager or container runtime collects it), each line with
# the id of the request it was written in ("-" outside one), which is also the X-Request-ID
# header of the answer and the reference the 500 page shows. An unhandled exception is logged
# by "django.request" as an ERROR with its traceback; Django's own "django" handlers print only
# with DEBUG on and mail ADMINS (none here) otherwise, so "django" records reach this handler
# through the root logger instead, once, in every mode.
# https://docs.djangoproject.com/en/5.2/topics/logging/#default-logging-configuration
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

# --- Dossier --------------------------------------------------------------------------------
DOSSIER = {
    "SITE_NAME": os.environ.get("SITE_NAME", "Dossier"),
    "SITE_TAGLINE": os.environ.get("SITE_TAGLINE", "In-depth analysis, one subject at a time"),
    # Defaults for the site settings editors manage in the admin (core.SiteSettings).
    "ORGANISATION_NAME": os.environ.get("ORGANISATION_NAME", ""),
    "ORGANISATION_URL": os.environ.get("ORGANISATION_URL", ""),
    # Callout kinds editors may use in article bodies: "::: kind" → label shown to readers.
    "CALLOUT_KINDS": {
        "practical-fact": "Practical Fact",
        "insight": "Insight",
        "expert-insight": "Expert Insight",
        "consideration": "Consideration",
        "key-point": "Key Point",
        "warning": "Caution",
    },
    # PostgreSQL text search configuration (stemming language) for article search.
    "SEARCH_CONFIG": os.environ.get("SEARCH_CONFIG", "english"),
    # Feeds carry each article's full body as well as its summary.
    "FEED_FULL_CONTENT": env_bool("FEED_FULL_CONTENT", default=False),
    "WORDS_PER_MINUTE": int(os.environ.get("WORDS_PER_MINUTE", "230")),
    "RELATED_ARTICLES_COUNT": int(os.environ.get("RELATED_ARTICLES_COUNT", "4")),
    "ARTICLES_PER_PAGE": int(os.environ.get("ARTICLES_PER_PAGE", "12")),
    # Keep each published article page's rendered parts in the database and render the page
    # from them while nothing they show has changed (articles/page_parts.py).
    "PAGE_PARTS": env_bool("PAGE_PARTS", default=True),
    # Default for Site settings' "close comments after (days)"; 0 = never by age.
    "COMMENTS_CLOSE_AFTER_DAYS": int(os.environ.get("COMMENTS_CLOSE_AFTER_DAYS", "30")),
}

# --- Comments and reports: abuse limits -----------------------------------------------------
# Counters live in the cache (Redis in production) so every gunicorn host shares them.
# docs/security.md explains each limit.
COMMENTS = {
    # Shortest time a person takes between opening the form and sending it.
    "MIN_SECONDS_TO_POST": int(os.environ.get("COMMENTS_MIN_SECONDS", "3")),
    # A form older than this is refused (its signed timestamp has expired); the reader resends.
    "FORM_MAX_AGE_SECONDS": 2 * 24 * 3600,
    "RATE_WINDOW_SECONDS": int(os.environ.get("COMMENTS_RATE_WINDOW_SECONDS", "600")),
    "MAX_PER_IP": int(os.environ.get("COMMENTS_MAX_PER_IP", "5")),
    "MAX_PER_EMAIL": int(os.environ.get("COMMENTS_MAX_PER_EMAIL", "3")),
    "MAX_REPORTS_PER_IP": int(os.environ.get("REPORTS_MAX_PER_IP", "10")),
    "MAX_LINKS": int(os.environ.get("COMMENTS_MAX_LINKS", "2")),
    "MAX_BODY_LENGTH": 3000,
    "DUPLICATE_WINDOW_HOURS": 24,
}
# --- Read API (api/, docs/api.md) ---------------------------------------------------------
# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    # JSON only: one representation per URL, which is what the page cache (keyed by URL)
    # stores. People read the API through Swagger UI at /api/v1/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],  # read-only: no request bodies
    # Public content only: no logins, so no session or CSRF work for an API request, and every
    # client is limited by its address (api/throttling.py).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AddressRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # No ?format=: a second representation of the same URL would share its cached page.
    "URL_FORMAT_OVERRIDE": None,
}
_API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/minute").strip()
if _API_RATE_LIMIT and not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", _API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT must look like 300/minute (per second, minute, hour or day), or be "
        f"empty for no limit; it is {_API_RATE_LIMIT!r}."
    )
API = {
    # Requests one client address may make to the API, counted in the default cache (Redis in
    # production, so shared by every app server). Empty: no limit. Page-cache hits are not
    # counted: they are answered before Django runs.
    "RATE_LIMIT": _API_RATE_LIMIT or None,
    "PAGE_SIZE": int(os.environ.get("API_PAGE_SIZE", "20")),
    "MAX_PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dossier read API",
    "DESCRIPTION": "Live articles, topics, authors, experts and tags as JSON. docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from drf-spectacular-sidecar's static files: nothing from another origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Cross-origin reads of the API from these origins (django-cors-headers), e.g.
# https://app.example.org; "*" allows any origin. Default: none (same origin only).
_API_CORS_ORIGINS = env_list("API_CORS_ORIGINS", "")
CORS_ALLOW_ALL_ORIGINS = "*" in _API_CORS_ORIGINS
CORS_ALLOWED_ORIGINS = [origin for origin in _API_CORS_ORIGINS if origin != "*"]
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
CORS_PREFLIGHT_MAX_AGE = 86400

# --- Page cache (pagecache/) -----------------------------------------------------
PAGE_CACHE = {
    "ENABLED": env_bool("PAGE_CACHE", default=True),
    # How long Django keeps a page at most; changes refresh it sooner (exact invalidation).
    "SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "86400")),
    # How long a CDN or the nginx front may keep a page (s-maxage) without being purged.
    "CDN_SECONDS": int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "300")),
    "STALE_WHILE_REVALIDATE": 60,
    # Bytes of pages each process also keeps in its own memory (hits then skip one cache round
    # trip; freshness is still checked against the shared cache). 0 turns it off.
    "LOCAL_BYTES": int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", str(8 * 1024 * 1024))),
    # Told of every change: callables (tags=set, urls=set). With the nginx front, add
    # pagecache.purgers.refresh_nginx_fronts; see docs/deployment.md.
    "PURGERS": env_list("PAGE_CACHE_PURGERS", "pagecache.purgers.log_purge"),
    # Base URLs of the nginx fronts refresh_nginx_fronts asks (e.g. http://10.0.0.5:80).
    "NGINX_FRONTS": env_list("NGINX_FRONTS", ""),
}

# Behind our own proxy the reader's address is the last X-Forwarded-For entry it added.
TRUST_X_FORWARDED_FOR = env_bool("BEHIND_TLS_PROXY", default=False)
