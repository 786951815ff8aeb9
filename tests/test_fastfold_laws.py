"""Laws of the fast fold (``_fastfold.fold``) against the pure ``territory`` reducer.

The fold keeps its open windows lazily (dropped in bulk, read through per-actor
summaries), so these draw one busy place: many claims over a few days, so that
week-long windows overlap dozens of others, and every kind of claim, denials included.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.asof import order_key
from conflict_ledger.claims import Claim, Modality, SourceChain
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.events import (
    Advanced,
    Attacked,
    Captured,
    ControlLost,
    CrossingClosed,
    Event,
    HandedOver,
    Holds,
)
from conflict_ledger.rules.territory import PlaceFold, territory
from conflict_ledger.testing.strategies import BASE, claims
from conflict_ledger.time import ValidTime

ACTORS = ("a0", "a1", "a2")
# Gains twice as often as the rest: they are what opens and reads the windows.
TERRITORIAL = (
    Captured,
    Captured,
    Holds,
    HandedOver,
    ControlLost,
    Attacked,
    Advanced,
    CrossingClosed,
)


def crowded_place(hours: int) -> st.SearchStrategy[list[Claim]]:
    """10 to 60 claims about one place by three actors, their windows starting within ``hours``."""
    return st.lists(
        claims(
            places=("p0",),
            actors=ACTORS,
            types=TERRITORIAL,
            max_value=hours,
            modalities=[Modality.ASSERTED] * 6 + [Modality.DENIED] * 2 + [Modality.FORECAST],
        ),
        min_size=10,
        max_size=60,
    ).map(lambda drawn: [attrs.evolve(claim, id=f"c{i}") for i, claim in enumerate(drawn)])


# Within half a day windows meet end to start and overlap all at once; within ten days many
# also close before later claims start.
crowded = crowded_place(12) | crowded_place(24 * 10)


def reference_after_each(ordered: list[Claim]) -> list[PlaceFold]:
    states, state = [], PlaceFold(place="p0")
    for claim in ordered:
        state = territory(state, claim)
        states.append(state)
    return states


@given(crowded)
def test_one_fold_of_a_crowded_place_equals_the_reference_after_every_claim(drawn):
    # Each prefix folded in one go: every claim's decision is read off a fold that kept
    # its windows lazily from the first claim on.
    ordered = sorted(drawn, key=order_key)
    ops = [ff.compile_claim(c) for c in ordered]
    folded = [ff.to_place_fold("p0", ff.fold(ff.EMPTY, ops[: k + 1])) for k in range(len(ops))]
    assert folded == reference_after_each(ordered)


@given(crowded, st.randoms(use_true_random=False))
def test_claims_out_of_fold_order_still_fold_as_the_reference_does(drawn, rng):
    # The index never does this; the fold still gives the reference's answer for it.
    shuffled = list(drawn)
    rng.shuffle(shuffled)
    folded = ff.fold(ff.EMPTY, [ff.compile_claim(c) for c in shuffled])
    expected = reference_after_each(shuffled)[-1] if shuffled else PlaceFold(place="p0")
    assert ff.to_place_fold("p0", folded) == expected


@given(crowded, st.lists(st.integers(min_value=1, max_value=8), max_size=30))
def test_folding_in_pieces_equals_folding_at_once(drawn, steps):
    ops = [ff.compile_claim(c) for c in sorted(drawn, key=order_key)]
    whole_changes: list[tuple[int, str | None]] = []
    whole = ff.fold(ff.EMPTY, ops, whole_changes)
    state, begin, changes = ff.EMPTY, 0, []
    for step in [*steps, len(ops)]:
        piece: list[tuple[int, str | None]] = []
        state = ff.fold(state, ops[begin : begin + step], piece)
        changes += [(begin + t, actor) for t, actor in piece]
        begin += step
        if begin >= len(ops):
            break
    assert (state, changes) == (whole, whole_changes)


@given(crowded)
def test_the_changes_of_holder_replay_the_references_holder_after_every_claim(drawn):
    ordered = sorted(drawn, key=order_key)
    changes: list[tuple[int, str | None]] = []
    ff.fold(ff.EMPTY, [ff.compile_claim(c) for c in ordered], changes)
    told, holder = dict(changes), None
    replayed = []
    for t in range(len(ordered)):
        holder = told.get(t, holder)
        replayed.append(holder)
    assert replayed == [state.holder for state in reference_after_each(ordered)]


@given(crowded, st.integers(min_value=0, max_value=60))
def test_a_frozen_state_is_immutable_all_the_way_down(drawn, cut):
    # Hashing fails on any working list that leaked into the result.
    ops = [ff.compile_claim(c) for c in sorted(drawn, key=order_key)]
    for state in (ff.fold(ff.EMPTY, ops[:cut]), ff.fold(ff.fold(ff.EMPTY, ops[:cut]), ops[cut:])):
        assert hash(state) == hash(tuple(state))


def at_hour(claim_id: str, event: Event, start: int, end: int, **extra: Any) -> Claim:
    return Claim(
        id=claim_id,
        event=event,
        valid=ValidTime(start=BASE.add(hours=start), end=BASE.add(hours=end)),
        reported_at=BASE.add(hours=end),
        source=SourceChain.of("s0"),
        **extra,
    )


@pytest.mark.parametrize(
    "then",
    [
        Captured(place="p0", actor="a1"),
        Holds(place="p0", actor="a1"),
        ControlLost(place="p0", actor="a0"),
        ControlLost(place="p0", actor="a1"),
    ],
    ids=["captured", "holds", "lost-by-the-gainer", "lost-by-another"],
)
@pytest.mark.parametrize("denied", [None, "a0", "a1"])
def test_a_window_that_ends_as_a_claim_starts_folds_as_the_reference(then, denied):
    # a0's gain runs from hour 0 to hour 5; everything after starts at hour 5 exactly
    # (half-open windows: it has closed; the fast fold must agree on every edge).
    ordered = [
        at_hour("c0", Captured(place="p0", actor="a0"), 0, 5),
        at_hour("c1", then, 5, 5),
    ]
    if denied is not None:
        ordered.append(
            at_hour("c2", Captured(place="p0", actor=denied), 5, 5, modality=Modality.DENIED)
        )
    ops = [ff.compile_claim(c) for c in ordered]
    folded = [ff.to_place_fold("p0", ff.fold(ff.EMPTY, ops[: k + 1])) for k in range(len(ops))]
    assert folded == reference_after_each(ordered)


def test_a_denial_as_a_gain_window_ends_does_not_dispute_it():
    # a0's gain (hours 0-5) has closed when the denial of it starts at hour 5 (windows
    # are half-open), after a1 took the place at hour 2 and lost it at hour 5: nobody
    # holds the place and no open gain is denied, so nothing is contested.
    ordered = [
        at_hour("c0", Captured(place="p0", actor="a0"), 0, 5),
        at_hour("c1", Captured(place="p0", actor="a1"), 2, 2),
        at_hour("c2", ControlLost(place="p0", actor="a1"), 5, 5),
        at_hour("c3", Captured(place="p0", actor="a0"), 5, 5, modality=Modality.DENIED),
    ]
    folded = ff.to_place_fold("p0", ff.fold(ff.EMPTY, [ff.compile_claim(c) for c in ordered]))
    assert (folded.contenders, folded) == ((), reference_after_each(ordered)[-1])
