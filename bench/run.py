"""Dossier's benchmark, in one run: build the corpus, serve it as production does, measure.

    .venv/bin/python bench/run.py                 # 100,000 articles, results printed
    .venv/bin/python bench/run.py --write         # ...and added to docs/performance.md
    .venv/bin/python bench/run.py --articles 2000 --duration 5   # a quick look

What it does:
1. PostgreSQL database `dossier_bench` on 127.0.0.1:5432, migrated, with `seed_bench` (the
   command skips what already exists, so a second run starts measuring at once).
2. gunicorn with config/gunicorn.py (2 sync workers), production settings (DEBUG=0), Redis as
   the cache, static files collected; plus nginx with deploy/nginx/dossier.conf in front.
3. wrk on loopback against: the ceiling (a Django view returning fixed bytes the size of an
   article page, with no middleware: bench/bare_settings.py; and the same view through
   Dossier's middleware, for comparison), the article page served from the page cache (these
   two back to back, in --rounds rounds, the target judged on the median round's ratio) and
   rendered afresh (a different article each request, page cache off), home, a topic page,
   search (a different query each request; also at one connection per worker, for latency),
   a sitemap section, a feed; nginx serving the article page from its cache and serving the
   same bytes as a static file. req/s, p50 and p99 for each, the gunicorn workers' memory,
   and each target met or not.

It needs wrk and nginx (Debian packages; installed with apt-get when missing and running as
root), PostgreSQL and Redis on their usual local ports. Every server it starts is stopped at
the end. Load goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
VAR = ROOT / "var" / "bench"
APP_PORT, NGINX_PORT = 8001, 8081
APP = f"http://127.0.0.1:{APP_PORT}"
FRONT = f"http://127.0.0.1:{NGINX_PORT}"
DB_NAME = "dossier_bench"
WORKERS = 2
SETTLE_SECONDS = 3
CEILING = "Ceiling: Django view, fixed bytes, no middleware"
SEARCH_LATENCY = "Search, page cache off, one connection per worker"
CACHED = "Article, page cache"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(*cmd, env=None, capture=False, check=True) -> str:
    result = subprocess.run(
        [str(c) for c in cmd],
        env=env,
        cwd=ROOT,
        check=check,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def need_tools() -> None:
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if missing and os.geteuid() == 0:
        log(f"installing {' '.join(missing)} from Debian")
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "wrk", "nginx-light")
    elif missing:
        sys.exit(f"bench needs {', '.join(missing)}: apt-get install wrk nginx-light")


def site_env(*, page_cache: bool = True, settings: str = "bench.settings") -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        # Plain HTTP on loopback: no redirect to HTTPS, cookies not Secure.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(VAR / "static"),
        "PAGE_CACHE": "1" if page_cache else "0",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_BIND": f"127.0.0.1:{APP_PORT}",
    }
    return env


def prepare(articles: int) -> None:
    exists = run(
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-tAc",
        f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'",
        capture=True,
    )
    if not exists.strip():
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DB_NAME}")
    env = site_env()
    run(PY, "manage.py", "migrate", "--noinput", "-v0", env=env)
    started = time.monotonic()
    run(PY, "manage.py", "seed_bench", "--articles", articles, env=env)
    log(f"corpus ready in {time.monotonic() - started:.0f} s")
    run(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)


SAMPLE = """
import json, random
from articles.models import Article
from topics.models import Topic
from django.urls import reverse
live = Article.objects.live()
count = live.count()
ids = list(live.order_by("?").values_list("slug", flat=True)[:3000])
topic = Topic.objects.filter(parent__isnull=True).order_by("pk").first()
words = [w for a in live.order_by("?").values_list("title", flat=True)[:500] for w in a.split()
         if len(w) > 4][:800]
print(json.dumps({"count": count, "slugs": ids, "topic": topic.get_absolute_url(),
                  "words": words}))
