"""The one door: ``cl.snapshot`` answers through an index the ledger keeps, built on first use.

A user never chooses between the plain fold (:mod:`conflict_ledger.reference`, the
oracle the tests hold the engine to) and :class:`~conflict_ledger.engine.AsOfIndex`: the
first question about a ledger builds its index, and every later one reads only the
records appended since. Answers handed out before an append do not change after it.

Where the index cannot answer exactly what the fold answers, the door asks the fold:

- ``position=`` (the index reads every record; it has no ledger-position cut);
- a ``policy`` other than the default :func:`~conflict_ledger.rules.policies.contest_disagreement`;
- a source of plain records rather than a :class:`~conflict_ledger.ledger.Ledger`.

``timeline`` and ``explain`` answer through the index too (with ``position=`` or plain
records, the fold), ``explain`` under any ``policy`` (a policy sees one place's claims,
which the index keeps exactly): the index gives the states and what the place's policy
sees, and the positions of the ledger's records by the places they name, with what
cancels each claim (kept with the index, saved with it, read incrementally), give a
timeline's ``context`` and the claims an explanation counts and excludes, and why: only
the records about the place asked are read. ``diff`` reads two snapshots and folds
nothing; it is the fold's, re-exported so that the door is one import.

>>> from conflict_ledger.seed import load_seed
>>> ledger = load_seed()
>>> snapshot(ledger, at="2024-12-07T00:00Z")["deir-ez-zor"].holder
'sdf'
"""

from __future__ import annotations

from typing import Any

from conflict_ledger import asof
from conflict_ledger.asof import Explanation, Snapshot, Source, Timeline, diff
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.ledger import Ledger
from conflict_ledger.rules.policies import DEFAULT_POLICY, Policy

__all__ = ["diff", "explain", "index_of", "snapshot", "timeline"]

_SLOT = "_queries_index"
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
    return index_of(source).timeline(place, known_at=known_at)


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
