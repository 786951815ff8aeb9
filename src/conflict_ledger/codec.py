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
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import orjson

from conflict_ledger.claims import (
    Claim,
    Document,
)
from conflict_ledger.errors import (
    InvalidClaimError,
    LedgerError,
    LedgerNotFoundError,
    NotALedgerError,
    UnsavedClaimsWarning,
)
from conflict_ledger.events import (
    Event,
)
from conflict_ledger.ledger import Clock, Ledger, system_clock
from conflict_ledger.merkle import Checkpoint
from conflict_ledger.records import (
    BUILTIN_EVENTS,
    decode_claim,
    decode_event,
    decode_value,
    encode_claim,
    encode_event,
    encode_value,
)
from conflict_ledger.registry import Actor, Place, Registries, Source
from conflict_ledger.stores.base import StorageError, Store, TornWriteError
from conflict_ledger.stores.jsonl import JsonlStore
from conflict_ledger.stores.memory import MemoryStore
from conflict_ledger.stores.postgres import PostgresStore, is_postgres_url
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
    A file that could not be read back alone (a claim names a source or place neither
    ``values`` nor the gazetteer hold) is refused and nothing is written. To save a
    whole ledger, registries included, use :func:`conflict_ledger.saving.save_ledger`.

    >>> import tempfile, pathlib
    >>> from conflict_ledger.seed import load_seed
    >>> ledger = load_seed()
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "copy.jsonl"
    >>> write_claims_file(path, ledger.claims(), gazetteer="syria",
    ...                   values=[*ledger.registries.documents.values(), *ledger.registries.sources])
    >>> len(path.read_text().splitlines())
    27
    """
    claims = tuple(claims)
    values = tuple(values)
    _check_reads_back(claims, values, gazetteer)
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
    with temporary.open("wb") as handle:
        handle.writelines(_line(line) for line in lines)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)


def _line(record: Mapping[str, Any]) -> bytes:
    """A claims file line: the record's compact JSON in its own key order, then a newline.
    ``orjson`` writes what ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` writes
    for records (no floats), ten times faster; anything it refuses (a lone surrogate)
    takes the standard library, whose error the caller sees as before."""
    try:
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        return text.encode("utf-8")


def _check_reads_back(
    claims: tuple[Claim, ...],
    values: tuple[Place | Actor | Source | Document, ...],
    gazetteer: str | None,
) -> None:
    """Refuse to write a claims file that could not be read back alone."""
    from conflict_ledger.gazetteer import builtin
    from conflict_ledger.ledger import fixed_clock

    try:
        base = builtin(gazetteer) if gazetteer else Registries()
        reader = Ledger(registries=base.shadowed_by(values), clock=fixed_clock("2000-01-01T00:00Z"))
        reader.check(claims)
    except LedgerError as error:
        raise InvalidClaimError(
            field="values",
            value=f"{len(values)} values",
            problem=f"the file would not read back ({error}); nothing was written",
            hint="Pass values= every place, actor, source and document the claims name that "
            "the gazetteer lacks, or save the whole ledger: save_ledger(ledger, path).",
        ) from None


def read_claims_file(
    path: str | os.PathLike[str],
    *,
    registries: Registries | None = None,
    event_types: Mapping[str, type[Event]] = BUILTIN_EVENTS,
    clock: Clock = system_clock,
) -> Ledger:
    """Read a claims file into a new in-memory :class:`~conflict_ledger.ledger.Ledger`.

    Registries start from ``registries``, or else from the built-in gazetteer the header
    names, and grow with the file's own place, actor, source and document records.

    Every line is checked strictly (docs/format.md, "What a reader refuses"): a bad
    line raises :class:`~conflict_ledger.errors.FormatError` (an unknown field
    :class:`~conflict_ledger.errors.UnknownFieldError`, with a suggestion) naming the
    file, line, claim, field and value; a claim naming an unknown place, actor, source
    or claim raises the matching ``Unknown...Error``, located the same way. Several
    problems are raised together as an :class:`~conflict_ledger.errors.InvalidBatchError`
    listing every one, and nothing is returned half-read.

    >>> from conflict_ledger.seed import SEED_FILE
    >>> len(read_claims_file(f"seeds/{SEED_FILE}"))
    16
    """
    from conflict_ledger._loading import load_claims_file

    _check_path(os.fspath(path), create=False)
    return load_claims_file(
        path,
        registries=registries,
        event_types=event_types,
        clock=clock,
        fmt=FORMAT,
        version=VERSION,
    )


_SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
CLAIMS_SUFFIX = ".claims.jsonl"
"""The suffix that names a claims file (an exchange file, read into memory)."""


def _names_claims_file(path: str) -> bool:
    return path.lower().endswith(CLAIMS_SUFFIX)


def _check_path(path: str, *, create: bool) -> None:
    """Refuse a directory, and a missing path unless asked to create (a server's ledger
    is checked by its store)."""
    if is_postgres_url(path):
        return
    if os.path.isdir(path):
        raise NotALedgerError(path=path, problem="it is a directory")
    if not create and not os.path.exists(path):
        raise LedgerNotFoundError(path=path)
    folder = os.path.dirname(os.path.abspath(path))
    if create and not os.path.exists(path) and not os.path.isdir(folder):
        raise StorageError(
            path=path,
            detail=f"its folder {folder} does not exist",
            hint="Create the folder first (mkdir -p), or give a path in a folder that exists.",
        )


def _empty_claims_ledger(
    registries: Registries | None,
    gazetteer: str | None,
    clock: Clock,
    event_types: Mapping[str, type[Event]] | None,
) -> Ledger:
    from conflict_ledger.gazetteer import builtin

    if registries is None:
        registries = builtin(gazetteer) if gazetteer else Registries()
    return Ledger(registries=registries, clock=clock, event_types=event_types)


def _file_stamp(path: str) -> tuple[int, int, int] | None:
    """What changes when a file is written (a claims file is replaced whole), or None."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def _warn_if_unsaved(ledger: Ledger, path: str) -> Ledger:
    """``ledger``, read from the claims file at ``path``, warning when it closes changed
    and unsaved (:class:`~conflict_ledger.errors.UnsavedClaimsWarning`)."""
    size, registries, stamp = len(ledger), ledger.registries, _file_stamp(path)

    def check() -> None:
        added = len(ledger) - size
        registered = ledger.registries is not registries and ledger.registries != registries
        if (added or registered) and _file_stamp(path) == stamp:
            changes = f"{added} claim{'' if added == 1 else 's'}" if added else "its registries"
            warnings.warn(UnsavedClaimsWarning(path=path, changes=changes), stacklevel=4)

    ledger.on_close(check)
    return ledger


def _store(
    name: str,
    suffix: str,
    *,
    gazetteer: str | None,
    durability: Literal["full", "normal"],
    compact: bool,
    create: bool,
) -> Store:
    meta = {"gazetteer": gazetteer} if gazetteer else {}
    if is_postgres_url(name):  # a team's shared ledger (stores/postgres.py)
        return PostgresStore(name, meta=meta, create=create)
    if name == ":memory:":
        return MemoryStore(meta=meta)
    if suffix in _SQLITE_SUFFIXES:
        return SqliteStore(
            name,
            meta=meta,
            synchronous="FULL" if durability == "full" else "NORMAL",
            compact=compact,
            create=create,
        )
    if suffix == ".jsonl":
        return JsonlStore(name, meta=meta, fsync=durability == "full", create=create)
    raise _unknown_suffix(name)


def _unknown_suffix(name: str) -> InvalidClaimError:
    return InvalidClaimError(
        field="path",
        value=name,
        problem="the suffix names no store",
        hint="Use a .sqlite, .sqlite3, .db, .jsonl or .claims.jsonl path, ':memory:', or a "
        "postgresql://user@host/db?ledger=NAME URL.",
    )


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
    create: bool = False,
    registries: Registries | None = None,
    gazetteer: str | None = None,
    clock: Clock = system_clock,
    event_types: Mapping[str, type[Event]] | None = None,
    durability: Literal["full", "normal"] = "full",
    compact: bool = True,
) -> Ledger:
    """Open the ledger at ``path`` (or, with ``create=True``, start one); the suffix chooses
    the store.

    Reading never writes: without ``create``, a missing path raises
    :class:`~conflict_ledger.errors.LedgerNotFoundError`, and a directory, an empty
    SQLite file or one whose ledger tables were dropped raises
    :class:`~conflict_ledger.errors.NotALedgerError` (or an ``IntegrityError``) instead
    of becoming a new, empty ledger. ``create=True`` opens the ledger if it exists and
    creates it if not (a claims file path gives an empty in-memory ledger, to save with
    :func:`save_ledger`). A claims file is read into memory: closing it with changes not
    saved warns (:class:`~conflict_ledger.errors.UnsavedClaimsWarning`).

    A ``postgresql://user@host/db?ledger=NAME`` URL opens a team's ledger on a server
    (:class:`~conflict_ledger.stores.postgres.PostgresStore`; no password in the URL: use
    ``PGPASSWORD`` or ``~/.pgpass``). ``.sqlite``, ``.sqlite3`` and ``.db`` open a
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
    >>> open_ledger(path)
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.LedgerNotFoundError: ...investigation.sqlite: no such file; ...
    >>> with open_ledger(path, gazetteer="syria", create=True) as ledger:
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
    if name != ":memory:" and not is_postgres_url(name):
        if suffix not in (*_SQLITE_SUFFIXES, ".jsonl"):
            raise _unknown_suffix(name)
        _check_path(name, create=create)
    if suffix == ".jsonl" and (_is_claims_file(name) or _names_claims_file(name)):
        if not os.path.exists(name):  # create: an empty claims ledger, saved on demand
            return _warn_if_unsaved(
                _empty_claims_ledger(registries, gazetteer, clock, event_types), name
            )
        return _warn_if_unsaved(
            read_claims_file(
                name,
                registries=registries,
                clock=clock,
                event_types=event_types or BUILTIN_EVENTS,
            ),
            name,
        )
    if gazetteer is None and registries is not None:
        gazetteer = registries.gazetteer  # a new file records where its places come from
    store = _store(
        name, suffix, gazetteer=gazetteer, durability=durability, compact=compact, create=create
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
    path: str | os.PathLike[str],
    *,
    checkpoint: Checkpoint | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Checkpoint:
    """Check everything in the ledger file at ``path``; return its checkpoint.

    Every record's hash, position and content, the Merkle tree, a torn tail (reported as
    :class:`~conflict_ledger.stores.base.TornWriteError` with line and byte offset) and,
    given a ``checkpoint``, that the ledger only added to what it published.
    ``progress`` is :meth:`~conflict_ledger.ledger.Ledger.verify`'s.

    >>> verify_ledger("tests/data/no-such.sqlite")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.LedgerNotFoundError: tests/data/no-such.sqlite: no such file; ...
    """
    name = os.fspath(path)
    _check_path(name, create=False)
    if name.lower().endswith(".jsonl") and (_is_claims_file(name) or _names_claims_file(name)):
        raise NotALedgerError(
            path=name,
            problem="a claims file is an exchange format: it holds no recorded times or "
            "record hashes to verify",
            hint=f"Convert it into a ledger (conflict-ledger convert {name} ledger.sqlite) "
            "and verify that.",
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
        return ledger.verify(checkpoint=checkpoint, progress=progress)
