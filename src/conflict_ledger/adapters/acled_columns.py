"""A wide ACLED export read a column at a time: the same claims as row by row, faster.

Most of an export repeats: a few thousand dates, places and actor pairs, a handful of
types and precisions. :func:`read_wide` reads each distinct cell of the columns that
need no registry (dates with ``year`` and ``time_precision``, types, ``geo_precision``,
``fatalities``, ``timestamp``) once, makes whole-second timestamps with numpy at once,
sorts ids of letters and digits with numpy, writes the round-trip notes a column at a
time (:class:`~.acled_claims.NoteFields`), and then makes each event's claim and
candidate from what is known. Places, actors and source lists are looked up, or made,
through the :class:`~.acled_claims.RowReader` in event order and in the order its
``read`` asks for them, so new ids are numbered as before and their errors are the same. A row takes the
row-by-row path of ``RowReader.read`` (the code as before, with its typed errors) when
one of its cells does not read, and so does an event merged from several rows (a
repeated ``event_id_cnty``). Tests (``tests/test_acled_columns.py``) hold both ways to
the same ledger, ``tests/test_acled_fast_paths.py`` each numpy shortcut to the function it
stands for, and ``benchmarks/check_import_same.py`` compares with another checkout.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from itertools import repeat
from typing import Any, TypeVar

import attrs
import numpy as np
import pendulum

from conflict_ledger.adapters.acled_claims import (
    TERRITORIAL_SUB_EVENTS,
    NoteFields,
    ReportClock,
    RowReader,
    claim_id,
)
from conflict_ledger.adapters.acled_rows import Merged, event_order, merge_events
from conflict_ledger.adapters.acled_zones import country_label
from conflict_ledger.adapters.dataset import DatasetEvent
from conflict_ledger.adapters.rows import Candidate, RowProblem
from conflict_ledger.claims import Claim
from conflict_ledger.errors import LedgerError
from conflict_ledger.events import Event
from conflict_ledger.registry import Actor, Place, Source
from conflict_ledger.time import ValidTime

__all__ = ["WIDE_NEEDS", "Found", "Read", "read_wide", "sorted_by_id"]

WIDE_NEEDS = ("event_id_cnty", "event_date", "event_type", "location", "actor1")
"""The columns a file needs for :func:`read_wide` (others are read row by row)."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Read = tuple[Claim, tuple[Place | Actor | Source, ...], str | None]
"""A claim, the values it needs, and why it is undecided (or None)."""


@attrs.define
class _Failed:
    """A distinct cell that did not read: its row goes the row-by-row way."""

    error: Exception


def _each_distinct(keys: Sequence[K], read: Callable[[K], V]) -> tuple[list[V], set[int]]:
    """``read`` of each row's key, each distinct key read once, and the rows it failed."""
    found: dict[K, Any] = {}
    for key in dict.fromkeys(keys):
        try:
            found[key] = read(key)
        except (RowProblem, LedgerError, ValueError) as error:
            found[key] = _Failed(error)
    failed = {k for k, v in found.items() if v.__class__ is _Failed}
    rows = {number for number, key in enumerate(keys) if key in failed} if failed else set()
    return list(map(found.__getitem__, keys)), rows


class _Columns:
    """The file's cells by column (canonical names), each row padded to the header."""

    def __init__(self, header: Sequence[str], rows: Sequence[list[str]]) -> None:
        self.header, self.width, self.count = list(header), len(header), len(rows)
        self.rows = rows
        if min(map(len, rows), default=self.width) >= self.width:  # none short: as they are
            self.columns = list(zip(*rows, strict=False))
        else:
            padded = (
                v if len(v) >= self.width else [*v, *[""] * (self.width - len(v))] for v in rows
            )
            self.columns = list(zip(*padded, strict=False))
        self.last = {name: number for number, name in enumerate(header)}

    def __getitem__(self, name: str) -> Sequence[str]:
        number = self.last.get(name)
        return ("",) * self.count if number is None else self.columns[number]

    def row(self, number: int) -> dict[str, str]:
        """Row ``number`` as the row-by-row reader takes it."""
        values = self.rows[number]
        if len(values) < self.width:
            values = values + [""] * (self.width - len(values))
        return dict(zip(self.header, values, strict=False))


