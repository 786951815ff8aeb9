"""Files in and out for the command line and scripts: ingest a dataset into a claims file.

A claims file written here names its built-in gazetteer in the header and holds only the
places, actors and sources the gazetteer lacks, so ingesting an ACLED export into a
file, and then another, grows one file that every other command reads.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> data = folder / "events.csv"
>>> _ = data.write_text(
...     "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,timestamp\\n"
...     "SYR1,2024-12-06,Battles,Non-state actor overtakes territory,SDF,Deir ez-Zor,1733529600\\n",
...     encoding="utf-8")
>>> ingest(data, folder / "ledger.jsonl", kind="acled").appended
('acled/SYR1',)
>>> open_ledger(folder / "ledger.jsonl")[0].claim("acled/SYR1").event.actor
'sdf'
"""

from __future__ import annotations

import csv
import enum
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from conflict_ledger.adapters.acled import import_acled
from conflict_ledger.adapters.dataset import DATASET_EVENTS
from conflict_ledger.adapters.rows import ImportReport
from conflict_ledger.adapters.ucdp import import_ucdp
from conflict_ledger.asof import Snapshot
from conflict_ledger.codec import read_claims_file, write_claims_file
from conflict_ledger.gazetteer import builtin
from conflict_ledger.ledger import Clock, Ledger, system_clock
from conflict_ledger.registry import Actor, Place, Registries, Source

__all__ = [
    "SNAPSHOT_COLUMNS",
    "Dataset",
    "ingest",
    "open_ledger",
    "save_ledger",
    "write_snapshot_csv",
]

SNAPSHOT_COLUMNS = (
    "place",
    "name",
    "status",
    "holder",
    "previous",
    "contenders",
    "since_start",
    "since_end",
    "since_precision",
    "claims",
    "disputes",
    "latitude",
    "longitude",
)
"""The columns of :func:`write_snapshot_csv`."""


class Dataset(enum.Enum):
    """The formats :func:`ingest` reads.

    >>> Dataset("ucdp")
    <Dataset.UCDP: 'ucdp'>
    """

    ACLED = "acled"
    UCDP = "ucdp"


def _gazetteer_of(path: Path) -> str | None:
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError:
        return None
    name = header.get("gazetteer") if isinstance(header, dict) else None
    return name if isinstance(name, str) else None


def open_ledger(
    path: str | os.PathLike[str],
    *,
    gazetteer: str | None = None,
    create: bool = False,
    clock: Clock = system_clock,
) -> tuple[Ledger, str | None]:
    """Read a claims file (dataset events included) and the gazetteer its header names.

    With ``create``, a missing file gives an empty ledger on ``gazetteer`` instead.

    >>> ledger, gazetteer = open_ledger("no-such.claims.jsonl", gazetteer="syria", create=True)
    >>> len(ledger), gazetteer, "homs" in ledger.registries.places
    (0, 'syria', True)
    """
    target = Path(path)
    if create and not target.exists():
        registries = builtin(gazetteer) if gazetteer else Registries()
        return Ledger(registries=registries, clock=clock), gazetteer
    ledger = read_claims_file(target, event_types=DATASET_EVENTS, clock=clock)
    return ledger, _gazetteer_of(target) if target.exists() else None


def save_ledger(
    path: str | os.PathLike[str], ledger: Ledger, *, gazetteer: str | None = None
) -> None:
    """Write ``ledger`` as a claims file: the values ``gazetteer`` lacks, then every claim.

    >>> import tempfile, conflict_ledger as cl
    >>> path = Path(tempfile.mkdtemp()) / "seed.claims.jsonl"
    >>> save_ledger(path, cl.load_seed(), gazetteer="syria")
    >>> len(open_ledger(path)[0])
    16
    """
    base = builtin(gazetteer) if gazetteer else Registries()
    values: list[Place | Actor | Source] = []
    registries = ledger.registries
    values.extend(p for p in registries.places if p.id not in base.places)
    values.extend(a for a in registries.actors if a.id not in base.actors)
    values.extend(s for s in registries.sources if s.id not in base.sources)
    documents = [d for sha, d in registries.documents.items() if sha not in base.documents]
    write_claims_file(path, ledger.claims(), values=[*values, *documents], gazetteer=gazetteer)


def ingest(
    data: str | os.PathLike[str],
    ledger_path: str | os.PathLike[str],
    *,
    kind: Dataset | str = Dataset.ACLED,
    gazetteer: str | None = "syria",
    tz: str = "UTC",
    day_first: bool = True,
    strict: bool = False,
    clock: Clock = system_clock,
    encoding: str | None = None,
    reported_at: str = "revision",
    actor_map: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a dataset file into the claims file at ``ledger_path`` (created if missing).

    Re-ingesting appends only corrections and new rows. Rejected rows are in the
    report; with ``strict``, any rejected row means nothing is written. ``encoding``,
    ``reported_at`` and ``actor_map`` are :func:`~conflict_ledger.adapters.acled.import_acled`'s.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "ledger.jsonl"
    >>> ingest("tests/data/acled/bad_rows.csv", target, strict=True).appended, target.exists()
    (('acled/SYR200', 'acled/SYR206'), False)
    """
    ledger, named = open_ledger(ledger_path, gazetteer=gazetteer, create=True, clock=clock)
    if Dataset(kind) is Dataset.ACLED:
        report = import_acled(
            ledger,
            data,
            tz=tz,
            day_first=day_first,
            encoding=encoding,
            reported_at=reported_at,
            actor_map=actor_map,
            now=clock(),
            progress=progress,
        )
    else:
        report = import_ucdp(ledger, data, encoding=encoding)
    if strict and report.rejected:
        return report
    save_ledger(ledger_path, ledger, gazetteer=named)
    return report


def _iso(value: Any) -> str:
    return "" if value is None else str(value.isoformat())


def write_snapshot_csv(target: IO[str], snap: Snapshot, ledger: Ledger) -> int:
    """Write a snapshot as CSV, one row per place (:data:`SNAPSHOT_COLUMNS`); return the rows.

    >>> import io, conflict_ledger as cl
    >>> out = io.StringIO()
    >>> write_snapshot_csv(out, cl.snapshot(cl.load_seed(), at="2024-12-07T00:00Z"), cl.load_seed())
    10
    >>> out.getvalue().splitlines()[3]
    'deir-ez-zor,Deir ez-Zor,held,sdf,syrian-government,,2024-12-05T21:00:00+00:00,2024-12-06T21:00:00+00:00,day,dawn-2024-12-07/c04,,35.34,40.14'
    """
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(SNAPSHOT_COLUMNS)
    for state in snap:
        place = ledger.registries.places[state.place]
        writer.writerow(
            [
                state.place,
                place.name,
                state.status.value,
                state.holder or "",
                state.previous or "",
                "; ".join(state.contenders),
                _iso(state.since.start if state.since else None),
                _iso(state.since.end if state.since else None),
                state.since.precision.value if state.since else "",
                "; ".join(state.claims),
                "; ".join(state.disputes),
                "" if place.coordinates is None else repr(place.coordinates.lat),
                "" if place.coordinates is None else repr(place.coordinates.lon),
            ]
        )
    return len(snap)
