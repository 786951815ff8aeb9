"""The one door (``cl.snapshot``) against the reference fold, the oracle it is held to."""

from __future__ import annotations

import gc
import weakref

from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger import queries, reference
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.events import DatasetEvent
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.rules.policies import latest_report_wins
from conflict_ledger.seed import load_seed
from conflict_ledger.testing.strategies import BASE, BUILTIN_EVENT_TYPES, instants, ledgers

busy_ledgers = ledgers(
    max_size=20, late_share=0.3, retracted_share=0.15, corrected_share=0.15, places=3
)
times = instants(min_value=0, max_value=24 * 80)
known_times = st.none() | times


@given(busy_ledgers, times, known_times)
def test_the_door_answers_what_the_reference_fold_answers(ledger, at, known_at):
    door = cl.snapshot(ledger, at=at, known_at=known_at)
    oracle = reference.snapshot(ledger, at=at, known_at=known_at)
    assert door == oracle
    assert repr(door) == repr(oracle)
    assert door.to_text() == oracle.to_text()


@given(busy_ledgers, st.data())
def test_answers_handed_out_by_the_door_never_change_after_appends(ledger, data):
    # The door keeps one index per ledger and reads only what was appended since; a
    # snapshot it handed out still answers for the ledger as it was when asked.
    records = ledger.records()
    growing = Ledger(registries=ledger.registries, clock=fixed_clock(BASE))
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
        kept.append((frozen, at, known_at, cl.snapshot(growing, at=at, known_at=known_at)))
    for frozen, at, known_at, answer in kept:
        assert answer == reference.snapshot(frozen, at=at, known_at=known_at)


def test_the_index_is_built_once_and_kept_with_its_ledger():
    ledger = load_seed()
    first = queries.index_of(ledger)
    cl.snapshot(ledger, at="2024-12-07T00:00Z")
    assert queries.index_of(ledger) is first
    assert isinstance(cl.snapshot(ledger, at="2024-12-07T00:00Z").places, cl.asof.LazyPlaces)
    assert isinstance(first, AsOfIndex)
    gone = weakref.ref(ledger)
    del ledger, first
    gc.collect()
    assert gone() is None  # the index does not keep its ledger alive


def test_what_the_index_cannot_serve_is_folded_and_equal_to_the_reference():
    ledger = load_seed()
    at = "2024-12-07T00:00Z"
    for kwargs in ({"position": 5}, {"policy": latest_report_wins}):
        door = cl.snapshot(ledger, at=at, **kwargs)
        assert door == reference.snapshot(ledger, at=at, **kwargs)
        assert not isinstance(door.places, cl.asof.LazyPlaces)
    records = ledger.records()
    assert cl.snapshot(records, at=at) == reference.snapshot(records, at=at)


with_dataset_events = ledgers(
    max_size=20,
    late_share=0.3,
    retracted_share=0.15,
    corrected_share=0.15,
    places=3,
    types=(*BUILTIN_EVENT_TYPES, DatasetEvent),
)


@given(with_dataset_events, known_times)
def test_the_doors_timeline_answers_what_the_reference_fold_answers(ledger, known_at):
    for place in ledger.registries.places:
        door = cl.timeline(ledger, place.id, known_at=known_at)
        oracle = reference.timeline(ledger, place.id, known_at=known_at)
        assert door == oracle
        assert door.to_text() == oracle.to_text()


@given(with_dataset_events, st.data())
def test_timelines_from_the_door_follow_appends(ledger, data):
    records = ledger.records()
    growing = Ledger(registries=ledger.registries, clock=fixed_clock(BASE))
    done = 0
    while done < len(records):
        step = data.draw(st.integers(min_value=1, max_value=5), label="step")
        growing.extend(r.claim for r in records[done : done + step])
        done += step
        known_at = data.draw(known_times, label="known_at")
        for place in ledger.registries.places:
            assert cl.timeline(growing, place.id, known_at=known_at) == reference.timeline(
                growing, place.id, known_at=known_at
            )
