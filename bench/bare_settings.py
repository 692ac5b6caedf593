"""The ceiling's settings: the benchmark's, with no middleware at all.

A view returning fixed bytes through Dossier's middleware pays for a cache lookup, sessions,
CSRF, CSP and the rest on every request, which made the ceiling lower and every ratio to it
kinder. With no middleware it is what the issue means by "a Django view that returns fixed
bytes": Django's request handling, URL resolution and the view. Used only by bench/run.py.
"""

from bench.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
