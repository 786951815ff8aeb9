"""The as-of index and the fast fold against the reference: conflict_ledger.reference and the pure territory reducer."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from conflict_ledger.asof import order_key
from conflict_ledger.claims import Claim, Modality, SourceChain
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.errors import InvalidClaimError, UnknownPlaceError
from conflict_ledger.events import Captured, Retraction
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.reference import (
    effective_claims,
    fold_as_of,
    place_claims,
    snapshot,
    timeline,
)
from conflict_ledger.rules.policies import (
    contest_disagreement,
    corroboration_required,
    credible_only,
    latest_report_wins,
    most_reliable_wins,
)
from conflict_ledger.rules.territory import TERRITORY, PlaceFold, place_of, territory, view
from conflict_ledger.seed import load_seed
from conflict_ledger.testing.strategies import BASE, instants, ledgers
from conflict_ledger.time import ValidTime

# Late reports (weeks after the event), retractions and corrections, all more often than
# the defaults, so that almost every drawn ledger has them.
busy_ledgers = ledgers(
    max_size=20, late_share=0.3, retracted_share=0.15, corrected_share=0.15, places=3
)
times = instants(min_value=0, max_value=24 * 80)
known_times = st.none() | times
checkpoints = st.sampled_from([1, 2, 3, 8])


class _AllLate(AsOfIndex):
    """Every claim counts as known late: found through LateKnowledge, never by scanning."""

    _prompt = 0


class _AskEveryPlace(AsOfIndex):
    """Never scans claims for what was known differently: asks every place instead."""

    _scan_limit = 0


class _MergeEveryBatch(AsOfIndex):
    """Merges every batch of new claims by sorting (as large batches are), and brings the
    columns' ``after`` codes up to date place by place unless a merge re-sorted them."""

    _bulk = 1
    _recode_share = 0


class _RecodePlaceByPlace(AsOfIndex):
    """Always brings the columns' ``after`` codes up to date place by place."""

    _recode_share = 0


# (index class, column interval): the holder columns checkpointed every 1 to 3 claims
# (patched by late claims), or never within these small ledgers (None: the default).
kinds = st.tuples(
    st.sampled_from([AsOfIndex, _AllLate, _AskEveryPlace, _MergeEveryBatch, _RecodePlaceByPlace]),
    st.sampled_from([None, 1, 2, 3]),
)


def make(ledger: Ledger, kind: tuple[type[AsOfIndex], int | None], every: int = 8) -> AsOfIndex:
    cls, column_every = kind
    return cls(ledger, checkpoint_every=every, column_every=column_every)


def places_of(ledger: Ledger) -> list[str]:
    return sorted({p for c in ledger.claims() if (p := place_of(c)) is not None} | {"p0"})


@given(busy_ledgers, known_times)
def test_fast_fold_equals_the_pure_reducer_after_every_claim(ledger, known_at):
    claims = effective_claims(ledger, known_at=known_at)
    for place in places_of(ledger):
        ordered = [c for c in claims if place_of(c) == place]
        reference = PlaceFold(place=place)
        frozen = ff.EMPTY
        for claim in ordered:
            reference = territory(reference, claim)
            frozen = ff.fold(frozen, [ff.compile_claim(claim)])
            assert ff.to_place_fold(place, frozen) == reference
        # and in one go
        whole = ff.fold(ff.EMPTY, [ff.compile_claim(c) for c in ordered])
        assert ff.to_place_fold(place, whole) == reference


@given(busy_ledgers, times)
def test_fast_view_equals_the_reference_view(ledger, at):
    ordered = sorted((c for c in ledger.claims() if place_of(c) == "p0"), key=order_key)
    frozen = ff.fold(ff.EMPTY, [ff.compile_claim(c) for c in ordered])
    assert ff.view("p0", frozen, ff.micros(at)) == view(ff.to_place_fold("p0", frozen), at=at)


@pytest.mark.parametrize("modality", list(Modality))
def test_the_generated_ledgers_hold_every_modality(modality):
    # Denied, forecast and planned claims must really be drawn, else the equalities of the
    # fast fold with the reducer above say little about them.
    found = find(
        busy_ledgers,
        lambda ledger: any(c.modality is modality for c in ledger.claims()),
        settings=settings(phases=[Phase.generate], database=None, max_examples=1000),
    )
    assert any(c.modality is modality for c in found.claims())


