"""Every place's state at one time as columns (private; ``AsOfIndex.table`` uses it).

A :class:`Sweep` answers tables at instants in increasing order, as known at one time.
It keeps every place's row (:mod:`conflict_ledger.engine._rows`) in numpy columns, one
entry a place in place order: the first table reads one row a place (found with one
bisection, no fold), and each later one rereads only the places with a claim begun
since the one before, then takes the places that count (the holder column says which).
A row whose change is still in progress at the instant asked has its status and
contenders read off its frozen state (:func:`~conflict_ledger.engine._fastfold.status_at`);
``unconfirmed_for`` is one subtraction over the column. No ``PlaceState``, no ``Side``,
no ``timedelta`` a place.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from contextlib import nullcontext
from typing import Any

import numpy as np
import numpy.typing as npt

from conflict_ledger._lazy import collector_paused
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._places import PlaceHistory
from conflict_ledger.engine._rows import (
    NAT,
    Row,
    RowStore,
    Windows,
    at_known,
    empty_columns,
    status,
    summary,
)
from conflict_ledger.table import STATUSES

__all__ = ["NAT", "Layout", "Sweep"]

_CODES = {status: code for code, status in enumerate(STATUSES)}

_LARGE = 1_000
"""Reading this many places' rows at once runs with the cyclic collector paused."""


