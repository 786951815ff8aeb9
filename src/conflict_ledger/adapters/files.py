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
>>> ingest(data, folder / "ledger.claims.jsonl", kind="acled").appended
('acled/SYR1',)
>>> open_ledger(folder / "ledger.claims.jsonl")[0].claim("acled/SYR1").event.actor
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

from conflict_ledger import codec, saving
from conflict_ledger.adapters.acled import import_acled
from conflict_ledger.adapters.dataset import DATASET_EVENTS
from conflict_ledger.adapters.rows import ImportReport
from conflict_ledger.adapters.ucdp import import_ucdp
from conflict_ledger.asof import Snapshot
from conflict_ledger.claims import Document
from conflict_ledger.codec import read_claims_file
from conflict_ledger.errors import LedgerNotFoundError
from conflict_ledger.gazetteer import builtin
from conflict_ledger.ledger import Clock, ConcurrencyError, Ledger, system_clock
from conflict_ledger.registry import Actor, Place, Registries, Source
from conflict_ledger.stores.overlay import Overlay
from conflict_ledger.stores.postgres import is_postgres_url

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
    """Write ``ledger`` as a claims file at ``path``, whatever its suffix (as
    :func:`conflict_ledger.saving.save_claims_file`; the baseline command rewrites a
    claims file named ``x.jsonl`` this way). To save in the format a path names, use
    :func:`conflict_ledger.saving.save_ledger` (ledger first).

    >>> import tempfile, conflict_ledger as cl
    >>> path = Path(tempfile.mkdtemp()) / "seed.claims.jsonl"
    >>> save_ledger(path, cl.load_seed(), gazetteer="syria")
    >>> len(open_ledger(path)[0])
    16
    """
    saving.save_claims_file(ledger, path, gazetteer=gazetteer)


def _new_values(stage: Registries, target: Registries) -> list[Place | Actor | Source | Document]:
    """What an import registered in ``stage`` that ``target`` lacks."""
    values: list[Place | Actor | Source | Document] = []
    for new, old in ((stage.places, target.places), (stage.actors, target.actors)):
        values.extend(v for v in new if v.id not in old or old[v.id] != v)
    values.extend(v for v in stage.sources if v.id not in target.sources)
    values.extend(d for sha, d in stage.documents.items() if sha not in target.documents)
    return values