@given(busy_ledgers, times, known_times, checkpoints, kinds)
def test_snapshot_equals_the_oracle(ledger, at, known_at, every, kind):
    index = make(ledger, kind, every)
    expected = snapshot(ledger, at=at, known_at=known_at)
    got = index.snapshot(at=at, known_at=known_at)
    assert len(got) == len(expected)
    assert sorted(got.places) == sorted(expected.places)
    assert all((place in got) for place in expected.places)
    assert got == expected
    assert dict(got.places) == dict(expected.places)


POLICIES = [
    latest_report_wins,
    most_reliable_wins,
    corroboration_required(2),
    credible_only(contest_disagreement),
]


@given(busy_ledgers, times, known_times, st.sampled_from(POLICIES))
def test_snapshot_with_a_policy_equals_the_oracle(ledger, at, known_at, policy):
    index = AsOfIndex(ledger)
    assert index.snapshot(at=at, known_at=known_at, policy=policy) == snapshot(
        ledger, at=at, known_at=known_at, policy=policy
    )
    for place in places_of(ledger):
        assert index.place_claims(place, at=at, known_at=known_at) == place_claims(
            ledger, place, at=at, known_at=known_at
        )


@given(
    ledgers(
        min_size=30, max_size=60, places=1, late_share=0.3, retracted_share=0.1, corrected_share=0.1
    ),
    times,
    times,
    st.sampled_from([1, 2, 4]),
)
def test_one_long_history_as_known_at_any_time_equals_the_oracle(ledger, at, known_at, every):
    # Long histories of one place: the fold as known then must part from the fold known
    # now at a late claim and join it again later; both joins must be exact.
    index = AsOfIndex(ledger, checkpoint_every=every)
    assert index.snapshot(at=at, known_at=known_at) == snapshot(ledger, at=at, known_at=known_at)


@given(busy_ledgers, times, known_times, checkpoints, kinds)
def test_holders_are_the_snapshots_holders(ledger, at, known_at, every, kind):
    index = make(ledger, kind, every)
    expected = {s.place: s.holder for s in snapshot(ledger, at=at, known_at=known_at)}
    holders = index.holders(at=at, known_at=known_at)
    assert dict(holders) == expected
    assert list(holders) == sorted(expected)
    assert len(holders) == len(expected)
    assert all(place in holders for place in expected)
    assert "nowhere" not in holders


@given(busy_ledgers, st.data(), st.lists(times, max_size=6), known_times, kinds)
def test_a_series_of_holders_equals_holders_one_by_one(ledger, data, ats, known_at, kind):
    # Append more claims in between, so that the index of valid starts grows too.
    records = ledger.records()
    growing = Ledger(registries=ledger.registries, clock=fixed_clock(BASE))
    index = make(growing, kind, 2)
    cut = data.draw(st.integers(min_value=0, max_value=len(records)), label="cut")
    growing.extend(r.claim for r in records[:cut])
    index.holders(at=BASE)
    growing.extend(r.claim for r in records[cut:])
    series = index.holders_series(ats, known_at=known_at)
    assert [dict(h) for h in series] == [
        {s.place: s.holder for s in snapshot(ledger, at=at, known_at=known_at)} for at in ats
    ]


@given(busy_ledgers, times, known_times, checkpoints)
def test_place_state_and_fold_equal_the_oracle(ledger, at, known_at, every):
    index = AsOfIndex(ledger, checkpoint_every=every)
    folds = fold_as_of(ledger, TERRITORY, at=at, known_at=known_at)
    for place in places_of(ledger):
        expected = folds.get(place, PlaceFold(place=place))
        assert index.place_fold(place, at=at, known_at=known_at) == expected
        assert index.place_state(place, at=at, known_at=known_at) == view(expected, at=at)


@given(busy_ledgers, known_times, checkpoints)
def test_timeline_equals_the_oracle(ledger, known_at, every):
    index = AsOfIndex(ledger, checkpoint_every=every)
    for place in places_of(ledger):
        assert index.timeline(place, known_at=known_at) == timeline(
            ledger, place, known_at=known_at
        )


@given(busy_ledgers, st.none() | times, known_times)
def test_claims_of_a_place_are_its_effective_claims(ledger, at, known_at):
    index = AsOfIndex(ledger)
    effective = effective_claims(ledger, known_at=known_at)
    for place in places_of(ledger):
        expected = tuple(
            c for c in effective if place_of(c) == place and (at is None or c.valid.start <= at)
        )
        assert index.claims(place, at=at, known_at=known_at) == expected


