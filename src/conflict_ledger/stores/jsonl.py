"""The JSON Lines store: one canonical record a line, for exchange, diffing and archiving.

The file (documented in docs/integrity.md) is a header line, then for each append batch
its value and claim lines and a commit line::

    {"hash":"<sha256 hex>","header":{"format":"conflict-ledger/ledger","version":1,...}}
    {"hash":"<sha256 hex>","value":{...a place, actor, source or document...}}
    {"hash":"<sha256 hex>","record":{"claim":{...},"position":0,"recorded_at":"...","schema":1}}
    {"commit":{"claims":1,"values":1}}

Each line is RFC 8785 canonical JSON ending in a newline; ``hash`` is SHA-256 over the
canonical bytes of the record beside it. A batch counts only once its commit line is
whole, so a batch is all there or not at all. Writers take an exclusive ``flock`` on the
file, write the batch with one ``write`` call, and ``fsync`` before returning.

A write interrupted by a crash leaves a *torn tail*: bytes after the last commit line.
Reading ignores them (and reports them in :attr:`JsonlStore.torn`); appending refuses
until :meth:`JsonlStore.repair` moves them to a side file. Nothing is ever deleted.

>>> import tempfile, os
>>> from conflict_ledger.stores.base import StoredRecord
>>> path = os.path.join(tempfile.mkdtemp(), "demo.jsonl")
>>> store = JsonlStore(path)
>>> with store.writing():
...     store.write([StoredRecord.of(0, b'{"position":0}')], [])
>>> with open(path, "ab") as handle:
...     _ = handle.write(b'{"hash":"00')           # a crash in the middle of a line
>>> reopened = JsonlStore(path)
>>> reopened.size(), reopened.torn
(1, TornTail(line=4, offset=268, length=11))
>>> os.path.basename(reopened.repair())
'demo.jsonl.torn-268'
>>> reopened.torn is None
True
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from conflict_ledger.canonical import canonical_json
from conflict_ledger.errors import LedgerNotFoundError, NotALedgerError
from conflict_ledger.stores.base import (
    IntegrityError,
    StorageError,
    StoredRecord,
    TornWriteError,
    check_follows_on,
)

__all__ = ["FORMAT", "VERSION", "JsonlStore", "TornTail"]

FORMAT = "conflict-ledger/ledger"
"""The ``format`` named in a JSON Lines ledger's header."""
VERSION = 1
"""The JSON Lines ledger layout version this library writes."""

_PREFIX = b'{"hash":"'
_KINDS = {b'","header":': "header", b'","record":': "record", b'","value":': "value"}
_COMMIT = b'{"commit":'

_write = os.write  # indirection so tests can inject a failing disk


@attrs.frozen(kw_only=True)
class TornTail:
    """Bytes after the last whole batch: where they start (``line``, byte ``offset``)."""

    line: int
    offset: int
    length: int


@attrs.frozen
class _Entry:
    offset: int  # where the record's bytes start in the file
    length: int
    hash: bytes


def _wrap(kind: str, record: StoredRecord) -> bytes:
    return (
        b"".join(
            (_PREFIX, record.hash.hex().encode("ascii"), b'","', kind.encode(), b'":', record.data)
        )
        + b"}\n"
    )


def _keep(name: str, data: bytes) -> Path:
    """Write ``data`` durably to a new file ``name`` (or ``name.2``, ``name.3``... when
    taken); never overwrite. Returns the file written."""
    for number in itertools.count(1):
        side = Path(name if number == 1 else f"{name}.{number}")
        try:
            handle = side.open("xb")
        except FileExistsError:
            continue
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return side
    raise AssertionError("unreachable")  # pragma: no cover