def _objects(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    """An object array of ``values``, each one element (a tuple too)."""
    return np.fromiter(values, dtype=object, count=len(values))


class Layout:
    """Every place in place order (``entries``), with each one's slot and, by slot, its
    position: what a :class:`Sweep` reads, kept while the index's place list stands."""

    __slots__ = ("entries", "place", "position", "slots")

    def __init__(self, entries: Sequence[PlaceHistory]) -> None:
        self.entries = entries
        self.slots = np.array([entry.slot for entry in entries], dtype=np.intp)
        position = np.zeros(int(self.slots.max()) + 1 if len(entries) else 0, dtype=np.intp)
        position[self.slots] = np.arange(len(entries))
        self.position: list[int] = position.tolist()
        self.place = _objects([entry.place for entry in entries])


class Sweep:
    """Tables of every place in ``layout`` at instants in increasing order, as known at
    ``known`` (None: now), each from the one before. ``starts`` and ``starters`` are the
    index's claims by valid start."""

    def __init__(
        self,
        layout: Layout,
        store: RowStore,
        *,
        every: int,
        known: int | None,
        windows: Windows,
        starts: Sequence[int],
        starters: Sequence[PlaceHistory],
    ) -> None:
        size = len(layout.entries)
        self._entries, self._slots, self._position = layout.entries, layout.slots, layout.position
        self._place, self._store = layout.place, store
        self._every, self._known, self._windows = every, known, windows
        self._starts, self._starters = starts, starters
        self._at: int | None = None
        self._counts = [-1] * size  # how many claims each place's row has read
        self._made = np.zeros(size, dtype=bool)
        # By position: holder, previous, since start and end, confirmed at, the status and
        # contenders once no change is in progress, until when one is, the frozen state.
        self._fields: list[npt.NDArray[Any]] = empty_columns(size)

    def _held(self, col: array[int]) -> npt.NDArray[np.bool_]:
        """Whether a claim about each place counts, by position, from a holder column."""
        codes = np.frombuffer(col, dtype=np.dtype(col.typecode))
        slots = self._slots
        inside = slots < len(codes)
        held = np.zeros(len(slots), dtype=bool)
        held[inside] = codes[slots[inside]] != 0
        return held

    def _first(self, at: int, held: npt.NDArray[np.intp]) -> None:
        """Read the rows of the places at positions ``held`` at ``at`` from the store
        (making every block it lacks), all at once: the first table of a sweep."""
        store, entries, position = self._store, self._entries, self._position
        # Every place's block is made at once, those that do not count yet too: one
        # fold of the claims the first time, none for the tables after it.
        missing = store.missing(self._slots, len(position)).tolist()
        if missing:
            with collector_paused() if len(missing) >= _LARGE else nullcontext():
                # rows of many places, with no cycles among them
                store.make([entries[position[s]] for s in missing], self._every, self._windows)
        slots = self._slots[held]
        rows, read = store.rows(slots, at)
        for column, stored in zip(self._fields, store.fields, strict=True):
            column[held] = stored[rows]
        self._made[held] = True
        counts = np.full(len(entries), -1, dtype=np.int64)
        counts[held] = read
        self._counts = counts.tolist()
        if self._known is not None:  # the places some of whose claims were known differently
            differ = np.flatnonzero(store.reach[rows] > self._known)
            self._known_then(held[differ].tolist(), read[differ].tolist())

    def _known_then(self, positions: list[int], counts: list[int]) -> None:
        """Read the rows, as known then, of the places at ``positions`` whose first
        ``counts`` claims were not all known then as they are now."""
        entries, known, every, windows = self._entries, self._known, self._every, self._windows
        assert known is not None
        now: list[int] = []
        now_counts: list[int] = []
        then: list[int] = []
        rows: list[Row] = []
        for pos, n in zip(positions, counts, strict=True):
            row = at_known(entries[pos], n, known, every, windows)
            if isinstance(row, int):  # as known now after all
                now.append(pos)
                now_counts.append(row)
            else:
                then.append(pos)
                rows.append(summary(ff.EMPTY, windows) if row is None else row)
        self._now(now, now_counts)
        if then:
            self._write(then, rows)

    def _now(self, positions: list[int], counts: list[int]) -> None:
        """Read the stored rows, known now, of ``counts`` claims of the places at ``positions``."""
        if not positions:
            return
        at_pos = np.array(positions, dtype=np.intp)
        rows = self._store.start[self._slots[at_pos]] + np.array(counts, dtype=np.int64)
        for column, stored in zip(self._fields, self._store.fields, strict=True):
            column[at_pos] = stored[rows]
        self._made[at_pos] = True

    def _todo(self, at: int, held: npt.NDArray[np.bool_]) -> Collection[int]:
        """The positions whose row may differ from the one kept: those with a claim
        begun since the last instant, and those that count with no row yet."""
        missing = np.flatnonzero(held & ~self._made).tolist()
        if self._at is None:
            return missing  # none: the first table read every place that counts
        starts, position = self._starts, self._position
        lo, hi = bisect_right(starts, self._at), bisect_right(starts, at)
        begun = {position[entry.slot] for entry in self._starters[lo:hi]}
        begun.update(missing)
        return begun

    def _read(self, at: int, todo: Iterable[int]) -> None:
        """Read the rows of the places at ``todo`` at ``at`` into the columns."""
        entries, counts, known = self._entries, self._counts, self._known
        now: list[int] = []
        now_counts: list[int] = []
        then: list[int] = []
        then_counts: list[int] = []
        for pos in todo:
            entry = entries[pos]
            n = bisect_right(entry.starts, at)
            if n == counts[pos]:
                continue  # the same claims: the same row
            counts[pos] = n
            if known is not None and n and entry.reach[n - 1] > known:
                then.append(pos)
                then_counts.append(n)
            else:
                now.append(pos)
                now_counts.append(n)
        self._now(now, now_counts)
        if then:
            self._known_then(then, then_counts)

    def _write(self, positions: list[int], rows: list[Row]) -> None:
        """Put ``rows`` in the columns at ``positions``."""
        at_pos = np.array(positions, dtype=np.intp)
        self._made[at_pos] = True
        for column, values in zip(self._fields, zip(*rows, strict=True), strict=True):
            column[at_pos] = _objects(values) if column.dtype == object else values

    def table(self, at: int, col: array[int]) -> dict[str, npt.NDArray[Any]]:
        """The columns of :class:`~conflict_ledger.table.SnapshotTable` at ``at`` (not
        before the last instant asked), ``col`` the holder column there."""
        assert self._at is None or at >= self._at, (at, self._at)
        held = self._held(col)
        if self._at is None:
            self._first(at, np.flatnonzero(held))
        todo = self._todo(at, held)
        with collector_paused() if len(todo) >= _LARGE else nullcontext():
            self._read(at, todo)
        self._at = at
        rows = np.flatnonzero(held)
        holder, previous, start, end, confirmed, code, contenders, until, opened = (
            column[rows] for column in self._fields
        )
        for k in np.flatnonzero(until > at).tolist():  # a change still in progress
            found, contenders[k] = status(opened[k], code[k], holder[k], previous[k], at)
            code[k] = _CODES[found]
        unconfirmed = np.where(confirmed == NAT, NAT, np.maximum(0, at - confirmed))
        columns = {
            "place": self._place[rows],
            "status": code,
            "holder": holder,
            "previous": previous,
            "since_start": start.view("datetime64[us]"),
            "since_end": end.view("datetime64[us]"),
            "contenders": contenders,
            "confirmed_at": confirmed.view("datetime64[us]"),
            "unconfirmed_for": unconfirmed.astype(np.int64).view("timedelta64[us]"),
        }
        for column in columns.values():
            column.flags.writeable = False  # an answer never changes
        return columns
