"""What a ledger's records must *mean*, checked record by record when a ledger is verified.

A hash shows a record is what was written; it cannot show that what was written makes
sense. A forger who rewrites a file and recomputes every hash, or appends a record with an
existing claim's id, passes every hash check. The :class:`Auditor` checks, in ledger
order, what the :class:`~conflict_ledger.ledger.Ledger` enforces on every append:

- ``duplicate-id``: a claim id already used at an earlier position;
- ``unknown-target``: a retraction or correction of a claim not earlier in the ledger;
- ``invalid-target``: one of a retraction, or of a claim reported after it;
- ``unknown-place``, ``unknown-actor``, ``unknown-source``, ``unknown-document``: a
  name that is not the id of a registered value (checked where the ledger carries a
  registry of that kind: its gazetteer or registered values);
- ``recorded-at-backwards``: a recorded time before the previous record's;
- ``not-canonical``: record bytes that are not the RFC 8785 canonical form of themselves.

Each finding is a :class:`MeaningError` (an
:class:`~conflict_ledger.stores.base.IntegrityError`) naming the record's position and
the claim.

>>> import pendulum
>>> from conflict_ledger import Captured, Claim, SourceChain, ValidTime
>>> from conflict_ledger.testing.strategies import BASE, registries
>>> claim = Claim(id="c1", event=Captured(place="p0", actor="a1"),
...               valid=ValidTime.exact(BASE), reported_at=BASE, source=SourceChain.of("s0"))
>>> auditor = Auditor(path="l.jsonl", registries=registries())
>>> auditor.check(0, b"{}", claim, BASE)
()
>>> [error.kind for error in auditor.check(1, b'{ }', claim, BASE.subtract(hours=1))]
['duplicate-id', 'recorded-at-backwards', 'not-canonical']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pendulum

from conflict_ledger.canonical import canonical_json
from conflict_ledger.claims import Claim, SourceChain
from conflict_ledger.errors import LedgerError
from conflict_ledger.events import Event, Retraction
from conflict_ledger.registry import Registries, Registry
from conflict_ledger.stores.base import IntegrityError

__all__ = ["KINDS", "Auditor", "MeaningError"]

KINDS = (
    "duplicate-id",
    "unknown-target",
    "invalid-target",
    "unknown-place",
    "unknown-actor",
    "unknown-source",
    "unknown-document",
    "recorded-at-backwards",
    "not-canonical",
)
"""Every kind of :class:`MeaningError`, in the order a record is checked."""


class MeaningError(IntegrityError):
    """A record whose hash is sound but whose meaning is not: ``kind`` (one of
    :data:`KINDS`) says what, ``position`` where, ``claim_id`` which claim.

    >>> error = MeaningError(path="l.sqlite", position=4, kind="duplicate-id",
    ...                      claim_id="c1", problem="claim id 'c1' is already at position 0")
    >>> print(error)
    l.sqlite (record 4): duplicate-id: claim id 'c1' is already at position 0. ...
    """

    def __init__(self, *, path: str, position: int, kind: str, claim_id: str, problem: str) -> None:
        self.kind = kind
        self.claim_id = claim_id
        super().__init__(
            path=path,
            position=position,
            problem=f"{kind}: {problem}",
            hint="The ledger library never writes such a record: the file was edited or "
            "forged. Compare it with a published checkpoint (conflict-ledger verify LEDGER "
            "--checkpoint FILE) and restore it from a copy you trust.",
        )


class Auditor:
    """Checks records one at a time, in ledger order, remembering what came before."""

    def __init__(self, *, path: str, registries: Registries) -> None:
        self._path = path
        self._registries = registries
        self._positions: dict[str, int] = {}
        self._claims: dict[str, Claim] = {}  # the first claim of each id
        self._last: pendulum.DateTime | None = None
        # events and source chains read from a store are shared between claims
        # (records.Shared): each distinct one is checked once, by identity
        self._checked: dict[int, tuple[object, list[tuple[str, str]]]] = {}

    def check(
        self, position: int, data: bytes, claim: Claim, recorded_at: pendulum.DateTime
    ) -> tuple[MeaningError, ...]:
        """The findings for the record at ``position`` (its bytes, claim and recorded time)."""
        found: list[tuple[str, str]] = []
        first = self._positions.setdefault(claim.id, position)
        self._claims.setdefault(claim.id, claim)
        if first != position:
            found.append(("duplicate-id", f"claim id {claim.id!r} is already at position {first}"))
        found.extend(self._targets(claim, position))
        found.extend(self._names(claim))
        if self._last is not None and recorded_at < self._last:
            found.append(
                (
                    "recorded-at-backwards",
                    f"recorded at {recorded_at.isoformat()}, before the previous record "
                    f"({self._last.isoformat()})",
                )
            )
        self._last = recorded_at if self._last is None else max(self._last, recorded_at)
        if not _canonical(data):
            found.append(("not-canonical", "the record's bytes are not RFC 8785 canonical JSON"))
        return tuple(
            MeaningError(
                path=self._path, position=position, kind=kind, claim_id=claim.id, problem=text
            )
            for kind, text in found
        )

    def first_positions(self) -> dict[str, int]:
        """The position of the first record of each claim id checked so far."""
        return dict(self._positions)

    def _targets(self, claim: Claim, position: int) -> list[tuple[str, str]]:
        found = []
        event = claim.event
        target = event.target if isinstance(event, Retraction) else None
        for what, name in (("retracts", target), ("corrects", claim.supersedes)):
            if name is None:
                continue
            if self._positions.get(name, position) >= position:
                found.append(("unknown-target", f"{what} {name!r}, which is not earlier"))
                continue
            earlier = self._claims[name]
            if isinstance(earlier.event, Retraction):
                found.append(("invalid-target", f"{what} {name!r}, which is a retraction"))
            elif claim.reported_at < earlier.reported_at:
                found.append(("invalid-target", f"{what} {name!r}, which was reported after it"))
        return found

    def _names(self, claim: Claim) -> list[tuple[str, str]]:
        found = [
            *self._once(claim.event, self._event_names),
            *self._once(claim.source, self._chain_names),
        ]
        evidence, documents = claim.evidence, self._registries.documents
        if evidence is not None and documents and evidence.document not in documents:
            found.append(
                ("unknown-document", f"evidence.document {evidence.document!r} is not registered")
            )
        return found

    def _once(
        self, value: Any, check: Callable[[Any], list[tuple[str, str]]]
    ) -> list[tuple[str, str]]:
        kept = self._checked.get(id(value))
        if kept is None or kept[0] is not value:
            kept = (value, check(value))  # the value is kept, so its id is not reused
            self._checked[id(value)] = kept
        return kept[1]

    def _event_names(self, event: Event) -> list[tuple[str, str]]:
        found = []
        registries = self._registries
        for kind, fields, registry in (
            ("unknown-place", event.place_fields, registries.places),
            ("unknown-actor", event.actor_fields, registries.actors),
            ("unknown-source", event.source_fields, registries.sources),
        ):
            if not len(registry):
                continue  # the ledger carries no such registry: nothing to check against
            for field in fields:
                found.extend(_unknown(kind, f"event.{field}", getattr(event, field), registry))
        return found

    def _chain_names(self, chain: SourceChain) -> list[tuple[str, str]]:
        sources = self._registries.sources
        if not len(sources):
            return []
        return [
            item
            for index, link in enumerate(chain.links)
            for item in _unknown("unknown-source", f"source[{index}]", link.source, sources)
        ]


def _unknown(kind: str, field: str, value: Any, registry: Registry[Any]) -> list[tuple[str, str]]:
    names = value if isinstance(value, tuple) else (value,)
    return [
        (kind, f"{field} {name!r} is not the id of a registered value")
        for name in names
        if isinstance(name, str) and name not in registry
    ]


def _canonical(data: bytes) -> bool:
    r"""Whether ``data`` is the RFC 8785 canonical JSON of itself: parsed by orjson, written
    again by :func:`~conflict_ledger.canonical.canonical_json` (which refuses floats and
    integers beyond 2**53 - 1), byte for byte the same. A duplicate key, a number written
    otherwise (``1.0``, ``-0``, ``1e2``), an escape RFC 8785 does not write or a lone
    surrogate all make it differ or fail.

    >>> _canonical(b'{"a":[1,"x"],"b":null}'), _canonical(b'{"b":null,"a":1}')
    (True, False)
    >>> _canonical(b'{"a":1.5}'), _canonical(b'{"a":"\\u0041"}'), _canonical(b'{"a":"\\u00e9"}')
    (False, False, False)
    """
    try:
        return canonical_json(orjson.loads(data)) == data
    except (LedgerError, ValueError, TypeError, RecursionError):  # JSONDecodeError: ValueError
        return False
