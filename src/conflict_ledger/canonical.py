"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) for the records we hash.

A record's hash is SHA-256 over its canonical bytes, so two programs that agree on the
record agree on the hash. Records hold only objects, arrays, strings, integers, booleans
and nulls: a float is refused (its text is where implementations disagree), and so is an
integer outside the range an IEEE double holds exactly (RFC 8785 section 3.2.2.3).

>>> canonical_json({"b": [1, True, None], "a": "é"})
b'{"a":"\\xc3\\xa9","b":[1,true,null]}'
>>> canonical_json({"x": 0.5})
Traceback (most recent call last):
...
conflict_ledger.canonical.CanonicalJSONError: record.x=0.5: a float has no canonical text here. Store numbers as integers or strings (records hold no floats).

Two paths give the same bytes (property tests hold them to each other and to the
``rfc8785`` package). The fast path checks the value's exact types a container at a time
(:func:`_plain`), then lets ``orjson``
sort and write it, refusing integers beyond +-(2**53 - 1) itself: about 2 us for a
1 KiB claim record, where the stdlib encoder and a per-value walk took 18 us
(``benchmarks/bench_ingest.py``). orjson writes what RFC 8785 writes for these values:
shortest escapes (``\\n``, ``\\u001f``), other text as UTF-8, no whitespace, keys sorted
by code point, which is UTF-16 order unless a key holds a character at or above U+E000.
Anything unusual (such a key, a float, a huge integer, a key that is not a string, a
subclass, a mapping that is not a dict, a lone surrogate) takes the full path, which
names the offending field and sorts keys by UTF-16 code units.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson

from conflict_ledger.errors import LedgerError

__all__ = ["MAX_SAFE_INTEGER", "ORJSON_OPTIONS", "CanonicalJSONError", "canonical_json", "is_plain"]

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer RFC 8785 (like JavaScript) writes exactly."""


class CanonicalJSONError(LedgerError, ValueError):
    """A value has no RFC 8785 canonical form in a record (a float, a huge integer...).

    ``field`` is the path to the value, e.g. ``record.event.place``.
    """

    def __init__(self, *, field: str, value: Any, problem: str, hint: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{field}={value!r}: {problem}. {hint}")


def _as_json(value: Any) -> Any:
    """The C encoder's hook for types it does not know: a mapping is written as an object
    (:func:`_check` has refused everything else before the encoder runs)."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"a {type(value).__name__} is not a JSON value")


_ENCODE = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":"), default=_as_json
).encode
_STRING = json.JSONEncoder(ensure_ascii=False).encode


def _check(value: Any, path: str) -> bool:
    """Refuse what has no canonical form; return True when keys need UTF-16 ordering."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return False
    if kind is int:
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return False
        raise CanonicalJSONError(
            field=path,
            value=value,
            problem="the integer is outside +-(2**53 - 1), which JSON readers may round",
            hint="Store it as a string.",
        )
    if kind is list or kind is tuple:
        slow = False
        for index, item in enumerate(value):
            slow = _check(item, f"{path}[{index}]") or slow
        return slow
    if isinstance(value, Mapping):
        slow = False
        for key, item in value.items():
            if type(key) is not str:
                raise CanonicalJSONError(
                    field=path,
                    value=key,
                    problem="object keys must be strings",
                    hint="Convert the key to a string before recording.",
                )
            # Code point order equals UTF-16 order unless a key holds a character at or
            # above U+E000 (surrogate pairs sort below U+E000..U+FFFF in UTF-16).
            if not key.isascii() and max(key) >= "\ue000":
                slow = True
            slow = _check(item, f"{path}.{key}") or slow
        return slow
    if kind is float:
        raise CanonicalJSONError(
            field=path,
            value=value,
            problem="a float has no canonical text here",
            hint="Store numbers as integers or strings (records hold no floats).",
        )
    raise CanonicalJSONError(
        field=path,
        value=value,
        problem=f"a {kind.__name__} is not a JSON value",
        hint="Encode it (e.g. with conflict_ledger.codec) before recording.",
    )


_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER

ORJSON_OPTIONS = _ORJSON
"""The options under which ``orjson.dumps`` writes RFC 8785 text for a value that
:func:`is_plain` accepts (it still refuses huge integers and lone surrogates)."""


def _plain(value: Any) -> bool:
    """The fast path: True when ``value`` holds only exact dicts, lists, tuples, strings,
    integers, booleans and None, and no key needs UTF-16 ordering. False sends it to
    :func:`_check` (integers out of range are left to orjson, which refuses them).

    >>> _plain({"a": [1, None, {"b": "c"}]}), _plain({"a": 0.5}), _plain({"\\ue000": 1})
    (True, False, False)
    """
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            # Code point order equals UTF-16 order unless a key holds a character at or
            # above U+E000 (surrogate pairs sort below U+E000..U+FFFF in UTF-16).
            if type(key) is not str or (not key.isascii() and max(key) >= "\ue000"):
                return False
            kind = type(item)
            if kind is not str and kind is not int and item is not None and not _plain(item):
                return False
        return True
    if kind is list or kind is tuple:
        for item in value:
            kind = type(item)
            if kind is not str and kind is not int and item is not None and not _plain(item):
                return False
        return True
    return kind is str or kind is int or kind is bool or value is None


def is_plain(value: Any) -> bool:
    """Whether ``orjson.dumps(value, option=ORJSON_OPTIONS)`` is ``value``'s canonical JSON
    (or refuses it): a value of exact dicts, lists, tuples, strings, integers, booleans
    and None, with no key that needs UTF-16 ordering.

    >>> is_plain({"a": [1, None]}), is_plain({"a": 0.5})
    (True, False)
    """
    return _plain(value)


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _slow(value: Any) -> str:
    """The canonical text, with object keys sorted by UTF-16 code units (RFC 8785 3.2.3)."""
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda item: _utf16_key(item[0]))
        return "{" + ",".join(f"{_STRING(k)}:{_slow(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_slow(item) for item in value) + "]"
    return _ENCODE(value)


def canonical_json(value: Any, *, field: str = "record") -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value made of dicts, lists, strings,
    integers, booleans and None.

    Keys are sorted by UTF-16 code units, strings are escaped as ECMAScript's
    ``JSON.stringify`` does, there is no insignificant whitespace. Raises
    :class:`CanonicalJSONError` naming the offending ``field`` path for floats, integers
    beyond 2**53 - 1, non-string keys and strings that are not valid Unicode.

    >>> canonical_json({"\\U0001f600": 1, "\\ufb01": 2})  # U+1F600 sorts first in UTF-16
    b'{"\\xf0\\x9f\\x98\\x80":1,"\\xef\\xac\\x81":2}'
    """
    if _plain(value):
        try:
            return orjson.dumps(value, option=_ORJSON)
        except orjson.JSONEncodeError:
            pass  # a huge integer or a lone surrogate: the full walk names it
    return _encoded(_walked(value, field), field)


def _walked(value: Any, field: str) -> str:
    """The canonical text found by the full walk: the reference the fast path must equal."""
    return _slow(value) if _check(value, field) else _ENCODE(value)


def _encoded(text: str, field: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise CanonicalJSONError(
            field=field,
            value=error.object[error.start : error.end],
            problem="a string holds a lone surrogate, which is not valid Unicode",
            hint="Fix the text's encoding before recording it.",
        ) from None
