"""App hosts for the tests: gunicorn servers run as separate processes on loopback ports, with
the environment a production host would have (config/gunicorn.py, config/settings.py), serving
the test database.

A test that starts them needs data the servers can see, so it uses pytest-django's
`transactional_db` (every write committed); the servers are stopped before that fixture empties
the tables, and they keep no connection open afterwards (DB_CONN_MAX_AGE=0), so pytest-django
can drop the test database at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from tests.objectstore import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A Redis database of its own: the CI job's other runs use /15, local sites /0.
REDIS_DB = 14


def _missing(reason: str) -> None:
    """Skip on a developer's machine without the service; in CI, where it must be there, fail."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: a missing service fails the run rather than skipping)")
    pytest.skip(reason)


def require_postgresql_and_redis() -> str:
    """The REDIS_URL the hosts share, once both services are known to answer."""
    if connection.vendor != "postgresql":
        # Not a missing service: a SQLite file cannot be one database for several hosts.
        pytest.skip("several app hosts share one PostgreSQL database; this run is on SQLite")
    import redis

    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        _missing(f"Redis is not answering on {REDIS_HOST}:{REDIS_PORT} ({error})")
    if not GUNICORN.exists():
        _missing(f"gunicorn is not installed beside {sys.executable}")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"


def database_url() -> str:
    """The test database, as a DATABASE_URL for a process of its own."""
    settings = connection.settings_dict
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{settings['NAME']}"


@dataclass
class AppHost:
    name: str
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log_dir: Path) -> None:
        self.log = log_dir / f"{self.name}.log"
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", "config/gunicorn.py"],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"host {self.name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/robots.txt", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise AssertionError(f"host {self.name} did not answer:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # gunicorn's quick shutdown: the test has its answers, nothing is left to finish.
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def host_environment(**overrides: str) -> dict[str, str]:
    """What every app host of one site shares: production-like settings, one database."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",  # static files from the finders: no collectstatic for a test
            "SECRET_KEY": "two-hosts-share-one-secret-key-so-signed-stamps-travel-0123456789",
            "DATABASE_URL": database_url(),
            "DB_CONN_MAX_AGE": "0",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_ACCESS_LOG": "",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(overrides)
    return env
