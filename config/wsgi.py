import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Page-cache hits are answered before Django's request handling (pagecache/wsgi.py says why).
from pagecache.wsgi import PageCacheApp  # noqa: E402  (needs the settings configured above)

application = PageCacheApp(application)
