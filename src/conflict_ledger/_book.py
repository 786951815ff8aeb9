"""The reading side of a ledger: the records it has read from its store, and how.

A :class:`Book` holds a ledger's records as its store keeps them: a
:class:`~conflict_ledger._lazy.LazyRecords` with a hole for each record not read yet,
which of them were decoded from the store's bytes, the claim ids by position, and the
Merkle tree over the records. Each catches up with the store when first asked for:
opening a ledger reads how many records there are, not the records. The ledger
(:class:`~conflict_ledger.ledger.Ledger`) decides when to look at the store again and
what to write; the book reads, decodes and checks.
"""

from __future__ import annotations

import itertools
import json
from collections import ChainMap
from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs
import orjson
import pendulum

from conflict_ledger import records
from conflict_ledger._lazy import LazyRecords
from conflict_ledger.claims import Claim, Document
from conflict_ledger.errors import LedgerError
from conflict_ledger.events import Event
from conflict_ledger.merkle import MerkleTree, leaf_hash
from conflict_ledger.records import Outline
from conflict_ledger.registry import Actor, Place, Source
from conflict_ledger.stores.base import IntegrityError, ReadsByPosition, Store, StoredRecord
from conflict_ledger.stores.schema import upcast

__all__ = ["Book", "ClaimsById", "Recorded"]

_UNREADABLE = (LedgerError, ValueError, KeyError, TypeError, ArithmeticError, RecursionError)
"""What decoding a stored record can raise when the record is damaged (an IntegrityError)."""


@attrs.frozen(kw_only=True)
class Recorded:
    """A claim as the ledger holds it: its position and the instant it was recorded.

    >>> from conflict_ledger.seed import load_seed
    >>> record = load_seed().record("dawn-2024-12-07/c04")
    >>> record.position, record.recorded_at
    (3, DateTime(2024, 12, 7, 12, 0, 0, tzinfo=Timezone('UTC')))
    """

    position: int
    recorded_at: pendulum.DateTime
    claim: Claim


class ClaimsById(Mapping[str, Recorded]):
    """The ledger's records by claim id: positions, each record read when looked up."""

    __slots__ = ("_indexed_in", "_positions", "_records")

    def __init__(
        self,
        positions: Mapping[str, int],
        records: LazyRecords[Recorded],
        *,
        indexed_in: str | None = None,
    ) -> None:
        self._positions = positions
        self._records = records
        # positions given in part by the index of the store at this path: checked as read
        self._indexed_in = indexed_in

    def __getitem__(self, claim_id: str) -> Recorded:
        return self._checked(claim_id, self._records.one(self._positions[claim_id]))

    def _checked(self, claim_id: str, record: Recorded) -> Recorded:
        """``record``, found at the position given for ``claim_id``: when a store's index
        gave it, the record must hold that id."""
        if self._indexed_in is not None and record.claim.id != claim_id:
            raise IntegrityError(
                path=self._indexed_in,
                position=record.position,
                problem=f"the store's index of claim ids puts {claim_id!r} here, but the "
                f"record holds {record.claim.id!r}",
                hint="Run conflict-ledger verify on the ledger.",
            )
        return record

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._positions

    def some(self, claim_ids: Iterable[str]) -> dict[str, Recorded]:
        """The records of ``claim_ids`` (each known), read together: those not read yet
        in one pass by position."""
        wanted = {self._positions[claim_id]: claim_id for claim_id in claim_ids}
        found = self._records.some(sorted(wanted))
        return {wanted[r.position]: self._checked(wanted[r.position], r) for r in found}

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


