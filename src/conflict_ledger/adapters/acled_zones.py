"""The zone an ACLED row's calendar day is read in: the local zone of the row's place.

ACLED's ``event_date`` is a calendar day where the event happened. Unless the import is
given a zone, each row's day is read in the IANA zone of its place:

* its country from ``iso`` (ISO 3166 numeric), else from the ``country`` name (ISO
  3166's names through ``pycountry``, and the names ACLED writes its own way: "Russia",
  "Democratic Republic of Congo", "Kosovo"...);
* the country's zones from the tz database's ``zone.tab`` (shipped by ``tzdata``): one
  country a line, so the east of the DRC is ``Africa/Lubumbashi`` where ``zone1970.tab``
  would give the zone it shares with a neighbour (``Africa/Maputo``);
* of a country's several zones (the USA, Russia, Brazil, the DRC...), the one whose
  principal location (the tab file's coordinates) is nearest the row's latitude and
  longitude, along the great circle. One exception, by ``admin1``: Crimea's zone
  (``Europe/Simferopol``, Moscow time since 2014) is the zone of a Ukrainian row whose
  admin1 is Crimea or Sevastopol, and never of one whose admin1 is another oblast
  (by distance alone, Odesa and Kherson are nearer Simferopol than Kyiv);
* no zone: the country is unknown, or not in ``zone.tab``, or has several zones and the
  row no coordinates. Such a row is read in UTC and the import report counts it.

Each distinct place (its five cells) is looked up once per import.

>>> zones = PlaceZones()
>>> zones.zone(("760", "Syria", "Damascus", "33.51", "36.29"))
'Asia/Damascus'
>>> zones.zone(("", "United States", "Illinois", "41.88", "-87.63"))
'America/Chicago'
>>> zones.zone(("180", "Democratic Republic of Congo", "North Kivu", "-1.68", "29.22"))
'Africa/Lubumbashi'
>>> zones.zone(("", "Atlantis", "", "", "")) is None
True
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import attrs

from conflict_ledger.registry import normalise_name

__all__ = [
    "PlaceKey",
    "PlaceZones",
    "TabZone",
    "country_code",
    "country_label",
    "country_zones",
    "find_zone",
    "nearest_zone",
    "parse_zone_tab",
]

PlaceKey = tuple[str, str, str, str, str]
"""A row's (``iso``, ``country``, ``admin1``, ``latitude``, ``longitude``) cells."""


@attrs.frozen(kw_only=True)
class TabZone:
    """A line of ``zone.tab``: a zone of a country and its principal location."""

    name: str
    lat: float
    lon: float


_ISO_6709 = re.compile(r"([+-])(\d{2})(\d{2})(\d{2})?([+-])(\d{3})(\d{2})(\d{2})?")


def _degrees(sign: str, whole: str, minutes: str, seconds: str | None) -> float:
    value = int(whole) + int(minutes) / 60 + int(seconds or 0) / 3600
    return -value if sign == "-" else value