_SIMPLE_IDS = re.compile(r"(?:[A-Za-z]*[0-9]{1,18}\n)*")
_SIMPLE_ID = re.compile(r"([A-Za-z]*)([0-9]+)\n")


@functools.lru_cache(maxsize=16)
def _one_head(head: str) -> re.Pattern[str]:
    """Lines of ``head`` (letters) and a number each (no match if head has others)."""
    plain = not head or (head.isascii() and head.isalpha())
    letters = head if plain else "(?!)"  # (?!): no line matches
    return re.compile(rf"(?:{letters}[0-9]{{1,18}}\n)*")


def sorted_by_id(ids: Sequence[str]) -> list[int]:
    """The positions of ``ids`` sorted by :func:`event_order`, equal keys in place.

    Ids of letters then digits (``SYR1234``, as ACLED writes them) are sorted by numpy
    on (letters, number); others by ``event_order`` itself.

    >>> sorted_by_id(["SYR10", "SYR2", "IRQ7", "SYR02"])
    [2, 1, 3, 0]
    """
    joined = "\n".join(ids) + "\n"
    head = ids[0].rstrip("0123456789") if ids else ""
    if joined.count("\n") == len(ids) and _one_head(head).fullmatch(joined):  # one country
        numbers = np.array(joined.replace(head, "").split(), dtype=np.int64)
        return list(np.argsort(numbers, kind="stable").tolist())
    if joined.count("\n") != len(ids) or not _SIMPLE_IDS.fullmatch(joined):
        return sorted(range(len(ids)), key=lambda n: event_order(ids[n]))
    heads, digits = zip(*_SIMPLE_ID.findall(joined), strict=True)
    numbers = np.array(digits, dtype=np.int64)
    order = np.argsort(numbers, kind="stable")
    names = sorted(set(heads))
    if len(names) > 1:
        codes = np.array(list(map({h: n for n, h in enumerate(names)}.__getitem__, heads)))
        order = order[np.argsort(codes[order], kind="stable")]
    return list(order.tolist())


def _order(
    ids: list[str], lines: Sequence[int], columns: _Columns
) -> tuple[list[int | Merged], Any, list[str]]:
    """The events in the order :func:`merge_events` gives them: rows without an id first,
    then by id; a row whose id is its own is its number, others are merged events."""
    if len(set(ids)) == len(ids) and all(ids):  # each row its own event
        return [*sorted_by_id(ids)], [], []
    counts = Counter(ids)  # in the order ids first appear, as merge_events groups them
    shared = [n for n, i in enumerate(ids) if counts[i] > 1 or not i]
    merged, problems, duplicates = merge_events(
        ((lines[n], columns.row(n)) for n in shared), long=False
    )
    by_id: dict[str, Merged] = {}
    alone: list[int | Merged] = []
    for event in merged:
        key = event.row.get("event_id_cnty", "").strip()
        if key:
            by_id[key] = event
        else:
            alone.append(event)
    own = {i: n for n, i in enumerate(ids) if counts[i] == 1}
    order: list[int | Merged] = alone
    distinct = [i for i in counts if i]
    for event_id in map(distinct.__getitem__, sorted_by_id(distinct)):
        if event_id in own:
            order.append(own[event_id])
        elif event_id in by_id:
            order.append(by_id[event_id])
    return order, problems, duplicates


