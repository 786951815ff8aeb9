"""The kit's strategies draw valid values, obey their bounds and shares, and shrink small."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from conflict_ledger import (
    Claim,
    CrossingClosed,
    CrossingOpened,
    Event,
    Ledger,
    Modality,
    Retraction,
    Source,
    SourceChain,
    Span,
    ValidTime,
)
from conflict_ledger.codec import decode_claim, encode_claim
from conflict_ledger.testing import (
    BASE,
    claims,
    events,
    instants,
    ledgers,
    registries,
    sources,
    spans,
    valid_times,
)

QUICK = settings(max_examples=40, deadline=None, database=None)


@attrs.frozen(kw_only=True)
class Curfew(Event):
    kind = "curfew"
    place_fields = ("place",)
    actor_fields = ("imposed_by",)
    place: str
    imposed_by: str
    hours: int


@QUICK
@given(ledgers())
def test_every_drawn_claim_passes_the_validators_again_and_round_trips(ledger):
    fresh = Ledger(registries=ledger.registries)
    fresh.extend(ledger.claims())  # re-checked from scratch: no draw is invalid
    assert fresh.claims() == ledger.claims()
    assert [decode_claim(encode_claim(c)) for c in ledger.claims()] == list(ledger.claims())


@QUICK
@given(st.data())
def test_the_registered_types_draw_through_from_type(data):
    for kind in (Claim, Ledger, ValidTime, Span, Source, SourceChain, Event):
        assert isinstance(data.draw(st.from_type(kind)), kind)


@QUICK
@given(instants(min_value=5, max_value=30), valid_times(min_value=10, max_value=20))
def test_times_stay_within_their_bounds_on_whole_hours(instant, window):
    assert BASE.add(hours=5) <= instant <= BASE.add(hours=30)
    assert BASE.add(hours=10) <= window.start <= BASE.add(hours=20)
    assert instant.minute == window.start.minute == window.end.minute == 0


@QUICK
@given(spans(min_value=7, max_value=40))
def test_spans_stay_within_their_bounds(span):
    assert 7 <= span.start < span.end <= 40


@QUICK
@given(sources())
def test_sources_draws_one_source_at_a_time(source):
    assert isinstance(source, Source)
    assert source.id == source.id.lower()


@QUICK
@given(events(places=["p9"], actors=["a7"], types=[Curfew, CrossingOpened]))
def test_events_draw_your_own_event_types_naming_the_ids_given(event):
    assert event.place_ids() == ("p9",)
    assert event.actor_ids() == ("a7",)


@QUICK
@given(ledgers(min_size=2, max_size=6, places=1, actors=1, sources=2, min_value=30, max_value=40))
def test_ledgers_name_only_the_registered_places_and_keep_the_time_range(ledger):
    assert 2 <= len([c for c in ledger.claims() if c.id.count("-") == 0]) <= 6
    for claim in ledger.claims():
        if not isinstance(claim.event, Retraction) and claim.supersedes is None:
            assert BASE.add(hours=30) <= claim.valid.start <= BASE.add(hours=40)
        assert set(claim.event.place_ids()) <= {"p0"}


@QUICK
@given(
    ledgers(
        min_size=1,
        max_size=5,
        late_share=1,
        forecast_share=1,
        contested_share=1,
        retracted_share=1,
        max_delay=10,
    )
)
def test_shares_of_one_give_every_drawn_claim_its_complication(ledger):
    drawn = [c for c in ledger.claims() if "-" not in c.id]
    ids = {c.id for c in ledger.claims()}
    for claim in drawn:
        assert claim.modality in (Modality.FORECAST, Modality.PLANNED)
        assert claim.reported_at >= claim.valid.start.add(days=14).subtract(hours=48)
        assert f"{claim.id}-rival" in ids
        assert f"{claim.id}-retraction" in ids


@QUICK
@given(
    ledgers(
        late_share=0,
        forecast_share=0,
        contested_share=0,
        retracted_share=0,
        corrected_share=0,
        max_delay=5,
    )
)
def test_shares_of_nought_give_plain_asserted_timely_claims(ledger):
    for claim in ledger.claims():
        assert "-" not in claim.id
        assert claim.modality is Modality.ASSERTED
        assert claim.valid.start <= claim.reported_at <= claim.valid.start.add(hours=5)


@QUICK
@given(ledgers(contested_share=1, min_size=1, max_size=4))
def test_a_rival_disagrees_from_another_source_over_the_same_window(ledger):
    for claim in ledger.claims():
        if claim.id.endswith("-rival"):
            target = ledger.claim(claim.id.removesuffix("-rival"))
            assert claim.valid == target.valid
            assert claim.source.origin != target.source.origin
            assert claim.modality is Modality.DENIED or claim.event != target.event


@pytest.mark.parametrize(
    ("condition", "follower"),
    [
        (lambda ledger: len([r for r in ledger if "-" not in r.claim.id]) >= 2, None),
        (lambda ledger: any(r.claim.supersedes for r in ledger), "-correction"),
        (lambda ledger: any(isinstance(r.claim.event, Retraction) for r in ledger), "-retraction"),
    ],
    ids=["two-claims", "a-correction", "a-retraction"],
)
def test_ledgers_shrink_to_few_plain_claims(condition, follower):
    ledger = find(
        ledgers(max_size=8, retracted_share=0.3, corrected_share=0.5),
        condition,
        settings=settings(database=None, derandomize=True),
    )
    ids = [record.claim.id for record in ledger]
    assert len(ids) <= 6  # a few plain claims may stay in front of the one that matters
    if follower is None:
        assert ids == ["c0", "c1"]
    else:
        assert ids[-1].endswith(follower)
    for claim in ledger.claims():
        if "-" not in claim.id:  # the drawn claims, not the follower
            assert claim.modality is Modality.ASSERTED
            assert claim.valid.start == claim.reported_at == BASE
            assert claim.source.source_ids() == ("s0",)
            assert claim.evidence is None


def test_registries_names_places_actors_and_sources_by_number():
    regs = registries(places=2, actors=1, sources=3)
    assert sorted(regs.places.ids()) == ["p0", "p1"]
    assert sorted(regs.actors.ids()) == ["a0"]
    assert sorted(regs.sources.ids()) == ["s0", "s1", "s2"]


@QUICK
@given(ledgers(types=[CrossingClosed, CrossingOpened], max_size=6))
def test_ledgers_of_chosen_types_hold_only_those_and_their_retractions(ledger):
    kinds = {claim.event.kind for claim in ledger.claims()}
    assert kinds <= {"crossing_closed", "crossing_opened", "captured", "retraction"}


@QUICK
@given(claims(modalities=[Modality.DENIED], max_delay=0))
def test_claims_of_one_modality_reported_at_once(claim):
    assert claim.modality is Modality.DENIED
    assert claim.reported_at == claim.valid.start
