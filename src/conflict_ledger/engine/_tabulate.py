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
from conflict_ledger.engine._rows import EARLIEST, NAT, Row, Windows, at_known, rows_of, summary
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
        *,
        every: int,
        known: int | None,
        windows: Windows,
        starts: Sequence[int],
        starters: Sequence[PlaceHistory],
    ) -> None:
        size = len(layout.entries)
        self._entries, self._slots, self._position = layout.entries, layout.slots, layout.position
        self._place = layout.place
        self._every, self._known, self._windows = every, known, windows
        self._starts, self._starters = starts, starters
        self._at: int | None = None
        self._counts = [-1] * size  # how many claims each place's row has read
        self._made = np.zeros(size, dtype=bool)
        self._fields: list[npt.NDArray[Any]] = [
            np.full(size, None, dtype=object),  # holder
            np.full(size, None, dtype=object),  # previous
            np.full(size, NAT, dtype=np.int64),  # since start
            np.full(size, NAT, dtype=np.int64),  # since end
            np.full(size, NAT, dtype=np.int64),  # confirmed at
            np.zeros(size, dtype=np.int8),  # status once no change is in progress
            np.full(size, None, dtype=object),  # contenders, likewise
            np.full(size, EARLIEST, dtype=np.int64),  # until when a change is in progress
            np.full(size, None, dtype=object),  # the frozen state, for such rows
        ]

    def _held(self, col: array[int]) -> npt.NDArray[np.bool_]:
        """Whether a claim about each place counts, by position, from a holder column."""
        codes = np.frombuffer(col, dtype=np.dtype(col.typecode))
        slots = self._slots
        inside = slots < len(codes)
        held = np.zeros(len(slots), dtype=bool)
        held[inside] = codes[slots[inside]] != 0
        return held

    def _todo(self, at: int, held: npt.NDArray[np.bool_]) -> Collection[int]:
        """The positions whose row may differ from the one kept: those with a claim
        begun since the last instant, and those that count with no row yet."""
        missing = np.flatnonzero(held & ~self._made).tolist()
        if self._at is None:
            return missing
        starts, position = self._starts, self._position
        lo, hi = bisect_right(starts, self._at), bisect_right(starts, at)
        begun = {position[entry.slot] for entry in self._starters[lo:hi]}
        begun.update(missing)
        return begun

    def _read(self, at: int, todo: Iterable[int]) -> None:
        """Read the rows of the places at ``todo`` at ``at`` into the columns."""
        entries, counts, known = self._entries, self._counts, self._known
        every, windows = self._every, self._windows
        changed: list[int] = []
        rows: list[Row] = []
        for pos in todo:
            entry = entries[pos]
            n = bisect_right(entry.starts, at)
            if n == counts[pos]:
                continue  # the same claims: the same row
            counts[pos] = n
            if known is not None and n and entry.reach[n - 1] > known:
                row = at_known(entry, n, known, every, windows) or summary(ff.EMPTY, windows)
            else:
                kept = entry.rows
                row = kept[n] if n < len(kept) else rows_of(entry, every, windows)[n]
            changed.append(pos)
            rows.append(row)
        if not changed:
            return
        at_pos = np.array(changed, dtype=np.intp)
        self._made[at_pos] = True
        for column, values in zip(self._fields, zip(*rows, strict=True), strict=True):
            column[at_pos] = _objects(values) if column.dtype == object else values

    def table(self, at: int, col: array[int]) -> dict[str, npt.NDArray[Any]]:
        """The columns of :class:`~conflict_ledger.table.SnapshotTable` at ``at`` (not
        before the last instant asked), ``col`` the holder column there."""
        assert self._at is None or at >= self._at, (at, self._at)
        held = self._held(col)
        todo = self._todo(at, held)
        with collector_paused() if len(todo) >= _LARGE else nullcontext():
            self._read(at, todo)  # may make many places' rows: no cycles among them
        self._at = at
        rows = np.flatnonzero(held)
        holder, previous, start, end, confirmed, code, contenders, until, state = (
            column[rows] for column in self._fields
        )
        for k in np.flatnonzero(until > at).tolist():  # a change still in progress
            status, contenders[k] = ff.status_at(state[k], at)
            code[k] = _CODES[status]
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
