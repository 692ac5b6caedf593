"""Production settings plus the benchmark's ceiling view (bench/urls.py). Used only by
bench/run.py; never deployed."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
