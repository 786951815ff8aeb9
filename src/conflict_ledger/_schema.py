"""The claims file's schema, checked strictly before any record is decoded.

Every line is read as UTF-8 JSON (no ``NaN``, no ``Infinity``, no repeated key, no lone
surrogate), and every field of every record is checked against the class it decodes
to: its type, its allowed values, its range. A field the format does not define is
refused with a suggestion, never dropped. Each problem is a
:class:`~conflict_ledger.errors.FormatError` naming the file, the line, the claim, the
field and the value, and saying what to do.

>>> where = Where(path="c.jsonl", line=3)
>>> check_claim({"id": "c1", "modallity": "forecast"}, where, {})
Traceback (most recent call last):
...
conflict_ledger.errors.UnknownFieldError: c.jsonl:3: claim 'c1', field modallity='forecast': no such field in the format (refused, not dropped). Did you mean 'modality'?
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import json
import math
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import pendulum

from conflict_ledger.claims import Credibility, Document, Modality, SourceLink
from conflict_ledger.errors import FormatError, LedgerError, UnknownFieldError
from conflict_ledger.events import Event
from conflict_ledger.registry import Actor, Coordinates, Place, Source
from conflict_ledger.time import Precision, to_instant

__all__ = ["VALUE_TYPES", "Where", "check_claim", "check_value", "parse_line"]

VALUE_TYPES: Mapping[str, type[Place | Actor | Source | Document]] = {
    "place": Place,
    "actor": Actor,
    "source": Source,
    "document": Document,
}

CLAIM_FIELDS = (
    "record",
    "id",
    "event",
    "valid",
    "reported_at",
    "source",
    "modality",
    "credibility",
    "evidence",
    "supersedes",
    "note",
)
_CLAIM_REQUIRED = ("id", "event", "valid", "reported_at", "source")


@attrs.frozen
class Where:
    """Where a record was read: the file, the line, and the claim once its id is known."""

    path: str
    line: int
    claim_id: str | None = None

    def error(self, field: str | None, value: Any, problem: str, hint: str) -> FormatError:
        """A :class:`FormatError` at this place."""
        return FormatError(
            path=self.path,
            line=self.line,
            field=field,
            value=value,
            claim_id=self.claim_id,
            problem=problem,
            hint=hint,
        )


# -- one line -----------------------------------------------------------------------------


class _RefusedError(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _RefusedError(f"{name} is not a JSON number")


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RefusedError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return record


def parse_line(raw: bytes, where: Where) -> Any:
    """The JSON value of one line, refusing what JSON or UTF-8 do not allow.

    >>> parse_line(b'{"a":NaN}', Where(path="c.jsonl", line=2))
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.FormatError: c.jsonl:2: NaN is not a JSON number. ...
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise where.error(
            None,
            None,
            f"not UTF-8 text: byte {raw[error.start]:#04x} at column {error.start + 1}",
            "Save the file as UTF-8.",
        ) from None
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_repeats)
    except _RefusedError as error:
        raise where.error(None, None, str(error), "Write each line as strict JSON.") from None
    except json.JSONDecodeError as error:
        raise where.error(
            None,
            None,
            f"not JSON ({error.msg} at column {error.colno})",
            "Write each record as one JSON object on one line.",
        ) from None
    except RecursionError:
        raise where.error(
            None, None, "nested deeper than the JSON parser allows", "No record nests so deep."
        ) from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise where.error(
            None, None, f"an unreadable number ({error})", "Fix the number."
        ) from None


