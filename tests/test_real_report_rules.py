"""The rules real reports need: a report bounds its event, touching windows are ordered,
and a denial is a side. Each rule is checked on a worked case, then as a law on generated
ledgers, through the reference fold and the index alike."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import (
    AsOfIndex,
    Captured,
    Claim,
    Holds,
    Ledger,
    Modality,
    SourceChain,
    Status,
    ValidTime,
    corroboration_required,
    credible_only,
    explain,
    fixed_clock,
    latest_report_wins,
    most_reliable_wins,
    snapshot,
    timeline,
)
from conflict_ledger.rules.policies import contest_disagreement
from conflict_ledger.rules.territory import fold_end
from conflict_ledger.testing import BASE, claims, instants, ledgers, registries

from .support import rebuild

TZ = "Asia/Damascus"


def day(d: int) -> ValidTime:
    return ValidTime.day(pendulum.date(2024, 12, d), tz=TZ)


def local(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=TZ).in_tz("UTC")  # type: ignore[union-attr]


def make(
    claim_id: str,
    event: object,
    valid: ValidTime,
    reported: object,
    *,
    modality: str = "asserted",
    source: str = "s0",
) -> Claim:
    return Claim(
        id=claim_id,
        event=event,  # type: ignore[arg-type]
        valid=valid,
        reported_at=reported,
        source=SourceChain.of(source),
        modality=modality,
    )


def both(ledger: Ledger, place: str, **when: object):
    """The place's state from the reference fold, after checking the index agrees."""
    reference = snapshot(ledger, **when)[place]
    assert AsOfIndex(ledger).snapshot(**when)[place] == reference
    return reference


# --- a report bounds its own event -----------------------------------------------------


def test_a_capture_reported_at_2000_is_held_at_2300_not_changing_until_midnight():
    took = make(
        "took", Captured(place="p0", actor="a0"), day(7), local("2024-12-07T20:00"), source="s1"
    )
    ledger = rebuild([took])
    assert both(ledger, "p0", at=local("2024-12-07T23:00")).status is Status.HELD
    assert both(ledger, "p0", at=local("2024-12-07T19:00")).status is Status.CHANGING
    # The stored claim keeps the window its source gave; explain shows the bound applied.
    assert ledger.claim("took").valid == day(7)
    why = explain(ledger, "p0", at=local("2024-12-07T23:00"))
    assert dict(why.bounds) == {"took": local("2024-12-07T20:00")}


def test_a_forecast_keeps_its_whole_window():
    said = make(
        "said",
        Captured(place="p0", actor="a0"),
        day(8),
        local("2024-12-07T20:00"),
        modality="forecast",
    )
    assert fold_end(said) == day(8).end


@given(claims())
def test_the_report_bound_stays_inside_the_window_and_spares_forecasts(claim):
    end = fold_end(claim)
    assert claim.valid.start <= end <= claim.valid.end
    if claim.modality in (Modality.ASSERTED, Modality.DENIED):
        assert end == max(claim.valid.start, min(claim.valid.end, claim.reported_at))
    else:
        assert end == claim.valid.end


@given(ledgers(), instants(max_value=24 * 20), instants(max_value=24 * 40), st.integers(1, 500))
def test_moving_a_later_report_never_changes_an_answer_asked_before_it(ledger, at, known, hours):
    # Claims reported after ``known`` get a later report, so a different bound: the
    # answer as known at ``known`` cannot see either.
    moved = [
        attrs.evolve(r.claim, reported_at=r.claim.reported_at.add(hours=hours))
        if r.claim.reported_at > known
        else r.claim
        for r in ledger.records()
    ]
    assert snapshot(rebuild(moved), at=at, known_at=known) == snapshot(
        ledger, at=at, known_at=known
    )


# --- touching windows are ordered, not contested -----------------------------------------


WIDTHS = {
    "hour": (pendulum.duration(hours=1), "hour"),
    "day": (pendulum.duration(days=1), "day"),
    "night": (pendulum.duration(hours=12), "overnight"),
    "week": (pendulum.duration(weeks=1), "week"),
}
KINDS = tuple(WIDTHS)


