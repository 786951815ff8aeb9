"""The ``conflict-ledger baseline`` command: state who held what at a date, from a named source.

It appends :func:`conflict_ledger.rules.baselines.baseline`'s claims to a ledger (a claims
file is rewritten with them; a SQLite or JSON Lines ledger is appended to), so later
``snapshot``, ``diff`` and ``timeline`` commands start from the state before.

    conflict-ledger baseline LEDGER --source control-map --at 2024-11-26 \\
        --hold Aleppo=syrian-government --hold 'Deir ez-Zor=syrian-government'
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

from conflict_ledger.display.render import when_text
from conflict_ledger.errors import InvalidClaimError
from conflict_ledger.events import Holds
from conflict_ledger.ledger import Ledger
from conflict_ledger.registry import Registries, Source, SourceKind
from conflict_ledger.rules.baselines import _slug, baseline
from conflict_ledger.stores.memory import MemoryStore

__all__ = ["add_baseline_command", "run_baseline"]

EXAMPLES = (
    "conflict-ledger baseline LEDGER --source control-map --at 2024-11-26 "
    "--hold Aleppo=syrian-government --hold 'Deir ez-Zor=syrian-government'\n"
    "  conflict-ledger baseline LEDGER --source 'ISW-CTP' --source-kind analyst "
    "--at '2024-11-26 18:00' --tz Asia/Damascus --from holders.csv --title 'ISW map, 26 Nov'"
)


def add_baseline_command(commands: Any) -> None:
    """Add the ``baseline`` subcommand to ``commands`` (an argparse subparsers action)."""
    help = "State who held which places at a date, from a named source (a control map)."
    sub: argparse.ArgumentParser = commands.add_parser(
        "baseline",
        help=help,
        description=help + " Appends one claim per place; see docs/concepts.md (baselines).",
        epilog="examples:\n  " + EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_argument("ledger", help="a claims file (.jsonl) or a ledger (.sqlite, .jsonl)")
    sub.add_argument("--source", required=True, help="the source's id or name")
    sub.add_argument(
        "--source-kind",
        help=f"register the source first, of this kind ({', '.join(k.value for k in SourceKind)})",
    )
    sub.add_argument("--at", required=True, help="the date or time the baseline holds at")
    sub.add_argument("--reported-at", help="when the source published it (default: --at)")
    sub.add_argument("--title", default="", help="what the source is, for the claims' note")
    sub.add_argument(
        "--tz", default="UTC", help="zone for times given without offset and for times printed"
    )
    sub.add_argument(
        "--hold",
        action="append",
        default=[],
        metavar="PLACE=ACTOR",
        help="who held a place (repeatable; a place given twice is contested)",
    )
    sub.add_argument("--from", dest="csv", help="a CSV file with place and actor columns")
    sub.add_argument("--format", choices=("table", "json"), default="table")


def run_baseline(args: argparse.Namespace, ledger: Ledger) -> str:
    """Append the baseline ``args`` describe to ``ledger`` (opened from ``args.ledger``).

    Every name and time is checked before anything is written, so a rejected baseline
    leaves the ledger as it was (the source it would have registered included).
    """
    registries = ledger.registries
    holders: dict[str, list[str]] = {}
    for place, actor in _holders(args.hold, args.csv):
        registries.actors.id_of(actor, field="--hold")
        actors = holders.setdefault(registries.places.id_of(place, field="--hold"), [])
        if actor not in actors:
            actors.append(actor)
    claims = baseline(
        holders,
        at=args.at,
        source=args.source,
        reported_at=args.reported_at,
        title=args.title,
        tz=args.tz,
    )
    if args.source_kind is None:
        registries.sources.id_of(args.source, field="--source")
    elif not _known(registries, args.source):
        kind = _source_kind(args.source_kind)
        ledger.register(Source(id=_slug(args.source), name=args.source, kind=kind))
    ledger.extend(claims)
    if isinstance(ledger.store, MemoryStore):  # a claims file: write it back whole
        from conflict_ledger.adapters import files  # a claims file: read and written whole

        files.save_ledger(args.ledger, ledger, gazetteer=files.open_ledger(args.ledger)[1])
    stored = [(claim.id, ledger.claim(claim.id).event) for claim in claims]
    held = [(id, event.place, event.actor) for id, event in stored if isinstance(event, Holds)]
    if args.format == "json":
        rows = [{"claim": id, "place": place, "actor": actor} for id, place, actor in held]
        return json.dumps(rows, indent=1)
    count = f"{len(held)} baseline claim{'' if len(held) == 1 else 's'}"
    at = when_text(claims[0].valid.start, args.tz)
    lines = [f"added {count} from {args.source} at {at}; times in {args.tz}"]
    lines.extend(f"  {place} held by {actor}  ({id})" for id, place, actor in held)
    return "\n".join(lines)


def _holders(pairs: list[str], path: str | None) -> list[tuple[str, str]]:
    """(place, actor) pairs from --hold and --from; a place named twice is contested."""
    holders: list[tuple[str, str]] = []
    for pair in pairs:
        place, sep, actor = pair.partition("=")
        if not sep or not place.strip() or not actor.strip():
            raise InvalidClaimError(
                field="--hold",
                value=pair,
                problem="not PLACE=ACTOR",
                hint="Write e.g. --hold Aleppo=syrian-government.",
            )
        holders.append((place.strip(), actor.strip()))
    if path is not None:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:  # Excel writes a BOM
            for row in csv.DictReader(handle):
                if not row.get("place") or not row.get("actor"):
                    raise InvalidClaimError(
                        field="--from",
                        value=path,
                        problem="every row needs a place and an actor column",
                        hint="Start the file with the header line: place,actor",
                    )
                holders.append((row["place"].strip(), row["actor"].strip()))
    return holders


def _known(registries: Registries, source: str) -> bool:
    try:
        registries.sources.resolve(source)
    except LookupError:
        return False
    return True


def _source_kind(value: str) -> SourceKind:
    try:
        return SourceKind(value)
    except ValueError:
        raise InvalidClaimError(
            field="--source-kind",
            value=value,
            problem="not a source kind",
            hint=f"Use one of: {', '.join(k.value for k in SourceKind)}.",
        ) from None
