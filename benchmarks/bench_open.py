"""Where opening a big SQLite ledger goes: each step of reading it, in microseconds a claim.

    python benchmarks/bench_open.py                              # 100k and 1M claims
    python benchmarks/bench_open.py --claims 100000 --repeat 3
    python benchmarks/bench_open.py --compare /tmp/before/src    # the same, beside older code
    python benchmarks/bench_open.py --acled --claims 100000      # an ACLED import instead
    python benchmarks/bench_open.py --cli --claims 1000000 --compare /tmp/before/src
                                  # the CLI's snapshot table, each ledger's index saved

The ledgers are written as ``bench_asof.py --cold-start`` writes them (the synthetic war
of ``generate.py``, seed 5, 20,000 places, 50,000 claims a batch), once, into ``--dir``;
with ``--acled``, ``bench_import.py``'s synthetic ACLED export of that many rows is
imported into SQLite instead (as a real export, 6% of its events territorial, each
note quoting its row), and the snapshot asked at 1 June 2023.

The first table times each step of reading on its own, in this process (CPU time, the
garbage collector off, so that other processes on the machine and collections that
traverse what the earlier steps still hold do not blur it): the SQL query,
inflating and checking each record's SHA-256 (``SqliteStore.records``), turning each
record into a claim (``records.Shared.stored_claim``, and the slow way the ledger falls
back to: ``json.loads``, ``upcast``, ``decode_claim``), the ``Recorded`` wrapper, and the
Merkle leaves and tree. The second table is what a new process pays (median of
``--repeat`` runs, with the range): ``open_ledger(path)`` and ``len(ledger)``, the time
the garbage collector ran during it (``gc.callbacks``), then ``AsOfIndex(ledger)`` and
one snapshot (its CPU time and the collector's share of that), as the cold-start row of
``bench_asof.py`` times them, from the child's first import (not the interpreter's start). With ``--compare
SRC`` the same new-process rows run with ``SRC`` first on ``sys.path`` (e.g. an older
checkout's ``src``: ``git archive HEAD~3 src | tar -x -C /tmp/before``). Since opening
reads no record (issue 15), ``open_ledger + len`` is mostly the imports, and decoding the
records moved into the index's first build: read the "cold start in all" rows, and their
CPU time when the machine is busy.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import generate as gen

from conflict_ledger import records
from conflict_ledger.codec import open_ledger
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.ledger import Recorded
from conflict_ledger.merkle import MerkleTree, leaf_hash
from conflict_ledger.stores import SqliteStore
from conflict_ledger.stores.schema import upcast

PLACES = 20_000

_CHILD = """
import gc, json, sys, time
spent = [0.0, 0, 0.0]
def timed(phase, info):
    if phase == "start":
        spent[2] = time.perf_counter()
    else:
        spent[0] += time.perf_counter() - spent[2]
        spent[1] += 1
gc.callbacks.append(timed)
began, cpu = time.perf_counter(), time.process_time()
from conflict_ledger.codec import open_ledger
ledger = open_ledger(sys.argv[1])
size = len(ledger)
opened, opened_cpu, collected, collections = (
    time.perf_counter(), time.process_time(), spent[0], spent[1]
)
from conflict_ledger import snapshot as ask  # the one door, in older checkouts too
snapshot = ask(ledger, at=sys.argv[2])
assert size > 0 and len(snapshot) > 0
print(json.dumps({"open": opened - began, "cpu": opened_cpu - cpu, "gc": collected,
                  "collections": collections, "index": time.perf_counter() - opened,
                  "index_cpu": time.process_time() - opened_cpu,
                  "index_gc": spent[0] - collected,
                  "module": __import__("conflict_ledger").__file__}))
