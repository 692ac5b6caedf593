"""Dossier's benchmark, in one run: build the corpus, serve it as production does, measure.

    .venv/bin/python bench/run.py                 # 100,000 articles, results printed
    .venv/bin/python bench/run.py --write         # ...and added to docs/performance.md
    .venv/bin/python bench/run.py --articles 2000 --duration 5   # a quick look
    .venv/bin/python bench/run.py --no-peer       # without the Wagtail peer

What it does:
1. PostgreSQL database `dossier_bench` on 127.0.0.1:5432, migrated, with `seed_bench` (the
   command skips what already exists, so a second run starts measuring at once).
2. gunicorn with config/gunicorn.py (2 sync workers), production settings (DEBUG=0), Redis as
   the cache, static files collected; plus nginx with deploy/nginx/dossier.conf in front.
   The Wagtail peer (--peer, below) is started beside it with its own serve.sh.
3. wrk on loopback, in --rounds rounds, each line's table figure its median round:
   - the ceiling (a Django view returning fixed bytes the size of an article page, with no
     middleware: bench/bare_settings.py) and, right after it, the article page served from
     the page cache;
   - the Wagtail peer's article page (a line of its urls.txt) and home page, each beside
     Dossier's pages rendered at request time (page cache off): the article (a different
     article each request, and one article again and again, as the peer's line does), home,
     a topic page, search (a different query each request); and the article and search at one
     connection per worker, for their latency. Before the first round each sampled article
     is opened once, so its page's parts are kept (articles/page_parts.py), as they are for
     every article opened since its last change; after the rounds, once, the article without
     kept parts (PAGE_PARTS=0) beside the peer's article.
   Then once: the ceiling view through Dossier's middleware, home, topic, sitemap, feed and
   search through the page cache, the cached article with gzip asked for, search uncached at
   full load, and nginx serving the article page from its cache and the same bytes as a
   static file. req/s, p50 and p99 for each, the gunicorn workers' memory, each ratio and
   each target met or not.
4. Before each line it waits (up to --quiet-wait seconds) for the machine to be idle, and while
   wrk runs it measures the CPU other processes take (not wrk, gunicorn, nginx, PostgreSQL,
   Redis); above --other-max per cent the line is measured again (up to --tries), and the try
   with the least other work is kept. The table shows that share for each line.

The Wagtail peer is someone else's harness (a copy of it in var/peer-bench/, git-ignored, never
committed; its README says how to set it up). When the folder or its setup is missing the peer
lines are skipped, with a message saying so, and the report says they were not measured.

It needs wrk and nginx (Debian packages; installed with apt-get when missing and running as
root), PostgreSQL and Redis on their usual local ports. Every server it starts is stopped at
the end; it refuses to start one on a port that already answers. Load goes to 127.0.0.1 only.
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
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
VAR = ROOT / "var" / "bench"
# Dossier's gunicorn on 8010: 8001 is the Wagtail peer's port (its serve.sh default).
APP_PORT, NGINX_PORT, PEER_PORT = 8010, 8081, 8001
APP = f"http://127.0.0.1:{APP_PORT}"
FRONT = f"http://127.0.0.1:{NGINX_PORT}"
PEER = f"http://127.0.0.1:{PEER_PORT}"
DB_NAME = "dossier_bench"
WORKERS = 2
SETTLE_SECONDS = 3
CEILING = "Ceiling: Django view, fixed bytes, no middleware"
CACHED = "Article, page cache"
WAGTAIL_ARTICLE = "Wagtail peer: article (rendered each time)"
WAGTAIL_HOME = "Wagtail peer: home (rendered each time)"
WAGTAIL_ARTICLE_AGAIN = "Wagtail peer: article (again, beside the line without kept parts)"
UNCACHED_ARTICLE = "Article, rendered each time (a different article each request)"
UNCACHED_SAME = "Article, rendered each time (one article, as the peer's line)"
PARTS_OFF_ARTICLE = (
    "Article, rendered each time without kept parts (PAGE_PARTS=0: as for the first reader "
    "after a change)"
)
UNCACHED_HOME = "Home, rendered each time"
UNCACHED_TOPIC = "Topic page, rendered each time"
UNCACHED_SEARCH = "Search, page cache off (a different query each request)"
ARTICLE_LATENCY = "Article, page cache off, one connection per worker"
SEARCH_LATENCY = "Search, page cache off, one connection per worker"
# Processes whose CPU is the benchmark's own; anything else busy is "other work".
OURS = ("wrk", "gunicorn", "nginx", "postgres", "redis-server", "ksoftirqd")


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


def site_env(
    *, page_cache: bool = True, parts: bool = True, settings: str = "bench.settings"
) -> dict[str, str]:
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
        "PAGE_PARTS": "1" if parts else "0",
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


def answers(url: str) -> bool:
    """Whether something already listens at the URL's host and port."""
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


