"""Every place's state at one time as columns (private; ``AsOfIndex.table`` uses it).

For each place that counts (the holder column says which), the frozen fold is found as
a snapshot finds it (``PlaceHistory.lookup``: the nearest checkpoint, or the fold
remembered for that many claims), and only the fields a table holds are read off it:
the status and contenders as :func:`~conflict_ledger.engine._fastfold.status_at` says them, the
holder, the previous holder, since when and when last confirmed. No ``PlaceState``, no
``Side``, no ``timedelta`` a place; instants stay integer microseconds until numpy views
them as ``datetime64[us]``.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._places import PlaceHistory
from conflict_ledger.table import STATUSES

__all__ = ["NAT", "tabulate"]

NAT = int(np.iinfo(np.int64).min)
"""The integer numpy reads as NaT in a ``datetime64`` or ``timedelta64`` view."""

_CODES = {status: code for code, status in enumerate(STATUSES)}


def _objects(values: list[Any]) -> npt.NDArray[np.object_]:
    """An object array of ``values``, each one element (a tuple too)."""
    return np.fromiter(values, dtype=object, count=len(values))


def present(
    entries: Sequence[PlaceHistory], slots: npt.NDArray[np.intp], col: array[int]
) -> list[PlaceHistory]:
    """The ``entries`` that ``col`` holds (``slots``: each entry's slot), in their order."""
    codes = np.frombuffer(col, dtype=np.dtype(col.typecode))
    inside = slots < len(codes)
    held = np.zeros(len(slots), dtype=bool)
    held[inside] = codes[slots[inside]] != 0
    return [entries[i] for i in np.flatnonzero(held).tolist()]


def tabulate(
    entries: Sequence[PlaceHistory],
    at: int,
    known: int | None,
    every: int,
    windows: dict[int, tuple[Any, int, int]],
) -> dict[str, npt.NDArray[Any]]:
    """The columns of :class:`~conflict_ledger.table.SnapshotTable` for ``entries`` (the
    places that count, in place order) at ``at`` as known at ``known``.

    ``windows`` (the caller's, kept between calls) remembers each ``since`` window's
    start and end in microseconds, by identity (it holds the window, so the identity
    stays its own).
    """
    states = []
    for entry in entries:
        found = entry.lookup(at, known, every)
        assert found is not None, entry.place  # the column says a claim counts
        states.append(found[0])
    status_at, codes = ff.status_at, _CODES
    sides = [status_at(state, at) for state in states]
    since = [windows.get(id(state[2])) or _window(state[2], windows) for state in states]
    confirmed_at = np.array([NAT if s[11] is None else s[11] for s in states], dtype=np.int64)
    unconfirmed = np.where(confirmed_at == NAT, NAT, np.maximum(0, at - confirmed_at))
    columns = {
        "place": _objects([entry.place for entry in entries]),
        "status": np.array([codes[side[0]] for side in sides], dtype=np.int8),
        "holder": _objects([state[0] for state in states]),
        "previous": _objects([state[1] for state in states]),
        "since_start": np.array([w[1] for w in since], dtype=np.int64).view("datetime64[us]"),
        "since_end": np.array([w[2] for w in since], dtype=np.int64).view("datetime64[us]"),
        "contenders": _objects([side[1] for side in sides]),
        "confirmed_at": confirmed_at.view("datetime64[us]"),
        "unconfirmed_for": unconfirmed.astype(np.int64).view("timedelta64[us]"),
    }
    for column in columns.values():
        column.flags.writeable = False  # an answer never changes
    return columns


_NO_WINDOW = (None, NAT, NAT)


def _window(since: Any, windows: dict[int, tuple[Any, int, int]]) -> tuple[Any, int, int]:
    """``since``'s start and end in microseconds, remembered by identity."""
    if since is None:
        return _NO_WINDOW
    found = windows[id(since)] = (since, ff.micros(since.start), ff.micros(since.end))
    return found
