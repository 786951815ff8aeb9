"""A canonical, process-independent form of a projection's result, for comparing results.

Two results that are equal as values have the same :func:`fingerprint`, in this process
or in another one with a different hash seed: mappings and sets are sorted, sequences
keep their order, attrs classes and dataclasses are compared on their ``eq`` fields,
enums by class and value, datetimes by ISO text. Anything else falls back to ``repr``.

>>> fingerprint({"b": frozenset({"y", "x"}), "a": (1, 2)}) == fingerprint({"a": (1, 2), "b": {"x", "y"}})
True
>>> fingerprint(("x", "y")) == fingerprint(("y", "x"))
False
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import json
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["canonical_form", "fingerprint"]


def _sorted(items: list[Any]) -> list[Any]:
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))


def canonical_form(value: Any) -> Any:
    """``value`` as nested JSON-ready lists, strings, integers, booleans and nulls.

    >>> from conflict_ledger.rules.territory import Access
    >>> canonical_form({"p0": Access.OPEN})
    ['mapping', [['p0', ['Access', 'open']]]]
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, enum.Enum):
        return [type(value).__qualname__, canonical_form(value.value)]
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return ["timedelta", value.days, value.seconds, value.microseconds]
    cls = type(value)
    if attrs.has(cls):
        fields = {f.name: canonical_form(getattr(value, f.name)) for f in attrs.fields(cls) if f.eq}
        return [cls.__qualname__, fields]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {
            f.name: canonical_form(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.compare
        }
        return [cls.__qualname__, fields]
    if isinstance(value, Mapping):
        items = [[canonical_form(k), canonical_form(v)] for k, v in value.items()]
        return ["mapping", _sorted(items)]
    if isinstance(value, set | frozenset):
        return ["set", _sorted([canonical_form(item) for item in value])]
    if isinstance(value, list | tuple):
        return [cls.__qualname__, [canonical_form(item) for item in value]]
    return ["repr", repr(value)]


def fingerprint(value: Any) -> str:
    """The canonical form as one JSON string: equal values, equal fingerprints.

    >>> fingerprint([1, "a"])
    '["list", [1, "a"]]'
    """
    return json.dumps(canonical_form(value), sort_keys=True, ensure_ascii=False)
