"""Places in a hierarchy; staleness."""

from __future__ import annotations

import pendulum
import pytest

from conflict_ledger import (
    Captured,
    Claim,
    Holds,
    Ledger,
    Source,
    SourceChain,
    Status,
    UnknownPlaceError,
    ValidTime,
    fixed_clock,
    snapshot,
)
from conflict_ledger.gazetteer import syria
from conflict_ledger.hierarchy import descendants, summarize


def test_a_city_falls_while_a_neighbourhood_stays_with_another_holder():
    ledger = Ledger(registries=syria(), clock=fixed_clock("2024-12-01T00:00Z"))
    ledger.register(Source(id="reuters", name="Reuters", kind="agency"))
    day = ValidTime.day(pendulum.date(2024, 11, 29), tz="Asia/Damascus")
    common = {"valid": day, "reported_at": "2024-11-30T12:00Z", "source": SourceChain.of("reuters")}
    ledger.extend(
        [
            Claim(id="a", event=Holds(place="sheikh-maqsoud", actor="sdf"), **common),
            Claim(
                id="b",
                event=Captured(place="aleppo", actor="hts", from_actor="syrian-government"),
                **common,
            ),
        ]
    )
    snap = snapshot(ledger, at="2024-12-01T00:00Z")
    assert (snap["aleppo"].holder, snap["sheikh-maqsoud"].holder) == ("hts", "sdf")
    summary = summarize(snap, "aleppo-governorate", ledger.registries.places)
    assert dict(summary.holders) == {"hts": 1, "sdf": 1}
    assert summary.share("sdf") == 0.5
    assert summary.places == ("aleppo", "sheikh-maqsoud")


def test_descendants_walk_the_whole_tree_and_refuse_an_unknown_region():
    places = syria().places
    below = descendants(places, "syria")
    assert {"aleppo", "sheikh-maqsoud", "jaber-nassib", "deir-ez-zor-governorate"} <= set(below)
    assert "doha" not in below
    with pytest.raises(UnknownPlaceError):
        descendants(places, "atlantis")


def test_silence_is_not_continued_control():
    from conflict_ledger import load_seed

    ledger = load_seed()
    fresh = snapshot(ledger, at="2024-12-07T00:00Z")
    # Reported 19:00 UTC on 6 December, the capture that day speaks for control until its
    # report (the report bounds the event), five hours before midnight UTC.
    assert fresh["deir-ez-zor"].unconfirmed_for == pendulum.duration(hours=5)
    assert "deir-ez-zor" not in fresh.stale(max_age=pendulum.duration(days=2))
    later = snapshot(ledger, at="2025-01-07T00:00Z")
    assert later["deir-ez-zor"].status is Status.HELD
    assert "deir-ez-zor" in later.stale(max_age=pendulum.duration(days=2))
