"""The as-of engine against a naive oracle, and the laws it must keep."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import (
    Captured,
    Claim,
    CrossingClosed,
    CrossingOpened,
    Ledger,
    Modality,
    PlaceFold,
    Retraction,
    SourceChain,
    Status,
    ValidTime,
    diff,
    effective_claims,
    explain,
    order_key,
    snapshot,
    timeline,
)
from conflict_ledger.rules.territory import place_of, territory, view
from conflict_ledger.testing import BASE, instants, ledgers

from .support import rebuild, shuffled, target


def bounded_end(claim: Claim):
    """A report bounds an asserted or denied event: it happened by then."""
    if claim.modality in (Modality.ASSERTED, Modality.DENIED):
        return max(claim.valid.start, min(claim.valid.end, claim.reported_at))
    return claim.valid.end


def oracle(ledger: Ledger, *, at, known_at=None, position=None):
    """The rule, written as plainly as possible: one fold over all claims with a dict."""
    visible = [
        r.claim
        for r in ledger.records()
        if (position is None or r.position < position)
        and (known_at is None or r.claim.reported_at <= known_at)
    ]
    undone = {c.event.target for c in visible if isinstance(c.event, Retraction)}
    undone |= {c.supersedes for c in visible if c.supersedes is not None}
    counted = [
        c
        for c in visible
        if c.id not in undone and not isinstance(c.event, Retraction) and c.valid.start <= at
    ]
    counted.sort(key=lambda c: (c.valid.start, bounded_end(c), c.reported_at, c.id))
    states: dict[str, PlaceFold] = {}
    for claim in counted:
        place = place_of(claim)
        if place is not None:
            states[place] = territory(states.get(place, PlaceFold(place=place)), claim)
    return {place: view(state, at=at) for place, state in states.items()}


maybe_instants = st.none() | instants(max_value=24 * 80)


@given(ledgers(), instants(max_value=24 * 20), maybe_instants)
def test_snapshot_equals_the_naive_oracle(ledger, at, known_at):
    assert dict(snapshot(ledger, at=at, known_at=known_at).places) == oracle(
        ledger, at=at, known_at=known_at
    )


@given(ledgers(), instants(max_value=24 * 20), maybe_instants, st.data())
def test_a_ledger_position_cuts_exactly_like_a_shorter_ledger(ledger, at, known_at, data):
    position = data.draw(st.integers(min_value=0, max_value=len(ledger)))
    prefix = rebuild([r.claim for r in ledger.records()[:position]])
    assert snapshot(ledger, at=at, known_at=known_at, position=position) == attrs.evolve(
        snapshot(prefix, at=at, known_at=known_at), position=position
    )


@given(ledgers(), instants(max_value=24 * 20), instants(max_value=24 * 80))
def test_claims_reported_after_known_at_never_change_the_answer(ledger, at, known_at):
    early = [r.claim for r in ledger.records() if r.claim.reported_at <= known_at]
    assert snapshot(ledger, at=at, known_at=known_at) == snapshot(
        rebuild(early), at=at, known_at=known_at
    )


@given(ledgers(), instants(max_value=24 * 20), maybe_instants, st.randoms(use_true_random=False))
def test_arrival_order_never_changes_the_answer(ledger, at, known_at, rng):
    claims = [r.claim for r in ledger.records()]
    assert snapshot(rebuild(shuffled(claims, rng)), at=at, known_at=known_at) == snapshot(
        ledger, at=at, known_at=known_at
    )


@given(ledgers(places=3), instants(max_value=24 * 20), maybe_instants)
def test_each_place_folds_on_its_own(ledger, at, known_at):
    whole = snapshot(ledger, at=at, known_at=known_at)
    for place in ("p0", "p1", "p2"):
        own = _claims_bearing_on(place, [r.claim for r in ledger.records()])
        alone = snapshot(rebuild(own), at=at, known_at=known_at)
        assert alone.places.get(place) == whole.places.get(place)


@given(
    ledgers(retracted_share=0, corrected_share=0, min_size=1),
    st.data(),
    instants(max_value=24 * 20),
    instants(max_value=24 * 80),
)
def test_a_retraction_removes_exactly_its_claim_from_its_report_time_on(ledger, data, at, known_at):
    claims = [r.claim for r in ledger.records()]
    target = data.draw(st.sampled_from(claims))
    delay = data.draw(st.integers(min_value=0, max_value=24 * 30))
    retraction = Claim(
        id="retraction",
        event=Retraction(target=target.id),
        valid=ValidTime.exact(target.reported_at.add(hours=delay)),
        reported_at=target.reported_at.add(hours=delay),
        source=target.source,
    )
    with_retraction = rebuild([*claims, retraction])
    without_target = rebuild([c for c in claims if c.id != target.id])
    expected = ledger if known_at < retraction.reported_at else without_target
    assert snapshot(with_retraction, at=at, known_at=known_at) == snapshot(
        expected, at=at, known_at=known_at
    )


@given(ledgers(), instants(max_value=24 * 20), maybe_instants)
def test_snapshots_are_repeatable_and_leave_the_ledger_as_it_was(ledger, at, known_at):
    before = ledger.records()
    first = snapshot(ledger, at=at, known_at=known_at)
    assert snapshot(ledger, at=at, known_at=known_at) == first
    assert ledger.records() == before


@given(ledgers(max_size=12), maybe_instants)
def test_a_timeline_agrees_with_snapshots_at_each_of_its_entries(ledger, known_at):
    for place in ("p0", "p1"):
        line = timeline(ledger, place, known_at=known_at)
        for entry in line:
            state = snapshot(ledger, at=entry.start, known_at=known_at)[place]
            assert state.situation() == entry.state.situation()
        situations = [entry.state.situation() for entry in line]
        assert all(a != b for a, b in itertools.pairwise(situations))


@given(ledgers(max_size=12), instants(max_value=24 * 20), instants(max_value=24 * 20))
def test_diff_lists_exactly_the_places_whose_situation_differs(ledger, first, second):
    a, b = snapshot(ledger, at=first), snapshot(ledger, at=second)
    changed = {c.place for c in diff(a, b)}
    for place in set(a.places) | set(b.places):
        old, new = a.places.get(place), b.places.get(place)
        same = old is not None and new is not None and old.situation() == new.situation()
        assert (place in changed) is not same


@given(ledgers(max_size=12), instants(max_value=24 * 20), maybe_instants)
def test_explain_accounts_for_every_claim_about_the_place(ledger, at, known_at):
    why = explain(ledger, "p0", at=at, known_at=known_at)
    shown = [c.id for c in (*why.supporting, *why.disputing, *why.context)]
    shown += [e.claim.id for e in why.excluded]
    about = [r.claim.id for r in ledger.records() if "p0" in r.claim.event.place_ids()]
    assert sorted(shown) == sorted(about)
    assert why.state == snapshot(ledger, at=at, known_at=known_at).places.get("p0", why.state)


def test_results_are_byte_identical_under_different_hash_seeds(tmp_path: Path):
    script = (
        "import json, conflict_ledger as cl\n"
        "from conflict_ledger.cli.commands import _jsonable\n"
        "ledger = cl.load_seed()\n"
        "out = [_jsonable(tuple(cl.snapshot(ledger, at=t))) for t in "
        "('2024-12-06T12:00Z', '2024-12-07T00:00Z')]\n"
        "out.append(_jsonable(cl.timeline(ledger, 'deir-ez-zor')))\n"
        "print(json.dumps(out, sort_keys=False))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop())  # and it said something


def test_ties_in_valid_time_fold_in_claim_id_order():
    window = ValidTime.exact(BASE)
    common = {"valid": window, "reported_at": BASE, "source": SourceChain.of("s0")}
    opened = Claim(id="b", event=CrossingOpened(place="p0", by="a0"), **common)
    closed = Claim(id="a", event=CrossingClosed(place="p0", by="a0"), **common)
    assert [c.id for c in sorted([opened, closed], key=order_key)] == ["a", "b"]
    for arrival in ([opened, closed], [closed, opened]):
        assert snapshot(rebuild(arrival), at=BASE)["p0"].access.value == "open"


def test_overlapping_windows_that_disagree_are_contested_until_a_later_claim_settles_them():
    day = ValidTime(start=BASE, end=BASE.add(days=1), precision="day")
    first = Claim(
        id="x",
        event=Captured(place="p0", actor="a0"),
        valid=day,
        reported_at=BASE.add(days=1),
        source=SourceChain.of("s0"),
    )
    second = attrs.evolve(
        first, id="y", event=Captured(place="p0", actor="a1"), source=SourceChain.of("s1")
    )
    later = attrs.evolve(
        first, id="z", valid=ValidTime.exact(BASE.add(days=3)), reported_at=BASE.add(days=3)
    )
    ledger = rebuild([first, second, later])
    contested = snapshot(ledger, at=BASE.add(days=2))["p0"]
    assert (contested.status, contested.contenders) == (Status.CONTESTED, ("a0", "a1"))
    settled = snapshot(ledger, at=BASE.add(days=4))["p0"]
    assert (settled.status, settled.holder) == (Status.HELD, "a0")


def test_a_window_that_straddles_the_asked_time_is_never_certain():
    day = ValidTime(start=BASE, end=BASE.add(days=1), precision="day")
    took = Claim(
        id="x",
        event=Captured(place="p0", actor="a0"),
        valid=day,
        reported_at=BASE.add(days=1),
        source=SourceChain.of("s0"),
    )
    ledger = rebuild([took])
    assert snapshot(ledger, at=BASE.add(hours=12))["p0"].status is Status.CHANGING
    assert snapshot(ledger, at=BASE.add(days=1))["p0"].status is Status.HELD
    assert "p0" not in snapshot(ledger, at=BASE.subtract(hours=1))


def test_effective_claims_are_in_fold_order_and_leave_out_what_was_undone():
    base = Claim(
        id="x",
        event=Captured(place="p0", actor="a0"),
        valid=ValidTime.exact(BASE),
        reported_at=BASE,
        source=SourceChain.of("s0"),
    )
    fix = attrs.evolve(
        base,
        id="y",
        event=Captured(place="p0", actor="a1"),
        reported_at=BASE.add(hours=5),
        supersedes="x",
    )
    ledger = rebuild([base, fix])
    assert [c.id for c in effective_claims(ledger)] == ["y"]
    assert [c.id for c in effective_claims(ledger, known_at=BASE.add(hours=1))] == ["x"]
    before, after = (
        snapshot(ledger, at=BASE, known_at=BASE),
        snapshot(ledger, at=BASE, known_at=BASE.add(hours=5)),
    )
    change = diff(before, after).changes
    assert [(c.place, c.before.holder, c.after.holder) for c in change] == [("p0", "a0", "a1")]


@pytest.mark.parametrize("bad", [-1, -10])
def test_a_negative_position_is_refused(bad):
    with pytest.raises(ValueError, match="position"):
        snapshot(rebuild([]), at=BASE, position=bad)


def _claims_bearing_on(place: str, claims: list[Claim]) -> list[Claim]:
    """The claims about ``place``, with whatever they undo and whatever undoes them."""
    keep = {c.id for c in claims if place_of(c) == place}
    by_id = {c.id: c for c in claims}
    while True:
        more = {target(by_id[i]) for i in keep} - {None} - keep
        more |= {c.id for c in claims if target(c) in keep} - keep
        if not more:
            break
        keep |= more  # type: ignore[arg-type]
    return [c for c in claims if c.id in keep]


def test_the_oracle_itself_matches_a_hand_worked_case():
    took = Claim(
        id="x",
        event=Captured(place="p0", actor="a0"),
        valid=ValidTime.exact(BASE),
        reported_at=BASE.add(hours=1),
        source=SourceChain.of("s0"),
    )
    ledger = rebuild([took])
    assert oracle(ledger, at=BASE)["p0"].holder == "a0"
    assert oracle(ledger, at=BASE, known_at=BASE) == {}
