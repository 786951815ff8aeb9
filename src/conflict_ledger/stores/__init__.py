"""Where a ledger keeps its records: in memory, in SQLite, or in a JSON Lines file.

All three keep the same thing, canonical JSON records with their SHA-256, and pass the
same conformance suite; :func:`conflict_ledger.open_ledger` picks one by the path's
suffix. See docs/integrity.md.

>>> from conflict_ledger.stores import MemoryStore
>>> MemoryStore().size()
0
"""

from conflict_ledger.stores.base import (
    SCHEMA_VERSION,
    AppendOnlyError,
    IntegrityError,
    StorageError,
    Store,
    StoredRecord,
    TornWriteError,
)
from conflict_ledger.stores.jsonl import JsonlStore, TornTail
from conflict_ledger.stores.memory import MemoryStore
from conflict_ledger.stores.schema import UPCASTERS, upcast
from conflict_ledger.stores.sqlite import SqliteStore

__all__ = [
    "SCHEMA_VERSION",
    "UPCASTERS",
    "AppendOnlyError",
    "IntegrityError",
    "JsonlStore",
    "MemoryStore",
    "SqliteStore",
    "StorageError",
    "Store",
    "StoredRecord",
    "TornTail",
    "TornWriteError",
    "upcast",
]
