"""ACLED exports in and out, as they really are: every generation, the right sides and places.

The pieces, each in its own module:

* :mod:`.tables` reads the file: UTF-8, cp1252, Latin-1 or UTF-16 (detected), ``,`` or
  ``;``, ``.csv.gz``, ``NA`` and other empty markers; an empty file, a header with no
  rows or a file of another kind is one :class:`~conflict_ledger.errors.DatasetFileError`;
* :mod:`.acled_layout` knows every generation's headers and type spellings (2015's
  ``Battle-Non-state actors overtake territory``...) and what a file looks like;
* :mod:`.acled_rows` merges the rows of one ``event_id_cnty`` (long format, split
  sources) into one event and reports true duplicates with their lines;
* :mod:`.acled_sides` decides which side gained from the sub-event type, the
  interaction codes and the notes; a row it cannot decide is imported as a
  :class:`~conflict_ledger.events.DatasetEvent` (it moves no holder) and listed in the
  report's ``undecided``;
* :mod:`.acled_actors` maps ACLED actor names to the gazetteer's actors (sub-units to
  their parent); :mod:`.placing` places a row by country, name and coordinates;
* :mod:`.acled_claims` makes the claim: ``time_precision`` 1, 2, 3 give a day, a week
  around ``event_date``, the month; ``geo_precision`` 2 or 3 makes a gain a presence
  *near* the town (extent SOME), not a hold of it; ``reported_at`` follows the chosen
  :class:`ReportClock` (by default ACLED's ``timestamp``, the row's last revision);
* :mod:`.acled_zones` finds the zone each row's calendar day is read in when no ``tz``
  is given: its place's, from its country and coordinates (UTC, reported, when none).

Each event becomes one claim ``acled/<event_id_cnty>``; its note keeps every column of
the row (a first line ``ACLED {...}`` of JSON, then the notes), from which
:func:`write_acled_csv` writes it back. Re-importing appends corrections and never
duplicates, whatever ``tz`` (see :mod:`~conflict_ledger.adapters.rows`).

>>> import io, conflict_ledger as cl
>>> from conflict_ledger.gazetteer import syria
>>> ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-10T00:00Z"))
>>> text = (
...     "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,"
...     "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp\\n"
...     "SYR1,06 December 2024,1,Strategic developments,Non-violent transfer of territory,"
...     "SDF,Syrian Government,Deir ez-Zor,35.34,40.14,1,Syrian Sources; Reuters,National,"
...     "Government forces handed over the city to the SDF.,0,1733529600\\n"
... )
>>> report = import_acled(ledger, io.StringIO(text), name="export.csv")
>>> report.appended
('acled/SYR1',)
>>> cl.snapshot(ledger, at="2024-12-07T00:00Z")["deir-ez-zor"].holder
'sdf'
>>> import_acled(ledger, io.StringIO(text), name="export.csv").unchanged
('acled/SYR1',)
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import attrs
import pendulum

from conflict_ledger._lazy import collector_paused
from conflict_ledger.adapters.acled_actors import ActorMap
from conflict_ledger.adapters.acled_claims import (
    ACLED_SOURCE,
    TERRITORIAL_SUB_EVENTS,
    ReportClock,
    RowReader,
)
from conflict_ledger.adapters.acled_columns import WIDE_NEEDS, Found, read_wide
from conflict_ledger.adapters.acled_layout import Layout, canonical_column, detect_layout
from conflict_ledger.adapters.acled_rows import merge_events
from conflict_ledger.adapters.dataset import DatasetEvent
from conflict_ledger.adapters.rows import (
    Candidate,
    ImportReport,
    RowError,
    RowProblem,
    append_candidates,
)
from conflict_ledger.adapters.tables import Table, read_table
from conflict_ledger.asof import effective_claims
from conflict_ledger.claims import Claim, Modality
from conflict_ledger.errors import LedgerError
from conflict_ledger.events import Captured, ControlVerb, Extent, HandedOver, Holds
from conflict_ledger.ledger import Ledger
from conflict_ledger.registry import ActorKind, Registries
from conflict_ledger.time import Precision, to_instant, zone

__all__ = [
    "ACLED_SOURCE",
    "CURRENT_COLUMNS",
    "TERRITORIAL_SUB_EVENTS",
    "AcledRead",
    "ActorMap",
    "ReportClock",
    "import_acled",
    "parse_acled_date",
    "read_acled",
    "read_acled_file",
    "write_acled_csv",
]

CURRENT_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
"""The 31 columns of a current ACLED export, in order (also what :func:`write_acled_csv` writes)."""

Progress = Callable[[int, int], None] | None

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_NAMED = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)[ ,-]+(\d{2}|\d{4})$")
_NAMED_FIRST = re.compile(r"^([A-Za-z]+) (\d{1,2}),? (\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
_EXCEL_EPOCH = _dt.date(1899, 12, 30)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # as spreadsheets read two-digit years: 00-29 is 20xx, 30-99 is 19xx
        return year + (2000 if year < 30 else 1900)
    return year


def parse_acled_date(text: str, *, day_first: bool = True) -> _dt.date:
    """Read an ACLED ``event_date`` as ACLED or a spreadsheet wrote it.

    Numeric dates are day first unless ``day_first=False`` (a US spreadsheet); a part
    above 12 decides on its own. A bare number is a spreadsheet serial day.

    >>> [parse_acled_date(t) for t in ("07 December 2024", "2024-12-07", "7-Dec-24", "07/12/2024", "45633")]
    [datetime.date(2024, 12, 7), datetime.date(2024, 12, 7), datetime.date(2024, 12, 7), datetime.date(2024, 12, 7), datetime.date(2024, 12, 7)]
    >>> parse_acled_date("2024-12-07T00:00:00Z"), parse_acled_date("2024-12-07 00:00:00")
    (datetime.date(2024, 12, 7), datetime.date(2024, 12, 7))
    >>> parse_acled_date("12/7/2024", day_first=False), parse_acled_date("12/25/2024")
    (datetime.date(2024, 12, 7), datetime.date(2024, 12, 25))
    >>> parse_acled_date("31/02/2024")
    Traceback (most recent call last):
    ...
    ValueError: '31/02/2024' is not a date (day is out of range for month)
    """
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?", value):
        value = value[:10]  # a date-time as R or pandas writes a date: the day is what counts
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return _dt.date.fromisoformat(value)
        if re.fullmatch(r"\d{5}", value):
            return _EXCEL_EPOCH + _dt.timedelta(days=int(value))
        if match := _NAMED.match(value):
            day, month, year = match.groups()
            return _dt.date(_year(year), _MONTHS[month.casefold()], int(day))
        if match := _NAMED_FIRST.match(value):
            month, day, year = match.groups()
            return _dt.date(_year(year), _MONTHS[month.casefold()], int(day))
        if match := _NUMERIC.match(value):
            first, second = int(match.group(1)), int(match.group(2))
            day, month = (first, second) if day_first else (second, first)
            if month > 12 >= day:
                day, month = month, day
            return _dt.date(_year(match.group(3)), month, day)
    except (KeyError, ValueError) as error:
        reason = "unknown month name" if isinstance(error, KeyError) else str(error)
        raise ValueError(f"{text!r} is not a date ({reason})") from None
    raise ValueError(
        f"{text!r} is not a date ACLED or a spreadsheet writes "
        "(e.g. 07 December 2024, 2024-12-07, 07/12/2024, 7-Dec-24)"
    )


def _reader(
    registries: Registries,
    layout: Layout,
    *,
    tz: str | None,
    day_first: bool,
    reported_at: ReportClock | str,
    now: pendulum.DateTime | None,
    actor_map: ActorMap | str | os.PathLike[str] | None,
) -> RowReader:
    if tz is not None:
        zone(tz)  # an unknown zone is one typed error before any row, not each row's
    mapping = (
        actor_map
        if actor_map is None or isinstance(actor_map, ActorMap)
        else ActorMap.read(actor_map)
    )
    if mapping is not None:
        mapping.check(registries.actors)
    return RowReader(
        registries,
        layout=layout,
        tz=tz,
        day_first=day_first,
        clock=ReportClock(reported_at),
        now=now,
        actor_map=mapping,
        parse_date=lambda text, first: parse_acled_date(text, day_first=first),
    )


def _row_by_row(
    table: Table, header: list[str], layout: Layout, reader: RowReader, progress: Progress
) -> tuple[Found, list[RowError], list[str]]:
    """Every event of the file read row by row (long format, or a file missing a column
    the columnar reader needs), in event order."""
    width = len(header)
    rows = (
        (
            line,
            dict(
                zip(
                    header,
                    values if len(values) >= width else values + [""] * (width - len(values)),
                    strict=False,
                )
            ),
        )
        for line, values in table.rows
    )
    events, problems, duplicates = merge_events(rows, long=layout.long)
    rejected = _rejected_groups(table.path, problems)
    found = Found()
    for count, event in enumerate(events, start=1):
        if progress is not None and (count % 5000 == 0 or count == len(events)):
            progress(count, len(events))
        try:
            found.add(event.lines, reader.read(event.row))
        except (RowProblem, LedgerError) as error:
            found.add(event.lines, error)
    return found, rejected, duplicates


def _rejected_groups(path: str, problems: list[tuple[tuple[int, ...], str]]) -> list[RowError]:
    return [
        RowError(path=path, line=lines[0], reason=reason, field="event_id_cnty")
        for lines, reason in problems
    ]


@attrs.frozen(kw_only=True)
class AcledRead:
    """What :func:`read_acled` found: candidates, rejected rows, undecided claim ids,
    duplicates noted, and the file's layout."""

    candidates: tuple[Candidate, ...]
    rejected: tuple[RowError, ...]
    undecided: tuple[str, ...]
    duplicates: tuple[str, ...]
    layout: Layout
    path: str
    in_utc: tuple[tuple[str, int], ...] = ()
    """(country, rows) read in UTC for want of a zone (see :mod:`.acled_zones`)."""


