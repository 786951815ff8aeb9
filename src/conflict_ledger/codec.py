"""The claims file: one JSON object a line, versioned, documented in docs/format.md.

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

import enum
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from conflict_ledger.claims import (
    Claim,
    Document,
    Evidence,
    SourceChain,
    SourceLink,
    Span,
)
from conflict_ledger.errors import FormatError, LedgerError
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
from conflict_ledger.ledger import Clock, Ledger, system_clock
from conflict_ledger.registry import Actor, Coordinates, Place, Registries, Source
from conflict_ledger.time import ValidTime

__all__ = [
    "BUILTIN_EVENTS",
    "FORMAT",
    "VERSION",
    "decode_claim",
    "decode_value",
    "encode_claim",
    "encode_value",
    "read_claims_file",
    "write_claims_file",
]

FORMAT = "conflict-ledger/claims"
"""The ``format`` named in a claims file's header line."""
VERSION = 1
"""The claims file version this library writes (and the newest it reads)."""

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
    for field in attrs.fields(type(event)):
        record[field.name] = _plain(getattr(event, field.name))
    return record


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
    return str(value.isoformat())


def encode_claim(claim: Claim) -> dict[str, Any]:
    """A claim as a JSON-ready record (no floats)."""
    evidence = claim.evidence
    return {
        "record": "claim",
        "id": claim.id,
        "event": encode_event(claim.event),
        "valid": {
            "start": _iso(claim.valid.start),
            "end": _iso(claim.valid.end),
            "precision": claim.valid.precision.value,
        },
        "reported_at": _iso(claim.reported_at),
        "source": [
            {
                "source": link.source,
                "role": link.role.value,
                "said_on": None if link.said_on is None else link.said_on.isoformat(),
            }
            for link in claim.source.links
        ],
        "modality": claim.modality.value,
        "credibility": None if claim.credibility is None else int(claim.credibility),
        "evidence": None
        if evidence is None
        else {
            "document": evidence.document,
            "spans": [[span.start, span.end] for span in evidence.spans],
            "paraphrase": evidence.paraphrase,
        },
        "supersedes": claim.supersedes,
        "note": claim.note,
    }


def decode_claim(
    record: Mapping[str, Any], *, event_types: Mapping[str, type[Event]] = BUILTIN_EVENTS
) -> Claim:
    """The claim a record describes (the inverse of :func:`encode_claim`)."""
    evidence = record.get("evidence")
    valid = record["valid"]
    return Claim(
        id=record["id"],
        event=decode_event(record["event"], event_types),
        valid=ValidTime(start=valid["start"], end=valid["end"], precision=valid["precision"]),
        reported_at=record["reported_at"],
        source=SourceChain(links=[SourceLink(**link) for link in record["source"]]),
        modality=record.get("modality", "asserted"),
        credibility=record.get("credibility"),
        evidence=None
        if evidence is None
        else Evidence(
            document=evidence["document"],
            spans=[Span(start=start, end=end) for start, end in evidence["spans"]],
            paraphrase=evidence.get("paraphrase", ""),
        ),
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

    >>> import tempfile, pathlib
    >>> from conflict_ledger.seed import load_seed
    >>> ledger = load_seed()
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "copy.jsonl"
    >>> write_claims_file(path, ledger.claims(), gazetteer="syria",
    ...                   values=[*ledger.registries.documents.values(), *ledger.registries.sources])
    >>> len(path.read_text().splitlines())
    27
    """
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
    with temporary.open("w", encoding="utf-8", newline="\n") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)


def read_claims_file(
    path: str | os.PathLike[str],
    *,
    registries: Registries | None = None,
    event_types: Mapping[str, type[Event]] = BUILTIN_EVENTS,
    clock: Clock = system_clock,
) -> Ledger:
    """Read a claims file into a new in-memory :class:`~conflict_ledger.ledger.Ledger`.

    Registries start from ``registries``, or else from the built-in gazetteer the header
    names, and grow with the file's own place, actor, source and document records. Any
    unreadable line raises :class:`~conflict_ledger.errors.FormatError` naming it;
    invalid claims are reported together, and nothing is returned half-read.

    >>> from conflict_ledger.seed import SEED_FILE
    >>> len(read_claims_file(f"seeds/{SEED_FILE}"))
    16
    """
    from conflict_ledger.gazetteer import builtin

    name = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormatError(path=name, line=0, problem="no such file") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise FormatError(path=name, line=1, problem="the file is empty; it needs a header line")
    records: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise FormatError(path=name, line=number, problem=f"not JSON ({error.msg})") from None
        if not isinstance(record, dict) or "record" not in record:
            raise FormatError(path=name, line=number, problem="a line is an object with 'record'")
        records.append((number, record))
    header = records[0][1]
    if header.get("record") != "header" or header.get("format") != FORMAT:
        raise FormatError(path=name, line=1, problem=f"the first line is a {FORMAT} header")
    if not isinstance(header.get("version"), int) or header["version"] > VERSION:
        raise FormatError(
            path=name,
            line=1,
            problem=f"version {header.get('version')!r} is newer than this library reads "
            f"({VERSION}); upgrade conflict_ledger",
        )
    if registries is None:
        registries = builtin(header["gazetteer"]) if header.get("gazetteer") else Registries()
    values = []
    claims = []
    for number, record in records[1:]:
        kind = record["record"]
        try:
            if kind == "claim":
                claims.append(decode_claim(record, event_types=event_types))
            elif kind in _VALUE_TYPES:
                values.append(decode_value(record))
            else:
                raise ValueError(f"unknown record type {kind!r}")
        except (LedgerError, ValueError, KeyError, TypeError) as error:
            raise FormatError(path=name, line=number, problem=str(error)) from None
    ledger = Ledger(registries=registries.with_values(values), clock=clock)
    ledger.extend(claims)
    return ledger