@given(busy_ledgers, st.lists(times, max_size=6), known_times, kinds)
def test_a_series_equals_snapshots_taken_one_by_one(ledger, ats, known_at, kind):
    index = make(ledger, kind, 2)
    series = index.series(ats, known_at=known_at)
    assert series == tuple(snapshot(ledger, at=at, known_at=known_at) for at in ats)


@given(busy_ledgers, st.data(), checkpoints, kinds)
def test_claims_appended_after_the_index_was_built_land_where_they_belong(
    ledger, data, every, kind
):
    # Replay the drawn ledger into a fresh one in slices, querying the index between
    # appends: late, back-dated claims, retractions and corrections arrive after the
    # index has folded (and cached) everything before them.
    records = ledger.records()
    growing = Ledger(registries=ledger.registries, clock=fixed_clock(BASE))
    index = make(growing, kind, every)
    done = 0
    while done < len(records):
        step = data.draw(st.integers(min_value=1, max_value=4), label="step")
        growing.extend(r.claim for r in records[done : done + step])
        done += step
        at = data.draw(times, label="at")
        known_at = data.draw(known_times, label="known_at")
        # Ask a question first so that caches exist before the next append.
        expected = snapshot(growing, at=at, known_at=known_at)
        assert index.snapshot(at=at, known_at=known_at) == expected
        assert dict(index.holders(at=at, known_at=known_at)) == {
            s.place: s.holder for s in expected
        }
    assert len(index) == len(ledger)


@given(busy_ledgers, st.data(), kinds)
def test_an_answer_never_changes_when_claims_arrive_after_it(ledger, data, kind):
    # Snapshots, series and holders handed out before later appends (late, back-dated
    # claims, retractions, corrections) keep answering for the ledger they were asked
    # of, whether or not their states were read before the appends.
    records = ledger.records()
    growing = Ledger(registries=ledger.registries, clock=fixed_clock(BASE))
    index = make(growing, kind, 2)
    kept = []
    done = 0
    while done < len(records):
        step = data.draw(st.integers(min_value=1, max_value=5), label="step")
        growing.extend(r.claim for r in records[done : done + step])
        done += step
        at = data.draw(times, label="at")
        known_at = data.draw(known_times, label="known_at")
        frozen = Ledger(registries=ledger.registries, clock=fixed_clock(BASE))
        frozen.extend(r.claim for r in records[:done])
        answer = index.snapshot(at=at, known_at=known_at)
        if data.draw(st.booleans(), label="read one state now"):
            for state in list(answer.places.values())[:1]:
                assert state == snapshot(frozen, at=at, known_at=known_at)[state.place]
        (in_series,) = index.series([at], known_at=known_at)
        kept.append(
            (frozen, at, known_at, answer, in_series, index.holders(at=at, known_at=known_at))
        )
    for frozen, at, known_at, answer, in_series, holders in kept:
        expected = snapshot(frozen, at=at, known_at=known_at)
        assert answer == expected
        assert in_series == expected
        assert dict(holders) == {s.place: s.holder for s in expected}


@given(busy_ledgers, times, times)
def test_repeated_questions_give_the_same_answer(ledger, at, other):
    # The per-place memo must not leak an answer from one instant to another.
    index = AsOfIndex(ledger, checkpoint_every=1)
    first = index.snapshot(at=at)
    index.snapshot(at=other)
    assert index.snapshot(at=at) == first == snapshot(ledger, at=at)


def test_a_claim_reported_months_late_changes_the_past_only_as_known_after_it():
    ledger = load_seed()
    index = AsOfIndex(ledger)
    before = index.snapshot(at="2024-12-07T00:00Z")
    ledger.append(
        Claim(
            id="late/1",
            event=Captured(place="deir-ez-zor", actor="syrian-government"),
            valid=ValidTime.exact("2024-12-06T23:00Z"),
            reported_at="2025-03-01T00:00Z",
            source=SourceChain.of("reuters"),
        )
    )
    after = index.snapshot(at="2024-12-07T00:00Z")
    assert after == snapshot(ledger, at="2024-12-07T00:00Z")
    assert after["deir-ez-zor"].holder == "syrian-government"
    known_before = index.snapshot(at="2024-12-07T00:00Z", known_at="2025-02-01T00:00Z")
    assert tuple(known_before) == tuple(before)


