"""Resolution policies: laws, worked examples, and policies that misbehave."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conflict_ledger import (
    Captured,
    Claim,
    Holds,
    Ledger,
    Modality,
    Retraction,
    SourceChain,
    Status,
    ValidTime,
    explain,
    snapshot,
)
from conflict_ledger.asof import place_claims
from conflict_ledger.errors import InvalidClaimError, UnknownClaimError
from conflict_ledger.events import ControlLost, SourceGraded
from conflict_ledger.rules.policies import (
    PolicyError,
    contest_disagreement,
    corroboration,
    corroboration_required,
    credible_only,
    latest_report_wins,
    most_reliable_wins,
)
from conflict_ledger.testing import BASE, instants, ledgers, registries

from .support import rebuild, shuffled, target

POLICIES = [
    contest_disagreement,
    latest_report_wins,
    most_reliable_wins,
    corroboration_required(2),
    credible_only(latest_report_wins),
]
policies = st.sampled_from(POLICIES)
times = instants(max_value=24 * 20)
knowledge = st.none() | instants(max_value=24 * 80)


@given(ledgers(), times, knowledge, policies, st.randoms(use_true_random=False))
def test_policies_do_not_depend_on_the_order_claims_arrive_in(ledger, at, known_at, policy, rng):
    again = rebuild(shuffled([r.claim for r in ledger.records()], rng))
    assert snapshot(again, at=at, known_at=known_at, policy=policy) == snapshot(
        ledger, at=at, known_at=known_at, policy=policy
    )


@given(ledgers(), times, knowledge, policies)
def test_policies_are_pure_functions_of_what_they_are_given(ledger, at, known_at, policy):
    for place in ("p0", "p1"):
        given_claims = place_claims(ledger, place, at=at, known_at=known_at)
        kept = (given_claims.claims, dict(given_claims.grades), given_claims.at)
        first = policy(given_claims)
        assert (given_claims.claims, dict(given_claims.grades), given_claims.at) == kept
        assert policy(given_claims) == first


@given(ledgers(), times, policies)
def test_the_default_policy_is_what_snapshot_does_without_one(ledger, at, policy):
    assert snapshot(ledger, at=at, policy=contest_disagreement) == snapshot(ledger, at=at)


@given(ledgers(min_size=1), st.data())
def test_a_copy_of_an_existing_report_never_raises_the_corroboration_count(ledger, data):
    claims = [r.claim for r in ledger.records() if not isinstance(r.claim.event, Retraction)]
    # A report that stands: a copy of a retracted or corrected one is a new assertion of
    # what was withdrawn, and may rightly change the map (CI's random draw found one).
    undone = {target(r.claim) for r in ledger.records()}
    standing = [c for c in claims if c.id not in undone]
    assume(standing)
    original = data.draw(st.sampled_from(standing))
    copy_ = attrs.evolve(
        original,
        id="copy",
        source=SourceChain.of(original.source.origin, "s2", "s1"),
        reported_at=original.reported_at.add(hours=data.draw(st.integers(0, 48))),
        supersedes=None,
    )
    for actor in ("a0", "a1", "a2"):
        assert corroboration([*claims, copy_], actor) == corroboration(claims, actor)
    at = data.draw(times)
    with_copy = snapshot(
        rebuild([r.claim for r in ledger.records()] + [copy_]),
        at=at,
        policy=corroboration_required(2),
    )
    without = snapshot(ledger, at=at, policy=corroboration_required(2))
    for place in without.places:
        assert with_copy[place].holder == without[place].holder


@given(
    ledgers(retracted_share=0, corrected_share=0, min_size=1), st.data(), times, knowledge, policies
)
def test_a_retraction_or_correction_changes_nothing_known_before_its_report(
    ledger, data, at, known_at, policy
):
    claims = [r.claim for r in ledger.records()]
    target = data.draw(st.sampled_from(claims))
    when = target.reported_at.add(hours=data.draw(st.integers(0, 24 * 20)))
    if data.draw(st.booleans()):
        undo = Claim(
            id="undo",
            event=Retraction(target=target.id),
            valid=ValidTime.exact(when),
            reported_at=when,
            source=target.source,
        )
    else:
        undo = attrs.evolve(
            target,
            id="undo",
            reported_at=max(when, target.valid.start),
            supersedes=target.id,
            event=Captured(place="p0", actor="a2"),
        )
    before = data.draw(instants(max_value=24 * 80).filter(lambda k: k < undo.reported_at))
    assert snapshot(rebuild([*claims, undo]), at=at, known_at=before, policy=policy) == snapshot(
        ledger, at=at, known_at=before, policy=policy
    )


@given(ledgers(), st.data(), times)
def test_a_regrade_changes_most_reliable_wins_only_from_its_time_on(ledger, data, at):
    source = data.draw(st.sampled_from(["s0", "s1", "s2"]))
    start = data.draw(instants(max_value=24 * 20))
    regrade = Claim(
        id="regrade",
        event=SourceGraded(source=source, reliability=data.draw(st.sampled_from("ABCDE"))),
        valid=ValidTime.exact(start),
        reported_at=start,
        source=SourceChain.of("s0"),
    )
    graded = rebuild([*(r.claim for r in ledger.records()), regrade])
    if at < start:
        assert snapshot(graded, at=at, policy=most_reliable_wins) == snapshot(
            ledger, at=at, policy=most_reliable_wins
        )


# --- worked examples, with claims the tests write themselves --------------------------

DAY = pendulum.duration(days=1)


def claim(id, event, *, start, width=DAY, reported=None, source="s0", **fields) -> Claim:
    return Claim(
        id=id,
        event=event,
        valid=ValidTime(start=start, end=start + width, precision="day"),
        reported_at=reported or start + width,
        source=SourceChain.of(source),
        **fields,
    )


def graded_ledger() -> Ledger:
    regs = registries()
    sources = [attrs.evolve(s, reliability=g) for s, g in zip(regs.sources, "ADF", strict=True)]
    regs = attrs.evolve(regs, sources=regs.sources.__class__.of(*sources))
    return Ledger(registries=regs, clock=lambda: BASE)


def test_a_denial_turns_a_held_place_into_a_contested_one_and_policies_decide_it():
    ledger = graded_ledger()
    took = claim("took", Captured(place="p0", actor="a0", from_actor="a1"), start=BASE, source="s1")
    # a1 denies that a0 took the place from it: a1 is the other side of the contest.
    denied = claim(
        "denied",
        Captured(place="p0", actor="a0", from_actor="a1"),
        start=BASE.add(days=2),
        source="s0",
        modality=Modality.DENIED,
    )
    ledger.extend([took])
    assert snapshot(ledger, at=BASE.add(days=5))["p0"].status is Status.HELD
    ledger.append(denied)
    contested = snapshot(ledger, at=BASE.add(days=5))["p0"]
    assert (contested.status, contested.contenders) == (Status.CONTESTED, ("a0", "a1"))
    assert {side.actor: side.claims for side in contested.sides} == {
        "a0": ("took",),
        "a1": ("denied",),
    }
    # s0 is graded A, s1 D: the denial's source is more reliable, so a1 keeps the place
    # and a0, only claimed and denied, is never named as the previous holder.
    reliable = snapshot(ledger, at=BASE.add(days=5), policy=most_reliable_wins)["p0"]
    assert (reliable.status, reliable.holder, reliable.previous) == (Status.HELD, "a1", None)
    latest = snapshot(ledger, at=BASE.add(days=5), policy=latest_report_wins)["p0"]
    assert (latest.holder, latest.previous) == ("a1", None)
    # Before the denial was reported, it was held: knowledge, not the world, changed.
    assert snapshot(ledger, at=BASE.add(days=5), known_at=BASE.add(days=2))["p0"].holder == "a0"


def test_a_denial_that_names_no_denier_still_contests_and_can_win():
    ledger = graded_ledger()
    took = claim("took", Captured(place="p0", actor="a0"), start=BASE, source="s1")
    denied = claim(
        "denied",
        Captured(place="p0", actor="a0"),
        start=BASE.add(days=2),
        source="s0",
        modality=Modality.DENIED,
    )
    ledger.extend([took, denied])
    contested = snapshot(ledger, at=BASE.add(days=5))["p0"]
    assert (contested.status, contested.contenders, contested.disputes) == (
        Status.CONTESTED,
        ("a0",),
        ("denied",),
    )
    reliable = snapshot(ledger, at=BASE.add(days=5), policy=most_reliable_wins)["p0"]
    assert (reliable.status, reliable.holder, reliable.previous) == (Status.UNKNOWN, None, None)


def test_most_reliable_wins_keeps_an_even_contest_contested():
    ledger = graded_ledger()
    ledger.extend(
        [
            claim("x", Captured(place="p0", actor="a0"), start=BASE, source="s2"),
            claim("y", Captured(place="p0", actor="a1"), start=BASE, source="s2"),
        ]
    )
    state = snapshot(ledger, at=BASE.add(days=3), policy=most_reliable_wins)["p0"]
    assert state.status is Status.CONTESTED
    ledger.append(claim("z", Holds(place="p0", actor="a1"), start=BASE, source="s0"))
    state = snapshot(ledger, at=BASE.add(days=3), policy=most_reliable_wins)["p0"]
    assert (state.status, state.holder) == (Status.HELD, "a1")


def test_corroboration_counts_origins_not_outlets():
    ledger = graded_ledger()
    one = Claim(
        id="r1",
        event=Captured(place="p0", actor="a0"),
        valid=ValidTime(start=BASE, end=BASE + DAY),
        reported_at=BASE + DAY,
        source=SourceChain.of("s0", "s1"),
    )
    carried = attrs.evolve(one, id="r2", source=SourceChain.of("s0", "s2"))
    ledger.extend([one, carried])
    at = BASE.add(days=3)
    assert corroboration(ledger.claims(), "a0") == 1
    assert snapshot(ledger, at=at, policy=corroboration_required(2))["p0"].holder is None
    ledger.append(attrs.evolve(one, id="r3", source=SourceChain.of("s1")))
    assert snapshot(ledger, at=at, policy=corroboration_required(2))["p0"].holder == "a0"


def test_explain_names_the_policy_the_grades_and_its_decision():
    ledger = graded_ledger()
    ledger.extend(
        [
            claim("took", Captured(place="p0", actor="a0"), start=BASE, source="s1"),
            claim(
                "denied",
                Captured(place="p0", actor="a0", from_actor="a1"),
                start=BASE.add(days=2),
                source="s0",
                modality=Modality.DENIED,
            ),
        ]
    )
    contested = explain(ledger, "p0", at=BASE.add(days=5))
    assert [side.actor for side in contested.state.sides] == ["a0", "a1"]
    assert [c.id for c in contested.disputing] == ["denied"]
    assert [c.id for c in contested.supporting] == ["took"]
    why = explain(ledger, "p0", at=BASE.add(days=5), policy=most_reliable_wins)
    assert why.policy == "most_reliable_wins"
    assert {s: g.value for s, g in why.grades.items()} == {"s0": "A", "s1": "D"}
    assert [c.id for c in why.supporting] == ["denied"]
    text = str(why)
    assert "most_reliable_wins" in text
    assert "reliability A" in text


# --- bad input ------------------------------------------------------------------------


def test_a_policy_that_raises_or_returns_nonsense_gets_a_typed_error_naming_it_and_the_place():
    ledger = rebuild([claim("x", Captured(place="p0", actor="a0"), start=BASE)])

    def explodes(claims):
        raise ZeroDivisionError

    with pytest.raises(PolicyError) as caught:
        snapshot(ledger, at=BASE.add(days=2), policy=explodes)
    assert (caught.value.policy, caught.value.place) == (explodes.__qualname__, "p0")
    with pytest.raises(PolicyError, match="returned str"):
        snapshot(ledger, at=BASE.add(days=2), policy=lambda claims: "held")
    wrong = lambda c: contest_disagreement(attrs.evolve(c, place="p9"))  # noqa: E731
    with pytest.raises(PolicyError, match="p9"):
        snapshot(ledger, at=BASE.add(days=2), policy=wrong)


def test_a_grade_outside_the_code_and_a_correction_of_nothing_are_refused_leaving_the_ledger():
    with pytest.raises(InvalidClaimError, match="A to F"):
        SourceGraded(source="s0", reliability="G")
    ledger = rebuild([claim("x", Captured(place="p0", actor="a0"), start=BASE)])
    before = ledger.records()
    with pytest.raises(UnknownClaimError):
        ledger.append(claim("fix", Captured(place="p0", actor="a1"), start=BASE, supersedes="nope"))
    with pytest.raises(InvalidClaimError):
        corroboration_required(0)
    assert ledger.records() == before


def test_a_copy_last_among_claims_about_one_instant_does_not_decide_the_holder():
    # Found by CI's random draw: captures and losses of one place at one instant, the last
    # by id a loss; a copy of a capture (the same origin) sorts after it and decided the
    # fold under corroboration_required(2). A copy adds no word: the holder is as without.
    at = "2024-11-27T00:00Z"
    claims = [
        Claim(
            id=f"c{i}",
            event=Captured(place="p0", actor="a0")
            if kind == "C"
            else ControlLost(place="p0", actor="a0"),
            valid=ValidTime.exact(at),
            reported_at=at,
            source=SourceChain.of("s1" if i == 10 else "s0"),
        )
        for i, kind in enumerate("CCCLCCLLCLC")
    ]
    copy_ = attrs.evolve(claims[0], id="copy", source=SourceChain.of("s0", "s2", "s1"))
    two = corroboration_required(2)
    with_copy = snapshot(rebuild([*claims, copy_]), at=at, policy=two)["p0"]
    without = snapshot(rebuild(claims), at=at, policy=two)["p0"]
    assert with_copy == without
