"""The first check of a claim against a stored ledger just opened: the duplicate-id check
reads every stored record's id. Prints the CPU time of the open and of that first check.

    python benchmarks/bench_first_append.py LEDGER.sqlite

Run it with two checkouts' src/ on PYTHONPATH to compare them (docs/performance.md,
"Opening a ledger").
"""

from __future__ import annotations

import sys
import time

import conflict_ledger as cl


def main(path: str) -> None:
    began = time.process_time()
    with cl.open_ledger(path) as ledger:
        opened = time.process_time()
        last = ledger.since(len(ledger) - 1)[0].claim
        claim = cl.Claim(
            id="bench-first-append",
            event=last.event,
            valid=last.valid,
            reported_at=last.reported_at,
            source=last.source,
        )
        asked = time.process_time()
        ledger.check([claim])
        checked = time.process_time()
        unread, size = ledger._records.unread(), len(ledger)  # how many were not decoded
    print(
        f"{size:,} records: open {opened - began:.2f} s CPU, first check (every id) "
        f"{checked - asked:.2f} s CPU, records left unread {unread:,}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
