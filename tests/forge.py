"""What a forger with write access to a ledger file can do, for the audit and tamper tests.

Every forgery here is *capable*: it writes canonical JSON and recomputes every hash, so
only the meaning checks (``conflict_ledger.audit``) and a published checkpoint can catch
it. ``open_store`` opens the file's store directly, below the ``Ledger``'s checks.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from conflict_ledger import Captured, Claim, SourceChain, ValidTime
from conflict_ledger.canonical import canonical_json
from conflict_ledger.codec import open_ledger
from conflict_ledger.ledger import fixed_clock
from conflict_ledger.merkle import Checkpoint
from conflict_ledger.stores import JsonlStore, SqliteStore, StoredRecord
from conflict_ledger.testing.strategies import BASE, registries

REGISTRIES = registries()
CLOCK = fixed_clock(BASE)
SUFFIXES = (".jsonl", ".sqlite")


def make_claim(name: str, hour: int = 0, place: str = "p0") -> Claim:
    return Claim(
        id=name,
        event=Captured(place=place, actor="a1"),
        valid=ValidTime.exact(BASE.add(hours=hour)),
        reported_at=BASE.add(hours=hour + 1),
        source=SourceChain.of("s0"),
    )


def build(path: Path, count: int = 6) -> Checkpoint:
    """A ledger of ``count`` claims in batches of two, its registries stored with it;
    return its checkpoint (what its keeper published)."""
    with open_ledger(path, clock=CLOCK, create=True) as ledger:
        ledger.register(*REGISTRIES.places, *REGISTRIES.actors, *REGISTRIES.sources)
        for start in range(0, count, 2):
            ledger.extend(make_claim(f"c{i}", i, f"p{i % 3}") for i in range(start, start + 2))
        return ledger.checkpoint()


def open_store(path: Path) -> JsonlStore | SqliteStore:
    return JsonlStore(path) if path.suffix == ".jsonl" else SqliteStore(path)


def stored(path: Path) -> tuple[list[dict[str, Any]], list[bytes]]:
    """The claim records (parsed) and the value records (bytes) of a ledger file."""
    store = open_store(path)
    try:
        return [json.loads(r.data) for r in store.records()], [v.data for v in store.values()]
    finally:
        store.close()


def append_raw(path: Path, *records: dict[str, Any], data: bytes | None = None) -> None:
    """Append records, re-hashed (``data``: these exact bytes instead): through the JSON
    Lines store; to a SQLite file with plain SQL, as the store packs them, below its
    index of claim ids (which would refuse a reused id)."""
    items = [data] if data is not None else [canonical_json(r) for r in records]
    store = open_store(path)
    try:
        size = store.size()
        made = [StoredRecord.of(size + i, item) for i, item in enumerate(items)]
        if isinstance(store, JsonlStore):
            with store.writing():
                store.write(made, [])
            return
        rows = [(r.position, store._pack(r.data), r.hash) for r in made]
    finally:
        store.close()
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.executemany("INSERT INTO claims(position, data, hash) VALUES (?, ?, ?)", rows)
    finally:
        db.close()


def rewrite(path: Path, records: list[dict[str, Any]], values: list[bytes]) -> None:
    """Replace the file by a new one of these records (renumbered) and values, every hash
    recomputed: what a forger who rewrites the whole file leaves."""
    meta = open_store(path)
    settings = {k: v for k, v in meta.meta().items() if k in ("gazetteer",)}
    meta.close()
    for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        extra.unlink(missing_ok=True)
    store = JsonlStore(path, meta=settings) if path.suffix == ".jsonl" else SqliteStore(path)
    renumbered = [{**record, "position": i} for i, record in enumerate(records)]
    try:
        with store.writing():
            store.write(
                [StoredRecord.of(i, canonical_json(r)) for i, r in enumerate(renumbered)],
                [StoredRecord.of(i, v) for i, v in enumerate(values)],
            )
    finally:
        store.close()


def edit_in_place(path: Path, position: int, data: bytes, *, rehash: bool) -> None:
    """Overwrite one claim record where it lies; SQLite: with the triggers dropped."""
    digest = hashlib.sha256(data).digest() if rehash else None
    if path.suffix == ".sqlite":
        store = SqliteStore(path)
        packed = store._pack(data)  # as the store packs (compact: deflated)
        store.close()
        db = sqlite3.connect(path, isolation_level=None)
        try:
            for trigger in ("claims_no_update", "claims_no_delete", "claims_dense"):
                db.execute(f"DROP TRIGGER {trigger}")
            if digest is None:
                db.execute("UPDATE claims SET data=? WHERE position=?", (packed, position))
            else:
                db.execute(
                    "UPDATE claims SET data=?, hash=? WHERE position=?", (packed, digest, position)
                )
        finally:
            db.close()
        return
    lines = path.read_bytes().split(b"\n")
    index = [i for i, line in enumerate(lines) if b'","record":' in line[:90]][position]
    old_hash = lines[index][9:73]
    new_hash = digest.hex().encode() if digest is not None else old_hash
    lines[index] = b'{"hash":"' + new_hash + b'","record":' + data + b"}"
    path.write_bytes(b"\n".join(lines))
