"""The append-only ledger: the only write is an append, and a rejected one changes nothing.

Each appended claim gets its third clock here: its position in the ledger and the
instant it was recorded, from the clock passed in. Retractions and corrections are new
claims that point at the claim they undo; nothing is ever edited or removed.

>>> import attrs, pendulum
>>> from conflict_ledger import Captured, Claim, Source, SourceChain, ValidTime
>>> from conflict_ledger.gazetteer import syria
>>> ledger = Ledger(registries=syria(), clock=fixed_clock("2024-12-07T12:00Z"))
>>> ledger.register(Source(id="reuters", name="Reuters", kind="agency"))
>>> claim = Claim(
...     id="demo/1",
...     event=Captured(place="Deir el-Zor", actor="Syrian Kurdish fighters"),
...     valid=ValidTime.day(pendulum.date(2024, 12, 6), tz="Asia/Damascus"),
...     reported_at="2024-12-07T00:00+05:00",
...     source=SourceChain.of("reuters"),
... )
>>> record = ledger.append(claim)
>>> record.position, record.claim.event.place, record.claim.event.actor
(0, 'deir-ez-zor', 'sdf')

A claim about a place the gazetteer does not know is refused, and the ledger is unchanged:

>>> ledger.append(attrs.evolve(claim, id="demo/2", event=Captured(place="Dayr az-Zor", actor="sdf")))
Traceback (most recent call last):
...
conflict_ledger.errors.UnknownPlaceError: unknown place 'Dayr az-Zor' (field event.place); did you mean: deir-ez-zor? ...
>>> len(ledger)
1
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from types import TracebackType
from typing import Any

import pendulum

from conflict_ledger import _drafts, _verification, records
from conflict_ledger._appending import Appending, ConcurrencyError
from conflict_ledger._book import Book, Recorded
from conflict_ledger._lazy import collector_paused
from conflict_ledger.audit import MeaningError
from conflict_ledger.canonical import canonical_json
from conflict_ledger.claims import Claim, Document
from conflict_ledger.errors import (
    InvalidClaimError,
    LedgerError,
    UnknownClaimError,
)
from conflict_ledger.events import Event
from conflict_ledger.merkle import (
    Checkpoint,
    MerkleTree,
    leaf_hash,
)
from conflict_ledger.records import Outline
from conflict_ledger.registry import Actor, Place, Registries, Registry, Source, adds_names
from conflict_ledger.stores.base import (
    ClaimIdTakenError,
    GuardsClaimIds,
    IntegrityError,
    KeepsDerived,
    Store,
    StoredRecord,
)
from conflict_ledger.stores.memory import MemoryStore
from conflict_ledger.time import to_instant

__all__ = [
    "Clock",
    "ConcurrencyError",
    "Ledger",
    "NotAStoreError",
    "Recorded",
    "fixed_clock",
    "system_clock",
]

Clock = Callable[[], pendulum.DateTime]
"""A function returning the current instant; the ledger's only source of time."""


def system_clock() -> pendulum.DateTime:
    """The machine's clock, in UTC. The default clock of a :class:`Ledger`.

    >>> system_clock().tzinfo
    Timezone('UTC')
    """
    return pendulum.now(pendulum.UTC)


def fixed_clock(when: Any) -> Clock:
    """A clock that always says ``when``: for tests, notebooks and reproducible loads.

    >>> fixed_clock("2024-12-07T12:00Z")()
    DateTime(2024, 12, 7, 12, 0, 0, tzinfo=Timezone('UTC'))
    """
    instant = to_instant(when, field="clock")
    return lambda: instant


