"""Reading a claims file: every line checked against the schema, every problem located.

:func:`conflict_ledger.codec.read_claims_file` is the public face; this module does the
work. Lines are read as bytes and checked one by one (:mod:`conflict_ledger._schema`);
every bad line is reported, each naming its file, line, claim, field and value, and
nothing is returned half-read. Claims that pass the schema are then checked against
the registries and each other, and a reference error names its claim and line too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from conflict_ledger import _schema
from conflict_ledger.claims import Claim, Document
from conflict_ledger.errors import FormatError, InvalidBatchError, LedgerError
from conflict_ledger.events import Event
from conflict_ledger.ledger import Clock, Ledger, fixed_clock
from conflict_ledger.records import decode_claim, decode_value
from conflict_ledger.registry import Actor, Place, Registries, Source, adds_names
from conflict_ledger.stores.base import IntegrityError

__all__ = ["load_claims_file", "located"]

_Value = Place | Actor | Source | Document


def located(error: LedgerError, path: str, line: int, claim_id: str | None) -> LedgerError:
    """The same error (same type, same fields), its message prefixed with where it was
    found, and ``path``, ``line`` and ``claim_id`` set on it.

    >>> from conflict_ledger.errors import UnknownPlaceError
    >>> error = located(UnknownPlaceError(name="Atlantis", field="event.place"), "c.jsonl", 7, "c1")
    >>> print(error)
    c.jsonl:7: claim 'c1': unknown place 'Atlantis' (field event.place). Register the place in the gazetteer or use one of its ids or aliases.
    >>> type(error).__name__, error.line
    ('UnknownPlaceError', 7)
    """
    if isinstance(error, FormatError) or getattr(error, "line", None) is not None:
        return error
    where = f"{path}:{line}: " + (f"claim {claim_id!r}: " if claim_id is not None else "")
    copy = type(error).__new__(type(error))
    copy.__dict__.update(error.__dict__)
    copy.args = (where + str(error),)
    copy.path = path  # type: ignore[attr-defined]
    copy.line = line  # type: ignore[attr-defined]
    if getattr(copy, "claim_id", None) is None:
        copy.claim_id = claim_id  # type: ignore[attr-defined]
    return copy


def _raise(problems: list[Exception], path: str) -> None:
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InvalidBatchError(f"{path}: {len(problems)} problems; nothing was read", problems)


def _lines(path: str) -> list[bytes]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except IsADirectoryError:
        from conflict_ledger.errors import NotALedgerError

        raise NotALedgerError(path=path, problem="it is a directory") from None
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark some editors write
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        raise FormatError(path=path, line=1, problem="the file is empty; it needs a header line")
    return lines


def _header(raw: bytes, path: str, fmt: str, version: int) -> dict[str, Any]:
    where = _schema.Where(path=path, line=1)
    header = _schema.parse_line(raw, where)
    if not isinstance(header, dict) or header.get("record") != "header":
        raise where.error(None, None, f"the first line is a {fmt} header", "Start with it.")
    _schema.check_strings(header, where)
    if header.get("format") != fmt:
        raise where.error("format", header.get("format"), f"not {fmt}", f"Write {fmt!r}.")
    number = header.get("version")
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= version:
        raise where.error(
            "version",
            number,
            f"this library reads versions 1 to {version}",
            "Upgrade conflict_ledger to read a newer file.",
        )
    named = header.get("gazetteer")
    if named is not None and not isinstance(named, str):
        raise where.error("gazetteer", named, "a gazetteer is named by a string", "Fix it.")
    return header


def _record(
    raw: bytes, number: int, path: str, event_types: Mapping[str, type[Event]]
) -> Claim | _Value:
    where = _schema.Where(path=path, line=number)
    record = _schema.parse_line(raw, where)
    if not isinstance(record, dict):
        raise where.error(None, None, "a line is a JSON object", "Write one record a line.")
    _schema.check_strings(record, where)
    kind = record.get("record")
    if kind == "claim":
        _schema.check_claim(record, where, event_types)
    elif isinstance(kind, str) and kind in _schema.VALUE_TYPES:
        _schema.check_value(record, where)
    else:
        raise where.error(
            "record",
            kind,
            "not a record type",
            f"Use one of: claim, {', '.join(_schema.VALUE_TYPES)}.",
        )
    claim_id = record["id"] if kind == "claim" else None
    try:
        if kind == "claim":
            return decode_claim(record, event_types=event_types)
        return decode_value(record)
    except LedgerError as error:
        raise located(error, path, number, claim_id) from None
    except (ValueError, TypeError, KeyError, ArithmeticError) as error:  # past the schema
        raise where.error(None, None, f"the record cannot be read ({error})", "Fix it.") from None


def _smaller(value: _Value, other: _Value) -> bool:
    """Whether ``other`` is ``value`` with aliases added (a grown entry)."""
    named = Place | Actor | Source
    return isinstance(value, named) and isinstance(other, named) and adds_names(value, other)


def _diagnose(
    claims: list[tuple[int, Claim]], registries: Registries, path: str
) -> list[Exception]:
    """Every claim's own problem with the registries and the claims before it."""
    scratch = Ledger(registries=registries, clock=fixed_clock("2000-01-01T00:00Z"))
    problems: list[Exception] = []
    for number, claim in claims:
        try:
            scratch.append(claim)
        except LedgerError as error:
            problems.append(located(error, path, number, claim.id))
    return problems


def load_claims_file(
    path: str | os.PathLike[str],
    *,
    registries: Registries | None,
    event_types: Mapping[str, type[Event]],
    clock: Clock,
    fmt: str,
    version: int,
) -> Ledger:
    """See :func:`conflict_ledger.codec.read_claims_file`."""
    from conflict_ledger.gazetteer import builtin

    name = os.fspath(path)
    lines = _lines(name)
    header = _header(lines[0], name, fmt, version)
    if registries is None:
        try:
            named = header.get("gazetteer")
            registries = builtin(named) if named else Registries()
        except LedgerError as error:
            raise located(error, name, 1, None) from None
    values: list[tuple[int, _Value]] = []
    claims: list[tuple[int, Claim]] = []
    problems: list[Exception] = []
    for number, raw in enumerate(lines[1:], start=2):
        try:
            item = _record(raw, number, name, event_types)
        except LedgerError as error:
            problems.append(error)
            continue
        if isinstance(item, Claim):
            claims.append((number, item))
        else:
            values.append((number, item))
    _raise(problems, name)
    return _ledger(name, registries, values, claims, clock)


def _ledger(
    path: str,
    registries: Registries,
    values: list[tuple[int, _Value]],
    claims: list[tuple[int, Claim]],
    clock: Clock,
) -> Ledger:
    # The file's values must agree with each other (one value per id, or the same entry
    # with aliases added: the grown one counts, in either order); against a newer
    # gazetteer, they count over its entries with the same id or name (shadowed_by).
    seen: dict[tuple[type, str], _Value] = {}
    for number, value in values:
        key = (type(value), str(getattr(value, "id", None) or getattr(value, "sha256", "")))
        first = seen.setdefault(key, value)
        if first == value or _smaller(value, first):
            continue
        try:
            Registries().with_values([first, value])
        except LedgerError as error:
            raise located(error, path, number, None) from None
        seen[key] = value
    registries = registries.shadowed_by(seen.values())
    ledger = Ledger(registries=registries, clock=clock)
    try:
        ledger.extend(claim for _, claim in claims)
    except (LedgerError, IntegrityError):
        _raise(_diagnose(claims, registries, path), path)
        raise
    return ledger
