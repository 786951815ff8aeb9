"""Appending one claim to an index in use: in report order, and reported weeks late.

The two append rows of ``bench_asof.py`` (the same claims, the same timing: the ledger's
append untimed, then ``refresh`` and one ``place_state`` about the claim's place), without
the alternatives, so that they can be run beside older code in one go::

    python benchmarks/bench_append.py --sizes 100000x2000,1000000x20000 --compare /tmp/before/src

Each tree runs in its own process, at the same time (``--compare SRC`` puts ``SRC`` first
on the path).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(claims: int, places: int, count: int) -> dict[str, Any]:
    """The mean and median append (microseconds) of ``count`` claims of each kind."""
    sys.path.insert(0, HERE)
    import bench_asof
    import generate as gen

    from conflict_ledger.engine import AsOfIndex
    from conflict_ledger.rules.territory import place_of

    ledger = gen.generate(claims=claims, places=places).ledger
    index = AsOfIndex(ledger)
    index.holders(at=gen.START.add(hours=gen.HOURS // 2))  # settled, as after a question
    gc.collect()
    gc.freeze()
    out: dict[str, Any] = {}
    for label, fresh in (("in report order", True), ("weeks late", False)):
        spent = []
        for claim in bench_asof.appended_claims(ledger, places, fresh=fresh, count=count):
            ledger.append(claim)
            began = time.perf_counter()
            index.refresh()
            index.place_state(place_of(claim), at=claim.valid.start)  # type: ignore[arg-type]
            spent.append(time.perf_counter() - began)
        out[label] = (statistics.mean(spent) * 1e6, statistics.median(spent) * 1e6)
    return out


def child(src: str | None, sizes: str, count: int) -> subprocess.Popen[str]:
    """A process measuring the code under ``src`` (None: this checkout's)."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    args = [sys.executable, __file__, "--child", "--sizes", sizes, "--count", str(count)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000x2000", help="CLAIMSxPLACES,...")
    parser.add_argument("--count", type=int, default=500, help="claims appended of each kind")
    parser.add_argument("--compare", metavar="SRC", help="also time the code under SRC")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    if args.child:
        figures = {f"{c}x{p}": measure(c, p, args.count) for c, p in sizes}
        print(json.dumps(figures))
        return 0
    trees: list[tuple[str, str | None]] = [("this checkout", None)]
    if args.compare:
        trees.append((args.compare, args.compare))
    # The trees run at the same time, so that both meet the same load on a shared machine.
    running = [(name, child(src, args.sizes, args.count)) for name, src in trees]
    results = [(name, json.loads(process.communicate()[0])) for name, process in running]
    print(f"{'size':<16} {'append one claim':<18} {'code':<28} {'mean us':>10} {'median us':>10}")
    for claims, places in sizes:
        key = f"{claims}x{places}"
        for label in ("in report order", "weeks late"):
            for name, figures in results:
                mean, median = figures[key][label]
                size = f"{claims // 1000:,}k/{places:,}"
                print(f"{size:<16} {label:<18} {name:<28} {mean:10.1f} {median:10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
