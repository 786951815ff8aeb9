"""A snapshot as an RFC 7946 GeoJSON FeatureCollection, for QGIS, geopandas and kepler.gl.

Each place with coordinates becomes a Point feature (longitude first, WGS 84, as RFC
7946 requires); its properties are flat scalars, so every GIS reads them as columns:
holder, status, since, the supporting claim ids, and a confidence grade.

>>> import conflict_ledger as cl
>>> ledger = cl.load_seed()
>>> collection = feature_collection(cl.snapshot(ledger, at="2024-12-07T00:00Z"), ledger)
>>> check_feature_collection(collection)
>>> deir = next(f for f in collection["features"] if f["id"] == "deir-ez-zor")
>>> deir["geometry"], deir["properties"]["holder"], deir["properties"]["status"]
({'type': 'Point', 'coordinates': [40.14, 35.34]}, 'sdf', 'held')
"""

from __future__ import annotations

import enum
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pendulum

from conflict_ledger.asof import Snapshot
from conflict_ledger.claims import Claim, Credibility
from conflict_ledger.errors import LedgerError
from conflict_ledger.ledger import Ledger
from conflict_ledger.rules.territory import PlaceState

__all__ = [
    "DEFAULT_STALE_AFTER",
    "MEDIA_TYPE",
    "Confidence",
    "InvalidGeoJSONError",
    "assess",
    "check_feature_collection",
    "feature_collection",
    "is_stale",
    "write_geojson",
]

MEDIA_TYPE = "application/geo+json"
"""The IANA media type of a GeoJSON file (RFC 7946, section 12)."""

DEFAULT_STALE_AFTER = pendulum.duration(days=30)
"""A place whose last confirming claim is older than this, at the asked time, is stale."""


class Confidence(enum.Enum):
    """How far to trust a place's state, in three grades a map legend can show.

    HIGH: settled, and at least two independent origins or a credibility of 1 or 2.
    MEDIUM: settled, on one origin. LOW: contested, changing, stale or unsupported.

    >>> Confidence("high")
    <Confidence.HIGH: 'high'>
    """

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class InvalidGeoJSONError(LedgerError, ValueError):
    """A document is not an RFC 7946 FeatureCollection of the shape this module writes.

    ``path`` says where in the document (e.g. ``features[3].geometry``).

    >>> InvalidGeoJSONError(path="$.crs", problem="RFC 7946 has no crs member").path
    '$.crs'
    """

    def __init__(self, *, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            f"{path}: {problem}. See RFC 7946 (https://www.rfc-editor.org/rfc/rfc7946)."
        )


def is_stale(
    state: PlaceState,
    *,
    at: pendulum.DateTime,
    stale_after: pendulum.Duration = DEFAULT_STALE_AFTER,
) -> bool:
    """True when the last claim confirming the place's holder is older than ``stale_after``.

    A place never confirmed (no gain or hold claim) is not stale: it is unknown.

    >>> import conflict_ledger as cl
    >>> snap = cl.snapshot(cl.load_seed(), at="2024-12-07T00:00Z")
    >>> is_stale(snap["syria"], at=snap.at), is_stale(snap["deir-ez-zor"], at=snap.at)
    (True, False)
    """
    if state.confirmed_at is None:
        return False
    return bool(at - state.confirmed_at > stale_after)


