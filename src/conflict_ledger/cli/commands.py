"""The ``conflict-ledger`` command: replay a claims file and ask it questions.

Exit codes (:mod:`conflict_ledger.cli.exits`, docs/cli.md): 0 success, 1 a user error (bad or
missing file, unknown place, bad date), 2 bad usage, 3 an integrity failure, 4 ``ingest``
rejected some rows (the valid ones were kept, unless --strict), 70 an internal error, 130
interrupted, 141 output pipe closed. No error shows a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from conflict_ledger.adapters.dataset import DATASET_EVENTS
from conflict_ledger.asof import Snapshot
from conflict_ledger.cli import alias, exits, integrity
from conflict_ledger.cli import index as index_command
from conflict_ledger.cli.baseline import add_baseline_command, run_baseline
from conflict_ledger.codec import encode_claim, open_ledger, verify_ledger
from conflict_ledger.display.render import when_text
from conflict_ledger.errors import InvalidClaimError
from conflict_ledger.ledger import Ledger
from conflict_ledger.queries import diff, explain, index_of, snapshot, timeline
from conflict_ledger.rules.policies import (
    Policy,
    contest_disagreement,
    corroboration_required,
    latest_report_wins,
    most_reliable_wins,
)
from conflict_ledger.stores.postgres import is_postgres_url
from conflict_ledger.time import parse_when

if TYPE_CHECKING:
    from conflict_ledger.adapters.rows import ImportReport

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
    "ingest": "conflict-ledger ingest acled-syria.csv --into syria.claims.jsonl\n"
    "  conflict-ledger ingest ged.csv --kind ucdp --into syria.claims.jsonl --format json\n"
    "  conflict-ledger ingest us-sheet.csv --into LEDGER --month-first --tz Asia/Damascus --strict",
    "export": "conflict-ledger export seeds/dawn-2024-12-07.claims.jsonl --as geojson --at 2024-12-07 "
    "-o snapshot.geojson\n"
    "  conflict-ledger export LEDGER --as csv --at '2024-12-06 20:00' --tz Asia/Damascus\n"
    "  conflict-ledger export LEDGER --as html --at 2024-12-07 --tz Asia/Damascus -o snapshot.html\n"
    "  conflict-ledger export LEDGER --as acled -o acled-shaped.csv\n"
    "  conflict-ledger export LEDGER --as claims-csv -o claims.csv\n"
    "  conflict-ledger export 'postgresql://me@db/desk?ledger=syria' --as parquet --at 2024-12-07 "
    "-o parquet/",
    "verify": "conflict-ledger verify investigation.sqlite\n"
    "  conflict-ledger verify LEDGER --checkpoint published.checkpoint\n"
    "  conflict-ledger verify LEDGER --checkpoint signed.checkpoint --key newsroom.key.pub --exact\n"
    "  conflict-ledger verify LEDGER --write-checkpoint today.checkpoint",
    "repair": "conflict-ledger repair ledger.jsonl --checkpoint published.checkpoint",
    "convert": "conflict-ledger convert syria.claims.jsonl syria.sqlite\n"
    "  conflict-ledger convert investigation.sqlite archive.jsonl\n"
    "  conflict-ledger convert investigation.sqlite share.claims.jsonl",
    **integrity.EXAMPLES,
    "alias": alias.EXAMPLES,
    "index": index_command.EXAMPLES,
    "plot": "conflict-ledger plot seeds/dawn-2024-12-07.claims.jsonl --chart timeline "
    "--start 2024-11-27 --end 2024-12-09 -o timeline.png\n"
    "  conflict-ledger plot LEDGER --chart map --at '2024-12-07 08:00' --tz Asia/Damascus "
    "-o map.svg   (times typed and drawn in Damascus time)\n"
    "  conflict-ledger plot LEDGER --chart multiples --dates 2024-12-05 2024-12-06 2024-12-07 "
    "-o days.png\n"
    "  conflict-ledger plot LEDGER --chart timeline --place homs --place hama -o front.png",
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, pendulum.DateTime):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds())
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
        sub = _subcommand(commands, name, help)
        sub.add_argument(
            "ledger",
            help="a claims file (.jsonl, e.g. seeds/dawn-2024-12-07.claims.jsonl), a ledger "
            "(.sqlite, .jsonl) or postgresql://user@host/db?ledger=NAME",
        )
        sub.add_argument(
            "--tz",
            default="UTC",
            help="zone for times given without offset and for times printed (default UTC)",
        )
        sub.add_argument("--known-at", help="count only claims reported by then (default: all)")
        sub.add_argument("--position", type=int, help="count only the first N ledger records")
        sub.add_argument("--format", choices=("table", "json"), default="table")
        return sub

    policy_help = (
        "how disagreement resolves: contest (default), latest, reliable, or corroborated:N"
    )
    snap = command("snapshot", "The state of every place at a time, as known at a time.")
    snap.add_argument("--at", required=True, help="the valid time asked about")
    snap.add_argument("--policy", default="contest", help=policy_help)
    line = command("timeline", "One place's changes of state over time.")
    line.add_argument("place", help="a place id or alias, e.g. deir-ez-zor or 'Deir el-Zor'")
    change = command("diff", "What changed between two snapshots (in the world or in knowledge).")
    change.add_argument("--at", required=True, help="valid time of the first snapshot")
    change.add_argument("--to", help="valid time of the second snapshot (default: --at)")
    change.add_argument("--to-known-at", help="knowledge time of the second (default: --known-at)")
    change.add_argument("--policy", default="contest", help=policy_help)
    why = command("explain", "The claims behind one place's state.")
    why.add_argument("place", help="a place id or alias")
    why.add_argument("--at", required=True, help="the valid time asked about")
    why.add_argument("--policy", default="contest", help=policy_help)
    _adapter_commands(commands)
    _integrity_commands(commands)
    add_baseline_command(commands)
    alias.add_alias_command(commands, _subcommand)
    index_command.add_index_command(commands, _subcommand)
    convert = _subcommand(
        commands,
        "convert",
        "Save a ledger in the format the target path names (.claims.jsonl, .jsonl, .sqlite), "
        "registries included.",
    )
    convert.add_argument("source", help="a claims file, JSON Lines or SQLite ledger")
    convert.add_argument("target", help="a new .claims.jsonl, .jsonl or .sqlite path")
    return parser


def _subcommand(commands: Any, name: str, help: str) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with its examples."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help,
        description=help,
        epilog="examples:\n  " + _EXAMPLES[name],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _integrity_commands(commands: Any) -> None:
    def sub(name: str, help: str) -> argparse.ArgumentParser:
        parser = _subcommand(commands, name, help)
        parser.add_argument(
            "ledger", help="a ledger: .sqlite, .db, .jsonl or postgresql://user@host/db?ledger=NAME"
        )
        parser.add_argument(
            "--checkpoint", help="a checkpoint file you published earlier (docs/integrity.md)"
        )
        return parser

    check = sub(
        "verify",
        "Check every record's hash, position and content, the Merkle tree, and that the "
        "ledger only added to a published checkpoint; name the first record that fails.",
    )
    check.add_argument("--write-checkpoint", help="also write today's checkpoint to this file")
    integrity.add_verify_options(check)
    integrity.add_commands(commands, _subcommand)
    sub(
        "repair",
        "Move a JSON Lines ledger's torn last write to a side file (never deletes), or make "
        "a SQLite ledger's index of claim ids again from its records.",
    )


def _integrity(args: argparse.Namespace) -> str:
    published = None
    if args.checkpoint:
        with open(args.checkpoint, encoding="utf-8") as handle:
            published = integrity.read_checkpoint(handle.read(), getattr(args, "key", None))
    if args.command == "repair":
        with open_ledger(args.ledger) as ledger:
            repair = getattr(ledger.store, "repair", None)
            if repair is None:
                return (
                    f"{args.ledger}: nothing to repair (a JSON Lines ledger's torn write "
                    "or a SQLite ledger's index of claim ids are what repair mends)"
                )
            done = repair(min_size=published.size if published else 0)
            if done is None:
                return "nothing to repair"
            return done if isinstance(done, str) else f"moved the torn write to {done}"
    bar = _progress_bar("records checked")

    def progress(done: int, total: int) -> None:
        if _long(total):
            bar(done, total)

    now = verify_ledger(args.ledger, checkpoint=published, progress=progress)
    lines = [f"ok: {now.size:,} records; every hash, position and record checked"]
    if published is not None:
        lines.append(f"ok: extends the published checkpoint of {published.size} records")
    lines.extend(integrity.verify_lines(args, published, now))
    if args.write_checkpoint:
        with open(args.write_checkpoint, "w", encoding="utf-8") as handle:
            handle.write(now.to_text())
    return "\n".join([*lines, now.to_text().rstrip("\n")])


_DATASET_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".xlsx")
"""Files a dataset comes in (an ACLED or UCDP export), which ``ingest`` reads."""


def _open(path: str) -> Ledger:
    """A SQLite, JSON Lines or PostgreSQL ledger through open_ledger; a claims file through
    the adapter."""
    if path.lower().endswith(_DATASET_SUFFIXES):  # not read as a claims file line by line
        raise InvalidClaimError(
            field="ledger",
            value=path,
            problem="a dataset file, not a ledger",
            hint=f"Import it first (conflict-ledger ingest {path} --into LEDGER.sqlite), "
            "then ask the ledger.",
        )
    if (
        is_postgres_url(path)
        or path.lower().endswith((".sqlite", ".sqlite3", ".db"))
        or (path.lower().endswith(".jsonl") and _is_ledger_file(path))
    ):
        return open_ledger(path, event_types=DATASET_EVENTS)
    # The file adapters (ACLED, UCDP, tables: about 40 ms of imports) are imported only
    # where a claims file or a dataset is read or written: a question to a stored ledger
    # starts without them.
    from conflict_ledger.adapters import files

    return files.open_ledger(path)[0]


def _is_ledger_file(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return b'"conflict-ledger/ledger"' in handle.readline(4096)
    except FileNotFoundError:
        return False


def _adapter_commands(commands: Any) -> None:
    def sub(name: str, help: str) -> argparse.ArgumentParser:
        return _subcommand(commands, name, help)

    ingest = sub(
        "ingest",
        "Import an ACLED or UCDP GED CSV into a ledger (created if missing; the format "
        "follows the path: .claims.jsonl, .jsonl or .sqlite).",
    )
    ingest.add_argument("data", help="the dataset's CSV file")
    ingest.add_argument(
        "--into",
        required=True,
        metavar="LEDGER",
        help="the ledger to grow (a file), or postgresql://user@host/db?ledger=NAME",
    )
    ingest.add_argument("--kind", choices=("acled", "ucdp"), default="acled")
    ingest.add_argument("--gazetteer", default="syria", help="built-in gazetteer of a new file")
    ingest.add_argument(
        "--tz",
        help="zone of every row's calendar day (default: each ACLED row's own, from its "
        "country and coordinates; rows with none found are read in UTC and reported)",
    )
    ingest.add_argument(
        "--month-first", action="store_true", help="numeric dates are M/D/Y (US spreadsheets)"
    )
    ingest.add_argument(
        "--strict", action="store_true", help="write nothing if any row is rejected"
    )
    ingest.add_argument("--format", choices=("table", "json"), default="table")
    ingest.add_argument("--encoding", help="the file's encoding (default: detected)")
    ingest.add_argument(
        "--reported-at",
        choices=("revision", "event", "import"),
        default="revision",
        help="when a row counts as known: ACLED's timestamp (its last revision; default), "
        "the end of the event, or now",
    )
    ingest.add_argument("--actors", metavar="FILE", help="more ACLED actor names (JSON or CSV)")
    for name, help in (
        (
            "export",
            "Write a snapshot as GeoJSON, CSV or an HTML page, or the claims as ACLED-shaped or plain CSV.",
        ),
        ("plot", "Draw a timeline chart, a snapshot map or small multiples as PNG or SVG."),
    ):
        command = sub(name, help)
        command.add_argument(
            "ledger", help="a claims file (.jsonl), a ledger, or postgresql://...?ledger=NAME"
        )
        command.add_argument(
            "--tz",
            default="UTC",
            help="zone for times given without offset, and for the times an html page "
            "or a chart shows (default UTC)",
        )
        command.add_argument("--known-at", help="count only claims reported by then")
        command.add_argument(
            "--at", help="the valid time of the snapshot (geojson, csv, html, map)"
        )
        command.add_argument(
            "-o", "--output", help="the file to write (export default: standard output)"
        )
        command.add_argument(
            "--format",
            choices=("table", "json"),
            default="table",
            help="how to report the file written: a line of text or a JSON object",
        )
        if name == "export":
            command.add_argument(
                "--as",
                dest="kind",
                choices=("geojson", "csv", "html", "acled", "claims-csv", "parquet"),
                default="geojson",
            )
        else:
            command.add_argument(
                "--chart", choices=("timeline", "map", "multiples"), default="timeline"
            )
            command.add_argument("--place", action="append", help="a timeline row (repeatable)")
            command.add_argument("--start", help="timeline start (default: the first claim)")
            command.add_argument("--end", help="timeline end (default: the last claim)")
            command.add_argument("--dates", nargs="+", help="the dates of small multiples")


def _place(ledger: Ledger, name: str) -> str:
    return ledger.registries.places.resolve(name).id


def _progress_bar(unit: str = "events") -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        filled = 30 * done // max(total, 1)
        end = "\n" if done >= total else ""
        print(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,} {unit}",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    return show


def _ingest(args: argparse.Namespace) -> tuple[str, ImportReport]:
    from conflict_ledger.adapters import files

    report = files.ingest(
        args.data,
        args.into,
        kind=args.kind,
        gazetteer=args.gazetteer,
        tz=args.tz,
        day_first=not args.month_first,
        strict=args.strict,
        encoding=args.encoding,
        reported_at=args.reported_at,
        actor_map=args.actors,
        progress=_progress_bar() if sys.stderr.isatty() else None,
    )
    written = not (args.strict and report.rejected)
    if args.format == "json":
        return json.dumps(
            {
                "written": written,
                "appended": report.appended,
                "corrections": report.corrections,
                "unchanged": report.unchanged,
                "outdated": report.outdated,
                "undecided": report.undecided,
                "duplicates": report.duplicates,
                "flagged": report.flagged,
                "in_utc": dict(report.in_utc),
                "rejected": [
                    {"line": e.line, "field": e.field, "reason": e.reason} for e in report.rejected
                ],
            },
            indent=1,
        ), report
    return _report_text(report, written), report


def _report_text(report: ImportReport, written: bool) -> str:
    """An import's report for a terminal: its summary, then at most :data:`_LISTED` rows
    of each kind that needs a look, with how many more.

    >>> from conflict_ledger.adapters.rows import ImportReport
    >>> print(_report_text(ImportReport(path="x.csv", undecided=("a", "b")), True))
    x.csv: 0 claims appended (0 corrections), 0 unchanged, 0 outdated, 0 rejected, 2 undecided
      undecided a (moves no holder)
      undecided b (moves no holder)
    """
    lines = [report.summary(written=written)]
    for label, items, after in (
        ("rejected", report.rejected, ""),
        ("undecided", report.undecided, " (moves no holder)"),
        ("duplicate", report.duplicates, ""),
        ("flagged", report.flagged, ""),
    ):
        lines.extend(f"  {label} {item}{after}" for item in items[:_LISTED])
        if len(items) > _LISTED:
            lines.append(
                f"  ... and {len(items) - _LISTED:,} more {label} (--format json lists them all)"
            )
    lines.extend(
        f"  read in UTC: {count} row{'' if count == 1 else 's'} of {country} (no local zone "
        "found; give --tz)"
        for country, count in report.in_utc
    )
    return "\n".join(lines)


def _unlocated(snap: Snapshot, ledger: Ledger) -> list[str]:
    """The snapshot's places a map cannot show: registered without coordinates."""
    return [s.place for s in snap if ledger.registries.places[s.place].coordinates is None]


