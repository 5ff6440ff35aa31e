"""Benchmark of the form endpoint: sign-ups per second and latency with durable writes, on loopback.

    .venv/bin/python bench/endpoint_bench.py [--clients 16] [--requests 3000] [--workers 2] [--threads 8]
                                             [--database postgresql://...]

Starts gunicorn (gthread) with `hasselthelpt.endpoint.wsgi:app(outbox=False)` on a throwaway project and a fresh
database (SQLite in WAL mode with synchronous=FULL by default), then N client threads, each on a keep-alive
connection, post JSON sign-ups (each with its own submission id) as fast as they get answers. Prints sign-ups/s,
latency percentiles, and checks that every acknowledged sign-up is in the database. The outbox is off so the
figure is the sign-up path alone (mails are queued in the same transaction either way). Not a test: nothing
here is asserted beyond the final count check. Client and server share the machine's cores.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from hasselthelpt.endpoint.storage import open_storage  # noqa: E402

ORGANISATION = """name: Buurtwerk Bench
kind: organisatie
summary: Wij meten.
description: Een organisatie voor de benchmark.
themes: [buurt-en-samenleven]
contact: {name: An, email: an@example.be}
"""
VACANCY = """title: Kok voor de buurtsoep
organisation: bench
summary: Kook mee.
description: Je kookt samen.
themes: [buurt-en-samenleven]
kind: structureel
time_commitment: 3 uur per week
when: [weekdag]
place: {address: "Kerkstraat 1, 3510 Kermt", deelgemeente: kermt}
dutch_level: basis
expenses: geen
mileage_allowance: false
insured: true
contact: {name: An, email: an@example.be}
publish_from: 2020-01-01
valid_through: 2099-12-31
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=3000, help="sign-ups in total")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=8, help="threads per worker")
    ap.add_argument("--database", help="a postgresql:// URL (default: a fresh SQLite file)")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="hh-endpoint-bench-"))
    (root / "content" / "organisations").mkdir(parents=True)
    (root / "vacancies").mkdir()
    (root / "content" / "organisations" / "bench.yaml").write_text(ORGANISATION, encoding="utf-8")
    (root / "vacancies" / "kok.yaml").write_text(VACANCY, encoding="utf-8")
    database = args.database or str(root / "bench.sqlite3")
    port = free_port()
    environment = {**os.environ, "HH_PROJECT": str(root), "HH_DATABASE": database, "HH_SECRET": "bench",
                   "HH_RATE_LIMIT": "100000000/60"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(args.workers), "--worker-class", "gthread", "--threads",
                               str(args.threads), "--log-level", "warning", "hasselthelpt.endpoint.wsgi:app(outbox=False)"],
                              env=environment, cwd=root, start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

        latencies: list[float] = []
        acked: list[str] = []
        errors: list[str] = []
        lock = threading.Lock()
        per_client = args.requests // args.clients

        def client(n: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine, ok, bad = [], [], []
            for i in range(per_client):
                sid = str(uuid.uuid4())
                body = json.dumps({"form": "aanmelding", "vacancy": "kok", "name": f"Bench {n}-{i}",
                                   "email": f"bench{n}.{i}@example.be", "consent": "ja", "privacy_version": "1.2",
                                   "submission_id": sid}).encode()
                start = time.perf_counter()
                try:
                    conn.request("POST", "/aanmelding", body, {"Content-Type": "application/json",
                                                               "Accept": "application/json"})
                    response = conn.getresponse()
                    data = response.read()
                except OSError as exc:
                    bad.append(repr(exc))
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    continue
                mine.append(time.perf_counter() - start)
                if response.status == 200 and json.loads(data)["ok"]:
                    ok.append(sid)
                else:
                    bad.append(f"{response.status} {data[:100]!r}")
            conn.close()
            with lock:
                latencies.extend(mine)
                acked.extend(ok)
                errors.extend(bad)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    storage = open_storage(database)
    stored = storage.count("aanmelding")
    durability = "PostgreSQL, synchronous_commit=on"
    if not args.database:
        with storage.transaction(write=False) as cur:
            durability = (f"SQLite journal_mode={cur.all('PRAGMA journal_mode')[0][0]}, "
                          f"synchronous={ {0: 'OFF', 1: 'NORMAL', 2: 'FULL', 3: 'EXTRA'}[cur.all('PRAGMA synchronous')[0][0]]}")
    storage.close()
    ms = sorted(x * 1000 for x in latencies)
    print(f"endpoint benchmark: {args.clients} clients, {args.workers} gunicorn workers x {args.threads} threads, "
          f"{os.cpu_count()} cores; {durability}")
    print(f"  sign-ups acknowledged: {len(acked)} of {args.clients * per_client} in {elapsed:.2f} s "
          f"-> {len(acked) / elapsed:.0f} sign-ups/s; errors: {len(errors)}")
    print(f"  latency ms: p50 {percentile(ms, 50):.1f}, p90 {percentile(ms, 90):.1f}, p99 {percentile(ms, 99):.1f}, "
          f"max {ms[-1]:.1f}, mean {statistics.fmean(ms):.1f}")
    print(f"  stored after the run: {stored} (every acknowledged sign-up: {'yes' if stored == len(acked) else 'NO'})")
    if errors:
        print("  first errors:", errors[:3])
    return 0 if stored == len(acked) and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
