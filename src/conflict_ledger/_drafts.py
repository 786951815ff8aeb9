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

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from conflict_ledger import records
from conflict_ledger.canonical import MAX_SAFE_INTEGER, ORJSON_OPTIONS, canonical_json, is_plain
from conflict_ledger.claims import Claim
from conflict_ledger.stores.base import SCHEMA_VERSION, StoredRecord
from conflict_ledger.time import iso_text

__all__ = [
    "Bodies",
    "bodies_of",
    "body_in",
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


def body_in(data: bytes) -> bytes:
    """The claim's body inside a claim record's canonical bytes (:func:`record_bytes`).

    >>> body_in(record_bytes(b'{"id":"c1"}', 7, stamp_of("2024-12-07T12:00:00+00:00")))
    b'{"id":"c1"}'
    """
    return data[_HEAD : data.rindex(b',"position":')]


_HEAD = len(b'{"claim":')


def stored_records(bodies: Iterable[bytes], start: int, stamp: bytes) -> list[StoredRecord]:
    """The stored records of a batch numbered from ``start``, each with its SHA-256
    (``bodies`` may be an iterator: each body is let go once its record is made)."""
    of = StoredRecord.of
    return [
        of(start + offset, record_bytes(body, start + offset, stamp))
        for offset, body in enumerate(bodies)
    ]


def bodies_of(claims: Iterable[Claim]) -> list[bytes]:
    """The bodies of claims, in order (:class:`Bodies`: the same bytes as
    :func:`claim_body`, made once for each part several claims share).

    >>> from conflict_ledger.seed import load_seed
    >>> claims = load_seed().claims()
    >>> bodies_of(claims) == [claim_body(claim) for claim in claims]
    True
    """
    return Bodies().of(claims)


class Bodies:
    """Claim bodies, written in one pass with the parts claims share written once.

    The claims of a batch share parts (an import's rows share a day's window, a source
    chain, an evidence): each shared part object is encoded to canonical JSON once,
    remembered by identity while the encoder lives (it holds the object, so its identity
    cannot be reused), and spliced into each body as an ``orjson.Fragment``. The rest of
    a claim (its id, note, event...) is written by the same encoder
    :func:`~conflict_ledger.canonical.canonical_json` uses, after the same exact-type
    check. Anything that check or the encoder refuses (a float in a custom event, a lone
    surrogate in a note) takes :func:`claim_body`, which names the offending field.
    """

    __slots__ = ("_parts",)

    def __init__(self) -> None:
        self._parts: dict[tuple[int, int], tuple[Any, orjson.Fragment]] = {}

    def _part(self, kind: int, value: Any, encode: Any, field: str) -> orjson.Fragment:
        key = (kind, id(value))
        found = self._parts.get(key)
        if found is not None and found[0] is value:
            return found[1]
        text = orjson.Fragment(canonical_json(encode(value), field=field))
        self._parts[key] = (value, text)
        return text

    def of(self, claims: Iterable[Claim]) -> list[bytes]:
        """The bodies of ``claims``, in order."""
        return [self.body(claim) for claim in claims]

    def each(self, claims: Iterable[Claim]) -> Iterator[bytes]:
        """The bodies of ``claims``, one at a time."""
        return map(self.body, claims)

    def body(self, claim: Claim) -> bytes:
        """One claim's body: exactly ``claim_body(claim)``."""
        part = self._part
        event = records.encode_event(claim.event)
        credibility = claim.credibility
        record = {
            "record": "claim",
            "id": claim.id,
            "event": event,
            "valid": part(0, claim.valid, records.encode_window, "record.claim.valid"),
            "reported_at": iso_text(claim.reported_at),
            "source": part(1, claim.source, records.encode_chain, "record.claim.source"),
            "modality": claim.modality.value,
            "credibility": None if credibility is None else int(credibility),
            "evidence": part(2, claim.evidence, records.encode_evidence, "record.claim.evidence"),
            "supersedes": claim.supersedes,
            "note": claim.note,
        }
        if is_plain(event) and type(claim.id) is str and type(claim.note) is str:
            try:
                return orjson.dumps(record, option=ORJSON_OPTIONS)
            except orjson.JSONEncodeError:
                pass  # a lone surrogate or a huge integer: the full walk names it
        return claim_body(claim)