class Server:
    def __init__(self, cmd, env, url: str, name: str):
        self.name, self.url = name, url
        if answers(url):  # never measure a stale server left by someone else
            sys.exit(f"{name}: {url} already answers; stop that server first")
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
        self.stop()
        sys.exit(f"{name} did not answer within a minute")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)


def gunicorn(*, page_cache: bool, parts: bool = True, settings: str = "bench.settings") -> Server:
    cmd = [ROOT / ".venv" / "bin" / "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
    env = site_env(page_cache=page_cache, parts=parts, settings=settings)
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


class Peer:
    """The Wagtail peer: a copy of the shared peer-bench harness, set up with its own scripts.

    `Peer.find(folder)` gives the peer, or None and why not (then the run goes on without it)."""

    def __init__(self, folder: Path, article: str):
        self.folder, self.article = folder, article

    @classmethod
    def find(cls, folder: Path, line: int) -> tuple[Peer | None, str]:
        setup = f"run {folder}/peer_wagtail/setup.sh and {folder}/limit/setup.sh"
        if not (folder / "peer_wagtail" / "serve.sh").is_file():
            return None, (
                f"no Wagtail peer in {folder} (copy /work/shared/peer-bench there, "
                f"git-ignored, and {setup})"
            )
        urls = folder / "peer_wagtail" / "urls.txt"
        if not urls.is_file() or not (folder / ".venv" / "bin" / "gunicorn").exists():
            return None, f"the Wagtail peer in {folder} is not set up ({setup})"
        lines = [u.strip() for u in urls.read_text().splitlines() if u.strip()]
        if not 1 <= line <= len(lines):
            return None, f"{urls} has {len(lines)} lines, no line {line}"
        return cls(folder, lines[line - 1]), ""

    def start(self) -> Server:
        # As its run_peers.sh starts it: serve.sh, gunicorn, 2 sync workers, DEBUG off.
        env = {**os.environ, "PORT": str(PEER_PORT), "WORKERS": str(WORKERS)}
        return Server([self.folder / "peer_wagtail" / "serve.sh"], env, PEER + "/", "wagtail")

    def versions(self) -> str:
        code = (
            "import django, wagtail, gunicorn; "
            "print(django.get_version(), wagtail.__version__, gunicorn.__version__)"
        )
        out = run(self.folder / ".venv" / "bin" / "python", "-c", code, capture=True)
        django, wagtail, gunicorn_ = out.split()
        return f"Wagtail {wagtail} on Django {django}, gunicorn {gunicorn_}"


def warm(url: str, times: int = 2 * WORKERS) -> int:
    """Ask for a page a few times (so each worker has filled its own caches); its size."""
    size = 0
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=30) as response:
            size = len(response.read())
    return size


