"""`manage.py seed_bench`: build a large synthetic corpus for benchmarks (see website/corpus/).

Idempotent and reproducible: the same arguments leave the same corpus, a second run adds
nothing, and content outside the benchmark (slugs not starting with "bench-") is never touched.
"""

from __future__ import annotations

import argparse
import time

from django.core.management.base import BaseCommand, CommandError

from website.corpus.corpus import MAX_ARTICLES, CorpusError, build_corpus

DEFAULT_SEED = 20261125


def count(limit: int):
    """argparse type: a whole number from 1 to `limit`, with a readable error otherwise."""

    def parse(value: str) -> int:
        try:
            number = int(value.replace("_", "").replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
        if not 1 <= number <= limit:
            raise argparse.ArgumentTypeError(f"must be between 1 and {limit:,}, got {number:,}")
        return number

    return parse


def seed(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None


class Command(BaseCommand):
    help = (
        "Build a synthetic benchmark corpus: authors, experts, a topic tree, tags and articles "
        "of about 1,500 words with sections, callouts, expert quotes and links. Same "
        "arguments, same corpus; a second run adds nothing. Only touches bench- content."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=count(MAX_ARTICLES), default=1000, help="Articles (default 1000)."
        )
        parser.add_argument(
            "--seed", type=seed, default=DEFAULT_SEED, help=f"Seed (default {DEFAULT_SEED})."
        )
        parser.add_argument(
            "--authors", type=count(100_000), help="Authors (default: grows with --articles)."
        )
        parser.add_argument(
            "--experts", type=count(100_000), help="Experts (default: grows with --articles)."
        )
        parser.add_argument(
            "--topics",
            type=count(10_000),
            help="Main topics, each with 1-4 subtopics (default: grows with --articles).",
        )
        parser.add_argument(
            "--batch-size",
            type=count(10_000),
            default=500,
            help="Articles written per transaction (default 500).",
        )

    def handle(self, *args, articles, seed, authors, experts, topics, batch_size, **options):
        started = time.monotonic()
        self.stdout.write(f"Benchmark corpus: {articles:,} articles, seed {seed}.")
        bar = ProgressBar(self.stdout, started=started)
        try:
            report = build_corpus(
                articles=articles,
                seed=seed,
                authors=authors,
                experts=experts,
                topics=topics,
                batch_size=batch_size,
                progress=bar.update,
                notify=self.stdout.write,
            )
        except CorpusError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            bar.finish()
            # Each batch is its own transaction, so what was written is whole and kept.
            raise CommandError(
                "Interrupted. Finished batches are kept: run the same command again to go on."
            ) from None
        bar.finish()
        rebuilt = "; rebuilt topics, authors and experts" if report.pools_rebuilt else ""
        self.stdout.write(
            f"Created {report.created:,} articles, kept {report.kept:,}, removed "
            f"{report.removed:,}{rebuilt}. {_duration(time.monotonic() - started)}."
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Bench rows: " + ", ".join(f"{n:,} {what}" for what, n in report.counts.items())
            )
        )


class ProgressBar:
    """One line redrawn in place on a terminal; a line per tenth of the way otherwise (logs,
    CI, tests), so captured output stays readable."""

    WIDTH = 30

    def __init__(self, stdout, *, started: float) -> None:
        self.stdout = stdout
        self.started = started
        self.interactive = stdout.isatty()
        self.last_tenth = -1
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        if total == 0:
            return
        share = done / total
        if not self.interactive:
            tenth = int(share * 10)
            if tenth == self.last_tenth:
                return
            self.last_tenth = tenth
        filled = round(share * self.WIDTH)
        elapsed = time.monotonic() - self.started
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:,}/{total:,} articles "
            f"{share:4.0%} {_duration(elapsed)}"
        )
        if self.interactive:
            self.stdout.write(f"\r{line}", ending="")
            self.stdout.flush()
            self.drawn = True
        else:
            self.stdout.write(line)

    def finish(self) -> None:
        if self.drawn:
            self.stdout.write("")


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"
