"""GeoJSON export: RFC 7946 structure, properties that match the snapshot."""

from __future__ import annotations

import json

import geojson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.adapters.geojson import (
    Confidence,
    InvalidGeoJSONError,
    check_feature_collection,
    feature_collection,
    write_geojson,
)
from conflict_ledger.testing import strategies as cst


def test_seed_snapshot_is_a_valid_feature_collection_of_located_places() -> None:
    ledger = cl.load_seed()
    snap = cl.snapshot(ledger, at="2024-12-07T00:00Z")
    collection = feature_collection(snap, ledger)
    check_feature_collection(collection)
    independent = geojson.loads(json.dumps(collection))
    assert (independent.is_valid, independent.errors()) == (True, [])
    located = {s.place for s in snap if ledger.registries.places[s.place].coordinates is not None}
    assert {f["id"] for f in collection["features"]} == located
    for feature in collection["features"]:
        place = ledger.registries.places[feature["id"]]
        assert place.coordinates is not None
        # RFC 7946 section 3.1.1: longitude first.
        assert feature["geometry"]["coordinates"] == [place.coordinates.lon, place.coordinates.lat]
        assert feature["properties"]["status"] == snap[feature["id"]].status.value


def test_properties_are_flat_scalars_that_a_gis_reads_as_columns() -> None:
    ledger = cl.load_seed()
    collection = feature_collection(cl.snapshot(ledger, at="2024-12-07T00:00Z"), ledger)
    for feature in collection["features"]:
        for value in feature["properties"].values():
            assert value is None or isinstance(value, str | int | float | bool)


def test_written_file_round_trips_through_json(tmp_path) -> None:
    ledger = cl.load_seed()
    snap = cl.snapshot(ledger, at="2024-12-07T00:00Z", known_at="2024-12-07T12:00Z")
    written = write_geojson(tmp_path / "snap.geojson", snap, ledger)
    loaded = json.loads((tmp_path / "snap.geojson").read_text(encoding="utf-8"))
    assert loaded == written
    check_feature_collection(loaded)
    homs = next(f for f in loaded["features"] if f["id"] == "homs")["properties"]
    assert (homs["holder"], homs["status"], homs["claims"]) == (
        "syrian-government",
        "under_advance",
        "dawn-2024-12-07/c02, dawn-2024-12-07/c03",
    )
    assert homs["confidence"] == Confidence.HIGH.value  # credibility 2


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({"type": "Feature"}, "$"),
        ({"type": "FeatureCollection", "features": {}}, "$.features"),
        ({"type": "FeatureCollection", "features": [], "crs": {}}, "$.crs"),
        ({"type": "FeatureCollection", "features": [], "bbox": [1, 2, 0, 3]}, "$.bbox"),
        ({"type": "FeatureCollection", "features": [{"type": "Feature"}]}, "features[0]"),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [1]},
                        "properties": {},
                    }
                ],
            },
            "features[0].geometry.coordinates",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [200, 0]},
                        "properties": {},
                    }
                ],
            },
            "features[0].geometry.coordinates",
        ),
    ],
)
def test_checker_rejects_what_rfc_7946_does_not_allow(document: object, where: str) -> None:
    with pytest.raises(InvalidGeoJSONError) as raised:
        check_feature_collection(document)
    assert raised.value.path == where


@given(ledger=cst.ledgers(max_size=12), hour=st.integers(min_value=0, max_value=24 * 14))
def test_every_place_of_any_snapshot_becomes_one_feature_with_its_state(ledger, hour) -> None:
    at = cst.BASE.add(hours=hour)
    snap = cl.snapshot(ledger, at=at)
    collection = feature_collection(snap, ledger, include_unlocated=True)
    check_feature_collection(collection)
    assert geojson.loads(json.dumps(collection)).is_valid  # an independent validator agrees
    assert [f["id"] for f in collection["features"]] == [s.place for s in snap]
    for feature, state in zip(collection["features"], snap, strict=True):
        assert feature["properties"]["holder"] == state.holder
        assert feature["properties"]["status"] == state.status.value
        assert feature["properties"]["claims"] == (", ".join(state.claims) or None)
        if not state.settled:
            assert feature["properties"]["confidence"] == "low"
