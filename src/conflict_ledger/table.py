"""A whole snapshot as columns: every place's state at one time, one numpy array a field.

What a map, a DataFrame or a printed table reads of a snapshot, without one
:class:`~conflict_ledger.rules.territory.PlaceState` object a place: the places that count (in
place order), their status, holder, previous holder, since when, contenders, and when
they were last confirmed. :meth:`conflict_ledger.engine.AsOfIndex.table` answers it; its
property tests hold every row to the reference fold's state of that place.

>>> from conflict_ledger.engine import AsOfIndex
>>> from conflict_ledger.seed import load_seed
>>> table = AsOfIndex(load_seed()).table(at="2024-12-08T00:00Z")
>>> row = table.row("deir-ez-zor")
>>> row["status"], row["holder"], str(row["since_start"])
('held', 'sdf', '2024-12-05T21:00:00.000000')
>>> sorted(table.columns())[:4]
['confirmed_at', 'contenders', 'holder', 'place']
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pendulum

from conflict_ledger.rules.territory import Status

__all__ = ["STATUSES", "SnapshotTable"]

STATUSES: tuple[Status, ...] = tuple(Status)
"""The statuses, in the order of the codes in :attr:`SnapshotTable.status`."""


@attrs.frozen(kw_only=True, eq=False)
class SnapshotTable:
    """Every place that counts at ``at`` as known at ``known_at``, one row a place.

    ``place``, ``holder`` and ``previous`` are object arrays of ids (None: nobody);
    ``status`` holds small codes into :data:`STATUSES`; ``since_start`` and ``since_end``
    (the window of the change that gave the holder), ``confirmed_at`` are
    ``datetime64[us]`` in UTC (NaT: none) and ``unconfirmed_for`` is ``timedelta64[us]``;
    ``contenders`` is an object array of tuples of actor ids.
    """

    at: pendulum.DateTime
    known_at: pendulum.DateTime | None
    place: npt.NDArray[np.object_]
    status: npt.NDArray[np.int8]
    holder: npt.NDArray[np.object_]
    previous: npt.NDArray[np.object_]
    since_start: npt.NDArray[np.datetime64]
    since_end: npt.NDArray[np.datetime64]
    contenders: npt.NDArray[np.object_]
    confirmed_at: npt.NDArray[np.datetime64]
    unconfirmed_for: npt.NDArray[np.timedelta64]

    def __len__(self) -> int:
        return len(self.place)

    def statuses(self) -> npt.NDArray[np.str_]:
        """The status of every row as its name (``"held"``, ``"contested"``...)."""
        names = np.array([status.value for status in STATUSES])
        return names[self.status]

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """The columns by name, statuses named: ``pandas.DataFrame(table.columns())``."""
        return {
            "place": self.place,
            "status": self.statuses(),
            "holder": self.holder,
            "previous": self.previous,
            "since_start": self.since_start,
            "since_end": self.since_end,
            "contenders": self.contenders,
            "confirmed_at": self.confirmed_at,
            "unconfirmed_for": self.unconfirmed_for,
        }

    def row(self, place: str) -> dict[str, Any]:
        """One place's row (KeyError when no claim about it counts)."""
        found = np.flatnonzero(self.place == place)
        if not len(found):
            raise KeyError(place)
        row = {name: column[found[0]] for name, column in self.columns().items()}
        row["status"] = str(row["status"])
        return row
