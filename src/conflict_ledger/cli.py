"""The ``conflict-ledger`` command: replay a claims file and ask it questions.

Exit codes: 0 success, 1 a ledger error (bad file, unknown place, bad date), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

import attrs
import pendulum

from conflict_ledger.asof import diff, explain, snapshot, timeline
from conflict_ledger.codec import encode_claim, read_claims_file
from conflict_ledger.errors import LedgerError
from conflict_ledger.ledger import Ledger
from conflict_ledger.time import parse_when

__all__ = ["main"]

_EXAMPLES = {
    "snapshot": "conflict-ledger snapshot seeds/dawn-2024-12-07.claims.jsonl --at 2024-12-07\n"
    "  conflict-ledger snapshot LEDGER --at '2024-12-06 20:00' --tz Asia/Damascus "
    "--known-at '2024-12-07 12:00' --format json",
    "timeline": "conflict-ledger timeline seeds/dawn-2024-12-07.claims.jsonl deir-ez-zor\n"
    "  conflict-ledger timeline LEDGER 'Deir el-Zor' --known-at 2024-12-06",
    "diff": "conflict-ledger diff seeds/dawn-2024-12-07.claims.jsonl --at 2024-11-29 --to 2024-12-08\n"
    "  conflict-ledger diff LEDGER --at 2024-12-07 --known-at 2024-12-06 --to-known-at 2024-12-08",
    "explain": "conflict-ledger explain seeds/dawn-2024-12-07.claims.jsonl homs --at 2024-12-07\n"
    "  conflict-ledger explain LEDGER albukamal --at 2024-12-07 --format json",
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, pendulum.DateTime):
        return value.isoformat()
    if attrs.has(type(value)):
        return {f.name: _jsonable(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "value") and hasattr(type(value), "__members__"):
        return value.value
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conflict-ledger",
        description="Replay a ledger of sourced claims and show who controls what, when, "
        "according to whom.",
        epilog="Times are ISO dates or date-times; without an offset they are read in --tz.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help,
            description=help,
            epilog="examples:\n  " + _EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument(
            "ledger", help="a claims file (.jsonl), e.g. seeds/dawn-2024-12-07.claims.jsonl"
        )
        sub.add_argument(
            "--tz", default="UTC", help="zone for times given without offset (default UTC)"
        )
        sub.add_argument("--known-at", help="count only claims reported by then (default: all)")
        sub.add_argument("--position", type=int, help="count only the first N ledger records")
        sub.add_argument("--format", choices=("table", "json"), default="table")
        return sub

    snap = command("snapshot", "The state of every place at a time, as known at a time.")
    snap.add_argument("--at", required=True, help="the valid time asked about")
    line = command("timeline", "One place's changes of state over time.")
    line.add_argument("place", help="a place id or alias, e.g. deir-ez-zor or 'Deir el-Zor'")
    change = command("diff", "What changed between two snapshots (in the world or in knowledge).")
    change.add_argument("--at", required=True, help="valid time of the first snapshot")
    change.add_argument("--to", help="valid time of the second snapshot (default: --at)")
    change.add_argument("--to-known-at", help="knowledge time of the second (default: --known-at)")
    why = command("explain", "The claims behind one place's state.")
    why.add_argument("place", help="a place id or alias")
    why.add_argument("--at", required=True, help="the valid time asked about")
    return parser


def _place(ledger: Ledger, name: str) -> str:
    return ledger.registries.places.resolve(name).id


def _run(args: argparse.Namespace) -> str:
    ledger = read_claims_file(args.ledger)
    tz = args.tz

    def when(text: str | None, field: str) -> pendulum.DateTime | None:
        return None if text is None else parse_when(text, tz=tz, field=field)

    known_at = when(args.known_at, "--known-at")
    as_json = args.format == "json"
    if args.command == "snapshot":
        snap = snapshot(ledger, at=when(args.at, "--at"), known_at=known_at, position=args.position)
        return json.dumps(_jsonable(tuple(snap)), indent=1) if as_json else str(snap)
    if args.command == "timeline":
        line = timeline(
            ledger, _place(ledger, args.place), known_at=known_at, position=args.position
        )
        return json.dumps(_jsonable(line), indent=1) if as_json else str(line)
    if args.command == "diff":
        before = snapshot(
            ledger, at=when(args.at, "--at"), known_at=known_at, position=args.position
        )
        after = snapshot(
            ledger,
            at=when(args.to or args.at, "--to"),
            known_at=when(args.to_known_at, "--to-known-at") if args.to_known_at else known_at,
            position=args.position,
        )
        change = diff(before, after)
        return json.dumps(_jsonable(change.changes), indent=1) if as_json else str(change)
    why = explain(
        ledger,
        _place(ledger, args.place),
        at=when(args.at, "--at"),
        known_at=known_at,
        position=args.position,
    )
    if as_json:
        return json.dumps(
            {
                "state": _jsonable(why.state),
                "supporting": [encode_claim(c) for c in why.supporting],
                "disputing": [encode_claim(c) for c in why.disputing],
                "context": [encode_claim(c) for c in why.context],
                "excluded": [{"claim": c.claim.id, "reason": c.reason} for c in why.excluded],
            },
            indent=1,
            ensure_ascii=False,
        )
    return str(why)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        output = _run(args)
    except LedgerError as error:
        print(f"conflict-ledger: error: {error}", file=sys.stderr)
        return 1
    print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
