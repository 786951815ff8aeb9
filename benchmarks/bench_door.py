"""``cl.snapshot`` and ``cl.explain`` before and after the one door: the reference fold beside the index.

    python benchmarks/bench_door.py                  # 100k claims, 2,000 places
    python benchmarks/bench_door.py --claims 20000   # a quick look

The cl.explain rows ask one place at a time, as known at a time with claims reported
after it, so that some are excluded with their reason.

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
    _explain_rows(ledger, ats, places=args.places, repeat=args.repeat)
    return 0


def _explain_rows(ledger: Any, ats: list[Any], *, places: int, repeat: int) -> None:
    """``cl.explain`` of one place: the reference reads every record, the door only the
    records naming that place (after a first call that sorts the records by place). The
    generator names the first places most often: ``p00001``... are the busiest."""
    rng = random.Random(2)
    busiest = [f"p{i:05d}" for i in range(1, repeat + 1)]
    anywhere = [f"p{rng.randrange(places):05d}" for _ in range(repeat)]
    known = ats[len(ats) // 2]  # some claims reported after it: excluded, with the reason
    opened = _seconds(lambda: cl.explain(ledger, busiest[0], at=ats[0], known_at=known))
    rows = []
    for name, chosen in (("one of the busiest places", busiest), ("a place at random", anywhere)):
        asked = list(zip(chosen, ats, strict=True))
        for place, at in asked:  # the door answers what the oracle answers
            door = cl.explain(ledger, place, at=at, known_at=known)
            assert door == reference.explain(ledger, place, at=at, known_at=known)
        fold = _median(
            [lambda p=p, a=a: reference.explain(ledger, p, at=a, known_at=known) for p, a in asked]
        )
        door = _median(
            [lambda p=p, a=a: cl.explain(ledger, p, at=a, known_at=known) for p, a in asked]
        )
        if not rows:
            rows.append(_row("first cl.explain (sorts the records by place)", fold, opened))
        rows.append(_row(f"cl.explain, {name}", fold, door))
    print(*rows, sep="\n")


if __name__ == "__main__":
    sys.exit(main())
