"""The SQLite store: the default for ``.sqlite`` and ``.db`` paths (stdlib ``sqlite3``).

The database runs in WAL mode (readers never block the writer), each append batch is one
``BEGIN IMMEDIATE`` transaction, and ``synchronous=FULL`` makes a returned append survive
a power cut. ``synchronous="NORMAL"`` is faster and still survives a killed process, but a
power cut may lose the last few committed batches (never tear one).

Triggers make the ``claims`` table append-only even to plain SQL: UPDATE and DELETE are
refused, and, with ``recursive_triggers`` on, so is ``INSERT OR REPLACE`` (its implicit
delete fires the delete trigger). Positions must follow on with no gap.

>>> import tempfile, os
>>> from conflict_ledger.stores.base import StoredRecord
>>> path = os.path.join(tempfile.mkdtemp(), "demo.sqlite")
>>> store = SqliteStore(path)
>>> with store.writing():
...     store.write([StoredRecord.of(0, b"{}")], [])
>>> store.execute("DELETE FROM claims")
Traceback (most recent call last):
...
conflict_ledger.stores.base.AppendOnlyError: ...: DELETE on claims refused: claims are never updated, deleted or replaced. ...
>>> store.size()
1
>>> store.close()
"""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
import urllib.parse
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from conflict_ledger.errors import LedgerNotFoundError, NotALedgerError
from conflict_ledger.stores.base import (
    AppendOnlyError,
    IntegrityError,
    StorageError,
    StoredRecord,
)

__all__ = ["SqliteStore"]

