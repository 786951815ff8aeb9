"""A team's ledger on PostgreSQL beside SQLite: ingest claims/s with 1 and 4 writers, and
opening a 1M-claim ledger plus its first snapshot in a new process (a printed table).

    python benchmarks/bench_postgres.py                        # 200k ingest, 1M open
    python benchmarks/bench_postgres.py --ingest 50000 --claims 100000   # quick look
    CONFLICT_LEDGER_PG_URL=postgresql://me@db/bench python benchmarks/bench_postgres.py

The server is ``$CONFLICT_LEDGER_PG_URL`` (default the development server,
``postgresql://postgres@127.0.0.1:5432/test``); everything is written into a schema of its
own, dropped at the end.

*Ingest* is the whole ``Ledger.extend`` path a user runs (validation, alias resolution,
encoding, SHA-256, Merkle tree, one committed batch per ``--batch`` claims) on claims from
``generate.py`` (no retractions or corrections, so that writers need not see each other's
claims). With several writers, each is a process of its own appending its share to the one
ledger; before each batch it reads what the others committed (so that its positions, hashes
and Merkle tree follow theirs), and the batches are serialised by the ledger's lock
(PostgreSQL: an advisory lock; SQLite: ``BEGIN IMMEDIATE``). *Store path* times only the
store under the same records (canonical JSON, SHA-256, Merkle leaf, COPY / executemany and
commit), like ``bench_stores.py``.

*Read* is the store's share of opening: every claim record read and its SHA-256 checked
(SQLite also inflates each). *Open + first snapshot* is a new Python process running ``open_ledger(...)`` and
``AsOfIndex(ledger).snapshot(at=...)`` on the ledger ``bench_asof.py --cold-start`` writes
(seed 5, 20,000 places), copied byte for byte into PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import bench_stores
import generate as gen
import psycopg

from conflict_ledger.codec import open_ledger
from conflict_ledger.ledger import fixed_clock
from conflict_ledger.stores import PostgresStore, SqliteStore

SERVER = os.environ.get("CONFLICT_LEDGER_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
SCHEMA = f"cl_bench_{os.getpid()}"
CLOCK = fixed_clock("2025-01-01T00:00Z")


def pg_url(ledger: str) -> str:
    joiner = "&" if "?" in SERVER else "?"
    return f"{SERVER}{joiner}ledger={ledger}&schema={SCHEMA}"


def _write_share(target: str, ledger_claims: Any, registries: Any, batch: int, go: int) -> None:
    """A child: open the ledger, wait for the start, append its claims batch by batch."""
    code = 1
    try:
        with open_ledger(
            target, registries=registries, clock=CLOCK, durability="full", create=True
        ) as ledger:
            os.read(go, 1)
            for start in range(0, len(ledger_claims), batch):
                ledger.extend(ledger_claims[start : start + batch])
        code = 0
    finally:
        os._exit(code)


def ingest(target: str, made: Any, writers: int, batch: int) -> tuple[float, float]:
    """Claims/s appending every claim of ``made`` through ``writers`` processes, and the
    CPU seconds the writers used (the server's not counted)."""
    claims = made.ledger.claims()
    registries = made.ledger.registries
    with open_ledger(target, registries=registries, clock=CLOCK, create=True):
        pass  # created before the writers race
    go_read, go_write = os.pipe()
    children = []
    for number in range(writers):
        child = os.fork()
        if child == 0:  # the child
            os.close(go_write)
            _write_share(target, claims[number::writers], registries, batch, go_read)
        children.append(child)
    os.close(go_read)
    time.sleep(1.0)  # let each child open the (empty) ledger
    began = time.perf_counter()
    os.write(go_write, b"x" * writers)
    failed, cpu = [], 0.0
    for child in children:
        _, status, usage = os.wait4(child, 0)
        cpu += usage.ru_utime + usage.ru_stime
        if os.waitstatus_to_exitcode(status) != 0:
            failed.append(child)
    seconds = time.perf_counter() - began
    os.close(go_write)
    if failed:
        raise SystemExit(f"{len(failed)} writers failed on {target}")
    with open_ledger(target, registries=registries) as check:
        if len(check) != len(claims):
            raise SystemExit(f"{target}: {len(check)} claims, expected {len(claims)}")
    return len(claims) / seconds, cpu


def store_path(store: Any, count: int, batch: int) -> tuple[float, float]:
    cpu = time.process_time()
    seconds, _ = bench_stores.append_to_store(store, count, batch)
    store.close()
    return count / seconds, time.process_time() - cpu


def cold_open(target: str, at: str) -> tuple[float, float]:
    """Wall and CPU seconds of a new process opening ``target`` and answering a snapshot."""
    script = (
        "import time\n"
        "began = time.perf_counter()\n"
        "from conflict_ledger.codec import open_ledger\n"
        "from conflict_ledger.engine import AsOfIndex\n"
        f"ledger = open_ledger({target!r})\n"
        f"snap = AsOfIndex(ledger).snapshot(at={at!r})\n"
        "assert len(snap) > 0\n"
        "print(time.perf_counter() - began, time.process_time())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def store_read(store: Any) -> tuple[float, float]:
    """Seconds reading every claim record from ``store`` (with its SHA-256 checked), wall
    and CPU: the store's share of opening, before any record becomes a claim."""
    began, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in store.records())
    seconds = time.perf_counter() - began
    store.close()
    if count == 0:
        raise SystemExit("read no records")
    return seconds, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ingest", type=int, default=200_000, help="claims to ingest")
    parser.add_argument("--batch", type=int, default=10_000, help="claims a batch")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--claims", type=int, default=1_000_000, help="claims to open")
    parser.add_argument("--repeat", type=int, default=3, help="cold opens (median shown)")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, str, str]] = []
    folder = Path(tempfile.mkdtemp(prefix="cl-bench-pg-"))
    try:
        made = gen.generate(claims=args.ingest, places=2_000, retracted_share=0, corrected_share=0)
        n = len(made.ledger)
        for writers in (1, args.writers):
            measure = f"ingest, {writers} writer{'s' if writers > 1 else ''}, Ledger.extend"
            for name, target in (
                ("SQLite", str(folder / f"w{writers}.sqlite")),
                ("PostgreSQL", pg_url(f"w{writers}")),
            ):
                rate, cpu = ingest(target, made, writers, args.batch)
                rows.append((measure, name, f"{rate:,.0f}/s", f"{n / cpu:,.0f}/s"))
        for name, store in (
            ("SQLite", SqliteStore(folder / "store.sqlite")),
            ("PostgreSQL", PostgresStore(pg_url("store"))),
        ):
            rate, cpu = store_path(store, n, args.batch)
            rows.append(
                ("ingest, 1 writer, store path", name, f"{rate:,.0f}/s", f"{n / cpu:,.0f}/s")
            )
        path = str(folder / "war.sqlite")
        gen.write_sqlite(path, claims=args.claims, places=20_000)
        with open_ledger(path) as source:
            size = len(source)
            began = time.perf_counter()
            with open_ledger(pg_url("war"), create=True) as copy:
                source.copy_to(copy.store)
            copied = time.perf_counter() - began
        rows.append((f"copy {size:,} claims in (copy_to)", "PostgreSQL", f"{copied:.1f} s", ""))
        for name, store in (
            ("SQLite", SqliteStore(path)),
            ("PostgreSQL", PostgresStore(pg_url("war"))),
        ):
            wall, cpu = store_read(store)
            rows.append(
                (
                    f"read {size:,} records + SHA-256 (store.records)",
                    name,
                    f"{wall:.2f} s",
                    f"{cpu:.2f} s",
                )
            )
        at = gen.START.add(hours=gen.HOURS // 2).isoformat()
        for name, target in (("SQLite", path), ("PostgreSQL", pg_url("war"))):
            runs = sorted(cold_open(target, at) for _ in range(args.repeat))
            wall = f"{runs[len(runs) // 2][0]:.2f} s ({runs[0][0]:.2f}-{runs[-1][0]:.2f})"
            cpu = f"{sorted(c for _, c in runs)[len(runs) // 2]:.2f} s"
            rows.append((f"open + first snapshot, {size:,} claims, new process", name, wall, cpu))
    finally:
        with psycopg.connect(SERVER, autocommit=True) as db:
            db.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{n:,} claims ingested in batches of {args.batch:,}; server {SERVER}")
    print(f"{os.cpu_count()} CPUs, load average {load} at the end")
    print()
    print("| measure | store | wall clock | per client CPU second / client CPU |")
    print("| --- | --- | ---: | ---: |")
    for measure, store, result, cpu in rows:
        print(f"| {measure} | {store} | {result} | {cpu} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