def _html_page(snap: Snapshot, tz: str) -> str:
    """A snapshot's HTML table (as Jupyter shows it) in a page a browser opens alone."""
    from html import escape

    from conflict_ledger.display.html import snapshot_html

    title = escape(f"Snapshot at {when_text(snap.at, tz)}")
    return (
        f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>\n'
        f"<body>\n{snapshot_html(snap, tz=tz)}\n</body></html>\n"
    )


def _wrote(args: argparse.Namespace, count: int, unlocated: list[str]) -> str:
    """The report of an export written to a file; a GeoJSON names the places left out."""
    unit = {"geojson": "features", "html": "places"}.get(args.kind, "rows")
    if args.format == "json":
        report: dict[str, Any] = {"wrote": args.output, "as": args.kind, unit: count}
        if args.kind == "geojson":
            report["unlocated"] = unlocated
        return json.dumps(report)
    line = f"wrote {count} {unit.removesuffix('s') if count == 1 else unit} to {args.output}"
    if unlocated:
        places = "place" if len(unlocated) == 1 else "places"
        named = ", ".join(unlocated[:_NAMED])
        more = f" and {len(unlocated) - _NAMED:,} more" if len(unlocated) > _NAMED else ""
        line += f"; left out {len(unlocated):,} {places} without coordinates: {named}{more}"
        if more:
            line += " (--format json lists them all)"
    return line