class JsonlStore:
    """Claim and value records in a JSON Lines file (see the module docstring).

    ``fsync=False`` skips the flush to disk: faster, and still safe against a killed
    process, but a power cut may lose (never tear) the last batches. ``meta`` goes into
    the header when the file is created. ``create=False`` opens only a file that exists
    (else :class:`~conflict_ledger.errors.LedgerNotFoundError`).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        meta: dict[str, str] | None = None,
        fsync: bool = True,
        create: bool = True,
    ) -> None:
        self.path = os.fspath(path)
        self._fsync = fsync
        self._new_meta = dict(meta or {})
        flags = os.O_RDWR | os.O_APPEND | (os.O_CREAT if create else 0)
        try:
            self._fd = os.open(self.path, flags, 0o644)
        except FileNotFoundError:
            raise LedgerNotFoundError(path=self.path) from None
        except IsADirectoryError:
            raise NotALedgerError(path=self.path, problem="it is a directory") from None
        self._header: dict[str, Any] | None = None
        self._offset = 0  # end of the last committed line
        self._lines = 0  # committed lines, header included
        self._claims: list[_Entry] = []
        self._values: list[_Entry] = []
        self._staged: tuple[list[StoredRecord], list[StoredRecord]] | None = None
        self.torn: TornTail | None = None
        """The uncommitted bytes at the end of the file, if any."""
        try:
            self._scan()
        except BaseException:
            self.close()
            raise

    # -- reading -------------------------------------------------------------------------

    def _error(self, line: int, offset: int, problem: str) -> IntegrityError:
        return IntegrityError(path=self.path, line=line, offset=offset, problem=problem)

    def _parse(self, line: bytes, number: int, offset: int) -> tuple[str, int, _Entry]:
        """Check one wrapped line; return its kind and its record's place in the file."""
        kind = _KINDS.get(line[73:84]) or _KINDS.get(line[73:83])
        if not line.startswith(_PREFIX) or kind is None or not line.endswith(b"}"):
            raise self._error(number, offset, "not a ledger line (damaged or not this format)")
        start = 73 + len(kind) + 5
        data = line[start:-1]
        digest = hashlib.sha256(data).digest()
        if digest.hex().encode("ascii") != line[9:73]:
            raise self._error(
                number, offset, f"the {kind} does not match its SHA-256 (edited or corrupted)"
            )
        return kind, start, _Entry(offset + start, len(data), digest)

    def _scan(self) -> None:
        """Read lines committed since the last scan; note any torn tail."""
        end = os.fstat(self._fd).st_size
        if end < self._offset:
            raise self._error(
                self._lines, end, "the file shrank below records already read (truncated)"
            )
        if end == self._offset:
            self.torn = None
            return
        base = self._offset
        buffer = os.pread(self._fd, end - base, base)
        pending_claims: list[_Entry] = []
        pending_values: list[_Entry] = []
        number = self._lines
        i = 0
        while (j := buffer.find(b"\n", i)) >= 0:
            line = buffer[i:j]
            number += 1
            offset = base + i
            if self._header is None:
                if b'"hash":"' not in line and FORMAT.encode() not in line:
                    # neither mark of a header (a damaged one keeps one of them): another
                    # kind of file, not a damaged ledger
                    raise NotALedgerError(
                        path=self.path,
                        problem="its first line is not a conflict-ledger header (another "
                        "JSON Lines file?)",
                    )
                kind, start, entry = self._parse(line, number, offset)
                if kind != "header":
                    raise self._error(number, offset, "the first line must be the header")
                header = json.loads(line[start:-1])
                if header.get("format") != FORMAT or header.get("version") != VERSION:
                    raise self._error(number, offset, f"not a {FORMAT} version {VERSION} file")
                self._header = header
                self._offset, self._lines = base + j + 1, number
            elif line.startswith(_COMMIT):
                try:
                    counts = json.loads(line)["commit"]
                    claims, values = counts["claims"], counts["values"]
                except (ValueError, KeyError, TypeError):
                    raise self._error(number, offset, "a damaged commit line") from None
                if (claims, values) != (
                    len(self._claims) + len(pending_claims),
                    len(self._values) + len(pending_values),
                ):
                    raise self._error(
                        number, offset, "the commit line's counts disagree with the records"
                    )
                self._claims.extend(pending_claims)
                self._values.extend(pending_values)
                pending_claims, pending_values = [], []
                self._offset, self._lines = base + j + 1, number
            else:
                kind, _, entry = self._parse(line, number, offset)
                if kind == "record":
                    pending_claims.append(entry)
                elif kind == "value":
                    pending_values.append(entry)
                else:
                    raise self._error(number, offset, "a second header line")
            i = j + 1
        length = end - self._offset
        self.torn = (
            TornTail(line=self._lines + 1, offset=self._offset, length=length) if length else None
        )

    def _read(self, entries: Sequence[_Entry], start: int) -> Iterator[StoredRecord]:
        if start >= len(entries):
            return
        first = entries[start].offset
        last = entries[-1].offset + entries[-1].length
        buffer = os.pread(self._fd, last - first, first)
        sha256 = hashlib.sha256
        for position in range(start, len(entries)):
            entry = entries[position]
            data = buffer[entry.offset - first : entry.offset - first + entry.length]
            if sha256(data).digest() != entry.hash:
                raise IntegrityError(
                    path=self.path,
                    position=position,
                    offset=entry.offset,
                    problem="the record changed on disk after it was read",
                )
            yield StoredRecord(position=position, data=data, hash=entry.hash)

    def size(self) -> int:
        """How many claim records are committed."""
        self._scan()
        return len(self._claims)

    def value_count(self) -> int:
        """How many value records are committed."""
        self._scan()
        return len(self._values)

    def records(self, start: int = 0) -> Iterator[StoredRecord]:
        """Claim records from position ``start`` on, each checked against its hash."""
        self._scan()
        return self._read(tuple(self._claims), start)

    def values(self, start: int = 0) -> Sequence[StoredRecord]:
        """Value records from ``start`` on, each checked against its hash."""
        self._scan()
        return tuple(self._read(tuple(self._values), start))

    def meta(self) -> dict[str, str]:
        """The header's settings (or those a new file will be created with)."""
        header = self._header if self._header is not None else self._new_meta
        return {str(k): str(v) for k, v in header.items() if k not in ("format", "version")}

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the file lock; write the batch, its commit line, and fsync at the end."""
        with self._locked():
            self._scan()
            if self.torn is not None:
                raise TornWriteError(
                    path=self.path,
                    line=self.torn.line,
                    offset=self.torn.offset,
                    problem=f"the file ends in {self.torn.length} bytes of an interrupted write",
                    hint="Run conflict-ledger repair LEDGER (or store.repair()), which moves "
                    "them to a side file, then append again.",
                )
            self._staged = ([], [])
            try:
                yield
                self._flush(*self._staged)
            finally:
                self._staged = None

    def write(self, records: Sequence[StoredRecord], values: Sequence[StoredRecord]) -> None:
        """Stage records and values for the end of :meth:`writing`."""
        if self._staged is None:
            raise RuntimeError("write() is only allowed inside writing()")
        claims, staged_values = self._staged
        check_follows_on(self.path, records, len(self._claims) + len(claims))
        claims.extend(records)
        staged_values.extend(values)

    def _flush(self, records: Sequence[StoredRecord], values: Sequence[StoredRecord]) -> None:
        if not records and not values:
            return
        parts: list[bytes] = []
        if self._header is None:
            header = {"format": FORMAT, "version": VERSION, **self._new_meta}
            parts.append(_wrap("header", StoredRecord.of(0, canonical_json(header))))
        parts.extend(_wrap("value", value) for value in values)
        parts.extend(_wrap("record", record) for record in records)
        commit = {
            "commit": {
                "claims": len(self._claims) + len(records),
                "values": len(self._values) + len(values),
            }
        }
        parts.append(canonical_json(commit) + b"\n")
        data = b"".join(parts)
        before = os.fstat(self._fd).st_size
        try:
            view = memoryview(data)
            while view:
                written = _write(self._fd, view)
                view = view[written:]
            if self._fsync:
                os.fsync(self._fd)
        except OSError as error:
            try:  # take back our own partial batch: it was never acknowledged
                os.ftruncate(self._fd, before)
                os.fsync(self._fd)
            finally:
                raise StorageError(path=self.path, detail=str(error)) from None
        self._scan()

    def repair(self, *, min_size: int = 0) -> Path | None:
        """Move a torn tail to ``<path>.torn-<offset>`` and cut it off; return the side file.

        Repair is idempotent: a second torn write at the same offset goes to
        ``<path>.torn-<offset>.2`` (then ``.3``...), never over an earlier side file, and
        repairing a whole file changes nothing.

        Refuses (:class:`~conflict_ledger.stores.base.IntegrityError`) when fewer than
        ``min_size`` claims would remain, e.g. the size of a checkpoint you published.
        Returns None when there is nothing to repair.
        """
        with self._locked():
            self._scan()
            if len(self._claims) < min_size:
                raise IntegrityError(
                    path=self.path,
                    problem=f"only {len(self._claims)} whole claims remain but a checkpoint "
                    f"published {min_size}",
                    hint="Do not repair; restore the ledger from a copy that holds them.",
                )
            if self.torn is None:
                return None
            torn = self.torn
            side = _keep(
                f"{self.path}.torn-{torn.offset}", os.pread(self._fd, torn.length, torn.offset)
            )
            os.ftruncate(self._fd, torn.offset)
            os.fsync(self._fd)
            self._scan()
            return side

    def close(self) -> None:
        """Close the file."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
