"""How fast an ACLED export becomes a ledger, beside pandas reading the same file.

    python benchmarks/bench_import.py                 # 100,000 rows
    python benchmarks/bench_import.py --rows 20000 --repeat 3
    python benchmarks/bench_import.py --compare /path/to/main/src --repeat 3
    python benchmarks/bench_import.py --rows 100000 --write acled.csv   # only write the file

A synthetic export in the current 31-column layout (invented rows, ACLED's shape): three
years of events over 3,000 locations in Syria (a Zipf-like popularity), 40 actors (ACLED's
names for the gazetteer's actors, sub-units, and new groups), 60 sources, 6% territorial
sub-event types, notes of a sentence or two, a distinct ``timestamp`` per row. The table
gives rows per second for:

* ``csv.reader``: the standard library reading the rows (a floor for any Python importer);
* ``pandas.read_csv``: pandas reading the same file into a DataFrame (C parser);
* ``read_acled_file``: the file to candidate claims (layout, merging, sides, places,
  actors, claims), touching no ledger;
* ``import_acled``: the file to an in-memory ledger (append and registries included),
  then the same file again (every row unchanged), then into a new SQLite ledger file
  (canonical JSON, SHA-256, Merkle tree, compression and the insert included);
* ``ingest``: the file into a claims file on disk (JSON Lines), as ``conflict-ledger
  ingest`` does.

With ``--compare OLD_SRC`` (the ``src`` folder of another checkout, e.g. main's), the
import into an in-memory ledger and into a new SQLite ledger is also timed with that code
and with this checkout's,
each in a fresh process (``PYTHONPATH``), alternating, and the two ledgers' Merkle roots
are compared: a faster import must write the same records.

Each row is timed by the wall clock and by the process's CPU time: on a machine shared
with other work the CPU time is what the import costs, the wall time adds the waits.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import conflict_ledger as cl
from conflict_ledger.adapters.acled import CURRENT_COLUMNS, import_acled, read_acled_file
from conflict_ledger.adapters.files import ingest
from conflict_ledger.codec import open_ledger
from conflict_ledger.gazetteer import syria

ACTORS = [
    ("Military Forces of Syria (2000-2024)", "State forces"),
    ("Military Forces of Syria (2000-2024) Air Force", "State forces"),
    ("Police Forces of Syria (2000-2024)", "State forces"),
    ("HTS: Hayat Tahrir al Sham", "Rebel group"),
    ("SDF: Syrian Democratic Forces", "Identity militia"),
    ("SNA: Syrian National Army", "Rebel group"),
    ("Islamic State (Syria)", "Rebel group"),
    ("Military Forces of Russia (2000-)", "External/Other forces"),
    ("Military Forces of Turkey (2016-)", "External/Other forces"),
    ("Hezbollah", "Identity militia"),
] + [(f"Local Militia {n} (Syria)", "Identity militia") for n in range(30)]
SUBS = [
    ("Battles", "Armed clash", 40),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 25),
    ("Explosions/Remote violence", "Air/drone strike", 15),
    ("Violence against civilians", "Attack", 8),
    ("Protests", "Peaceful protest", 6),
    ("Battles", "Non-state actor overtakes territory", 3),
    ("Battles", "Government regains territory", 2),
    ("Strategic developments", "Non-violent transfer of territory", 1),
]
SYLLABLES = ["al", "ba", "dar", "deir", "ha", "ma", "ka", "mal", "ra", "qa", "tal", "rif", "su"]


def export(path: Path, rows: int, seed: int = 13) -> None:
    """Write a synthetic ACLED export of ``rows`` rows to ``path``."""
    rng = random.Random(seed)
    places = []
    for number in range(3000):
        name = "".join(rng.choice(SYLLABLES) for _ in range(3)).title() + f" {number}"
        places.append((name, f"{rng.uniform(32.5, 37):.4f}", f"{rng.uniform(35.8, 42):.4f}"))
    places[:4] = [
        ("Aleppo", "36.2000", "37.1600"),
        ("Hama", "35.1300", "36.7500"),
        ("Homs", "34.7300", "36.7200"),
        ("Deir ez-Zor", "35.3400", "40.1400"),
    ]
    weights = [1 / (rank + 1) for rank in range(len(places))]
    sources = [f"Source {n}" for n in range(60)]
    kinds = [(t, s) for t, s, w in SUBS for _ in range(w)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CURRENT_COLUMNS)
        for number in range(rows):
            (a1, i1), (a2, i2) = rng.sample(ACTORS, 2)
            etype, sub = rng.choice(kinds)
            location, lat, lon = rng.choices(places, weights)[0]
            day = 1 + number * 1095 // rows
            date = f"{2022 + (day - 1) // 365}-{1 + ((day - 1) % 365) // 31:02d}-{1 + ((day - 1) % 365) % 28:02d}"
            row = dict.fromkeys(CURRENT_COLUMNS, "")
            row.update(
                event_id_cnty=f"SYR{number}",
                event_date=date,
                year=date[:4],
                time_precision=rng.choice("1111112"),
                disorder_type="Political violence",
                event_type=etype,
                sub_event_type=sub,
                actor1=a1,
                inter1=i1,
                actor2=a2 if rng.random() < 0.8 else "",
                inter2=i2,
                country="Syria",
                admin1="Hama",
                location=location,
                latitude=lat,
                longitude=lon,
                geo_precision=rng.choice("1112"),
                source="; ".join(rng.sample(sources, rng.randint(1, 2))),
                source_scale="National",
                notes=f"On {date}, {a1} and {a2} clashed near {location}. Synthetic row.",
                fatalities=str(rng.randint(0, 9)),
                timestamp=str(1700000000 + number * 60),
            )
            writer.writerow(row.values())


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``repeat`` runs (on a shared machine the CPU
    time is the cost; the wall time also counts waiting for a core)."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _fresh_ledger() -> cl.Ledger:
    return cl.Ledger(registries=syria(), clock=cl.fixed_clock("2025-01-01T00:00Z"))


def worker(path: Path, into: str) -> None:
    """Import ``path`` once into an in-memory ledger (``into`` empty) or a new SQLite file
    ``into``; print wall, CPU and Merkle root."""
    start, cpu = time.perf_counter(), time.process_time()
    if into:
        clock = cl.fixed_clock("2025-01-01T00:00Z")
        with open_ledger(into, create=True, registries=syria(), clock=clock) as ledger:
            import_acled(ledger, path)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            point = ledger.checkpoint()
        os.unlink(into)
    else:
        ledger = _fresh_ledger()
        import_acled(ledger, path)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        point = ledger.checkpoint()
    print(json.dumps({"wall": wall, "cpu": cpu, "size": point.size, "root": point.root.hex()}))


def compare(path: Path, old_src: str, repeat: int) -> list[tuple[str, tuple[float, float]]]:
    """The in-memory import by ``old_src``'s code and this checkout's, alternating, each
    run in a fresh process; says whether both wrote the same ledger."""
    sources = {"old": str(Path(old_src).resolve()), "new": str(Path(__file__).parents[1] / "src")}
    out: list[tuple[str, tuple[float, float]]] = []
    for into in ("", str(path.with_suffix(".compare.db"))):
        runs: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
        for _ in range(repeat):
            for which, src in sources.items():
                done = subprocess.run(
                    [sys.executable, __file__, "--worker", str(path), "--into", into],
                    env=dict(os.environ, PYTHONPATH=src),
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs[which].append(json.loads(done.stdout))
        roots = {(run["size"], run["root"]) for which in runs for run in runs[which]}
        where = "a SQLite ledger" if into else "in-memory"
        print(
            f"same ledger both ways, {where} (size, Merkle root):",
            "yes" if len(roots) == 1 else f"NO: {sorted(roots)}",
        )
        for which, name in (("old", old_src), ("new", "this checkout")):
            median = (
                statistics.median(run["wall"] for run in runs[which]),
                statistics.median(run["cpu"] for run in runs[which]),
            )
            out.append((f"import_acled, {where}: {name}", median))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--compare", metavar="OLD_SRC", help="the src/ folder of other code")
    parser.add_argument(
        "--write", type=Path, metavar="CSV", help="only write the synthetic export to CSV"
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--into", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.into)
        return
    if args.write:  # a file to try the command line on: ingest --kind acled --into x.sqlite
        export(args.write, args.rows)
        print(f"wrote {args.rows:,} rows of a synthetic ACLED export to {args.write}")
        return
    folder = Path(tempfile.mkdtemp())
    path = folder / "acled.csv"
    export(path, args.rows)
    rows = args.rows
    results: list[tuple[str, tuple[float, float]]] = []

    def csv_reader() -> None:
        with path.open(encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle):
                pass

    results.append(("csv.reader (standard library)", timed(csv_reader, args.repeat)))
    try:
        import pandas as pd

        results.append(("pandas.read_csv", timed(lambda: pd.read_csv(path), args.repeat)))
    except ImportError:
        print("pandas is not installed: pip install -e '.[bench]'", file=sys.stderr)
    if args.compare:
        results += compare(path, args.compare, args.repeat)
    results.append(
        ("read_acled_file (no ledger)", timed(lambda: read_acled_file(path, syria()), args.repeat))
    )
    ledgers: list[cl.Ledger] = []

    def into_memory() -> None:
        ledger = _fresh_ledger()
        report = import_acled(ledger, path)
        assert len(report.appended) == rows, report.summary()
        ledgers.append(ledger)

    results.append(("import_acled, in-memory ledger", timed(into_memory, args.repeat)))
    results.append(
        ("import_acled again (all unchanged)", timed(lambda: import_acled(ledgers[-1], path), 1))
    )

    def into_sqlite() -> None:
        target = folder / f"ledger-{time.perf_counter_ns()}.db"
        clock = cl.fixed_clock("2025-01-01T00:00Z")
        with open_ledger(target, create=True, registries=syria(), clock=clock) as ledger:
            import_acled(ledger, path)

    results.append(("import_acled into a SQLite ledger (.db)", timed(into_sqlite, args.repeat)))

    def into_file() -> None:
        target = folder / f"ledger-{time.perf_counter_ns()}.jsonl"
        ingest(path, target, clock=cl.fixed_clock("2025-01-01T00:00Z"))

    results.append(("ingest into a claims file (.jsonl)", timed(into_file, args.repeat)))
    print(f"{rows:,} rows of a synthetic ACLED export ({path.stat().st_size / 1e6:.1f} MB)")
    width = max(38, *(len(name) for name, _ in results))
    print(f"{'what':<{width}} {'wall s':>8} {'CPU s':>8} {'rows/s wall':>12} {'rows/s CPU':>11}")
    for name, (wall, cpu) in results:
        print(
            f"{name:<{width}} {wall:>8.2f} {cpu:>8.2f} {rows / wall:>12,.0f} {rows / cpu:>11,.0f}"
        )


if __name__ == "__main__":
    main()
