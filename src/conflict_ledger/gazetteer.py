"""Built-in gazetteers: the places and actors a ledger starts from, shipped as data.

``syria()`` holds what the seed article needs: Syria's cities, crossings, bases and
regions in a hierarchy (neighbourhood, city, governorate, country), and the actors with
the aliases reports use. ``world("UA", "SD", ...)`` (:mod:`conflict_ledger.world`) holds
any country's subdivisions and cities from GeoNames and ISO 3166, to start another war on. Coordinates and where they come from are in the data file
``conflict_ledger/data/syria.json``; :data:`COORDINATES_NOTE` is its statement of sources.

>>> registries = syria()
>>> registries.places.resolve("Dayr az-Zawr").parent
'deir-ez-zor-governorate'
>>> registries.actors.resolve("Assad's forces").id
'syrian-government'
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from conflict_ledger.errors import UnknownReferenceError
from conflict_ledger.membership import Blocs, Membership
from conflict_ledger.registry import Actor, Coordinates, Place, Registries, Registry
from conflict_ledger.world import world

__all__ = ["BUILTIN", "builtin", "coordinates_note", "syria", "syria_blocs", "world"]

BUILTIN = ("syria",)
"""Names of the gazetteers shipped with the library."""


def _data(name: str) -> dict[str, Any]:
    text = resources.files("conflict_ledger").joinpath("data", f"{name}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@functools.cache
def _load(name: str) -> tuple[Registries, str]:
    data = _data(name)
    places = []
    for fields in data["places"]:
        coordinates = fields.pop("coordinates", None)
        places.append(
            Place(**fields, coordinates=None if coordinates is None else Coordinates(**coordinates))
        )
    actors = [Actor(**fields) for fields in data["actors"]]
    registries = Registries(places=Registry.of(*places), actors=Registry.of(*actors))
    return registries, str(data.get("coordinates_note", ""))


def builtin(name: str) -> Registries:
    """The built-in gazetteer called ``name`` (see :data:`BUILTIN`).

    >>> len(builtin("syria").places) > 20
    True
    """
    if name not in BUILTIN:
        raise UnknownReferenceError(name=name, suggestions=BUILTIN, field="gazetteer")
    return _load(name)[0]


def syria() -> Registries:
    """Places and actors of the Syrian war, enough for the seed article and its sequels."""
    return builtin("syria")


def coordinates_note(name: str = "syria") -> str:
    """Where a built-in gazetteer's coordinates come from, and how far to trust them.

    >>> "0.01 degree" in coordinates_note()
    True
    """
    builtin(name)
    return _load(name)[1]


@functools.cache
def syria_blocs() -> Blocs:
    """The blocs of the Syrian war with membership bounded in time (reference data).

    >>> import pendulum
    >>> syria_blocs().members("government-alliance", at=pendulum.datetime(2024, 12, 7))
    ('hezbollah', 'iran', 'russia', 'syrian-government')
    """
    memberships = [Membership(**m) for m in _data("syria")["memberships"]]
    return Blocs(memberships=memberships, actors=syria().actors)