def _window(kind: str, start: pendulum.DateTime) -> ValidTime:
    width, precision = WIDTHS[kind]
    return ValidTime(start=start, end=start + width, precision=precision)


def _touching(first: str, second: str, delay: int) -> tuple[Claim, Claim]:
    one = _window(first, local("2024-12-01T18:00"))
    two = _window(second, one.end)
    took = make("took", Captured(place="p0", actor="a0"), one, one.end.add(hours=delay))
    back = make("back", Captured(place="p0", actor="a1"), two, two.end.add(hours=delay))
    return took, back


@pytest.mark.parametrize("first", KINDS)
@pytest.mark.parametrize("second", KINDS)
@pytest.mark.parametrize("delay", [0, 30])
def test_a_recapture_in_the_window_after_a_capture_is_ordered_not_contested(first, second, delay):
    took, back = _touching(first, second, delay)
    assert took.valid.end == back.valid.start
    ledger = rebuild([took, back])
    line = timeline(ledger, "p0")
    assert Status.CONTESTED not in [entry.state.status for entry in line]
    assert AsOfIndex(ledger).timeline("p0") == line
    after = both(ledger, "p0", at=back.valid.end.add(days=10))
    assert (after.status, after.holder, after.previous) == (Status.HELD, "a1", "a0")


def test_an_instant_inside_a_window_overlaps_it_and_one_at_its_end_does_not():
    took = make("took", Captured(place="p0", actor="a0"), day(7), day(7).end)
    inside = make(
        "inside",
        Captured(place="p0", actor="a1"),
        ValidTime.exact(local("2024-12-07T12:00")),
        day(7).end,
    )
    at_end = make("end", Captured(place="p0", actor="a1"), ValidTime.exact(day(7).end), day(7).end)
    later = day(7).end.add(days=1)
    assert both(rebuild([took, inside]), "p0", at=later).status is Status.CONTESTED
    assert both(rebuild([took, at_end]), "p0", at=later).status is Status.HELD
    # Two instants at once disagree: that is a real overlap.
    twin = make("twin", Captured(place="p0", actor="a2"), ValidTime.exact(day(7).end), day(7).end)
    assert both(rebuild([took, at_end, twin]), "p0", at=later).status is Status.CONTESTED


@given(
    st.sampled_from(KINDS),
    st.sampled_from(KINDS),
    st.integers(0, 48),
    st.lists(st.sampled_from(["a0", "a1", "a2"]), min_size=2, max_size=5),
)
def test_chains_of_touching_windows_never_contest(first, second, delay, actors):
    # A run of captures, each window starting where the one before ended.
    chain: list[Claim] = []
    start = local("2024-12-01T00:00")
    for i, actor in enumerate(actors):
        window = _window(first if i % 2 == 0 else second, start)
        chain.append(
            make(f"c{i}", Captured(place="p0", actor=actor), window, window.end.add(hours=delay))
        )
        start = window.end
    ledger = rebuild(chain)
    line = timeline(ledger, "p0")
    assert Status.CONTESTED not in [entry.state.status for entry in line]
    assert line.entries[-1].state.holder == actors[-1]


# --- a denial is a side ----------------------------------------------------------------


def _denied_capture(*, named: bool) -> list[Claim]:
    held = make("held", Holds(place="p0", actor="a1"), day(1), day(1).end)
    took = make(
        "took", Captured(place="p0", actor="a0", from_actor="a1"), day(7), day(7).end, source="s1"
    )
    denied = make(
        "denied",
        Captured(place="p0", actor="a0", from_actor="a1" if named else None),
        day(7),
        local("2024-12-07T22:00"),
        modality="denied",
        source="s2",
    )
    return [held, took, denied]


