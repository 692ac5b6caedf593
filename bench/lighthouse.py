"""Lighthouse scores of the home page and the demo's pillar article, served as in production.

    .venv/bin/python -m bench.lighthouse            # or: make lighthouse

The demo content goes into its own SQLite database under var/lighthouse/, static files are
collected (hashed and compressed, as with DEBUG off), gunicorn serves the site with
config/gunicorn.py and nginx fronts it with deploy/nginx/dossier.conf (static and media files,
page cache), on loopback ports 8180 (nginx) and 8181 (gunicorn). Each page is measured with
Lighthouse's default mobile settings and with its desktop preset, three runs each; the run with
the median performance score is printed. Everything started is stopped at the end.

It needs Lighthouse from the npm registry (`npm install --prefix /tmp/lh lighthouse`, or set
LIGHTHOUSE to its executable), Chromium (CHROME_PATH, default /usr/bin/chromium) and nginx.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from website.demo.content import PILLAR

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "lighthouse"
PY = ROOT / ".venv" / "bin" / "python"
PAGES = {"home": "/", "article": f"/articles/{PILLAR}/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
}


def lighthouse_path() -> str:
    found = os.environ.get("LIGHTHOUSE") or "/tmp/lh/node_modules/.bin/lighthouse"
    if not Path(found).exists():
        sys.exit(
            f"no Lighthouse at {found}: `npm install --prefix /tmp/lh lighthouse`, "
            "or set LIGHTHOUSE to its executable"
        )
    return found


def site_env(app_port: int) -> dict[str, str]:
    """Production settings (DEBUG off) over plain HTTP on loopback."""
    return os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{VAR / 'demo.sqlite3'}",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "GUNICORN_ACCESS_LOG": "",
    }


def nginx_conf(front_port: int, app_port: int) -> Path:
    """deploy/nginx/dossier.conf with this run's ports and folders, in a main file of its own."""
    site = (
        (ROOT / "deploy" / "nginx" / "dossier.conf")
        .read_text()
        .replace("listen 80;", f"listen 127.0.0.1:{front_port};")
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
        .replace("/var/cache/nginx/dossier", str(VAR / "nginx-cache"))
        .replace("/srv/dossier/staticfiles/", f"{VAR / 'static'}/")
        .replace("/srv/dossier/media/", f"{VAR / 'media'}/")
    )
    path = VAR / "nginx.conf"
    path.write_text(
        f"daemon off;\nworker_processes 1;\npid {VAR / 'nginx.pid'};\n"
        f"error_log {VAR / 'nginx-error.log'} warn;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  access_log off;\n  include /etc/nginx/mime.types;\n"
        f"  client_body_temp_path {VAR / 'nginx-tmp'};\n  proxy_temp_path {VAR / 'nginx-tmp'};\n"
        f"{site}\n}}\n"
    )
    (VAR / "nginx-tmp").mkdir(exist_ok=True)
    shutil.rmtree(VAR / "nginx-cache", ignore_errors=True)
    return path


def start(cmd: list, env: dict, url: str, name: str) -> subprocess.Popen:
    port = int(url.split(":")[2].split("/")[0])
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:  # never measure someone else's server
            sys.exit(f"port {port} is taken: stop what listens there or pass --port")
    log = open(VAR / f"{name}.log", "w")  # noqa: SIM115 (open as long as the process runs)
    process = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=log)
    for _ in range(60):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return process
        except OSError:
            if process.poll() is not None:
                sys.exit(f"{name} did not start; see {VAR / (name + '.log')}")
            time.sleep(0.5)
    process.terminate()
    sys.exit(f"{name} did not answer at {url} within 30 s")


def wait_for_quiet(max_load: float, patience: int) -> float:
    """Lighthouse's simulated timings suffer on a busy machine: wait a while for a calm one."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] > max_load and time.monotonic() < deadline:
        time.sleep(15)
    return os.getloadavg()[0]


def measure(lighthouse: str, url: str, desktop: bool, out: Path) -> dict:
    cmd = [
        lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox",
        *(["--preset=desktop"] if desktop else []),
    ]
    env = os.environ | {"CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    # Lighthouse sometimes loses the trace on a busy machine (NO_NAVSTART) and asks to be run
    # again: once more, then give up.
    if subprocess.run(cmd, env=env).returncode != 0:
        subprocess.run(cmd, env=env, check=True)
    report = json.loads(out.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    versions = f"Lighthouse {report['lighthouseVersion']}, {report['environment']['hostUserAgent']}"
    metrics = {short: report["audits"][key]["displayValue"] for short, key in METRICS.items()}
    return {"scores": scores, "metrics": metrics, "versions": versions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8180, help="nginx; gunicorn takes the next")
    parser.add_argument("--max-load", type=float, default=1.2, help="wait for this 1-min load")
    args = parser.parse_args()
    lighthouse = lighthouse_path()
    if not shutil.which("nginx"):
        sys.exit("bench.lighthouse needs nginx: apt-get install nginx-light")

    VAR.mkdir(parents=True, exist_ok=True)
    front, app = args.port, args.port + 1
    env = site_env(app)
    for command in (["migrate", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([PY, "manage.py", *command], env=env, cwd=ROOT, check=True)

    servers = []
    try:
        servers.append(
            start(
                [ROOT / ".venv" / "bin" / "gunicorn", "-c", "config/gunicorn.py"],
                env,
                f"http://127.0.0.1:{app}/robots.txt",
                "gunicorn",
            )
        )
        conf = nginx_conf(front, app)
        servers.append(
            start(["nginx", "-c", conf, "-p", VAR], env, f"http://127.0.0.1:{front}/", "nginx")
        )
        print(f"{'page':8} {'preset':8} perf a11y bp  seo  (median of {args.runs}; load)")
        for page, path in PAGES.items():
            url = f"http://127.0.0.1:{front}{path}"
            urllib.request.urlopen(url).read()  # the first render, into the caches
            for desktop in (False, True):
                load = wait_for_quiet(args.max_load, patience=600)
                preset = "desktop" if desktop else "mobile"
                runs = [
                    measure(lighthouse, url, desktop, VAR / f"report-{page}-{preset}-{n}.json")
                    for n in range(1, args.runs + 1)
                ]
                runs.sort(key=lambda run: run["scores"]["performance"])
                median = runs[len(runs) // 2]
                scores = " ".join(f"{median['scores'][name]:<4}" for name in CATEGORIES)
                metrics = ", ".join(f"{k} {v}" for k, v in median["metrics"].items())
                all_perf = [run["scores"]["performance"] for run in runs]
                print(
                    f"{page:8} {preset:8} {scores} "
                    f"{metrics} (performance runs {all_perf}, median "
                    f"{statistics.median(all_perf):g}; load {load:.2f})",
                    flush=True,
                )
        print(median["versions"])
    finally:
        for process in reversed(servers):
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
