"""How a ledger appends a batch to its store: the writing half of
:class:`~conflict_ledger.ledger.Ledger` (private; the ledger inherits :class:`Appending`).

A batch is checked (:func:`~conflict_ledger._admission.admit`: names resolved to ids,
ids and references looked up) and encoded before the store's write lock is taken, while
other writers append; then it is written holding the lock as briefly as it can. If
others committed meanwhile, the batch is numbered, spliced and hashed again after their
records (a store that guards claim ids itself, PostgreSQL, refuses at commit an id taken
meanwhile), or, when that is not enough, checked again (:meth:`Appending._redraft`).
Nothing here reads claims from the store but the last one (its recorded time) and the
ones a batch retracts or corrects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

import pendulum

from conflict_ledger import _drafts
from conflict_ledger._admission import admit
from conflict_ledger._book import Book, ClaimsById, Recorded
from conflict_ledger._lazy import LazyRecords
from conflict_ledger.claims import Claim
from conflict_ledger.errors import DuplicateClaimError, InvalidBatchError, LedgerError
from conflict_ledger.events import Retraction
from conflict_ledger.registry import Registries
from conflict_ledger.stores.base import (
    ClaimIdTakenError,
    GuardsClaimIds,
    Store,
    StoredRecord,
)

__all__ = ["Appending", "ConcurrencyError"]


class ConcurrencyError(LedgerError, RuntimeError):
    """An append expected the ledger to have a size it no longer has.

    >>> ConcurrencyError(expected=3, actual=4).actual
    4
    """

    def __init__(self, *, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"expected the ledger to hold {expected} records but it holds {actual}; "
            "another writer appended first. Re-read the ledger, re-check your claims and retry."
        )


_LOCK_TRIES = 3
"""How often an append takes the store's write lock: the first times, finding that others
committed since it last read the store, it gives the lock up to catch up outside it; the
last time it catches up holding it."""


class _Draft(NamedTuple):
    """A batch checked and encoded against the ledger at ``state`` (its claim and value
    record counts): the records, and what the store is to keep (each claim's canonical
    JSON is inside its stored record, :func:`~conflict_ledger._drafts.body_in`), or, when
    others are likely to append first (they did last time), only the claims' canonical
    JSON ``bodies``: the records are spliced and hashed once the position is sure."""

    state: tuple[int, int]
    records: tuple[Recorded, ...]
    stored: list[StoredRecord] | None
    bodies: list[bytes] | None = None
    # False: its claim ids were left to the store's index to refuse (it guards them)
    ids_checked: bool = True

    def each_body(self) -> Iterator[bytes]:
        """Each claim's canonical JSON, in order."""
        if self.bodies is not None:
            return iter(self.bodies)
        assert self.stored is not None
        return (_drafts.body_in(old.data) for old in self.stored)


