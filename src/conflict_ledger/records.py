"""Records: claims, events, places, actors, sources and documents as plain JSON values.

Serialisation lives here, outside the value classes. Every value becomes a record of
strings, integers, lists and nulls (no floats in a claim, so a record's canonical bytes
are stable and hashable); reading a record back gives an equal value. The ledger's
stores and the claims file (:mod:`conflict_ledger.codec`) both write these records.

>>> from conflict_ledger.seed import load_seed
>>> claim = load_seed().claims()[0]
>>> decode_claim(encode_claim(claim)) == claim
True
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import attrs
import orjson

from conflict_ledger.claims import (
    Claim,
    Document,
    Evidence,
    SourceChain,
    SourceLink,
    Span,
)
from conflict_ledger.events import (
    Advanced,
    Attacked,
    Captured,
    ControlLost,
    CrossingClosed,
    CrossingOpened,
    DatasetEvent,
    Event,
    ForcesSent,
    HandedOver,
    Holds,
    Meeting,
    Retraction,
    SourceGraded,
)
from conflict_ledger.registry import Actor, Coordinates, Place, Source
from conflict_ledger.time import ValidTime, iso_text, to_instant

__all__ = [
    "BUILTIN_EVENTS",
    "CLAIM_KEYS",
    "Outline",
    "Shared",
    "decode_claim",
    "decode_event",
    "decode_value",
    "encode_chain",
    "encode_claim",
    "encode_event",
    "encode_evidence",
    "encode_value",
    "encode_window",
    "outline",
]


BUILTIN_EVENTS: Mapping[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        Captured,
        ControlLost,
        HandedOver,
        Holds,
        Advanced,
        Attacked,
        CrossingClosed,
        CrossingOpened,
        ForcesSent,
        Meeting,
        Retraction,
        SourceGraded,
        DatasetEvent,
    )
}
"""The library's event types by ``kind``; pass a larger mapping to read your own."""


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def encode_event(event: Event) -> dict[str, Any]:
    """An event as a record: ``{"type": kind, field: value, ...}``.

    >>> encode_event(Captured(place="homs", actor="opposition"))
    {'type': 'captured', 'place': 'homs', 'actor': 'opposition', 'verb': 'captured', 'from_actor': None, 'extent': 'all'}
    """
    record: dict[str, Any] = {"type": event.kind}
    for name in _field_names(type(event)):
        value = getattr(event, name)
        record[name] = value if type(value) is str or value is None else _plain(value)
    return record


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    found = _FIELD_NAMES.get(cls)
    if found is None:
        found = _FIELD_NAMES[cls] = tuple(field.name for field in attrs.fields(cls))
    return found


def decode_event(record: Mapping[str, Any], event_types: Mapping[str, type[Event]]) -> Event:
    """The event a record describes; its ``type`` must be in ``event_types``."""
    fields = dict(record)
    kind = fields.pop("type", None)
    cls = event_types.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(
            f"unknown event type {kind!r}; known: {', '.join(sorted(event_types))}. "
            "Pass your own event classes in event_types"
        )
    converted = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
    return cls(**converted)


def _iso(value: Any) -> str:
    return iso_text(value) if isinstance(value, datetime.datetime) else str(value.isoformat())


def encode_claim(claim: Claim) -> dict[str, Any]:
    """A claim as a JSON-ready record (no floats)."""
    return {
        "record": "claim",
        "id": claim.id,
        "event": encode_event(claim.event),
        "valid": encode_window(claim.valid),
        "reported_at": _iso(claim.reported_at),
        "source": encode_chain(claim.source),
        "modality": claim.modality.value,
        "credibility": None if claim.credibility is None else int(claim.credibility),
        "evidence": encode_evidence(claim.evidence),
        "supersedes": claim.supersedes,
        "note": claim.note,
    }


CLAIM_KEYS = (
    "credibility",
    "event",
    "evidence",
    "id",
    "modality",
    "note",
    "record",
    "reported_at",
    "source",
    "supersedes",
    "valid",
)
"""The keys of a claim record in canonical (sorted) order."""


def encode_window(valid: ValidTime) -> dict[str, Any]:
    """A claim's valid time as its record holds it.

    >>> encode_window(ValidTime.exact("2024-12-07T00:00Z"))
    {'start': '2024-12-07T00:00:00+00:00', 'end': '2024-12-07T00:00:00+00:00', 'precision': 'exact'}
    """
    return {"start": _iso(valid.start), "end": _iso(valid.end), "precision": valid.precision.value}


def encode_chain(chain: SourceChain) -> list[dict[str, Any]]:
    """A claim's source chain as its record holds it, one object per link."""
    return [
        {
            "source": link.source,
            "role": link.role.value,
            "said_on": None if link.said_on is None else link.said_on.isoformat(),
        }
        for link in chain.links
    ]


