"""Where a ledger keeps its records: in memory, in SQLite, in a JSON Lines file, or in a
PostgreSQL database shared by a team.

All keep the same thing, canonical JSON records with their SHA-256, and pass the
same conformance suite; :func:`conflict_ledger.open_ledger` picks one by the path's
suffix, or a ``postgresql://`` URL. See docs/integrity.md.

>>> from conflict_ledger.stores import MemoryStore
>>> MemoryStore().size()
0
"""

from conflict_ledger.stores.base import (
    SCHEMA_VERSION,
    AppendOnlyError,
    ClaimIdTakenError,
    IntegrityError,
    ServerError,
    StorageError,
    Store,
    StoredRecord,
    TornWriteError,
)
from conflict_ledger.stores.jsonl import JsonlStore, TornTail
from conflict_ledger.stores.memory import MemoryStore
from conflict_ledger.stores.postgres import PostgresStore
from conflict_ledger.stores.schema import UPCASTERS, upcast
from conflict_ledger.stores.sqlite import SqliteStore

__all__ = [
    "SCHEMA_VERSION",
    "UPCASTERS",
    "AppendOnlyError",
    "ClaimIdTakenError",
    "IntegrityError",
    "JsonlStore",
    "MemoryStore",
    "PostgresStore",
    "ServerError",
    "SqliteStore",
    "StorageError",
    "Store",
    "StoredRecord",
    "TornTail",
    "TornWriteError",
    "upcast",
]
