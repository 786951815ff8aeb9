"""Registries, aliases and the shipped gazetteer."""

from __future__ import annotations

import pytest

import conflict_ledger as cl
from conflict_ledger import (
    Actor,
    InvalidClaimError,
    Place,
    PlaceKind,
    Registry,
    UnknownActorError,
    UnknownPlaceError,
)
from conflict_ledger.gazetteer import coordinates_note, syria


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Deir el-Zor", "deir-ez-zor"),
        ("Deir ez-Zor", "deir-ez-zor"),
        ("Dayr az-Zawr", "deir-ez-zor"),
        ("DEIR EL ZOR", "deir-ez-zor"),
        ("Nassib", "jaber-nassib"),
        ("Abu Kamal", "albukamal"),
    ],
)
def test_place_aliases_resolve_to_one_id(name, place):
    assert syria().places.resolve(name).id == place


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("Syrian Kurdish fighters", "sdf"),
        ("Syrian Kurds", "sdf"),
        ("Assad's forces", "syrian-government"),
        ("Assad\u2019s forces", "syrian-government"),
        ("IS", "islamic-state"),
        ("Türkiye", "turkiye"),
    ],
)
def test_actor_aliases_resolve_to_one_id(name, actor):
    assert syria().actors.resolve(name).id == actor


def test_an_unknown_name_suggests_the_closest_ids():
    with pytest.raises(UnknownPlaceError) as caught:
        syria().places.resolve("Deir al-Zor city")
    assert "deir-ez-zor" in caught.value.suggestions
    with pytest.raises(UnknownActorError):
        syria().actors.resolve("Martians")


def test_every_place_has_a_known_parent_and_every_point_a_named_source():
    places = syria().places
    for place in places:
        assert place.parent is None or place.parent in places
        assert (place.coordinates is None) == (place.coordinates_source is None)
    assert places["sheikh-maqsoud"].parent == "aleppo"
    assert "GeoNames" in coordinates_note()


def test_two_entries_cannot_share_a_name_or_an_id():
    one = Place(id="homs", name="Homs", kind=PlaceKind.CITY)
    with pytest.raises(InvalidClaimError, match="already belongs"):
        Registry.of(one, Place(id="hims", name="Hims", kind="city", aliases=("Homs",)))
    with pytest.raises(InvalidClaimError, match="id"):
        Registry.of(one, Place(id="homs", name="Homs city", kind="city"))
    assert len(Registry.of(one, one)) == 1


def test_a_name_the_gazetteer_already_gives_a_place_points_to_that_place():
    """Registering your own "North Kivu" with the alias "Nord-Kivu" on world("CD") clashes
    with the gazetteer's cd-nk: the hint says to name that place, since nobody can drop an
    alias from a gazetteer entry."""
    known = Registry.of(Place(id="cd-nk", name="Nord-Kivu", kind="region"))
    mine = Place(id="north-kivu", name="North Kivu", kind="region", aliases=("Nord-Kivu",))
    with pytest.raises(InvalidClaimError) as caught:
        known.with_entries([mine])
    assert caught.value.hint == (
        "'Nord-Kivu' already names 'cd-nk', registered before: name that entry in claims "
        "(by its id or any of its names), or drop the alias from the new entry."
    )


def test_ids_must_be_slugs():
    with pytest.raises(InvalidClaimError) as caught:
        Actor(id="Syrian Army", name="Syrian Army", kind="government")
    assert caught.value.field == "id"


@pytest.mark.parametrize(
    ("make", "kinds"),
    [
        (lambda: cl.Place(id="x", name="X", kind="village"), cl.PlaceKind),
        (lambda: cl.Actor(id="x", name="X", kind="militia"), cl.ActorKind),
        (lambda: cl.Source(id="x", name="X", kind="blog"), cl.SourceKind),
    ],
)
def test_an_unknown_kind_is_a_typed_error_listing_the_valid_kinds(make, kinds) -> None:
    with pytest.raises(cl.InvalidClaimError) as caught:
        make()
    assert caught.value.field == "kind"
    assert all(kind.value in caught.value.hint for kind in kinds)