"""


def write_ledger(path: str, claims: int) -> float:
    """Write the ledger as ``bench_asof.cold_start`` does; seconds taken."""
    return gen.write_sqlite(path, claims=claims, places=PLACES)


def timed(what: Any) -> tuple[Any, float]:
    """The result of ``what()`` and the CPU seconds it took, the garbage collector off (it
    would traverse every record all the steps hold; the new-process rows measure it)."""
    gc.disable()
    began = time.process_time()
    try:
        result = what()
        return result, time.process_time() - began
    finally:
        gc.enable()


def steps(path: str) -> list[tuple[str, float]]:
    """CPU seconds of each step of reading the claims, in this process."""
    out: list[tuple[str, float]] = []
    db = sqlite3.connect(path)
    query = "SELECT position, data, hash FROM claims ORDER BY position"
    rows, seconds = timed(lambda: db.execute(query).fetchall())
    out.append(("SQL query (rows fetched)", seconds))
    db.close()
    store = SqliteStore(path)
    unpack = store._unpack
    _, seconds = timed(lambda: [unpack(row[1]) for row in rows])
    out.append((f"  unpack alone ({store.meta()['compression']})", seconds))
    rows = []
    stored, seconds = timed(lambda: list(store.records()))
    store.close()
    out.append(("store.records(): query, inflate, SHA-256", seconds))
    texts, seconds = timed(lambda: [item.data.decode("utf-8") for item in stored])
    out.append(("bytes to text", seconds))
    shared = records.Shared()
    decoded, seconds = timed(lambda: [shared.stored_claim(text) for text in texts])
    assert all(item is not None for item in decoded)
    out.append(("claims: Shared.stored_claim (now)", seconds))
    parsed, seconds = timed(lambda: [json.loads(item.data) for item in stored])
    out.append(("slow way: json.loads", seconds))
    fields, seconds = timed(lambda: [upcast(item) for item in parsed])
    out.append(("slow way: upcast", seconds))
    parsed = []
    slow = records.Shared()
    claims, seconds = timed(lambda: [records.decode_claim(f["claim"], shared=slow) for f in fields])
    out.append(("slow way: decode_claim, shared", seconds))
    assert claims == [item[2] for item in decoded]
    fields = claims = []
    _, seconds = timed(
        lambda: [Recorded(position=p, recorded_at=at, claim=claim) for p, at, claim in decoded]
    )
    out.append(("Recorded(...)", seconds))
    leaves, seconds = timed(lambda: [leaf_hash(item.data) for item in stored])
    out.append(("Merkle leaf hashes", seconds))
    _, seconds = timed(lambda: MerkleTree().extend(leaves))
    out.append(("Merkle tree (one extend)", seconds))
    return out


def write_acled(path: str, rows: int) -> float:
    """An ACLED-shaped ledger: ``bench_import.py``'s synthetic export of ``rows`` rows
    (6% of them territorial), imported into a new SQLite ledger; seconds it took."""
    import bench_import

    from conflict_ledger.adapters.acled import import_acled
    from conflict_ledger.codec import open_ledger
    from conflict_ledger.gazetteer import syria
    from conflict_ledger.ledger import fixed_clock

    began = time.perf_counter()
    export = Path(path).with_suffix(".csv")
    bench_import.export(export, rows)
    with open_ledger(
        path, create=True, registries=syria(), clock=fixed_clock("2025-01-01T00:00Z")
    ) as ledger:
        import_acled(ledger, export)
    export.unlink()
    return time.perf_counter() - began


ACLED_AT = "2023-06-01T00:00:00+00:00"  # within the synthetic export's three years


def new_process(path: str, src: str | None, at: str | None = None) -> dict[str, Any]:
    env = _with_src(src)
    at = at or gen.START.add(hours=gen.HOURS // 2).isoformat()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, path, at],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


_CLI = "import sys; from conflict_ledger.cli import main; raise SystemExit(main(sys.argv[1:]))"


def _with_src(src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    return env


def cli_snapshot(path: str, src: str | None, at: str) -> tuple[float, float, int]:
    """``conflict-ledger snapshot PATH --at AT`` in a new process, end to end (its table
    of every place written to a pipe and counted): wall seconds, CPU seconds, lines."""
    before = os.times()
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CLI, "snapshot", path, "--at", at],
        check=True,
        capture_output=True,
        env=_with_src(src),
    )
    wall = time.perf_counter() - began
    after = os.times()
    user = after.children_user - before.children_user
    cpu = user + after.children_system - before.children_system
    return wall, cpu, done.stdout.count(b"\n")


def saved_copy(path: str, src: str | None = None) -> str:
    """A copy of the ledger at ``path`` with its index saved (as ``conflict-ledger index``
    saves it), made once; prints what building and saving took. With ``src``, the copy
    is saved by the code under ``src`` (``conflict-ledger index`` in a process of its own),
    whose saved index may have another format."""
    copy = path.replace(".sqlite", "-saved.sqlite" if src is None else "-saved-compared.sqlite")
    if src is not None:
        if not os.path.exists(copy):
            shutil.copyfile(path, copy)
            subprocess.run(
                [sys.executable, "-c", _CLI, "index", copy], check=True, env=_with_src(src)
            )
        return copy
    if not os.path.exists(copy):
        shutil.copyfile(path, copy)
        began = time.process_time()
        with open_ledger(copy) as ledger:
            index = AsOfIndex(ledger)
            index.snapshot(at="1970-01-01T00:00Z")
            built = time.process_time()
            size = index.save()
        saved = time.process_time()
        print(
            f"saved the index in {copy}: {size / 1e6:.1f} MB, built in {built - began:.1f} s "
            f"CPU, saved in {saved - built:.1f} s CPU",
            flush=True,
        )
    return copy


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} s ({min(values):.2f}-{max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default="/tmp/conflict-ledger-bench-open")
    parser.add_argument("--compare", metavar="SRC", help="also time the code under SRC")
    parser.add_argument("--no-steps", action="store_true", help="only the new-process rows")
    parser.add_argument(
        "--acled",
        action="store_true",
        help="open ACLED imports of --claims rows (bench_import.py's export) instead of the war",
    )
    parser.add_argument(
        "--saved",
        action="store_true",
        help="also open a copy of each ledger with its index saved (conflict-ledger index)",
    )
    parser.add_argument(
        "--cli",
        action="store_true",
        help="only `conflict-ledger snapshot LEDGER --at ...` (the table of every place) in a "
        "new process, on each ledger with its index saved (by each code, with --compare)",
    )
    args = parser.parse_args(argv)
    os.makedirs(args.dir, exist_ok=True)
    for claims in args.claims:
        kind, write = ("acled", write_acled) if args.acled else ("war", write_ledger)
        path = os.path.join(args.dir, f"{kind}-{claims}.sqlite")
        if not os.path.exists(path):
            print(f"writing {path}: {write(path, claims):.1f} s", flush=True)
        print(f"\n{claims:,} claims, {PLACES:,} places ({path})")
        if args.cli:
            cli_rows(path, args.compare, args.repeat, ACLED_AT if args.acled else None)
            continue
        if not args.no_steps:
            print(f"  {'step (in this process, CPU, no GC)':<42} {'s':>7} {'us a claim':>11}")
            for what, seconds in steps(path):
                print(f"  {what:<42} {seconds:7.2f} {seconds / claims * 1e6:11.2f}", flush=True)
            gc.collect()
        trees = [("this checkout", None, path)]
        if args.saved:
            trees.append(("this checkout, the index saved", None, saved_copy(path)))
        if args.compare:
            trees.append((args.compare, args.compare, path))
        for name, src, where in trees:
            at = ACLED_AT if args.acled else None
            runs = [new_process(where, src, at) for _ in range(args.repeat)]
            print(f"  new process, {name} ({runs[0]['module']}), {args.repeat} runs:")
            opened = [run["open"] for run in runs]
            print(f"    open_ledger + len     {spread(opened)}", end="")
            print(f"  {statistics.median(opened) / claims * 1e6:5.1f} us a claim")
            print(f"    of which CPU          {spread([run['cpu'] for run in runs])}")
            collections = runs[0]["collections"]
            print(f"    of which GC           {spread([run['gc'] for run in runs])}", end="")
            print(f"  ({collections} collections)")
            print(f"    index + one snapshot  {spread([run['index'] for run in runs])}")
            print(f"    of which CPU          {spread([run['index_cpu'] for run in runs])}")
            print(f"    of which GC           {spread([run['index_gc'] for run in runs])}")
            total = [run["open"] + run["index"] for run in runs]
            print(f"    cold start in all     {spread(total)}")
            cpu = [run["cpu"] + run["index_cpu"] for run in runs]
            print(f"    of which CPU          {spread(cpu)}", flush=True)
    return 0


def cli_rows(path: str, compare: str | None, repeat: int, at: str | None) -> None:
    """The CLI's snapshot table, end to end, on a saved copy made by each code."""
    at = at or gen.START.add(hours=gen.HOURS // 2).isoformat()
    trees = [("this checkout", None)] + ([(compare, compare)] if compare else [])
    print(f"  conflict-ledger snapshot LEDGER --at {at}, new process, {repeat} runs:")
    print(f"    {'code':<40} {'wall':>22} {'CPU':>22} {'lines':>7}")
    for name, src in trees:
        copy = saved_copy(path, src)
        runs = [cli_snapshot(copy, src, at) for _ in range(repeat)]
        wall, cpu = spread([r[0] for r in runs]), spread([r[1] for r in runs])
        print(f"    {name[-40:]:<40} {wall:>22} {cpu:>22} {runs[0][2]:>7,}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
