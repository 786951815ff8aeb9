"""The fast fold of this checkout beside the fold of another git revision, on one machine at once.

    python benchmarks/bench_fold.py --against HEAD~1     # 100k claims, 2,000 places, 61 rounds

Both ``_fastfold.py`` files fold the same compiled claims (compiled by this checkout; the
compiled form must be the same in both), one after the other in alternating order, round
after round. Each round's rates are compared with each other, so that a machine whose load
changes between rounds (a shared one) still gives a fair ratio: the table shows the median
of those paired ratios and their interquartile range beside the median rates. Before
timing, both folds are checked to give the same states (``--differs`` skips the check,
for a revision whose rules were different).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from types import ModuleType
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate as gen

from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._places import compile_place, fold_key
from conflict_ledger.rules.territory import place_of


def _show(revision: str, path: str) -> str:
    """The text of ``path`` at ``revision``, or '' when it is not there."""
    shown = subprocess.run(
        ["git", "show", f"{revision}:{path}"], capture_output=True, text=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else ""


def fold_of(revision: str, folder: str) -> ModuleType:
    """``_fastfold.py`` as it is at ``revision``, loaded as its own module."""
    source = _show(revision, "src/conflict_ledger/engine/_fastfold.py") or _show(
        revision,
        "src/conflict_ledger/_fastfold.py",  # before the engine was a subpackage
    )
    path = os.path.join(folder, "fastfold_then.py")
    with open(path, "w", encoding="utf-8") as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location("fastfold_then", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compiled(claims: int, places: int) -> list[list[Any]]:
    """The synthetic ledger's claims, compiled place by place and sorted as the index does."""
    per_place: dict[str, list[Claim]] = {}
    for record in gen.generate(claims=claims, places=places).ledger.records():
        place = place_of(record.claim)
        if place is not None:
            per_place.setdefault(place, []).append(record.claim)
    shared: dict[int, Any] = {}
    groups = [compile_place(claims, shared) for claims in per_place.values()]
    for ops in groups:
        ops.sort(key=fold_key)
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="the git revision to compare with")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=61)
    parser.add_argument("--differs", action="store_true", help="skip the check of equal states")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        then = fold_of(args.against, folder)
    groups = compiled(args.claims, args.places)
    count = sum(map(len, groups))
    folds = {f"{args.against} (then)": then.fold, "this checkout (now)": ff.fold}
    if not args.differs:
        for ops in groups:
            assert then.fold(then.EMPTY, ops) == ff.fold(ff.EMPTY, ops), "the folds differ"
    gc.collect()
    gc.freeze()
    seconds: dict[str, list[float]] = {name: [] for name in folds}
    for round_ in range(args.rounds):
        for name in list(folds)[:: 1 if round_ % 2 else -1]:
            fold = folds[name]
            began = time.perf_counter()
            for ops in groups:
                fold(ff.EMPTY, ops)
            seconds[name].append(time.perf_counter() - began)
    base = seconds[next(iter(folds))]
    print(f"{count:,} claims, {len(groups):,} places, {args.rounds} rounds")
    print(f"{'fold':28} | {'median rate':>13} | paired rate vs then: median (IQR)")
    for name, taken in seconds.items():
        ratios = sorted(b / t for b, t in zip(base, taken, strict=True))
        quarter = len(ratios) // 4
        print(
            f"{name:28} | {count / statistics.median(taken):11,.0f}/s | "
            f"{statistics.median(ratios):.3f} ({ratios[quarter]:.3f}-{ratios[-quarter - 1]:.3f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
