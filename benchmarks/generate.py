"""Realistic synthetic ledgers for the benchmarks (not part of the library).

A war of three years over ``places`` places whose popularity follows a Zipf law: about
12 actors, two main contenders per place (a third actor now and then), about 200
sources. 30% of the claims fall in offensive bursts (a few days to two weeks, over a
few hundred places at once); the rest are spread over the three years. Each claim is
reported 0-72 hours after its event begins (a forecast or plan up to 48 hours before),
and a fraction weeks late; a few are later retracted or corrected. Claims arrive in the
ledger in report order, as they would from a news feed.

Generation is fast because everything that repeats is shared: one instant per hour,
one ``ValidTime`` per (start, width), one ``SourceChain`` per chain, one event object per
distinct event. Only the claim itself (and its id) is new.

    python benchmarks/generate.py --claims 100000 --places 2000            # summary
    python benchmarks/generate.py --claims 100000 --places 2000 --out x.jsonl
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from itertools import accumulate
from typing import Any

import attrs
import pendulum

from conflict_ledger.claims import Claim, Modality, SourceChain
from conflict_ledger.events import (
    Advanced,
    Attacked,
    Captured,
    ControlLost,
    Event,
    Extent,
    HandedOver,
    Holds,
    Retraction,
)
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.registry import (
    Actor,
    ActorKind,
    Place,
    PlaceKind,
    Registries,
    Registry,
    Source,
    SourceKind,
)
from conflict_ledger.time import Precision, ValidTime

START = pendulum.datetime(2022, 1, 1, tz="UTC")
HOURS = 3 * 365 * 24
"""Three years of hours; every generated instant is a whole hour after START."""
END = START.add(hours=HOURS)

ACTORS = (
    "government",
    "opposition",
    "sdf",
    "sna",
    "hts",
    "isis",
    "russia",
    "turkiye",
    "iran",
    "hezbollah",
    "us-coalition",
    "tribal-forces",
)
_WIDTHS = (
    (0, Precision.EXACT, 40),
    (1, Precision.HOUR, 20),
    (24, Precision.DAY, 30),
    (12, Precision.OVERNIGHT, 5),
    (24 * 7, Precision.WEEK, 5),
)
_MODALITIES = (
    (Modality.ASSERTED, 85),
    (Modality.DENIED, 7),
    (Modality.FORECAST, 4),
    (Modality.PLANNED, 4),
)
_KINDS = (
    ("attacked", 35),
    ("advanced", 15),
    ("captured", 20),
    ("lost", 5),
    ("holds", 15),
    ("handed", 5),
    ("partial", 5),
)


@attrs.frozen(kw_only=True)
class Synthetic:
    """A generated ledger and how it was made."""

    ledger: Ledger
    places: int
    claims: int
    seed: int
    seconds: float


def registries(places: int, sources: int = 200) -> Registries:
    """Places ``p00000``..., the 12 actors and sources ``src-000``..."""
    return Registries(
        places=Registry.of(
            *(Place(id=f"p{i:05d}", name=f"Place {i}", kind=PlaceKind.TOWN) for i in range(places))
        ),
        actors=Registry.of(
            *(
                Actor(id=a, name=a.replace("-", " ").title(), kind=ActorKind.ARMED_GROUP)
                for a in ACTORS
            )
        ),
        sources=Registry.of(
            *(
                Source(id=f"src-{i:03d}", name=f"Source {i}", kind=SourceKind.AGENCY)
                for i in range(sources)
            )
        ),
    )


def _chooser(
    rng: random.Random, table: tuple[tuple[Any, ...], ...]
) -> Callable[[], tuple[Any, ...]]:
    weights = list(accumulate(row[-1] for row in table))
    population = list(table)

    def choose() -> tuple[Any, ...]:
        return rng.choices(population, cum_weights=weights, k=1)[0]

    return choose


def generate(
    *,
    claims: int = 100_000,
    places: int = 2_000,
    seed: int = 0,
    zipf: float = 1.0,
    late_share: float = 0.03,
    burst_share: float = 0.30,
    retracted_share: float = 0.005,
    corrected_share: float = 0.005,
    progress: Callable[[int, int], None] | None = None,
) -> Synthetic:
    """A ledger of about ``claims`` claims (retractions and corrections included) about ``places`` places."""
    began = time.perf_counter()
    rng = random.Random(seed)
    regs = registries(places)
    place_ids = [f"p{i:05d}" for i in range(places)]
    popularity = list(accumulate(1.0 / (rank + 1) ** zipf for rank in range(places)))
    contenders = []
    for _ in range(places):
        a, b = rng.sample(ACTORS[:6], 2) if rng.random() < 0.8 else rng.sample(ACTORS, 2)
        contenders.append((a, b, rng.choice(ACTORS)))
    hours = [START.add(hours=h) for h in range(HOURS + 24 * 200)]
    windows: dict[tuple[int, int], ValidTime] = {}
    chains = [
        SourceChain.of(
            f"src-{rng.randrange(200):03d}",
            *(f"src-{rng.randrange(200):03d}" for _ in range(rng.randrange(3))),
        )
        for _ in range(1_000)
    ]
    events: dict[tuple[Any, ...], Event] = {}
    width_of = _chooser(rng, _WIDTHS)
    modality_of = _chooser(rng, _MODALITIES)
    kind_of = _chooser(rng, _KINDS)
    bursts = []
    for _ in range(max(1, claims // 30_000)):
        begin = rng.randrange(HOURS - 24 * 14)
        length = rng.randrange(24 * 3, 24 * 14)
        front = rng.choices(
            range(places), cum_weights=popularity, k=min(places, rng.randrange(50, 300))
        )
        bursts.append((begin, length, front))

    def event(kind: str, place: int) -> Event:
        a, b, third = contenders[place]
        roll = rng.random()
        actor, other = (a, b) if roll < 0.5 else (b, a) if roll < 0.95 else (third, a)
        key = (kind, place, actor, other)
        found = events.get(key)
        if found is None:
            pid = place_ids[place]
            if kind == "attacked":
                found = Attacked(place=pid, actor=actor)
            elif kind == "advanced":
                found = Advanced(place=pid, actor=actor)
            elif kind == "captured":
                found = Captured(place=pid, actor=actor, from_actor=other)
            elif kind == "lost":
                found = ControlLost(place=pid, actor=actor)
            elif kind == "holds":
                found = Holds(place=pid, actor=actor)
            elif kind == "handed":
                found = HandedOver(place=pid, from_actor=other, to_actor=actor)
            else:
                found = Captured(place=pid, actor=actor, extent=Extent.SOME)
            events[key] = found
        return found

    base_count = int(claims / (1 + retracted_share + corrected_share))
    drawn: list[tuple[int, int, Claim]] = []  # (report hour, order, claim)
    for number in range(base_count):
        if rng.random() < burst_share:
            begin, length, front = bursts[rng.randrange(len(bursts))]
            place = front[rng.randrange(len(front))]
            hour = begin + rng.randrange(length)
        else:
            place = rng.choices(range(places), cum_weights=popularity, k=1)[0]
            hour = rng.randrange(HOURS)
        width, precision, _ = width_of()
        window = windows.get((hour, width))
        if window is None:
            window = windows[(hour, width)] = ValidTime(
                start=hours[hour], end=hours[hour + width], precision=precision
            )
        modality = modality_of()[0]
        if modality in (Modality.FORECAST, Modality.PLANNED):
            delay = rng.randrange(-48, 24)
        elif rng.random() < late_share:
            delay = rng.randrange(24 * 14, 24 * 90)
        else:
            delay = rng.randrange(73)
        reported = max(0, hour + delay)
        drawn.append(
            (
                reported,
                number,
                Claim(
                    id=f"g{number}",
                    event=event(kind_of()[0], place),
                    valid=window,
                    reported_at=hours[reported],
                    source=chains[rng.randrange(len(chains))],
                    modality=modality,
                ),
            )
        )
        if progress is not None and number % 100_000 == 0:
            progress(number, claims)
    extra: list[tuple[int, int, Claim]] = []
    for reported, number, claim in drawn:
        roll = rng.random()
        if roll >= retracted_share + corrected_share:
            continue
        later = min(len(hours) - 1, reported + rng.randrange(24 * 30))
        if roll < retracted_share:
            undo = Claim(
                id=f"{claim.id}-r",
                event=Retraction(target=claim.id, reason="withdrawn"),
                valid=ValidTime(start=hours[later], end=hours[later]),
                reported_at=hours[later],
                source=claim.source,
            )
        else:
            undo = attrs.evolve(
                claim, id=f"{claim.id}-c", reported_at=hours[later], supersedes=claim.id
            )
        extra.append((later, base_count + number, undo))
    everything = drawn + extra
    everything.sort(key=lambda row: (row[0], row[1]))
    ledger = Ledger(registries=regs, clock=fixed_clock(START.add(hours=HOURS + 24 * 200)))
    batch = 50_000
    for first in range(0, len(everything), batch):
        ledger.extend(row[2] for row in everything[first : first + batch])
        if progress is not None:
            progress(min(len(everything), first + batch), len(everything))
    return Synthetic(
        ledger=ledger,
        places=places,
        claims=len(ledger),
        seed=seed,
        seconds=time.perf_counter() - began,
    )


def write_sqlite(path: str, *, claims: int, places: int, seed: int = 5) -> float:
    """Generate a ledger and write it to a SQLite file at ``path`` in batches of 50,000
    claims (as the cold-start benchmarks read it); returns the seconds the writing took."""
    from conflict_ledger.codec import open_ledger

    made = generate(claims=claims, places=places, seed=seed)
    began = time.perf_counter()
    with open_ledger(path, durability="normal", create=True) as out:
        regs = made.ledger.registries
        out.register(*regs.places, *regs.actors, *regs.sources)
        written = made.ledger.claims()
        for first in range(0, len(written), 50_000):
            out.extend(written[first : first + 50_000])
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="write the ledger as a claims file (.jsonl)")
    args = parser.parse_args(argv)
    made = generate(claims=args.claims, places=args.places, seed=args.seed)
    print(
        f"{made.claims} claims about {made.places} places in {made.seconds:.1f} s", file=sys.stderr
    )
    if args.out:
        from conflict_ledger.codec import write_claims_file

        regs = made.ledger.registries
        write_claims_file(
            args.out, made.ledger.claims(), values=[*regs.places, *regs.actors, *regs.sources]
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