class Book:
    """The records a ledger has read from ``store`` (see the module), each decoded into a
    :class:`Recorded` with ``event_types``, or the built-in events when None."""

    def __init__(
        self,
        store: Store,
        event_types: Mapping[str, type[Event]] | None,
    ) -> None:
        self.store = store
        # The built-in events given by name (the CLI's DATASET_EVENTS is the same mapping)
        # read as the default: stored records then reach an index as outlines.
        same = event_types is not None and dict(event_types) == dict(records.BUILTIN_EVENTS)
        self._event_types = None if same else event_types
        self._shared = records.Shared()  # equal decoded values shared between claims
        # Records are read from the store, decoded and hash-checked when first asked for
        # (opening reads how many there are); the claim ids and the Merkle tree catch up
        # with them when asked for too (ids, leaves).
        self.records: LazyRecords[Recorded] = LazyRecords(
            lambda start: self.store.records(start),
            self.decode,
            self.missing,
            # a store that reads by key: a place's records without the ones between
            read_at=self._records_at if isinstance(store, ReadsByPosition) else None,
        )
        # 1 where the record was decoded from the store's bytes (verify need not decode
        # those bytes again), 0 where the ledger appended it from a Claim
        self.decoded = bytearray()
        self.tree = MerkleTree()  # over the records, caught up by leaves()
        self._by_id: dict[str, int] = {}  # claim id -> position
        self._ids_read = 0  # _by_id covers the first this many records

    # -- growing -------------------------------------------------------------------------

    def grow(self, size: int) -> None:
        """The store holds ``size`` records now: the new ones are read when asked for."""
        if size > len(self.records):
            self.decoded.extend(b"\x01" * (size - len(self.records)))
            self.records.grow(size)

    def add(self, appended: Sequence[Recorded]) -> None:
        """Records the ledger appended, held as they are (not decoded from the store)."""
        if self._ids_read == len(self.records):  # else ids() catches up when asked
            self._by_id.update((record.claim.id, record.position) for record in appended)
            self._ids_read += len(appended)
        self.records.extend(appended)
        self.decoded.extend(bytes(len(appended)))

    def written(self, stored: Sequence[StoredRecord]) -> None:
        """Records just written to the store: their leaves join the tree if it has caught
        up with them (else :meth:`leaves` hashes them when asked)."""
        if stored and len(self.tree) == stored[0].position:
            self.tree.extend(leaf_hash(item.data) for item in stored)

    def _records_at(self, positions: Sequence[int]) -> Iterator[StoredRecord]:
        store = self.store
        assert isinstance(store, ReadsByPosition)
        return store.records_at(positions)

    # -- claim ids -----------------------------------------------------------------------

    def knows(self, claim_id: str) -> bool:
        """Whether ``claim_id`` is among the ids read so far."""
        return claim_id in self._by_id

    @property
    def ids_read(self) -> int:
        """How many records, from the first, the ids read so far cover."""
        return self._ids_read

    def ids_with(self, found: Mapping[str, int]) -> ClaimsById:
        """Records by claim id: the ids read so far, and ``found`` (ids and positions a
        store's index of claim ids gave; each record read is checked to hold its id)."""
        return ClaimsById(
            ChainMap(dict(found), self._by_id), self.records, indexed_in=self.store.path
        )

    def ids(self) -> ClaimsById:
        """Records by claim id, covering every record; a record not read yet is not
        decoded for its id (see :meth:`_claim_ids`)."""
        records, by_id = self.records, self._by_id
        if self._ids_read < len(records):
            for position, claim_id in self._claim_ids(self._ids_read):
                by_id.setdefault(claim_id, position)  # a forged reuse never hides the first
            self._ids_read = len(records)
        return ClaimsById(by_id, records)

    def ids_in_order(self) -> list[str]:
        """The claim id of every record, in ledger order (read as :meth:`ids` reads them)."""
        return [claim_id for _, claim_id in self._claim_ids(0)]

    def _claim_ids(self, start: int) -> Iterator[tuple[int, str]]:
        """The position and claim id of every record from ``start`` on: a decoded
        record's own, or, for a run of records not read yet, the id in their stored bytes
        (hash-checked by the store as it hands them out, parsed but not decoded into a
        claim: a first append to a big ledger just opened reads ids, not claims)."""
        records, position, end = self.records, start, len(self.records)
        while position < end:
            if records.is_read(position):
                yield position, records[position].claim.id
                position += 1
                continue
            stop, unread = self._unread(position, end)
            for stored in unread:
                yield stored.position, self._claim_id(stored)
                position = stored.position + 1
            if position < stop:  # the store ended early: records disappeared
                raise self.missing(position)

    def _unread(self, position: int, end: int) -> tuple[int, Iterator[StoredRecord]]:
        """Where the run of records not read yet that starts at ``position`` stops (at
        ``end`` at the latest), and their stored bytes, hash-checked as the store hands
        them out; fewer than the run when the store ended early (records disappeared)."""
        records, stop = self.records, position
        while stop < end and not records.is_read(stop):
            stop += 1
        return stop, itertools.islice(self.store.records(position), stop - position)

    def _claim_id(self, stored: StoredRecord) -> str:
        """The claim id in a stored record's bytes; a record that does not read as one is
        decoded in full, which names what is wrong with it (IntegrityError)."""
        try:
            fields = upcast(orjson.loads(stored.data))
            claim_id = fields["claim"]["id"]
            if fields["position"] == stored.position and isinstance(claim_id, str):
                return claim_id
        except _UNREADABLE:  # orjson.JSONDecodeError is a ValueError
            pass
        return self.decode(stored).claim.id

    def _id_read(self, position: int, claim_id: str) -> None:
        """The ids by position catch up with a reader going through the records."""
        if self._ids_read == position:
            self._by_id.setdefault(claim_id, position)  # a forged reuse never hides the first
            self._ids_read += 1

    # -- reading -------------------------------------------------------------------------

    def outlines(self, position: int) -> Iterator[Recorded | Outline]:
        """The records at ``position`` and after, each read as its record or, not read
        yet, as the outline of its stored bytes (see
        :meth:`~conflict_ledger.ledger.Ledger.outlines`)."""
        items, end = self.records, len(self.records)
        if self._event_types is not None:  # the ledger's own event types: read in full
            yield from items[position:]
            return
        while position < end:
            if items.is_read(position):
                record = items[position]
                self._id_read(position, record.claim.id)
                yield record
                position += 1
                continue
            stop, unread = self._unread(position, end)
            for stored in unread:
                found = self._outline(stored)
                if isinstance(found, Outline):  # the outline's own position: one int object
                    self._id_read(found.position, found.claim_id)
                else:
                    self._id_read(stored.position, found.claim.id)
                yield found
                position = stored.position + 1
            if position < stop:  # the store ended early: records disappeared
                raise self.missing(position)

    def _outline(self, stored: StoredRecord) -> Recorded | Outline:
        try:
            found = records.outline(stored.data.decode("utf-8"))
        except UnicodeDecodeError:
            found = None
        if found is not None and found.position == stored.position:
            return found
        record = self.decode(stored)  # raises IntegrityError naming the record
        self.records.put(stored.position, record)
        return record

    def leaves(self) -> MerkleTree:
        """The Merkle tree over every record, its new leaves hashed from the store's bytes
        (checked against their SHA-256 as they are read; not decoded)."""
        tree, size = self.tree, len(self.records)
        if len(tree) < size:
            read = self.store.records(len(tree))
            tree.extend(
                leaf_hash(stored.data) for stored in itertools.islice(read, size - len(tree))
            )
            if len(tree) < size:
                raise self.missing(len(tree))
        return tree

    def missing(self, position: int) -> IntegrityError:
        """The error for a record the store held before and holds no longer."""
        return IntegrityError(
            path=self.store.path,
            position=position,
            problem="the record is gone from the store, which held it before (deleted?)",
        )

    # -- decoding ------------------------------------------------------------------------

    def decode(self, stored: StoredRecord) -> Recorded:
        """The record in ``stored``; IntegrityError naming it when it cannot be read."""
        event_types = self._event_types or records.BUILTIN_EVENTS
        try:  # the record as the ledger writes it: events, windows... decoded once
            fast = self._shared.stored_claim(stored.data.decode("utf-8"), event_types)
        except UnicodeDecodeError:
            fast = None
        if fast is not None and fast[0] == stored.position:
            return Recorded(position=stored.position, recorded_at=fast[1], claim=fast[2])
        try:
            fields = upcast(json.loads(stored.data))
            if fields["position"] != stored.position:
                raise ValueError(f"it says it is at position {fields['position']}")
            claim = records.decode_claim(
                fields["claim"], event_types=event_types, shared=self._shared
            )
            recorded_at = self._shared.instant(fields["recorded_at"], "recorded_at")
        except _UNREADABLE as error:
            raise IntegrityError(
                path=self.store.path,
                position=stored.position,
                problem=f"the record cannot be read as a claim ({error})",
            ) from None
        return Recorded(position=stored.position, recorded_at=recorded_at, claim=claim)

    def decode_value(self, stored: StoredRecord) -> Place | Actor | Source | Document:
        """The registry value in ``stored``; IntegrityError when it cannot be read."""
        try:
            value: Place | Actor | Source | Document = records.decode_value(
                orjson.loads(stored.data)
            )
        except _UNREADABLE as error:
            raise IntegrityError(
                path=self.store.path,
                problem=f"value record {stored.position} cannot be read ({error})",
            ) from None
        return value
