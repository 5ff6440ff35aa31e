"""Benchmark of the vacancy alerts' digest: 50,000 confirmed subscriptions over the city-scale corpus.

    .venv/bin/python bench/digest_bench.py [--subscriptions 50000] [--database postgresql://...] [--seed 1]

Generates (or reuses, from bench-output/corpus-cache/) the corpus of bench/corpus.py, stores N confirmed weekly
subscriptions with random filters as the alert forms make them (one to three filters: theme, deelgemeente, kind,
time, Dutch level, wheelchair, organisation) in a fresh database (SQLite in WAL mode with synchronous=FULL by
default), all due on the corpus's today, then times `digest.run`: matching, mails written and queued. A second run
shows the idempotent case (nothing due). Peak memory: Python's allocations during the first run (tracemalloc, in
a separate run on a fresh copy, as tracing slows it) and the process's maximum resident size. Not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from corpus import TODAY, ensure_corpus  # noqa: E402

from hasselthelpt.content.loading import load_corpus  # noqa: E402
from hasselthelpt.endpoint import digest  # noqa: E402
from hasselthelpt.endpoint.alerts import facets  # noqa: E402
from hasselthelpt.endpoint.storage import open_storage, stamp  # noqa: E402
from hasselthelpt.settings import TIMEZONE  # noqa: E402

NOW = dt.datetime.combine(TODAY, dt.time(7, 0), TIMEZONE)
CHOSEN = ("thema", "deelgemeente", "soort", "wanneer", "nederlands", "rolstoel", "organisatie")


def random_filters(rng: random.Random, organisations: list[str]) -> dict[str, list[str]]:
    out = {}
    for key in rng.sample(CHOSEN, rng.choice((1, 1, 2, 2, 3))):
        options = organisations if key == "organisatie" else list(facets()[key]["options"])
        out[key] = sorted(rng.sample(options, 1 if key in ("organisatie", "rolstoel") else rng.choice((1, 1, 2))))
    return dict(sorted(out.items()))


def fill(storage, count: int, organisations: list[str], seed: int) -> None:
    rng = random.Random(seed)
    week_ago = NOW - dt.timedelta(days=7)
    with storage.transaction() as cur:
        for i in range(count):
            cur.run("INSERT INTO subscriptions (email, filters, frequency, created_at, confirmed_at, covered_until, "
                    "next_digest, privacy_version) VALUES (?, ?, 'week', ?, ?, ?, ?, '1.4')",
                    (f"bewoner{i}@example.be", json.dumps(random_filters(rng, organisations), sort_keys=True),
                     stamp(week_ago), stamp(week_ago), (TODAY - dt.timedelta(days=7)).isoformat(),
                     TODAY.isoformat()))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--subscriptions", type=int, default=50_000)
    p.add_argument("--database", help="a postgresql:// URL of an empty database (default: a fresh SQLite file)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)

    root = ensure_corpus(REPO / "bench-output" / "corpus-cache", args.seed, 1.0)
    started = time.perf_counter()
    corpus, errors = load_corpus(root)
    print(f"Corpus: {len(corpus.vacancies)} vacancies, {len(corpus.organisations)} organisations "
          f"(loaded in {time.perf_counter() - started:.1f} s, {len(errors)} errors)")
    organisations = sorted(corpus.organisations)
    with tempfile.TemporaryDirectory() as tmp:
        def fresh():
            if args.database:
                import psycopg

                with psycopg.connect(args.database, autocommit=True) as conn:
                    conn.execute("DROP TABLE IF EXISTS subscriptions, outbox, audit_log, submissions, "
                                 "schema_migrations CASCADE")
                storage = open_storage(args.database)
            else:
                shutil.rmtree(Path(tmp) / "db", ignore_errors=True)
                storage = open_storage(str(Path(tmp) / "db" / "bench.sqlite3"))
            storage.migrate()
            fill(storage, args.subscriptions, organisations, args.seed)
            return storage

        def run(storage):
            return digest.run(storage, corpus, b"bench-secret", "https://www.hasselt.be/hasselthelpt",
                              "https://www.hasselt.be/hasselthelpt/api", NOW)

        storage = fresh()
        started = time.perf_counter()
        counts = run(storage)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = run(storage)
        again_seconds = time.perf_counter() - started
        storage.close()

        storage = fresh()
        tracemalloc.start()
        run(storage)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        storage.close()
    backend = "PostgreSQL" if args.database else "SQLite (WAL, synchronous=FULL)"
    print(f"Digest over {args.subscriptions:,} confirmed subscriptions on {backend}: {counts['due']:,} due, "
          f"{counts['mails']:,} mails queued in {seconds:.1f} s ({counts['due'] / seconds:,.0f} subscriptions/s)")
    print(f"Second run (idempotent): {again['due']} due, {again['mails']} mails, {again_seconds:.2f} s")
    print(f"Peak memory: {peak / 2**20:.0f} MiB of Python allocations during the digest (tracemalloc); "
          f"process maximum resident size {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
