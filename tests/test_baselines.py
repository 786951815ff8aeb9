"""Baselines (issue 12, item 7): who held what at a date, from a named source, shown by
snapshots, diffs, timelines and explanations, and folded like any claim."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.gazetteer import syria

MAP = cl.Source(id="control-map", name="Pre-offensive control map", kind="analyst")
BEFORE = {
    "Aleppo": "syrian-government",
    "Hama": "syrian-government",
    "Homs": "syrian-government",
    "Deir ez-Zor": "syrian-government",
    "Albukamal": "syrian-government",
}


def _seed_with_baseline() -> cl.Ledger:
    ledger = cl.load_seed()
    ledger.register(MAP)
    ledger.extend(
        cl.baseline(BEFORE, at="2024-11-26", source="control-map", title="map of 26 Nov 2024")
    )
    return ledger


def test_a_diff_over_the_fortnight_starts_from_the_baseline() -> None:
    plain, based = cl.load_seed(), _seed_with_baseline()
    start, end = "2024-11-27T00:00Z", "2024-12-09T00:00Z"
    without = cl.diff(cl.snapshot(plain, at=start), cl.snapshot(plain, at=end))
    with_it = cl.diff(cl.snapshot(based, at=start), cl.snapshot(based, at=end))
    places = plain.registries.places
    expected = {places.resolve(name).id: actor for name, actor in BEFORE.items()}
    assert {c.place for c in without.changes if c.before is not None} == set()
    assert {c.place: c.before.holder for c in with_it.changes if c.before is not None} == expected

    # The fortnight's own claims still decide how each place ends; only who held it is known.
    def ends(change: cl.SnapshotDiff) -> dict[str, object]:
        return {c.place: c.after.status if c.after else None for c in change.changes}

    assert ends(with_it) == ends(without)
    assert cl.snapshot(based, at=end)["albukamal"].holder == "syrian-government"
    assert cl.snapshot(plain, at=end)["albukamal"].holder is None


def test_a_timeline_opens_with_the_baseline_and_explain_names_it() -> None:
    ledger = _seed_with_baseline()
    first = cl.timeline(ledger, "Aleppo").entries[0]
    assert first.state.holder == "syrian-government"
    assert first.state.claims == ("baseline/control-map/2024-11-26/aleppo",)
    why = cl.explain(ledger, "Aleppo", at="2024-11-28T00:00Z")
    assert [c.id for c in why.supporting] == ["baseline/control-map/2024-11-26/aleppo"]
    assert why.supporting[0].note == "baseline: map of 26 Nov 2024"


def test_a_later_capture_replaces_the_baseline_holder_which_becomes_previous() -> None:
    ledger = _seed_with_baseline()
    state = cl.snapshot(ledger, at="2024-12-09T00:00Z")["deir-ez-zor"]
    assert (state.holder, state.previous) == ("sdf", "syrian-government")


def test_a_baseline_is_unknown_as_known_before_the_source_published_it() -> None:
    ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-10T00:00Z"))
    ledger.register(MAP)
    ledger.extend(
        cl.baseline(
            {"Homs": "syrian-government"},
            at="2024-11-26",
            reported_at="2024-11-28T09:00Z",
            source="Pre-offensive control map",
        )
    )
    assert "homs" not in cl.snapshot(ledger, at="2024-11-27T00:00Z", known_at="2024-11-28T08:00Z")
    assert cl.snapshot(ledger, at="2024-11-27T00:00Z")["homs"].holder == "syrian-government"


def test_a_baseline_claim_is_an_asserted_hold_valid_at_its_instant_from_its_source() -> None:
    (claim,) = cl.baseline(
        {"Homs": "Assad's forces"}, at="2024-11-26 06:00", tz="Asia/Damascus", source="ISW"
    )
    assert claim == cl.Claim(
        id="baseline/isw/2024-11-26/homs",
        event=cl.Holds(place="Homs", actor="Assad's forces"),
        valid=cl.ValidTime.exact("2024-11-26T03:00Z"),
        reported_at="2024-11-26T03:00Z",
        source=cl.SourceChain.of("ISW"),
        note="baseline: who held what at 2024-11-26T03:00:00+00:00, per ISW",
    )
    assert cl.is_baseline(claim)
    assert not any(cl.is_baseline(c) for c in cl.load_seed().claims())


def test_an_unknown_place_in_a_baseline_is_refused_and_the_ledger_is_unchanged() -> None:
    ledger = cl.load_seed()
    ledger.register(MAP)
    before = ledger.claims()
    with pytest.raises(cl.LedgerError):
        ledger.extend(
            cl.baseline(
                {"Homs": "syrian-government", "Atlantis": "sdf"},
                at="2024-11-26",
                source="control-map",
            )
        )
    assert ledger.claims() == before


def test_an_empty_baseline_or_a_naive_time_is_a_typed_error() -> None:
    with pytest.raises(cl.InvalidClaimError):
        cl.baseline({}, at="2024-11-26", source="isw")
    with pytest.raises(cl.InvalidClaimError):
        cl.baseline({"homs": "sdf"}, at="26 Nov", source="isw")


PLACES = sorted(p.id for p in syria().places if p.kind is cl.PlaceKind.CITY)
ACTORS = sorted(a.id for a in syria().actors)


@given(
    holders=st.dictionaries(st.sampled_from(PLACES), st.sampled_from(ACTORS), min_size=1),
    days=st.integers(min_value=-3, max_value=30),
)
def test_with_nothing_else_recorded_a_snapshot_is_the_baseline_from_its_date_on(
    holders: dict[str, str], days: int
) -> None:
    """Oracle: the mapping itself from the baseline's instant on; nothing before it."""
    ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2025-01-01T00:00Z"))
    ledger.register(MAP)
    ledger.extend(cl.baseline(holders, at="2024-11-26T00:00Z", source="control-map"))
    at = cl.parse_when("2024-11-26").add(days=days)
    snap = cl.snapshot(ledger, at=at)
    expected = holders if days >= 0 else {}
    assert {state.place: state.holder for state in snap} == expected