@pytest.mark.parametrize("undo", ["retraction", "correction"])
def test_a_claim_undone_within_days_still_counts_as_known_before_it_was_undone(undo):
    # Undone a day after it began: not among the claims known late, so only the scan of
    # claims begun shortly before ``known_at`` finds that it counted then.
    ledger = load_seed()
    took = Claim(
        id="prompt/1",
        event=Captured(place="deir-ez-zor", actor="syrian-government"),
        valid=ValidTime.exact("2024-12-08T00:00Z"),
        reported_at="2024-12-08T01:00Z",
        source=SourceChain.of("reuters"),
    )
    if undo == "retraction":
        undone = Claim(
            id="prompt/2",
            event=Retraction(target="prompt/1"),
            valid=ValidTime.exact("2024-12-09T00:00Z"),
            reported_at="2024-12-09T00:00Z",
            source=SourceChain.of("reuters"),
        )
    else:
        undone = attrs.evolve(
            took,
            id="prompt/2",
            event=Captured(place="deir-ez-zor", actor="sdf"),
            reported_at="2024-12-09T00:00Z",
            supersedes="prompt/1",
        )
    ledger.extend([took, undone])
    index = AsOfIndex(ledger)
    at, known_at = "2024-12-10T00:00Z", "2024-12-08T12:00Z"
    expected = snapshot(ledger, at=at, known_at=known_at)
    assert expected["deir-ez-zor"].holder == "syrian-government"
    assert index.snapshot(at=at, known_at=known_at) == expected
    assert index.holders(at=at, known_at=known_at)["deir-ez-zor"] == "syrian-government"
    assert index.holders(at=at)["deir-ez-zor"] == "sdf"


def test_a_place_no_claim_names_is_unknown_and_an_unknown_name_is_refused():
    index = AsOfIndex(load_seed())
    state = index.place_state("Damascus", at=pendulum.datetime(2024, 12, 7, tz="UTC"))
    assert (state.place, state.status.value, state.holder) == ("damascus", "unknown", None)
    assert index.claims("damascus") == ()
    with pytest.raises(UnknownPlaceError, match="nowhere"):
        index.place_state("nowhere", at=pendulum.datetime(2024, 12, 7, tz="UTC"))


def test_a_checkpoint_interval_below_one_is_refused():
    with pytest.raises(InvalidClaimError, match="checkpoint_every"):
        AsOfIndex(load_seed(), checkpoint_every=0)
    with pytest.raises(InvalidClaimError, match="column_every=-1"):
        AsOfIndex(load_seed(), column_every=-1)


def test_staleness_agrees_with_the_reference_to_the_microsecond():
    from conflict_ledger import load_seed, snapshot

    ledger = load_seed()
    at = "2024-12-07T00:00:00.123457+00:00"
    assert AsOfIndex(ledger).snapshot(at=at) == snapshot(ledger, at=at)
    assert snapshot(ledger, at=at)["deir-ez-zor"].unconfirmed_for.microseconds == 123457


capture_plan = st.lists(
    st.tuples(st.integers(0, 200), st.sampled_from(["p0", "p1"]), st.sampled_from(["a0", "a1"])),
    max_size=30,
    unique_by=lambda planned: planned[0],
)


@given(capture_plan, capture_plan, checkpoints, kinds)
def test_late_captures_appended_one_by_one_patch_the_holders_the_oracle_gives(
    first, late, every, kind
):
    # Captures reset a place's fold, so the index refolds a late one only until its fold
    # meets the old one again, and patches the holder columns only up to there.
    from conflict_ledger.testing.strategies import registries

    def capture(name: str, hour: int, place: str, actor: str, reported: int) -> Claim:
        return Claim(
            id=name,
            event=Captured(place=place, actor=actor),
            valid=ValidTime.exact(BASE.add(hours=hour)),
            reported_at=BASE.add(hours=reported),
            source=SourceChain.of("s0"),
        )

    ledger = Ledger(registries=registries(places=2), clock=fixed_clock(BASE))
    ledger.extend(capture(f"c{h}", h, p, a, h + 1) for h, p, a in sorted(first))
    index = make(ledger, kind, every)
    hours = sorted({h for h, _, _ in first} | {h for h, _, _ in late})
    for n, (hour, place, actor) in enumerate(late):
        index.holders(at=BASE.add(hours=hour))  # columns and folds settled before it
        ledger.append(capture(f"late{hour}", hour, place, actor, 300 + n))
        for h in hours:
            at = BASE.add(hours=h)
            assert dict(index.holders(at=at)) == {
                s.place: s.holder for s in snapshot(ledger, at=at)
            }
