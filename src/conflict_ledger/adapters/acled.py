"""ACLED CSV exports in and out: every header generation, every date format, no duplicates.

Reads the current 31-column export, the upper-case headers of 2015 (``EVENT_ID_CNTY``,
``ALLY_ACTOR_1``, event types such as ``Battle-Government regains territory``) and
alphabetically ordered API dumps: columns are found by name, not position. Dates may be
written as ACLED writes them (``07 December 2024``, ``2024-12-07``) or as spreadsheets
do (``07/12/2024``, ``12/7/2024`` with ``day_first=False``, ``7-Dec-24``, or a serial
day number such as ``45633``).

Each row becomes one claim with id ``acled/<event_id_cnty>``:

* the four territorial sub-event types become control events: *Government regains
  territory* and *Non-state actor overtakes territory* a :class:`~conflict_ledger.events.Captured`
  (actor1 takes the place from actor2), *Non-violent transfer of territory* a
  :class:`~conflict_ledger.events.HandedOver` (or a ``Captured`` when no actor2 is
  named), *Headquarters or base established* a partial
  :class:`~conflict_ledger.events.Holds` (a presence, not control);
* every other row is kept as a :class:`~conflict_ledger.adapters.dataset.DatasetEvent`.

``time_precision`` 1, 2 and 3 give a day, a week around ``event_date`` (three days
before to three after) and the calendar month; ``geo_precision`` 1 and 2 register the
location as a town, 3 as a region, with the row's coordinates. The report time is the
row's ``timestamp`` (when ACLED published that version), or, without one, the end of
the valid window. The chain of sources is each of the ``'; '``-separated sources as an
origin, then ACLED as publisher; ``source_scale``, fatalities and ``notes`` go in the
claim's note (a first line ``ACLED {...}`` of JSON, then the notes), from which
:func:`write_acled_csv` writes them back.

Re-importing an updated export appends corrections and never duplicates (see
:mod:`~conflict_ledger.adapters.rows`); every rejected row is reported with its line.

>>> import io, conflict_ledger as cl
>>> from conflict_ledger.gazetteer import syria
>>> ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-10T00:00Z"))
>>> text = (
...     "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,"
...     "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp\\n"
...     "SYR1,06 December 2024,1,Strategic developments,Non-violent transfer of territory,"
...     "SDF,Syrian Government,Deir ez-Zor,35.34,40.14,1,Syrian Sources; Reuters,National,"
...     "Handed over.,0,1733529600\\n"
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
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pendulum

from conflict_ledger.adapters.dataset import DatasetEvent
from conflict_ledger.adapters.rows import (
    Candidate,
    ImportReport,
    Registrar,
    RowError,
    RowProblem,
    append_candidates,
    collect_rows,
    open_csv,
    slug,
    source_name,
)
from conflict_ledger.asof import effective_claims
from conflict_ledger.claims import Claim, Modality, SourceChain, SourceLink, SourceRole
from conflict_ledger.errors import LedgerError
from conflict_ledger.events import Captured, ControlVerb, Event, Extent, HandedOver, Holds
from conflict_ledger.ledger import Ledger
from conflict_ledger.registry import (
    Actor,
    ActorKind,
    Place,
    PlaceKind,
    Registries,
    Source,
    SourceKind,
)
from conflict_ledger.time import Precision, ValidTime

__all__ = [
    "ACLED_SOURCE",
    "CURRENT_COLUMNS",
    "TERRITORIAL_SUB_EVENTS",
    "import_acled",
    "parse_acled_date",
    "read_acled",
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

TERRITORIAL_SUB_EVENTS = (
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Non-violent transfer of territory",
    "Headquarters or base established",
)
"""The ACLED sub-event types that become control events."""

ACLED_SOURCE = Source(
    id="acled",
    name="ACLED",
    kind=SourceKind.DATASET,
    aliases=("Armed Conflict Location & Event Data",),
    description="Armed Conflict Location & Event Data: the publisher of every imported row.",
)
"""The source registered as the publisher of every imported ACLED claim."""

_RENAMED = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}

_LEGACY_TYPES = {
    "battle no change of territory": ("Battles", "Armed clash"),
    "battle government regains territory": ("Battles", "Government regains territory"),
    "battle non state actor overtakes territory": (
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "headquarters or base established": (
        "Strategic developments",
        "Headquarters or base established",
    ),
    "non violent transfer of territory": (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    "remote violence": ("Explosions/Remote violence", ""),
    "strategic development": ("Strategic developments", ""),
}

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


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


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
    >>> parse_acled_date("12/7/2024", day_first=False), parse_acled_date("12/25/2024")
    (datetime.date(2024, 12, 7), datetime.date(2024, 12, 25))
    >>> parse_acled_date("31/02/2024")
    Traceback (most recent call last):
    ...
    ValueError: '31/02/2024' is not a date (day is out of range for month)
    """
    value = text.strip()
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


