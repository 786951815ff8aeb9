"""Every place's holder in columns, at checkpoint instants (private to the as-of index).

A *column* is an :class:`array.array` of small integers, one per place (its
:attr:`~conflict_ledger.engine._places.PlaceHistory.slot`): :data:`ABSENT` when no claim about
the place counts, :data:`NOBODY` when claims count but nobody holds it, and
``2 + k`` when the ``k``-th actor met holds it. Copying a column costs a ``memcpy``, so
an answer about every place starts from the column of the last checkpoint before its
instant and recomputes only the places with a claim starting in between.

:class:`Columns` keeps the columns *as known now* at checkpoint instants (one every
``every`` valid starts), patched in place when a late claim, a retraction or a correction
changes a place's past. Beside them it keeps, for every claim in valid-start order, its
place's code just after the claim begins (:attr:`Columns.after`): bringing a column
forward from a checkpoint is then one store per claim begun in between, with no search.
:class:`LateKnowledge` finds the places whose knowledge settled
long after their claims began (reported or undone late): only those can be known
differently at an earlier ``known_at`` than a prompt reporting delay explains.

>>> columns = Columns()
>>> columns.code("sdf"), columns.code(None), columns.code("sdf")
(2, 1, 2)
>>> columns.actors[2]
'sdf'
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar

from conflict_ledger.engine._places import PlaceHistory

__all__ = ["ABSENT", "NOBODY", "Columns", "LateKnowledge"]

T = TypeVar("T")

ABSENT = 0
"""No claim about the place counts."""

NOBODY = 1
"""Claims about the place count, but nobody holds it."""

_NARROW, _WIDE = "H", "I"  # 2-byte codes until more than 65,533 actors are met


class Columns:
    """Holder columns as known now at checkpoint instants (mutable, private).

    ``marks[k]`` is the k-th checkpoint instant (microseconds) and ``cols[k]`` every
    place's code at it, counting the claims that begin at or before it. ``after[j]`` is
    aligned with the index's claims sorted by valid start (``starts``, ``starters``): the
    code of the ``j``-th claim's place at the claim's start, as known now.

    >>> Columns().empty(3).tolist()
    [0, 0, 0]
    """

    __slots__ = ("actors", "after", "codes", "cols", "marks", "typecode")

    def __init__(self) -> None:
        self.marks: list[int] = []
        self.cols: list[array[int]] = []
        self.typecode = _NARROW
        self.codes: dict[str | None, int] = {None: NOBODY}
        self.actors: list[str | None] = [None, None]
        self.after: array[int] = array(_NARROW)

    def code(self, actor: str | None) -> int:
        """The code of ``actor`` in columns (a new actor gets the next one)."""
        found = self.codes.get(actor)
        if found is None:
            found = self.codes[actor] = len(self.actors)
            self.actors.append(actor)
        return found

    def reserve(self, places: int) -> None:
        """Make room before an answer that may meet up to ``places`` new actors."""
        if self.typecode == _NARROW and len(self.actors) + places > 0xFFFF:
            self.typecode = _WIDE
            self.cols = [array(_WIDE, col) for col in self.cols]
            self.after = array(_WIDE, self.after)

    def empty(self, size: int) -> array[int]:
        """A column of ``size`` absent places."""
        return array(self.typecode, bytes(array(self.typecode).itemsize * size))

    def grown(self, col: array[int], size: int) -> array[int]:
        """``col`` (in place) with absent places up to ``size``, in the current width."""
        if col.typecode != self.typecode:
            col = array(self.typecode, col)
        if len(col) < size:
            col.frombytes(bytes(col.itemsize * (size - len(col))))
        return col

    def value(self, entry: PlaceHistory, at: int) -> int:
        """``entry``'s code at ``at`` as known now (its history settled)."""
        n = bisect_right(entry.starts, at)
        if entry.first_live >= n:
            return ABSENT
        return self.code(entry.holders[n])

    def advance(self, col: array[int], starters: Sequence[PlaceHistory], lo: int, hi: int) -> None:
        """Bring ``col`` forward over the claims ``lo`` to ``hi`` in start order (the claims
        begun since the instant it was at): each claim's place takes its code after it."""
        for entry, code in zip(starters[lo:hi], self.after[lo:hi], strict=True):
            col[entry.slot] = code  # the hot loop of an answer about every place

    def recode(
        self,
        entry: PlaceHistory,
        since: int,
        until: int,
        starts: Sequence[int],
        starters: Sequence[PlaceHistory],
    ) -> None:
        """Recompute :attr:`after` for ``entry``'s claims beginning from ``since`` to
        ``until`` (its history settled; after ``until`` its holder is as it was)."""
        after, value = self.after, self.value
        own = entry.starts
        k, size = bisect_left(own, since), bisect_right(own, until)
        while k < size:
            start = own[k]
            code = value(entry, start)
            for j in range(bisect_left(starts, start), bisect_right(starts, start)):
                if starters[j] is entry:
                    after[j] = code
            k = bisect_right(own, start, k)

    def recode_all(self, starts: Sequence[int], starters: Sequence[PlaceHistory]) -> None:
        """Recompute :attr:`after` for every claim (every history settled)."""
        after = array(self.typecode, bytes(array(self.typecode).itemsize * len(starts)))
        codes, code = self.codes, self.code
        for j, (start, entry) in enumerate(zip(starts, starters, strict=True)):
            n = bisect_right(entry.starts, start)  # self.value, inlined: once per claim
            if entry.first_live < n:
                holder = entry.holders[n]
                found = codes.get(holder)
                after[j] = code(holder) if found is None else found
        self.after = after

    def placed(self, at: int, count: int) -> None:
        """Make room in :attr:`after` for ``count`` claims inserted at ``at`` in start order
        (their codes are set by :meth:`recode` once their places are settled)."""
        if at == len(self.after):
            self.after.frombytes(bytes(self.after.itemsize * count))
        else:
            self.after[at:at] = array(self.typecode, bytes(self.after.itemsize * count))

    def since(self, at: int, starts: Sequence[int]) -> int:
        """Where in ``starts`` the claims begun after the last checkpoint before ``at`` are."""
        k = bisect_right(self.marks, at) - 1
        return bisect_right(starts, self.marks[k]) if k >= 0 else 0

    def at(
        self, at: int, starts: Sequence[int], starters: Sequence[PlaceHistory], size: int
    ) -> array[int]:
        """A new column of every place at ``at`` as known now: the last checkpoint's copy,
        with the places of the claims begun since recomputed."""
        k = bisect_right(self.marks, at) - 1
        if k >= 0:
            col = self.grown(self.cols[k][:], size)
            lo = bisect_right(starts, self.marks[k])
        else:
            col, lo = self.empty(size), 0
        self.advance(col, starters, lo, bisect_right(starts, at))
        return col

    def patch(self, entry: PlaceHistory, since: int, until: int) -> None:
        """Recompute ``entry`` in the checkpoints from ``since`` to ``until`` (its past
        changed there, and is as it was after)."""
        marks, cols, slot = self.marks, self.cols, entry.slot
        for k in range(bisect_left(marks, since), bisect_right(marks, until)):
            col = cols[k]
            if slot >= len(col):
                col = cols[k] = self.grown(col, slot + 1)
            col[slot] = self.value(entry, marks[k])

    def extend(
        self, starts: Sequence[int], starters: Sequence[PlaceHistory], size: int, every: int
    ) -> None:
        """Add checkpoints while at least ``every`` claims begin after the last one."""
        marks, cols = self.marks, self.cols
        pos = bisect_right(starts, marks[-1]) if marks else 0
        while len(starts) - pos >= every:
            mark = starts[pos + every - 1]
            hi = bisect_right(starts, mark)
            col = self.grown(cols[-1][:], size) if cols else self.empty(size)
            self.advance(col, starters, pos, hi)
            marks.append(mark)
            cols.append(col)
            pos = hi