def ingest(
    data: str | os.PathLike[str],
    ledger_path: str | os.PathLike[str],
    *,
    kind: Dataset | str = Dataset.ACLED,
    gazetteer: str | None = "syria",
    tz: str | None = None,
    day_first: bool = True,
    strict: bool = False,
    clock: Clock = system_clock,
    encoding: str | None = None,
    reported_at: str = "revision",
    actor_map: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a dataset file into the ledger at ``ledger_path`` (created if missing).

    The format follows the path, as in :func:`conflict_ledger.saving.save_ledger`: a
    ``.claims.jsonl`` claims file is rewritten whole, a ``.jsonl`` JSON Lines or a
    ``.sqlite`` ledger grows by one atomic batch. Re-ingesting appends only corrections
    and new rows. Rejected rows are in the report; with ``strict``, any rejected row
    means nothing is written. ``tz``, ``encoding``, ``reported_at`` and ``actor_map``
    are :func:`~conflict_ledger.adapters.acled.import_acled`'s (UCDP's days are UTC's).

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "ledger.sqlite"
    >>> ingest("tests/data/acled/bad_rows.csv", target, strict=True).appended, target.exists()
    (('acled/SYR200', 'acled/SYR206'), False)
    """
    options: dict[str, Any] = {
        "kind": kind,
        "encoding": encoding,
        "tz": tz,
        "day_first": day_first,
        "reported_at": reported_at,
        "actor_map": actor_map,
        "now": clock(),
        "progress": progress,
    }
    name = os.fspath(ledger_path)
    remote = is_postgres_url(name)  # a team's ledger on a server: created in place
    if not (_held_remotely(name) if remote else os.path.exists(name)):
        try:
            return _ingest_new(
                data,
                name,
                remote=remote,
                gazetteer=gazetteer,
                strict=strict,
                clock=clock,
                options=options,
            )
        except saving.LedgerExistsError:
            pass  # another process made the ledger meanwhile: the rows are added to it
    for _ in range(_TRIES - 1):
        try:
            return _ingest_existing(data, name, strict=strict, clock=clock, options=options)
        except ConcurrencyError:
            continue  # others appended meanwhile: read what they did, and try again
    return _ingest_existing(data, name, strict=strict, clock=clock, options=options)


_TRIES = 3
"""Times an import into a ledger others append to is tried: each try reads what they
appended, so an export ingested by two people at once lands once (its rows unchanged,
or corrections, the second time)."""


def _ingest_existing(
    data: str | os.PathLike[str],
    name: str,
    *,
    strict: bool,
    clock: Clock,
    options: dict[str, Any],
) -> ImportReport:
    """Import into the ledger at ``name``, which exists."""
    with codec.open_ledger(name, clock=clock, event_types=DATASET_EVENTS) as target:
        # The rows go into a stage that reads the ledger and keeps its own appends in
        # memory, then into the ledger in one batch: a strict import that rejects a row,
        # or a failure half-way, leaves the ledger as it was.
        stage = Ledger(
            registries=target.registries,
            clock=clock,
            event_types=DATASET_EVENTS,
            store=Overlay(target.store),
        )
        size = len(stage)
        report = _import(stage, data, **options)
        if strict and report.rejected:
            return report
        if target.store.path == ":memory:":  # a claims file: rewritten whole
            # on the gazetteer its header names, even where its own values shadow it
            saving.save_claims_file(stage, name, gazetteer=_gazetteer_of(Path(name)))
            return report
        # one batch, at the size read: a colleague's append meanwhile is a
        # ConcurrencyError (nothing of this try is kept; ingest tries again), and an
        # import with nothing to append writes nothing, so cannot meet one
        values = _new_values(stage.registries, target.registries)
        claims = [record.claim for record in stage.since(size)]
        if values:
            target.register(*values)
        if claims:
            target.extend(claims, expected_size=size)
    return report


def _held_remotely(url: str) -> bool:
    """Whether the database at ``url`` holds the ledger it names."""
    try:
        codec.open_ledger(url, create=False).close()
    except LedgerNotFoundError:
        return False
    return True


def _ingest_new(
    data: str | os.PathLike[str],
    name: str,
    *,
    remote: bool,
    gazetteer: str | None,
    strict: bool,
    clock: Clock,
    options: dict[str, Any],
) -> ImportReport:
    """Import into a ledger that does not exist yet: nothing is created unless written (a
    file the import refuses, or a strict import that rejects a row, leaves no ledger)."""
    if not remote:
        saving.format_of(name)  # refuses a suffix that names no format
    registries = builtin(gazetteer) if gazetteer else Registries()
    stage = Ledger(registries=registries, clock=clock, event_types=DATASET_EVENTS)
    report = _import(stage, data, **options)
    if strict and report.rejected:
        return report
    if not remote:
        saving.save_ledger(stage, name, gazetteer=gazetteer)
        return report
    with codec.open_ledger(
        name, clock=clock, event_types=DATASET_EVENTS, create=True, gazetteer=gazetteer
    ) as target:  # one batch; a colleague's ledger made meanwhile: a ConcurrencyError
        target.register(*_new_values(stage.registries, target.registries))
        target.extend(stage.claims(), expected_size=0)
    return report


def _import(
    ledger: Ledger,
    data: str | os.PathLike[str],
    *,
    kind: Dataset | str,
    encoding: str | None,
    **acled: Any,
) -> ImportReport:
    if Dataset(kind) is Dataset.ACLED:
        return import_acled(ledger, data, encoding=encoding, **acled)
    return import_ucdp(ledger, data, encoding=encoding)


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