def encode_evidence(evidence: Evidence | None) -> dict[str, Any] | None:
    """A claim's evidence as its record holds it (None when it has none)."""
    if evidence is None:
        return None
    return {
        "document": evidence.document,
        "spans": [[span.start, span.end] for span in evidence.spans],
        "paraphrase": evidence.paraphrase,
    }


_STRING = r'"[^"\\\x00-\x1f]*"'  # a JSON string with no escape and no control character
_NUMBER = r"(0|[1-9][0-9]*)"


class Outline(NamedTuple):
    """What a stored claim record says, as its JSON text, without the claim being built:
    enough for an index to place, order and fold it (:func:`outline`). ``event`` and
    ``valid`` are canonical JSON texts, ``reported_at`` and ``supersedes`` plain text."""

    position: int
    claim_id: str
    event: str
    valid: str
    reported_at: str
    modality: str
    supersedes: str | None


_HEAD = re.compile(
    rf'\{{"claim":\{{"credibility":(null|{_NUMBER[1:-1]}),'
    r'"event":(\{[^{}]*\}),'
    r'"evidence":(null|\{[^{}]*\}),'
    rf'"id":({_STRING}),'
    rf'"modality":({_STRING}),'
    r'"note":"'
)
"""A stored claim record (schema 1) in canonical JSON, split at its fields, up to its
note: what every record the ledger writes looks like, unless a string in it other than
the note holds an escape or a brace. The split is trusted only once every group is
known to be one whole JSON value: the strings by their pattern, the rest because they
parse (or parsed before, as a cache key). A group cut inside a string does not parse,
and the record is read the slow way. Whole values between the fixed keys mean the
record is exactly those fields."""

_TAIL_AT = ',"record":"claim","reported_at":'
_TAIL = re.compile(
    rf'"record":"claim","reported_at":({_STRING}),'
    r'"source":(\[[^\[\]]*\]),'
    rf'"supersedes":(null|{_STRING}),'
    r'"valid":(\{[^{}]*\})\},'
    rf'"position":{_NUMBER},'
    rf'"recorded_at":({_STRING}),'
    r'"schema":1\}'
)
"""A stored claim record's fields after its note, from the last :data:`_TAIL_AT` on."""


def _split(text: str) -> tuple[re.Match[str], str, re.Match[str]] | None:
    """A stored claim record's fields before its note, the note's JSON text, and the
    fields after it; None when the text is not in that shape. The note, however long,
    is not scanned by a pattern: the tail begins at the last ``,"record":"claim",
    "reported_at":``, which no JSON string can hold unescaped, and the note is whatever
    lies between (whether it is one JSON string is for the reader to find out)."""
    head = _HEAD.match(text)
    if head is None:
        return None
    at = text.rfind(_TAIL_AT)
    if at < head.end() - 1:
        return None
    tail = _TAIL.fullmatch(text, at + 1)
    if tail is None:
        return None
    return head, text[head.end() - 1 : at], tail


def _note(text: str) -> str:
    """The note a JSON string text holds (a ValueError when it is not one string)."""
    if text.count('"') == 2 and text[-1] == '"' and "\\" not in text and text.isprintable():
        return text[1:-1]  # nothing escaped, no quote or control character inside
    note = orjson.loads(text)
    if type(note) is not str:
        raise ValueError("the note is not a string")
    return note


def outline(text: str) -> Outline | None:
    """The :class:`Outline` of a stored claim record in canonical JSON; None when the
    text is not in the exact shape the ledger writes (read the claim in full then).

    The note, however long, is skipped: the tail begins at the last
    ``,"record":"claim","reported_at":``, which no JSON string can hold unescaped. Nothing
    is checked beyond the shape: the claim is checked when it is built
    (:func:`decode_claim`), as it is whenever it is read.

    >>> from conflict_ledger.canonical import canonical_json
    >>> claim = Claim(id="c1", event=Captured(place="homs", actor="opposition"),
    ...     valid=ValidTime.exact("2024-12-07T00:00Z"), reported_at="2024-12-07T01:00Z",
    ...     source=SourceChain.of("reuters"), note='said "soon"')
    >>> record = {"schema": 1, "position": 4, "recorded_at": "2024-12-07T02:00:00+00:00",
    ...           "claim": encode_claim(claim)}
    >>> found = outline(canonical_json(record).decode())
    >>> found.position, found.claim_id, found.reported_at, found.supersedes
    (4, 'c1', '2024-12-07T01:00:00+00:00', None)
    """
    split = _split(text)
    if split is None:
        return None
    head, _, tail = split
    _, event, _, claim_id, modality = head.groups()
    reported_at, _, supersedes, valid, position, _ = tail.groups()
    return Outline(
        position=int(position),
        claim_id=claim_id[1:-1],
        event=event,
        valid=valid,
        reported_at=reported_at[1:-1],
        modality=modality[1:-1],
        supersedes=None if supersedes == "null" else supersedes[1:-1],
    )