_NAMED = 10
"""Places a report names before it counts the rest: a line, not a page."""

_LISTED = 20
"""Rows of each kind an import report lists before it counts the rest: a 100,000-row
ACLED export has thousands of undecided rows, which ``--format json`` lists."""


def _adapters(args: argparse.Namespace, ledger: Ledger) -> str:
    import io

    from conflict_ledger.adapters import acled, geojson

    tz = args.tz
    known_at = (
        None if args.known_at is None else parse_when(args.known_at, tz=tz, field="--known-at")
    )

    def at() -> pendulum.DateTime:
        if args.at is None:
            raise InvalidClaimError(
                field="--at",
                value=None,
                problem=f"{args.command} --{'as' if args.command == 'export' else 'chart'} "
                f"{args.kind if args.command == 'export' else args.chart} needs a time",
                hint="Give --at, e.g. --at 2024-12-07 or --at '2024-12-06 20:00' --tz Asia/Damascus.",
            )
        return parse_when(args.at, tz=tz, field="--at")

    if args.command == "export" and args.kind == "parquet":
        return _parquet(args, ledger, known_at)
    if args.command == "export":
        out = io.StringIO()
        unlocated: list[str] = []
        if args.kind == "geojson":
            snap = snapshot(ledger, at=at(), known_at=known_at)
            collection = geojson.feature_collection(snap, ledger)
            out.write(json.dumps(collection, ensure_ascii=False, indent=1))
            count = len(collection["features"])
            unlocated = _unlocated(snap, ledger)
        elif args.kind == "csv":
            from conflict_ledger.adapters import files

            count = files.write_snapshot_csv(
                out, snapshot(ledger, at=at(), known_at=known_at), ledger
            )
        elif args.kind == "html":
            snap = snapshot(ledger, at=at(), known_at=known_at)
            out.write(_html_page(snap, tz))
            count = len(snap)
        elif args.kind == "acled":
            count = acled.write_acled_csv(out, ledger, known_at=known_at)
        else:
            from conflict_ledger.adapters.pandas import claims_frame

            frame = claims_frame(ledger)
            frame.to_csv(out, index=False)
            count = len(frame)
        if args.output is None:
            return out.getvalue().rstrip("\n")
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(out.getvalue())
        return _wrote(args, count, unlocated)
    from conflict_ledger.adapters import plot

    if args.output is None:
        raise InvalidClaimError(
            field="--output",
            value=None,
            problem="plot writes a picture file",
            hint="Give -o chart.png or -o chart.svg.",
        )
    if args.chart == "timeline":
        figure = plot.timeline_chart(
            ledger,
            [_place(ledger, p) for p in args.place] if args.place else None,
            start=None if args.start is None else parse_when(args.start, tz=tz, field="--start"),
            end=None if args.end is None else parse_when(args.end, tz=tz, field="--end"),
            known_at=known_at,
            tz=tz,
        )
    elif args.chart == "map":
        figure = plot.snapshot_map(snapshot(ledger, at=at(), known_at=known_at), ledger, tz=tz)
    else:
        if not args.dates:
            raise InvalidClaimError(
                field="--dates",
                value=None,
                problem="small multiples need the dates to draw",
                hint="Give --dates 2024-12-05 2024-12-06 2024-12-07.",
            )
        dates = [parse_when(d, tz=tz, field="--dates") for d in args.dates]
        figure = plot.small_multiples(ledger, dates, known_at=known_at, tz=tz)
    try:
        saved = plot.save(figure, args.output)
    except ValueError as error:
        raise InvalidClaimError(
            field="--output", value=args.output, problem=str(error), hint="Use .png or .svg."
        ) from None
    if args.format == "json":
        return json.dumps({"wrote": str(saved), "chart": args.chart, "axes": len(figure.axes)})
    return f"wrote {args.chart} chart to {saved}"


