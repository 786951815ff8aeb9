"""What every store does, the records it keeps, and the errors it raises.

A store keeps two append-only sequences of canonical JSON records, each with its
SHA-256: *claim records* (positions 0, 1, 2, ...) and *value records* (the places,
actors, sources and documents registered with the ledger). It knows nothing of claims:
the :class:`~conflict_ledger.ledger.Ledger` encodes, validates and decodes; the store
keeps bytes safe.

>>> record = StoredRecord.of(0, b'{"schema":1}')
>>> record.hash.hex()[:12]
'67d6291b3014'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

import attrs

from conflict_ledger.errors import LedgerError

__all__ = [
    "SCHEMA_VERSION",
    "AppendOnlyError",
    "ClaimIdTakenError",
    "GuardsClaimIds",
    "IntegrityError",
    "KeepsDerived",
    "ReadsByPosition",
    "ServerError",
    "StorageError",
    "Store",
    "StoredRecord",
    "TornWriteError",
    "check_follows_on",
]

SCHEMA_VERSION = 1
"""The schema version of the claim records this library writes (and the newest it reads)."""


@attrs.frozen(kw_only=True)
class StoredRecord:
    """One record as written: its ``position``, its canonical JSON ``data`` and the
    SHA-256 ``hash`` of exactly those bytes. (Value records use ``position`` for their
    own sequence number.)"""

    position: int
    data: bytes
    hash: bytes

    @classmethod
    def of(cls, position: int, data: bytes) -> StoredRecord:
        """A record with its hash computed from ``data``."""
        return cls(position=position, data=data, hash=hashlib.sha256(data).digest())


class IntegrityError(LedgerError, ValueError):
    """A stored record is not what was written: edited, corrupted, reordered or missing.

    ``path`` is the ledger file, ``position`` the claim position (or None), ``line`` the
    line number in a JSON Lines file (or None), ``problem`` what is wrong.

    >>> error = IntegrityError(path="l.sqlite", position=7, problem="the record was edited")
    >>> error.position, isinstance(error, ValueError)
    (7, True)
    """

    def __init__(
        self,
        *,
        path: str,
        problem: str,
        position: int | None = None,
        line: int | None = None,
        offset: int | None = None,
        hint: str = "Restore the ledger from a copy you trust; compare with a published "
        "checkpoint (conflict-ledger verify LEDGER --checkpoint FILE).",
    ) -> None:
        self.path = path
        self.problem = problem
        self.position = position
        self.line = line
        self.offset = offset
        where = []
        if line is not None:
            where.append(f"line {line}")
        if offset is not None:
            where.append(f"byte {offset}")
        if position is not None:
            where.append(f"record {position}")
        place = f" ({', '.join(where)})" if where else ""
        super().__init__(f"{path}{place}: {problem}. {hint}")


class TornWriteError(IntegrityError):
    """A JSON Lines ledger ends in a partial line: a write was interrupted.

    The whole lines before it are intact. Repair moves the torn bytes to a side file
    (``JsonlStore.repair``); nothing is deleted.

    >>> str(TornWriteError(path="l.jsonl", line=31, offset=17767, problem="a torn line"))[:38]
    'l.jsonl (line 31, byte 17767): a torn '
    """


class AppendOnlyError(LedgerError, PermissionError):
    """Something tried to update, delete or replace a stored claim; ledgers only grow.

    >>> isinstance(AppendOnlyError(path="l.sqlite", detail="DELETE refused"), PermissionError)
    True
    """

    def __init__(self, *, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"{path}: {detail}: claims are never updated, deleted or replaced. "
            "Append a correction (supersedes=...) or a Retraction instead."
        )


class ClaimIdTakenError(LedgerError, ValueError):
    """A store that keeps its own index of claim ids (:class:`GuardsClaimIds`) refused a
    batch because one of its claim ids is in the ledger already: another writer appended
    it first. Nothing of the batch was written. The ledger turns this into a
    :class:`~conflict_ledger.errors.DuplicateClaimError` naming the id.

    >>> print(ClaimIdTakenError(path="postgresql://db/desk?ledger=syria"))
    postgresql://db/desk?ledger=syria: a claim id of the batch is in the ledger already (another writer appended it first); nothing was appended. Give each claim an id of its own; an id already used is never replaced.
    """

    def __init__(self, *, path: str) -> None:
        self.path = path
        super().__init__(
            f"{path}: a claim id of the batch is in the ledger already (another writer "
            "appended it first); nothing was appended. Give each claim an id of its own; "
            "an id already used is never replaced."
        )


class StorageError(LedgerError, OSError):
    """The disk refused a write (full, I/O error, locked): nothing of the batch was kept.

    >>> isinstance(StorageError(path="l.jsonl", detail="No space left on device"), OSError)
    True
    """

    def __init__(
        self,
        *,
        path: str,
        detail: str,
        hint: str = "Free disk space or fix the device, then append again.",
    ) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"{path}: the write failed ({detail}); nothing of this batch was recorded. {hint}"
        )


class ServerError(LedgerError, OSError):
    """A database server could not be reached, or refused a request (a role without the
    grant, a missing schema); ``detail`` is what the server said, ``hint`` what to do.

    >>> error = ServerError(path="postgresql://db/desk?ledger=x", detail="connection refused")
    >>> isinstance(error, OSError), error.detail
    (True, 'connection refused')
    """

    def __init__(
        self,
        *,
        path: str,
        detail: str,
        hint: str = "Check that the server runs and that the URL names it.",
    ) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: {detail}. {hint}")


def check_follows_on(path: str, records: Sequence[StoredRecord], expected: int) -> None:
    """Refuse a batch whose positions do not run on from ``expected`` without a gap.

    >>> check_follows_on(":memory:", [StoredRecord.of(0, b"{}")], 0)
    >>> check_follows_on(":memory:", [StoredRecord.of(2, b"{}")], 0)
    Traceback (most recent call last):
    ...
    conflict_ledger.stores.base.IntegrityError: ...positions must follow on from 0...
    """
    for offset, record in enumerate(records):
        if record.position != expected + offset:
            raise IntegrityError(
                path=path,
                position=record.position,
                problem=f"positions must follow on from {expected}",
                hint="Append through the Ledger, which numbers records.",
            )


@runtime_checkable
class ReadsByPosition(Protocol):
    """A store that reads claim records at given positions without reading those between
    (the SQLite, PostgreSQL and memory stores): what an explanation of one place reads."""

    def records_at(self, positions: Sequence[int]) -> Iterator[StoredRecord]:
        """The claim records at ``positions`` (ascending, distinct), in that order, each
        checked against its hash; a position the store does not hold is left out."""
        ...


@runtime_checkable
class GuardsClaimIds(Protocol):
    """A store whose server keeps an index of the claim ids, refusing a batch that reuses
    one (the PostgreSQL store). Its writers need not read each other's records to refuse
    a duplicate id: they ask the index about their batch's ids, and the index refuses,
    at commit, an id another writer appended meanwhile (:class:`ClaimIdTakenError`).

    The records stay the truth: the index is derived from them (`verify` reads the ids in
    the records themselves and names any used twice)."""

    def claim_positions(self, claim_ids: Sequence[str]) -> tuple[dict[str, int], int] | None:
        """The positions of those of ``claim_ids`` the index holds, and how many records
        (from position 0) it covers; None when the store keeps no index of claim ids."""
        ...

    def guards_claim_ids(self) -> bool:
        """Whether :meth:`write_claims` refuses a claim id already in the ledger (only
        inside ``writing()``: the index is made on the first batch that needs it)."""
        ...

    def write_claims(self, records: Sequence[StoredRecord], claim_ids: Sequence[str]) -> None:
        """Append claim records (as :meth:`Store.write`) with their claim ids (in order);
        raise :class:`ClaimIdTakenError` at commit or before when an id is taken."""
        ...


@runtime_checkable
class KeepsDerived(Protocol):
    """A store that can also keep data derived from its records (a saved index) beside
    them: not part of the ledger, replaced at will, named by what it was derived from.
    The SQLite and memory stores do; a store that does not is still a store."""

    def derived(self, name: str) -> bytes | None:
        """The data kept under ``name`` (None: nothing kept)."""
        ...

    def keep_derived(self, name: str, data: bytes) -> None:
        """Keep ``data`` under ``name``, replacing what was kept there."""
        ...


class Store(Protocol):
    """Durable, append-only storage of canonical records (see the module docstring).

    Writes happen inside ``writing()``, which holds the store's exclusive lock (a
    SQLite write transaction, a file lock): a writer re-reads the store inside it, then
    calls :meth:`write`, and the batch is committed whole, or not at all, when the block
    ends.
    """

    path: str
    """Where the store lives (``":memory:"`` for a memory store)."""

    def size(self) -> int:
        """How many claim records are committed."""
        ...

    def value_count(self) -> int:
        """How many value records are committed."""
        ...

    def records(self, start: int = 0) -> Iterator[StoredRecord]:
        """Claim records from position ``start`` on, each checked against its hash."""
        ...

    def values(self, start: int = 0) -> Sequence[StoredRecord]:
        """Value records from sequence number ``start`` on, each checked against its hash."""
        ...

    def writing(self) -> AbstractContextManager[None]:
        """Hold the exclusive write lock; commit at the end of the block."""
        ...

    def write(self, records: Sequence[StoredRecord], values: Sequence[StoredRecord]) -> None:
        """Append records and values (only inside :meth:`writing`); positions must follow on."""
        ...

    def meta(self) -> dict[str, str]:
        """The store's settings recorded at creation (e.g. the gazetteer's name)."""
        ...

    def close(self) -> None:
        """Release files and connections."""
        ...
