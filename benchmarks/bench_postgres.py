"""A team's ledger on PostgreSQL beside SQLite: ingest claims/s with 1, 2 and 4 writers
(main beside this code), and opening a 1M-claim ledger plus its first snapshot in a new
process (a printed table).

    python benchmarks/bench_postgres.py                        # 200k ingest, 1M open
    python benchmarks/bench_postgres.py --ingest 50000 --claims 0   # ingest only, quick
    python benchmarks/bench_postgres.py --baseline ''               # without main
    CONFLICT_LEDGER_PG_URL=postgresql://me@db/bench python benchmarks/bench_postgres.py

The server is ``$CONFLICT_LEDGER_PG_URL`` (default the development server,
``postgresql://postgres@127.0.0.1:5432/test``); everything is written into a schema of its
own, dropped at the end.

*Ingest* is the whole ``Ledger.extend`` path a user runs (validation, alias resolution,
encoding, SHA-256, Merkle tree, one committed batch per ``--batch`` claims) on claims from
``generate.py`` (no retractions or corrections, so that writers need not see each other's
claims). With several writers, each is a process of its own appending its share to the one
ledger, holding its own claims only (as a writer on a machine of its own does: what it
inherits from the parent is set aside for its collector), and the batches are serialised by the ledger's lock (PostgreSQL: an advisory lock;
SQLite: ``BEGIN IMMEDIATE``). A batch that finds others committed first is numbered and
hashed again after their records: on PostgreSQL under the lock, the server's index of claim
ids refusing a duplicate; on SQLite (and code before that index) after reading the ids
they wrote and checking the batch again. The same claims go in through
the library at ``--baseline`` (default ``18fe1bb``, main before this work; its ``src`` is
taken with ``git archive`` and imported in a process of its own), through this checkout,
and into SQLite. *Client CPU* is the writers' own CPU time while appending; *server CPU* the CPU time of
their PostgreSQL backends (read from ``/proc`` when the server runs on this machine).
*Store path* times only the store under the same records (canonical JSON, SHA-256, Merkle
leaf, COPY / executemany and commit), like ``bench_stores.py``.

*Read* is the store's share of opening: every claim record read and its SHA-256 checked
(SQLite also inflates each). *Open + first snapshot* is a new Python process running ``open_ledger(...)`` and
``AsOfIndex(ledger).snapshot(at=...)`` on the ledger ``bench_asof.py --cold-start`` writes
(seed 5, 20,000 places), copied byte for byte into PostgreSQL.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent))

import bench_stores
import generate as gen
import psycopg

from conflict_ledger.codec import open_ledger
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.ledger import fixed_clock
from conflict_ledger.stores import PostgresStore, SqliteStore

SERVER = os.environ.get("CONFLICT_LEDGER_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
SCHEMA = f"cl_bench_{os.getpid()}"
CLOCK = fixed_clock("2025-01-01T00:00Z")
WRITERS = (1, 2, 4)
BASELINE = "18fe1bb"
"""main before the faster append (batches drafted before the lock)."""


def pg_url(ledger: str) -> str:
    joiner = "&" if "?" in SERVER else "?"
    return f"{SERVER}{joiner}ledger={ledger}&schema={SCHEMA}"


def _local_server() -> bool:
    return urlsplit(SERVER).hostname in (None, "", "127.0.0.1", "localhost", "::1")


def backend_cpu(store: Any) -> float | None:
    """CPU seconds the server process of ``store``'s connection has used, when the server
    runs on this machine and ``/proc`` shows it (None otherwise)."""
    if not isinstance(store, PostgresStore) or not _local_server():
        return None
    pid = store.execute("SELECT pg_backend_pid()")[0][0]
    try:
        if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
            return None
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time_the_lock(store: Any, held: list[float]) -> None:
    """Add to ``held`` the seconds each batch holds ``store``'s write lock (from the lock
    taken to the commit done): the serialised share of an append."""
    writing = store.writing

    @contextmanager
    def timed() -> Iterator[None]:
        with writing():
            began = time.perf_counter()
            yield
        held[0] += time.perf_counter() - began

    store.writing = timed


def _write_share(
    target: str, ledger_claims: Any, registries: Any, batch: int, pipes: tuple[int, int, int]
) -> None:
    """A child: hold its own claims, open the ledger, say it is ready, wait for the start,
    append its claims batch by batch, and report its server process's CPU seconds (-1
    when unknown), the seconds it held the write lock and its own CPU seconds appending.

    A writer on a machine of its own holds its own claims, not its colleagues': what the
    child inherited from the parent (every writer's claims, the generator's war) is set
    aside for its garbage collector (``gc.freeze``), and it appends a copy of its share
    of its own. (Before 5 December 2026 each writer carried all four writers' claims, and
    its collector walked them all after every large batch: about 45,000 claims/s in all
    with 4 writers where the same code makes about 60,000 this way.)"""
    ready, go, report = pipes
    code = 1
    try:
        gc.freeze()
        ledger_claims = pickle.loads(pickle.dumps(ledger_claims))
        with open_ledger(
            target, registries=registries, clock=CLOCK, durability="full", create=True
        ) as ledger:
            held = [0.0]
            _time_the_lock(ledger.store, held)
            os.write(ready, b"r")
            os.read(go, 1)
            before = backend_cpu(ledger.store)
            cpu = time.process_time()
            for start in range(0, len(ledger_claims), batch):
                ledger.extend(ledger_claims[start : start + batch])
            cpu = time.process_time() - cpu
            after = backend_cpu(ledger.store)
        server = -1.0 if before is None or after is None else after - before
        os.write(report, f"{server} {held[0]} {cpu}\n".encode())
        code = 0
    finally:
        os._exit(code)


def ingest(target: str, made: Any, writers: int, batch: int) -> dict[str, float]:
    """Claims/s appending every claim of ``made`` through ``writers`` processes, the CPU
    seconds the writers used, and their server processes' (-1 when unknown)."""
    claims = made.ledger.claims()
    registries = made.ledger.registries
    with open_ledger(target, registries=registries, clock=CLOCK, create=True):
        pass  # created before the writers race
    ready_read, ready_write = os.pipe()
    go_read, go_write = os.pipe()
    report_read, report_write = os.pipe()
    children = []
    for number in range(writers):
        child = os.fork()
        if child == 0:  # the child
            os.close(go_write)
            os.close(report_read)
            os.close(ready_read)
            share = claims[number::writers]
            _write_share(target, share, registries, batch, (ready_write, go_read, report_write))
        children.append(child)
    os.close(go_read)
    os.close(report_write)
    os.close(ready_write)
    for _ in range(writers):  # each child holds its claims and has opened the ledger
        if not os.read(ready_read, 1):
            break  # a child failed before it was ready: reported below
    os.close(ready_read)
    began = time.perf_counter()
    os.write(go_write, b"x" * writers)
    failed = []
    for child in children:
        _, status = os.waitpid(child, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            failed.append(child)
    seconds = time.perf_counter() - began
    os.close(go_write)
    with os.fdopen(report_read) as reports:
        lines = [line.split() for line in reports.read().splitlines()]
    servers = [float(server) for server, _, _ in lines]
    held = sum(float(seconds) for _, seconds, _ in lines)
    cpu = sum(float(spent) for _, _, spent in lines)
    if failed:
        raise SystemExit(f"{len(failed)} writers failed on {target}")
    with open_ledger(target, registries=registries) as check:
        if len(check) != len(claims):
            raise SystemExit(f"{target}: {len(check)} claims, expected {len(claims)}")
    server = -1.0 if not servers or min(servers) < 0 else sum(servers)
    return {"rate": len(claims) / seconds, "cpu": cpu, "server": server, "held": held}


def _made(count: int) -> Any:
    return gen.generate(claims=count, places=2_000, retracted_share=0, corrected_share=0)


def ingest_only(stores: list[str], count: int, writers: int, batch: int) -> int:
    """The ingest runs alone, one JSON line each (how the baseline's run is measured)."""
    made = _made(count)
    folder = Path(tempfile.mkdtemp(prefix="cl-bench-pg-"))
    try:
        for name in stores:
            target = pg_url(f"w{writers}") if name == "PostgreSQL" else str(folder / "w.sqlite")
            result = ingest(target, made, writers, batch)
            print(json.dumps({"store": name, "writers": writers, **result}), flush=True)
    finally:
        _drop_schema()
        shutil.rmtree(folder)
    return 0


def _drop_schema() -> None:
    with psycopg.connect(SERVER, autocommit=True) as db:
        db.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')


def _run_ingest(
    source: Path | None, stores: list[str], count: int, writers: int, batch: int
) -> list[dict[str, Any]]:
    """Ingest rows measured in a process of their own, importing the library from
    ``source`` (a ``src`` folder) or from this checkout (None)."""
    environment = dict(os.environ)
    if source is not None:
        environment["PYTHONPATH"] = str(source)
    command = [sys.executable, __file__, "--ingest", str(count), "--batch", str(batch)]
    command += ["--ingest-only", ",".join(stores), "--writers", str(writers)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=environment)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _baseline_source(ref: str, folder: Path) -> Path:
    """The ``src`` folder of the library at git ``ref``, extracted into ``folder``."""
    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", ref, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def ingest_table(args: argparse.Namespace, folder: Path) -> list[tuple[str, ...]]:
    """Rows of the ingest table: main beside this code beside SQLite, per writer count,
    each run in turn so that a busy machine weighs on all alike; medians of
    ``--ingest-repeat`` runs, column by column."""
    base = _baseline_source(args.baseline, folder) if args.baseline else None
    rows: list[tuple[str, ...]] = []
    for writers in WRITERS:
        measured: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for _ in range(args.ingest_repeat):
            if base is not None:
                for row in _run_ingest(base, ["PostgreSQL"], args.ingest, writers, args.batch):
                    measured.setdefault((row["store"], f"main ({args.baseline})"), []).append(row)
            stores = ["PostgreSQL", "SQLite"]
            for row in _run_ingest(None, stores, args.ingest, writers, args.batch):
                measured.setdefault((row["store"], "this code"), []).append(row)
        for (store, code), runs in measured.items():
            rows.append((str(writers), store, code, *_ingest_cells(runs, args.ingest)))
    return rows


def _ingest_cells(runs: list[dict[str, Any]], count: int) -> tuple[str, str, str, str]:
    """Claims/s, claims per client CPU-s, server CPU and lock held per claim (medians)."""

    def median(key: str) -> float:
        values = sorted(run[key] for run in runs)
        return float(values[len(values) // 2])

    server = median("server")
    return (
        f"{median('rate'):,.0f}",
        f"{count / median('cpu'):,.0f}",
        "" if server < 0 else f"{server / count * 1e6:.1f} us",
        f"{median('held') / count * 1e6:.1f} us",
    )


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
        "from conflict_ledger import snapshot\n"
        f"ledger = open_ledger({target!r})\n"
        f"snap = snapshot(ledger, at={at!r})\n"
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


def other_rows(args: argparse.Namespace, folder: Path) -> list[tuple[str, str, str, str]]:
    """The store path, the copy, the read and the cold open rows."""
    rows: list[tuple[str, str, str, str]] = []
    n = args.ingest
    for name, store in (
        ("SQLite", SqliteStore(folder / "store.sqlite")),
        ("PostgreSQL", PostgresStore(pg_url("store"))),
    ):
        rate, cpu = store_path(store, n, args.batch)
        rows.append(("ingest, 1 writer, store path", name, f"{rate:,.0f}/s", f"{n / cpu:,.0f}/s"))
    if not args.claims:
        return rows
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
        measure = f"read {size:,} records + SHA-256 (store.records)"
        rows.append((measure, name, f"{wall:.2f} s", f"{cpu:.2f} s"))
    at = gen.START.add(hours=gen.HOURS // 2).isoformat()
    targets = (("SQLite", path), ("PostgreSQL", pg_url("war")))
    for name, target in targets:
        rows.append(
            _cold_row(
                f"open + first snapshot, {size:,} claims, new process",
                name,
                target,
                at,
                args.repeat,
            )
        )
    for name, target in targets:  # then with the index saved (conflict-ledger index)
        began, cpu = time.perf_counter(), time.process_time()
        with open_ledger(target) as ledger:
            saved = AsOfIndex(ledger).save()
        rows.append(
            (
                f"save the index ({saved / 1e6:.1f} MB)",
                name,
                f"{time.perf_counter() - began:.1f} s",
                f"{time.process_time() - cpu:.1f} s",
            )
        )
        rows.append(
            _cold_row(
                f"open + first snapshot, {size:,} claims, index saved",
                name,
                target,
                at,
                args.repeat,
            )
        )
    return rows


def _cold_row(
    measure: str, name: str, target: str, at: str, repeat: int
) -> tuple[str, str, str, str]:
    runs = sorted(cold_open(target, at) for _ in range(repeat))
    wall = f"{runs[len(runs) // 2][0]:.2f} s ({runs[0][0]:.2f}-{runs[-1][0]:.2f})"
    cpu = f"{sorted(c for _, c in runs)[len(runs) // 2]:.2f} s"
    return (measure, name, wall, cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ingest", type=int, default=200_000, help="claims to ingest")
    parser.add_argument("--batch", type=int, default=10_000, help="claims a batch")
    parser.add_argument("--claims", type=int, default=1_000_000, help="claims to open (0: none)")
    parser.add_argument("--repeat", type=int, default=3, help="cold opens (median shown)")
    parser.add_argument(
        "--ingest-repeat", type=int, default=1, help="ingest runs of each kind (median shown)"
    )
    parser.add_argument(
        "--baseline", default=BASELINE, help="git ref of the library to compare ('' for none)"
    )
    parser.add_argument("--ingest-only", help=argparse.SUPPRESS)  # STORE,...: JSON lines
    parser.add_argument("--writers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ingest_only:
        return ingest_only(args.ingest_only.split(","), args.ingest, args.writers, args.batch)
    folder = Path(tempfile.mkdtemp(prefix="cl-bench-pg-"))
    try:
        ingested = ingest_table(args, folder)
        rows = other_rows(args, folder)
    finally:
        _drop_schema()
        shutil.rmtree(folder)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.ingest:,} claims ingested in batches of {args.batch:,}; server {SERVER}")
    print(f"{os.cpu_count()} CPUs, load average {load} at the end")
    print()
    print(
        "| writers | store | code | claims/s (wall) | claims per client CPU-s "
        "| server CPU/claim | lock held/claim |"
    )
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
    for row in ingested:
        print("| " + " | ".join(row) + " |")
    print()
    print("| measure | store | wall clock | per client CPU second / client CPU |")
    print("| --- | --- | ---: | ---: |")
    for measure, store, result, cpu in rows:
        print(f"| {measure} | {store} | {result} | {cpu} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
