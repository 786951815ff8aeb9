"""Schema versions of claim records, and the pure functions that upcast old ones.

Every stored claim record carries ``schema``. Reading runs the registered upcasters, one
version step at a time, until the record has the current shape; the record's hash is
always checked on the bytes as written, never on the upcast result.

Version 0 is the shape of the first draft of the stores, kept so that the upcasting path
is exercised from the start: the claim's fields sat flat beside ``position`` and
``recorded_at``, as in a claims-file line. Version 1 (current) nests them under ``claim``.

>>> old = {"schema": 0, "position": 3, "recorded_at": "2024-12-07T12:00:00+00:00",
...        "record": "claim", "id": "x/1", "note": ""}
>>> upcast(old)
{'schema': 1, 'position': 3, 'recorded_at': '2024-12-07T12:00:00+00:00', 'claim': {'record': 'claim', 'id': 'x/1', 'note': ''}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from conflict_ledger.stores.base import SCHEMA_VERSION

__all__ = ["UPCASTERS", "Upcaster", "upcast"]

Upcaster = Callable[[Mapping[str, Any]], dict[str, Any]]
"""A pure function from a record of schema version ``n`` to one of version ``n + 1``."""

_ENVELOPE = ("schema", "position", "recorded_at")


def _from_0(record: Mapping[str, Any]) -> dict[str, Any]:
    """Version 0 -> 1: nest the claim's fields under ``claim``."""
    return {
        "schema": 1,
        "position": record["position"],
        "recorded_at": record["recorded_at"],
        "claim": {k: v for k, v in record.items() if k not in _ENVELOPE},
    }


UPCASTERS: Mapping[int, Upcaster] = {0: _from_0}
"""Upcasters by the version they read: ``UPCASTERS[n]`` turns version n into n + 1."""


def upcast(
    record: Mapping[str, Any], *, upcasters: Mapping[int, Upcaster] = UPCASTERS
) -> dict[str, Any]:
    """The record in the current schema version (a new dict; the input is not changed).

    Raises ``ValueError`` for a version newer than this library or with no upcaster.
    """
    version = record.get("schema")
    result = dict(record)
    while version != SCHEMA_VERSION:
        if not isinstance(version, int) or version > SCHEMA_VERSION or version not in upcasters:
            raise ValueError(
                f"schema version {version!r} cannot be read by this library (it reads up to "
                f"{SCHEMA_VERSION}); upgrade conflict_ledger"
            )
        result = upcasters[version](result)
        version = result["schema"]
    return result
