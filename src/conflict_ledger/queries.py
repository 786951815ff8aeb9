"""The one door: ``cl.snapshot`` answers through an index the ledger keeps, built on first use.

A user never chooses between the plain fold (:mod:`conflict_ledger.reference`, the
oracle the tests hold the engine to) and :class:`~conflict_ledger.index.AsOfIndex`: the
first question about a ledger builds its index, and every later one reads only the
records appended since. Answers handed out before an append do not change after it.

Where the index cannot answer exactly what the fold answers, the door asks the fold:

- ``position=`` (the index reads every record; it has no ledger-position cut);
- a ``policy`` other than the default :func:`~conflict_ledger.policies.contest_disagreement`;
- a source of plain records rather than a :class:`~conflict_ledger.ledger.Ledger`.

``timeline``, ``explain`` and ``diff`` are the fold's for now (``diff`` reads two
snapshots and folds nothing; the index's timeline lacks the dataset-event ``context``
and it has no ``explain``), re-exported here so that the door is one import.

>>> from conflict_ledger.seed import load_seed
>>> ledger = load_seed()
>>> snapshot(ledger, at="2024-12-07T00:00Z")["deir-ez-zor"].holder
'sdf'
"""

from __future__ import annotations

from typing import Any

from conflict_ledger import asof
from conflict_ledger.asof import Snapshot, Source, diff, explain, timeline
from conflict_ledger.index import AsOfIndex
from conflict_ledger.ledger import Ledger
from conflict_ledger.policies import DEFAULT_POLICY, Policy

__all__ = ["diff", "explain", "index_of", "snapshot", "timeline"]

_SLOT = "_queries_index"
"""Where a ledger carries its index. The ledger holds it (the index holds the ledger back,
a cycle the collector frees), not a global table: a ``WeakKeyDictionary`` from ledger to
index would keep every ledger alive through its index's reference to it. The Ledger
class itself never imports the engine."""


def index_of(ledger: Ledger, **options: Any) -> AsOfIndex:
    """The ledger's index: built on first use (``options`` go to
    :class:`~conflict_ledger.index.AsOfIndex` then), then kept and refreshed by each question.

    >>> from conflict_ledger.seed import load_seed
    >>> ledger = load_seed()
    >>> index_of(ledger) is index_of(ledger)
    True
    """
    index = vars(ledger).get(_SLOT)
    if not isinstance(index, AsOfIndex):
        index = AsOfIndex(ledger, **options)
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