def parse_zone_tab(text: str) -> dict[str, tuple[TabZone, ...]]:
    """The zones of each country code in the text of a ``zone.tab`` file.

    >>> parse_zone_tab("# comment\\nCD\\t-0418+01518\\tAfrica/Kinshasa\\tDem. Rep. of Congo (west)\\n")
    {'CD': (TabZone(name='Africa/Kinshasa', lat=-4.3, lon=15.3),)}
    """
    found: dict[str, list[TabZone]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        codes, coordinates, name, *_ = line.split("\t")
        match = _ISO_6709.fullmatch(coordinates)
        if match is None:
            continue  # not a line of the format this reads; the others still count
        parts = match.groups()
        zone = TabZone(name=name, lat=_degrees(*parts[:4]), lon=_degrees(*parts[4:]))
        for code in codes.split(","):
            found.setdefault(code, []).append(zone)
    return {code: tuple(zones) for code, zones in found.items()}


@functools.cache
def country_zones() -> Mapping[str, tuple[TabZone, ...]]:
    """The zones of each ISO 3166 alpha-2 country code, from ``tzdata``'s ``zone.tab``."""
    tab = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab")
    zones = parse_zone_tab(tab.read_text(encoding="utf-8"))
    for code, same in _SAME_CLOCKS.items():
        zones.setdefault(code, zones[same])
    return MappingProxyType(zones)


_SAME_CLOCKS = {"XK": "RS"}
"""Places ACLED lists that ``zone.tab`` has no line for, and the country whose clocks
they keep: Kosovo (no ISO 3166 code; ACLED writes ``XK``'s name) keeps Serbia's."""

_ACLED_NAMES = {
    "russia": "RU",
    "democratic republic of congo": "CD",
    "republic of congo": "CG",
    "ivory coast": "CI",
    "palestine": "PS",
    "turkey": "TR",
    "kosovo": "XK",
    "micronesia": "FM",
    "caribbean netherlands": "BQ",
    "brunei": "BN",
    "east timor": "TL",
    "cape verde": "CV",
    "vatican city": "VA",
    "falkland islands": "FK",
    "macedonia": "MK",
    "curacao": "CW",
    "reunion": "RE",
    "saint barthelemy": "BL",
    "saint martin": "MF",
    "sint maarten": "SX",
}
"""ACLED's country names (normalised) that ISO 3166's names and common names miss."""


@functools.lru_cache(maxsize=1024)
def country_code(iso: str, country: str) -> str | None:
    """The alpha-2 code of a row's country: from ``iso`` (numeric), else its name.

    >>> country_code("760", ""), country_code("4.0", ""), country_code("", "Russia")
    ('SY', 'AF', 'RU')
    >>> country_code("", "Syria"), country_code("0", "Kosovo"), country_code("", "Atlantis")
    ('SY', 'XK', None)
    """
    import pycountry

    number = iso.strip().removesuffix(".0")
    if number.isdigit() and int(number):
        found = pycountry.countries.get(numeric=number.zfill(3))
        if found is not None:
            return str(found.alpha_2)
    name = country.strip()
    if not name:
        return None
    if (code := _ACLED_NAMES.get(normalise_name(name))) is not None:
        return code
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return None


_BY_ADMIN1 = {
    "Europe/Simferopol": frozenset({"crimea", "autonomous republic of crimea", "sevastopol"}),
}
"""Zones chosen by the row's ``admin1`` (normalised) where the distance gets them wrong."""


def _candidates(zones: tuple[TabZone, ...], admin1: str) -> tuple[TabZone, ...]:
    """The zones a row of ``admin1`` may be in (see the module docstring)."""
    if not any(z.name in _BY_ADMIN1 for z in zones):
        return zones
    area = normalise_name(admin1)
    named = tuple(z for z in zones if area in _BY_ADMIN1.get(z.name, ()))
    if named or not area:
        return named or zones
    return tuple(z for z in zones if z.name not in _BY_ADMIN1)


_Choice = tuple[str, float, float, float]
"""A zone's name and the unit vector of its principal location."""


def _vector(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


@functools.lru_cache(maxsize=4096)
def _choices(iso: str, country: str, admin1: str) -> tuple[_Choice, ...]:
    """The zones a row of these cells may be in, with their locations' unit vectors."""
    zones = country_zones().get(country_code(iso, country) or "", ())
    return tuple((z.name, *_vector(z.lat, z.lon)) for z in _candidates(zones, admin1))


def _nearest(choices: Sequence[_Choice], lat: float, lon: float) -> str:
    """The choice whose location is nearest (lat, lon) along the great circle: the one
    whose unit vector has the largest dot product with the point's (the first if equal)."""
    x, y, z = _vector(lat, lon)
    best, most = choices[0][0], -2.0
    for name, cx, cy, cz in choices:
        if (dot := cx * x + cy * y + cz * z) > most:
            best, most = name, dot
    return best


def nearest_zone(zones: Sequence[TabZone], lat: float, lon: float) -> str:
    """The name of the zone whose principal location is nearest (lat, lon).

    >>> russia = country_zones()["RU"]
    >>> nearest_zone(russia, 43.12, 131.89), nearest_zone(russia, 55.75, 37.62)
    ('Asia/Vladivostok', 'Europe/Moscow')
    """
    return _nearest([(z.name, *_vector(z.lat, z.lon)) for z in zones], lat, lon)


def find_zone(key: PlaceKey) -> str | None:
    """The zone of a row's place (see the module docstring), None when there is none."""
    iso, country, admin1, lat, lon = key
    choices = _choices(iso, country, admin1)
    if len(choices) <= 1:
        return choices[0][0] if choices else None
    try:
        north, east = float(lat), float(lon)
    except ValueError:
        return None
    if not (-90 <= north <= 90 and -180 <= east <= 180):
        return None  # also NaN
    return _nearest(choices, north, east)


class PlaceZones:
    """The zones of an import's rows, each distinct place looked up once."""

    def __init__(self) -> None:
        self._found: dict[PlaceKey, str | None] = {}

    def zone(self, key: PlaceKey) -> str | None:
        """The zone of a row's (iso, country, admin1, latitude, longitude) cells, or None."""
        found = self._found.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self._found[key] = find_zone(key)
        return found  # type: ignore[return-value]

    def single(self, iso: str, country: str) -> str | None:
        """The zone of every row of this country when it has one zone only, else None."""
        zones = country_zones().get(country_code(iso, country) or "", ())
        return zones[0].name if len(zones) == 1 else None


_UNSEEN = object()


def country_label(iso: str, country: str) -> str:
    """How the report names the country of a row read in UTC.

    >>> country_label("", " Atlantis "), country_label("999", ""), country_label("", "")
    ('Atlantis', 'iso 999', '(no country)')
    """
    if country.strip():
        return country.strip()
    return f"iso {iso.strip()}" if iso.strip() else "(no country)"
