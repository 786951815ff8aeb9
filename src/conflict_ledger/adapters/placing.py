"""Placing a dataset row: country, admin levels, name and coordinates, never the name alone.

Matching a row's ``location`` by name alone puts a Somali village called like a Syrian
town on the Syrian map, thousands of kilometres off, and merges same-name towns of
different countries. :class:`Placer` matches a row to a known place only when

* the place lies in the row's country (its chain of ``parent`` places reaches the
  country the row names): no country's gazetteer is applied to another country's rows;
* its name or an alias is the row's location;
* and, where both have coordinates, it lies within :data:`DISTANCE_BOUND_KM` of the
  row's point for the row's ``geo_precision`` (1: the town's own coordinates; 2: a place
  near the town; 3: the region's).

A place no registry knows is created from the row: its coordinates, its name (with
admin area and country added when the name is already taken by another place), and
as parent the country's admin-1 area if the gazetteer has it, else the country (a
country the gazetteer lacks is created too).

>>> from conflict_ledger.gazetteer import syria
>>> placer = Placer(syria())
>>> placer.place(location="Hama", country="Syria", admin1="Hama", lat="35.13", lon="36.75", geo="1")[0]
'hama'
>>> place_id, new = placer.place(location="Hama", country="Somalia", admin1="Bay", lat="2.6", lon="43.5", geo="1")
>>> place_id, [(p.id, p.name, p.parent) for p in new]
('hama-bay-somalia', [('somalia', 'Somalia', None), ('hama-bay-somalia', 'Hama (Bay, Somalia)', 'somalia')])
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

from conflict_ledger.adapters.acled_actors import name_index
from conflict_ledger.adapters.rows import slug
from conflict_ledger.errors import LedgerError
from conflict_ledger.registry import Coordinates, Place, PlaceKind, Registries
from conflict_ledger.registry import normalise_name as _normalise

__all__ = ["DISTANCE_BOUND_KM", "Placer", "distance_km"]

DISTANCE_BOUND_KM: Mapping[str, float] = {"1": 20.0, "2": 40.0, "3": 100.0}
"""How far (km) a known place may lie from a row's point, by the row's precision code
(ACLED ``geo_precision`` 1 to 3; a larger UCDP ``where_prec`` uses the largest)."""

_SLUG_TAKEN_LIMIT = 1000


def distance_km(a: Coordinates, b: Coordinates) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius).

    >>> round(distance_km(Coordinates(lat=35.13, lon=36.75), Coordinates(lat=34.73, lon=36.72)))
    45
    """
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _point(lat: str, lon: str) -> Coordinates | None:
    if not lat.strip() or not lon.strip():
        return None
    try:
        return Coordinates(lat=float(lat), lon=float(lon))
    except ValueError as error:
        raise ValueError(f"latitude/longitude {lat!r}, {lon!r} are not a point ({error})") from None


normalise_name = functools.lru_cache(maxsize=65536)(_normalise)
"""``registry.normalise_name``, remembered: a file names its countries and areas again
and again."""