class Shared:
    """Values already decoded, by what their records say, for :func:`decode_claim` to share.

    Claims repeat the same windows, report instants, source chains and events; decoding
    each once and sharing the (immutable) value saves time and memory when a ledger is
    read. The cache forgets everything once it holds ``limit`` values of a kind.

    >>> shared = Shared()
    >>> record = encode_claim(Claim(id="c1", event=Captured(place="homs", actor="opposition"),
    ...     valid=ValidTime.exact("2024-12-07T00:00Z"), reported_at="2024-12-07T01:00Z",
    ...     source=SourceChain.of("reuters")))
    >>> one = decode_claim(record, shared=shared)
    >>> two = decode_claim({**record, "id": "c2"}, shared=shared)
    >>> one.valid is two.valid and one.source is two.source and one.event is two.event
    True
    """

    __slots__ = (
        "chains",
        "event_types",
        "events",
        "instants",
        "limit",
        "texts",
        "windows",
    )

    def __init__(self, limit: int = 1 << 16) -> None:
        self.limit = limit
        self.instants: dict[Any, Any] = {}
        self.windows: dict[Any, ValidTime] = {}
        self.chains: dict[Any, SourceChain] = {}
        self.events: dict[Any, Event] = {}
        # events, windows, chains and evidence by the JSON text they were decoded from
        # (see stored_claim), one mapping for each
        self.texts: tuple[dict[str, Any], ...] = ({}, {}, {}, {})
        self.event_types: Mapping[str, type[Event]] = BUILTIN_EVENTS

    def instant(self, value: Any, field: str = "reported_at") -> Any:
        """The instant ``value`` (an ISO string) converts to, shared."""
        found = self.instants.get(value)
        if found is None:
            found = to_instant(value, field=field)
            self._keep(self.instants, value, found)
        return found

    def window(self, valid: Mapping[str, Any]) -> ValidTime:
        """The window a ``valid`` record describes, shared."""
        key = (valid["start"], valid["end"], valid["precision"])
        found = self.windows.get(key)
        if found is None:
            found = ValidTime.stored(
                start=self.instant(key[0], "start"),
                end=self.instant(key[1], "end"),
                precision=key[2],
            )
            self._keep(self.windows, key, found)
        return found

    def chain(self, links: Any) -> SourceChain:
        """The source chain a list of link records describes, shared."""
        key = tuple(tuple(link.items()) for link in links)
        found = self.chains.get(key)
        if found is None:
            found = SourceChain(links=[SourceLink(**link) for link in links])
            self._keep(self.chains, key, found)
        return found

    def event(self, record: Mapping[str, Any], event_types: Mapping[str, type[Event]]) -> Event:
        """The event a record describes (as :func:`decode_event`), shared."""
        key = tuple(record.items())
        try:
            found = self.events.get(key)
        except TypeError:  # a list inside: not worth a key
            return decode_event(record, event_types)
        if found is None or type(found) is not event_types.get(str(record.get("type"))):
            found = decode_event(record, event_types)
            self._keep(self.events, key, found)
        return found

    def stored_claim(
        self, text: str, event_types: Mapping[str, type[Event]] = BUILTIN_EVENTS
    ) -> tuple[int, Any, Claim] | None:
        """``(position, recorded_at, claim)`` of a stored claim record in canonical JSON,
        decoding each event, window, source chain and evidence text it shares with an
        earlier record only once; None if the text is not in the exact shape the ledger
        writes, or does not decode: read it with ``json`` and :func:`decode_claim` then,
        which says what is wrong.

        Whatever this returns equals what the slow way gives; every claim is still built
        (and its fields checked) by :class:`~conflict_ledger.claims.Claim`.

        >>> import json
        >>> from conflict_ledger.canonical import canonical_json
        >>> shared = Shared()
        >>> claim = Claim(id="c1", event=Captured(place="homs", actor="opposition"),
        ...     valid=ValidTime.exact("2024-12-07T00:00Z"), reported_at="2024-12-07T01:00Z",
        ...     source=SourceChain.of("reuters"))
        >>> record = {"schema": 1, "position": 4, "recorded_at": "2024-12-07T02:00:00+00:00",
        ...           "claim": encode_claim(claim)}
        >>> position, recorded_at, read = shared.stored_claim(canonical_json(record).decode())
        >>> position, recorded_at.hour, read == claim
        (4, 2, True)
        >>> shared.stored_claim(json.dumps(record)) is None  # not canonical: the slow way
        True
        """
        split = _split(text)
        if split is None:
            return None
        head, note, tail = split
        credibility, event, evidence, claim_id, modality = head.groups()
        reported_at, source, supersedes, valid, position, recorded_at = tail.groups()
        events, windows, chains, documents = self.texts
        if event_types is not self.event_types:
            events.clear()
            self.event_types = event_types
        try:
            found_event = events.get(event)
            if found_event is None:
                found_event = decode_event(orjson.loads(event), event_types)
                self._keep(events, event, found_event)
            window = windows.get(valid)
            if window is None:
                window = self.window(orjson.loads(valid))
                self._keep(windows, valid, window)
            chain = chains.get(source)
            if chain is None:
                chain = self.chain(orjson.loads(source))
                self._keep(chains, source, chain)
            if evidence == "null":
                found_evidence = None
            else:
                found_evidence = documents.get(evidence)
                if found_evidence is None:
                    found_evidence = _evidence(orjson.loads(evidence))
                    self._keep(documents, evidence, found_evidence)
            claim = Claim(
                id=claim_id[1:-1],
                event=found_event,
                valid=window,
                reported_at=self.instant(reported_at[1:-1]),
                source=chain,
                modality=modality[1:-1],
                credibility=None if credibility == "null" else int(credibility),
                evidence=found_evidence,
                supersedes=None if supersedes == "null" else supersedes[1:-1],
                note=_note(note),
            )
            return int(position), self.instant(recorded_at[1:-1], "recorded_at"), claim
        except Exception:  # the slow way raises the error that says what is wrong
            return None

    def _keep(self, cache: dict[Any, Any], key: Any, value: Any) -> None:
        if len(cache) >= self.limit:
            cache.clear()
        cache[key] = value