class Appending:
    """The writing half of a ledger (see the module): checking, drafting and writing a
    batch. The ledger holds what it works on (its store, its book of records, its
    registries and clock) and reads the store (:meth:`_refresh`)."""

    _store: Store
    _book: Book
    _records: LazyRecords[Recorded]
    _registries: Registries
    _clock: Callable[[], pendulum.DateTime]
    _value_count: int
    # the last append found others had appended first: its next draft is not spliced
    # and hashed before its position is sure
    _contended: bool

    def _refresh(self) -> None:
        """Pick up what other writers committed (the ledger reads the store)."""
        raise NotImplementedError

    def _taken(self, claims: tuple[Claim, ...], error: ClaimIdTakenError) -> LedgerError:
        """What to raise when the store's index of claim ids refused the batch: the ids
        of the batch that are in the ledger now (another writer appended them first)."""
        self._refresh()
        ids = {claim.id for claim in claims}
        known = self._by_id(ids)  # the index, or the records where the index is behind
        taken = sorted(claim_id for claim_id in ids if claim_id in known)
        if not taken:
            return error
        if len(taken) == 1:
            return DuplicateClaimError(taken[0])
        return InvalidBatchError(
            f"{len(taken)} claims rejected; nothing was appended",
            [DuplicateClaimError(claim_id) for claim_id in taken],
        )

    def _append_to_store(
        self, claims: tuple[Claim, ...], expected_size: int | None
    ) -> tuple[tuple[Recorded, ...], list[StoredRecord]]:
        """Check, encode and hash the batch before taking the store's write lock, so that
        other writers append meanwhile, then write it holding the lock as briefly as it can.

        If others committed only claims since the ledger last read the store, and the
        store guards claim ids itself (:meth:`_guarded`), the batch is numbered, spliced
        and hashed again under the lock: nothing of theirs is read. Otherwise the lock is
        given up again at once: what they wrote is read outside it, the batch is checked
        again and renumbered, and the lock taken anew; the last of :data:`_LOCK_TRIES`
        catches up holding the lock, so a writer cannot starve. Either way a batch is
        written after exactly the state it was (re)drafted against.
        """
        self._refresh()
        draft: _Draft | None = self._redraft(claims, expected_size, None, guarded=self._guarded())
        tries = 1
        while True:
            with self._store.writing():
                claims_behind, values_behind = self._behind()
                guarded = self._guarded()
                if draft is not None and not (guarded or draft.ids_checked):
                    draft = None  # the index its ids were left to is gone: check them all
                # Behind by others' claims only, where the store guards claim ids itself,
                # the batch is only numbered again: catching up reads nothing.
                renumber = claims_behind and not values_behind and guarded
                self._contended = claims_behind
                moved = claims_behind or values_behind
                if tries == _LOCK_TRIES or not moved or renumber:
                    if claims_behind or values_behind:
                        self._refresh()
                    draft = self._redraft(
                        claims, expected_size, draft, renumber=renumber, guarded=guarded
                    )
                    stored = self._spliced(draft)
                    self._write(draft.records, stored)
                    return draft.records, stored
            tries += 1
            self._refresh()

    def _behind(self) -> tuple[bool, bool]:
        """Whether the store holds records, and values, this ledger has not read."""
        store = self._store
        return store.size() != len(self._records), store.value_count() != self._value_count

    def _guarded(self) -> bool:
        """Whether the store refuses, when the batch is written, a claim id already in the
        ledger (a PostgreSQL ledger's index of claim ids), so that a batch checked before
        others appended stays checked once numbered again (their claims can only have
        taken one of its ids; what it retracts or corrects is still there, as it was)."""
        store = self._store
        return isinstance(store, GuardsClaimIds) and store.guards_claim_ids()

    def _write(self, records: Sequence[Recorded], stored: list[StoredRecord]) -> None:
        store = self._store
        if isinstance(store, GuardsClaimIds):
            store.write_claims(stored, [record.claim.id for record in records])
        else:
            store.write(stored, ())

    def _redraft(
        self,
        claims: tuple[Claim, ...],
        expected_size: int | None,
        draft: _Draft | None,
        *,
        renumber: bool = False,
        guarded: bool = False,
    ) -> _Draft:
        """The batch checked, encoded and hashed against the ledger as it now is: ``draft``
        itself if the ledger has not moved since it was made.

        Otherwise the claims are checked again: with new registry values, from the claims
        as given, whose names may now resolve otherwise; with new claims only, from the
        canonical claims, which stay as they are. A body is encoded again only for a
        claim that changed; every record is spliced and hashed at its new position. With
        ``renumber`` (the store guards claim ids) and no new values, the claims are not
        checked again, only numbered and stamped again (:meth:`_renumbered`). Where the
        store is ``guarded``, the batch's own claim ids are not looked up: the store's
        index refuses one already in the ledger when the batch is written.
        """
        state = (len(self._records), self._value_count)
        if draft is not None and draft.state == state:
            return draft
        if renumber and draft is not None and draft.state[1] == state[1]:
            return self._renumbered(draft, state, expected_size)
        if draft is None or state[1] != draft.state[1]:
            records = self._prepare(claims, expected_size, guarded=guarded)
        else:
            given = tuple(r.claim for r in draft.records)
            records = self._prepare(given, expected_size, guarded=guarded)
        bodies: Iterable[bytes]
        if draft is None:
            bodies = _drafts.Bodies().each(record.claim for record in records)
        else:
            bodies = (
                old if now.claim is before.claim else _drafts.claim_body(now.claim)
                for now, before, old in zip(records, draft.records, draft.each_body(), strict=True)
            )
        if self._contended:  # others will likely append first: spliced once numbered
            return _Draft(state, records, None, list(bodies), ids_checked=not guarded)
        return _Draft(state, records, self._stored(records, bodies), ids_checked=not guarded)

    def _spliced(self, draft: _Draft) -> list[StoredRecord]:
        """The stored records of a draft about to be written."""
        if draft.stored is not None:
            return draft.stored
        return self._stored(draft.records, draft.each_body())

    def _renumbered(
        self, draft: _Draft, state: tuple[int, int], expected_size: int | None
    ) -> _Draft:
        """``draft``'s claims, as checked, after the records others appended meanwhile:
        numbered from the ledger's size and stamped no earlier than its last record."""
        size = state[0]
        if expected_size is not None and expected_size != size:
            raise ConcurrencyError(expected=expected_size, actual=size)
        if not draft.records:
            return _Draft(state, (), [])
        now = draft.records[0].recorded_at
        last = self._records[-1].recorded_at
        if now < last:
            now = last  # recorded time never runs backwards
        records = tuple(
            Recorded(position=size + offset, recorded_at=now, claim=record.claim)
            for offset, record in enumerate(draft.records)
        )
        return _Draft(state, records, None, list(draft.each_body()), draft.ids_checked)

    @staticmethod
    def _stored(records: Sequence[Recorded], bodies: Iterable[bytes]) -> list[StoredRecord]:
        if not records:
            return []
        stamp = _drafts.stamp_of(records[0].recorded_at.isoformat())
        return _drafts.stored_records(bodies, records[0].position, stamp)

    def _prepare(
        self, claims: tuple[Claim, ...], expected_size: int | None, *, guarded: bool = False
    ) -> tuple[Recorded, ...]:
        if expected_size is not None and expected_size != len(self._records):
            raise ConcurrencyError(expected=expected_size, actual=len(self._records))
        try:
            checked = self._check(claims, own_ids=not guarded)
        except LedgerError:
            if guarded:  # a bad batch: its own ids looked up too, so that every problem is named
                self._check(claims)
            raise
        now = self._clock()
        if self._records and now < self._records[-1].recorded_at:
            now = self._records[-1].recorded_at  # recorded time never runs backwards
        start = len(self._records)
        return tuple(
            Recorded(position=start + offset, recorded_at=now, claim=claim)
            for offset, claim in enumerate(checked)
        )

    def _check(self, claims: Iterable[Claim], *, own_ids: bool = True) -> tuple[Claim, ...]:
        claims = tuple(claims)
        return admit(claims, self._registries, self._recorded_for(claims, own_ids=own_ids))

    def _recorded_for(
        self, claims: tuple[Claim, ...], *, own_ids: bool = True
    ) -> Callable[[], Mapping[str, Recorded]]:
        """Where admitting ``claims`` looks up the ids they retract or correct and, with
        ``own_ids``, their own (see :meth:`_by_id`); without, only those read so far are
        known (a store that guards claim ids refuses the others when the batch is written)."""
        wanted = set[str]()
        for claim in claims:
            if isinstance(claim, Claim):
                if own_ids:
                    wanted.add(claim.id)
                if claim.supersedes is not None:
                    wanted.add(claim.supersedes)
                if isinstance(claim.event, Retraction):
                    wanted.add(claim.event.target)
        if not wanted and own_ids:  # nothing to look up: no claim, or none a Claim
            return self._book.ids
        # here, once (admitting asks for it at every claim); a store's error raised once
        known = self._by_id(wanted) if wanted else self._book.ids_with({})
        return lambda: known

    def _by_id(self, wanted: Iterable[str]) -> ClaimsById:
        """The records by claim id, complete for the ids ``wanted``: the ids read so far,
        with the store's index of claim ids when it keeps one (PostgreSQL: a writer reads
        none of the records others appended, a claim is looked up by one query), else
        every id (those of the records not read yet read from their stored bytes)."""
        store, book, size = self._store, self._book, len(self._records)
        if book.ids_read >= size or not isinstance(store, GuardsClaimIds):
            return book.ids()
        answer = store.claim_positions(sorted(i for i in wanted if not book.knows(i)))
        if answer is None or answer[1] < size:  # no index, or one behind the records
            return book.ids()
        # as of the records this ledger has seen: an id appended since is refused at commit
        found = {claim_id: at for claim_id, at in answer[0].items() if at < size}
        return book.ids_with(found)