@attrs.define
class Found:
    """What the events of a file gave, in event order: candidates, the claim ids of the
    undecided among them, and each rejected event's first line and error."""

    candidates: list[Candidate] = attrs.Factory(list)
    undecided: list[str] = attrs.Factory(list)
    errors: list[tuple[int, Exception]] = attrs.Factory(list)

    def add(self, lines: tuple[int, ...], read: Read | Exception) -> None:
        """Add one event's claim (with its values and why it is undecided) or error."""
        if read.__class__ is tuple:
            claim, values, why = read
            self.candidates.append(Candidate(line=lines[0], claim=claim, values=values))
            if why is not None:
                self.undecided.append(claim.id)
        else:
            self.errors.append((lines[0], read))  # type: ignore[arg-type]


def read_wide(
    header: Sequence[str],
    lines: Sequence[int],
    rows: Sequence[list[str]],
    reader: RowReader,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Found, Any, list[str]]:
    """Every event of a wide file read, in event order (see :class:`Found`); then the
    rejected groups and the duplicates noted."""
    columns = _Columns(header, rows)
    ids = list(map(str.strip, columns["event_id_cnty"]))
    order, problems, duplicates = _order(ids, lines, columns)
    fast = _Fast(columns, reader, ids, lines)
    found = Found()
    total = len(order)
    for start in range(0, total, _CHUNK):
        fast.read(order[start : start + _CHUNK], found)
        if progress is not None:
            progress(min(start + _CHUNK, total), total)
    return found, problems, duplicates


_CHUNK = 5000  # events read between two calls of ``progress``


def _claim_ids(ids: list[str]) -> list[str]:
    """The claim id of each row's (trimmed) ``event_id_cnty``; "" where it is empty."""
    joined = "\n".join(ids)
    if all(ids) and joined.count("\n") == len(ids) - 1 and _PLAIN_IDS.fullmatch(joined):
        return list(map("acled/".__add__, ids))  # claim_id of a plain id, for every row
    return [claim_id(i) if i else "" for i in ids]


_PLAIN_IDS = re.compile(r"[A-Za-z0-9._\n-]*")


