"""A wide ACLED export read a column at a time: the same claims as row by row, faster.

Most of an export repeats: a few thousand dates, places and actor pairs, a handful of
types and precisions. :func:`read_wide` reads each distinct cell of the columns that
need no registry (dates with ``year`` and ``time_precision``, types, ``geo_precision``,
``fatalities``, ``timestamp``) once, encodes the round-trip note's fields a column at a
time (:class:`~.acled_claims.NoteFields`), and then makes each event's claim from what
is known. Places, actors and source lists are looked up, or made, through the
:class:`~.acled_claims.RowReader` in event order and in the order its ``read`` asks for
them, so new ids are numbered as before and their errors are the same. A row takes the
row-by-row path of ``RowReader.read`` (the code as before, with its typed errors) when
one of its cells does not read, and so does an event merged from several rows (a
repeated ``event_id_cnty``). Tests (``tests/test_acled_columns.py``) hold both ways to
the same ledger, and ``benchmarks/check_import_same.py`` compares with another checkout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import attrs

from conflict_ledger.adapters.acled_claims import (
    TERRITORIAL_SUB_EVENTS,
    NoteFields,
    ReportClock,
    RowReader,
    claim_id,
)
from conflict_ledger.adapters.acled_rows import Merged, event_order, merge_events
from conflict_ledger.adapters.rows import RowProblem
from conflict_ledger.claims import Claim
from conflict_ledger.errors import LedgerError
from conflict_ledger.registry import Actor, Place, Source

__all__ = ["WIDE_NEEDS", "Read", "read_wide"]

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
        padded = (v if len(v) >= self.width else [*v, *[""] * (self.width - len(v))] for v in rows)
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


def _order(
    ids: list[str], lines: Sequence[int], columns: _Columns
) -> tuple[list[int | Merged], Any, list[str]]:
    """The events in the order :func:`merge_events` gives them: rows without an id first,
    then by id; a row whose id is its own is its number, others are merged events."""
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
    for event_id in sorted((i for i in counts if i), key=event_order):
        if event_id in own:
            order.append(own[event_id])
        elif event_id in by_id:
            order.append(by_id[event_id])
    return order, problems, duplicates


def read_wide(
    header: Sequence[str],
    lines: Sequence[int],
    rows: Sequence[list[str]],
    reader: RowReader,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[tuple[tuple[int, ...], Read | Exception]], Any, list[str]]:
    """Every event of a wide file: its lines and what reading it gave (a claim or the
    error), in event order; then the rejected groups and the duplicates noted."""
    columns = _Columns(header, rows)
    ids = list(map(str.strip, columns["event_id_cnty"]))
    order, problems, duplicates = _order(ids, lines, columns)
    fast = _Fast(columns, reader)
    done: list[tuple[tuple[int, ...], Read | Exception]] = []
    total = len(order)
    for count, item in enumerate(order, start=1):
        if progress is not None and (count % 5000 == 0 or count == total):
            progress(count, total)
        where = (lines[item],) if item.__class__ is int else item.lines  # type: ignore[union-attr]
        try:
            if item.__class__ is int:
                read = fast.read(item, ids[item]) or reader.read(columns.row(item))
            else:
                read = reader.read(item.row)  # type: ignore[union-attr]
        except (RowProblem, LedgerError) as error:
            done.append((where, error))
            continue
        done.append((where, read))
    return done, problems, duplicates


class _Fast:
    """The claims of rows whose cells all read, from what each column gave (see the module
    docstring)."""

    def __init__(self, columns: _Columns, reader: RowReader) -> None:
        self.reader, self.columns = reader, columns
        self.windows, bad = _each_distinct(
            list(
                zip(columns["event_date"], columns["year"], columns["time_precision"], strict=True)
            ),
            reader.window_of,
        )
        self.kinds, more = _each_distinct(
            list(zip(columns["event_type"], columns["sub_event_type"], strict=True)),
            reader.types_of,
        )
        bad |= more
        geos, more = _each_distinct(columns["geo_precision"], reader.geo)
        bad |= more
        self.deaths, more = _each_distinct(columns["fatalities"], reader.deaths)
        bad |= more
        self.stamps: list[Any] = [None] * columns.count
        if reader.clock is ReportClock.REVISION or (
            reader.clock is ReportClock.IMPORT and reader.now is None
        ):  # the clocks that read ACLED's timestamp (see RowReader.reported)
            self.stamps, more = _each_distinct(columns["timestamp"], reader.stamp)
            bad |= more
        self.bad = bad
        self.notes = NoteFields(
            columns.header,
            columns.columns,
            days=[w[0] if w.__class__ is tuple else None for w in self.windows],
            types=[k if k.__class__ is tuple else None for k in self.kinds],
        )
        self.places = list(
            zip(
                columns["location"],
                columns["country"],
                columns["admin1"],
                columns["latitude"],
                columns["longitude"],
                geos,
                strict=True,
            )
        )
        self.actor1, self.inter1 = columns["actor1"], columns["inter1"]
        self.actor2, self.inter2 = columns["actor2"], columns["inter2"]
        self.source, self.text = columns["source"], columns["notes"]

    def read(self, number: int, event_id: str) -> Read | None:
        """The claim of row ``number`` whose cells all read, or None: read it row by row.

        Places, actors and sources are looked up (or made) in the order
        :meth:`RowReader.read` does, raising the errors it raises.
        """
        reader = self.reader
        if not self.notes.usable or not event_id or number in self.bad:
            return None
        where = self.places[number]
        place = reader.places.get(where) or reader.place_at(where, where[0])
        name1 = self.actor1[number].strip()
        if not name1:
            raise RowProblem("actor1", self.actor1[number], "required and empty")
        actor1 = reader.actor(name1, self.inter1[number])
        name2 = self.actor2[number].strip()
        actor2 = reader.actor(name2, self.inter2[number]) if name2 else (None, None)
        chain = reader.chains.get(self.source[number]) or reader.chain(self.source[number])
        valid = self.windows[number][1]
        types, actors = self.kinds[number], (actor1[0], actor2[0])
        try:
            if types[1] in TERRITORIAL_SUB_EVENTS:  # the sides need the whole row
                row = self.columns.row(number)
                event, why = reader.event(
                    row, types, place[0], actors, where[5], self.deaths[number]
                )
            else:
                event, why = (
                    reader.dataset_event(types, place[0], actors, self.deaths[number]),
                    None,
                )
            claim = Claim.asserted(
                id=claim_id(event_id),
                event=event,
                valid=valid,
                reported_at=reader.reported_from(self.stamps[number], valid),
                source=chain[0],
                note=self.notes.note(number, self.text[number], why),
            )
        except LedgerError:
            return None  # pure so far: the row-by-row reader raises the same error
        if actor1[1] is None and actor2[1] is None:
            return claim, (*chain[1], *place[1]), why
        made = [v for v in (actor1[1], actor2[1]) if v is not None]
        return claim, (*chain[1], *place[1], *made), why
