"""The as-of index's answers about one place (private to the as-of index).

A place is named by id, name or alias, read through the ledger's registries; its
answers read its :class:`~conflict_ledger.engine._places.PlaceHistory` only: the state
from its checkpoints (:func:`place_state`), the claims that count (:func:`counted`), the
changes over valid time (:func:`timeline`), and what a resolution policy sees of it
(:func:`place_claims`), with the sources' grades across the ledger (:func:`grades`).

These functions are the index's own: they take the
:class:`~conflict_ledger.engine.index.AsOfIndex` they answer for.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from conflict_ledger.asof import Explanation, Timeline, TimelineEntry
from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._explain import Mentions, context, explanation
from conflict_ledger.engine._intake import settled
from conflict_ledger.engine._places import NEVER
from conflict_ledger.rules.policies import DEFAULT_POLICY, PlaceClaims, Policy, grades_at
from conflict_ledger.rules.territory import PlaceFold, PlaceState
from conflict_ledger.time import to_instant

if TYPE_CHECKING:
    from conflict_ledger.engine._state import IndexState

__all__ = [
    "claims",
    "claims_of",
    "counted",
    "explain",
    "grades",
    "mentions",
    "place_claims",
    "place_fold",
    "place_id",
    "place_state",
    "timeline",
]


def place_id(index: IndexState, place: str) -> str:
    """The id of ``place`` (an id, name or alias) in the ledger's registries."""
    return index._ledger.registries.places.id_of(place, field="place")


def _question(index: IndexState, at: Any, known_at: Any) -> tuple[int, int | None]:
    """``at`` and ``known_at`` in micros, with the index settled."""
    settled(index)
    at_i = ff.micros(to_instant(at, field="at"))
    known_i = None if known_at is None else ff.micros(to_instant(known_at, field="known_at"))
    return at_i, known_i


def place_state(index: IndexState, place: str, *, at: Any, known_at: Any) -> PlaceState:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.place_state`."""
    place = place_id(index, place)
    at_i, known_i = _question(index, at, known_at)
    entry = index._places.get(place)
    state = None if entry is None else entry.state(at_i, known_i, index._every, index._durations)
    return ff.view(place, ff.EMPTY, at_i) if state is None else state


def place_fold(index: IndexState, place: str, *, at: Any, known_at: Any) -> PlaceFold:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.place_fold`."""
    place = place_id(index, place)
    at_i, known_i = _question(index, at, known_at)
    entry = index._places.get(place)
    found = None if entry is None else entry.lookup(at_i, known_i, index._every)
    return ff.to_place_fold(place, ff.EMPTY if found is None else found[0])


def counted(index: IndexState, place: str, at: Any, known_at: Any) -> list[ff.Op]:
    """The compiled claims that count for ``place`` (an id), valid from ``at`` or before
    (None: any time), as known at ``known_at``, in fold order."""
    settled(index)
    entry = index._places.get(place)
    if entry is None:
        return []
    n = (
        len(entry.ops)
        if at is None
        else bisect_right(entry.starts, ff.micros(to_instant(at, field="at")))
    )
    ops, cancel = entry.ops, entry.cancel
    if known_at is None:
        return [ops[j] for j in range(n) if cancel[j] == NEVER]
    known = ff.micros(to_instant(known_at, field="known_at"))
    return [ops[j] for j in range(n) if ops[j][ff.REPORTED] <= known and cancel[j] > known]


def claims(index: IndexState, place: str, *, at: Any, known_at: Any) -> tuple[Claim, ...]:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.claims`."""
    return claims_of(index, counted(index, place_id(index, place), at, known_at))


def claims_of(index: IndexState, ops: Iterable[ff.Op]) -> tuple[Claim, ...]:
    """The claims compiled claims came from, the sketched ones read together."""
    held = [op[ff.CLAIM] for op in ops]
    positions = [found for found in held if type(found) is int]
    read = iter([r.claim for r in index._ledger.at_positions(positions)] if positions else [])
    return tuple(next(read) if type(found) is int else found for found in held)


def grades(index: IndexState, cut: pendulum.DateTime, known: pendulum.DateTime | None) -> Any:
    """The sources' grades at ``cut`` as known at ``known``, from the gradings read."""
    at_i = ff.micros(cut)
    known_i = None if known is None else ff.micros(known)
    cancelled = index._cancelled
    found = [
        claim
        for key, claim in index._graded
        if key[0] <= at_i
        and (
            cancelled.get(key[3], NEVER) == NEVER
            if known_i is None
            else key[2] <= known_i and cancelled.get(key[3], NEVER) > known_i
        )
    ]
    return grades_at(found, index._ledger.registries.sources, at=cut)


def place_claims(index: IndexState, place: str, *, at: Any, known_at: Any) -> PlaceClaims:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.place_claims`."""
    place = place_id(index, place)
    cut = to_instant(at, field="at")
    known = None if known_at is None else to_instant(known_at, field="known_at")
    return PlaceClaims(
        place=place,
        at=cut,
        known_at=known,
        claims=claims_of(index, counted(index, place, cut, known)),
        grades=grades(index, cut, known),
    )


def explain(
    index: IndexState, place: str, *, at: Any, known_at: Any, policy: Policy | None
) -> Explanation:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.explain`."""
    seen = place_claims(index, place, at=at, known_at=known_at)
    return explanation(mentions(index), index._ledger, seen, policy or DEFAULT_POLICY)


def mentions(index: IndexState) -> Mentions:
    """The index's :class:`~conflict_ledger.engine._explain.Mentions` (saved with it, or
    made on the first question that needs them), brought up to date."""
    found = index._mentions
    if found is None:
        found = index._mentions = Mentions()
    elif callable(found):  # saved with the index: read on the first question
        found = index._mentions = found()
    found.read(index._ledger)
    return found


def timeline(index: IndexState, place: str, *, known_at: Any) -> Timeline:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.timeline`."""
    place = place_id(index, place)
    known = None if known_at is None else to_instant(known_at, field="known_at")
    ops = counted(index, place, None, known)
    instants = {op[ff.START]: ff.valid_window(op).start for op in ops}
    instants.update({op[ff.END]: ff.end_instant(op) for op in ops})
    entries: list[TimelineEntry] = []
    frozen = ff.EMPTY
    folded = 0
    for instant in sorted(instants):
        upto = folded
        while upto < len(ops) and ops[upto][ff.START] <= instant:
            upto += 1
        if upto > folded:
            frozen = ff.fold(frozen, ops[folded:upto])
            folded = upto
        current = ff.view(place, frozen, instant)
        if entries and entries[-1].state.situation() == current.situation():
            continue
        when = instants[instant]
        if entries:
            entries[-1] = attrs.evolve(entries[-1], end=when)
        entries.append(TimelineEntry(start=when, end=None, state=current))
    about = context(mentions(index), index._ledger, place, known)
    return Timeline(place=place, known_at=known, entries=tuple(entries), context=about)
