"""What the meaning checks (conflict_ledger.audit) add to verify, side by side with the
hash-only verify of the code before them.

    python benchmarks/bench_verify.py --claims 50000 [--before /path/to/older/src]

Writes a generated ledger (benchmarks/generate.py) to a SQLite file once, then times, in
fresh processes, opening it and ``Ledger.verify()`` with this checkout's code and, given
``--before``, with another checkout's (e.g. the main branch before the audit). Also
times the audit's own steps on the same records. Best of 3.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

_CHILD = """
import json, sys, time
from conflict_ledger.codec import open_ledger
began = time.perf_counter()
ledger = open_ledger(sys.argv[1])
opened = time.perf_counter()
ledger.verify()
print(json.dumps({"open": opened - began, "verify": time.perf_counter() - opened}))
"""


def _child(src: Path, path: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _CHILD, path],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(3)
    ]
    return {key: min(run[key] for run in runs) for key in runs[0]}


def _steps(path: str) -> dict[str, float]:
    """The audit's steps alone over every record (seconds, best of 3)."""
    import json as json_module

    from conflict_ledger.audit import Auditor, _canonical
    from conflict_ledger.canonical import canonical_json
    from conflict_ledger.codec import open_ledger

    with open_ledger(path) as ledger:
        stored = list(ledger.store.records())
        records = ledger.records()
        registries = ledger.registries
    best: dict[str, float] = {}
    for _ in range(3):
        began = time.perf_counter()
        for item in stored:
            canonical_json(json_module.loads(item.data))
        full = time.perf_counter() - began
        began = time.perf_counter()
        for item in stored:
            _canonical(item.data)
        canonical = time.perf_counter() - began
        auditor = Auditor(path=path, registries=registries)
        began = time.perf_counter()
        for item, record in zip(stored, records, strict=True):
            auditor.check(item.position, item.data, record.claim, record.recorded_at)
        whole = time.perf_counter() - began
        for key, value in (
            ("canonical form by canonical_json (not used: the alternative)", full),
            ("canonical form by the C encoder (what the audit does)", canonical),
            ("whole audit (ids, targets, names, times, canonical form)", whole),
        ):
            best[key] = min(best.get(key, value), value)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--places", type=int, default=2_000)
    parser.add_argument("--before", type=Path, help="another checkout's src/ to compare with")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(SRC))
    sys.path.insert(0, str(HERE))
    from generate import write_sqlite

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.sqlite")
        write_sqlite(path, claims=args.claims, places=args.places)
        from conflict_ledger.codec import open_ledger

        with open_ledger(path) as ledger:
            count = len(ledger)
        rows = [("this checkout (hashes + meaning)", _child(SRC, path))]
        if args.before:
            rows.append((f"{args.before} (hashes only)", _child(args.before, path)))
        steps = _steps(path)
    print(f"{count:,} claims, SQLite (compact), best of 3 fresh processes\n")
    print("| code | open s | Ledger.verify() s | verify us/claim |")
    print("| --- | ---: | ---: | ---: |")
    for name, times in rows:
        print(
            f"| {name} | {times['open']:.2f} | {times['verify']:.2f} | {1e6 * times['verify'] / count:.1f} |"
        )
    print("\n| audit step, alone | s | us/claim |")
    print("| --- | ---: | ---: |")
    for name, seconds in steps.items():
        print(f"| {name} | {seconds:.2f} | {1e6 * seconds / count:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