class Placer:
    """Resolves a row's place, making the places the registries lack (once per file)."""

    def __init__(
        self, registries: Registries, *, label: str = "dataset row (precision {})"
    ) -> None:
        self._label = label
        self._places: dict[str, Place] = {p.id: p for p in registries.places}
        self._names = name_index(registries.places)
        self._by_name: dict[str, list[str]] = {}
        for place in self._places.values():
            stem = place.name.split(" (", 1)[0]  # "Hama (Bay, Somalia)", made by an import
            for name in {normalise_name(n) for n in (place.name, stem, *place.aliases)}:
                self._by_name.setdefault(name, []).append(place.id)
        self._registry = registries.places
        self._country: dict[str, str | None] = {}
        self._cache: dict[tuple[str, ...], tuple[str, tuple[Place, ...]]] = {}

    def _country_of(self, place_id: str) -> str | None:
        if place_id not in self._country:
            place, seen = self._places.get(place_id), set()
            while place is not None and place.kind is not PlaceKind.COUNTRY:
                seen.add(place.id)
                parent = place.parent
                place = self._places.get(parent) if parent and parent not in seen else None
            self._country[place_id] = None if place is None else place.id
        return self._country[place_id]

    def _resolved(self, name: str) -> str | None:
        """The place the registry itself reads ``name`` as (only asked of known names)."""
        try:
            return self._registry.id_of(name)
        except LedgerError:
            return None

    def _find_country(self, name: str) -> str | None:
        for id in self._by_name.get(normalise_name(name), ()):
            if self._places[id].kind is PlaceKind.COUNTRY:
                return id
        return None

    def place(
        self, *, location: str, country: str, admin1: str, lat: str, lon: str, geo: str
    ) -> tuple[str, tuple[Place, ...]]:
        """The id of the row's place and the new places to register (empty when known)."""
        key = (location, country, admin1, lat, lon, geo)
        if key not in self._cache:
            self._cache[key] = self._place(location, country, admin1, _point(lat, lon), geo)
        return self._cache[key]

    def _place(
        self, location: str, country: str, admin1: str, point: Coordinates | None, geo: str
    ) -> tuple[str, tuple[Place, ...]]:
        country_id = self._find_country(country) if country.strip() else None
        bound = DISTANCE_BOUND_KM.get(geo, max(DISTANCE_BOUND_KM.values()))
        best: tuple[float, str] | None = None
        for id in self._by_name.get(normalise_name(location), ()):
            candidate = self._places[id]
            if country.strip() and self._country_of(id) != country_id:
                if self._country_of(id) is None and id == self._resolved(location):
                    # a place the ledger holds by this very name, with no country to
                    # check (one stored with an older file): the ledger's names count
                    return id, ()
                continue  # another country's place, or the row's country is unknown here
            if point is not None and candidate.coordinates is not None:
                distance = distance_km(point, candidate.coordinates)
                if distance > bound:
                    continue
            else:
                distance = bound
            if best is None or distance < best[0]:
                best = (distance, id)
        if best is not None:
            return best[1], ()
        return self._create(location, country, admin1, country_id, point, geo)

    def _create(
        self,
        location: str,
        country: str,
        admin1: str,
        country_id: str | None,
        point: Coordinates | None,
        geo: str,
    ) -> tuple[str, tuple[Place, ...]]:
        if point is None:
            raise ValueError(
                f"the place {location!r} is new and the row gives no latitude/longitude"
            )
        made: list[Place] = []
        if country.strip() and country_id is None:
            made.append(self._add(Place(id=self._fresh(country), name=country, kind="country")))
            country_id = made[-1].id
        parent = country_id
        if admin1.strip() and country_id is not None:
            areas = [*self._by_name.get(normalise_name(admin1), ())]
            areas += self._by_name.get(normalise_name(f"{admin1} Governorate"), [])
            for id in areas:
                if self._places[id].kind in (PlaceKind.GOVERNORATE, PlaceKind.REGION) and (
                    self._country_of(id) == country_id
                ):
                    parent = id
                    break
        name = location
        if normalise_name(name) in self._names:
            where = ", ".join(part for part in (admin1.strip(), country.strip()) if part)
            name = f"{location} ({where or f'{point.lat}, {point.lon}'})"
        if normalise_name(name) in self._names:
            name = f"{location} ({point.lat}, {point.lon})"
        place = Place(
            id=self._fresh(name),
            name=name,
            kind=PlaceKind.REGION if geo == "3" else PlaceKind.TOWN,
            parent=parent,
            coordinates=point,
            coordinates_source=self._label.format(geo),
        )
        made.append(self._add(place, extra=location))
        return place.id, tuple(made)

    def _add(self, place: Place, *, extra: str | None = None) -> Place:
        self._places[place.id] = place
        self._country.pop(place.id, None)
        for name in {normalise_name(n) for n in (place.id, place.name, extra or place.name)}:
            self._names.setdefault(name, place.id)
            self._by_name.setdefault(name, []).append(place.id)
        return place

    def _fresh(self, name: str) -> str:
        base = slug(name)
        for number in range(1, _SLUG_TAKEN_LIMIT):
            candidate = base if number == 1 else f"{base}-{number}"
            if candidate not in self._places:
                return candidate
        raise ValueError(f"more than {_SLUG_TAKEN_LIMIT} places would be called {name!r}")