def _parquet(args: argparse.Namespace, ledger: Ledger, known_at: Any) -> str:
    """``export --as parquet -o DIR``: claims.parquet, and snapshot.parquet given --at."""
    from conflict_ledger.adapters.parquet import write_parquet

    if args.output is None:
        raise InvalidClaimError(
            field="--output",
            value=None,
            problem="Parquet export writes files into a directory",
            hint="Give -o DIR, e.g. -o parquet/ (claims.parquet, and snapshot.parquet with --at).",
        )
    at = None if args.at is None else parse_when(args.at, tz=args.tz, field="--at")
    written = write_parquet(ledger, args.output, at=at, known_at=known_at)
    if args.format == "json":
        files_written = {name: str(path) for name, path in written.items()}
        return json.dumps({"wrote": files_written, "as": "parquet", "claims": len(ledger)})
    return "\n".join(f"wrote {name} to {path}" for name, path in written.items())


def _policy(name: str) -> Policy:
    """The policy a --policy value names."""
    named: dict[str, Policy] = {
        "contest": contest_disagreement,
        "latest": latest_report_wins,
        "reliable": most_reliable_wins,
    }
    if name in named:
        return named[name]
    count = name.removeprefix("corroborated:")
    if count != name and count.isdigit():
        return corroboration_required(int(count))
    raise InvalidClaimError(
        field="--policy",
        value=name,
        problem="not a policy this command knows",
        hint="Use contest, latest, reliable or corroborated:N (e.g. corroborated:2).",
    )


