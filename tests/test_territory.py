"""The territorial reducer, one rule at a time."""

from __future__ import annotations

import copy

import attrs
from hypothesis import given

from conflict_ledger import (
    Access,
    Advanced,
    Attacked,
    Captured,
    Claim,
    ControlLost,
    CrossingClosed,
    CrossingOpened,
    Extent,
    ForcesSent,
    HandedOver,
    Holds,
    Modality,
    PlaceFold,
    SourceChain,
    Status,
    ValidTime,
    territory,
)
from conflict_ledger.rules.territory import view
from conflict_ledger.testing import BASE, claims

EXACT = ValidTime.exact(BASE)


def claim(event, *, id="c", hours=0, width=0, modality=Modality.ASSERTED) -> Claim:
    start = BASE.add(hours=hours)
    return Claim(
        id=id,
        event=event,
        valid=ValidTime(start=start, end=start.add(hours=width)),
        reported_at=start.add(hours=width),
        source=SourceChain.of("s0"),
        modality=modality,
    )


def fold_view(*claims: Claim, at_hours: int = 1000):
    state = PlaceFold(place="p0")
    for c in claims:
        state = territory(state, c)
    return view(state, at=BASE.add(hours=at_hours))


def test_a_capture_sets_the_holder_and_keeps_who_lost_it():
    state = fold_view(
        claim(Holds(place="p0", actor="gov"), id="a"),
        claim(Captured(place="p0", actor="sdf", from_actor="gov"), id="b", hours=5),
    )
    assert (state.status, state.holder, state.previous, state.claims) == (
        Status.HELD,
        "sdf",
        "gov",
        ("b",),
    )


def test_a_first_capture_names_the_loser_given_in_the_claim():
    state = fold_view(claim(Captured(place="p0", actor="sdf", from_actor="gov")))
    assert (state.holder, state.previous) == ("sdf", "gov")


def test_a_hand_over_moves_control_like_a_capture():
    state = fold_view(claim(HandedOver(place="p0", from_actor="sdf", to_actor="mc")))
    assert (state.holder, state.previous, state.status) == ("mc", "sdf", Status.HELD)


def test_losing_control_clears_the_holder_but_remembers_the_loser():
    state = fold_view(
        claim(Holds(place="p0", actor="gov"), id="a"),
        claim(ControlLost(place="p0", actor="gov"), id="b", hours=3),
    )
    assert (state.status, state.holder, state.previous) == (Status.UNKNOWN, None, "gov")


def test_a_loss_by_someone_who_no_longer_holds_it_changes_nothing_but_the_support():
    state = fold_view(
        claim(Captured(place="p0", actor="sdf"), id="a"),
        claim(ControlLost(place="p0", actor="gov"), id="b", hours=3),
    )
    assert (state.holder, state.claims) == ("sdf", ("a", "b"))


def test_forecasts_and_plans_never_change_control():
    start = PlaceFold(place="p0")
    for modality in (Modality.FORECAST, Modality.PLANNED):
        assert (
            territory(start, claim(Captured(place="p0", actor="sdf"), modality=modality)) == start
        )


def test_a_denial_of_the_holder_makes_the_place_contested_until_a_later_claim():
    held = claim(Captured(place="p0", actor="sdf"), id="a")
    denied = claim(
        Captured(place="p0", actor="sdf"), id="b", hours=10, width=24, modality=Modality.DENIED
    )
    state = fold_view(held, denied)
    assert (state.status, state.contenders, state.disputes) == (Status.CONTESTED, ("sdf",), ("b",))
    confirmed = claim(Holds(place="p0", actor="sdf"), id="c", hours=100)
    assert fold_view(held, denied, confirmed).status is Status.HELD


def test_a_denial_of_a_gain_no_claim_makes_disputes_nothing():
    state = fold_view(
        claim(Captured(place="p0", actor="sdf"), id="a"),
        claim(Captured(place="p0", actor="gov"), id="b", hours=3, modality=Modality.DENIED),
    )
    assert (state.status, state.holder, state.disputes) == (Status.HELD, "sdf", ())


