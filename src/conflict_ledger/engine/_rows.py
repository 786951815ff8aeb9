"""Each place's table row after every claim, kept in flat numpy columns (private; the
as-of index's tables read them).

A *row* is what a :class:`~conflict_ledger.table.SnapshotTable` holds of a place's fold,
read off the frozen state once: holder, previous holder, since when (microseconds),
when last confirmed, the status and contenders the state shows once its changes in
progress are over, and until when they are in progress (the latest end of its dated
changes; :data:`EARLIEST`: none). Before that instant the status depends on the instant
asked, so such a row keeps the state's open windows for :func:`status`.

A :class:`RowStore` keeps, for every place, a block of rows: the fold, as known now, of
the place's first ``n`` claims for every ``n``. The blocks are made on the first table
(every claim folded once more, one at a time) and kept; a change to a place's claims
keeps the rows before it (``PlaceHistory.rows`` counts them) and makes the rest again
at the next table. A table at any instant then finds each place's row with no fold and
no Python step a place.

>>> from conflict_ledger import Captured, Claim, SourceChain, ValidTime
>>> from conflict_ledger.engine._places import PlaceHistory
>>> took = Claim(id="c1", event=Captured(place="homs", actor="opposition"),
...              valid=ValidTime.exact("2024-12-07T00:00Z"), reported_at="2024-12-07T01:00Z",
...              source=SourceChain.of("reuters"))
>>> history = PlaceHistory("homs", slot=0)
>>> history.ops.append(ff.compile_claim(took))
>>> history.settle({}, every=8)
>>> [row[HOLDER] for row in fold_rows(history, 0, 8, {})]
[None, 'opposition']
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._places import EARLIEST, NEVER, PlaceHistory
from conflict_ledger.rules.territory import Status
from conflict_ledger.table import STATUSES

__all__ = [
    "EARLIEST",
    "NAT",
    "Row",
    "RowStore",
    "at_known",
    "empty_columns",
    "fold_rows",
    "status",
    "summary",
]

Row = tuple[Any, ...]
"""(holder, previous, since start, since end, confirmed at, status code, contenders,
until, open windows or None); instants in integer microseconds, :data:`NAT`: none."""

HOLDER, PREVIOUS, SINCE_START, SINCE_END, CONFIRMED, CODE, CONTENDERS, UNTIL, OPENED = range(9)

NAT = int(np.iinfo(np.int64).min)
"""The integer numpy reads as NaT in a ``datetime64`` or ``timedelta64`` view."""

_CODE = {status: code for code, status in enumerate(STATUSES)}
_CONTESTED, _ATTACK, _ADVANCE = (
    _CODE[Status.CONTESTED],
    _CODE[Status.UNDER_ATTACK],
    _CODE[Status.UNDER_ADVANCE],
)
_HELD, _UNKNOWN = _CODE[Status.HELD], _CODE[Status.UNKNOWN]

Windows = dict[int, tuple[Any, int, int]]
"""Each ``since`` window's start and end in microseconds, by identity (the dict holds
the window, so the identity stays its own)."""


def _window(since: Any, windows: Windows) -> tuple[Any, int, int]:
    if since is None:
        return (None, NAT, NAT)
    if type(since) is tuple:  # a compiled claim read from a saved index: its instants
        return (since, since[ff.START], since[ff.VALID][0])
    found = windows.get(id(since))
    if found is None:
        found = windows[id(since)] = (since, ff.micros(since.start), ff.micros(since.end))
    return found


def summary(state: ff.Frozen, windows: Windows) -> Row:
    """The row of a frozen state: what :func:`~conflict_ledger.engine._fastfold.status_at`
    and the table read of it, the status as it is once no change is in progress.

    >>> STATUSES[summary(ff.EMPTY, {})[CODE]]
    <Status.UNKNOWN: 'unknown'>
    """
    holder, contenders = state[0], state[4]
    until = EARLIEST
    if contenders:
        code = _CONTESTED
    else:
        ends = [entry[0] for entry in state[3] if entry[3]]
        if ends:
            until = max(ends)
        if state[5]:
            code = _ATTACK
        elif state[6]:
            code = _ADVANCE
        else:
            code = _UNKNOWN if holder is None else _HELD
    _, start, end = _window(state[2], windows)
    confirmed = NAT if state[11] is None else state[11]
    opened = state[3] if until != EARLIEST else None
    return (holder, state[1], start, end, confirmed, code, contenders, until, opened)


def status(
    opened: Any, code: int, holder: str | None, previous: str | None, at: int
) -> tuple[Status, tuple[str, ...]]:
    """The status and contenders at ``at`` of a row with no contenders (its open windows,
    status code, holder and previous holder), as
    :func:`~conflict_ledger.engine._fastfold.status_at` says them.

    >>> status((), STATUSES.index(Status.HELD), "sdf", None, 0)
    (<Status.HELD: 'held'>, ())
    """
    pending = [entry for entry in opened or () if entry[3] and entry[0] > at]
    if not pending:
        return STATUSES[code], ()
    actors = {entry[1] for entry in pending if entry[2]}
    actors.update(actor for actor in (previous, holder) if actor is not None)
    return Status.CHANGING, tuple(sorted(actors))


def fold_rows(entry: PlaceHistory, done: int, every: int, windows: Windows) -> list[Row]:
    """The rows of ``entry`` (its history settled) from ``done`` claims to all of them,
    folding its claims one at a time from the fold of the first ``done``."""
    ops, cancel = entry.ops, entry.cancel
    state = entry.prefix(done, every)
    last = summary(state, windows)
    rows = [last]
    fold = ff.fold
    for j in range(done, len(ops)):
        if cancel[j] == NEVER:
            state = fold(state, (ops[j],))
            row = summary(state, windows)
            if row[OPENED] is None and last[OPENED] is None and row == last:
                row = last  # equal rows shared: most claims change few fields
            last = row
        rows.append(last)
    return rows


def at_known(
    entry: PlaceHistory, n: int, known: int, every: int, windows: Windows
) -> Row | int | None:
    """The row of ``entry``'s first ``n`` claims as known at ``known`` where some of them
    were known differently then, found as :meth:`PlaceHistory.lookup` finds the fold:
    ``n`` itself when it is the row known now (the fold known then met it again), None
    when no claim counted."""
    i = min(n, bisect_right(entry.reach, known))
    if i == n:
        return None if entry.first_live >= n else n
    if entry.first_live >= i and not entry.tail(i, n, known):
        return None
    behind = entry.catch_up(i, n, known, every)
    return n if behind is None else summary(behind, windows)


class RowStore:
    """Every place's rows in flat numpy columns, one block a place (mutable, private).

    A block holds a place's rows for 0 to all its claims; beside each row, the start and
    the reach (``PlaceHistory.reach``) of the last claim it has read (:data:`EARLIEST`
    for none): the row at ``at`` is the last one of its block whose start is not after
    ``at``, and it is known at ``known`` as now when its reach is not after ``known``.
    A place whose claims change (:meth:`drop`) has its block made again, at the end,
    when a table next needs it, the rows that still stand copied; the columns are
    compacted when half of them is old blocks.

    >>> RowStore().size
    0
    """

    __slots__ = ("dead", "fields", "key", "length", "reach", "size", "stale", "start")

    def __init__(self) -> None:
        self.size = 0  # rows in use, old blocks included
        self.dead = 0  # rows of old blocks
        self.start = np.zeros(0, dtype=np.int64)  # by slot: where its block begins
        self.length = np.zeros(0, dtype=np.int64)  # by slot: its rows (0: no block)
        self.stale = np.zeros(0, dtype=bool)  # by slot: its claims changed since
        self.key = np.zeros(0, dtype=np.int64)
        self.reach = np.zeros(0, dtype=np.int64)
        self.fields: list[npt.NDArray[Any]] = empty_columns(0)

    def drop(self, entries: Iterable[PlaceHistory]) -> None:
        """Note that the claims of ``entries`` changed (``entry.rows`` says how many of
        their rows still stand)."""
        stale = self.stale
        for entry in entries:
            if entry.slot < len(stale):
                stale[entry.slot] = True

    def missing(self, slots: npt.NDArray[np.intp], places: int) -> npt.NDArray[np.intp]:
        """Those of ``slots`` whose block is missing or old (``places``: the slots)."""
        if len(self.length) < places:
            grow = places - len(self.length)
            self.start = np.concatenate([self.start, np.zeros(grow, dtype=np.int64)])
            self.length = np.concatenate([self.length, np.zeros(grow, dtype=np.int64)])
            self.stale = np.concatenate([self.stale, np.zeros(grow, dtype=bool)])
        found: npt.NDArray[np.intp] = slots[(self.length[slots] == 0) | self.stale[slots]]
        return found

    def make(self, entries: Sequence[PlaceHistory], every: int, windows: Windows) -> None:
        """Make the blocks of ``entries`` (each settled) anew, at the end."""
        if self.dead * 2 > self.size:
            self._compact()
        start, length = self.start, self.length
        new: list[Row] = []
        into: list[npt.NDArray[np.int64]] = []  # where the new rows go
        kept: list[tuple[int, int, int]] = []  # (from, to, rows): rows that still stand
        key: list[int] = []
        reach: list[int] = []
        at = self.size
        for entry in entries:
            slot = entry.slot
            stand = min(entry.rows, int(length[slot]))
            made = fold_rows(entry, max(stand - 1, 0), every, windows)[1 if stand else 0 :]
            if stand:
                kept.append((int(start[slot]), at, stand))
            self.dead += int(length[slot])
            start[slot], length[slot] = at, stand + len(made)
            into.append(np.arange(at + stand, at + stand + len(made)))
            new.extend(made)
            key.append(EARLIEST)
            key.extend(entry.starts)
            reach.append(EARLIEST)
            reach.extend(entry.reach)
            at += stand + len(made)
            entry.rows = stand + len(made)
        self.stale[[entry.slot for entry in entries]] = False
        self._grow(at)
        self.key[self.size : at] = key
        self.reach[self.size : at] = reach
        self._place(kept, np.concatenate(into) if into else np.zeros(0, dtype=np.int64), new)
        self.size = at

    def _place(
        self, kept: list[tuple[int, int, int]], into: npt.NDArray[np.int64], new: list[Row]
    ) -> None:
        """Copy the rows that stand to their new blocks and put the new rows ``into``."""
        if kept:
            source = np.concatenate([np.arange(a, a + n) for a, _, n in kept])
            target = np.concatenate([np.arange(b, b + n) for _, b, n in kept])
            for column in self.fields:
                column[target] = column[source]
        if new:
            for column, values in zip(self.fields, zip(*new, strict=True), strict=True):
                column[into] = _objects(values) if column.dtype == object else values

    def _grow(self, end: int) -> None:
        if end <= len(self.key):
            return
        capacity = max(end, 2 * len(self.key), 1024)
        self.key = _grown(self.key, capacity, EARLIEST)
        self.reach = _grown(self.reach, capacity, EARLIEST)
        fills = [column[0] for column in empty_columns(1)]
        self.fields = [_grown(c, capacity, f) for c, f in zip(self.fields, fills, strict=True)]

    def _compact(self) -> None:
        """Move the live blocks together, dropping the rows of old blocks."""
        live = np.flatnonzero(self.length)
        if not len(live):
            self.size = self.dead = 0
            return
        lengths = self.length[live]
        begins = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        total = int(lengths.sum())
        taken = np.repeat(self.start[live] - begins, lengths) + np.arange(total)
        self.key, self.reach = self.key[taken], self.reach[taken]
        self.fields = [column[taken] for column in self.fields]
        self.start[live] = begins
        self.size, self.dead = total, 0

    def rows(
        self, slots: npt.NDArray[np.intp], at: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """For each of ``slots`` (each with a block), the index of its row at ``at`` in
        the columns, and how many claims that row has read."""
        counts = np.cumsum(self.key[: self.size] <= at)
        begin, length = self.start[slots], self.length[slots]
        read = counts[begin + length - 1] - np.where(begin > 0, counts[begin - 1], 0)
        return begin + read - 1, read - 1


def empty_columns(size: int) -> list[npt.NDArray[Any]]:
    """Empty row columns: (holder, previous, since start, since end, confirmed at, status
    code, contenders, until, state), as :data:`Row` orders them."""
    return [
        np.full(size, None, dtype=object),
        np.full(size, None, dtype=object),
        np.full(size, NAT, dtype=np.int64),
        np.full(size, NAT, dtype=np.int64),
        np.full(size, NAT, dtype=np.int64),
        np.zeros(size, dtype=np.int8),
        np.full(size, None, dtype=object),
        np.full(size, EARLIEST, dtype=np.int64),
        np.full(size, None, dtype=object),
    ]


def _grown(column: npt.NDArray[Any], capacity: int, fill: Any) -> npt.NDArray[Any]:
    grown = np.full(capacity, fill, dtype=column.dtype)
    grown[: len(column)] = column
    return grown


def _objects(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    """An object array of ``values``, each one element (a tuple too)."""
    return np.fromiter(values, dtype=object, count=len(values))
