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

from typing import Any

import attrs
import pendulum

from conflict_ledger import asof
from conflict_ledger.asof import Explanation, Snapshot, Source, Timeline, diff, order_key
from conflict_ledger.claims import Claim
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.events import DatasetEvent, Retraction
from conflict_ledger.ledger import Ledger
from conflict_ledger.rules.policies import DEFAULT_POLICY, Policy

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
    """A ledger's dataset events and, by claim id, the report times of what cancels it
    (a retraction or a correction): what a timeline's ``context`` reads, kept up to date
    from the records appended since."""

    def __init__(self) -> None:
        self.seen = 0
        self.events: list[Claim] = []
        self.cancelled: dict[str, list[pendulum.DateTime]] = {}

    def read(self, ledger: Ledger) -> None:
        for record in ledger.since(self.seen):
            claim = record.claim
            if isinstance(claim.event, DatasetEvent):
                self.events.append(claim)
            if isinstance(claim.event, Retraction):
                self.cancelled.setdefault(claim.event.target, []).append(claim.reported_at)
            if claim.supersedes is not None:
                self.cancelled.setdefault(claim.supersedes, []).append(claim.reported_at)
            self.seen = record.position + 1

    def at(self, place: str, known: pendulum.DateTime | None) -> tuple[Claim, ...]:
        """The counted dataset events naming ``place`` as known at ``known``, in fold order."""

        def counts(claim: Claim) -> bool:
            undone = self.cancelled.get(claim.id, ())
            if known is None:
                return not undone
            return claim.reported_at <= known and not any(t <= known for t in undone)

        return tuple(
            sorted(
                (c for c in self.events if place in c.event.place_ids() and counts(c)),
                key=order_key,
            )
        )


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
    return attrs.evolve(line, context=_context(source).at(line.place, line.known_at))


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