def test_partial_gains_add_a_presence_not_a_holder():
    state = fold_view(claim(Captured(place="p0", actor="is", extent=Extent.SOME)))
    assert (state.holder, state.presence, state.status) == (None, ("is",), Status.UNKNOWN)


def test_attacks_and_advances_last_until_a_dated_change_but_survive_a_hold():
    attacked = claim(Attacked(place="p0", actor="x"), id="a")
    held = claim(Holds(place="p0", actor="gov"), id="b", hours=1)
    assert fold_view(attacked, held).status is Status.UNDER_ATTACK
    advanced = claim(Advanced(place="p0", actor="x"), id="c", hours=2)
    assert fold_view(advanced, held).status is Status.UNDER_ADVANCE
    taken = claim(Captured(place="p0", actor="x"), id="d", hours=3)
    after = fold_view(attacked, held, advanced, taken)
    assert (after.status, after.attackers, after.advancing) == (Status.HELD, (), ())


def test_a_crossing_opens_and_closes():
    closed = claim(CrossingClosed(place="p0", by="j"), id="a")
    opened = claim(CrossingOpened(place="p0", by="j"), id="b", hours=1)
    assert fold_view(closed).access is Access.CLOSED
    assert fold_view(closed, opened).access is Access.OPEN


def test_events_the_projection_does_not_know_leave_the_state_alone():
    start = PlaceFold(place="p0")
    sent = claim(ForcesSent(actor="iran", destination="p0"))
    assert territory(start, sent) is start


def test_a_change_inside_its_window_is_changing_and_names_both_sides():
    holds = claim(Holds(place="p0", actor="gov"), id="a")
    took = claim(Captured(place="p0", actor="sdf"), id="b", hours=10, width=24)
    during = fold_view(holds, took, at_hours=20)
    assert (during.status, during.contenders) == (Status.CHANGING, ("gov", "sdf"))
    assert fold_view(holds, took, at_hours=34).status is Status.HELD


@given(claims(places=["p0"]), claims(places=["p0"]))
def test_the_reducer_never_mutates_its_inputs_and_is_deterministic(first, second):
    state = territory(PlaceFold(place="p0"), first)
    frozen_state, frozen_claim = copy.deepcopy(state), copy.deepcopy(second)
    result = territory(state, second)
    assert (state, second) == (frozen_state, frozen_claim)
    assert territory(state, second) == result
    assert attrs.has(type(result))


def test_a_hold_that_names_the_first_holder_keeps_the_claims_behind_the_pressure():
    advanced = claim(Advanced(place="p0", actor="x"), id="a")
    held = claim(Holds(place="p0", actor="gov"), id="b", hours=1)
    state = fold_view(advanced, held)
    assert (state.status, state.claims) == (Status.UNDER_ADVANCE, ("a", "b"))
    replaced = claim(Holds(place="p0", actor="sdf"), id="c", hours=5)
    assert fold_view(advanced, held, replaced).claims == ("c",)


def test_a_dated_change_of_holder_ends_the_presences_a_hold_does_not():
    present = claim(Captured(place="p0", actor="rsf", extent=Extent.SOME), id="a")
    held = claim(Holds(place="p0", actor="saf"), id="b", hours=1)
    assert fold_view(present, held).presence == ("rsf",)
    retaken = claim(Captured(place="p0", actor="saf"), id="c", hours=5)
    assert fold_view(present, retaken).presence == ()


def test_a_loss_by_someone_who_does_not_hold_the_place_settles_no_contest():
    one = claim(Captured(place="p0", actor="a"), id="a", width=5)
    rival = claim(Captured(place="p0", actor="b"), id="b", hours=1, width=5)
    gone = claim(ControlLost(place="p0", actor="a"), id="c", hours=100)
    assert fold_view(one, rival, gone).status is Status.CONTESTED