def _long(size: int) -> bool:
    """Whether work over ``size`` records earns a progress bar (on a terminal)."""
    return size >= LONG and _terminal()


def _terminal() -> bool:
    """Whether stderr is a terminal (where progress is shown)."""
    return sys.stderr.isatty()


LONG = 50_000
"""Records from which the CLI shows its progress on a terminal (stderr)."""


def _replay(ledger: Ledger) -> None:
    """Build the ledger's index (the one door's, :func:`~conflict_ledger.queries.index_of`)
    with a progress bar when it is long and stderr is a terminal (tqdm, the ``progress``
    extra; without it, a plain one). The question is then asked through the door."""
    if not _long(len(ledger)):
        return
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]
    except ImportError:
        index_of(ledger, progress=_progress_bar("records read into the index"))
        return
    with tqdm(total=len(ledger), unit="claim", desc="replaying", file=sys.stderr) as bar:
        index_of(ledger, progress=lambda done, total: bar.update(done - bar.n))


def _convert(args: argparse.Namespace) -> str:
    from conflict_ledger.saving import convert, format_of

    convert(args.source, args.target)
    return f"wrote {args.target} ({format_of(args.target)}) from {args.source}"


def _run(args: argparse.Namespace) -> str:
    if args.command in ("verify", "repair"):
        return _integrity(args)
    if args.command == "convert":
        return _convert(args)
    if args.command in integrity.COMMANDS:
        return integrity.run(args)
    ledger = _open(args.ledger)
    if args.command == "baseline":
        return run_baseline(args, ledger)
    if args.command == "alias":
        return alias.run_alias(args, ledger)
    if args.command == "index":
        return index_command.run_index(args, ledger, _replay)
    if args.command in ("export", "plot"):
        return _adapters(args, ledger)
    tz = args.tz

    def when(text: str | None, field: str) -> pendulum.DateTime | None:
        return None if text is None else parse_when(text, tz=tz, field=field)

    known_at = when(args.known_at, "--known-at")
    as_json = args.format == "json"
    if args.command in ("snapshot", "timeline") and args.position is None:
        _replay(ledger)
    if args.command == "snapshot":
        snap = snapshot(
            ledger,
            at=when(args.at, "--at"),
            known_at=known_at,
            position=args.position,
            policy=_policy(args.policy),
        )
        return json.dumps(_jsonable(tuple(snap)), indent=1) if as_json else snap.to_text(tz=tz)
    if args.command == "timeline":
        line = timeline(
            ledger, _place(ledger, args.place), known_at=known_at, position=args.position
        )
        return json.dumps(_jsonable(line), indent=1) if as_json else line.to_text(tz=tz)
    if args.command == "diff":
        before = snapshot(
            ledger,
            at=when(args.at, "--at"),
            known_at=known_at,
            position=args.position,
            policy=_policy(args.policy),
        )
        after = snapshot(
            ledger,
            at=when(args.to or args.at, "--to"),
            known_at=when(args.to_known_at, "--to-known-at") if args.to_known_at else known_at,
            position=args.position,
            policy=_policy(args.policy),
        )
        change = diff(before, after)
        return json.dumps(_jsonable(change.changes), indent=1) if as_json else change.to_text(tz=tz)
    why = explain(
        ledger,
        _place(ledger, args.place),
        at=when(args.at, "--at"),
        known_at=known_at,
        position=args.position,
        policy=_policy(args.policy),
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
    return why.to_text(tz=tz)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (the table is in :mod:`conflict_ledger.cli.exits`).

    No error shows a traceback: each is one clear line on stderr, and a closed output
    pipe (``| head``) ends quietly. ``CONFLICT_LEDGER_TRACEBACK=1`` shows where an
    internal error happened.
    """
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warn  # a warning is one plain line, as an error is
            code, output = _command(_parser().parse_args(argv))
        print(output)
        sys.stdout.flush()
    except BrokenPipeError:
        return exits.quiet_broken_pipe()
    except (Exception, KeyboardInterrupt) as error:
        if os.environ.get("CONFLICT_LEDGER_TRACEBACK"):
            raise
        return exits.report(error, sys.stderr)
    return code


def _warn(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    """Show a warning as one line on stderr, without the source line Python adds."""
    print(f"conflict-ledger: warning: {message}", file=sys.stderr)


def _command(args: argparse.Namespace) -> tuple[int, str]:
    if args.command == "ingest":
        output, report = _ingest(args)
        return (exits.REJECTED_ROWS if report.rejected else exits.OK), output
    return exits.OK, _run(args)
