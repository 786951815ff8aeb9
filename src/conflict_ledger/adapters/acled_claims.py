"""One merged ACLED event row to one claim: window, sides, actors, place, sources, clock.

The pieces are decided elsewhere (:mod:`.acled_layout` the spellings,
:mod:`.acled_sides` the gainer, :mod:`.acled_actors` the actors, :mod:`.placing` the
place); :class:`RowReader` puts them together and caches what repeats (windows, source
chains, actors, places), which is most of a large export.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import enum
import functools
import json
import json.encoder
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress
from typing import Any

import pendulum

from conflict_ledger.adapters.acled_actors import ActorMap
from conflict_ledger.adapters.acled_layout import Layout, canonical_types
from conflict_ledger.adapters.acled_sides import Decision, Open, Side, by_codes, by_notes
from conflict_ledger.adapters.acled_zones import PlaceKey, PlaceZones, country_label
from conflict_ledger.adapters.dataset import DatasetEvent
from conflict_ledger.adapters.placing import Placer
from conflict_ledger.adapters.rows import RowProblem, slug
from conflict_ledger.claims import Claim, Modality, SourceChain, SourceLink, SourceRole
from conflict_ledger.events import Captured, ControlVerb, Event, Extent, HandedOver, Holds
from conflict_ledger.registry import (
    Actor,
    ActorKind,
    Place,
    Registries,
    Source,
    SourceKind,
    normalise_name,
)
from conflict_ledger.time import Precision, ValidTime, to_instant

__all__ = ["ACLED_SOURCE", "TERRITORIAL_SUB_EVENTS", "ReportClock", "RowReader"]

ACLED_SOURCE = Source(
    id="acled",
    name="ACLED",
    kind=SourceKind.DATASET,
    aliases=("Armed Conflict Location & Event Data",),
    description="Armed Conflict Location & Event Data: the publisher of every imported row.",
)
"""The source registered as the publisher of every imported ACLED claim."""

TERRITORIAL_SUB_EVENTS = (
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Non-violent transfer of territory",
    "Headquarters or base established",
)
"""The ACLED sub-event types that become control events."""


class ReportClock(enum.Enum):
    """How an imported claim's ``reported_at`` (when it was known) is set.

    ``REVISION`` (the default): ACLED's ``timestamp``, the time of the row's *last
    revision*, not its first publication; the claim counts as known from then, which is
    late but never early. ``EVENT``: the end of the event's window, as if known at once
    (optimistic: replays know more than anyone knew then). ``IMPORT``: the time of the
    import (the ledger's clock), what *you* knew when.
    """

    REVISION = "revision"
    EVENT = "event"
    IMPORT = "import"


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


def whole_number(text: str, field: str, *, default: str = "") -> int:
    """A whole number as a file writes it: ``3``, or ``3.0`` from pandas."""
    value = text.strip() or default
    number = value[:-2] if value.endswith(".0") else value
    if not number.isdigit():
        raise RowProblem(field, text, f"{field} is a whole number")
    return int(number)


@functools.lru_cache(maxsize=65536)  # an export's rows share a few upload timestamps
def parse_stamp(text: str) -> pendulum.DateTime:
    """:func:`read_stamp`, remembering the last 65,536 texts."""
    return read_stamp(text)


def read_stamp(text: str) -> pendulum.DateTime:
    """An ACLED ``timestamp``: seconds since 1970 (``1733616000``, ``1733616000.0``) or an
    ISO date-time as R and pandas write it (``2024-12-08T00:00:00Z``; no offset is UTC).

    >>> parse_stamp("1733616000.0") == parse_stamp("2024-12-08T00:00:00Z")
    True
    """
    value = text.strip()
    try:
        if value.isdigit() or re.fullmatch(r"\d+(\.0+)?", value):
            moment = _dt.datetime.fromtimestamp(int(float(value)), _dt.UTC)
            return pendulum.DateTime(  # pendulum.UTC: the instant claims keep as is
                moment.year,
                moment.month,
                moment.day,
                moment.hour,
                moment.minute,
                moment.second,
                tzinfo=pendulum.UTC,
            )
        moment = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise RowProblem(
            "timestamp", text, "timestamp is seconds since 1970 or an ISO date-time"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return to_instant(moment, field="timestamp")


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


def _kind_of(name: str, inter: str) -> ActorKind:
    if "unidentified" in name.casefold():
        return ActorKind.UNIDENTIFIED
    return _INTER_KINDS.get(normalise_name(inter).removesuffix(" 0"), ActorKind.UNIDENTIFIED)


def _note(
    row: Mapping[str, str], event_date: _dt.date, types: tuple[str, str], extra: dict[str, str]
) -> str:
    fields = {k: text for k, v in row.items() if v and (text := v.strip())}
    fields.pop("notes", None)  # kept as the note's text, after the fields
    fields["event_date"] = event_date.isoformat()
    fields["event_type"], fields["sub_event_type"] = types
    fields.update(extra)
    meta = "".join(_encode_note(fields, 0))
    return f"ACLED {meta}\n{row.get('notes', '').strip()}".rstrip()


def _note_encoder() -> Callable[[dict[str, str], int], Iterable[str]]:
    """``json.dumps(fields, ensure_ascii=False, sort_keys=True)``, the same text, made once:
    ``json.dumps`` builds its encoder again for every call, a third of a note's cost."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
    make = getattr(json.encoder, "c_make_encoder", None)  # None without the C accelerator
    if make is None:
        return lambda fields, _level: (encoder.encode(fields),)
    encode = json.encoder.encode_basestring
    made: Callable[[dict[str, str], int], Iterable[str]]
    made = make(None, encoder.default, encode, None, ": ", ", ", True, False, True)
    return made


_encode_note = _note_encoder()
_encode_text = json.encoder.encode_basestring  # what the encoder above writes a string as
_SET_BY_READER = ("event_date", "event_type", "sub_event_type")


def _encoded_column(key: str, column: Sequence[str], lead: str = "") -> list[str] | None:
    """``lead`` and ``"key": "text"`` of each trimmed cell ("" for an empty one), None if
    all are empty."""
    head = lead + _encode_text(key) + ": "
    distinct = set(column)
    if len(distinct) * 2 > len(column):  # ids, timestamps: no repeats to share
        trimmed = list(map(str.strip, column))
        if all(trimmed):
            return list(map(head.__add__, map(_encode_text, trimmed)))
    encoded = {}
    for value in distinct:
        text = value.strip()
        encoded[value] = head + _encode_text(text) if text else ""
    if len(encoded) == 1:  # a constant column: its one text
        (part,) = encoded.values()
        return [part] * len(column) if part else None
    return list(map(encoded.__getitem__, column))


def _as_written(column: Sequence[str], *, json: bool = True) -> bool:
    """Is every cell non-empty and trimmed, and (``json``) written by JSON as it is?

    Printable text has no whitespace but the space and nothing JSON escapes but ``"``
    and ``\\``; joined by spaces, an empty or untrimmed cell shows as a space at either
    end or two together (as does a cell with two spaces inside: not taken as written,
    which only costs time). So one join answers for every cell at once.
    """
    if not column:
        return False
    text = " ".join(column)
    return (
        text.isprintable()
        and not (json and ('"' in text or "\\" in text))
        and text[:1] not in ("", " ")
        and text[-1] != " "
        and "  " not in text
    )


def _constant(column: Sequence[str]) -> bool:
    """Is every cell the same text (a glance at nine cells first)?"""
    first, step = column[0], max(1, len(column) // 8)
    return all(first == cell for cell in column[::step]) and column.count(first) == len(column)


_Field = tuple[str, Sequence[str] | str | None, list[str] | None]
"""A note's field: its key, and the column when its cells go in as written (its one text
when every row has the same), else each row's encoded part (led by ``", "`` unless it is
the first field)."""


class NoteFields:
    """The notes of every row of a table, their JSON fields made a column at a time.

    A note (see :func:`_note`) keeps every non-empty cell of its row, trimmed, as
    ``"column": "text"`` in sorted order, with ``event_date``, ``event_type`` and
    ``sub_event_type`` as the reader read them (``days`` and ``types``, by row; None
    where the row did not read). A column whose every cell JSON writes as it is goes
    into the notes as written (a ``%`` template filled from each row's cells); any
    other has each distinct cell encoded once. Either way the text is the text of
    encoding each row's dict, at a fraction of the cost. Only rows that are one event
    as the file wrote them use it (a merged event's row is new); ``usable`` is False
    when the file has an ``undecided`` column, which the reader also writes.
    """

    def __init__(
        self,
        header: Sequence[str],
        columns: Sequence[Sequence[str]],
        *,
        days: Sequence[_dt.date | None],
        types: Sequence[tuple[str, str] | None],
    ) -> None:
        """``columns``: the rows' cells by column, each row padded to the header."""
        last = {name: number for number, name in enumerate(header)}  # as dict(zip()) keeps
        self.fields: list[_Field] = []
        set_by_reader: dict[str, list[str]] = {}
        for key in sorted({*last, *_SET_BY_READER} - {"notes"}):
            lead = ", " if self.fields else ""
            if key == "event_date":  # the first of the three (their keys sort so)
                set_by_reader = _set_by_reader(days, types, lead=lead)
            if key in _SET_BY_READER:
                self.fields.append((key, None, set_by_reader[key]))
            elif (column := columns[last[key]]) and _constant(column):
                if _as_written(column[:1]):  # the same in every row: its one text
                    self.fields.append((key, column[0], None))
                elif (encoded := _encoded_column(key, column, lead)) is not None:
                    self.fields.append((key, None, encoded))
            elif _as_written(column):
                self.fields.append((key, column, None))
            elif (encoded := _encoded_column(key, column, lead)) is not None:
                self.fields.append((key, None, encoded))  # None: an empty column adds nothing
        self.count = len(days)
        self.usable = "undecided" not in last
        self.cut = bisect.bisect([key for key, _, _ in self.fields], "undecided")

    def note(self, number: int, notes: str, undecided: str | None) -> str:
        """The note of row ``number`` (0 is the first row after the header)."""
        row = [
            f'{_encode_text(key)}: "{raw if raw.__class__ is str else raw[number]}"'
            if raw is not None
            else parts[number].removeprefix(", ")  # type: ignore[index]
            for key, raw, parts in self.fields
        ]
        extra = [] if undecided is None else ['"undecided": ' + _encode_text(undecided)]
        fields = ", ".join(filter(None, (*row[: self.cut], *extra, *row[self.cut :])))
        return f"ACLED {{{fields}}}\n{notes.strip()}".rstrip()

    def texts(self, notes: Sequence[str]) -> list[str]:
        """The note of every row (as :meth:`note` writes it, no row undecided), given the
        ``notes`` column: a template filled from each row's cells and parts."""
        template, args = ["ACLED {"], []
        for key, raw, parts in self.fields:
            if raw is not None:
                lead = ", " if len(template) > 1 else ""
                if raw.__class__ is str:  # the same in every row: in the template
                    template.append(f'{lead}{_encode_text(key)}: "{raw}"'.replace("%", "%%"))
                else:
                    template.append(lead + _encode_text(key).replace("%", "%%") + ': "%s"')
                    args.append(raw)
            else:
                template.append("%s")
                args.append(parts)  # type: ignore[arg-type]
        template.append("}")
        if _as_written(notes, json=False):
            template.append("\n%s")
            args.append(notes)
        elif any(notes):
            template.append("%s")
            args.append(["\n" + text if text else "" for text in map(str.strip, notes)])
        fill = "".join(template).__mod__
        done = list(map(fill, zip(*args, strict=True))) if args else [fill(())] * self.count
        first = self.fields[0] if self.fields else (None, (), None)
        if first[1] is None:  # rows without the first field: no ", " before their next
            for number in compress(range(self.count), map(operator.not_, first[2])):  # type: ignore[arg-type]
                if done[number].startswith(", ", 7):
                    done[number] = "ACLED {" + done[number][9:]
        return done


def _set_by_reader(
    days: Sequence[_dt.date | None], types: Sequence[tuple[str, str] | None], *, lead: str
) -> dict[str, list[str]]:
    """The encoded ``event_date``, ``event_type`` and ``sub_event_type`` of every row,
    each led by ``lead`` but ``event_date``, led by ``", "`` unless it is first."""
    dates = {
        day: "" if day is None else lead + '"event_date": ' + _encode_text(day.isoformat())
        for day in set(days)
    }
    kinds = {
        kind: ("", "")
        if kind is None
        else (
            ', "event_type": ' + _encode_text(kind[0]),
            ', "sub_event_type": ' + _encode_text(kind[1]),
        )
        for kind in set(types)
    }
    pairs = list(map(kinds.__getitem__, types))
    return {
        "event_date": list(map(dates.__getitem__, days)),
        "event_type": [pair[0] for pair in pairs],
        "sub_event_type": [pair[1] for pair in pairs],
    }


_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]+")


def claim_id(event_id: str) -> str:
    """The claim id of an ACLED ``event_id_cnty`` (trimmed and not empty).

    >>> claim_id("SYR1234"), claim_id("SYR 12/3")
    ('acled/SYR1234', 'acled/syr-12-3')
    """
    return f"acled/{event_id if _PLAIN_ID.fullmatch(event_id) else slug(event_id)}"


def _need(row: Mapping[str, str], name: str) -> str:
    value = row.get(name, "").strip()
    if not value:
        raise RowProblem(name, row.get(name), "required and empty")
    return value


class RowReader:
    """Reads merged rows of one file into claims (see the module docstring)."""

    def __init__(
        self,
        registries: Registries,
        *,
        layout: Layout,
        tz: str | None,
        day_first: bool,
        clock: ReportClock,
        now: pendulum.DateTime | None,
        actor_map: ActorMap | None,
        parse_date: Callable[[str, bool], _dt.date],
    ) -> None:
        self.layout, self.tz, self.day_first = layout, tz, day_first
        self.clock, self.now, self.parse_date = clock, now, parse_date
        self.zones = PlaceZones() if tz is None else None
        self.in_utc: Counter[str] = Counter()  # rows read in UTC for want of a zone, by country
        self.placer = Placer(registries, label="ACLED (geo_precision {})")
        self.known_actor = ActorMap.builtin().merged(actor_map).resolver(registries.actors)
        self.actor_kinds = {a.id: a.kind for a in registries.actors}
        self.actor_names = {a.id: (a.name, *a.aliases) for a in registries.actors}
        self.source_ids = {
            normalise_name(n): s.id for s in registries.sources for n in (s.id, s.name, *s.aliases)
        }
        self.made_actors: dict[str, Actor] = {}
        self.actors: dict[tuple[str, str], tuple[str, Actor | None]] = {}
        self.windows: dict[tuple[str, str, str, str], tuple[_dt.date, ValidTime]] = {}
        self.chains: dict[str, tuple[SourceChain, tuple[Source, ...]]] = {}
        # each distinct cell (or group of cells) read once: an export repeats most of them
        self.stamps: dict[str, pendulum.DateTime] = {}
        self.kinds: dict[tuple[str, str], tuple[str, str]] = {}
        self.geos: dict[str, str] = {}
        self.fatalities: dict[str, int] = {}
        self.places: dict[tuple[str, ...], tuple[str, tuple[Place, ...]]] = {}
        self.coded: dict[tuple[Any, ...], Decision | Open] = {}  # sides as the codes decide

    # -- the parts ----------------------------------------------------------------------

    def actor(self, name: str, inter: str) -> tuple[str, Actor | None]:
        key = (name, inter)
        if key not in self.actors:
            self.actors[key] = self._actor(name, inter)
        return self.actors[key]

    def _actor(self, name: str, inter: str) -> tuple[str, Actor | None]:
        known = self.known_actor(name)
        if known is not None:
            return known, None
        key = normalise_name(name)
        made = self.made_actors.get(key)
        if made is None:
            base, number, taken = slug(name), 1, set(self.actor_kinds)
            ids = {a.id for a in self.made_actors.values()} | taken
            id = base
            while id in ids:
                number += 1
                id = f"{base}-{number}"
            made = Actor(id=id, name=name, kind=_kind_of(name, inter))
            self.made_actors[key] = made
            self.actor_kinds[id] = made.kind
        return made.id, made

    def chain(self, text: str) -> tuple[SourceChain, tuple[Source, ...]]:
        if text not in self.chains:
            links: list[SourceLink] = []
            values: list[Source] = [ACLED_SOURCE]
            for name in (part.strip() for part in text.split(";")):
                if not name:
                    continue
                id = self.source_ids.get(normalise_name(name))
                if id is None:
                    value = Source(id=self._source_id(name), name=name, kind=SourceKind.NEWSPAPER)
                    self.source_ids[normalise_name(name)] = id = value.id
                    values.append(value)
                if id not in (link.source for link in links):
                    links.append(SourceLink(source=id, role=SourceRole.ORIGIN))
            role = SourceRole.PUBLISHER if links else SourceRole.ORIGIN
            links.append(SourceLink(source=ACLED_SOURCE.id, role=role))
            self.chains[text] = (SourceChain(links=links), tuple(values))
        return self.chains[text]

    def _source_id(self, name: str) -> str:
        taken = set(self.source_ids.values())
        base, number, id = slug(name), 1, slug(name)
        while id in taken:
            number += 1
            id = f"{base}-{number}"
        return id

    def zone_of(self, key: PlaceKey) -> str | None:
        """The zone a row's day is read in, given its (``iso``, ``country``, ``admin1``,
        ``latitude``, ``longitude``) cells: the import's ``tz`` if given, else the zone
        of the row's place (:mod:`.acled_zones`); None when it has none (read in UTC)."""
        return self.tz if self.zones is None else self.zones.zone(key)

    def zone(self, row: Mapping[str, str]) -> str | None:
        """:meth:`zone_of` the row's cells."""
        get = row.get
        return self.zone_of(
            (
                get("iso", ""),
                get("country", ""),
                get("admin1", ""),
                get("latitude", ""),
                get("longitude", ""),
            )
        )

    def count_in_utc(self, iso: str, country: str) -> None:
        """Count a row of this country read in UTC for want of a zone (the report says)."""
        self.in_utc[country_label(iso, country)] += 1

    def window(self, row: Mapping[str, str], zone: str) -> tuple[_dt.date, ValidTime]:
        return self.window_of(
            (row.get("event_date", ""), row.get("year", ""), row.get("time_precision", ""), zone)
        )

    def window_of(self, key: tuple[str, str, str, str]) -> tuple[_dt.date, ValidTime]:
        """The day and window of (``event_date``, ``year``, ``time_precision``) cells read
        in a zone."""
        found = self.windows.get(key)
        if found is None:  # an export has a few thousand distinct dates: read each once
            found = self.windows[key] = self._window(*key)
        return found

    def _window(
        self, date: str, year: str, precision_text: str, zone: str
    ) -> tuple[_dt.date, ValidTime]:
        text = date.strip()
        if not text:
            raise RowProblem("event_date", date, "required and empty")
        try:
            day = self.parse_date(text, self.day_first)
        except ValueError as error:
            raise RowProblem("event_date", text, str(error)) from None
        year = year.strip().removesuffix(".0")
        if year.isdigit() and int(year) != day.year:
            raise RowProblem(
                "event_date",
                text,
                f"the date's year disagrees with year={year}; is it month-first? "
                "(pass day_first=False for US spreadsheets)",
            )
        precision = whole_number(precision_text, "time_precision", default="1")
        try:
            return day, _window(day, precision, zone)
        except ValueError as error:
            raise RowProblem("time_precision", precision, str(error)) from None

    def reported(self, row: Mapping[str, str], valid: ValidTime) -> pendulum.DateTime:
        if self.clock is ReportClock.IMPORT and self.now is not None:
            return max(self.now, valid.start)
        text = row.get("timestamp", "")
        if self.clock is ReportClock.EVENT:
            return valid.end
        return self.reported_from(self.stamp(text), valid)

    def stamp(self, text: str) -> pendulum.DateTime | None:
        """ACLED's ``timestamp`` cell, None when empty (each distinct text read once)."""
        found = self.stamps.get(text)
        if found is None:
            if not text.strip():
                return None
            found = self.stamps[text] = read_stamp(text.strip())
        return found

    def reported_from(self, stamp: pendulum.DateTime | None, valid: ValidTime) -> pendulum.DateTime:
        """When the claim counts as known, given the row's timestamp (None: empty)."""
        if self.clock is ReportClock.IMPORT and self.now is not None:
            return max(self.now, valid.start)
        if self.clock is ReportClock.EVENT or stamp is None:
            return valid.end
        return valid.start if valid.start > stamp else stamp  # as max(stamp, start)

    def types(self, row: Mapping[str, str]) -> tuple[str, str]:
        key = (row.get("event_type", ""), row.get("sub_event_type", ""))
        found = self.kinds.get(key)
        if found is None:
            found = self.kinds[key] = canonical_types(_need(row, "event_type"), key[1])
        return found

    def types_of(self, key: tuple[str, str]) -> tuple[str, str]:
        """The current (event type, sub-event type) of the cells (raises when no type)."""
        found = self.kinds.get(key)
        if found is None:
            if not key[0].strip():
                raise RowProblem("event_type", key[0], "required and empty")
            found = self.kinds[key] = canonical_types(key[0].strip(), key[1])
        return found

    def geo(self, text: str) -> str:
        found = self.geos.get(text)
        if found is None:
            found = str(whole_number(text, "geo_precision", default="1"))
            if found not in ("1", "2", "3"):
                raise RowProblem("geo_precision", found, "geo_precision is 1, 2 or 3")
            self.geos[text] = found
        return found

    def deaths(self, text: str) -> int:
        found = self.fatalities.get(text)
        if found is None:
            found = self.fatalities[text] = whole_number(text, "fatalities", default="0")
        return found

    def place(self, row: Mapping[str, str], geo: str) -> tuple[str, tuple[Place, ...]]:
        get = row.get
        key = (
            get("location", ""),
            get("country", ""),
            get("admin1", ""),
            get("latitude", ""),
            get("longitude", ""),
            geo,
        )
        found = self.places.get(key)
        if found is None:
            _need(row, "location")
            found = self.place_at(key, row.get("location"))
        return found

    def place_at(self, key: tuple[str, ...], cell: Any) -> tuple[str, tuple[Place, ...]]:
        """The place of (location, country, admin1, latitude, longitude, geo) cells, and
        the new places it needs; ``cell`` is the location as the row has it (or None)."""
        found = self.places.get(key)
        if found is None:
            location = key[0].strip()
            if not location:
                raise RowProblem("location", cell, "required and empty")
            try:
                found = self.placer.place(
                    location=location,
                    country=key[1],
                    admin1=key[2],
                    lat=key[3],
                    lon=key[4],
                    geo=key[5],
                )
            except ValueError as error:
                raise RowProblem("location", cell, str(error)) from None
            self.places[key] = found
        return found

    # -- the claim ----------------------------------------------------------------------

    def read(
        self, row: Mapping[str, str]
    ) -> tuple[Claim, tuple[Place | Actor | Source, ...], str | None]:
        """The claim of one event row, the values it needs, and why it is undecided (or None)."""
        get = row.get
        event_id = _need(row, "event_id_cnty")
        zone = self.zone(row)
        day, valid = self.window(row, "UTC" if zone is None else zone)
        types = self.types(row)
        geo = self.geo(get("geo_precision", ""))
        place, places = self.place(row, geo)
        name1, name2 = _need(row, "actor1"), get("actor2", "").strip()
        actor1, made1 = self.actor(name1, get("inter1", ""))
        actor2, made2 = self.actor(name2, get("inter2", "")) if name2 else (None, None)
        deaths = self.deaths(get("fatalities", ""))
        chain, sources = self.chain(get("source", ""))
        event, undecided = self.event(row, types, place, (actor1, actor2), geo, deaths)
        claim = Claim(
            id=claim_id(event_id),
            event=event,
            valid=valid,
            reported_at=self.reported(row, valid),
            source=chain,
            modality=Modality.ASSERTED,
            note=_note(row, day, types, {} if undecided is None else {"undecided": undecided}),
        )
        if zone is None:
            self.count_in_utc(get("iso", ""), get("country", ""))
        if made1 is None and made2 is None:
            return claim, (*sources, *places), undecided
        made = tuple(v for v in (made1, made2) if v is not None)
        return claim, (*sources, *places, *made), undecided

    def event(
        self,
        row: Mapping[str, str],
        types: tuple[str, str],
        place: str,
        actors: tuple[str, str | None],
        geo: str,
        deaths: int,
    ) -> tuple[Event, str | None]:
        actor1, actor2 = actors
        sub = types[1]
        if sub not in TERRITORIAL_SUB_EVENTS:
            return self.dataset_event(types, place, actors, deaths), None
        decision = self.decide(row, sub, actors)
        if decision.gainer is None:
            return self.dataset_event(types, place, actors, deaths), decision.reason
        gainer, loser = (actor1, actor2) if decision.gainer == 1 else (actor2, actor1)
        assert gainer is not None
        near = geo in ("2", "3")  # a claim near the town, not a hold of the town itself
        extent = Extent.SOME if near else Extent.ALL
        if sub == "Headquarters or base established":
            return Holds(place=place, actor=gainer, extent=Extent.SOME), None
        if sub == "Non-violent transfer of territory" and loser is not None and not near:
            return HandedOver(place=place, from_actor=loser, to_actor=gainer), None
        verb = ControlVerb.REGAINED if sub == "Government regains territory" else ControlVerb.TOOK
        return Captured(place=place, actor=gainer, verb=verb, from_actor=loser, extent=extent), None

    def decide(self, row: Mapping[str, str], sub: str, actors: tuple[str, str | None]) -> Decision:
        """Who gained (see :func:`.acled_sides.decide`); what the codes settle is kept by
        the row's sides, only the notes are read again for each row."""
        get = row.get
        key = (
            sub,
            actors,
            get("actor1", "").strip(),
            get("inter1", ""),
            get("actor2", "").strip(),
            get("inter2", ""),
            bool(get("disorder_type", "").strip()),
        )
        coded = self.coded.get(key)
        if coded is None:
            coded = self.coded[key] = self._by_codes(key)
        if coded.__class__ is Decision:
            return coded
        return by_notes(coded, get("notes", ""))  # type: ignore[arg-type]

    def _by_codes(self, key: tuple[Any, ...]) -> Decision | Open:
        sub, (actor1, actor2), name1, inter1, name2, inter2, gains = key

        def side(name: str, inter: str, actor: str) -> Side:
            kind = self.actor_kinds.get(actor)
            state = (
                None
                if kind is None or kind is ActorKind.UNIDENTIFIED
                else kind in (ActorKind.GOVERNMENT, ActorKind.STATE)
            )
            return Side(name, inter, (actor, *self.actor_names.get(actor, ())), state)

        return by_codes(
            sub,
            side(name1, inter1, actor1),
            None if actor2 is None else side(name2, inter2, actor2),
            # rows of the 2022 codebook on (which fills disorder_type) put the gainer first
            actor1_gains=gains,
        )

    @staticmethod
    def dataset_event(
        types: tuple[str, str], place: str, actors: tuple[str, str | None], deaths: int
    ) -> Event:
        return DatasetEvent(
            dataset="acled",
            event_type=types[0],
            sub_event_type=types[1],
            place=place,
            actor=actors[0],
            other_actor=actors[1],
            fatalities=deaths,
        )
