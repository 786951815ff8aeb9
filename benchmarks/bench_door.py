"""``cl.snapshot`` before and after the one door: the reference fold beside the index.

    python benchmarks/bench_door.py                  # 100k claims, 2,000 places
    python benchmarks/bench_door.py --claims 20000   # a quick look

Before issue 15's "one door", ``cl.snapshot`` folded the whole ledger on every call:
that fold is now :func:`conflict_ledger.reference.snapshot`, the oracle. The door builds
the ledger's index on the first call and then reads only what was appended since. Every
door answer is checked equal to the reference fold's before it is timed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate as gen

import conflict_ledger as cl
from conflict_ledger import reference


def _seconds(run: Callable[[], Any]) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


def _median(runs: list[Callable[[], Any]]) -> float:
    return statistics.median(_seconds(run) for run in runs)


def _row(name: str, before: float, after: float) -> str:
    ratio = before / after
    times = f"{ratio:,.1f}x" if ratio < 10 else f"{ratio:,.0f}x"
    return f"| {name} | {before * 1e3:,.1f} ms | {after * 1e3:,.3f} ms | {times} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5, help="questions per row")
    args = parser.parse_args(argv)
    made = gen.generate(claims=args.claims, places=args.places)
    ledger = made.ledger
    rng = random.Random(1)
    first, last = ledger.claims()[0].valid.start, ledger.claims()[-1].valid.start
    span = (last - first).total_seconds()

    def some_at() -> Any:
        return first.add(seconds=int(rng.random() * span))

    ats = [some_at() for _ in range(args.repeat)]
    built = _seconds(lambda: cl.snapshot(ledger, at=ats[0]))
    for at in ats:  # the door answers what the oracle answers
        assert tuple(cl.snapshot(ledger, at=at)) == tuple(reference.snapshot(ledger, at=at))
    fold = _median([lambda at=at: tuple(reference.snapshot(ledger, at=at)) for at in ats])
    lazy = _median([lambda at=at: cl.snapshot(ledger, at=at) for at in ats])
    full = _median([lambda at=at: tuple(cl.snapshot(ledger, at=at)) for at in ats])
    one = _median([lambda at=at: cl.snapshot(ledger, at=at)["p00001"] for at in ats])
    print(f"{len(ledger):,} claims about {args.places:,} places; medians of {args.repeat} calls")
    print("| cl.snapshot | before: reference fold | after: the door | speed-up |")
    print("| --- | --- | --- | --- |")
    print(_row("first call (door builds the index)", fold, built))
    print(_row("a snapshot, states read on demand", fold, lazy))
    print(_row("a snapshot, every state read", fold, full))
    print(_row("a snapshot, one place read", fold, one))
    return 0


if __name__ == "__main__":
    sys.exit(main())
