import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Page-cache hits are answered before Django's request handling (pagecache/wsgi.py says why).
from pagecache.wsgi import PageCacheApp  # noqa: E402  (needs the settings configured above)

application = PageCacheApp(application)

# What is loaded by now (Django, the site's modules, about 100,000 objects) lives as long as the
# process: kept out of the garbage collector's full collections, which otherwise walked it all
# every few hundred requests and held that request 90–130 ms (docs/performance.md, "Search p99").
gc.freeze()