"""


def sample() -> dict:
    out = run(PY, "manage.py", "shell", "-c", SAMPLE, env=site_env(), capture=True)
    return json.loads(out.strip().splitlines()[-1])


class Server:
    def __init__(self, cmd, env, url: str, name: str):
        self.name, self.url = name, url
        self.process = subprocess.Popen(
            [str(c) for c in cmd],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=open(VAR / f"{name}.log", "w"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    sys.exit(f"{name} did not start; see {VAR / (name + '.log')}")
                time.sleep(0.5)
        sys.exit(f"{name} did not answer within a minute")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


def gunicorn(*, page_cache: bool, settings: str = "bench.settings") -> Server:
    cmd = [ROOT / ".venv" / "bin" / "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
    env = site_env(page_cache=page_cache, settings=settings)
    return Server(cmd, env, f"{APP}/robots.txt", "gunicorn")


def worker_rss_mb(server: Server) -> list[float]:
    out = run(
        "ps", "-o", "pid=,ppid=,rss=", "--ppid", server.process.pid, capture=True, check=False
    )
    return [int(line.split()[2]) / 1024 for line in out.strip().splitlines() if line.strip()]


def nginx(static_body: bytes) -> Server:
    conf = (ROOT / "deploy" / "nginx" / "dossier.conf").read_text()
    conf = (
        conf.replace("listen 80;", f"listen 127.0.0.1:{NGINX_PORT};")
        .replace("/var/cache/nginx/dossier", str(VAR / "nginx-cache"))
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{APP_PORT};")
        .replace("/srv/dossier/staticfiles/", str(VAR / "static") + "/")
        .replace("/srv/dossier/media/", str(ROOT / "media") + "/")
    )
    # The same bytes as the article page, as a plain static file: nginx's own ceiling.
    (VAR / "bench-static").mkdir(parents=True, exist_ok=True)
    (VAR / "bench-static" / "article.html").write_bytes(static_body)
    conf = conf.replace(
        "    location /static/ {",
        f"    location = /__bench__/static-article.html {{\n"
        f"        alias {VAR / 'bench-static' / 'article.html'};\n"
        f"        default_type text/html;\n    }}\n\n    location /static/ {{",
    )
    shutil.rmtree(VAR / "nginx-cache", ignore_errors=True)
    main = (
        f"daemon off;\nworker_processes 1;\npid {VAR / 'nginx.pid'};\n"
        f"error_log {VAR / 'nginx-error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n  access_log off;\n  include /etc/nginx/mime.types;\n"
        f"  client_body_temp_path {VAR}/nginx-tmp;\n  proxy_temp_path {VAR}/nginx-tmp;\n"
        f"{conf}\n}}\n"
    )
    path = VAR / "nginx.conf"
    path.write_text(main)
    (VAR / "nginx-tmp").mkdir(exist_ok=True)
    return Server(["nginx", "-c", path, "-p", VAR], os.environ, f"{FRONT}/robots.txt", "nginx")


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str,
    *,
    duration: int,
    connections: int,
    paths: list[str] | None = None,
    gzip: bool = False,
) -> dict:
    # When wrk stops, the requests still queued at gunicorn (up to one per connection) are
    # served for a while yet: without a pause the next line's first requests wait behind them,
    # which once put 200 ms on a p99 that was 70 ms on its own.
    time.sleep(SETTLE_SECONDS)
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if gzip:  # as browsers and CDNs ask
        cmd[1:1] = ["-H", "Accept-Encoding: gzip"]
    env = dict(os.environ)
    if paths:
        handle = tempfile.NamedTemporaryFile("w", delete=False, dir=VAR)  # noqa: SIM115
        handle.write("\n".join(paths) + "\n")
        handle.close()
        env["BENCH_PATHS"] = handle.name
        cmd[1:1] = ["-s", str(ROOT / "bench" / "random_paths.lua")]
    out = subprocess.run(cmd, env=env, text=True, capture_output=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = {m[0]: float(m[1]) * UNITS[m[2]] for m in LATENCY.findall(out)}
    return {
        "rps": float(RATE.search(out)[1]),
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "errors": int(errors[1]) if errors else 0,
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median req/s (of an odd number; the upper middle of an even one)."""
    return sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    pg = run(
        "psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version", capture=True
    ).strip()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, PostgreSQL {pg}"
    )


