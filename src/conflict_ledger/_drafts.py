"""Claim records encoded before a store's write lock is taken (private; ``ledger`` uses it).

A stored claim record is the canonical JSON of ``{"claim": ..., "position": ...,
"recorded_at": ..., "schema": 1}``. Its four keys sort in that order, so its bytes are the
claim's own canonical JSON (its *body*) spliced between fixed text. The body, by far the
dearest part to make, does not depend on the position or the recorded time: a writer
encodes it before it queues for the lock, while other writers append, and only the
splice and the SHA-256 need the position (cheap to redo when others appended first).

>>> body = claim_body_of({"id": "c1", "note": "é"})
>>> stamp = stamp_of("2024-12-07T12:00:00+00:00")
>>> record_bytes(body, 7, stamp)
b'{"claim":{"id":"c1","note":"\\xc3\\xa9"},"position":7,"recorded_at":"2024-12-07T12:00:00+00:00","schema":1}'
>>> record_bytes(body, 7, stamp) == canonical_json(
...     {"schema": 1, "position": 7, "recorded_at": "2024-12-07T12:00:00+00:00",
...      "claim": {"id": "c1", "note": "é"}})
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from conflict_ledger import records
from conflict_ledger.canonical import MAX_SAFE_INTEGER, canonical_json
from conflict_ledger.claims import Claim
from conflict_ledger.stores.base import SCHEMA_VERSION, StoredRecord

__all__ = [
    "bodies_of",
    "claim_body",
    "claim_body_of",
    "record_bytes",
    "stamp_of",
    "stored_records",
]

_TAIL = b',"schema":%d}' % SCHEMA_VERSION


def claim_body_of(encoded: Any) -> bytes:
    """The canonical JSON of an encoded claim, with errors naming ``record.claim...``
    as they do when the whole record is encoded at once."""
    return canonical_json(encoded, field="record.claim")


def claim_body(claim: Claim) -> bytes:
    """The canonical JSON of a claim as its record holds it."""
    return claim_body_of(records.encode_claim(claim))


def stamp_of(recorded_at: str) -> bytes:
    """The canonical JSON of a recorded time's ISO text."""
    return canonical_json(recorded_at, field="record.recorded_at")


def record_bytes(body: bytes, position: int, stamp: bytes) -> bytes:
    """A claim record's canonical bytes from its body, position and stamp."""
    if not 0 <= position <= MAX_SAFE_INTEGER:
        raise ValueError(f"position {position} is outside 0..2**53 - 1")
    return b'{"claim":%b,"position":%d,"recorded_at":%b%b' % (body, position, stamp, _TAIL)


def stored_records(bodies: Sequence[bytes], start: int, stamp: bytes) -> list[StoredRecord]:
    """The stored records of a batch numbered from ``start``, each with its SHA-256."""
    of = StoredRecord.of
    return [
        of(start + offset, record_bytes(body, start + offset, stamp))
        for offset, body in enumerate(bodies)
    ]


def bodies_of(claims: Iterable[Claim]) -> list[bytes]:
    """The bodies of claims, in order."""
    return [claim_body(claim) for claim in claims]
