"""The ledger's records, each decoded (and its hash checked) when it is first read.

Opening a ledger reads how many records its store holds, not the records: a
:class:`LazyRecords` holds a hole for every record not read yet. Reading a record, or a
range of them, asks the store for the stored bytes from the first hole on (the store
checks each record's SHA-256 as it hands it out) and decodes them; what was read stays.
Records this process appended are held from the start. Records nobody reads are checked
by ``verify`` (:meth:`conflict_ledger.ledger.Ledger.verify`), which reads them all.

>>> from conflict_ledger.stores.base import StoredRecord
>>> stored = [StoredRecord.of(i, str(i).encode()) for i in range(5)]
>>> reads = []
>>> def read(start):
...     reads.append(start)
...     return iter(stored[start:])
>>> lazy = LazyRecords(read, lambda record: int(record.data))
>>> lazy.grow(5)
>>> len(lazy), reads
(5, [])
>>> lazy[3], reads
(3, [3])
>>> list(lazy), reads
([0, 1, 2, 3, 4], [3, 0])
"""

from __future__ import annotations

import gc
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Generic, TypeVar, overload

from conflict_ledger.stores.base import StoredRecord

__all__ = ["LazyRecords", "collector_paused"]

T = TypeVar("T")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a read of stored records, if it runs
    and this is the process's only thread; restore it as it was, whatever happens.

    A read builds only values without cycles that the ledger keeps (claims, the windows,
    events and chains they share, their records), so a collection during it can free
    nothing the read made: it only traverses the records read so far again, about a
    sixth of opening a million claims (``benchmarks/bench_open.py``). Reference counting
    frees everything else as always. With other threads running, the collector is left
    alone: one of them may need it, or switch it off or on meanwhile.
    """
    pause = gc.isenabled() and threading.active_count() == 1
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            gc.enable()


_HOLE = None

_SWEEP = 32
"""Reading one record alone costs about as much as checking this many in a pass."""


class LazyRecords(Sequence[T], Generic[T]):
    """A sequence of records read from a store when first asked for (see the module).

    ``read(start)`` yields the stored records from ``start`` on, hash-checked;
    ``decode`` turns one into the item kept. A read runs from the first hole asked for to
    the end of that run of holes, in one pass over the store (a range that is read once
    is usually read whole: ``since``, iteration). ``read_at(positions)`` (optional: a
    store that reads by key) yields the records at those positions alone, for
    :meth:`one` and :meth:`some`. If decoding fails, what was read before the bad record
    is kept and the error propagates.
    """

    __slots__ = ("_decode", "_holes", "_items", "_missing", "_read", "_read_at")

    def __init__(
        self,
        read: Callable[[int], Iterator[StoredRecord]],
        decode: Callable[[StoredRecord], T],
        missing: Callable[[int], Exception] = IndexError,
        read_at: Callable[[Sequence[int]], Iterator[StoredRecord]] | None = None,
    ) -> None:
        self._read = read
        self._read_at = read_at
        self._decode = decode
        self._missing = missing  # the error for a record the store no longer holds
        self._items: list[T | None] = []
        self._holes = 0  # how many items are holes

    def grow(self, size: int) -> None:
        """The store holds ``size`` records now: hold a hole for each new one."""
        if size > len(self._items):
            self._holes += size - len(self._items)
            self._items.extend([_HOLE] * (size - len(self._items)))

    def extend(self, items: Iterable[T]) -> None:
        """Records appended here, held as they are."""
        self._items.extend(items)

    def put(self, position: int, item: T) -> None:
        """Fill the hole at ``position`` with a record decoded elsewhere (``verify``)."""
        if self._items[position] is _HOLE:
            self._items[position] = item
            self._holes -= 1

    def is_read(self, position: int) -> bool:
        """Whether the record at ``position`` has been read (or was appended here)."""
        return self._items[position] is not _HOLE

    def unread(self) -> int:
        """How many records are not read yet."""
        return self._holes

    def __len__(self) -> int:
        return len(self._items)

    def _fill(self, start: int, stop: int) -> None:
        """Read every hole in ``[start, stop)``."""
        items = self._items
        position = start
        while self._holes and position < stop:
            if items[position] is not _HOLE:
                position += 1
                continue
            end = position
            while end < len(items) and items[end] is _HOLE:
                end += 1
            decode = self._decode
            with collector_paused():
                stored = itertools.islice(self._read(position), end - position)
                for record in stored:
                    item = decode(record)
                    if items[record.position] is _HOLE:  # another thread may have read it
                        items[record.position] = item
                        self._holes -= 1
            for at in range(position, end):
                if items[at] is _HOLE:  # the store ended early: records disappeared
                    raise self._missing(at)
            position = end

    def one(self, position: int) -> T:
        """The record at ``position``, reading only it when it is not read yet (indexing
        reads the whole run of unread records that follows it)."""
        item = self._items[position]
        if item is _HOLE:
            if position < 0:
                position += len(self._items)
            if self._read_at is not None:
                self._read_exactly([position])
            else:
                with collector_paused():
                    for record in itertools.islice(self._read(position), 1):
                        if record.position == position:
                            self.put(position, self._decode(record))
            item = self._items[position]
            if item is _HOLE:  # the store ended early: the record disappeared
                raise self._missing(position)
        return item

    def some(self, positions: Sequence[int]) -> list[T]:
        """The records at ``positions``, reading only those not read yet: one at a time
        when they are few and far apart, else in one pass over the store from the first
        to the last (the records between are checked, not decoded)."""
        items = self._items
        wanted = sorted({p for p in positions if items[p] is _HOLE})
        if not wanted:
            pass
        elif self._read_at is not None:
            self._read_exactly(wanted)
        elif len(wanted) * _SWEEP < wanted[-1] - wanted[0]:
            for position in wanted:
                self.one(position)
        else:
            want = set(wanted)
            with collector_paused():
                for record in self._read(wanted[0]):
                    if record.position in want and items[record.position] is _HOLE:
                        self.put(record.position, self._decode(record))
                    if record.position >= wanted[-1]:
                        break
            for position in wanted:
                if items[position] is _HOLE:  # the store ended early
                    raise self._missing(position)
        return [items[p] for p in positions]  # type: ignore[misc]

    def _read_exactly(self, wanted: list[int]) -> None:
        """Read the holes at ``wanted`` (ascending) by position, none between them."""
        assert self._read_at is not None
        items = self._items
        with collector_paused():
            for record in self._read_at(wanted):
                if items[record.position] is _HOLE:
                    self.put(record.position, self._decode(record))
        for position in wanted:
            if items[position] is _HOLE:  # the store no longer holds it
                raise self._missing(position)

    def _all(self) -> list[T]:
        self._fill(0, len(self._items))
        return self._items  # type: ignore[return-value]  # no holes left

    @overload
    def __getitem__(self, position: int) -> T: ...

    @overload
    def __getitem__(self, position: slice) -> Sequence[T]: ...

    def __getitem__(self, position: int | slice) -> T | Sequence[T]:
        items = self._items
        if isinstance(position, slice):
            start, stop, _ = position.indices(len(items))
            self._fill(start, stop)
            return items[position]  # type: ignore[return-value]  # no holes left there
        if position < 0:
            position += len(items)
        item = items[position]
        if item is _HOLE:
            self._fill(position, position + 1)
            item = items[position]
        return item  # type: ignore[return-value]

    def __iter__(self) -> Iterator[T]:
        return iter(self._all())