def _window(day: _dt.date, precision: int, tz: str) -> ValidTime:
    date = pendulum.date(day.year, day.month, day.day)
    if precision == 1:
        return ValidTime.day(date, tz=tz)
    if precision == 2:
        start = pendulum.datetime(date.year, date.month, date.day, tz=tz).subtract(days=3)
        return ValidTime.between(start, start.add(days=7), precision=Precision.WEEK)
    if precision == 3:
        start = pendulum.datetime(date.year, date.month, 1, tz=tz)
        return ValidTime.between(start, start.add(months=1), precision=Precision.MONTH)
    raise ValueError(f"time_precision is 1, 2 or 3, not {precision}")


_INTER_KINDS = {
    "1": ActorKind.GOVERNMENT,
    "state forces": ActorKind.GOVERNMENT,
    "2": ActorKind.ARMED_GROUP,
    "rebel group": ActorKind.ARMED_GROUP,
    "3": ActorKind.ARMED_GROUP,
    "political militia": ActorKind.ARMED_GROUP,
    "4": ActorKind.ARMED_GROUP,
    "identity militia": ActorKind.ARMED_GROUP,
    "8": ActorKind.STATE,
    "external other forces": ActorKind.STATE,
}


def _actor_kind(name: str, inter: str) -> ActorKind:
    if "unidentified" in name.casefold():
        return ActorKind.UNIDENTIFIED
    return _INTER_KINDS.get(_key(inter), ActorKind.UNIDENTIFIED)


def _columns(header: Iterable[str]) -> dict[str, str]:
    """Map each normalised column name to the file's own spelling."""
    found = {}
    for column in header:
        name = column.strip().lstrip("\ufeff").casefold()
        found[_RENAMED.get(name, name)] = column
    return found


def _event(
    event_type: str, sub_event_type: str, place: str, actor: str, other: str | None, deaths: int
) -> Event:
    match _key(sub_event_type):
        case "government regains territory":
            return Captured(place=place, actor=actor, verb=ControlVerb.REGAINED, from_actor=other)
        case "non state actor overtakes territory":
            return Captured(place=place, actor=actor, verb=ControlVerb.TOOK, from_actor=other)
        case "non violent transfer of territory" if other is not None:
            return HandedOver(place=place, from_actor=other, to_actor=actor)
        case "non violent transfer of territory":
            return Captured(place=place, actor=actor, verb=ControlVerb.TOOK)
        case "headquarters or base established":
            return Holds(place=place, actor=actor, extent=Extent.SOME)
        case _:
            return DatasetEvent(
                dataset="acled",
                event_type=event_type,
                sub_event_type=sub_event_type,
                place=place,
                actor=actor,
                other_actor=other,
                fatalities=deaths,
            )


_META = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "fatalities")
_META_MORE = (
    "assoc_actor_1",
    "assoc_actor_2",
    "time_precision",
    "geo_precision",
    "source_scale",
    "admin1",
    "country",
    "iso",
    "inter1",
    "inter2",
)


def _note(row: Mapping[str, str], event_date: _dt.date, types: tuple[str, str]) -> str:
    fields = {name: row.get(name, "").strip() for name in (*_META, *_META_MORE)}
    fields["event_date"] = event_date.isoformat()
    fields["event_type"], fields["sub_event_type"] = types
    meta = json.dumps({k: v for k, v in fields.items() if v}, ensure_ascii=False)
    return f"ACLED {meta}\n{row.get('notes', '').strip()}".rstrip()