def check_strings(value: Any, where: Where, field: str = "") -> None:
    """Refuse a string anywhere in ``value`` that is not valid Unicode (a lone surrogate)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise where.error(
                field or None,
                value,
                f"a lone surrogate ({value[error.start]!r}) is not a character",
                "Write the character itself, or a whole surrogate pair.",
            ) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            check_strings(key, where, field)
            check_strings(item, where, f"{field}.{key}" if field else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_strings(item, where, f"{field}[{index}]")


# -- types ----------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number" if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _wrong(value: Any, expected: str, field: str, where: Where) -> FormatError:
    return where.error(
        field, value, f"{expected} is needed here, not {_kind(value)}", f"Write {expected}."
    )


def _text(value: Any, field: str, where: Where, *, empty: bool = True) -> None:
    if not isinstance(value, str):
        raise _wrong(value, "a string", field, where)
    if not empty and not value.strip():
        raise where.error(field, value, "it is empty", "Give it a name.")


def _integer(value: Any, field: str, where: Where) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(value, "an integer", field, where)


def _enum(value: Any, kind: type[enum.Enum], field: str, where: Where) -> None:
    allowed = [member.value for member in kind]
    if type(value) not in {type(item) for item in allowed} or value not in allowed:
        shown = ", ".join(str(item) for item in allowed)
        raise where.error(field, value, f"not a {kind.__name__}", f"Use one of: {shown}.")


def _instant(value: Any, field: str, where: Where) -> pendulum.DateTime:
    _text(value, field, where)
    try:
        return to_instant(value, field=field)
    except LedgerError as error:
        problem = getattr(error, "problem", "not an instant")
        hint = getattr(error, "hint", "Write e.g. '2024-12-06T20:00:00+03:00'.")
        raise where.error(field, value, problem, hint) from None
    except (ValueError, OverflowError):
        raise where.error(
            field, value, "out of range", "Use a date-time between years 1 and 9999."
        ) from None


def _date(value: Any, field: str, where: Where) -> None:
    _text(value, field, where)
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise where.error(
            field, value, "not an ISO 8601 date", "Write it as e.g. '2024-12-07'."
        ) from None


def _coordinates(value: Any, field: str, where: Where) -> None:
    if not isinstance(value, list) or len(value) != 2:
        raise _wrong(value, "a list of two numbers, [latitude, longitude],", field, where)
    for item, name, bound in ((value[0], "latitude", 90), (value[1], "longitude", 180)):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise _wrong(item, f"a {name} (a number or its text)", field, where)
        try:
            number = float(item)
        except ValueError:
            raise _wrong(item, f"a {name} (a number or its text)", field, where) from None
        if not (math.isfinite(number) and -bound <= number <= bound):
            raise where.error(
                field, value, f"the {name} {item!r} is out of range", f"Use -{bound} to {bound}."
            )


def _check(value: Any, hint: Any, field: str, where: Where) -> None:
    """Check one JSON value against a field's type annotation."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if value is None and len(options) < len(typing.get_args(hint)):
            return
        if len(options) == 1:
            _check(value, options[0], field, where)
        return
    if origin is tuple:
        if not isinstance(value, list):
            raise _wrong(value, "a list", field, where)
        (item_hint, *_) = typing.get_args(hint) or (Any,)
        for index, item in enumerate(value):
            _check(item, item_hint, f"{field}[{index}]", where)
        return
    checks: dict[Any, Any] = {
        str: _text,
        int: _integer,
        _dt.date: _date,
        pendulum.DateTime: _instant,
        Coordinates: _coordinates,
    }
    if hint in checks:
        checks[hint](value, field, where)
    elif hint is bool and not isinstance(value, bool):
        raise _wrong(value, "true or false", field, where)
    elif hint is float and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise _wrong(value, "a number", field, where)
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        _enum(value, hint, field, where)


