"""The one door: ``cl.snapshot`` answers through an index the ledger keeps, built on first use.

A user never chooses between the plain fold (:mod:`conflict_ledger.reference`, the
oracle the tests hold the engine to) and :class:`~conflict_ledger.engine.AsOfIndex`: the
first question about a ledger builds its index, and every later one reads only the
records appended since. Answers handed out before an append do not change after it.

Where the index cannot answer exactly what the fold answers, the door asks the fold:

- ``position=`` (the index reads every record; it has no ledger-position cut);
- a ``policy`` other than the default :func:`~conflict_ledger.rules.policies.contest_disagreement`;
- a source of plain records rather than a :class:`~conflict_ledger.ledger.Ledger`.

``timeline`` answers through the index too (with ``position=`` or plain records, the
fold): the index gives the states, and a list of the ledger's dataset events and
cancellations, kept beside it and read incrementally, gives the ``context``.
``explain`` answers through the index too, under any ``policy`` (a policy sees one
place's claims, which the index keeps exactly): the index gives what the place's policy
sees, and the ledger's records by the places they name, with what cancels each claim,
kept beside it and read incrementally, give the claims excluded and why; with
``position=`` or plain records, the fold. ``diff`` reads two snapshots and folds
nothing; it is the fold's, re-exported so that the door is one import.

>>> from conflict_ledger.seed import load_seed
>>> ledger = load_seed()
>>> snapshot(ledger, at="2024-12-07T00:00Z")["deir-ez-zor"].holder
'sdf'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import orjson
import pendulum

from conflict_ledger import asof, records
from conflict_ledger.asof import Explanation, Snapshot, Source, Timeline, diff, order_key
from conflict_ledger.claims import Claim
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.events import DatasetEvent, Retraction
from conflict_ledger.ledger import Ledger
from conflict_ledger.records import Outline
from conflict_ledger.rules.policies import DEFAULT_POLICY, Policy
from conflict_ledger.time import to_instant

__all__ = ["diff", "explain", "index_of", "snapshot", "timeline"]

_SLOT = "_queries_index"
_CONTEXT_SLOT = "_queries_context"
"""Where a ledger carries its index. The ledger holds it (the index holds the ledger back,
a cycle the collector frees), not a global table: a ``WeakKeyDictionary`` from ledger to
index would keep every ledger alive through its index's reference to it. The Ledger
class itself never imports the engine."""


def index_of(ledger: Ledger, **options: Any) -> AsOfIndex:
    """The ledger's index: on first use read from the index the ledger saved
    (:meth:`~conflict_ledger.engine.AsOfIndex.save`) and brought up to date, or built
    from the records when it saved none that fits (``options`` go to
    :meth:`~conflict_ledger.engine.AsOfIndex.load` then); then kept and refreshed by each
    question.

    >>> from conflict_ledger.seed import load_seed
    >>> ledger = load_seed()
    >>> index_of(ledger) is index_of(ledger)
    True
    """
    index = vars(ledger).get(_SLOT)
    if not isinstance(index, AsOfIndex):
        index = AsOfIndex.load(ledger, **options)
        vars(ledger)[_SLOT] = index
    return index


def snapshot(
    source: Source,
    *,
    at: Any,
    known_at: Any = None,
    position: int | None = None,
    policy: Policy | None = None,
) -> Snapshot:
    """The territorial state of every place at ``at`` as known at ``known_at``: equal to
    :func:`conflict_ledger.reference.snapshot`, answered by the ledger's index.

    With ``position``, a non-default ``policy`` or plain records, the fold answers (see
    the module's docstring).

    >>> from conflict_ledger.seed import load_seed
    >>> snap = snapshot(load_seed(), at="2024-12-06T17:00Z", known_at="2024-12-07T09:00Z")
    >>> snap["homs"].status.value
    'under_advance'
    """
    default = policy is None or policy is DEFAULT_POLICY
    if not default or position is not None or not isinstance(source, Ledger):
        return asof.snapshot(source, at=at, known_at=known_at, position=position, policy=policy)
    return index_of(source).snapshot(at=at, known_at=known_at)


class _Context:
    """A ledger's dataset events, by the places they name, and by claim id the report
    times of what cancels a claim (a retraction or a correction): what a timeline's
    ``context`` reads, kept up to date from the records appended since.

    A record not read yet is read as its outline: only its event (whose type says
    whether it matters) and, for a cancellation, its report time; a dataset event's
    claim is read when a timeline of a place it names asks for it."""

    def __init__(self) -> None:
        self.seen = 0
        self.events: dict[str, list[int]] = {}  # place id -> positions, in ledger order
        self.cancelled: dict[str, list[pendulum.DateTime]] = {}

    def read(self, ledger: Ledger) -> None:
        for item in ledger.outlines(self.seen):
            if type(item) is Outline:
                self._outline(item)
            else:
                self._claim(item.position, item.claim)  # type: ignore[union-attr]
            self.seen = item.position + 1

    def _claim(self, position: int, claim: Claim) -> None:
        self._event(position, claim.event, lambda: claim.reported_at)
        if claim.supersedes is not None:
            self._cancel(claim.supersedes, claim.reported_at)

    def _outline(self, item: Outline) -> None:
        kind = _kind(item.event)
        if kind in _READ:
            event = records.decode_event(orjson.loads(item.event), records.BUILTIN_EVENTS)
            self._event(item.position, event, _reported(item))
        if item.supersedes is not None:
            self._cancel(item.supersedes, _reported(item)())

    def _event(self, position: int, event: Any, reported: Callable[[], pendulum.DateTime]) -> None:
        """Note a dataset event's places, or a retraction (its report read only then)."""
        if isinstance(event, DatasetEvent):
            for place in dict.fromkeys(event.place_ids()):  # each place once
                self.events.setdefault(place, []).append(position)
        if isinstance(event, Retraction):
            self._cancel(event.target, reported())

    def _cancel(self, target: str, when: pendulum.DateTime) -> None:
        self.cancelled.setdefault(target, []).append(when)

    def at(self, ledger: Ledger, place: str, known: pendulum.DateTime | None) -> tuple[Claim, ...]:
        """The counted dataset events naming ``place`` as known at ``known``, in fold order."""

        def counts(claim: Claim) -> bool:
            undone = self.cancelled.get(claim.id, ())
            if known is None:
                return not undone
            return claim.reported_at <= known and not any(t <= known for t in undone)

        named = [record.claim for record in ledger.at_positions(self.events.get(place, []))]
        return tuple(sorted((c for c in named if counts(c)), key=order_key))


_READ = frozenset((DatasetEvent.kind, Retraction.kind))
"""The event types a timeline's context reads from a record's outline."""


def _kind(event: str) -> Any:
    """The ``type`` of an event's canonical JSON text (None when it names none)."""
    fields = orjson.loads(event)
    return fields.get("type") if isinstance(fields, dict) else None


def _reported(item: Outline) -> Callable[[], pendulum.DateTime]:
    """A function giving the outline's report instant (parsed only when needed)."""
    return lambda: to_instant(item.reported_at, field="reported_at")


def _context(ledger: Ledger) -> _Context:
    context = vars(ledger).get(_CONTEXT_SLOT)
    if not isinstance(context, _Context):
        context = _Context()
        vars(ledger)[_CONTEXT_SLOT] = context
    context.read(ledger)
    return context


def timeline(
    source: Source, place: str, *, known_at: Any = None, position: int | None = None
) -> Timeline:
    """Every change in one place's state over valid time, as known at ``known_at``: equal
    to :func:`conflict_ledger.reference.timeline`, answered by the ledger's index.

    With ``position`` or plain records, the fold answers.

    >>> from conflict_ledger.seed import load_seed
    >>> [entry.state.status.value for entry in timeline(load_seed(), "deir-ez-zor")]
    ['changing', 'held']
    """
    if position is not None or not isinstance(source, Ledger):
        return asof.timeline(source, place, known_at=known_at, position=position)
    line = index_of(source).timeline(place, known_at=known_at)
    return attrs.evolve(line, context=_context(source).at(source, line.place, line.known_at))


def explain(
    source: Source,
    place: str,
    *,
    at: Any,
    known_at: Any = None,
    position: int | None = None,
    policy: Policy | None = None,
) -> Explanation:
    """The claims behind a place's state at ``at`` as known at ``known_at``, under
    ``policy``: equal to :func:`conflict_ledger.reference.explain`, answered by the
    ledger's index from the records about that place only.

    With ``position`` or plain records, the fold answers.

    >>> from conflict_ledger.seed import load_seed
    >>> why = explain(load_seed(), "Homs", at="2024-12-07T00:00Z", known_at="2024-12-06T00:00Z")
    >>> why.excluded[0].reason
    'reported 2024-12-06T19:00:00+00:00, after known_at'
    """
    if position is not None or not isinstance(source, Ledger):
        return asof.explain(
            source, place, at=at, known_at=known_at, position=position, policy=policy
        )
    return index_of(source).explain(place, at=at, known_at=known_at, policy=policy)