def measure(args) -> tuple[list[dict], dict]:
    data = sample()
    article = "/articles/" + data["slugs"][0] + "/"
    articles = ["/articles/" + slug + "/" for slug in data["slugs"]]
    searches = [f"/search/?q={word}" for word in data["words"]] or ["/search/?q=energy"]

    def run_wrk(
        url: str, paths: list[str] | None = None, connections: int = 0, gzip: bool = False
    ) -> dict:
        connections = connections or args.connections
        return wrk(url, duration=args.duration, connections=connections, paths=paths, gzip=gzip)

    results: list[dict] = []
    notes: dict = {"articles_live": data["count"]}

    server = gunicorn(page_cache=True)
    try:
        page = urllib.request.urlopen(APP + article).read()
        notes["article_bytes"] = len(page)
        # The ceiling view answers with exactly as many bytes as this article page.
        server.stop()
        os.environ["BENCH_CEILING_BYTES"] = str(len(page))
        # The ceiling and the cached article, measured back to back in several rounds: this
        # machine's speed drifts by a third over minutes, and a ratio of two lines measured
        # minutes apart measured the drift as much as the code.
        ceilings, cached = [], []
        for round_ in range(1, args.rounds + 1):
            if round_ > 1:
                server.stop()
            server = gunicorn(page_cache=False, settings="bench.bare_settings")
            log(f"wrk: {CEILING} (round {round_} of {args.rounds})")
            ceilings.append(run_wrk(APP + "/__bench__/ceiling/"))
            server.stop()
            server = gunicorn(page_cache=True)
            urllib.request.urlopen(APP + article).read()  # stored, then served from the cache
            log(f"wrk: {CACHED} (round {round_} of {args.rounds})")
            cached.append(run_wrk(APP + article))
        results.append({"label": CEILING, **median_run(ceilings)})
        results.append({"label": CACHED, **median_run(cached)})
        pairs = zip(cached, ceilings, strict=True)
        notes["cached_ratios"] = [hit["rps"] / bare["rps"] for hit, bare in pairs]
        notes["ceiling_range"] = (min(r["rps"] for r in ceilings), max(r["rps"] for r in ceilings))
        for url in ("/", data["topic"], "/sitemap-articles.xml", "/feeds/articles/"):
            urllib.request.urlopen(APP + url).read()  # warm the page cache
        plan = [
            (
                "The same view through Dossier's middleware",
                APP + "/__bench__/ceiling/",
                None,
            ),
            ("Home, page cache", APP + "/", None),
            ("Topic page, page cache", APP + data["topic"], None),
            ("Sitemap section, page cache", APP + "/sitemap-articles.xml", None),
            ("Feed, page cache", APP + "/feeds/articles/", None),
            ("Search, a different query each time", APP, searches),
        ]
        for label, url, paths in plan:
            log(f"wrk: {label}")
            results.append({"label": label, **run_wrk(url, paths=paths)})
        label = "Article, page cache, gzip asked for (as browsers do)"
        log(f"wrk: {label}")
        results.append({"label": label, **run_wrk(APP + article, gzip=True)})
        notes["rss_cached_mb"] = worker_rss_mb(server)
    finally:
        server.stop()

    server = gunicorn(page_cache=False)
    try:
        for label, url, paths, connections in [
            ("Article, rendered each time (a different article each request)", APP, articles, 0),
            ("Home, rendered each time", APP + "/", None, 0),
            ("Search, page cache off", APP, searches, 0),
            # With more connections than workers, a request's latency is mostly its wait in
            # the queue (even the ceiling view's p99 is hundreds of ms at 16): one connection
            # per worker measures how long a search itself takes under full load.
            (SEARCH_LATENCY, APP, searches, WORKERS),
        ]:
            log(f"wrk: {label}")
            results.append({"label": label, **run_wrk(url, paths, connections)})
        notes["rss_uncached_mb"] = worker_rss_mb(server)
    finally:
        server.stop()

    server = gunicorn(page_cache=True)
    front = nginx(page)
    try:
        urllib.request.urlopen(FRONT + article).read()
        second = urllib.request.urlopen(FRONT + article)
        notes["nginx_cache_status"] = second.headers.get("X-Front-Cache")
        for label, url in [
            ("nginx: static file of the article's bytes", FRONT + "/__bench__/static-article.html"),
            ("nginx front: article from its cache", FRONT + article),
        ]:
            log(f"wrk: {label}")
            results.append({"label": label, **run_wrk(url)})
    finally:
        front.stop()
        server.stop()
    return results, notes