def assess(
    state: PlaceState,
    claims: Mapping[str, Claim],
    *,
    at: pendulum.DateTime,
    stale_after: pendulum.Duration = DEFAULT_STALE_AFTER,
) -> Confidence:
    """The :class:`Confidence` grade of a place's state, from its supporting ``claims``.

    ``claims`` maps claim ids to claims (a ledger's ``claim`` lookup as a mapping).

    >>> import conflict_ledger as cl
    >>> ledger = cl.load_seed()
    >>> snap = cl.snapshot(ledger, at="2024-12-07T00:00Z")
    >>> by_id = {c.id: c for c in ledger.claims()}
    >>> assess(snap["homs"], by_id, at=snap.at), assess(snap["deir-ez-zor"], by_id, at=snap.at)
    (<Confidence.HIGH: 'high'>, <Confidence.MEDIUM: 'medium'>)
    """
    supporting = [claims[c] for c in state.claims if c in claims]
    if not state.settled or not supporting or is_stale(state, at=at, stale_after=stale_after):
        return Confidence.LOW
    origins = {claim.source.origin for claim in supporting}
    best = min(
        (claim.credibility for claim in supporting if claim.credibility is not None),
        default=Credibility.CANNOT_BE_JUDGED,
    )
    if len(origins) >= 2 or best <= Credibility.PROBABLY_TRUE:
        return Confidence.HIGH
    return Confidence.MEDIUM


def _iso(instant: pendulum.DateTime | None) -> str | None:
    return None if instant is None else instant.isoformat()


def _properties(
    state: PlaceState,
    ledger: Ledger,
    claims: Mapping[str, Claim],
    snap: Snapshot,
    stale_after: pendulum.Duration,
) -> dict[str, Any]:
    place = ledger.registries.places[state.place]
    grades = [claims[c].credibility for c in state.claims if c in claims]
    best = min((grade for grade in grades if grade is not None), default=None)
    return {
        "place": state.place,
        "name": place.name,
        "kind": place.kind.value,
        "status": state.status.value,
        "holder": state.holder,
        "previous": state.previous,
        "contenders": ", ".join(state.contenders) or None,
        "since_start": _iso(state.since.start) if state.since else None,
        "since_end": _iso(state.since.end) if state.since else None,
        "since_precision": state.since.precision.value if state.since else None,
        "claims": ", ".join(state.claims) or None,
        "disputes": ", ".join(state.disputes) or None,
        "confidence": assess(state, claims, at=snap.at, stale_after=stale_after).value,
        "credibility": None if best is None else int(best),
        "settled": state.settled,
        "stale": is_stale(state, at=snap.at, stale_after=stale_after),
        "confirmed_at": _iso(state.confirmed_at),
        "at": _iso(snap.at),
        "known_at": _iso(snap.known_at),
    }


def feature_collection(
    snap: Snapshot,
    ledger: Ledger,
    *,
    include_unlocated: bool = False,
    stale_after: pendulum.Duration = DEFAULT_STALE_AFTER,
) -> dict[str, Any]:
    """The snapshot as a GeoJSON FeatureCollection (a dict ready for ``json.dumps``).

    Places come from ``ledger``'s gazetteer; a place without coordinates (a country, a
    region) is left out unless ``include_unlocated``, which writes it with a null
    geometry (RFC 7946 allows it; QGIS shows it in the attribute table only).

    >>> import conflict_ledger as cl
    >>> ledger = cl.load_seed()
    >>> snap = cl.snapshot(ledger, at="2024-12-07T00:00Z")
    >>> len(feature_collection(snap, ledger)["features"]) < len(feature_collection(snap, ledger, include_unlocated=True)["features"])
    True
    """
    places = ledger.registries.places
    written = [
        state for state in snap if include_unlocated or places[state.place].coordinates is not None
    ]
    # the claims the written states rest on, read together: not every claim of the ledger
    needed = ledger.records_of({claim for state in written for claim in state.claims})
    claims = {claim_id: record.claim for claim_id, record in needed.items()}
    features: list[dict[str, Any]] = []
    points: list[tuple[float, float]] = []
    for state in written:
        coordinates = places[state.place].coordinates
        geometry = None
        if coordinates is not None:
            geometry = {"type": "Point", "coordinates": [coordinates.lon, coordinates.lat]}
            points.append((coordinates.lon, coordinates.lat))
        features.append(
            {
                "type": "Feature",
                "id": state.place,
                "geometry": geometry,
                "properties": _properties(state, ledger, claims, snap, stale_after),
            }
        )
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if points:
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        collection["bbox"] = [min(lons), min(lats), max(lons), max(lats)]
    return collection


