"""Ledger files: the claims file (JSON Lines, versioned, docs/format.md), and opening any
ledger by path (:func:`open_ledger`: SQLite, JSON Lines store, claims file, memory).

Serialisation lives here, outside the value classes. Every value becomes a plain JSON
record of strings, integers, lists and nulls (no floats in a claim, so a record's bytes
are stable and hashable); reading a record back gives an equal value.

>>> from conflict_ledger.seed import load_seed
>>> ledger = load_seed()
>>> claim = ledger.claims()[0]
>>> decode_claim(encode_claim(claim)) == claim
True

A file is a header line, then place, actor, source and document records that extend the
registries, then claim records in ledger order. Your own event types round-trip once you
name them in ``event_types``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from conflict_ledger.claims import (
    Claim,
    Document,
)
from conflict_ledger.errors import FormatError, InvalidClaimError, LedgerError
from conflict_ledger.events import (
    Event,
)
from conflict_ledger.ledger import Clock, Ledger, system_clock
from conflict_ledger.merkle import Checkpoint
from conflict_ledger.records import (
    _VALUE_TYPES,
    BUILTIN_EVENTS,
    decode_claim,
    decode_event,
    decode_value,
    encode_claim,
    encode_event,
    encode_value,
)
from conflict_ledger.registry import Actor, Place, Registries, Source
from conflict_ledger.stores.base import IntegrityError, Store, TornWriteError
from conflict_ledger.stores.jsonl import JsonlStore
from conflict_ledger.stores.memory import MemoryStore
from conflict_ledger.stores.sqlite import SqliteStore

__all__ = [
    "BUILTIN_EVENTS",
    "FORMAT",
    "VERSION",
    "decode_claim",
    "decode_event",
    "decode_value",
    "encode_claim",
    "encode_event",
    "encode_value",
    "open_ledger",
    "read_claims_file",
    "verify_ledger",
    "write_claims_file",
]

FORMAT = "conflict-ledger/claims"
"""The ``format`` named in a claims file's header line."""
VERSION = 1
"""The claims file version this library writes (and the newest it reads)."""


def write_claims_file(
    path: str | os.PathLike[str],
    claims: Iterable[Claim],
    *,
    values: Iterable[Place | Actor | Source | Document] = (),
    gazetteer: str | None = None,
    header: Mapping[str, Any] | None = None,
) -> None:
    """Write a claims file: header, then ``values``, then ``claims`` in order.

    ``gazetteer`` names a built-in gazetteer the reader starts from (e.g. ``"syria"``).
    The file is written to a temporary name and renamed, so a reader never sees half.

    >>> import tempfile, pathlib
    >>> from conflict_ledger.seed import load_seed
    >>> ledger = load_seed()
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "copy.jsonl"
    >>> write_claims_file(path, ledger.claims(), gazetteer="syria",
    ...                   values=[*ledger.registries.documents.values(), *ledger.registries.sources])
    >>> len(path.read_text().splitlines())
    27
    """
    lines = [
        {
            "record": "header",
            "format": FORMAT,
            "version": VERSION,
            "gazetteer": gazetteer,
            **(header or {}),
        },
        *(encode_value(value) for value in values),
        *(encode_claim(claim) for claim in claims),
    ]
    target = Path(path)
    temporary = target.with_name(target.name + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="\n") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)


def read_claims_file(
    path: str | os.PathLike[str],
    *,
    registries: Registries | None = None,
    event_types: Mapping[str, type[Event]] = BUILTIN_EVENTS,
    clock: Clock = system_clock,
) -> Ledger:
    """Read a claims file into a new in-memory :class:`~conflict_ledger.ledger.Ledger`.

    Registries start from ``registries``, or else from the built-in gazetteer the header
    names, and grow with the file's own place, actor, source and document records. Any
    unreadable line raises :class:`~conflict_ledger.errors.FormatError` naming it;
    invalid claims are reported together, and nothing is returned half-read.

    >>> from conflict_ledger.seed import SEED_FILE
    >>> len(read_claims_file(f"seeds/{SEED_FILE}"))
    16
    """
    from conflict_ledger.gazetteer import builtin

    name = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormatError(path=name, line=0, problem="no such file") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise FormatError(path=name, line=1, problem="the file is empty; it needs a header line")
    records: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise FormatError(path=name, line=number, problem=f"not JSON ({error.msg})") from None
        if not isinstance(record, dict) or "record" not in record:
            raise FormatError(path=name, line=number, problem="a line is an object with 'record'")
        records.append((number, record))
    header = records[0][1]
    if header.get("record") != "header" or header.get("format") != FORMAT:
        raise FormatError(path=name, line=1, problem=f"the first line is a {FORMAT} header")
    if not isinstance(header.get("version"), int) or header["version"] > VERSION:
        raise FormatError(
            path=name,
            line=1,
            problem=f"version {header.get('version')!r} is newer than this library reads "
            f"({VERSION}); upgrade conflict_ledger",
        )
    if registries is None:
        registries = builtin(header["gazetteer"]) if header.get("gazetteer") else Registries()
    values = []
    claims = []
    for number, record in records[1:]:
        kind = record["record"]
        try:
            if kind == "claim":
                claims.append(decode_claim(record, event_types=event_types))
            elif kind in _VALUE_TYPES:
                values.append(decode_value(record))
            else:
                raise ValueError(f"unknown record type {kind!r}")
        except (LedgerError, ValueError, KeyError, TypeError) as error:
            raise FormatError(path=name, line=number, problem=str(error)) from None
    # the file's own values count over a newer gazetteer's (registries.shadowed_by)
    ledger = Ledger(registries=registries.shadowed_by(values), clock=clock)
    ledger.extend(claims)
    return ledger


_SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def _is_claims_file(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            first = handle.readline(4096)
    except FileNotFoundError:
        return False
    return b'"conflict-ledger/claims"' in first


def open_ledger(
    path: str | os.PathLike[str],
    *,
    registries: Registries | None = None,
    gazetteer: str | None = None,
    clock: Clock = system_clock,
    event_types: Mapping[str, type[Event]] | None = None,
    durability: Literal["full", "normal"] = "full",
    compact: bool = True,
) -> Ledger:
    """Open (or create) the ledger at ``path``; the suffix chooses the store.

    ``.sqlite``, ``.sqlite3`` and ``.db`` open a
    :class:`~conflict_ledger.stores.sqlite.SqliteStore`, ``.jsonl`` a
    :class:`~conflict_ledger.stores.jsonl.JsonlStore` (a claims file, whose header says
    ``conflict-ledger/claims``, is read into memory instead), and ``":memory:"`` a
    memory store. Registries start from ``registries``, or else from the built-in
    ``gazetteer`` (recorded in a new file, and read back from an existing one), and grow
    with the places, actors, sources and documents registered in the ledger.
    ``durability="normal"`` trades the last batches on a power cut for speed;
    A new SQLite file stores claim records deflated (``compact=False``: as plain
    canonical JSON, larger and a little faster to append; see
    :class:`~conflict_ledger.stores.sqlite.SqliteStore`).

    >>> import tempfile, os
    >>> from conflict_ledger.seed import load_seed
    >>> path = os.path.join(tempfile.mkdtemp(), "investigation.sqlite")
    >>> with open_ledger(path, gazetteer="syria") as ledger:
    ...     for value in load_seed().registries.sources:
    ...         ledger.register(value)
    ...     _ = ledger.extend(load_seed().claims())
    ...     published = ledger.checkpoint()
    >>> with open_ledger(path) as again:
    ...     len(again), again.verify(checkpoint=published) == published
    (16, True)
    """
    name = os.fspath(path)
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".jsonl" and _is_claims_file(name):
        return read_claims_file(
            name,
            registries=registries,
            clock=clock,
            event_types=event_types or BUILTIN_EVENTS,
        )
    meta = {"gazetteer": gazetteer} if gazetteer else {}
    store: Store
    if name == ":memory:":
        store = MemoryStore(meta=meta)
    elif suffix in _SQLITE_SUFFIXES:
        store = SqliteStore(
            name,
            meta=meta,
            synchronous="FULL" if durability == "full" else "NORMAL",
            compact=compact,
        )
    elif suffix == ".jsonl":
        store = JsonlStore(name, meta=meta, fsync=durability == "full")
    else:
        raise InvalidClaimError(
            field="path",
            value=name,
            problem="the suffix names no store",
            hint="Use a .sqlite, .sqlite3, .db or .jsonl path, or ':memory:'.",
        )
    if registries is None:
        from conflict_ledger.gazetteer import builtin

        named = store.meta().get("gazetteer")
        registries = builtin(named) if named else Registries()
    try:
        return Ledger(registries=registries, clock=clock, store=store, event_types=event_types)
    except BaseException:
        store.close()
        raise


def verify_ledger(
    path: str | os.PathLike[str], *, checkpoint: Checkpoint | None = None
) -> Checkpoint:
    """Check everything in the ledger file at ``path``; return its checkpoint.

    Every record's hash, position and content, the Merkle tree, a torn tail (reported as
    :class:`~conflict_ledger.stores.base.TornWriteError` with line and byte offset) and,
    given a ``checkpoint``, that the ledger only added to what it published.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "empty.jsonl")
    >>> verify_ledger(path).size
    0
    """
    name = os.fspath(path)
    if name.lower().endswith(".jsonl") and _is_claims_file(name):
        raise IntegrityError(
            path=name,
            problem="a claims file is an exchange format: it holds no recorded times or "
            "record hashes to verify",
            hint="Import it into a ledger (open_ledger('x.sqlite').extend(...)) and verify that.",
        )
    with open_ledger(path) as ledger:
        store = ledger.store
        torn = getattr(store, "torn", None)
        if torn is not None:
            raise TornWriteError(
                path=store.path,
                line=torn.line,
                offset=torn.offset,
                problem=f"the file ends in {torn.length} bytes of an interrupted write",
                hint="Run conflict-ledger repair LEDGER to move them to a side file.",
            )
        return ledger.verify(checkpoint=checkpoint)
