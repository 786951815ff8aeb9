"""One way to save a ledger and one to convert between files: the format follows the path.

=====================  ======================================================================
path                   what is written
=====================  ======================================================================
``*.claims.jsonl``     a claims file (docs/format.md): an exchange file, claims in order
``*.jsonl``            a JSON Lines ledger (docs/integrity.md): records byte for byte
``*.sqlite``, ``*.db`` a SQLite ledger: records byte for byte
=====================  ======================================================================

The registries always travel with the claims: the file names the built-in gazetteer the
ledger starts from (found by comparing, or given), and holds every place, actor, source
and document the gazetteer lacks, so the file reads back alone. Copied into a JSON Lines
or SQLite ledger, every record keeps its bytes, so its hash, recorded time and position
(and any checkpoint published) still hold.

>>> import os, tempfile
>>> from conflict_ledger.codec import open_ledger
>>> from conflict_ledger.seed import load_seed
>>> folder = tempfile.mkdtemp()
>>> save_ledger(load_seed(), os.path.join(folder, "seed.sqlite"))
>>> convert(os.path.join(folder, "seed.sqlite"), os.path.join(folder, "seed.claims.jsonl"))
>>> with open_ledger(os.path.join(folder, "seed.claims.jsonl")) as again:
...     again.claims() == load_seed().claims()
True
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from conflict_ledger.claims import Document
from conflict_ledger.codec import (
    _SQLITE_SUFFIXES,
    CLAIMS_SUFFIX,
    _check_path,
    open_ledger,
    write_claims_file,
)
from conflict_ledger.errors import InvalidClaimError, LedgerError
from conflict_ledger.events import Event
from conflict_ledger.gazetteer import BUILTIN, WORLD_PREFIX, builtin
from conflict_ledger.ledger import Ledger
from conflict_ledger.registry import Actor, Place, Registries, Registry, Source, adds_names

__all__ = [
    "LedgerExistsError",
    "convert",
    "format_of",
    "gazetteer_of",
    "save_claims_file",
    "save_ledger",
]

_Value = Place | Actor | Source | Document


class LedgerExistsError(LedgerError, FileExistsError):
    """Saving would overwrite a ledger (JSON Lines or SQLite) that already holds records.

    >>> print(LedgerExistsError(path="old.sqlite"))
    old.sqlite: a ledger is already there, and ledgers are never overwritten. Save to a new path.
    """

    def __init__(self, *, path: str) -> None:
        self.path = path
        super().__init__(
            f"{path}: a ledger is already there, and ledgers are never overwritten. "
            "Save to a new path."
        )

    def __str__(self) -> str:
        return str(self.args[0])


def gazetteer_of(ledger: Ledger) -> str | None:
    """The built-in gazetteer a ledger starts from: the one its store records, else the
    first whose every place and actor the ledger holds unchanged (or with aliases added);
    None if none.

    >>> from conflict_ledger.seed import load_seed
    >>> gazetteer_of(load_seed()), gazetteer_of(Ledger())
    ('syria', None)
    """
    named = ledger.store.meta().get("gazetteer")
    if named in BUILTIN or (isinstance(named, str) and named.startswith(WORLD_PREFIX)):
        return str(named)
    registries = ledger.registries
    for name in BUILTIN:
        base = builtin(name)
        if all(_holds(registries.places, p, grown=True) for p in base.places) and all(
            _holds(registries.actors, a, grown=True) for a in base.actors
        ):
            return name
    return None


def _holds(registry: Registry[Any], value: Place | Actor | Source, *, grown: bool = False) -> bool:
    """Whether ``registry`` holds ``value`` unchanged (``grown``: or with aliases added)."""
    if value.id not in registry:
        return False
    held = registry[value.id]
    return held == value or (grown and adds_names(value, held))


def _missing(registries: Registries, base: Registries) -> list[_Value]:
    """The values of ``registries`` that ``base`` lacks (or holds differently)."""
    values: list[_Value] = []
    values.extend(p for p in registries.places if not _holds(base.places, p))
    values.extend(a for a in registries.actors if not _holds(base.actors, a))
    values.extend(s for s in registries.sources if not _holds(base.sources, s))
    values.extend(d for sha, d in registries.documents.items() if base.documents.get(sha) != d)
    return values


def format_of(path: str) -> str:
    """The format a path names: ``"claims"``, ``"jsonl"`` or ``"sqlite"``.

    >>> format_of("syria.claims.jsonl"), format_of("syria.jsonl"), format_of("syria.db")
    ('claims', 'jsonl', 'sqlite')
    """
    lower = path.lower()
    if lower.endswith(CLAIMS_SUFFIX):
        return "claims"
    if lower.endswith(".jsonl"):
        return "jsonl"
    if lower.endswith(_SQLITE_SUFFIXES):
        return "sqlite"
    raise InvalidClaimError(
        field="path",
        value=path,
        problem="the suffix names no ledger format",
        hint="Save to a .claims.jsonl (claims file), .jsonl (JSON Lines ledger) or .sqlite path.",
    )


def save_ledger(
    ledger: Ledger, path: str | os.PathLike[str], *, gazetteer: str | None = None
) -> None:
    """Save ``ledger`` at ``path`` in the format the path names (see the module docstring).

    A claims file is replaced whole (written aside, then renamed). A JSON Lines or
    SQLite ledger is created; one that already holds records is never overwritten
    (:class:`LedgerExistsError`). ``gazetteer`` names the built-in gazetteer the file
    starts from (default: :func:`gazetteer_of`).

    >>> import os, tempfile
    >>> from conflict_ledger.seed import load_seed
    >>> path = os.path.join(tempfile.mkdtemp(), "seed.jsonl")
    >>> save_ledger(load_seed(), path)
    >>> save_ledger(load_seed(), path)
    Traceback (most recent call last):
    ...
    conflict_ledger.saving.LedgerExistsError: ...seed.jsonl: a ledger is already there, ...
    """
    name = os.fspath(path)
    kind = format_of(name)
    if kind == "claims":
        save_claims_file(ledger, name, gazetteer=gazetteer)
        return
    named = gazetteer if gazetteer is not None else gazetteer_of(ledger)
    base = builtin(named) if named else Registries()
    values = _missing(ledger.registries, base)
    if os.path.exists(name) and os.path.getsize(name):
        raise LedgerExistsError(path=name)
    _check_path(name, create=True)  # a missing folder named as the path given
    # Written whole beside the path, then put there at once: another process creating a
    # ledger at the same path meanwhile finds either nothing or a whole ledger.
    aside = _aside(name)
    try:
        with open_ledger(aside, create=True, gazetteer=named, registries=base) as target:
            ledger.copy_to(target.store)
            target.refresh()
            target.register(*values)
        _put(aside, name)
    finally:
        for extra in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(aside + extra):
                os.remove(aside + extra)


def _aside(name: str) -> str:
    """A new path beside ``name``, of the same format (its suffix kept)."""
    folder, base = os.path.split(os.path.abspath(name))
    suffix = next((s for s in (*_SQLITE_SUFFIXES, ".jsonl") if base.lower().endswith(s)), "")
    return os.path.join(folder, f".{base}.{os.getpid()}.{os.urandom(4).hex()}{suffix}")


def _put(aside: str, name: str) -> None:
    """Move the file at ``aside`` to ``name``, never over a ledger there: a hard link
    fails if the name is taken (an empty file there, as ``touch`` leaves, is replaced)."""
    try:
        os.link(aside, name)
    except FileExistsError:
        if os.path.getsize(name):
            raise LedgerExistsError(path=name) from None
        os.replace(aside, name)
    except OSError:  # a file system without hard links: checked, then renamed
        if os.path.exists(name) and os.path.getsize(name):
            raise LedgerExistsError(path=name) from None
        os.replace(aside, name)


def save_claims_file(
    ledger: Ledger, path: str | os.PathLike[str], *, gazetteer: str | None = None
) -> None:
    """Write ``ledger`` as a claims file whatever the path's suffix: the gazetteer's name,
    the values it lacks, every claim (what :func:`save_ledger` does for ``.claims.jsonl``)."""
    named = gazetteer if gazetteer is not None else gazetteer_of(ledger)
    base = builtin(named) if named else Registries()
    values = _missing(ledger.registries, base)
    write_claims_file(path, ledger.claims(), values=values, gazetteer=named)


def convert(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    gazetteer: str | None = None,
    event_types: Mapping[str, type[Event]] | None = None,
) -> None:
    """Convert the ledger at ``source`` into the format ``target``'s path names.

    Claims file, JSON Lines ledger and SQLite ledger convert into one another; the
    registries travel along. From one store to another, every record keeps its bytes.

    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "seed.sqlite")
    >>> convert("seeds/dawn-2024-12-07.claims.jsonl", target)
    >>> with open_ledger(target) as ledger:
    ...     len(ledger), len(ledger.registries.sources)
    (16, 9)
    """
    with open_ledger(source, event_types=event_types) as ledger:
        named = gazetteer if gazetteer is not None else _declared(source)
        save_ledger(ledger, target, gazetteer=named)


def _declared(path: str | os.PathLike[str]) -> str | None:
    """The gazetteer a claims file's header names (None for a ledger store: its meta says)."""
    try:
        with open(path, "rb") as handle:
            header = json.loads(handle.readline(1 << 16))
    except (OSError, ValueError):
        return None
    named = header.get("gazetteer") if isinstance(header, dict) else None
    return named if isinstance(named, str) and header.get("record") == "header" else None
