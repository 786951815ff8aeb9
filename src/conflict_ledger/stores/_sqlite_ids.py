"""A SQLite ledger's index of claim ids (private; :class:`~conflict_ledger.stores.SqliteStore`
uses it).

The ``claim_ids`` table maps each claim id to its record's position, and its primary key
refuses an id used twice: a writer appending to a big ledger asks it about the ids its
batch retracts or corrects (one query) instead of reading the id of every record, and a
saved index brought up to date reads only the records it needs. Like PostgreSQL's
(``stores/postgres.py``), it is derived from the records, which stay the truth: ``verify``
reads the ids in the records themselves, and a lookup whose record holds another id
raises :class:`~conflict_ledger.stores.base.IntegrityError`.

A new file has the table from the start. A file written by an earlier version gets it
from the first batch appended to it (filled from the records, once: about 5 s for a
million); until then, and for a reader that may not write, lookups read the records as
before. How many records it covers (from position 0) is kept in the ``meta`` table under
:data:`COVER`, written in the same transaction as the ids, so an earlier version's
appends (which do not fill it) leave it behind, never wrong: the next batch fills it in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence

import orjson

from conflict_ledger.stores.base import IntegrityError, StoredRecord

__all__ = ["COVER", "SCHEMA", "ClaimIds"]

COVER = "claim_ids_cover"

SCHEMA = """
CREATE TABLE IF NOT EXISTS claim_ids (
    claim_id TEXT PRIMARY KEY,
    position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS claim_ids_no_update BEFORE UPDATE ON claim_ids
BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on claim_ids refused'); END;
CREATE TRIGGER IF NOT EXISTS claim_ids_no_delete BEFORE DELETE ON claim_ids
BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on claim_ids refused'); END;
"""

_BY_ID = 500  # ids a query looks up (SQLite before 3.32 allows 999 parameters)


def taken(error: sqlite3.IntegrityError) -> bool:
    """Whether ``error`` is the index refusing a claim id already in the ledger."""
    return "claim_ids.claim_id" in str(error)


class ClaimIds:
    """The ``claim_ids`` table of one connection: lookups, and ids added with a batch."""

    def __init__(self, db: sqlite3.Connection, path: str) -> None:
        self._db = db
        self._path = path
        self._exists: bool | None = None  # None: not looked yet

    def exists(self) -> bool:
        if self._exists is None:
            found = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='claim_ids'"
            ).fetchone()
            self._exists = found is not None
        return self._exists

    def forget(self) -> None:
        """After a rollback: the table may have been made in the batch undone."""
        self._exists = None

    def create(self) -> None:
        """Make the table (inside the open write transaction), covering nothing yet."""
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                self._db.execute(statement)
        self._exists = True

    def cover(self) -> int:
        """How many records, from position 0, the table holds the ids of."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (COVER,)).fetchone()
        return 0 if row is None else int(row[0])

    def rows(self) -> dict[str, int]:
        """Every claim id the table holds, with its position."""
        return {
            str(i): int(p) for i, p in self._db.execute("SELECT claim_id, position FROM claim_ids")
        }

    def rebuild(self, stop: int, records: Callable[[int], Iterator[StoredRecord]]) -> None:
        """The table made again from the records (inside the open write transaction): it
        is derived from them, so nothing of the ledger is lost."""
        self._db.execute("DROP TABLE IF EXISTS claim_ids")
        self._db.execute("DELETE FROM meta WHERE key = ?", (COVER,))
        self.create()
        self.fill(stop, records)

    def positions(self, claim_ids: Sequence[str]) -> dict[str, int]:
        """The positions of those of ``claim_ids`` the table holds."""
        found: dict[str, int] = {}
        for begin in range(0, len(claim_ids), _BY_ID):
            chunk = list(claim_ids[begin : begin + _BY_ID])
            rows = self._db.execute(
                "SELECT claim_id, position FROM claim_ids WHERE claim_id IN "
                f"({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((str(claim_id), int(position)) for claim_id, position in rows)
        return found

    def add(self, first: int, claim_ids: Iterable[str], stop: int) -> None:
        """Add the ids of the records from ``first`` (inside the open write transaction)
        and record that the table covers ``stop`` records. A claim id already there
        raises ``sqlite3.IntegrityError`` (see :func:`taken`)."""
        self._db.executemany(
            "INSERT INTO claim_ids(claim_id, position) VALUES (?, ?)",
            zip(claim_ids, range(first, stop), strict=True),
        )
        self._db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (COVER, str(stop)),
        )

    def fill(self, stop: int, records: Callable[[int], Iterator[StoredRecord]]) -> None:
        """Bring the table up to ``stop`` records from the records themselves (each id
        read from its record's JSON): records written by an earlier version, or copied."""
        start = self.cover()
        if start >= stop:
            return
        ids = [ids_of(record, self._path) for record in _until(records(start), stop)]
        try:
            self.add(start, ids, start + len(ids))
        except sqlite3.IntegrityError as error:
            raise IntegrityError(
                path=self._path,
                problem=f"the records hold a claim id twice ({error})",
                hint="Run conflict-ledger verify on the ledger: it names the records.",
            ) from None


def _until(records: Iterator[StoredRecord], stop: int) -> Iterator[StoredRecord]:
    for record in records:
        if record.position >= stop:
            return
        yield record


def ids_of(record: StoredRecord, path: str) -> str:
    """The claim id a stored claim record holds."""
    try:
        claim_id = orjson.loads(record.data)["claim"]["id"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        claim_id = None
    if not isinstance(claim_id, str):
        raise IntegrityError(
            path=path,
            position=record.position,
            problem="a claim record holds no claim id",
            hint="Run conflict-ledger verify on the ledger: it names the record.",
        )
    return claim_id