def _stamps(column: Sequence[str], reader: RowReader) -> tuple[list[Any], set[int]]:
    """``reader.stamp`` of each cell (as :func:`_each_distinct`); whole seconds since
    1970 (all of them, in an export as ACLED writes it) are made by numpy at once."""
    distinct = list(dict.fromkeys(column))
    flat = "".join(distinct)
    if not (all(distinct) and flat.isascii() and flat.isdigit()) or max(map(len, distinct)) > 11:
        return _each_distinct(column, reader.stamp)
    seconds = np.array(distinct, dtype=np.int64)
    days = seconds // 86400
    dates = days.astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    parts = (
        dates.astype("datetime64[Y]").astype(np.int64) + 1970,
        months.astype(np.int64) % 12 + 1,
        (dates - months).astype(np.int64) + 1,
        (seconds - days * 86400) // 3600,
        (seconds // 60) % 60,
        seconds % 60,
    )
    made = map(pendulum.DateTime, *(part.tolist() for part in parts), repeat(0), repeat(_UTC))
    if len(distinct) == len(column):  # each row its own: in the column's order
        return list(made), set()
    found = dict(zip(distinct, made, strict=True))  # as read_stamp makes them
    return list(map(found.__getitem__, column)), set()


_UTC = pendulum.UTC


def _zones(columns: _Columns, reader: RowReader) -> tuple[Sequence[str], dict[int, str]]:
    """Each row's zone (as ``reader.zone_of`` gives it, "UTC" where it gives none) and
    the rows read in UTC for want of a zone, with the country the report names."""
    count, zones = columns.count, reader.zones
    if zones is None:  # the import's own zone, for every row
        return [reader.tz or "UTC"] * count, {}
    iso, country = columns["iso"], columns["country"]
    if count and iso.count(iso[0]) == count and country.count(country[0]) == count:
        one = zones.single(iso[0], country[0])  # one country of one zone: no need to look
        if one is not None:
            return [one] * count, {}
    admin1, lat, lon = columns["admin1"], columns["latitude"], columns["longitude"]
    places = list(zip(iso, country, admin1, lat, lon, strict=True))
    found, _ = _each_distinct(places, reader.zone_of)
    if None not in found:
        return found, {}  # type: ignore[return-value]  # no None: every one a str
    in_utc = {n: country_label(iso[n], country[n]) for n, z in enumerate(found) if z is None}
    return ["UTC" if z is None else z for z in found], in_utc


_Actor = tuple[Any, Actor | None, tuple[Actor, ...]]
"""An actor's id (None: no actor), the Actor to register if new, and that as a tuple."""


class _Fast:
    """The claims of rows whose cells all read, from what each column gave (see the module
    docstring)."""

    def __init__(
        self, columns: _Columns, reader: RowReader, ids: list[str], lines: Sequence[int]
    ) -> None:
        self.reader, self.columns, self.lines = reader, columns, lines
        zones, self.in_utc = _zones(columns, reader)
        dates, years = columns["event_date"], columns["year"]
        windows, bad = _each_distinct(
            list(zip(dates, years, columns["time_precision"], zones, strict=True)),
            reader.window_of,
        )
        self.kinds, more = _each_distinct(
            list(zip(columns["event_type"], columns["sub_event_type"], strict=True)),
            reader.types_of,
        )
        bad |= more
        self.geos, more = _each_distinct(columns["geo_precision"], reader.geo)
        bad |= more
        self.deaths, more = _each_distinct(columns["fatalities"], reader.deaths)
        bad |= more
        stamps: list[Any] = [None] * columns.count
        if reader.clock is ReportClock.REVISION or (
            reader.clock is ReportClock.IMPORT and reader.now is None
        ):  # the clocks that read ACLED's timestamp (see RowReader.reported)
            stamps, more = _stamps(columns["timestamp"], reader)
            bad |= more
        notes = NoteFields(
            columns.header,
            columns.columns,
            days=[w[0] if w.__class__ is tuple else None for w in windows],
            types=[k if k.__class__ is tuple else None for k in self.kinds],
        )
        self.slow = set(range(columns.count)) if not notes.usable else bad
        self.notes, self.text = notes, columns["notes"]
        self.texts = notes.texts(self.text) if notes.usable else []
        self.ids = _claim_ids(ids)
        self.valids: list[Any] = [w[1] if w.__class__ is tuple else None for w in windows]
        self.reported = _reported(reader, stamps, self.valids)
        self.places = list(
            zip(
                columns["location"],
                columns["country"],
                columns["admin1"],
                columns["latitude"],
                columns["longitude"],
                self.geos,
                strict=True,
            )
        )
        self.actor1, self.inter1 = columns["actor1"], columns["inter1"]
        self.actor2, self.inter2 = columns["actor2"], columns["inter2"]
        self.source = columns["source"]
        self.actors1: dict[tuple[str, str], _Actor] = {}
        self.actors2: dict[tuple[str, str], _Actor] = {}

    def read(self, items: Sequence[int | Merged], found: Found) -> None:
        """Read ``items`` (row numbers and merged events) into ``found``, in order.

        A row whose cells all read is made here: its place, actors and sources looked up
        (or made) in the order :meth:`RowReader.read` does, raising the errors it raises;
        any other event is read by ``RowReader.read``.
        """
        reader, slow, places, kinds = self.reader, self.slow, self.places, self.kinds
        place_of, chain_of = reader.places.get, reader.chains.get
        actors1, actors2 = self.actors1.get, self.actors2.get
        a1, i1, a2, i2, source = self.actor1, self.inter1, self.actor2, self.inter2, self.source
        candidates, asserted, lines = found.candidates, Claim.asserted, self.lines
        ids, valids, reported, texts, deaths = (
            self.ids,
            self.valids,
            self.reported,
            self.texts,
            self.deaths,
        )
        in_utc = self.in_utc
        for item in items:
            if item.__class__ is not int or item in slow:
                self._slowly(item, found)
                continue
            number: int = item
            try:
                where = places[number]
                place = place_of(where) or reader.place_at(where, where[0])
                key1 = (a1[number], i1[number])
                actor1 = actors1(key1) or self._actor1(key1)
                key2 = (a2[number], i2[number])
                actor2 = actors2(key2) or self._actor2(key2)
                chain = chain_of(source[number]) or reader.chain(source[number])
            except (RowProblem, LedgerError) as error:
                found.errors.append((lines[number], error))
                continue
            types = kinds[number]
            try:
                if types[1] in TERRITORIAL_SUB_EVENTS:  # the sides need the whole row
                    event, note, why = self._territorial(number, types, place[0], actor1, actor2)
                else:
                    event, note, why = (
                        DatasetEvent(
                            dataset="acled",
                            event_type=types[0],
                            sub_event_type=types[1],
                            place=place[0],
                            actor=actor1[0],
                            other_actor=actor2[0],
                            fatalities=deaths[number],
                        ),
                        texts[number],
                        None,
                    )
                claim = asserted(
                    id=ids[number],
                    event=event,
                    valid=valids[number],
                    reported_at=reported[number],
                    source=chain[0],
                    note=note,
                )
            except LedgerError:  # pure so far: the row-by-row reader raises the same error
                self._slowly(number, found)
                continue
            values: tuple[Place | Actor | Source, ...] = (
                *chain[1],
                *place[1],
                *actor1[2],
                *actor2[2],
            )
            candidates.append(Candidate(line=lines[number], claim=claim, values=values))
            if why is not None:
                found.undecided.append(claim.id)
            if in_utc and number in in_utc:
                reader.in_utc[in_utc[number]] += 1

    def _slowly(self, item: int | Merged, found: Found) -> None:
        """Read one event as ``RowReader.read`` reads it."""
        if isinstance(item, Merged):
            where, row = item.lines, item.row
        else:
            where, row = (self.lines[item],), self.columns.row(item)
        try:
            found.add(where, self.reader.read(row))
        except (RowProblem, LedgerError) as error:
            found.add(where, error)

    def _actor1(self, key: tuple[str, str]) -> _Actor:
        """The actor of (``actor1``, ``inter1``) cells, as ``RowReader.actor`` gives it,
        and the new actor to register as a tuple (empty when known)."""
        name = key[0].strip()
        if not name:
            raise RowProblem("actor1", key[0], "required and empty")
        id, made = self.reader.actor(name, key[1])
        found = self.actors1[key] = (id, made, () if made is None else (made,))
        return found

    def _actor2(self, key: tuple[str, str]) -> _Actor:
        """As :meth:`_actor1`, for ``actor2`` (which may be empty: no actor)."""
        name = key[0].strip()
        id, made = self.reader.actor(name, key[1]) if name else (None, None)
        found = self.actors2[key] = (id, made, () if made is None else (made,))
        return found

    def _territorial(
        self,
        number: int,
        types: tuple[str, str],
        place: str,
        actor1: _Actor,
        actor2: _Actor,
    ) -> tuple[Event, str, str | None]:
        """The event of a territorial row (its sides decided), its note and why undecided."""
        event, why = self.reader.event(
            self.columns.row(number),
            types,
            place,
            (actor1[0], actor2[0]),
            self.geos[number],
            self.deaths[number],
        )
        if why is None:
            return event, self.texts[number], None
        return event, self.notes.note(number, self.text[number], why), why


def _reported(reader: RowReader, stamps: list[Any], valids: list[ValidTime | None]) -> list[Any]:
    """Each row's ``reported_at`` as ``reader.reported_from`` gives it (None for a bad row)."""
    if reader.clock is ReportClock.EVENT or (
        reader.clock is ReportClock.IMPORT and reader.now is not None
    ):
        return [None if v is None else reader.reported_from(None, v) for v in valids]
    return [  # the timestamp, or the window's start if later, or its end when there is none
        None
        if valid is None or stamp.__class__ is _Failed
        else valid.end
        if stamp is None
        else valid.start
        if valid.start > stamp
        else stamp
        for stamp, valid in zip(stamps, valids, strict=True)
    ]