def warm_parts(urls: list[str]) -> float:
    """Ask for each article once, four at a time, so each has its page's parts kept, as every
    article a reader or crawler has opened since its last change has; the seconds it took."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(url: str) -> None:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(fetch, urls))
    return time.monotonic() - started


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7], sum(v[:8])


def our_processes() -> dict[str, tuple[str, int]]:
    """The benchmark's processes: pid -> (parent's pid, CPU ticks of the process and of the
    children it has reaped)."""
    found, me = {}, str(os.getpid())
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                data = f.read()
        except OSError:
            continue
        name = data[data.index("(") + 1 : data.rindex(")")]
        if name.startswith(OURS) or pid == me:
            fields = data[data.rindex(")") + 2 :].split()
            # ppid; utime, stime, cutime, cstime
            found[pid] = (fields[1], sum(int(x) for x in fields[11:15]))
    return found


class OtherWork(threading.Thread):
    """While wrk runs: the share of all CPU that processes other than ours took, in %.

    Our processes are sampled every 0.25 s. Some live for less than that: PostgreSQL's
    parallel query workers, started for one query. Their time is not lost: when one ends, its
    parent (ours: the postmaster) adds it to its own children's time, so a parent's growth
    counts it, less what was already counted of the children seen ending."""

    def __init__(self):
        super().__init__(daemon=True)
        self.done = threading.Event()
        self.percent = 0

    def run(self) -> None:
        busy0, total0 = cpu_ticks()
        first = {pid: ticks for pid, (_, ticks) in our_processes().items()}
        last: dict[str, tuple[str, int]] = {}
        while True:
            now = our_processes()
            for pid, seen in now.items():
                first.setdefault(pid, 0)  # started during the window
                last[pid] = seen
            if self.done.wait(0.25):
                break
        now = our_processes()
        busy1, total1 = cpu_ticks()
        for pid, seen in now.items():
            first.setdefault(pid, 0)
            last[pid] = seen
        ours = sum(ticks - first[pid] for pid, (_, ticks) in last.items())
        # Ended children that a live process of ours reaped: counted in the parent's growth.
        ours -= sum(
            ticks for pid, (parent, ticks) in last.items() if pid not in now and parent in now
        )
        self.percent = round(100 * max(0, busy1 - busy0 - ours) / max(1, total1 - total0))

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.percent


def idle_percent(seconds: float = 1.0) -> float:
    busy0, total0 = cpu_ticks()
    time.sleep(seconds)
    busy1, total1 = cpu_ticks()
    return 100 - 100 * (busy1 - busy0) / max(1, total1 - total0)


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class Wrk:
    """wrk with the run's settings and its quietness guards."""

    def __init__(self, args):
        self.args = args

    def __call__(
        self,
        label: str,
        url: str,
        *,
        paths: list[str] | None = None,
        connections: int = 0,
        gzip: bool = False,
    ) -> dict:
        args = self.args
        best = None
        for attempt in range(1, args.tries + 1):
            # When wrk stops, the requests still queued at gunicorn (up to one per connection)
            # are served for a while yet: without a pause the next line's first requests wait
            # behind them, which once put 200 ms on a p99 that was 70 ms on its own.
            time.sleep(SETTLE_SECONDS)
            idle, waited = idle_percent(), 1
            while idle < args.quiet_idle and waited < args.quiet_wait:
                idle, waited = idle_percent(), waited + 1
            if idle < args.quiet_idle:
                log(f"warning: machine busy before {label!r} (idle {idle:.0f}%)")
            result = self.once(url, paths=paths, connections=connections, gzip=gzip)
            log(
                f"wrk: {label}: {result['rps']:,.1f} req/s, p50 {result['p50']:.1f} ms, "
                f"p99 {result['p99']:.1f} ms, other work {result['other']}% (try {attempt})"
            )
            if best is None or result["other"] < best["other"]:
                best = result
            if result["other"] <= args.other_max:
                break
        if best["other"] > args.other_max:
            log(f"warning: {label}: other work took {best['other']}% even in the best try")
        return {"label": label, **best}

    def once(self, url, *, paths, connections, gzip) -> dict:
        connections = connections or self.args.connections
        cmd = ["wrk", "-t2", f"-c{connections}", f"-d{self.args.duration}s", "--latency", url]
        if gzip:  # as browsers and CDNs ask
            cmd[1:1] = ["-H", "Accept-Encoding: gzip"]
        env = dict(os.environ)
        handle = None
        if paths:
            handle = tempfile.NamedTemporaryFile("w", delete=False, dir=VAR)  # noqa: SIM115
            handle.write("\n".join(paths) + "\n")
            handle.close()
            env["BENCH_PATHS"] = handle.name
            cmd[1:1] = ["-s", str(ROOT / "bench" / "random_paths.lua")]
        sampler = OtherWork()
        sampler.start()
        try:
            out = subprocess.run(cmd, env=env, text=True, capture_output=True, check=True).stdout
        finally:
            other = sampler.stop()
            if handle:
                os.unlink(handle.name)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        latency = {m[0]: float(m[1]) * UNITS[m[2]] for m in LATENCY.findall(out)}
        return {
            "rps": float(RATE.search(out)[1]),
            "p50": latency.get("50"),
            "p99": latency.get("99"),
            "errors": int(errors[1]) if errors else 0,
            "other": other,
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


def code_version() -> str:
    """The commit measured, and any app code changed beside it (others work here too)."""
    commit = run("git", "rev-parse", "--short", "HEAD", capture=True, check=False).strip()
    status = run(
        "git",
        "status",
        "--porcelain",
        "--",
        ".",
        ":!bench",
        ":!docs",
        ":!*.md",
        capture=True,
        check=False,
    )
    changed = [line[3:] for line in status.splitlines() if line.strip()]
    if not changed:
        return f"commit {commit or 'unknown'}, no local changes"
    return f"commit {commit or 'unknown'} with uncommitted changes to {', '.join(changed)}"


def measure(args, peer: Peer | None) -> tuple[list[dict], dict]:
    data = sample()
    article = "/articles/" + data["slugs"][0] + "/"
    articles = ["/articles/" + slug + "/" for slug in data["slugs"]]
    searches = [f"/search/?q={word}" for word in data["words"]] or ["/search/?q=energy"]
    wrk = Wrk(args)

    results: list[dict] = []
    notes: dict = {"articles_live": data["count"], "article": article, "topic": data["topic"]}
    rounds: dict[str, list[dict]] = {}

    def keep(result: dict) -> None:
        rounds.setdefault(result["label"], []).append(result)

    peer_server = server = None
    try:
        peer_server = peer.start() if peer else None
        server = gunicorn(page_cache=True)
        page = urllib.request.urlopen(APP + article).read()
        notes["article_bytes"] = len(page)
        # The ceiling view answers with exactly as many bytes as this article page.
        server.stop()
        os.environ["BENCH_CEILING_BYTES"] = str(len(page))
        if peer:
            notes["peer_bytes"] = {
                "article": warm(PEER + peer.article),
                "home": warm(PEER + "/"),
            }
        # Every line whose ratio is a target is measured in each round, next to what it is
        # compared with: this machine's speed drifts by a third over minutes, and a ratio of two
        # lines measured minutes apart measured the drift as much as the code.
        for round_ in range(1, args.rounds + 1):
            log(f"round {round_} of {args.rounds}")
            server.stop()
            server = gunicorn(page_cache=False, settings="bench.bare_settings")
            keep(wrk(CEILING, APP + "/__bench__/ceiling/"))
            server.stop()
            server = gunicorn(page_cache=True)
            urllib.request.urlopen(APP + article).read()  # stored, then served from the cache
            keep(wrk(CACHED, APP + article))
            server.stop()
            server = gunicorn(page_cache=False)
            for url in ("/", data["topic"], article, searches[0]):
                notes.setdefault("uncached_bytes", {})[url] = warm(APP + url)
            if round_ == 1:
                # Kept parts (articles/page_parts.py) are derived data: every article opened
                # since its last change has them. Render them once for the sample; the line
                # PARTS_OFF_ARTICLE measures pages rendered without them.
                seconds = warm_parts([APP + url for url in articles])
                notes["parts_warmed"] = (len(articles), seconds)
                log(f"page parts of {len(articles):,} articles rendered in {seconds:.0f} s")
            if peer:
                keep(wrk(WAGTAIL_ARTICLE, PEER + peer.article))
            keep(wrk(UNCACHED_ARTICLE, APP, paths=articles))
            keep(wrk(UNCACHED_SAME, APP + article))
            if peer:
                keep(wrk(WAGTAIL_HOME, PEER + "/"))
            keep(wrk(UNCACHED_HOME, APP + "/"))
            keep(wrk(UNCACHED_TOPIC, APP + data["topic"]))
            keep(wrk(UNCACHED_SEARCH, APP, paths=searches))
            # With more connections than workers, a request's latency is mostly its wait in
            # the queue (even the ceiling view's p99 is hundreds of ms at 16): one connection
            # per worker measures how long the page itself takes under full load.
            keep(wrk(ARTICLE_LATENCY, APP, paths=articles, connections=WORKERS))
            keep(wrk(SEARCH_LATENCY, APP, paths=searches, connections=WORKERS))
        notes["rss_uncached_mb"] = worker_rss_mb(server)
        server.stop()
        # Once, beside the peer: the page built as when its parts are not kept.
        server = gunicorn(page_cache=False, parts=False)
        warm(APP + article)
        if peer:
            keep(wrk(WAGTAIL_ARTICLE_AGAIN, PEER + peer.article))
        keep(wrk(PARTS_OFF_ARTICLE, APP, paths=articles))
        server.stop()
        if peer_server:
            peer_server.stop()
        for label in rounds:
            results.append({**median_run(rounds[label]), "rounds": len(rounds[label])})
        notes["rounds"] = rounds

        server = gunicorn(page_cache=True)
        for url in ("/", data["topic"], "/sitemap-articles.xml", "/feeds/articles/", article):
            urllib.request.urlopen(APP + url).read()  # warm the page cache
        plan = [
            ("The same view through Dossier's middleware", APP + "/__bench__/ceiling/", None),
            ("Home, page cache", APP + "/", None),
            ("Topic page, page cache", APP + data["topic"], None),
            ("Sitemap section, page cache", APP + "/sitemap-articles.xml", None),
            ("Feed, page cache", APP + "/feeds/articles/", None),
            ("Search, page cache on (a different query each request)", APP, searches),
        ]
        for label, url, paths in plan:
            results.append(wrk(label, url, paths=paths))
        label = "Article, page cache, gzip asked for (as browsers do)"
        results.append(wrk(label, APP + article, gzip=True))
        notes["rss_cached_mb"] = worker_rss_mb(server)
    finally:
        for running in (server, peer_server):
            if running:
                running.stop()

    server = front = None
    try:
        server = gunicorn(page_cache=True)
        front = nginx(page)
        urllib.request.urlopen(FRONT + article).read()
        second = urllib.request.urlopen(FRONT + article)
        notes["nginx_cache_status"] = second.headers.get("X-Front-Cache")
        for label, url in [
            ("nginx: static file of the article's bytes", FRONT + "/__bench__/static-article.html"),
            ("nginx front: article from its cache", FRONT + article),
        ]:
            results.append(wrk(label, url))
    finally:
        for running in (front, server):
            if running:
                running.stop()
    return results, notes


def round_ratios(notes: dict, top: str, bottom: str) -> list[float]:
    """top / bottom in each round (each pair measured minutes apart at most)."""
    pairs = zip(notes["rounds"][top], notes["rounds"][bottom], strict=True)
    return [a["rps"] / b["rps"] for a, b in pairs]


def report(results: list[dict], notes: dict, args, peer: Peer | None, peer_note: str) -> str:
    by_label = {r["label"]: r for r in results}
    ceiling = by_label[CEILING]["rps"]
    static = by_label["nginx: static file of the article's bytes"]["rps"]
    rows = [
        "| What | req/s | × ceiling | p50 ms | p99 ms | non-2xx | other CPU % |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rounds = f" [median of {r['rounds']}]" if r.get("rounds", 1) > 1 else ""
        rows.append(
            f"| {r['label']}{rounds} | {r['rps']:,.1f} | {r['rps'] / ceiling:.3f} | "
            f"{r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} | {r['other']} |"
        )
    front = by_label["nginx front: article from its cache"]["rps"]
    rss = notes["rss_cached_mb"] + notes["rss_uncached_mb"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    def summary(values: list[float]) -> tuple[float, str]:
        ordered = sorted(values)
        middle = ordered[len(ordered) // 2]
        return middle, ", ".join(f"{v:.2f}" for v in values)

    lines, beside = [], []
    if peer:
        beside = [
            "Beside the Wagtail peer, in the same rounds (ratio: Dossier's req/s over Wagtail's "
            "in the same round; the median of the rounds, then each round in order):",
            "",
            "| Dossier, page cache off | req/s | Wagtail peer | req/s | Ratio | By round | "
            "Target |",
            "| --- | ---: | --- | ---: | ---: | --- | --- |",
        ]
        comparisons = [
            ("article, a different one each request", UNCACHED_ARTICLE, WAGTAIL_ARTICLE, True),
            ("article, one again and again", UNCACHED_SAME, WAGTAIL_ARTICLE, False),
            ("article without kept parts", PARTS_OFF_ARTICLE, WAGTAIL_ARTICLE_AGAIN, False),
            ("home", UNCACHED_HOME, WAGTAIL_HOME, True),
            ("topic page", UNCACHED_TOPIC, WAGTAIL_HOME, True),
        ]
        for name, top, bottom, is_target in comparisons:
            ratio, each = summary(round_ratios(notes, top, bottom))
            wagtail = "home" if bottom == WAGTAIL_HOME else "article"
            target = f"≥ 3: {verdict(ratio >= 3)}" if is_target else "(not a target)"
            beside.append(
                f"| {name} | {by_label[top]['rps']:,.1f} | {wagtail} | "
                f"{by_label[bottom]['rps']:,.1f} | {ratio:.2f} | {each} | {target} |"
            )
            if is_target:
                lines.append(
                    f"- Target, uncached {name.split(',')[0]} ≥ 3 × Wagtail's {wagtail} page: "
                    f"{ratio:.2f}, {verdict(ratio >= 3)}."
                )
        beside.append("")
    else:
        lines.append(f"- Targets against the Wagtail peer: **not measured**: {peer_note}.")
    article_p99 = by_label[ARTICLE_LATENCY]["p99"]
    search_p99 = by_label[SEARCH_LATENCY]["p99"]
    cached, each = summary(round_ratios(notes, CACHED, CEILING))
    uncached = by_label[UNCACHED_ARTICLE]["rps"] / ceiling
    low = min(r["rps"] for r in notes["rounds"][CEILING])
    high = max(r["rps"] for r in notes["rounds"][CEILING])
    lines += [
        f"- Target, uncached article p99 ≤ 25 ms at one connection per worker: "
        f"{article_p99:.1f} ms, {verdict(article_p99 <= 25)}.",
        f"- Target, search p99 ≤ 50 ms at one connection per worker: {search_p99:.1f} ms, "
        f"{verdict(search_p99 <= 50)} (the earlier target, ≤ 100 ms: "
        f"{verdict(search_p99 <= 100)}).",
        f"- Target, cached article ≥ 0.85 × ceiling: {cached:.2f}, {verdict(cached >= 0.85)} "
        f"(rounds, each measured right after the ceiling: {each}; the ceiling ranged "
        f"{low:,.0f}–{high:,.0f} req/s).",
        f"- Earlier target, uncached article ≥ 0.25 × ceiling: {uncached:.2f}, "
        f"{verdict(uncached >= 0.25)}.",
        f"- Earlier target, worker RSS ≤ 120 MB: at most {max(rss):.0f} MB, "
        f"{verdict(max(rss) <= 120)}.",
        f"- nginx front serving the article from its cache: {front / static:.2f} × nginx "
        f"serving the same bytes as a static file (second request's X-Front-Cache: "
        f"{notes['nginx_cache_status']}).",
        f"- gunicorn worker memory (RSS) after the runs: {', '.join(f'{m:.0f}' for m in rss)} MB.",
    ]
    if peer:
        peer_line = (
            f"Peer: {peer.versions()}, from {peer.folder.relative_to(ROOT)} (its serve.sh: "
            f"{WORKERS} sync workers, DEBUG off, its seeded 1,000 articles); its article "
            f"`{peer.article}` ({notes['peer_bytes']['article']:,} bytes), its home "
            f"({notes['peer_bytes']['home']:,} bytes)."
        )
    else:
        peer_line = f"Peer: **not measured**: {peer_note}."
    sizes = notes["uncached_bytes"]
    return "\n".join(
        [
            f"### Run of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"Machine: {machine()}. Code: {code_version()}. Corpus: {args.articles:,} articles "
            f"requested, {notes['articles_live']:,} live. Pages: article "
            f"{notes['article_bytes']:,} bytes, home {sizes['/']:,}, topic page "
            f"`{notes['topic']}` {sizes[notes['topic']]:,}. wrk: 2 threads, "
            f"{args.connections} connections ({WORKERS} on the lines that say so), "
            f"{args.duration} s per line, on loopback. gunicorn: {WORKERS} sync workers, "
            f"DEBUG=0, Redis cache, PostgreSQL. {peer_line} Lines marked [median of N] were "
            f"measured in each of N interleaved rounds; the others once. Other CPU: the share "
            f"of the machine's CPU that processes other than the benchmark's took during the "
            f"line (measured again above {args.other_max}%, up to {args.tries} tries). "
            f"Kept page parts: rendered for the {notes['parts_warmed'][0]:,} sampled articles "
            f"before the first round, in {notes['parts_warmed'][1]:.0f} s.",
            "",
            *rows,
            "",
            *beside,
            *lines,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of the lines whose ratios are targets"
    )
    parser.add_argument(
        "--peer",
        type=Path,
        default=ROOT / "var" / "peer-bench",
        help="the Wagtail peer's folder (a set-up copy of peer-bench; default var/peer-bench)",
    )
    parser.add_argument("--no-peer", action="store_true", help="leave the Wagtail peer out")
    parser.add_argument(
        "--peer-article", type=int, default=500, help="line of the peer's urls.txt to measure"
    )
    parser.add_argument(
        "--quiet-idle", type=int, default=90, help="idle CPU %% to wait for before each line"
    )
    parser.add_argument("--quiet-wait", type=int, default=30, help="seconds to wait for it at most")
    parser.add_argument(
        "--other-max", type=int, default=10, help="other work's CPU %% that repeats a line"
    )
    parser.add_argument("--tries", type=int, default=2, help="tries per line at most")
    parser.add_argument("--skip-seed", action="store_true", help="use the corpus as it is")
    parser.add_argument("--write", action="store_true", help="append to docs/performance.md")
    args = parser.parse_args()
    if min(args.articles, args.duration, args.connections, args.rounds, args.tries) < 1:
        parser.error("--articles, --duration, --connections, --rounds and --tries must be positive")
    VAR.mkdir(parents=True, exist_ok=True)
    need_tools()
    if args.no_peer:
        peer, peer_note = None, "left out with --no-peer"
    else:
        peer, peer_note = Peer.find(args.peer.resolve(), args.peer_article)
    if peer:
        log(f"Wagtail peer: {peer.folder}, article {peer.article}")
    else:
        log(f"WARNING: the Wagtail peer lines are skipped: {peer_note}")
    if not args.skip_seed:
        prepare(args.articles)
    results, notes = measure(args, peer)
    text = report(results, notes, args, peer, peer_note)
    print(text)
    if not peer:
        log(f"WARNING: the Wagtail peer lines were skipped: {peer_note}")
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