@functools.cache
def _fields(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """The types of an attrs class's fields, and which are required."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # a user's event class whose annotations do not resolve
        hints = {}
    fields = attrs.fields(cls)
    required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
    return {f.name: hints.get(f.name, Any) for f in fields}, required


def _keys(
    record: Any,
    allowed: Sequence[str],
    required: Sequence[str] | frozenset[str],
    field: str,
    where: Where,
) -> None:
    if not isinstance(record, dict):
        raise _wrong(record, "an object", field or "record", where)
    prefix = f"{field}." if field else ""
    for key, value in record.items():
        if key not in allowed:
            raise UnknownFieldError(
                path=where.path,
                line=where.line,
                field=prefix + key,
                value=value,
                allowed=tuple(name for name in allowed if name != "record"),
                claim_id=where.claim_id,
            )
    for key in required:
        if key not in record:
            raise where.error(prefix + key, None, "this field is missing", "Add it.")


def _attrs_record(record: Any, cls: type, field: str, where: Where, *, extra: str = "") -> None:
    hints, required = _fields(cls)
    _keys(record, (*hints, extra) if extra else tuple(hints), required, field, where)
    prefix = f"{field}." if field else ""
    for name, hint in hints.items():
        if name in record:
            _check(record[name], hint, prefix + name, where)


# -- records --------------------------------------------------------------------------------


def check_value(record: Mapping[str, Any], where: Where) -> None:
    """Check a place, actor, source or document record against its class."""
    kind = record.get("record")
    _attrs_record(record, VALUE_TYPES[str(kind)], "", where, extra="record")
    if "id" in record:
        _text(record["id"], "id", where, empty=False)


def check_claim(
    record: Mapping[str, Any], where: Where, event_types: Mapping[str, type[Event]]
) -> None:
    """Check a claim record: every field, its type, its allowed values and its window."""
    claim_id = record.get("id")
    if isinstance(claim_id, str):
        where = attrs.evolve(where, claim_id=claim_id)
    _keys(record, CLAIM_FIELDS, _CLAIM_REQUIRED, "", where)
    _text(record["id"], "id", where, empty=False)
    _event(record["event"], where, event_types)
    _window(record["valid"], where)
    _instant(record["reported_at"], "reported_at", where)
    links = record["source"]
    if not isinstance(links, list) or not links:
        raise _wrong(links, "a non-empty list of source links", "source", where)
    for index, link in enumerate(links):
        _attrs_record(link, SourceLink, f"source[{index}]", where)
    if "modality" in record:
        _enum(record["modality"], Modality, "modality", where)
    if record.get("credibility") is not None:
        _enum(record["credibility"], Credibility, "credibility", where)
    if record.get("evidence") is not None:
        _evidence(record["evidence"], where)
    if record.get("supersedes") is not None:
        _text(record["supersedes"], "supersedes", where, empty=False)
    if "note" in record:
        _text(record["note"], "note", where)


def _event(record: Any, where: Where, event_types: Mapping[str, type[Event]]) -> None:
    if not isinstance(record, dict):
        raise _wrong(record, "an object", "event", where)
    kind = record.get("type")
    if not isinstance(kind, str) or kind not in event_types:
        raise where.error(
            "event.type",
            kind,
            "not an event type this reader knows",
            f"Use one of: {', '.join(sorted(event_types))} "
            "(or pass your own event classes in event_types).",
        )
    _attrs_record(record, event_types[kind], "event", where, extra="type")


def _window(record: Any, where: Where) -> None:
    _keys(record, ("start", "end", "precision"), ("start", "end", "precision"), "valid", where)
    start = _instant(record["start"], "valid.start", where)
    end = _instant(record["end"], "valid.end", where)
    _enum(record["precision"], Precision, "valid.precision", where)
    if end < start:
        raise where.error(
            "valid.end",
            record["end"],
            f"the window ends before it starts ({record['start']})",
            "Swap start and end, or correct the dates.",
        )


def _evidence(record: Any, where: Where) -> None:
    _keys(record, ("document", "spans", "paraphrase"), ("document", "spans"), "evidence", where)
    _text(record["document"], "evidence.document", where)
    spans = record["spans"]
    if not isinstance(spans, list):
        raise _wrong(spans, "a list of [start, end] pairs", "evidence.spans", where)
    for index, span in enumerate(spans):
        field = f"evidence.spans[{index}]"
        if not isinstance(span, list) or len(span) != 2:
            raise _wrong(span, "a [start, end] pair", field, where)
        for item in span:
            _integer(item, field, where)
    if "paraphrase" in record:
        _text(record["paraphrase"], "evidence.paraphrase", where)