def write_geojson(
    path: str | os.PathLike[str],
    snap: Snapshot,
    ledger: Ledger,
    *,
    include_unlocated: bool = False,
    stale_after: pendulum.Duration = DEFAULT_STALE_AFTER,
) -> dict[str, Any]:
    """Write the snapshot's FeatureCollection to ``path`` (UTF-8) and return it.

    >>> import tempfile, conflict_ledger as cl
    >>> ledger = cl.load_seed()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_geojson(Path(folder) / "snap.geojson", cl.snapshot(ledger, at="2024-12-07T00:00Z"), ledger)
    >>> written["type"]
    'FeatureCollection'
    """
    collection = feature_collection(
        snap, ledger, include_unlocated=include_unlocated, stale_after=stale_after
    )
    check_feature_collection(collection)
    Path(path).write_text(json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8")
    return collection


def _position(value: Any, path: str) -> None:
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise InvalidGeoJSONError(path=path, problem="a position is an array of 2 or 3 numbers")
    for number in value:
        if (
            isinstance(number, bool)
            or not isinstance(number, int | float)
            or not math.isfinite(number)
        ):
            raise InvalidGeoJSONError(path=path, problem="a position holds finite numbers only")
    lon, lat = value[0], value[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidGeoJSONError(
            path=path, problem=f"[{lon}, {lat}] is not [longitude, latitude] in WGS 84 degrees"
        )


def _geometry(value: Any, path: str) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or value.get("type") != "Point":
        raise InvalidGeoJSONError(path=path, problem="expected a Point geometry or null")
    _position(value.get("coordinates"), f"{path}.coordinates")


def check_feature_collection(document: Any) -> None:
    """Check ``document`` has the RFC 7946 structure this module writes; raise if not.

    Checked: the ``type`` members, features as an array of Feature objects with a Point
    (or null) geometry of [longitude, latitude] numbers in range, a ``properties``
    object, a string or number ``id``, a four-number ``bbox`` if present, and no ``crs``
    member (RFC 7946 removed it: coordinates are always WGS 84).

    >>> check_feature_collection({"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.7, 134.7]},
    ...      "properties": {}}]})
    Traceback (most recent call last):
    ...
    conflict_ledger.adapters.geojson.InvalidGeoJSONError: features[0].geometry.coordinates: [36.7, 134.7] is not ...
    """
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InvalidGeoJSONError(
            path="$", problem='the top level is {"type": "FeatureCollection"}'
        )
    if "crs" in document:
        raise InvalidGeoJSONError(path="$.crs", problem="RFC 7946 has no crs member")
    bbox = document.get("bbox")
    if bbox is not None and (
        not isinstance(bbox, list)
        or len(bbox) != 4
        or not all(isinstance(n, int | float) for n in bbox)
        or bbox[0] > bbox[2]
        or bbox[1] > bbox[3]
    ):
        raise InvalidGeoJSONError(path="$.bbox", problem="a bbox is [west, south, east, north]")
    features = document.get("features")
    if not isinstance(features, list):
        raise InvalidGeoJSONError(path="$.features", problem="features is an array")
    for index, feature in enumerate(features):
        path = f"features[{index}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InvalidGeoJSONError(path=path, problem='a feature is {"type": "Feature"}')
        if "geometry" not in feature:
            raise InvalidGeoJSONError(path=path, problem="a feature has a geometry member")
        _geometry(feature["geometry"], f"{path}.geometry")
        if "properties" not in feature or not isinstance(feature["properties"], dict | None):
            raise InvalidGeoJSONError(path=path, problem="properties is an object or null")
        if "id" in feature and not isinstance(feature["id"], str | int | float):
            raise InvalidGeoJSONError(path=f"{path}.id", problem="an id is a string or number")
