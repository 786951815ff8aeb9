"""The ``conflict-ledger alias`` command: call a place, actor or source the ledger already has
by more names (:meth:`conflict_ledger.ledger.Ledger.add_aliases`).

A claims file is rewritten with the grown entry; a SQLite, JSON Lines or PostgreSQL ledger
stores it as a value record (covered by the registry root of its checkpoints).

    conflict-ledger alias goma.claims.jsonl cd-nk 'North Kivu' 'Nord Kivu'
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from conflict_ledger.ledger import Ledger
from conflict_ledger.stores.memory import MemoryStore

__all__ = ["EXAMPLES", "add_alias_command", "run_alias"]

EXAMPLES = (
    "conflict-ledger alias goma.claims.jsonl cd-nk 'North Kivu' 'Nord Kivu'\n"
    "  conflict-ledger alias LEDGER congo-the-democratic-republic-of-the DRC 'DR Congo'\n"
    "  conflict-ledger alias LEDGER homs 'Homs Brigade' --kind actor --format json"
)


def add_alias_command(commands: Any, subcommand: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the ``alias`` subcommand to ``commands`` (an argparse subparsers action), made by
    the CLI's ``subcommand(commands, name, help)`` (its --help ends with :data:`EXAMPLES`)."""
    help = (
        "Call a place, actor or source the ledger already has by more names; queries and "
        "appends then resolve them."
    )
    sub = subcommand(commands, "alias", help)
    sub.add_argument(
        "ledger",
        help="a claims file (.jsonl), a ledger (.sqlite, .jsonl) or "
        "postgresql://user@host/db?ledger=NAME",
    )
    sub.add_argument("entry", help="the entry's id or one of its names, e.g. cd-nk")
    sub.add_argument("names", nargs="+", metavar="NAME", help="the new names, e.g. 'North Kivu'")
    sub.add_argument(
        "--kind",
        choices=("place", "actor", "source"),
        help="which registry, when the entry's id or name is in two",
    )
    sub.add_argument("--format", choices=("table", "json"), default="table")


def run_alias(args: argparse.Namespace, ledger: Ledger) -> str:
    """Add ``args.names`` to the entry ``args.entry`` of ``ledger`` (opened from
    ``args.ledger``); a refused name leaves the ledger as it was."""
    before = ledger.registries
    entry = ledger.add_aliases(args.entry, *args.names, kind=args.kind)
    changed = ledger.registries is not before
    if changed and isinstance(ledger.store, MemoryStore):  # a claims file: write it back whole
        from conflict_ledger.adapters import files  # a claims file: read and written whole

        files.save_ledger(args.ledger, ledger, gazetteer=files.open_ledger(args.ledger)[1])
    kind = type(entry).__name__.lower()
    if args.format == "json":
        return json.dumps(
            {"id": entry.id, "kind": kind, "name": entry.name, "aliases": list(entry.aliases)},
            ensure_ascii=False,
            indent=1,
        )
    if not changed:
        return f"{kind} {entry.id} ({entry.name}) already has these names; nothing written"
    return f"{kind} {entry.id} ({entry.name}) is now also called: {', '.join(args.names)}"
