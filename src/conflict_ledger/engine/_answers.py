"""The lazy answers of the as-of index about every place (private to the as-of index).

:class:`LazyStates` is a snapshot's states, :class:`Holders` a holder column read as a
mapping: both are made from one column of small integers
(:mod:`conflict_ledger.engine._columns`) and read the index's places only when asked.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from conflict_ledger.asof import LazyPlaces
from conflict_ledger.engine._columns import ABSENT, places_of
from conflict_ledger.engine._places import PlaceHistory
from conflict_ledger.errors import UnknownPlaceError
from conflict_ledger.rules.territory import PlaceState

if TYPE_CHECKING:
    from conflict_ledger.engine._state import IndexState

__all__ = ["Holders", "LazyStates"]


class LazyStates(LazyPlaces):
    """A snapshot's states: which places count is known at once (a column), each state is
    computed on first reading. Before the index changes a place, every live answer that
    has not read it yet keeps a copy of its history as it was, so an answer never changes."""

    __slots__ = (
        "__weakref__",
        "_at",
        "_col",
        "_index",
        "_known",
        "_pinned",
        "_read",
        "_size",
        "_sorted",
    )

    def __init__(self, index: IndexState, col: array[int], at: int, known: int | None) -> None:
        self._index = index
        self._col = col
        self._sorted = index._sorted
        self._at = at
        self._known = known
        self._read: dict[str, PlaceState] = {}
        self._pinned: dict[str, PlaceHistory] = {}
        self._size = -1  # how many places count, once asked

    def _entry(self, place: object) -> PlaceHistory | None:
        entry = self._index._places.get(place) if isinstance(place, str) else None
        if entry is None or entry.slot >= len(self._col) or not self._col[entry.slot]:
            return None
        return entry

    def __getitem__(self, place: str) -> PlaceState:
        state = self._read.get(place)
        if state is None:
            entry = self._entry(place)
            if entry is None:
                raise KeyError(place)
            history = self._pinned.pop(place, entry)
            index = self._index
            state = history.state(self._at, self._known, index._every, index._durations)
            assert state is not None, place  # the column says a claim counts
            self._read[place] = state
        return state

    def __contains__(self, place: object) -> bool:
        return self._entry(place) is not None

    def __iter__(self) -> Iterator[str]:
        return places_of(self._col, self._sorted)

    def __len__(self) -> int:
        if self._size < 0:
            self._size = len(self._col) - self._col.count(ABSENT)
        return self._size

    def complete(self) -> bool:
        """Whether every state has been read."""
        return len(self._read) == len(self)

    def pin(
        self, entries: Iterable[PlaceHistory], copies: dict[PlaceHistory, PlaceHistory]
    ) -> None:
        """Keep the histories of ``entries`` as they are now (they are about to change);
        ``copies`` shares each copy between answers."""
        read, pinned, col = self._read, self._pinned, self._col
        for entry in entries:
            place = entry.place
            if place in read or place in pinned or entry.slot >= len(col) or not col[entry.slot]:
                continue
            copy = copies.get(entry)
            if copy is None:
                copy = copies[entry] = entry.pinned()
            pinned[place] = copy


class Holders(Mapping[str, str | None]):
    """Holders by place over one column (read-only; iterates in place order)."""

    __slots__ = ("_actors", "_col", "_names", "_places", "_sorted")

    def __init__(self, index: IndexState, col: array[int]) -> None:
        self._col = col
        self._places = index._places
        self._sorted = index._sorted
        self._actors = index._columns.actors
        self._names = index._ledger.registries.places

    def _code(self, place: object) -> int:
        entry = self._places.get(place) if isinstance(place, str) else None
        if entry is None or entry.slot >= len(self._col):
            return ABSENT
        return self._col[entry.slot]

    def __getitem__(self, place: str) -> str | None:
        """The holder of a place (id, name or alias); None for a known place no claim
        names yet, as in :class:`~conflict_ledger.asof.Snapshot`."""
        code = self._code(place)
        if code == ABSENT:
            code = self._code(self._names.id_of(place, field="place"))
        return None if code == ABSENT else self._actors[code]

    def __contains__(self, place: object) -> bool:
        if self._code(place) != ABSENT:
            return True
        try:
            return isinstance(place, str) and self._code(self._names.id_of(place)) != ABSENT
        except UnknownPlaceError:
            return False

    def get(self, place: str, default: Any = None) -> Any:
        """The holder if a claim about the place counts, else ``default``; an unknown name
        raises :class:`~conflict_ledger.errors.UnknownPlaceError`."""
        code = self._code(place)
        if code == ABSENT:
            code = self._code(self._names.id_of(place, field="place"))
        return default if code == ABSENT else self._actors[code]

    def __iter__(self) -> Iterator[str]:
        return places_of(self._col, self._sorted)

    def __len__(self) -> int:
        return len(self._col) - self._col.count(ABSENT)

    def __repr__(self) -> str:
        return f"holders({dict(self)!r})"
