"""The in-memory store: the same contract as the durable stores, kept in lists.

>>> from conflict_ledger.stores.base import StoredRecord
>>> store = MemoryStore()
>>> with store.writing():
...     store.write([StoredRecord.of(0, b"{}")], [])
>>> store.size(), [r.data for r in store.records()]
(1, [b'{}'])
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from conflict_ledger.stores.base import StoredRecord, check_follows_on

__all__ = ["MemoryStore"]


class MemoryStore:
    """Records in a list, for notebooks and tests; gone when the process ends."""

    def __init__(self, *, meta: dict[str, str] | None = None) -> None:
        self.path = ":memory:"
        self._records: list[StoredRecord] = []
        self._values: list[StoredRecord] = []
        self._meta = dict(meta or {})
        self._derived: dict[str, bytes] = {}
        self._lock = threading.RLock()
        self._pending: tuple[list[StoredRecord], list[StoredRecord]] | None = None

    def size(self) -> int:
        """How many claim records are held."""
        return len(self._records)

    def value_count(self) -> int:
        """How many value records are held."""
        return len(self._values)

    def records(self, start: int = 0) -> Iterator[StoredRecord]:
        """Claim records from ``start`` on."""
        return iter(self._records[start:])

    def records_at(self, positions: Sequence[int]) -> Iterator[StoredRecord]:
        """Claim records at ``positions`` (ascending), those the store holds."""
        records = self._records
        return iter([records[p] for p in positions if 0 <= p < len(records)])

    def values(self, start: int = 0) -> Sequence[StoredRecord]:
        """Value records from ``start`` on."""
        return tuple(self._values[start:])

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the lock; the batch written inside becomes visible when the block ends."""
        with self._lock:
            self._pending = ([], [])
            try:
                yield
                records, values = self._pending
                self._records.extend(records)
                self._values.extend(values)
            finally:
                self._pending = None

    def write(self, records: Sequence[StoredRecord], values: Sequence[StoredRecord]) -> None:
        """Stage records and values for the end of :meth:`writing`."""
        if self._pending is None:
            raise RuntimeError("write() is only allowed inside writing()")
        staged, staged_values = self._pending
        check_follows_on(self.path, records, len(self._records) + len(staged))
        staged.extend(records)
        staged_values.extend(values)

    def derived(self, name: str) -> bytes | None:
        """The data saved under ``name`` by :meth:`keep_derived` (None: nothing saved)."""
        return self._derived.get(name)

    def keep_derived(self, name: str, data: bytes) -> None:
        """Keep ``data`` under ``name`` (data derived from the records, such as a saved
        index), replacing what was kept there."""
        self._derived[name] = bytes(data)

    def meta(self) -> dict[str, str]:
        """Settings given at creation."""
        return dict(self._meta)

    def close(self) -> None:
        """Nothing to release."""