@pytest.mark.parametrize("named", [True, False], ids=["named-denier", "inferred-denier"])
def test_a_denial_stands_on_its_deniers_side_and_disputes_in_explain(named):
    ledger = rebuild(_denied_capture(named=named))
    at = day(9).start
    state = both(ledger, "p0", at=at)
    assert state.status is Status.CONTESTED
    assert {side.actor: side.claims for side in state.sides} == {
        "a0": ("took",),
        "a1": ("denied",),
    }
    why = explain(ledger, "p0", at=at)
    assert ([c.id for c in why.supporting], [c.id for c in why.disputing]) == (["took"], ["denied"])


def test_a_denial_disputes_only_the_denied_gain_never_a_later_hold():
    claims_ = _denied_capture(named=True)
    later = make("later", Captured(place="p0", actor="a2"), day(12), day(12).end)
    ledger = rebuild([*claims_, later])
    state = both(ledger, "p0", at=day(14).start)
    # a2 took the place from a1, the last holder not in doubt: a0 was only claimed.
    assert (state.status, state.holder, state.previous, state.disputes) == (
        Status.HELD,
        "a2",
        "a1",
        (),
    )
    why = explain(ledger, "p0", at=day(14).start)
    assert why.disputing == ()


def test_previous_never_names_a_holder_that_was_only_contested():
    held = make("held", Holds(place="p0", actor="a1"), day(1), day(1).end)
    one = make("one", Captured(place="p0", actor="a0"), day(7), day(7).end)
    rival = make("rival", Captured(place="p0", actor="a2"), day(7), day(7).end, source="s1")
    settled = make("settled", Captured(place="p0", actor="a3"), day(12), day(12).end)
    ledger = Ledger(registries=registries(actors=4), clock=fixed_clock(BASE))
    ledger.extend([held, one, rival, settled])
    assert both(ledger, "p0", at=day(8).start).status is Status.CONTESTED
    state = both(ledger, "p0", at=day(14).start)
    assert (state.holder, state.previous) == ("a3", "a1")


POLICIES = [
    contest_disagreement,
    latest_report_wins,
    most_reliable_wins,
    corroboration_required(1),
    credible_only(contest_disagreement),
]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.__name__)
@given(
    named=st.booleans(),
    delay=st.integers(0, 20),
    grades=st.tuples(st.sampled_from("ABCDEF"), st.sampled_from("ABCDEF")),
)
def test_under_every_policy_a_denial_is_a_side_or_decides_or_disputes(policy, named, delay, grades):
    claims_ = _denied_capture(named=named)
    claims_[-1] = attrs.evolve(claims_[-1], reported_at=claims_[-1].reported_at.add(hours=delay))
    regs = registries()
    s0, s1, s2 = regs.sources
    graded = [s0, attrs.evolve(s1, reliability=grades[0]), attrs.evolve(s2, reliability=grades[1])]
    regs = attrs.evolve(regs, sources=type(regs.sources).of(*graded))
    ledger = Ledger(registries=regs, clock=fixed_clock(BASE))
    ledger.extend(claims_)
    at = day(9).start
    state = snapshot(ledger, at=at, policy=policy)["p0"]
    why = explain(ledger, "p0", at=at, policy=policy)
    disputing = [c.id for c in why.disputing]
    if state.status is Status.CONTESTED:
        assert "a1" in [side.actor for side in state.sides]
        assert disputing == ["denied"]
    elif state.holder == "a1":  # the denial decided it: a0 was only claimed
        assert state.previous != "a0"
        assert "denied" in [c.id for c in why.supporting]
    else:
        assert state.holder == "a0"
        assert disputing == ["denied"]


def test_a_capture_after_a_denied_capture_by_the_same_actor_is_a_change_of_its_own():
    # a0's first capture (day 7) is denied; its real capture comes on day 20.
    claims_ = _denied_capture(named=True)
    real = make("real", Captured(place="p0", actor="a0"), day(20), day(20).end)
    ledger = rebuild([*claims_, real])
    during = both(ledger, "p0", at=local("2024-12-20T12:00"))
    assert during.status is Status.CHANGING
    after = both(ledger, "p0", at=day(22).start)
    assert (after.status, after.holder, after.previous, after.claims, after.disputes) == (
        Status.HELD,
        "a0",
        "a1",
        ("real",),
        (),
    )
    assert after.since == day(20)