def report(results: list[dict], notes: dict, args) -> str:
    ceiling = results[0]["rps"]
    static = next(r["rps"] for r in results if r["label"].startswith("nginx: static"))
    rows = [
        "| What | req/s | × ceiling | p50 ms | p99 ms | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rows.append(
            f"| {r['label']} | {r['rps']:,.0f} | {r['rps'] / ceiling:.2f} | "
            f"{r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |"
        )
    front = next(r["rps"] for r in results if r["label"].startswith("nginx front"))
    rss = notes["rss_cached_mb"] + notes["rss_uncached_mb"]
    by_label = {r["label"]: r for r in results}
    ratios = sorted(notes["cached_ratios"])
    cached = ratios[len(ratios) // 2]  # the median of rounds measured back to back
    uncached = (
        by_label["Article, rendered each time (a different article each request)"]["rps"] / ceiling
    )
    search_p99 = by_label[SEARCH_LATENCY]["p99"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    low, high = notes["ceiling_range"]
    targets = [
        f"- Target, cached article ≥ 0.8 × ceiling: {cached:.2f}, {verdict(cached >= 0.8)} "
        f"(median of {len(ratios)} rounds, each the cached article measured right after the "
        f"ceiling: {', '.join(f'{r:.2f}' for r in notes['cached_ratios'])}; the table shows "
        f"each line's median round; the ceiling ranged {low:,.0f}–{high:,.0f} req/s).",
        f"- Target, uncached article ≥ 0.25 × ceiling: {uncached:.2f}, "
        f"{verdict(uncached >= 0.25)}.",
        f"- Target, search p99 ≤ 100 ms (one connection per worker): {search_p99:.0f} ms, "
        f"{verdict(search_p99 <= 100)}.",
        f"- Target, worker RSS ≤ 120 MB: at most {max(rss):.0f} MB, {verdict(max(rss) <= 120)}.",
    ]
    return "\n".join(
        [
            f"### Run of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"Machine: {machine()}. Corpus: {args.articles:,} articles requested, "
            f"{notes['articles_live']:,} live. Article page: {notes['article_bytes']:,} bytes. "
            f"wrk: 2 threads, {args.connections} connections ({WORKERS} on the line that says "
            f"so), {args.duration} s per line, on loopback. gunicorn: {WORKERS} sync workers, "
            "DEBUG=0, Redis cache, PostgreSQL.",
            "",
            *rows,
            "",
            *targets,
            f"- nginx front serving the article from its cache: {front / static:.2f} × nginx "
            f"serving the same bytes as a static file (second request's X-Front-Cache: "
            f"{notes['nginx_cache_status']}).",
            f"- gunicorn worker memory (RSS) after the runs: {', '.join(f'{m:.0f}' for m in rss)} "
            "MB.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of ceiling, then cached article"
    )
    parser.add_argument("--skip-seed", action="store_true", help="use the corpus as it is")
    parser.add_argument("--write", action="store_true", help="append to docs/performance.md")
    args = parser.parse_args()
    if min(args.articles, args.duration, args.connections, args.rounds) < 1:
        parser.error("--articles, --duration, --connections and --rounds must be positive")
    VAR.mkdir(parents=True, exist_ok=True)
    need_tools()
    if not args.skip_seed:
        prepare(args.articles)
    results, notes = measure(args)
    text = report(results, notes, args)
    print(text)
    if args.write:
        doc = ROOT / "docs" / "performance.md"
        current = doc.read_text() if doc.exists() else "# Performance\n"
        marker = "## Benchmark results\n"
        if marker not in current:
            current += "\n" + marker + "\nNewest first; each run is `bench/run.py --write`.\n"
        head, _, tail = current.partition(marker)
        intro, _, older = tail.partition("### Run of ")
        older = ("### Run of " + older) if older else ""
        doc.write_text(head + marker + intro.rstrip() + "\n\n" + text + "\n" + older)
        log(f"written to {doc}")


if __name__ == "__main__":
    main()
