"""The as-of index's state, apart from its answers (private to the as-of index).

:class:`IndexState` holds what an :class:`~conflict_ledger.engine.index.AsOfIndex` keeps
(set in one place, :meth:`IndexState._begin`) and its tuning options, and the engine's
modules that do the index's work take it: :mod:`~conflict_ledger.engine._intake` reads
new records in and settles them, :mod:`~conflict_ledger.engine._maps` answers about
every place at once, :mod:`~conflict_ledger.engine._one_place` about one place,
:mod:`~conflict_ledger.engine._answers` holds the lazy answers they hand out, and
:mod:`~conflict_ledger.engine._saved` saves and loads the index. They import this
module, not the index's, which imports them: the engine's modules import one way.
"""

from __future__ import annotations

import weakref
from array import array
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from conflict_ledger.claims import Claim
from conflict_ledger.engine._columns import Columns, LateKnowledge
from conflict_ledger.engine._explain import Mentions
from conflict_ledger.engine._places import PlaceHistory
from conflict_ledger.ledger import Ledger

if TYPE_CHECKING:  # imported with the first table (engine._maps._sweep): they need numpy
    from conflict_ledger.engine._rows import RowStore
    from conflict_ledger.engine._tabulate import Layout

__all__ = ["IndexState", "LiveAnswer"]

_PROMPT = 4 * 86_400 * 1_000_000
"""A prompt delay (microseconds): claims known as now within it of their start are found
by scanning the claims begun that long before ``known_at``; the others are kept apart."""


class LiveAnswer(Protocol):
    """A lazy answer handed out (:class:`~conflict_ledger.engine._answers.LazyStates`):
    before the index changes a place, each keeps that place as it was, unless it has
    read every state it holds."""

    def complete(self) -> bool:
        """Whether every state has been read."""

    def pin(
        self, entries: Iterable[PlaceHistory], copies: dict[PlaceHistory, PlaceHistory]
    ) -> None:
        """Keep the histories of ``entries`` as they are now."""


class IndexState:
    """What an as-of index keeps, and its options (a subclass that sets them is obeyed:
    the tests' variants of the index do)."""

    _prompt = _PROMPT
    _scan_limit: int | None = None  # claims to check one by one before asking every place
    _bulk = 64  # new claims fewer than this are inserted one by one, more merged by sorting
    _recode_share = 8  # recompute every ``after`` code when over 1/8 of the claims may change

    def _begin(
        self,
        ledger: Ledger,
        every: int,
        column_every: int | None,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        """An index of no records yet over ``ledger`` (also what a saved one starts from)."""
        self._ledger = ledger
        self._every = every
        self._column_every = column_every
        self._progress = progress
        self._seen = 0
        self._saved_size: int | None = None  # the records the saved index read covered
        self._unsettled = 0  # records read since the places were last settled
        self._places: dict[str, PlaceHistory] = {}
        self._by_slot: list[PlaceHistory] = []
        self._cancelled: dict[str, int] = {}
        self._dirty: set[PlaceHistory] = set()
        self._sorted: list[PlaceHistory] = []  # replaced, never changed: answers share it
        # Every territorial claim's valid start and place, sorted by start: which places
        # can change between two instants. Beside them, what a question at an earlier
        # ``known_at`` asks of the claims begun shortly before it: from when each is
        # known as it is now (its report, or the report undoing it) and whether it can
        # move a holder.
        self._starts: list[int] = []
        self._starters: list[PlaceHistory] = []
        self._start_settles: list[int] = []
        self._start_moves = bytearray()
        self._columns = Columns()
        # By slot: from when every claim up to the place's first one that counts now is
        # known as it is now (NEVER: no claim counts).
        self._first_agrees = array("q")
        self._recode_all = False  # the claims were re-sorted: recompute every ``after`` code
        # Claims known late, each as ``_tag(entry, op)``: its place's slot and whether it
        # can move a holder.
        self._late: LateKnowledge[int] = LateKnowledge(within=self._prompt)
        # The lazy answers still alive, by serial number (a mapping is not hashable).
        self._readers: weakref.WeakValueDictionary[int, LiveAnswer] = weakref.WeakValueDictionary()
        self._serial = 0
        self._durations: dict[int, Any] = {}  # equal durations shared between answers
        self._windows: dict[int, Any] = {}  # windows' instants in micros, for tables
        self._layout: Layout | None = None  # every place in place order, for tables
        # every place's table row after every claim, made with the first table
        self._rows: RowStore | None = None
        self._graded: list[tuple[tuple[int, int, int, str], Claim]] = []  # in fold order
        # The records about each place, for explain and a timeline's context: read on
        # their first question (a function reading them when saved with the index).
        self._mentions: Mentions | Callable[[], Mentions] | None = None

    @property
    def ledger(self) -> Ledger:
        """The ledger this index answers for."""
        return self._ledger
