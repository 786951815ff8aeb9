"""Do two versions of the code import the same files into byte-identical ledgers?

    python benchmarks/check_import_same.py OLD_SRC          # e.g. a checkout of main's src/
    python benchmarks/check_import_same.py OLD_SRC --rows 10000

Imports every ACLED and UCDP fixture under ``tests/data``, a generated export of
``--rows`` rows (``bench_import.export``), the same export in long format (one row per
actor, as acledR writes it) and in reversed row order, with each knowledge clock and two
zones, each into a fresh in-memory ledger with a fixed clock, then the updated fixture
over the current one. For each it prints the ledger's Merkle root (every record's
canonical JSON hashed), its registry root and the report's counts, once with this
checkout's ``src`` and once with ``OLD_SRC`` (a subprocess with ``PYTHONPATH=OLD_SRC``),
and says which differ. Exit status 1 if any does.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _long(path: Path, target: Path) -> None:
    """Rewrite a wide export as acledR's long format: one row per actor column."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = [c for c in rows[0] if c not in ("actor1", "actor2", "inter1", "inter2")]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*columns, "type_of_actor", "actor", "inter_type", "inter"])
        for row in rows:
            for number in ("1", "2"):
                if row[f"actor{number}"]:
                    writer.writerow(
                        [
                            *(row[c] for c in columns),
                            f"actor{number}",
                            row[f"actor{number}"],
                            f"inter{number}",
                            row[f"inter{number}"],
                        ]
                    )


def _reversed(path: Path, target: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text(lines[0] + "".join(reversed(lines[1:])), encoding="utf-8")


def _messy(path: Path, target: Path) -> None:
    """The export with one row in 25 spoilt or odd: bad dates, precisions, padded and
    NA cells, missing actors, pandas' ``3.0``, ISO timestamps, repeated ids."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    at = {name: number for number, name in enumerate(header)}
    spoil = [
        ("event_date", "31/02/2023"),
        ("event_date", ""),
        ("time_precision", "4"),
        ("time_precision", "2.0"),
        ("geo_precision", "5"),
        ("geo_precision", "3"),
        ("actor1", "  "),
        ("actor2", "NA"),
        ("fatalities", "3.0"),
        ("fatalities", "many"),
        ("timestamp", "2024-01-02T03:04:05Z"),
        ("timestamp", "soon"),
        ("location", " Aleppo "),
        ("latitude", "north"),
        ("sub_event_type", "Government Regains Territory"),
        ("event_type", ""),
        ("notes", "  padded  "),
        ("source", "Source 1;  ; Source 1"),
        ("event_id_cnty", "SYR 7/x"),
        ("event_id_cnty", "SYR1"),
        ("year", "1999"),
        ("inter1", "8"),
    ]
    for number, row in enumerate(rows[1:]):
        if number % 25 == 7:
            column, value = spoil[(number // 25) % len(spoil)]
            row[at[column]] = value
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def files(rows: int, folder: Path) -> list[tuple[str, list[Path], dict[str, str]]]:
    """The imports to compare: (label, files imported in turn, options)."""
    sys.path.insert(0, str(HERE))
    from bench_import import export  # the synthetic export of the benchmark

    data = ROOT / "tests" / "data"
    made = folder / "export.csv"
    export(made, rows)
    long, backwards = folder / "long.csv", folder / "reversed.csv"
    _long(made, long)
    _reversed(made, backwards)
    messy = folder / "messy.csv"
    _messy(made, messy)
    cases: list[tuple[str, list[Path], dict[str, str]]] = [
        (f"acled/{p.name}", [p], {}) for p in sorted((data / "acled").glob("*.csv"))
    ]
    cases += [
        (f"ucdp/{p.name}", [p], {"kind": "ucdp"}) for p in sorted((data / "ucdp").glob("*.csv"))
    ]
    cases.append(
        (
            "acled current then updated",
            [data / "acled" / "current.csv", data / "acled" / "current_updated.csv"],
            {},
        )
    )
    cases.append(
        (
            "acled/spreadsheet_us.csv month first",
            [data / "acled" / "spreadsheet_us.csv"],
            {"day_first": ""},
        )
    )
    for label, path in (
        (f"{rows} rows", made),
        (f"{rows} rows long", long),
        (f"{rows} rows reversed", backwards),
        (f"{rows} rows, 4% spoilt", messy),
    ):
        cases.append((label, [path], {}))
    cases.append(
        (
            f"{rows} rows, clock event, Damascus",
            [made],
            {"reported_at": "event", "tz": "Asia/Damascus"},
        )
    )
    cases.append(
        (
            f"{rows} rows, clock import",
            [made],
            {"reported_at": "import", "now": "2025-02-01T00:00Z"},
        )
    )
    cases.append((f"{rows} rows twice", [made, made], {}))
    return cases


def roots(cases: list[tuple[str, list[Path], dict[str, str]]]) -> dict[str, str]:
    """Each case's Merkle roots and report counts, with the code on ``sys.path``."""
    import conflict_ledger as cl
    from conflict_ledger.adapters.acled import import_acled
    from conflict_ledger.adapters.ucdp import import_ucdp
    from conflict_ledger.gazetteer import syria

    found: dict[str, str] = {}
    for label, paths, options in cases:
        ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2025-06-01T00:00Z"))
        extra = dict(options)
        importer = import_ucdp if extra.pop("kind", "") == "ucdp" else import_acled
        kwargs: dict[str, object] = dict(extra)
        if "day_first" in kwargs:
            kwargs["day_first"] = False
        counts = []
        for path in paths:
            report = importer(ledger, path, **kwargs)  # type: ignore[operator]
            counts.append(
                [
                    len(report.appended),
                    len(report.corrections),
                    len(report.unchanged),
                    len(report.outdated),
                    [str(r) for r in report.rejected],
                    list(report.undecided),
                    list(report.duplicates),
                ]
            )
        point = ledger.checkpoint()
        found[label] = json.dumps(
            [point.size, point.root.hex(), point.registry_size, point.registry_root.hex(), counts]
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old_src", nargs="?", help="the src/ folder of the code to compare with")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:  # run inside the subprocess: print this code's roots as JSON
        cases = files(args.rows, Path(args.worker))
        print(json.dumps(roots(cases)))
        return
    if not args.old_src:
        parser.error("give the src/ folder of the code to compare with")
    folder = Path(tempfile.mkdtemp())
    results = []
    for src in (str(Path(args.old_src).resolve()), str(ROOT / "src")):
        env = dict(os.environ, PYTHONPATH=src)
        done = subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--worker", str(folder)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(done.stdout))
    old, new = results
    differ = 0
    out = io.StringIO()
    for label in old:
        same = old[label] == new.get(label)
        differ += not same
        size, root = json.loads(new[label])[:2]
        print(
            f"{'same' if same else 'DIFFERENT':<10} {label:<42} {size:>7} records  {root[:16]}",
            file=out,
        )
        if not same:
            print(f"    old {old[label]}\n    new {new.get(label)}", file=out)
    print(out.getvalue(), end="")
    print(f"{len(old) - differ} of {len(old)} imports give byte-identical ledgers")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
