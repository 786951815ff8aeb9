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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from conflict_ledger.errors import LedgerNotFoundError, NotALedgerError
from conflict_ledger.stores._packing import Deflate, UnknownDictionaryError, Zstd, train
from conflict_ledger.stores._sqlite_ids import COVER, ClaimIds, ids_of, taken
from conflict_ledger.stores.base import (
    AppendOnlyError,
    ClaimIdTakenError,
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
CREATE TABLE IF NOT EXISTS dicts (
    id INTEGER PRIMARY KEY,
    data BLOB NOT NULL
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
CREATE TRIGGER IF NOT EXISTS dicts_no_update BEFORE UPDATE ON dicts
BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on dicts refused'); END;
CREATE TRIGGER IF NOT EXISTS dicts_no_delete BEFORE DELETE ON dicts
BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on dicts refused'); END;
CREATE TRIGGER IF NOT EXISTS vals_no_update BEFORE UPDATE ON vals
BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on vals refused'); END;
CREATE TRIGGER IF NOT EXISTS vals_no_delete BEFORE DELETE ON vals
BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on vals refused'); END;
"""

_SQLITE_IOERR = 10
_SQLITE_READONLY = 8
_SQLITE_FULL = 13

COMPRESSION = "zstd-dictionary-1"
"""The ``compression`` a new compact database records in its meta table: each claim
record is one Zstandard frame (RFC 8878) compressed against a dictionary. Frames that
name no dictionary use the meta table's ``dictionary`` as raw content; a frame naming
dictionary ``n`` uses row ``n`` of the ``dicts`` table, a dictionary trained on the
ledger's own first records (:data:`_TRAIN_AT`). Dictionaries, like records, are only
ever added."""

DEFLATE = "deflate-dictionary-1"
"""The ``compression`` of compact databases written before zstd (still read): each claim
record is a raw deflate stream (RFC 1951) primed with the preset dictionary the meta
table holds. Readers inflate with this library's 4 KiB window, then, if a record refers
further back, with a 32 KiB one, so any writer's window size reads."""

# When the ledger first holds this many claim records, a zstd dictionary of
# _TRAINED_SIZE bytes is trained on the latest of them (about 0.2 s, once) and every
# later record is compressed against it: about 68 bytes a synthetic claim record instead
# of 130 against the raw-content dictionary (benchmarks/bench_ingest.py).
_TRAIN_AT = 2_000
_TRAINED_SIZE = 4_096
_ZSTD_LEVEL = 3
_CHUNK = 4_096  # records packed and inserted at once: a large batch's frames are not all held
_BY_POSITION = 500  # positions a query reads by key (SQLite before 3.32 allows 999 parameters)

# The preset dictionary of compact databases (raw content for zstd, a preset dictionary
# for deflate): the keys and common values of a claim record. A new database copies it
# into its meta table, so a later change here never affects how an existing file reads.
# (An older version of this library opening a zstd file says "unknown compression".)
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


def _connect(path: str, *, create: bool, timeout: float) -> tuple[sqlite3.Connection, bool]:
    """A connection to ``path``, and whether it only reads; without ``create``, only to a
    file that exists.

    An existing ledger that this process may not write (the file, or its folder, where
    SQLite keeps the write-ahead log beside it: a ledger received on a read-only share)
    is opened to read only, and, when SQLite cannot keep the log's index beside it
    either, as immutable: nobody can write such a file, so it cannot change while read.
    """
    if os.path.isdir(path):
        raise NotALedgerError(path=path, problem="it is a directory")
    exists = os.path.exists(path)
    if not exists and not create:
        raise LedgerNotFoundError(path=path)
    folder = os.path.dirname(os.path.abspath(path))
    if not exists or (os.access(path, os.W_OK) and os.access(folder, os.W_OK)):
        if create:
            return sqlite3.connect(path, timeout=timeout, isolation_level=None), False
        uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=rw"
        return sqlite3.connect(uri, timeout=timeout, isolation_level=None, uri=True), False
    base = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"
    db = sqlite3.connect(base, timeout=timeout, isolation_level=None, uri=True)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db, True
    except sqlite3.OperationalError:  # the log's index cannot be made beside the file
        db.close()
    immutable = base + "&immutable=1"
    return sqlite3.connect(immutable, timeout=timeout, isolation_level=None, uri=True), True


_SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""


def _foreign(path: str) -> NotALedgerError | None:
    """The error for a file that is no SQLite database at all (a CSV renamed .sqlite),
    rather than a damaged one; None when it starts as SQLite files do."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except OSError:
        return None
    if not head or head == _SQLITE_HEADER:
        return None
    return NotALedgerError(
        path=path,
        problem="not a SQLite database (it does not start as one does)",
        hint="Check the path: a dataset file (CSV) is imported with `conflict-ledger ingest "
        "FILE --into LEDGER.sqlite`.",
    )


class SqliteStore:
    """Claim and value records in a SQLite database file.

    ``synchronous`` is ``"FULL"`` (default: an acknowledged append survives power loss)
    or ``"NORMAL"`` (faster; survives a crashed process, not necessarily a power cut).
    ``meta`` is recorded when the file is created (e.g. ``{"gazetteer": "syria"}``).
    ``compact`` (for a new file; the default) stores each claim record as a zstd frame
    against a dictionary: at first the keys of a claim record, then, from the
    2,000th record on, a dictionary trained on the ledger's own records (about an eighth
    of the bytes of the JSON for the benchmarks' synthetic claims: some 68 bytes a claim
    record instead of about 540), for a couple of microseconds a claim on append and on
    reading (``benchmarks/bench_ingest.py``). Files written deflated still read and
    grow deflated. ``compact=False`` keeps the canonical JSON as written, readable with
    plain SQL. Either way the hash is over the canonical record, reading restores it
    exactly, and an existing file reads as it was written (its meta table says how).
    ``create=False`` opens only an existing ledger and writes no schema: a missing
    file raises :class:`~conflict_ledger.errors.LedgerNotFoundError`, a database
    without the ledger's tables :class:`~conflict_ledger.errors.NotALedgerError` or
    :class:`~conflict_ledger.stores.base.IntegrityError`.

    ``read_only`` is True for an existing ledger this process may not write (the file, or
    its folder, where SQLite keeps the write-ahead log: a ledger on a read-only share):
    it is read as usual, and a write raises
    :class:`~conflict_ledger.stores.base.StorageError` saying it is read-only.
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
        self._db, self.read_only = _connect(self.path, create=create, timeout=timeout)
        self._ids = ClaimIds(self._db, self.path)
        try:
            if not create or self.read_only:  # before anything that could write (WAL)
                self._check_tables()
            if not self.read_only:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute(f"PRAGMA synchronous={synchronous}")
            self._db.execute("PRAGMA recursive_triggers=ON")
            if create and not self.read_only:
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
            foreign = _foreign(self.path)
            if foreign is not None:
                raise foreign from None
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
                self._ids.create()  # a new file keeps its claim ids from the start
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
            if code == _SQLITE_READONLY or "readonly" in text:
                raise StorageError(
                    path=self.path,
                    detail=f"{text}; the file or its folder is read-only",
                    hint="Copy the ledger to a folder you may write to, or make it writable "
                    "(questions about it need no write).",
                ) from None
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
        """How many claim records are committed (checked against the index of claim ids,
        which never covers more records than the file holds: a damaged table of claims
        whose last rows do not read is an IntegrityError, not a shorter ledger)."""
        with self._reading():
            row = self._db.execute(
                "SELECT coalesce(max(position) + 1, 0), "
                f"(SELECT value FROM meta WHERE key = '{COVER}') FROM claims"
            ).fetchone()
        size, cover = int(row[0]), int(row[1] or 0)
        if cover > size:
            raise IntegrityError(
                path=self.path,
                position=size,
                problem=f"the file's index of claim ids covers {cover} records, but its "
                f"table of claims holds {size}: records disappeared (a damaged or cut file)",
            )
        return size

    def value_count(self) -> int:
        """How many value records are committed."""
        with self._reading():
            row = self._db.execute("SELECT coalesce(max(seq) + 1, 0) FROM vals").fetchone()
        return int(row[0])

    def _compression(self) -> None:
        settings = self.meta()
        self._packer: Zstd | Deflate | None = None
        compression = settings.get("compression")
        if compression is None:
            return
        if compression not in (COMPRESSION, DEFLATE):
            raise IntegrityError(path=self.path, problem=f"unknown compression {compression!r}")
        try:
            dictionary = base64.b64decode(settings["dictionary"], validate=True)
        except (KeyError, ValueError):  # binascii.Error is a ValueError
            raise IntegrityError(
                path=self.path, problem="the compression dictionary in its meta table is damaged"
            ) from None
        if compression == DEFLATE:
            self._packer = Deflate(dictionary)
        else:
            self._packer = Zstd(dictionary, self._trained(), level=_ZSTD_LEVEL)

    def _trained(self, start: int = 1) -> dict[int, bytes]:
        rows = self._db.execute("SELECT id, CAST(data AS BLOB) FROM dicts WHERE id >= ?", (start,))
        return {int(ident): bytes(data) for ident, data in rows}

    def _pack(self, data: bytes) -> bytes:
        return data if self._packer is None else self._packer.pack(data)

    def _packed(self, records: Sequence[StoredRecord]) -> list[bytes]:
        packer = self._packer
        if packer is None:
            return [r.data for r in records]
        if isinstance(packer, Zstd):
            return packer.pack_many([r.data for r in records])
        return [packer.pack(r.data) for r in records]

    def _unpack(self, packed: bytes) -> bytes:
        packer = self._packer
        assert packer is not None
        try:
            return packer.unpack(packed)
        except UnknownDictionaryError:  # trained by another writer since: load it
            assert isinstance(packer, Zstd)
            for ident, data in self._trained().items():
                packer.add(ident, data)
            try:
                return packer.unpack(packed)
            except UnknownDictionaryError:
                return b""  # fails the hash check, which names the record

    def _train(self, records: Sequence[StoredRecord]) -> None:
        """Train the file's zstd dictionary once it holds :data:`_TRAIN_AT` claim records,
        on the latest of them (inside the open write transaction)."""
        packer = self._packer
        if not isinstance(packer, Zstd) or packer.trained or not records:
            return
        for ident, data in self._trained().items():  # another writer's, since we looked
            packer.add(ident, data)
        if packer.trained:
            return
        before = records[0].position
        if before + len(records) < _TRAIN_AT:
            return
        samples = [r.data for r in records[-_TRAIN_AT:]]
        if len(samples) < _TRAIN_AT:
            earlier = self.records(max(0, before - (_TRAIN_AT - len(samples))))
            samples = [r.data for r in earlier if r.position < before] + samples
        ident = 1
        trained = train(samples, ident, _TRAINED_SIZE)
        if trained is None:
            return
        self._db.execute("INSERT INTO dicts(id, data) VALUES (?, ?)", (ident, trained))
        packer.add(ident, trained)

    def _check(
        self, rows: Any, kind: str, start: int | None, *, in_sequence: bool = True
    ) -> Iterator[StoredRecord]:
        """``rows`` as checked records: each matching its SHA-256, and (``in_sequence``)
        each at the position after the one before, from ``start``."""
        sha256 = hashlib.sha256
        unpack = self._unpack if kind == "claim" and self._packer is not None else None
        expected = start
        for position, data, digest in rows:
            if in_sequence and position != expected:
                raise IntegrityError(
                    path=self.path, position=expected, problem=f"{kind} record is missing"
                )
            expected = position + 1
            data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
            if unpack is not None:
                data = unpack(data)  # b"" when damaged: fails the hash check below
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

    def records_at(self, positions: Sequence[int]) -> Iterator[StoredRecord]:
        """Claim records at ``positions`` (ascending), each checked against its hash, by
        their key (a few hundred a query), not by reading the records between."""
        for begin in range(0, len(positions), _BY_POSITION):
            chunk = list(positions[begin : begin + _BY_POSITION])
            with self._reading():
                rows = self._db.execute(
                    "SELECT position, data, hash FROM claims WHERE position IN "
                    f"({','.join('?' * len(chunk))}) ORDER BY position",
                    chunk,
                ).fetchall()
            yield from self._check(rows, "claim", None, in_sequence=False)

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
            self._compression()  # forget a dictionary trained in the batch rolled back
            self._ids.forget()  # and an index of claim ids made in it
            raise
        finally:
            self._writing = False

    def write(self, records: Sequence[StoredRecord], values: Sequence[StoredRecord]) -> None:
        """Insert records and values into the open transaction. The records' claim ids
        are not indexed (a copy, or records of another kind): the index of claim ids
        falls behind, and the next :meth:`write_claims` fills it in from the records."""
        self._write(records, values, None)

    def write_claims(self, records: Sequence[StoredRecord], claim_ids: Sequence[str]) -> None:
        """Insert claim records and their claim ids (in the same order) into the open
        transaction: a claim id already in the ledger raises
        :class:`~conflict_ledger.stores.base.ClaimIdTakenError`, and the batch is rolled
        back with the transaction."""
        if len(claim_ids) != len(records):
            raise ValueError(f"{len(records)} records but {len(claim_ids)} claim ids")
        if records and not self._ids.exists() and self._writing and not self.read_only:
            with self._errors():
                self._ids.create()  # a file an earlier version wrote: filled below, once
        self._write(records, (), claim_ids if self._ids.exists() else None)

    def claim_positions(self, claim_ids: Sequence[str]) -> tuple[dict[str, int], int] | None:
        """The positions of those of ``claim_ids`` in the ledger, by the file's index of
        claim ids, and how many records from position 0 it covers (fewer than the ledger
        holds after an earlier version's appends, until the next batch fills it in);
        None when the file keeps no index of claim ids (written by an earlier version,
        and not appended to since)."""
        with self._reading():
            if not self._ids.exists():
                return None
            return self._ids.positions(claim_ids), self._ids.cover()

    def indexed_ids(self) -> tuple[dict[str, int], int] | None:
        """Every claim id the file's index holds, with its position, and how many records
        it covers (None: the file keeps no index of claim ids): what ``verify`` holds to
        the records."""
        with self._reading():
            if not self._ids.exists():
                return None
            return self._ids.rows(), self._ids.cover()

    def repair(self, *, min_size: int = 0) -> str | None:
        """Make the index of claim ids again from the records when it disagrees with
        them (an edited file: ``verify`` says so); return what was done, or None when
        there was nothing to repair. The records are not touched (``min_size`` is
        checked as for a JSON Lines ledger: fewer records raise IntegrityError)."""
        size = self.size()
        if size < min_size:
            raise IntegrityError(
                path=self.path,
                problem=f"the ledger holds {size} records but a checkpoint published {min_size}",
                hint="Do not repair; restore the ledger from a copy that holds them.",
            )
        found = self.indexed_ids()
        if found is None or _agrees(found, self.records(), size, self.path):
            return None
        with self.writing(), self._errors():
            self._ids.rebuild(size, self.records)
        return f"made the index of claim ids again from the {size:,} records"

    def guards_claim_ids(self) -> bool:
        """Whether a batch written now is refused when it reuses a claim id: the file
        keeps an index of claim ids (one written by an earlier version gets it from the
        first batch of claims :meth:`write_claims` writes to it, filled from its records,
        once; a batch of nothing leaves the file as it was)."""
        with self._reading():
            return self._ids.exists()

    def _write(
        self,
        records: Sequence[StoredRecord],
        values: Sequence[StoredRecord],
        claim_ids: Sequence[str] | None,
    ) -> None:
        if not self._writing:
            raise RuntimeError("write() is only allowed inside writing()")
        with self._errors():
            if records and claim_ids is not None:
                self._index_ids(records, claim_ids)
            self._train(records)
            if values:
                self._db.executemany(
                    "INSERT INTO vals(seq, data, hash) VALUES (?, ?, ?)",
                    [(v.position, v.data, v.hash) for v in values],
                )
            for start in range(0, len(records), _CHUNK):  # packed a chunk at a time
                chunk = records[start : start + _CHUNK]
                self._db.executemany(
                    "INSERT INTO claims(position, data, hash) VALUES (?, ?, ?)",
                    [
                        (r.position, packed, r.hash)
                        for r, packed in zip(chunk, self._packed(chunk), strict=True)
                    ],
                )

    def _index_ids(self, records: Sequence[StoredRecord], claim_ids: Sequence[str]) -> None:
        """The batch's claim ids into the index, after those of the records before it
        that it lacks (an earlier version's appends); one already there refuses it."""
        first = records[0].position
        self._ids.fill(first, self.records)
        if self._ids.cover() != first:
            raise IntegrityError(
                path=self.path,
                problem=f"the index of claim ids covers {self._ids.cover()} records, "
                f"but the batch starts at position {first}",
                hint="Run conflict-ledger verify on the ledger.",
            )
        try:
            self._ids.add(first, claim_ids, records[-1].position + 1)
        except sqlite3.IntegrityError as error:
            if taken(error):
                raise ClaimIdTakenError(path=self.path) from None
            raise

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """Run one SQL statement (for inspection and maintenance); returns its rows.

        A statement the schema refuses (UPDATE, DELETE, INSERT OR REPLACE on claims)
        raises :class:`~conflict_ledger.stores.base.AppendOnlyError`.
        """
        with self._errors():
            return self._db.execute(sql, parameters).fetchall()

    def derived(self, name: str) -> bytes | None:
        """The data saved under ``name`` by :meth:`keep_derived` (None: nothing saved)."""
        with self._reading():
            tables = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='derived'"
            ).fetchone()
            if tables is None:  # a ledger that never saved derived data
                return None
            # CAST: a value edited by hand in sqlite3 (whose || and quotes make TEXT) is
            # read as its bytes, for the reader to set aside, not as a column that fails
            # to decode or a str
            row = self._db.execute(
                "SELECT CAST(data AS BLOB) FROM derived WHERE name = ?", (name,)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def keep_derived(self, name: str, data: bytes) -> None:
        """Save ``data`` under ``name``, replacing what was saved there: data derived from
        the records (a saved index), kept in the ledger's file so that a copy of the file
        carries it. It is not part of the ledger: the ``claims`` table stays append-only,
        and the data names the records it was derived from (see ``engine/_saved.py``)."""
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS derived (name TEXT PRIMARY KEY, data BLOB NOT NULL)"
            )
            self._db.execute("DELETE FROM derived WHERE name = ?", (name,))
            self._db.execute("INSERT INTO derived(name, data) VALUES (?, ?)", (name, data))
            self._db.execute("COMMIT")

    def meta(self) -> dict[str, str]:
        """The settings recorded when the database was created."""
        with self._reading():
            return {str(k): str(v) for k, v in self._db.execute("SELECT key, value FROM meta")}

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def _agrees(
    found: tuple[dict[str, int], int], records: Iterator[StoredRecord], size: int, path: str
) -> bool:
    """Whether an index of claim ids (its rows, and how many records it covers) holds
    exactly the first position of each claim id of the records it covers."""
    rows, cover = found
    if cover > size:
        return False
    first: dict[str, int] = {}
    for record in records:
        if record.position >= cover:
            break
        first.setdefault(ids_of(record, path), record.position)
    return first == rows