class NotAStoreError(LedgerError, TypeError):
    """``Ledger.copy_to`` was given a path: saving at a path is ``save_ledger``'s job."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"copy_to(target={path!r}): target is a path, and copy_to takes an empty store; "
            f"to save this ledger there, call conflict_ledger.save_ledger(ledger, {path!r})"
        )


def _is_known(registries: Registries, value: Place | Actor | Source | Document) -> bool:
    if isinstance(value, Document):
        return registries.documents.get(value.sha256) == value
    registry: Registry[Any]
    if isinstance(value, Place):
        registry = registries.places
    elif isinstance(value, Actor):
        registry = registries.actors
    else:
        registry = registries.sources
    if value.id not in registry:
        return False
    held = registry[value.id]
    return held == value or adds_names(value, held)  # held: value with aliases added


_LARGE_BATCH = 1_000
"""A batch of this many claims or more is checked, encoded and written with the cyclic
garbage collector paused (:func:`~conflict_ledger._lazy.collector_paused`): drafting it
builds records, tuples and bytes without cycles, so a collection meanwhile frees nothing
and only walks the ledger's claims again, about a third of appending 50,000 generated
claims in batches of 10,000 (``benchmarks/bench_stores.py``)."""


class Ledger(Appending):
    """An append-only ledger of claims, in memory or persisted through a store.

    ``registries`` are the places, actors and sources claims may name: names and aliases
    in appended claims are resolved to their ids. ``clock`` stamps recorded time. Reading
    is by position (iteration, :meth:`since`) or by claim id (:meth:`claim`).

    ``store`` keeps the records (default: a
    :class:`~conflict_ledger.stores.memory.MemoryStore`); use :func:`~conflict_ledger.codec.open_ledger` to open
    a SQLite or JSON Lines file. Before validating, appending or reading, the ledger
    picks up whatever other processes committed to the same store. ``event_types`` name
    your own event classes so that records written by others decode.

    Every record is hashed over its RFC 8785 canonical JSON and is a leaf of an RFC 9162
    Merkle tree: :meth:`checkpoint`, :meth:`inclusion_proof` and
    :meth:`consistency_proof` prove what the ledger holds.

    >>> ledger = Ledger()
    >>> len(ledger), ledger.checkpoint().size, ledger.store.path
    (0, 0, ':memory:')
    """

    def __init__(
        self,
        *,
        registries: Registries | None = None,
        clock: Clock = system_clock,
        store: Store | None = None,
        event_types: Mapping[str, type[Event]] | None = None,
    ) -> None:
        self._registries = registries if registries is not None else Registries()
        self._clock = clock
        self._store: Store = store if store is not None else MemoryStore()
        # Without a store of its own, records are encoded and hashed only when something
        # asks for them (the store, a checkpoint, a proof): in-memory ledgers stay fast.
        self._lazy = store is None
        self._pending_values: list[Place | Actor | Source | Document] = []
        # the records read from the store when first asked for, their ids and tree
        self._book = Book(self._store, event_types)
        self._records = self._book.records  # the book's: what reading asks for most
        self._value_tree = MerkleTree()  # the value records' own tree (checkpoint registry)
        self._value_count = 0
        self._closing: list[Callable[[], None]] = []
        self._contended = False  # see Appending
        self._refresh()

    # -- the store -----------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """Where the records are kept."""
        self._materialise()
        return self._store

    def _materialise(self) -> None:
        """Write an in-memory ledger's records to its memory store, once."""
        if not self._lazy:
            return
        self._lazy = False
        values: list[StoredRecord] = []
        seen: set[bytes] = set()
        for value in self._pending_values:
            data = canonical_json(records.encode_value(value))
            if data not in seen:
                seen.add(data)
                values.append(StoredRecord.of(len(values), data))
        self._pending_values = []
        with collector_paused():
            stored = self._encoded(self._records)
        with self._store.writing():
            self._store.write(stored, values)
        self._value_count = len(values)
        self._value_tree.extend(leaf_hash(item.data) for item in values)
        self._book.written(stored)

    @property
    def keeps_derived(self) -> bool:
        """Whether the store keeps data derived from the records (:meth:`keep_derived`)."""
        return not self._lazy and isinstance(self._store, KeepsDerived)

    def derived(self, name: str) -> bytes | None:
        """What the store keeps under ``name`` that was derived from the records (a saved
        index: :meth:`~conflict_ledger.engine.AsOfIndex.save`); None when it keeps nothing
        there, or keeps no derived data (a ledger without a store of its own, a JSON
        Lines file)."""
        store = self._store
        return store.derived(name) if isinstance(store, KeepsDerived) and not self._lazy else None

    def keep_derived(self, name: str, data: bytes) -> bool:
        """Have the store keep ``data``, derived from the records, under ``name``
        (replacing what it kept there); False when it keeps no derived data."""
        store = self._store
        if not isinstance(store, KeepsDerived) or self._lazy:
            return False
        store.keep_derived(name, data)
        return True

    def refresh(self) -> None:
        """Pick up records other writers committed to the store since the last look."""
        self._refresh()

    def _refresh(self) -> None:
        if self._lazy:
            return
        store = self._store
        if store.value_count() > self._value_count:
            stored = store.values(self._value_count)
            values = [self._book.decode_value(value) for value in stored]
            # stored values count over a newer gazetteer's (Registries.shadowed_by)
            self._registries = self._registries.shadowed_by(values)
            self._value_count += len(stored)
            self._value_tree.extend(leaf_hash(value.data) for value in stored)
        self._book.grow(store.size())  # read when asked for

    @staticmethod
    def _encoded(held: Iterable[Recorded]) -> list[StoredRecord]:
        """Records appended in memory as the store keeps them, the parts claims share and
        each batch's recorded time encoded once."""
        bodies = _drafts.Bodies()
        stamps: dict[Any, bytes] = {}
        out = []
        for record in held:
            stamp = stamps.get(record.recorded_at)
            if stamp is None:
                stamp = stamps[record.recorded_at] = _drafts.stamp_of(
                    record.recorded_at.isoformat()
                )
            data = _drafts.record_bytes(bodies.body(record.claim), record.position, stamp)
            out.append(StoredRecord.of(record.position, data))
        return out

    def on_close(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once, when the ledger closes and before its store does: an
        opener's last check (a claims file's, that what changed in memory was saved).

        >>> ledger = Ledger()
        >>> ledger.on_close(lambda: print("closing"))
        >>> with ledger:
        ...     pass
        closing
        """
        self._closing.append(callback)

    def close(self) -> None:
        """Run the :meth:`on_close` callbacks, then close the store's files or connections."""
        callbacks, self._closing = self._closing, []
        try:
            for callback in callbacks:
                callback()
        finally:
            self._store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    @property
    def registries(self) -> Registries:
        """The places, actors, sources and documents claims may name."""
        return self._registries

    def register(self, *values: Place | Actor | Source | Document) -> None:
        """Add places, actors, sources or documents claims may then name.

        Registries only grow; re-registering an identical value is a no-op, and one with
        only aliases added grows the entry (see :meth:`add_aliases`). New values are
        stored with the ledger, so whoever opens it later knows them.
        """
        self._record_values(lambda registries: (registries.with_values(values), values))

    def add_aliases(
        self, target: str, *names: str, kind: str | None = None
    ) -> Place | Actor | Source:
        """Call the place, actor or source ``target`` (its id or any of its names) by
        ``names`` too, from now on and for whoever opens the ledger; return the entry.

        The entry grown by its new aliases is stored as a value record (covered by the
        checkpoint's registry root, saved and converted with the ledger); names it
        already has are skipped. ``kind`` (``"place"``, ``"actor"``, ``"source"``) says
        which registry when ``target`` names entries in two. A name that already names
        another entry raises :class:`~conflict_ledger.errors.AliasTakenError`; an unknown
        ``target``, the unknown-name error with suggestions; nothing is stored then.

        >>> from conflict_ledger.gazetteer import world
        >>> ledger = Ledger(registries=world("CD"))
        >>> ledger.add_aliases("cd-nk", "North Kivu").name
        'Nord-Kivu'
        >>> ledger.registries.places.id_of("north kivu")
        'cd-nk'
        >>> ledger.add_aliases("cd-sk", "Nord-Kivu")
        Traceback (most recent call last):
        ...
        conflict_ledger.errors.AliasTakenError: aliases='Nord-Kivu': this name already names 'cd-nk'. ...
        """
        found: list[Place | Actor | Source] = []

        def grow(registries: Registries) -> tuple[Registries, Sequence[Place | Actor | Source]]:
            grown, entry = registries.with_aliases(target, names, kind=kind)
            found.append(entry)
            return grown, (entry,)

        self._record_values(grow)
        return found[-1]

    def _record_values(
        self,
        change: Callable[
            [Registries], tuple[Registries, Sequence[Place | Actor | Source | Document]]
        ],
    ) -> None:
        """Apply ``change`` to the registries and store the values it names that they lack."""
        if self._lazy:
            registries, values = change(self._registries)
            self._pending_values.extend(v for v in values if not _is_known(self._registries, v))
            self._registries = registries
            return
        with self._store.writing():
            self._refresh()
            registries, values = change(self._registries)
            new: list[StoredRecord] = []
            seen: set[bytes] = set()
            for value in values:
                if _is_known(self._registries, value):
                    continue
                data = canonical_json(records.encode_value(value))
                if data not in seen:
                    seen.add(data)
                    new.append(StoredRecord.of(self._value_count + len(new), data))
            self._store.write((), new)
        self._registries = registries
        self._value_count += len(new)
        self._value_tree.extend(leaf_hash(value.data) for value in new)

    def append(self, claim: Claim, *, expected_size: int | None = None) -> Recorded:
        """Append one claim; see :meth:`extend`."""
        return self.extend((claim,), expected_size=expected_size)[0]

    def extend(
        self, claims: Iterable[Claim], *, expected_size: int | None = None
    ) -> tuple[Recorded, ...]:
        """Append claims atomically: all are checked first, and one bad claim rejects all.

        Names are resolved to registry ids. With ``expected_size``, the append fails with
        :class:`ConcurrencyError` unless the ledger holds exactly that many records.
        Several bad claims raise :class:`~conflict_ledger.errors.InvalidBatchError`.
        The batch is committed to the store whole before this returns.
        """
        claims = tuple(claims)
        with collector_paused() if len(claims) >= _LARGE_BATCH else nullcontext():
            records = self._extend(claims, expected_size)
        self._book.add(records)
        return records

    def _extend(self, claims: tuple[Claim, ...], expected_size: int | None) -> tuple[Recorded, ...]:
        if self._lazy:
            return self._prepare(claims, expected_size)
        try:
            records, stored = self._append_to_store(claims, expected_size)
        except ClaimIdTakenError as error:
            raise self._taken(claims, error) from None
        self._book.written(stored)
        return records

    def check(self, claims: Iterable[Claim]) -> tuple[Claim, ...]:
        """Validate claims against the ledger without appending; return them canonical.

        Raises the single error when one claim is bad, or an
        :class:`~conflict_ledger.errors.InvalidBatchError` grouping every problem.
        """
        self._refresh()
        return self._check(claims)

    # -- reading -------------------------------------------------------------------------

    def __len__(self) -> int:
        self._refresh()
        return len(self._records)

    def __iter__(self) -> Iterator[Recorded]:
        self._refresh()
        return iter(tuple(self._records))

    def records(self) -> Sequence[Recorded]:
        """Every record, in ledger order (a read-only view)."""
        self._refresh()
        return tuple(self._records)

    def since(self, position: int) -> Sequence[Recorded]:
        """The records at ``position`` and after: what a reader that saw ``position`` missed."""
        self._refresh()
        return tuple(self._records[position:])

    def outlines(self, position: int = 0) -> Iterator[Recorded | Outline]:
        """The records at ``position`` and after, for an index to read without building
        every claim: a record already read (or appended here) as its :class:`Recorded`,
        one not read yet as the :class:`~conflict_ledger.records.Outline` of its stored
        bytes (hash-checked by the store as it hands them out; the claim is built and
        checked when it is read). A record not in the shape the ledger writes is read in
        full, which names what is wrong with it.

        >>> from conflict_ledger.seed import load_seed
        >>> [type(item).__name__ for item in load_seed().outlines(14)]
        ['Recorded', 'Recorded']
        """
        self._refresh()
        yield from self._book.outlines(position)

    def at(self, position: int) -> Recorded:
        """The record at ``position``, read alone if it was not read yet.

        >>> from conflict_ledger.seed import load_seed
        >>> load_seed().at(0).position
        0
        """
        self._refresh()
        return self._records.one(position)

    def at_positions(self, positions: Sequence[int]) -> list[Recorded]:
        """The records at ``positions``, reading only those not read yet.

        >>> from conflict_ledger.seed import load_seed
        >>> [r.position for r in load_seed().at_positions([3, 1])]
        [3, 1]
        """
        self._refresh()
        return self._records.some(positions)

    def claims(self) -> tuple[Claim, ...]:
        """Every claim, in ledger order."""
        self._refresh()
        return tuple(record.claim for record in self._records)

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id."""
        return self.record(claim_id).claim

    def record(self, claim_id: str) -> Recorded:
        """The record (position, recorded time, claim) of this claim id."""
        if not self._book.knows(claim_id):
            self._refresh()
        try:
            return self._by_id([claim_id])[claim_id]
        except KeyError:
            raise UnknownClaimError(name=claim_id) from None

    def records_of(
        self, claim_ids: Iterable[str], *, missing_ok: bool = False
    ) -> dict[str, Recorded]:
        """The records of these claim ids, by id, read together (those not read yet in
        one pass by position, not one at a time, and no other claim is built); an
        unknown id raises :class:`~conflict_ledger.errors.UnknownClaimError` (with
        ``missing_ok``, it is left out).

        >>> from conflict_ledger.seed import load_seed
        >>> found = load_seed().records_of(["dawn-2024-12-07/c04", "dawn-2024-12-07/c02"])
        >>> sorted(record.position for record in found.values())
        [1, 3]
        """
        wanted = set(claim_ids)
        if not all(self._book.knows(claim_id) for claim_id in wanted):
            self._refresh()
        by_id = self._by_id(wanted)
        missing = [claim_id for claim_id in wanted if claim_id not in by_id]
        if missing and not missing_ok:
            raise UnknownClaimError(name=missing[0])
        return by_id.some(wanted.difference(missing))

    def quote(self, claim_id: str, text: str) -> tuple[str, ...]:
        """The passages of ``text`` a claim's evidence cites, after checking the hash."""
        evidence = self.claim(claim_id).evidence
        if evidence is None:
            raise InvalidClaimError(
                field="evidence",
                value=None,
                claim_id=claim_id,
                problem="this claim cites no document",
                hint="Quote a claim that has evidence.",
            )
        return evidence.quote(text)

    # -- proofs --------------------------------------------------------------------------

    def checkpoint(self, *, origin: str = "conflict-ledger") -> Checkpoint:
        """The ledger's size and Merkle root now, and its registry's, to publish (see
        :class:`~conflict_ledger.merkle.Checkpoint`)."""
        self._materialise()
        self._refresh()
        tree = self._book.leaves()
        return Checkpoint(
            origin=origin,
            size=len(tree),
            root=tree.root(),
            registry_size=len(self._value_tree),
            registry_root=self._value_tree.root(),
        )

    def leaf_hash(self, position: int) -> bytes:
        """The Merkle leaf hash of the record at ``position``."""
        self._materialise()
        self._refresh()
        return self._book.leaves().leaf(position)

    def inclusion_proof(self, claim: str | int, *, size: int | None = None) -> tuple[bytes, ...]:
        """The proof that a claim (by id or position) is in the ledger of ``size`` records.

        Check it with :func:`conflict_ledger.merkle.verify_inclusion` against a checkpoint.
        """
        self._materialise()
        position = claim if isinstance(claim, int) else self.record(claim).position
        self._refresh()
        return self._book.leaves().inclusion_proof(position, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> tuple[bytes, ...]:
        """The proof that the ledger of ``new_size`` records extends the one of ``old_size``.

        Check it with :func:`conflict_ledger.merkle.verify_consistency`.
        """
        self._materialise()
        self._refresh()
        return self._book.leaves().consistency_proof(old_size, new_size)

    def verify(
        self,
        *,
        checkpoint: Checkpoint | None = None,
        exact: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> Checkpoint:
        """Re-read every stored record, check its hash, position, content and meaning,
        rebuild the Merkle trees of records and values, and check that the ledger extends
        ``checkpoint``; return today's.

        Raises :class:`~conflict_ledger.stores.base.IntegrityError` naming the first bad
        record (a :class:`~conflict_ledger.audit.MeaningError` when its hash is sound but
        its meaning is not: a reused claim id, an unknown place...; :meth:`audit` lists
        them all), or :class:`~conflict_ledger.merkle.ProofError` when the ledger is not
        an extension of the checkpoint (it was rewritten or cut short). With ``exact``,
        the checkpoint is the latest published: records after it raise ProofError too.
        ``progress`` (optional) is told ``(records checked, records in all)`` every 10,000
        records and at the end (a million take about half a minute).
        """
        self._materialise()
        self._refresh()
        return _verification.verify(
            self._book,
            self._value_tree,
            self._registries,
            checkpoint=checkpoint,
            exact=exact,
            progress=progress,
        )

    def audit(self) -> tuple[MeaningError, ...]:
        """Every record whose hash is sound but whose meaning is not, in ledger order
        (see :mod:`conflict_ledger.audit`); empty for a ledger this library wrote."""
        self._materialise()
        self._refresh()
        return _verification.reread(self._book, self._value_tree, self._registries)[2]

    def copy_to(self, target: Store) -> None:
        """Copy every value and record, byte for byte (so every hash is kept), into an
        empty ``target`` store: export and import between SQLite, JSON Lines and memory.

        To save at a path, in the format the path names, registries included, use
        :func:`conflict_ledger.save_ledger` (the one way to save; it calls this).
        """
        if isinstance(target, str | os.PathLike):
            raise NotAStoreError(os.fspath(target))
        self._materialise()
        self._refresh()
        if target.size() or target.value_count():
            raise IntegrityError(
                path=target.path,
                problem="the target store is not empty",
                hint="Copy into a new file.",
            )
        records, values = list(self._store.records(0)), list(self._store.values(0))
        ids = self._book.ids_in_order()
        with target.writing():
            if isinstance(target, GuardsClaimIds) and len(set(ids)) == len(ids):
                # the target's index of claim ids filled with the records (a forged
                # reuse is copied as it is, and found by verify, not refused here)
                target.write([], values)
                target.write_claims(records, ids)
            else:
                target.write(records, values)

    def __repr__(self) -> str:
        return f"<Ledger of {len(self._records)} claims>"
