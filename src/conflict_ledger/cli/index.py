"""The ``conflict-ledger index`` command: save a ledger's as-of index with it, so that the
next open reads the index instead of every record (:meth:`conflict_ledger.engine.AsOfIndex.save`).

    conflict-ledger index war.sqlite
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from typing import Any

from conflict_ledger.engine import AsOfIndex
from conflict_ledger.errors import InvalidClaimError, SavedIndexWarning
from conflict_ledger.ledger import Ledger
from conflict_ledger.queries import index_of

__all__ = ["EXAMPLES", "add_index_command", "run_index"]

EXAMPLES = (
    "conflict-ledger index war.sqlite     (then: conflict-ledger snapshot war.sqlite --at ...)\n"
    "  conflict-ledger index received.sqlite --rebuild   (from the records, not the saved one)\n"
    "  conflict-ledger index 'postgresql://analyst@db.example/desk?ledger=syria'"
)


def add_index_command(commands: Any, subcommand: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the ``index`` subcommand to ``commands`` (an argparse subparsers action)."""
    help = (
        "Save the ledger's index with it: the next snapshot, diff, timeline or explain "
        "opens it in about a second instead of reading every record (timeline and explain "
        "then read the records about their place only). Run it again after large imports "
        "(what was appended since is read on open)."
    )
    sub = subcommand(commands, "index", help)
    sub.add_argument(
        "ledger", help="a ledger: .sqlite, .db or postgresql://user@host/db?ledger=NAME"
    )
    sub.add_argument(
        "--rebuild",
        action="store_true",
        help="build the index from the records even if a saved one fits (a file from elsewhere)",
    )


def run_index(args: argparse.Namespace, ledger: Ledger, replay: Callable[[Ledger], None]) -> str:
    """Read or build the ledger's index (``replay`` shows a progress bar), then save it."""
    if not ledger.keeps_derived:
        raise InvalidClaimError(
            field="ledger",
            value=args.ledger,
            problem="this kind of ledger (a JSON Lines file, a claims file) keeps no saved index",
            hint="Convert it to SQLite (conflict-ledger convert LEDGER new.sqlite) to open it fast.",
        )
    if getattr(ledger.store, "read_only", False):  # refused before the build, not after
        raise InvalidClaimError(
            field="ledger",
            value=args.ledger,
            problem="the file or its folder is read-only: the index cannot be saved in it",
            hint="Copy the ledger to a folder you may write to and run conflict-ledger index "
            "on the copy (questions about the ledger need no write).",
        )
    began = time.perf_counter()
    with warnings.catch_warnings(record=True) as set_aside:  # this command saves a new one
        warnings.simplefilter("always", SavedIndexWarning)
        if args.rebuild:
            index = AsOfIndex(ledger)
        else:
            replay(ledger)
            index = index_of(ledger)
    if not set_aside and index.saved_size == len(index):
        return (
            f"the index saved in {args.ledger} covers its {len(index):,} records already: "
            "nothing to save (--rebuild builds it from the records and saves it again)"
        )
    index.snapshot(at="1970-01-01T00:00Z")  # every place folded before saving
    ready = time.perf_counter()
    size = index.save()
    saved = time.perf_counter()
    for other in set_aside:  # any other warning is shown as it would have been
        if not isinstance(other.message, SavedIndexWarning):
            warnings.showwarning(other.message, other.category, other.filename, other.lineno)
    why = [
        f"the saved index did not fit ({w.message.problem}): built from the records\n"
        for w in set_aside
        if isinstance(w.message, SavedIndexWarning)
    ]
    return "".join(why) + (
        f"saved the index of {len(index):,} records ({len(index.places()):,} places, "
        f"{size / 1e6:.1f} MB) in {args.ledger}: ready in {ready - began:.1f} s, "
        f"saved in {saved - ready:.1f} s; the next open reads it instead of the records"
    )
