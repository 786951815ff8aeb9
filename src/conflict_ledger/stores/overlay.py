"""A store that reads another store and keeps what is written to it in memory: the stage
of an import into a big ledger.

An import checks its rows against the ledger (which rows it holds already, in which
version; what a correction supersedes), appends them to a stage, and hands the ledger the
new claims in one batch only when the whole file has gone through, so that a strict
import that rejects a row, or one that fails half-way, leaves the ledger as it was. The
stage used to be an in-memory copy of the ledger, every claim decoded and checked again:
about 25 us a claim, half a minute for a million, to import a handful of rows. An
:class:`Overlay` is the ledger's own store seen through: the stage reads the ledger's
records only when asked (a claim by id through the ledger's index of claim ids, where it
keeps one), and its writes stay in memory.

>>> from conflict_ledger.stores import MemoryStore, StoredRecord
>>> base = MemoryStore()
>>> with base.writing():
...     base.write([StoredRecord.of(0, b'{"a":1}')], [])
>>> stage = Overlay(base)
>>> with stage.writing():
...     stage.write([StoredRecord.of(1, b'{"b":2}')], [])
>>> stage.size(), base.size(), [r.data for r in stage.records()]
(2, 1, [b'{"a":1}', b'{"b":2}'])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from conflict_ledger.stores.base import (
    ClaimIdTakenError,
    GuardsClaimIds,
    ReadsByPosition,
    Store,
    StoredRecord,
    check_follows_on,
)

__all__ = ["Overlay"]


class Overlay:
    """``base``'s records and values as they were when the overlay was made, then what is
    written to the overlay, kept in memory; ``base`` is never written."""

    def __init__(self, base: Store) -> None:
        self.path = base.path
        self._base = base
        self._size = base.size()
        self._value_count = base.value_count()
        self._records: list[StoredRecord] = []
        self._values: list[StoredRecord] = []
        self._ids: dict[str, int] = {}  # the claim ids written here, when all were given
        self._ids_given = True

    def size(self) -> int:
        """``base``'s claim records when the overlay was made, and those written here."""
        return self._size + len(self._records)

    def value_count(self) -> int:
        """``base``'s value records when the overlay was made, and those written here."""
        return self._value_count + len(self._values)

    def records(self, start: int = 0) -> Iterator[StoredRecord]:
        """Claim records from ``start`` on: ``base``'s (checked as it checks them), then
        those written here."""
        if start < self._size:
            yield from islice(self._base.records(start), self._size - start)
        yield from self._records[max(0, start - self._size) :]

    def records_at(self, positions: Sequence[int]) -> Iterator[StoredRecord]:
        """Claim records at ``positions`` (ascending), ``base``'s read by key where it can."""
        below = [p for p in positions if 0 <= p < self._size]
        if below:
            base = self._base
            if isinstance(base, ReadsByPosition):
                yield from base.records_at(below)
            else:
                wanted = set(below)
                found = (r for r in self.records(below[0]) if r.position in wanted)
                yield from islice(found, len(wanted))
        own = self._records
        yield from (own[p - self._size] for p in positions if 0 <= p - self._size < len(own))

    def values(self, start: int = 0) -> Sequence[StoredRecord]:
        """Value records from ``start`` on, ``base``'s then those written here."""
        kept = list(self._base.values(start)[: max(0, self._value_count - start)])
        return (*kept, *self._values[max(0, start - self._value_count) :])

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A batch kept in memory (the stage has one writer: the import)."""
        records, values, ids = len(self._records), len(self._values), dict(self._ids)
        try:
            yield
        except BaseException:
            del self._records[records:], self._values[values:]
            self._ids = ids
            raise

    def write(self, records: Sequence[StoredRecord], values: Sequence[StoredRecord]) -> None:
        """Keep records and values in memory (their claim ids unknown: see
        :meth:`write_claims`)."""
        check_follows_on(self.path, records, self.size())
        self._records.extend(records)
        self._values.extend(values)
        if records:
            self._ids_given = False  # their ids are not known here: lookups read them

    def write_claims(self, records: Sequence[StoredRecord], claim_ids: Sequence[str]) -> None:
        """As :meth:`write`, the claim ids kept for :meth:`claim_positions`; an id used
        before raises :class:`~conflict_ledger.stores.base.ClaimIdTakenError`."""
        taken = [i for i in claim_ids if i in self._ids]
        found = self.claim_positions(list(claim_ids))
        if taken or (found is not None and found[0]):
            raise ClaimIdTakenError(path=self.path)
        ids_given = self._ids_given
        self.write(records, ())
        self._ids_given = ids_given
        first = records[0].position if records else 0
        self._ids.update((claim_id, first + n) for n, claim_id in enumerate(claim_ids))

    def claim_positions(self, claim_ids: Sequence[str]) -> tuple[dict[str, int], int] | None:
        """The positions of those of ``claim_ids`` found by ``base``'s index of claim ids
        (among the records the overlay shows) and among those written here; None when
        ``base`` keeps no such index."""
        base = self._base
        answer = base.claim_positions(claim_ids) if isinstance(base, GuardsClaimIds) else None
        if answer is None:
            return None
        found = {i: p for i, p in answer[0].items() if p < self._size}
        found.update((i, self._ids[i]) for i in claim_ids if i in self._ids)
        covered = min(answer[1], self._size)
        if covered == self._size and self._ids_given:
            covered = self.size()
        return found, covered

    def guards_claim_ids(self) -> bool:
        """False: the ledger looks its ids up itself (one query of ``base``'s index)."""
        return False

    def meta(self) -> dict[str, str]:
        """``base``'s settings."""
        return self._base.meta()

    def close(self) -> None:
        """Nothing of its own to release (``base`` is closed by whoever opened it)."""