FORMAT = "conflict-ledger/sqlite"
VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claims (
    position INTEGER PRIMARY KEY,
    data BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS vals (
    seq INTEGER PRIMARY KEY,
    data BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS claims_no_update BEFORE UPDATE ON claims
BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on claims refused'); END;
CREATE TRIGGER IF NOT EXISTS claims_no_delete BEFORE DELETE ON claims
BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on claims refused'); END;
CREATE TRIGGER IF NOT EXISTS claims_dense BEFORE INSERT ON claims
WHEN NEW.position IS NOT (SELECT coalesce(max(position) + 1, 0) FROM claims)
BEGIN SELECT RAISE(ABORT, 'append-only: a claim position out of sequence refused'); END;
CREATE TRIGGER IF NOT EXISTS vals_no_update BEFORE UPDATE ON vals
BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on vals refused'); END;
CREATE TRIGGER IF NOT EXISTS vals_no_delete BEFORE DELETE ON vals
BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on vals refused'); END;
"""

_SQLITE_IOERR = 10
_SQLITE_FULL = 13

COMPRESSION = "deflate-dictionary-1"
"""The ``compression`` a compact database records in its meta table: each claim record is
a raw deflate stream (RFC 1951) primed with the preset dictionary the meta table holds.
Readers inflate with this library's 4 KiB window, then, if a record refers further back,
with a 32 KiB one, so any writer's window size reads."""

# How new records are deflated. A 4 KiB window holds the dictionary and a record; a small
# hash table (memory level 4) makes the primed compressor cheap to copy (about 6 us a
# record, where level 6 with the default 256 KiB of state cost about 20 us to copy) for
# the same size. Level 1 writes about 15 bytes a record more than level 6, 1 us faster.
_LEVEL = 1
_WINDOW_BITS = 12
_MEMORY_LEVEL = 4

# The preset dictionary of compact databases: the keys and common values of a claim
# record. A new database copies it into its meta table, so a later change here never
# affects how an existing file reads.
_DICTIONARY = (
    b'{"claim":{"credibility":null,"event":{"actor":"","extent":"all","from_actor":null,'
    b'"place":"","type":"attacked","verb":"captured"},"evidence":{"document":"","paraphrase":'
    b'"","spans":[]},"id":"","modality":"asserted","note":"","record":"claim","reported_at":'
    b'"2024-01-01T00:00:00+00:00","source":[{"role":"origin","said_on":null,"source":""},'
    b'{"role":"carrier","said_on":null,"source":""}],"supersedes":null,"valid":{"end":'
    b'"2024-01-01T00:00:00+00:00","precision":"exact","start":"2024-01-01T00:00:00+00:00"}},'
    b'"position":0,"recorded_at":"2024-01-01T00:00:00+00:00","schema":1}'
    b'"precision":"hour""precision":"day""type":"captured""type":"advanced""type":"holds"'
    b'"modality":"denied""modality":"forecast""credibility":null,"evidence":null,'
)


def _connect(path: str, *, create: bool, timeout: float) -> sqlite3.Connection:
    """A connection to ``path``; without ``create``, only to a file that exists."""
    if os.path.isdir(path):
        raise NotALedgerError(path=path, problem="it is a directory")
    if create:
        return sqlite3.connect(path, timeout=timeout, isolation_level=None)
    if not os.path.exists(path):
        raise LedgerNotFoundError(path=path)
    uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=rw"
    return sqlite3.connect(uri, timeout=timeout, isolation_level=None, uri=True)


class SqliteStore:
    """Claim and value records in a SQLite database file.

    ``synchronous`` is ``"FULL"`` (default: an acknowledged append survives power loss)
    or ``"NORMAL"`` (faster; survives a crashed process, not necessarily a power cut).
    ``meta`` is recorded when the file is created (e.g. ``{"gazetteer": "syria"}``).
    ``compact`` (for a new file; the default) stores claim records deflated against a
    preset dictionary of their keys: about a quarter of the bytes on disk (some 150 bytes
    a claim instead of about 590) for about 6 microseconds a claim more on append and 2
    on reading. ``compact=False`` keeps the canonical JSON as written, readable with
    plain SQL. Either way the hash is over the canonical record, reading restores it
    exactly, and an existing file reads as it was written (its meta table says how).
    ``create=False`` opens only an existing ledger and writes no schema: a missing
    file raises :class:`~conflict_ledger.errors.LedgerNotFoundError`, a database
    without the ledger's tables :class:`~conflict_ledger.errors.NotALedgerError` or
    :class:`~conflict_ledger.stores.base.IntegrityError`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous: Literal["FULL", "NORMAL"] = "FULL",
        meta: dict[str, str] | None = None,
        timeout: float = 60.0,
        compact: bool = True,
        create: bool = True,
    ) -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous must be 'FULL' or 'NORMAL', not {synchronous!r}")
        self.path = os.fspath(path)
        self._writing = False
        self._db = _connect(self.path, create=create, timeout=timeout)
        try:
            if not create:  # before anything that could write, such as the WAL switch
                self._check_tables()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={synchronous}")
            self._db.execute("PRAGMA recursive_triggers=ON")
            if create:
                self._create(meta, compact=compact)
            row = self._db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if row is None or row[0] != FORMAT:
                raise IntegrityError(
                    path=self.path, problem=f"its meta table does not name {FORMAT} (damaged?)"
                )
            self._compression()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            # Python decodes SQLite text as UTF-8 itself: damaged text is a UnicodeDecodeError
            self._db.close()
            raise IntegrityError(
                path=self.path, problem=f"not a readable SQLite ledger ({error})"
            ) from None
        except BaseException:
            self._db.close()
            raise

    def _create(self, meta: dict[str, str] | None, *, compact: bool) -> None:
        """Create the tables and triggers if missing, and record ``meta`` in a new file."""
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";\n"):
                if statement.strip():
                    self._db.execute(statement)
            row = self._db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if row is None:
                settings = {"format": FORMAT, "version": VERSION, **(meta or {})}
                if compact:
                    settings["compression"] = COMPRESSION
                    settings["dictionary"] = base64.b64encode(_DICTIONARY).decode()
                self._db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", settings.items())
            self._db.execute("COMMIT")

    def _check_tables(self) -> None:
        """Refuse a database that lacks a ledger's tables, without creating them."""
        tables = {
            str(row[0])
            for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "meta" not in tables:
            problem = "an empty SQLite database" if not tables else "a SQLite database"
            raise NotALedgerError(
                path=self.path,
                problem=f"{problem} without a conflict-ledger meta table",
                hint="Check the path; open it with create=True only to start a new ledger.",
            )
        missing = sorted({"claims", "vals"} - tables)
        if missing:
            raise IntegrityError(
                path=self.path,
                problem=f"the ledger's {' and '.join(missing)} table is missing (dropped?)",
            )

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn sqlite3 errors into the library's typed errors, rolling back."""
        try:
            yield
        except sqlite3.IntegrityError as error:
            self._rollback()
            text = str(error)
            if "append-only" in text or "UNIQUE" in text:
                raise AppendOnlyError(
                    path=self.path, detail=text.removeprefix("append-only: ")
                ) from None
            raise IntegrityError(path=self.path, problem=text) from None
        except sqlite3.OperationalError as error:
            self._rollback()
            code = getattr(error, "sqlite_errorcode", 0) & 0xFF
            text = str(error)
            if code in (_SQLITE_FULL, _SQLITE_IOERR) or "full" in text or "I/O" in text:
                raise StorageError(path=self.path, detail=text) from None
            if "locked" in text or "busy" in text:
                raise StorageError(
                    path=self.path, detail=f"{text}; another writer holds it"
                ) from None
            raise

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A damaged page or a dropped table met while reading is an IntegrityError."""
        try:
            yield
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise IntegrityError(
                path=self.path, problem=f"the database cannot be read ({error})"
            ) from None

    def size(self) -> int:
        """How many claim records are committed."""
        with self._reading():
            row = self._db.execute("SELECT coalesce(max(position) + 1, 0) FROM claims").fetchone()
        return int(row[0])

    def value_count(self) -> int:
        """How many value records are committed."""
        with self._reading():
            row = self._db.execute("SELECT coalesce(max(seq) + 1, 0) FROM vals").fetchone()
        return int(row[0])

    def _compression(self) -> None:
        settings = self.meta()
        self._compressor: Any = None
        self._dictionary = b""
        if "compression" not in settings:
            return
        if settings["compression"] != COMPRESSION:
            raise IntegrityError(
                path=self.path, problem=f"unknown compression {settings['compression']!r}"
            )
        try:
            dictionary = base64.b64decode(settings["dictionary"], validate=True)
        except (KeyError, ValueError):  # binascii.Error is a ValueError
            raise IntegrityError(
                path=self.path, problem="the compression dictionary in its meta table is damaged"
            ) from None
        self._dictionary = dictionary
        self._compressor = zlib.compressobj(
            _LEVEL, zlib.DEFLATED, -_WINDOW_BITS, _MEMORY_LEVEL, zlib.Z_DEFAULT_STRATEGY, dictionary
        )

    def _pack(self, data: bytes) -> bytes:
        if self._compressor is None:
            return data
        packer = self._compressor.copy()  # a primed copy: cheaper than a new compressor
        packed: bytes = packer.compress(data) + packer.flush()
        return packed

    def _check(self, rows: Any, kind: str, start: int) -> Iterator[StoredRecord]:
        sha256 = hashlib.sha256
        dictionary = self._dictionary if kind == "claim" and self._compressor else None
        inflater = zlib.decompressobj
        expected = start
        for position, data, digest in rows:
            if position != expected:
                raise IntegrityError(
                    path=self.path, position=expected, problem=f"{kind} record is missing"
                )
            expected = position + 1
            data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
            if dictionary is not None:
                # A new inflater per record costs less than copying a primed one, and a
                # window the size this library writes with is cheaper to set up than
                # 32 KiB. A record that refers further back (another writer's) stops
                # with an error, and is inflated again with the widest window: the bytes
                # come out the same whatever window reads them, or not at all.
                try:
                    data = inflater(-_WINDOW_BITS, dictionary).decompress(data)
                except zlib.error:
                    try:
                        data = inflater(-15, dictionary).decompress(data)
                    except zlib.error:
                        data = b""  # fails the hash check below, which names the record
            if sha256(data).digest() != digest:
                raise IntegrityError(
                    path=self.path,
                    position=position,
                    problem=f"the {kind} record does not match its SHA-256 (edited or corrupted)",
                )
            yield StoredRecord(position=position, data=data, hash=bytes(digest))

    def records(self, start: int = 0) -> Iterator[StoredRecord]:
        """Claim records from ``start`` on, each checked against its hash."""
        with self._reading():
            rows = self._db.execute(
                "SELECT position, data, hash FROM claims WHERE position >= ? ORDER BY position",
                (start,),
            )
        return self._guarded(self._check(rows, "claim", start))

    def _guarded(self, records: Iterator[StoredRecord]) -> Iterator[StoredRecord]:
        with self._reading():
            yield from records

    def values(self, start: int = 0) -> Sequence[StoredRecord]:
        """Value records from ``start`` on, each checked against its hash."""
        with self._reading():
            rows = self._db.execute(
                "SELECT seq, data, hash FROM vals WHERE seq >= ? ORDER BY seq", (start,)
            ).fetchall()
            return tuple(self._check(rows, "value", start))

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One ``BEGIN IMMEDIATE`` transaction: committed at the end, rolled back on error."""
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
        self._writing = True
        try:
            yield
            with self._errors():
                self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._writing = False

    def write(self, records: Sequence[StoredRecord], values: Sequence[StoredRecord]) -> None:
        """Insert records and values into the open transaction."""
        if not self._writing:
            raise RuntimeError("write() is only allowed inside writing()")
        with self._errors():
            if values:
                self._db.executemany(
                    "INSERT INTO vals(seq, data, hash) VALUES (?, ?, ?)",
                    [(v.position, v.data, v.hash) for v in values],
                )
            self._db.executemany(
                "INSERT INTO claims(position, data, hash) VALUES (?, ?, ?)",
                [(r.position, self._pack(r.data), r.hash) for r in records],
            )

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """Run one SQL statement (for inspection and maintenance); returns its rows.

        A statement the schema refuses (UPDATE, DELETE, INSERT OR REPLACE on claims)
        raises :class:`~conflict_ledger.stores.base.AppendOnlyError`.
        """
        with self._errors():
            return self._db.execute(sql, parameters).fetchall()

    def meta(self) -> dict[str, str]:
        """The settings recorded when the database was created."""
        with self._reading():
            return {str(k): str(v) for k, v in self._db.execute("SELECT key, value FROM meta")}

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