class LateKnowledge(Generic[T]):
    """Claims known as they are now only long after they began (private, mutable).

    Each is kept with an item of the caller's (the index keeps a small integer: its
    place's slot, and whether it can move a holder).

    A claim *agrees* from the instant knowledge of it stops changing: its report time,
    or the report time of its retraction or correction. Claims that agree more than
    ``within`` microseconds after they begin are kept here, so that a question asked
    ``known_at`` an earlier time finds them without scanning the ledger.

    >>> late = LateKnowledge(within=10)
    >>> late.add(100, 5, "a"), late.add(12, 5, "b")  # "b" agrees 7 after it began: prompt
    (None, None)
    >>> late.found(at=50, known=60)
    (['a'], [5])
    """

    __slots__ = ("_agrees", "_buckets", "_firsts", "_pending", "within")

    _BUCKET = 256

    def __init__(self, *, within: int) -> None:
        self.within = within
        self._pending: list[tuple[int, int, T]] = []
        self._firsts: list[int] = []  # the smallest agreement instant of each bucket
        # Buckets in agreement order; each holds its claims sorted by start.
        self._buckets: list[tuple[list[int], list[int], list[T]]] = []
        self._agrees: list[tuple[int, int, T]] = []

    def add(self, agree: int, start: int, item: T) -> None:
        """Remember a claim (``item``) beginning at ``start`` that agrees from ``agree``."""
        if agree - start > self.within:
            self._pending.append((agree, start, item))

    def _merge(self) -> None:
        self._agrees.extend(self._pending)
        self._pending.clear()
        self._agrees.sort(key=lambda item: item[0])
        self._firsts, self._buckets = [], []
        size = self._BUCKET
        for first in range(0, len(self._agrees), size):
            chunk = sorted(self._agrees[first : first + size], key=lambda item: item[1])
            self._firsts.append(min(item[0] for item in chunk))
            self._buckets.append(
                ([item[0] for item in chunk], [item[1] for item in chunk], [i[2] for i in chunk])
            )

    def settle(self) -> None:
        """Sort the claims added since the last time into buckets, if there are many."""
        if len(self._pending) > self._BUCKET:
            self._merge()

    def found(self, *, at: int, known: int) -> tuple[list[T], list[int]]:
        """The items of the claims beginning by ``at`` that agree only after ``known``,
        and beside them the starts of those claims.

        >>> LateKnowledge(within=10).found(at=50, known=60)
        ([], [])
        """
        self.settle()
        items: list[T] = []
        begun: list[int] = []
        for agree, start, item in self._pending:
            if agree > known and start <= at:
                items.append(item)
                begun.append(start)
        if not self._buckets:
            return items, begun
        first = max(0, bisect_right(self._firsts, known) - 1)
        agrees, starts, entries = self._buckets[first]
        for j in range(bisect_right(starts, at)):
            if agrees[j] > known:
                items.append(entries[j])
                begun.append(starts[j])
        for _, starts, entries in self._buckets[first + 1 :]:
            end = bisect_right(starts, at)
            items.extend(entries[:end])
            begun.extend(starts[:end])
        return items, begun


def places_of(col: array[int], entries: Iterable[PlaceHistory]) -> Iterator[str]:
    """The ids of ``entries`` (in their order) that ``col`` holds.

    >>> list(places_of(array("H", [0, 2]), []))
    []
    """
    size = len(col)
    return (e.place for e in entries if e.slot < size and col[e.slot])