def read_acled_file(
    source: str | os.PathLike[str] | IO[str],
    registries: Registries,
    *,
    tz: str | None = None,
    day_first: bool = True,
    name: str | None = None,
    encoding: str | None = None,
    reported_at: ReportClock | str = ReportClock.REVISION,
    now: pendulum.DateTime | None = None,
    actor_map: ActorMap | str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AcledRead:
    """Read an ACLED file whole (see :func:`import_acled` for the options), touching no ledger.

    ``progress(done, total)`` is called every few thousand events and at the end.
    """
    with collector_paused():
        return _read_file(
            source,
            registries,
            tz=tz,
            day_first=day_first,
            name=name,
            encoding=encoding,
            reported_at=reported_at,
            now=now,
            actor_map=actor_map,
            progress=progress,
        )


def _read_file(
    source: str | os.PathLike[str] | IO[str],
    registries: Registries,
    *,
    tz: str | None,
    day_first: bool,
    name: str | None,
    encoding: str | None,
    reported_at: ReportClock | str,
    now: pendulum.DateTime | None,
    actor_map: ActorMap | str | os.PathLike[str] | None,
    progress: Callable[[int, int], None] | None,
) -> AcledRead:
    table = read_table(source, what="an ACLED CSV export", encoding=encoding, name=name)
    header = [canonical_column(c) for c in table.header]
    layout = detect_layout(header, table.columns, path=table.path)
    reader = _reader(
        registries,
        layout,
        tz=tz,
        day_first=day_first,
        reported_at=reported_at,
        now=now,
        actor_map=actor_map,
    )
    if layout.long or not set(WIDE_NEEDS) <= set(header):
        found, rejected, duplicates = _row_by_row(table, header, layout, reader, progress)
    else:
        lines, rows = zip(*table.rows, strict=True)
        found, problems, duplicates = read_wide(header, lines, rows, reader, progress=progress)
        rejected = _rejected_groups(table.path, problems)
    for line, error in found.errors:
        if isinstance(error, RowProblem):
            rejected.append(
                RowError(
                    path=table.path,
                    line=line,
                    field=error.field,
                    value=error.value,
                    reason=error.reason,
                )
            )
        else:
            rejected.append(RowError(path=table.path, line=line, reason=str(error)))
    return AcledRead(
        candidates=tuple(found.candidates),
        rejected=tuple(sorted(rejected, key=lambda error: error.line)),
        undecided=tuple(found.undecided),
        duplicates=tuple(duplicates),
        layout=layout,
        path=table.path,
        in_utc=tuple(sorted(reader.in_utc.items())),
    )


def read_acled(
    source: str | os.PathLike[str] | IO[str],
    registries: Registries,
    *,
    tz: str | None = None,
    day_first: bool = True,
    name: str | None = None,
    encoding: str | None = None,
    reported_at: ReportClock | str = ReportClock.REVISION,
    actor_map: ActorMap | str | os.PathLike[str] | None = None,
) -> tuple[tuple[Candidate, ...], tuple[RowError, ...]]:
    """Read an ACLED CSV into candidate claims and rejected rows, without touching a ledger.

    ``registries`` resolve locations, actors and sources the ledger already knows;
    others come back as new values in each candidate. ``tz`` is the zone of the
    calendar days in ``event_date``; by default each row's day is read in its place's
    own zone (see :func:`import_acled`).

    >>> import io
    >>> from conflict_ledger.gazetteer import syria
    >>> text = "EVENT_ID_CNTY,EVENT_DATE,YEAR,EVENT_TYPE,ACTOR1,LOCATION\\nSYR9,31/02/2015,2015,Riots/Protests,Protesters (Syria),Homs\\n"
    >>> candidates, rejected = read_acled(io.StringIO(text), syria(), name="old.csv")
    >>> print(rejected[0])
    old.csv:2: event_date='31/02/2015': '31/02/2015' is not a date (day is out of range for month)
    """
    found = read_acled_file(
        source,
        registries,
        tz=tz,
        day_first=day_first,
        name=name,
        encoding=encoding,
        reported_at=reported_at,
        actor_map=actor_map,
    )
    return found.candidates, found.rejected


def _same_row(new: Claim, old: Claim) -> bool:
    """The same row read again: equal but for the window's zone and the report clock
    (re-importing with another --tz or clock appends nothing)."""
    return (
        new.note == old.note
        and new.event == old.event
        and new.source == old.source
        and new.modality is old.modality
        and new.credibility == old.credibility
        and new.evidence == old.evidence
    )


def import_acled(
    ledger: Ledger,
    source: str | os.PathLike[str] | IO[str],
    *,
    tz: str | None = None,
    day_first: bool = True,
    name: str | None = None,
    encoding: str | None = None,
    reported_at: ReportClock | str = ReportClock.REVISION,
    actor_map: ActorMap | str | os.PathLike[str] | None = None,
    now: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import an ACLED file into ``ledger``; return what was appended, skipped and rejected.

    ``tz`` is the zone of every row's calendar day in ``event_date``. By default (None)
    ACLED's local days are read where they happened: each row in the IANA zone of its
    country, the one nearest its coordinates in a country of several zones
    (:mod:`.acled_zones`); a row with no zone found is read in UTC and counted in the
    report's ``in_utc``. ``day_first=False`` reads
    US spreadsheet dates; ``encoding`` overrides detection; ``reported_at`` chooses the
    knowledge clock (:class:`ReportClock`: ``"revision"``, the default, ``"event"`` or
    ``"import"``, which uses ``now`` or the current time); ``actor_map`` extends the
    shipped mapping of ACLED actor names (an :class:`ActorMap` or a file);
    ``progress(done, total)`` is told how far the reading is (the CLI draws a bar).

    Valid rows are appended even when others are rejected; call
    ``report.raise_if_rejected()`` to raise every rejection at once. A file that is not
    an ACLED export, or is empty, raises one
    :class:`~conflict_ledger.errors.DatasetFileError` and writes nothing.

    >>> import conflict_ledger as cl
    >>> from conflict_ledger.gazetteer import syria
    >>> ledger = cl.Ledger(registries=syria())
    >>> report = import_acled(ledger, "tests/data/acled/bad_rows.csv")
    >>> report.appended, len(report.rejected), report.rejected[0].line
    (('acled/SYR200', 'acled/SYR206'), 6, 4)
    """
    clock = ReportClock(reported_at)
    moment = None
    if clock is ReportClock.IMPORT:
        moment = pendulum.now("UTC") if now is None else to_instant(now, field="now")
    with collector_paused():  # once: a collection in between would walk every row again
        found = _read_file(
            source,
            ledger.registries,
            tz=tz,
            day_first=day_first,
            name=name,
            encoding=encoding,
            reported_at=clock,
            now=moment,
            actor_map=actor_map,
            progress=progress,
        )
        report = append_candidates(
            ledger, found.candidates, path=found.path, rejected=found.rejected, same=_same_row
        )
    return attrs.evolve(
        report, undecided=found.undecided, duplicates=found.duplicates, in_utc=found.in_utc
    )


_META_LINE = re.compile(r"^ACLED (\{.*\})$")


def _meta(note: str) -> tuple[dict[str, str], str]:
    first, _, rest = note.partition("\n")
    match = _META_LINE.match(first)
    if match is None:
        return {}, note
    try:
        fields = json.loads(match.group(1))
    except json.JSONDecodeError:
        return {}, note
    return {str(k): str(v) for k, v in fields.items()}, rest


def _capture_type(ledger: Ledger, event: Captured, meta: Mapping[str, str]) -> str:
    """The ACLED sub-event type of a capture: as imported, else from the verb and actor."""
    recorded = meta.get("sub_event_type", "")
    if recorded in TERRITORIAL_SUB_EVENTS[:3]:
        return recorded
    kind = ledger.registries.actors[event.actor].kind
    if event.verb is ControlVerb.REGAINED or kind in (ActorKind.GOVERNMENT, ActorKind.STATE):
        return "Government regains territory"
    return "Non-state actor overtakes territory"


def _export_row(claim: Claim, ledger: Ledger) -> dict[str, str] | None:
    if claim.modality is not Modality.ASSERTED:
        return None
    meta, notes = _meta(claim.note)
    if meta.get("event_id_cnty") and meta.get("actor1"):  # imported: every column as it came
        row = {k: v for k, v in meta.items() if k != "undecided"}
        row["notes"] = notes.strip()
        return row
    event = claim.event
    match event:
        case DatasetEvent(event_type=t, sub_event_type=s, actor=a1, other_actor=a2):
            types, actors = (t, s), (a1, a2)
        case Captured(actor=a1, from_actor=a2, extent=Extent.ALL):
            sub = _capture_type(ledger, event, meta)
            kind = "Strategic developments" if sub == TERRITORIAL_SUB_EVENTS[2] else "Battles"
            types, actors = (kind, sub), (a1, a2)
        case HandedOver(to_actor=a1, from_actor=a2):
            types = ("Strategic developments", "Non-violent transfer of territory")
            actors = (a1, a2)
        case Holds(actor=a1, extent=Extent.SOME) | Captured(actor=a1, extent=Extent.SOME):
            types = ("Strategic developments", "Headquarters or base established")
            actors = (a1, None)
        case _:
            return None
    place = ledger.registries.places[event.place]
    names = ledger.registries
    precision = {Precision.DAY: "1", Precision.WEEK: "2", Precision.MONTH: "3"}.get(
        claim.valid.precision, "1"
    )
    middle = claim.valid.start.add(
        seconds=int((claim.valid.end - claim.valid.start).total_seconds() // 2)
    )
    event_date = meta.get("event_date") or middle.date().isoformat()
    sources = [
        names.sources[link.source].name for link in claim.source.links if link.source != "acled"
    ]
    row = dict.fromkeys(CURRENT_COLUMNS, "")
    row.update(
        event_id_cnty=meta.get("event_id_cnty") or claim.id.split("#", 1)[0].removeprefix("acled/"),
        event_date=event_date,
        year=event_date[:4],
        time_precision=meta.get("time_precision", precision),
        event_type=types[0],
        sub_event_type=types[1],
        actor1=names.actors[actors[0]].name,
        assoc_actor_1=meta.get("assoc_actor_1", ""),
        inter1=meta.get("inter1", ""),
        actor2="" if actors[1] is None else names.actors[actors[1]].name,
        assoc_actor_2=meta.get("assoc_actor_2", ""),
        inter2=meta.get("inter2", ""),
        iso=meta.get("iso", ""),
        country=meta.get("country", ""),
        admin1=meta.get("admin1", ""),
        location=place.name,
        latitude="" if place.coordinates is None else repr(place.coordinates.lat),
        longitude="" if place.coordinates is None else repr(place.coordinates.lon),
        geo_precision=meta.get("geo_precision", "1"),
        source="; ".join(sources),
        source_scale=meta.get("source_scale", ""),
        notes=notes.strip(),
        fatalities=meta.get("fatalities", "0"),
        timestamp=str(int(claim.reported_at.timestamp())),
    )
    return row


def write_acled_csv(
    path: str | os.PathLike[str] | IO[str],
    ledger: Ledger,
    *,
    known_at: Any = None,
) -> int:
    """Write the ledger's claims that ACLED can express as a current 31-column export.

    Counted claims (retracted and superseded ones left out) as known at ``known_at``:
    dataset events, captures, hand-overs and bases established. Claims ACLED has no
    row type for (a loss with no gainer, an advance, a denial, a forecast) are skipped.
    A claim imported from ACLED is written back with every column it came with (as
    normalised on import: ISO ``event_date``, current type names), its actors as the
    file named them and in its order; columns beyond the current 31 (``iso3``,
    ``data_id``...) follow them. Returns the number of rows written.

    >>> import io, conflict_ledger as cl
    >>> out = io.StringIO()
    >>> write_acled_csv(out, cl.load_seed())
    2
    >>> out.getvalue().splitlines()[-1].split(",")[:8]
    ['dawn-2024-12-07/c04', '2024-12-06', '2024', '1', '', 'Battles', 'Non-state actor overtakes territory', 'Syrian Democratic Forces']
    """
    rows = [
        row
        for row in (
            _export_row(claim, ledger) for claim in effective_claims(ledger, known_at=known_at)
        )
        if row is not None
    ]
    extra = sorted({k for row in rows for k in row} - set(CURRENT_COLUMNS))
    columns = (*CURRENT_COLUMNS, *extra)
    if isinstance(path, str | os.PathLike):
        with Path(path).open("w", encoding="utf-8", newline="") as handle:
            _write(handle, rows, columns)
    else:
        _write(path, rows, columns)
    return len(rows)


def _write(handle: IO[str], rows: list[dict[str, str]], columns: tuple[str, ...]) -> None:
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
