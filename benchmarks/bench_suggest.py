"""What a "did you mean" costs: ``Registry.suggest`` (rapidfuzz) beside difflib's matcher.

    python benchmarks/bench_suggest.py
    python benchmarks/bench_suggest.py --names 200000 --repeat 5

Every unknown name a query or an import meets is answered with the closest known ids
(``UnknownPlaceError.suggestions``). The table times one suggestion, in microseconds, over
the Syria gazetteer's places and over registries of synthetic place names (two to four
syllables, like the gazetteer's), with ``difflib.get_close_matches`` (what
``Registry.suggest`` used before) beside it on the same normalised names, and says whether
the two agree on the best suggestion for the misspelt names asked.
"""

from __future__ import annotations

import argparse
import difflib
import random
import statistics
import time
from collections.abc import Callable

from conflict_ledger.gazetteer import syria
from conflict_ledger.registry import Place, Registry, normalise_name

SYLLABLES = [
    "al", "ba", "dar", "deir", "ez", "zor", "ha", "ma", "homs", "ka", "mal", "ra", "qa",
    "sham", "tal", "rif", "aat", "man", "bij", "pal", "my", "su", "way", "da", "lat",
]  # fmt: skip


def synthetic(count: int, seed: int = 7) -> Registry[Place]:
    rng = random.Random(seed)
    names: dict[str, Place] = {}
    while len(names) < count:
        name = " ".join(
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
            for _ in range(rng.randint(1, 2))
        )
        key = normalise_name(name)
        if key not in names:
            names[key] = Place(id=key.replace(" ", "-"), name=name.title(), kind="town")
    return Registry.of(*names.values())


def misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(len(name))
    return name[:i] + rng.choice("aeiouqxz") + name[i + 1 :]


def per_call(fn: Callable[[str], object], asked: list[str], repeat: int) -> float:
    """Median microseconds a call over ``repeat`` rounds of every name in ``asked``."""
    rounds = []
    for _ in range(repeat):
        begin = time.perf_counter()
        for name in asked:
            fn(name)
        rounds.append((time.perf_counter() - begin) / len(asked) * 1e6)
    return statistics.median(rounds)


def row(label: str, registry: Registry[Place], repeat: int) -> str:
    rng = random.Random(11)
    entries = list(registry)
    asked = [misspell(rng.choice(entries).name, rng) for _ in range(200)]
    keys = [normalise_name(n) for e in entries for n in (e.id, e.name, *e.aliases)]

    def with_difflib(name: str) -> list[str]:
        return difflib.get_close_matches(normalise_name(name), keys, n=9, cutoff=0.6)

    fast = per_call(registry.suggest, asked[: 20 if len(keys) > 50_000 else 200], repeat)
    slow = per_call(with_difflib, asked[:20], 1)
    agree = sum(
        registry.suggest(n)[:1] == tuple(registry.resolve(m).id for m in with_difflib(n))[:1]
        for n in asked[:20]
    )
    return f"| {label} | {len(keys):,} | {fast:,.0f} | {slow:,.0f} | {slow / fast:,.0f}x | {agree}/20 |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, nargs="+", default=[1_000, 20_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    registry = syria().places
    registry.suggest("warm up rapidfuzz's import")
    print("| registry | names | rapidfuzz us/call | difflib us/call | speed-up | same best |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(row("syria() places", registry, args.repeat))
    for count in args.names:
        print(row(f"{count:,} synthetic places", synthetic(count), args.repeat))


if __name__ == "__main__":
    main()
