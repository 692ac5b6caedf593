"""gunicorn settings for Dossier, from the environment.

    gunicorn -c config/gunicorn.py

Every variable is listed with its default in README.md ("Configuration"); docs/deployment.md
explains the choices. gunicorn ignores names it does not know, so tests/core/test_serving.py
checks that every setting here is one of gunicorn's.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# The application, so the command needs nothing but this file.
wsgi_app = "config.wsgi:application"

# Loopback by default: a proxy (nginx, a load balancer) on the same host passes requests on.
# Comma-separated for several addresses; unix:/run/dossier.sock for a socket.
bind = [item.strip() for item in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]

# Synchronous workers, one request each at a time. A page is a few short queries and a render
# (tests/test_query_budgets.py), nothing waits on slow I/O, and cached pages are answered by the
# page cache or nginx before they cost a worker long. WEB_CONCURRENCY is the usual name of this
# variable on hosting platforms; roughly one or two workers per core for this kind of work.
worker_class = "sync"
workers = _int("WEB_CONCURRENCY", 2)

# A request still running after `timeout` seconds has its worker killed and replaced: a stuck
# request must not hold a worker forever. On restart or deploy, workers get `graceful_timeout`
# seconds to finish what they are doing. (Sync workers close each connection after its
# response, so gunicorn's keepalive setting does not apply to them.)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Each worker is replaced after about this many requests, so memory a long-lived process
# gathers (caches, fragmentation, a leak in a dependency) stays bounded. The jitter spreads the
# replacements so the workers do not all restart at once. A new worker spends about 0.65 s of
# CPU importing the site: at 1,000 requests a worker serving cached pages (some 800 a second
# each) was replaced every second or so and spent much of its time starting. At 50,000 that is
# about once a minute at full speed, and a worker's memory stays near 70 MB anyway
# (docs/performance.md).
max_requests = _int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 5_000)

# Addresses whose X-Forwarded-Proto gunicorn believes (it then tells Django the request came
# over HTTPS). Only your own proxy: set its address here when it runs on another host. Django's
# own trust of the proxy is BEHIND_TLS_PROXY (config/settings.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout and stderr, for the service manager or container runtime to collect.
# GUNICORN_ACCESS_LOG=- (stdout, the default), a file path, or empty for no access log (when
# the proxy in front keeps one already).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
# The reader's address as the proxy saw it (X-Forwarded-For; %(h)s is the proxy itself behind
# one), the request, status, body bytes, time taken in milliseconds, referrer, user agent, and
# the request id the answer carries (X-Request-ID), which the site's log lines show too.
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" [%({x-request-id}o)s]'
)

# Workers signal they are alive by touching a file every few seconds. In a container /tmp may
# be a disk-backed overlay, where that can stall and get healthy workers killed; /dev/shm is
# memory.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

#: After this many requests a worker has loaded what it keeps (templates, URL patterns, cached
#: menus): it is then frozen out of the garbage collector's full collections, as config/wsgi.py
#: freezes what importing loaded. Otherwise each full collection walks some 45,000 objects
#: and holds a request 20-40 ms, several times in every few hundred (docs/performance.md,
#: "Search p99"); frozen, 6-12 ms.
_WARM_AFTER_REQUESTS = 200


def post_request(worker, req, environ, resp) -> None:
    if worker.nr == _WARM_AFTER_REQUESTS:
        import gc  # here, not at the top: every top-level name must be a gunicorn setting

        gc.collect()  # what is garbage now must not be frozen with the rest
        gc.freeze()
