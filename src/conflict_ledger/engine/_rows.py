"""Each place's table row after every claim (private; the as-of index's tables read them).

A *row* is what a :class:`~conflict_ledger.table.SnapshotTable` holds of a place's fold,
read off the frozen state once: holder, previous holder, since when (microseconds),
when last confirmed, the status and contenders the state shows once its changes in
progress are over, and until when they are in progress (the latest end of its dated
changes; :data:`EARLIEST`: none). Before that instant the status depends on the instant
asked, so such a row keeps its frozen state for
:func:`~conflict_ledger.engine._fastfold.status_at`.

``PlaceHistory.rows[n]`` is the row of the fold, as known now, of the place's first ``n``
claims: made for every ``n`` on the first table that reads the place, by folding its
claims one at a time, and kept until a change to the place's claims drops the rows
after it (``PlaceHistory.settle``). A table at any instant then reads one row a place,
with no fold.

>>> from conflict_ledger import Captured, Claim, SourceChain, ValidTime
>>> from conflict_ledger.engine._places import PlaceHistory
>>> took = Claim(id="c1", event=Captured(place="homs", actor="opposition"),
...              valid=ValidTime.exact("2024-12-07T00:00Z"), reported_at="2024-12-07T01:00Z",
...              source=SourceChain.of("reuters"))
>>> history = PlaceHistory("homs", slot=0)
>>> history.ops.append(ff.compile_claim(took))
>>> history.settle({}, every=8)
>>> [row[HOLDER] for row in rows_of(history, 8, {})]
[None, 'opposition']
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import numpy as np

from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._places import EARLIEST, NEVER, PlaceHistory
from conflict_ledger.rules.territory import Status
from conflict_ledger.table import STATUSES

__all__ = ["EARLIEST", "NAT", "Row", "at_known", "rows_of", "summary"]

Row = tuple[Any, ...]
"""(holder, previous, since start, since end, confirmed at, status code, contenders,
until, frozen state or None); instants in integer microseconds, :data:`NAT`: none."""

HOLDER, PREVIOUS, SINCE_START, SINCE_END, CONFIRMED, CODE, CONTENDERS, UNTIL, STATE = range(9)

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
    kept = state if until != EARLIEST else None
    return (holder, state[1], start, end, confirmed, code, contenders, until, kept)


def rows_of(entry: PlaceHistory, every: int, windows: Windows) -> list[Row]:
    """``entry.rows``, made up to all its claims (its history settled): the rows still
    there stand, the others are folded one claim at a time from the last of them."""
    rows, ops, cancel = entry.rows, entry.ops, entry.cancel
    size = len(ops)
    if len(rows) > size:
        return rows
    if not rows:
        rows.append(summary(ff.EMPTY, windows))
    done = len(rows) - 1
    state = entry.prefix(done, every)
    fold, last = ff.fold, rows[-1]
    for j in range(done, size):
        if cancel[j] == NEVER:
            state = fold(state, (ops[j],))
            row = summary(state, windows)
            if row[STATE] is None and last[STATE] is None and row == last:
                row = last  # equal rows shared: most claims change few fields
            last = row
        rows.append(last)
    return rows


def at_known(entry: PlaceHistory, n: int, known: int, every: int, windows: Windows) -> Row | None:
    """The row of ``entry``'s first ``n`` claims as known at ``known`` (None: no claim
    counts), where some of them were known differently then: as
    :meth:`PlaceHistory.lookup` finds the fold, the rows known now standing wherever the
    fold known then meets them again."""
    i = min(n, bisect_right(entry.reach, known))
    if i == n:
        return None if entry.first_live >= n else rows_of(entry, every, windows)[n]
    if entry.first_live >= i and not entry.tail(i, n, known):
        return None
    behind = entry.catch_up(i, n, known, every)
    if behind is None:
        return rows_of(entry, every, windows)[n]
    return summary(behind, windows)
