"""The one door (``cl.snapshot``) against the reference fold, the oracle it is held to."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger import asof, queries, reference
from conflict_ledger.claims import Claim
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.errors import UnknownPlaceError
from conflict_ledger.events import DatasetEvent, Retraction
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.rules.policies import (
    DEFAULT_POLICY,
    corroboration_required,
    latest_report_wins,
    most_reliable_wins,
)
from conflict_ledger.seed import load_seed
from conflict_ledger.testing.strategies import BASE, BUILTIN_EVENT_TYPES, instants, ledgers
from conflict_ledger.time import ValidTime

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


def _appending(ledger: Ledger, data: st.DataObject) -> Iterator[Ledger]:
    """A new ledger to which ``ledger``'s records are appended a few at a time: yielded
    after each append, to ask questions between appends."""
    records = ledger.records()
    growing = Ledger(registries=ledger.registries, clock=fixed_clock(BASE))
    done = 0
    while done < len(records):
        step = data.draw(st.integers(min_value=1, max_value=5), label="step")
        growing.extend(r.claim for r in records[done : done + step])
        done += step
        yield growing


@given(with_dataset_events, st.data())
def test_timelines_from_the_door_follow_appends(ledger, data):
    for growing in _appending(ledger, data):
        known_at = data.draw(known_times, label="known_at")
        for place in ledger.registries.places:
            assert cl.timeline(growing, place.id, known_at=known_at) == reference.timeline(
                growing, place.id, known_at=known_at
            )


# cl.explain: through the index, from the records about one place only.

any_policy = st.sampled_from(
    (None, DEFAULT_POLICY, latest_report_wins, most_reliable_wins, corroboration_required(2))
)


@given(with_dataset_events, times, known_times, any_policy)
def test_the_doors_explain_answers_what_the_reference_fold_answers(ledger, at, known_at, policy):
    for place in ledger.registries.places:
        door = cl.explain(ledger, place.id, at=at, known_at=known_at, policy=policy)
        oracle = reference.explain(ledger, place.id, at=at, known_at=known_at, policy=policy)
        assert door == oracle
        assert door.to_text() == oracle.to_text()


def _cancel_again(growing: Ledger, data: st.DataObject, serial: int) -> None:
    """Maybe append one more retraction or correction of a claim already there: the
    generated ledgers cancel a claim at most once, and the first in ledger order of the
    cancellations known at ``known_at`` is the one an explanation names."""
    targets = [c for c in growing.claims() if not isinstance(c.event, Retraction)]
    if not targets or not data.draw(st.booleans(), label="cancel again"):
        return
    target = data.draw(st.sampled_from(targets), label="target")
    when = target.reported_at.add(hours=data.draw(st.integers(0, 24 * 40), label="after"))
    if data.draw(st.booleans(), label="retract"):
        event = Retraction(target=target.id, reason="withdrawn again")
        again = Claim(
            id=f"x{serial}",
            event=event,
            valid=ValidTime.exact(when),
            reported_at=when,
            source=target.source,
        )
    else:
        again = attrs.evolve(target, id=f"x{serial}", supersedes=target.id, reported_at=when)
    growing.append(again)


@given(with_dataset_events, st.data())
def test_explanations_from_the_door_follow_appends(ledger, data):
    for serial, growing in enumerate(_appending(ledger, data)):
        _cancel_again(growing, data, serial)
        at = data.draw(times, label="at")
        known_at = data.draw(known_times, label="known_at")
        for place in ledger.registries.places:
            assert cl.explain(growing, place.id, at=at, known_at=known_at) == reference.explain(
                growing, place.id, at=at, known_at=known_at
            )


def test_the_doors_explain_reads_no_record_about_another_place(monkeypatch):
    ledger = load_seed()
    cl.snapshot(ledger, at="2024-12-07T00:00Z")  # the index is built
    expected = reference.explain(
        ledger, "Homs", at="2024-12-07T00:00Z", known_at="2024-12-06T00:00Z"
    )
    queries.index_of(ledger).explain("homs", at="2024-12-07T00:00Z")  # its mentions are read

    def no_full_read(source):
        raise AssertionError("the door read the whole ledger")

    monkeypatch.setattr(asof, "_records", no_full_read)
    monkeypatch.setattr(Ledger, "records", no_full_read)
    door = cl.explain(ledger, "Homs", at="2024-12-07T00:00Z", known_at="2024-12-06T00:00Z")
    assert door == expected
    with pytest.raises(AssertionError, match="whole ledger"):
        cl.explain(ledger, "homs", at="2024-12-07T00:00Z", position=3)  # the fold's


def test_what_the_index_cannot_explain_is_folded_and_equal_to_the_reference():
    ledger = load_seed()
    at = "2024-12-07T00:00Z"
    assert cl.explain(ledger, "homs", at=at, position=5) == reference.explain(
        ledger, "homs", at=at, position=5
    )
    records = ledger.records()
    assert cl.explain(records, "homs", at=at) == reference.explain(records, "homs", at=at)


def test_an_unknown_place_is_refused_by_the_doors_explain_as_by_the_fold():
    ledger = load_seed()
    with pytest.raises(UnknownPlaceError) as door:
        cl.explain(ledger, "Homz", at="2024-12-07T00:00Z")
    with pytest.raises(UnknownPlaceError) as oracle:
        reference.explain(ledger, "Homz", at="2024-12-07T00:00Z")
    assert str(door.value) == str(oracle.value)


@pytest.mark.parametrize(
    "ask",
    [
        lambda source: cl.snapshot(source, at="2024-12-07T00:00Z"),
        lambda source: cl.timeline(source, "homs"),
        lambda source: cl.explain(source, "homs", at="2024-12-07T00:00Z"),
    ],
)
@pytest.mark.parametrize("source", ["war.sqlite", Path("war.sqlite")], ids=["str", "Path"])
def test_a_path_given_for_the_ledger_says_to_open_it(ask, source):
    # The CLI takes a path, so a notebook's first try often does too; a str is iterable,
    # and iterating its characters as records failed with "'str' has no attribute 'claim'".
    with pytest.raises(cl.InvalidClaimError, match=r"a path, not a ledger.*cl\.open_ledger"):
        ask(source)