def _row_claim(
    row: Mapping[str, str],
    registrar: Registrar,
    *,
    tz: str,
    day_first: bool,
) -> tuple[Claim, tuple[Place | Actor | Source, ...]]:
    def need(name: str) -> str:
        value = row.get(name, "").strip()
        if not value:
            raise RowProblem(name, row.get(name), "required and empty")
        return value

    event_id = need("event_id_cnty")
    try:
        day = parse_acled_date(need("event_date"), day_first=day_first)
    except ValueError as error:
        raise RowProblem("event_date", row.get("event_date"), str(error)) from None
    year = row.get("year", "").strip()
    if year and year.isdigit() and int(year) != day.year:
        raise RowProblem(
            "event_date",
            row.get("event_date"),
            f"the date's year disagrees with year={year}; is it month-first? "
            "(pass day_first=False for US spreadsheets)",
        )
    precision_text = row.get("time_precision", "").strip() or "1"
    try:
        valid = _window(day, int(precision_text), tz)
    except ValueError as error:
        raise RowProblem("time_precision", precision_text, str(error)) from None
    event_type = need("event_type")
    sub_event_type = row.get("sub_event_type", "").strip()
    if not sub_event_type and _key(event_type) in _LEGACY_TYPES:
        event_type, sub_event_type = _LEGACY_TYPES[_key(event_type)]
    geo_text = row.get("geo_precision", "").strip() or "1"
    if geo_text not in ("1", "2", "3"):
        raise RowProblem("geo_precision", geo_text, "geo_precision is 1, 2 or 3")
    try:
        place, place_value = registrar.place(
            need("location"),
            row.get("latitude", ""),
            row.get("longitude", ""),
            kind=PlaceKind.REGION if geo_text == "3" else PlaceKind.TOWN,
            coordinates_source=f"ACLED (geo_precision {geo_text})",
        )
    except (ValueError, LedgerError) as error:
        raise RowProblem("location", row.get("location"), str(error)) from None
    actor, actor_value = registrar.actor(
        need("actor1"), _actor_kind(need("actor1"), row.get("inter1", ""))
    )
    other_name = row.get("actor2", "").strip()
    other, other_value = (
        registrar.actor(other_name, _actor_kind(other_name, row.get("inter2", "")))
        if other_name
        else (None, None)
    )
    deaths_text = row.get("fatalities", "").strip() or "0"
    if not deaths_text.isdigit():
        raise RowProblem("fatalities", deaths_text, "fatalities is a whole number")
    links: list[SourceLink] = []
    values: list[Place | Actor | Source] = [ACLED_SOURCE]
    for name in (part.strip() for part in row.get("source", "").split(";")):
        if not name:
            continue
        source, source_value = registrar.source(name)
        if source_value is not None:
            values.append(source_value)
        if source not in (link.source for link in links):
            links.append(SourceLink(source=source, role=SourceRole.ORIGIN))
    links.append(
        SourceLink(
            source=ACLED_SOURCE.id, role=SourceRole.PUBLISHER if links else SourceRole.ORIGIN
        )
    )
    stamp = row.get("timestamp", "").strip()
    if stamp:
        if not stamp.isdigit():
            raise RowProblem("timestamp", stamp, "timestamp is seconds since 1970 (UTC)")
        reported = pendulum.from_timestamp(int(stamp), tz="UTC")
    else:
        reported = valid.end
    values.extend(v for v in (place_value, actor_value, other_value) if v is not None)
    claim = Claim(
        id=f"acled/{slug(event_id) if not re.fullmatch(r'[A-Za-z0-9._-]+', event_id) else event_id}",
        event=_event(event_type, sub_event_type, place, actor, other, int(deaths_text)),
        valid=valid,
        reported_at=reported,
        source=SourceChain(links=links),
        modality=Modality.ASSERTED,
        note=_note(row, day, (event_type, sub_event_type)),
    )
    return claim, tuple(values)


def _rows(handle: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        return
    columns = _columns(header)
    names = list(columns)
    line = reader.line_num + 1
    for values in reader:
        if any(value.strip() for value in values):
            yield line, dict(zip(names, values, strict=False))
        line = reader.line_num + 1


def read_acled(
    source: str | os.PathLike[str] | IO[str],
    registries: Registries,
    *,
    tz: str = "UTC",
    day_first: bool = True,
    name: str | None = None,
) -> tuple[tuple[Candidate, ...], tuple[RowError, ...]]:
    """Read an ACLED CSV into candidate claims and rejected rows, without touching a ledger.

    ``registries`` resolve locations, actors and sources the ledger already knows;
    others come back as new values in each candidate. ``tz`` is the zone of the
    calendar days in ``event_date`` (ACLED dates are local days; UTC by default).

    >>> import io
    >>> from conflict_ledger.gazetteer import syria
    >>> text = "EVENT_ID_CNTY,EVENT_DATE,YEAR,EVENT_TYPE,ACTOR1,LOCATION\\nSYR9,31/02/2015,2015,Riots/Protests,Protesters (Syria),Homs\\n"
    >>> candidates, rejected = read_acled(io.StringIO(text), syria(), name="old.csv")
    >>> print(rejected[0])
    old.csv:2: event_date='31/02/2015': '31/02/2015' is not a date (day is out of range for month)
    """
    handle, default_name = open_csv(source, what="an ACLED CSV export")
    path = name or default_name
    registrar = Registrar(registries)
    return collect_rows(
        _rows(handle),
        path=path,
        read=lambda row: _row_claim(row, registrar, tz=tz, day_first=day_first),
    )


def import_acled(
    ledger: Ledger,
    source: str | os.PathLike[str] | IO[str],
    *,
    tz: str = "UTC",
    day_first: bool = True,
    name: str | None = None,
) -> ImportReport:
    """Import an ACLED CSV into ``ledger``; return what was appended, skipped and rejected.

    Valid rows are appended even when others are rejected; call
    ``report.raise_if_rejected()`` to raise every rejection at once.

    >>> import conflict_ledger as cl
    >>> from conflict_ledger.gazetteer import syria
    >>> ledger = cl.Ledger(registries=syria())
    >>> report = import_acled(ledger, "tests/data/acled/bad_rows.csv")
    >>> report.appended, len(report.rejected), report.rejected[0].line
    (('acled/SYR200', 'acled/SYR206'), 6, 4)
    """
    candidates, rejected = read_acled(
        source, ledger.registries, tz=tz, day_first=day_first, name=name
    )
    path = rejected[0].path if rejected else (name or source_name(source))
    return append_candidates(ledger, candidates, path=path, rejected=rejected)


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
    Returns the number of rows written.

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
    if isinstance(path, str | os.PathLike):
        with Path(path).open("w", encoding="utf-8", newline="") as handle:
            _write(handle, rows)
    else:
        _write(path, rows)
    return len(rows)


def _write(handle: IO[str], rows: list[dict[str, str]]) -> None:
    writer = csv.DictWriter(handle, fieldnames=CURRENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