def _evidence(evidence: Mapping[str, Any]) -> Evidence:
    return Evidence(
        document=evidence["document"],
        spans=[Span(start=start, end=end) for start, end in evidence["spans"]],
        paraphrase=evidence.get("paraphrase", ""),
    )


def decode_claim(
    record: Mapping[str, Any],
    *,
    event_types: Mapping[str, type[Event]] = BUILTIN_EVENTS,
    shared: Shared | None = None,
) -> Claim:
    """The claim a record describes (the inverse of :func:`encode_claim`).

    ``shared`` (optional) shares equal windows, instants, source chains and events
    between the claims decoded with it (see :class:`Shared`).
    """
    evidence = record.get("evidence")
    valid = record["valid"]
    if shared is None:
        # as stored: a precision that no longer fits its width is still read (time.py)
        window = ValidTime.stored(
            start=valid["start"], end=valid["end"], precision=valid["precision"]
        )
        event = decode_event(record["event"], event_types)
        source = SourceChain(links=[SourceLink(**link) for link in record["source"]])
        reported_at = record["reported_at"]
    else:
        window = shared.window(valid)
        event = shared.event(record["event"], event_types)
        source = shared.chain(record["source"])
        reported_at = shared.instant(record["reported_at"])
    return Claim(
        id=record["id"],
        event=event,
        valid=window,
        reported_at=reported_at,
        source=source,
        modality=record.get("modality", "asserted"),
        credibility=record.get("credibility"),
        evidence=None if evidence is None else _evidence(evidence),
        supersedes=record.get("supersedes"),
        note=record.get("note", ""),
    )


_VALUE_TYPES: Mapping[str, type[Place | Actor | Source | Document]] = {
    "place": Place,
    "actor": Actor,
    "source": Source,
    "document": Document,
}


def encode_value(value: Place | Actor | Source | Document) -> dict[str, Any]:
    """A place, actor, source or document as a record.

    >>> encode_value(Source(id="reuters", name="Reuters", kind="agency"))
    {'record': 'source', 'id': 'reuters', 'name': 'Reuters', 'kind': 'agency', 'aliases': [], 'description': '', 'reliability': None}
    """
    kind = {Place: "place", Actor: "actor", Source: "source", Document: "document"}[type(value)]
    record: dict[str, Any] = {"record": kind}
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        if isinstance(item, Coordinates):
            # Coordinates are kept as strings: no floats in records.
            item = [repr(item.lat), repr(item.lon)]
        elif hasattr(item, "isoformat"):
            item = item.isoformat()
        record[field.name] = _plain(item)
    return record


def decode_value(record: Mapping[str, Any]) -> Place | Actor | Source | Document:
    """The place, actor, source or document a record describes."""
    fields = {k: v for k, v in record.items() if k != "record"}
    cls = _VALUE_TYPES[record["record"]]
    if cls is Place and fields.get("coordinates") is not None:
        lat, lon = fields["coordinates"]
        fields["coordinates"] = Coordinates(lat=float(lat), lon=float(lon))
    return cls(**fields)
