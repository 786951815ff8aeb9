"""Hypothesis strategies for claims and ledgers, in hypothesis's own style.

Every drawn value passes the library's validators, and ledgers shrink toward few, short,
readable claims. Times are whole hours from a base instant, so that ties in valid time,
straddled windows and same-hour reports happen often.

>>> from hypothesis import given
>>> @given(ledgers(max_size=5))
... def test_positions_are_dense(ledger):
...     assert [r.position for r in ledger] == list(range(len(ledger)))
>>> test_positions_are_dense()
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pendulum
from hypothesis import strategies as st

from conflict_ledger.claims import (
    Claim,
    Credibility,
    Evidence,
    Modality,
    SourceChain,
    SourceLink,
    SourceRole,
    Span,
)
from conflict_ledger.events import (
    Advanced,
    Attacked,
    Captured,
    ControlLost,
    CrossingClosed,
    CrossingOpened,
    Event,
    Extent,
    HandedOver,
    Holds,
    Meeting,
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

__all__ = [
    "BASE",
    "claims",
    "events",
    "instants",
    "ledgers",
    "registries",
    "sources",
    "spans",
    "valid_times",
]

BASE = pendulum.datetime(2024, 11, 27, tz="UTC")
"""The instant hour 0 of drawn times stands for (the start of the 2024 offensive)."""

_WIDTHS = (
    (0, Precision.EXACT),
    (1, Precision.HOUR),
    (12, Precision.OVERNIGHT),
    (24, Precision.DAY),
    (24 * 7, Precision.WEEK),
)


def instants(
    *, min_value: int = 0, max_value: int = 24 * 14
) -> st.SearchStrategy[pendulum.DateTime]:
    """UTC instants on whole hours, ``min_value`` to ``max_value`` hours after :data:`BASE`.

    >>> from hypothesis import find
    >>> find(instants(max_value=3), lambda _: True).minute
    0
    """
    return st.integers(min_value=min_value, max_value=max_value).map(lambda h: BASE.add(hours=h))


def valid_times(*, min_value: int = 0, max_value: int = 24 * 14) -> st.SearchStrategy[ValidTime]:
    """Valid windows: an exact hour, or an hour, night, day or week wide.

    >>> from hypothesis import find
    >>> window = find(valid_times(), lambda _: True)
    >>> window.start <= window.end
    True
    """

    def build(start: pendulum.DateTime, width: tuple[int, Precision]) -> ValidTime:
        hours, precision = width
        return ValidTime(start=start, end=start.add(hours=hours), precision=precision)

    return st.builds(
        build, instants(min_value=min_value, max_value=max_value), st.sampled_from(_WIDTHS)
    )


def spans(*, max_value: int = 10_000) -> st.SearchStrategy[Span]:
    """Character spans ``[start, end)`` with ``end <= max_value``.

    >>> from hypothesis import find
    >>> span = find(spans(max_value=50), lambda _: True)
    >>> 0 <= span.start < span.end <= 50
    True
    """
    return st.integers(min_value=0, max_value=max_value - 1).flatmap(
        lambda start: st.integers(min_value=start + 1, max_value=max_value).map(
            lambda end: Span(start=start, end=end)
        )
    )


def sources(*, min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[tuple[Source, ...]]:
    """Tuples of distinct sources ``s0``, ``s1``, ... of assorted kinds.

    >>> from hypothesis import find
    >>> all(s.id.startswith("s") for s in find(sources(), lambda _: True))
    True
    """
    kinds = st.sampled_from(list(SourceKind))
    return st.integers(min_value=min_size, max_value=max_size).flatmap(
        lambda n: st.tuples(*(kinds for _ in range(n))).map(
            lambda drawn: tuple(
                Source(id=f"s{i}", name=f"Source {i}", kind=kind) for i, kind in enumerate(drawn)
            )
        )
    )


def registries(*, places: int = 3, actors: int = 3, sources: int = 3) -> Registries:
    """Registries with places ``p0..``, actors ``a0..`` and sources ``s0..`` (not a strategy).

    >>> sorted(registries(places=2).places.ids())
    ['p0', 'p1']
    """
    return Registries(
        places=Registry.of(
            *(Place(id=f"p{i}", name=f"Place {i}", kind=PlaceKind.TOWN) for i in range(places))
        ),
        actors=Registry.of(
            *(
                Actor(id=f"a{i}", name=f"Actor {i}", kind=ActorKind.ARMED_GROUP)
                for i in range(actors)
            )
        ),
        sources=Registry.of(
            *(
                Source(id=f"s{i}", name=f"Source {i}", kind=SourceKind.AGENCY)
                for i in range(sources)
            )
        ),
    )


def events(
    *, places: Sequence[str] = ("p0", "p1", "p2"), actors: Sequence[str] = ("a0", "a1", "a2")
) -> st.SearchStrategy[Event]:
    """Events of every built-in type, naming only ``places`` and ``actors``.

    >>> from hypothesis import find
    >>> find(events(places=["homs"], actors=["sdf"]), lambda _: True).place_ids()
    ('homs',)
    """
    place = st.sampled_from(tuple(places))
    actor = st.sampled_from(tuple(actors))
    extent = st.sampled_from(list(Extent))
    return st.one_of(
        st.builds(Captured, place=place, actor=actor, extent=st.just(Extent.ALL) | extent),
        st.builds(ControlLost, place=place, actor=actor),
        st.builds(HandedOver, place=place, from_actor=actor, to_actor=actor),
        st.builds(Holds, place=place, actor=actor, extent=st.just(Extent.ALL) | extent),
        st.builds(Advanced, place=place, actor=actor),
        st.builds(Attacked, place=place, actor=actor),
        st.builds(CrossingClosed, place=place, by=actor),
        st.builds(CrossingOpened, place=place, by=actor),
        st.builds(
            Meeting, participants=st.lists(actor, min_size=1, max_size=2).map(tuple), place=place
        ),
    )


_MODALITIES = st.sampled_from(
    [Modality.ASSERTED] * 6 + [Modality.DENIED, Modality.FORECAST, Modality.PLANNED]
)


@st.composite
def claims(
    draw: st.DrawFn,
    *,
    id: str | None = None,
    places: Sequence[str] = ("p0", "p1", "p2"),
    actors: Sequence[str] = ("a0", "a1", "a2"),
    source_ids: Sequence[str] = ("s0", "s1", "s2"),
    min_value: int = 0,
    max_value: int = 24 * 14,
    max_delay: int = 72,
) -> Claim:
    """One claim about ``places`` and ``actors``, reported 0 to ``max_delay`` hours after
    its window starts (a forecast or plan may be reported before it).

    >>> from hypothesis import find
    >>> claim = find(claims(), lambda _: True)
    >>> claim.modality.value in {"asserted", "denied", "forecast", "planned"}
    True
    """
    valid = draw(valid_times(min_value=min_value, max_value=max_value))
    modality = draw(_MODALITIES)
    looks_ahead = modality in (Modality.FORECAST, Modality.PLANNED)
    delay = draw(st.integers(min_value=-48 if looks_ahead else 0, max_value=max_delay))
    origin = draw(st.sampled_from(tuple(source_ids)))
    carriers = draw(st.lists(st.sampled_from(tuple(source_ids)), max_size=2))
    links = [SourceLink(source=origin, role=SourceRole.ORIGIN)] + [
        SourceLink(source=carrier, role=SourceRole.CARRIER) for carrier in carriers
    ]
    evidence = draw(
        st.none()
        | st.builds(
            Evidence,
            document=st.just("0" * 64),
            spans=st.lists(spans(max_value=500), min_size=1, max_size=2).map(tuple),
            paraphrase=st.just("a paraphrase"),
        )
    )
    return Claim(
        id=id if id is not None else f"c{draw(st.integers(min_value=0, max_value=10**6))}",
        event=draw(events(places=places, actors=actors)),
        valid=valid,
        reported_at=valid.start.add(hours=delay),
        source=SourceChain(links=links),
        modality=modality,
        credibility=draw(st.none() | st.sampled_from(list(Credibility))),
        evidence=evidence,
    )


@st.composite
def ledgers(
    draw: st.DrawFn,
    *,
    min_size: int = 0,
    max_size: int = 20,
    places: int = 3,
    actors: int = 3,
    sources: int = 3,
    max_value: int = 24 * 14,
    max_delay: int = 72,
    late_share: float = 0.1,
    retracted_share: float = 0.1,
    corrected_share: float = 0.1,
) -> Ledger:
    """A ledger of claims appended in report order, with late reports, retractions and
    corrections mixed in.

    ``late_share`` of the claims are reported weeks (up to 60 days) after their event;
    ``retracted_share`` and ``corrected_share`` of the claims get a later retraction or
    a correcting claim that supersedes them. Claim ids are ``c0``, ``c1``, ...
    """
    regs = registries(places=places, actors=actors, sources=sources)
    place_ids = [f"p{i}" for i in range(places)]
    actor_ids = [f"a{i}" for i in range(actors)]
    source_ids = [f"s{i}" for i in range(sources)]
    count = draw(st.integers(min_value=min_size, max_value=max_size))
    drawn: list[Claim] = []
    for index in range(count):
        claim = draw(
            claims(
                id=f"c{index}",
                places=place_ids,
                actors=actor_ids,
                source_ids=source_ids,
                max_value=max_value,
                max_delay=max_delay,
            )
        )
        if draw(_chance(late_share)):
            claim = _evolve(
                claim, reported_at=claim.reported_at.add(days=draw(st.integers(14, 60)))
            )
        drawn.append(claim)
    extra: list[Claim] = []
    for claim in list(drawn):
        after = draw(st.integers(min_value=0, max_value=24 * 30))
        if draw(_chance(retracted_share)):
            extra.append(
                Claim(
                    id=f"{claim.id}-retraction",
                    event=Retraction(target=claim.id, reason="withdrawn"),
                    valid=ValidTime.exact(claim.reported_at.add(hours=after)),
                    reported_at=claim.reported_at.add(hours=after),
                    source=claim.source,
                )
            )
        elif draw(_chance(corrected_share)):
            replacement = draw(
                claims(
                    id=f"{claim.id}-correction",
                    places=place_ids,
                    actors=actor_ids,
                    source_ids=source_ids,
                    max_value=max_value,
                    max_delay=max_delay,
                )
            )
            reported = max(replacement.reported_at, claim.reported_at.add(hours=after))
            extra.append(_evolve(replacement, reported_at=reported, supersedes=claim.id))
    everything = drawn + extra
    # Arrival in report order; a claim's retraction or correction always after it.
    rank = {c.id: i for i, c in enumerate(everything)}
    everything.sort(key=lambda c: (c.reported_at, rank[c.id]))
    ledger = Ledger(registries=regs, clock=fixed_clock(BASE))
    ledger.extend(_targets_first(everything))
    return ledger


def _targets_first(ordered: list[Claim]) -> list[Claim]:
    placed: set[str] = set()
    result: list[Claim] = []
    waiting: dict[str, list[Claim]] = {}

    def place(claim: Claim) -> None:
        result.append(claim)
        placed.add(claim.id)
        for follower in waiting.pop(claim.id, []):
            place(follower)

    for claim in ordered:
        target = claim.event.target if isinstance(claim.event, Retraction) else claim.supersedes
        if target is not None and target not in placed:
            waiting.setdefault(target, []).append(claim)
        else:
            place(claim)
    return result


def _chance(share: float) -> st.SearchStrategy[bool]:
    if share <= 0:
        return st.just(False)
    if share >= 1:
        return st.just(True)
    return st.integers(min_value=0, max_value=999).map(lambda n: n < share * 1000)


def _evolve(claim: Claim, **changes: Any) -> Claim:
    import attrs

    return attrs.evolve(claim, **changes)
