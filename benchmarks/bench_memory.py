"""Memory an index holds for a stored ledger: bytes a claim, beside other code.

    python benchmarks/bench_memory.py LEDGER [--compare OLD_SRC] [--at 2023-06-01T00:00Z]

LEDGER is a SQLite ledger file, e.g. one ``bench_open.py`` wrote (``war-100000.sqlite``,
or ``acled-100000.sqlite`` with ``--acled``). In a fresh process for each tree, the file is
opened, an ``AsOfIndex`` built (or read, ``AsOfIndex.load``, where the ledger keeps a
saved one: ``conflict-ledger index``) and one snapshot answered; the table gives the memory
Python's allocator holds after that (``tracemalloc``, after a collection), less what it
held once the ledger was open, in bytes a claim: the index, and the claims the ledger
keeps because something read them. With ``--compare OLD_SRC`` the same runs with that
``src`` first on ``sys.path``. The figure is the issue's "memory held" (target 250 bytes a
claim).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

_CHILD = """
import gc, json, sys, tracemalloc
import conflict_ledger as cl
from conflict_ledger.codec import open_ledger
ledger = open_ledger(sys.argv[1])
size = len(ledger)
gc.collect()
tracemalloc.start()
before = tracemalloc.get_traced_memory()[0]
index = getattr(cl.AsOfIndex, "load", cl.AsOfIndex)(ledger)  # a saved index where there is one
answer = index.snapshot(at=sys.argv[2])
del answer
gc.collect()
held = tracemalloc.get_traced_memory()[0] - before
print(json.dumps({"claims": size, "held": held, "module": cl.__file__}))
"""


def run(path: str, at: str, src: str | None) -> dict[str, Any]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, path, at],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--compare", metavar="OLD_SRC")
    parser.add_argument("--at", default="2023-06-01T00:00Z")
    args = parser.parse_args()
    trees = [("this checkout", None)] + ([(args.compare, args.compare)] if args.compare else [])
    print(f"{'code':<40} {'claims':>9} {'held MB':>9} {'bytes a claim':>14}")
    for name, src in trees:
        found = run(str(args.ledger), args.at, src)
        claims, held = int(found["claims"]), int(found["held"])
        print(f"{name:<40} {claims:>9,} {held / 1e6:>9.1f} {held / claims:>14,.0f}")


if __name__ == "__main__":
    main()
