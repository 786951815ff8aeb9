"""Hypothesis strategies for claims and ledgers, in hypothesis's own style.

Every drawn value passes the library's validators, and ledgers shrink toward few, short,
readable claims: ``c0``, ``c1``... about places ``p0``, ``p1``... by actors ``a0``... from
sources ``s0``..., asserted, exact, on time, never retracted. Times are whole hours
after :data:`BASE` (``min_value``/``max_value`` count those hours), so that ties in
valid time, straddled windows and same-hour reports happen often.

Importing :mod:`conflict_ledger.testing` registers these strategies with
:func:`hypothesis.strategies.register_type_strategy`, so ``st.from_type(Claim)`` (and
``Ledger``, ``ValidTime``, ``Span``, ``Source``, ``SourceChain``, ``Event``) works.

>>> from hypothesis import given
>>> @given(ledgers(max_size=5))
... def test_positions_are_dense(ledger):
...     assert [r.position for r in ledger] == list(range(len(ledger)))
>>> test_positions_are_dense()
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import attrs
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
    "BUILTIN_EVENT_TYPES",
    "claims",
    "events",
    "instants",
    "ledgers",
    "registries",
    "source_chains",
    "sources",
    "spans",
    "valid_times",
]

BASE = pendulum.datetime(2024, 11, 27, tz="UTC")
"""The instant hour 0 of drawn times stands for (the start of the 2024 offensive)."""

BUILTIN_EVENT_TYPES: tuple[type[Event], ...] = (
    Captured,
    ControlLost,
    HandedOver,
    Holds,
    Advanced,
    Attacked,
    CrossingClosed,
    CrossingOpened,
    Meeting,
)
"""The event types :func:`events` draws by default (simplest first: shrinking goes there)."""

_WIDTHS = (
    (0, Precision.EXACT),
    (1, Precision.HOUR),
    (12, Precision.OVERNIGHT),
    (24, Precision.DAY),
    (24 * 7, Precision.WEEK),
    (3, Precision.HOURS),  # "between 18:00 and 21:00"
    (48, Precision.DAYS),  # "29/30 Nov", "6-7 Dec"
)
_LOOKING_AHEAD = (Modality.FORECAST, Modality.PLANNED)


@functools.lru_cache(maxsize=8192)
def _hour(hours: int) -> pendulum.DateTime:
    """:data:`BASE` plus ``hours`` (cached: pendulum arithmetic is slow to draw with)."""
    return BASE.add(hours=hours)


def instants(
    *, min_value: int = 0, max_value: int = 24 * 14
) -> st.SearchStrategy[pendulum.DateTime]:
    """UTC instants on whole hours, ``min_value`` to ``max_value`` hours after :data:`BASE`.

    >>> from hypothesis import find
    >>> instant = find(instants(min_value=5, max_value=9), lambda _: True)
    >>> BASE.add(hours=5) <= instant <= BASE.add(hours=9), instant.minute
    (True, 0)
    """
    return st.integers(min_value=min_value, max_value=max_value).map(_hour)


def _window(start: int, width: tuple[int, Precision]) -> ValidTime:
    hours, precision = width
    return ValidTime(start=_hour(start), end=_hour(start + hours), precision=precision)


def valid_times(*, min_value: int = 0, max_value: int = 24 * 14) -> st.SearchStrategy[ValidTime]:
    """Valid windows starting ``min_value`` to ``max_value`` hours after :data:`BASE`:
    an exact hour, or an hour, three hours, a night, a day, two days or a week wide.

    >>> from hypothesis import find
    >>> window = find(valid_times(), lambda w: w.precision is Precision.DAY)
    >>> window.end == window.start.add(days=1)
    True
    """
    return st.builds(
        _window,
        st.integers(min_value=min_value, max_value=max_value),
        st.sampled_from(_WIDTHS),
    )


def spans(*, min_value: int = 0, max_value: int = 10_000) -> st.SearchStrategy[Span]:
    """Character spans ``[start, end)`` with ``min_value <= start < end <= max_value``.

    >>> from hypothesis import find
    >>> span = find(spans(min_value=3, max_value=50), lambda _: True)
    >>> 3 <= span.start < span.end <= 50
    True
    """
    if not 0 <= min_value < max_value:
        raise ValueError(f"need 0 <= min_value < max_value, got {min_value}, {max_value}")
    return st.builds(
        lambda start, length: Span(start=start, end=min(start + length, max_value)),
        st.integers(min_value=min_value, max_value=max_value - 1),
        st.integers(min_value=1, max_value=max_value - min_value),
    )


def sources(
    *, kinds: Sequence[SourceKind] = tuple(SourceKind), max_value: int = 9
) -> st.SearchStrategy[Source]:
    """Single sources ``s0`` to ``s<max_value>`` of the given ``kinds``.

    Like every hypothesis strategy this draws one value; draw several distinct ones
    with ``st.lists(sources(), unique_by=lambda s: s.id)``.

    >>> from hypothesis import find
    >>> source = find(sources(kinds=[SourceKind.OFFICIAL]), lambda _: True)
    >>> source.id, source.kind
    ('s0', <SourceKind.OFFICIAL: 'official'>)
    """
    return st.builds(
        lambda n, kind: Source(id=f"s{n}", name=f"Source {n}", kind=kind),
        st.integers(min_value=0, max_value=max_value),
        st.sampled_from(tuple(kinds)),
    )


def source_chains(
    *, source_ids: Sequence[str] = ("s0", "s1", "s2"), max_size: int = 3
) -> st.SearchStrategy[SourceChain]:
    """Chains of 1 to ``max_size`` links from ``source_ids``: an origin, then carriers.

    >>> from hypothesis import find
    >>> find(source_chains(), lambda _: True).source_ids()
    ('s0',)
    """
    ids = st.sampled_from(tuple(source_ids))
    return st.builds(
        lambda origin, carriers: SourceChain(
            links=(
                SourceLink(source=origin, role=SourceRole.ORIGIN),
                *(SourceLink(source=c, role=SourceRole.CARRIER) for c in carriers),
            )
        ),
        ids,
        st.lists(ids, max_size=max_size - 1),
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


_ONE_ACTOR = (ControlLost, Advanced, Attacked)
_BY = (CrossingClosed, CrossingOpened)
_WITH_EXTENT = (Captured, Holds)
_BUILTIN_SHAPES = (*_ONE_ACTOR, *_BY, *_WITH_EXTENT, HandedOver, Meeting)


class _EventDrawer:
    """Draws events with few, flat choices: the type, then its place and actors."""

    def __init__(
        self, *, places: Sequence[str], actors: Sequence[str], types: Sequence[type[Event]]
    ) -> None:
        if not places or not actors or not types:
            raise ValueError("events need at least one place, one actor and one type")
        self.types = st.sampled_from(tuple(types))
        self.place = st.sampled_from(tuple(places))
        self.actor = st.sampled_from(tuple(actors))
        self.extent = st.sampled_from(tuple(Extent))
        self.pair = st.booleans()
        # Any other event type, yours included: its place and actor fields come from the
        # ids given, every other required field is inferred from its type hints.
        for kind in types:
            if kind not in _BUILTIN_SHAPES:
                attrs.resolve_types(kind)  # string annotations, for hypothesis to infer from
        self.others = {
            kind: st.builds(
                kind,
                **dict.fromkeys(kind.place_fields, self.place),
                **dict.fromkeys(kind.actor_fields, self.actor),
            )
            for kind in types
            if kind not in _BUILTIN_SHAPES
        }

    def draw(self, draw: st.DrawFn) -> Event:
        kind = draw(self.types)
        if kind in self.others:
            return draw(self.others[kind])
        place, actor = draw(self.place), draw(self.actor)
        if kind is Captured:
            # Sometimes naming whom it was taken from: a denial of it then names its denier.
            taken_from = draw(st.none() | self.actor)
            return Captured(
                place=place, actor=actor, extent=draw(self.extent), from_actor=taken_from
            )
        if kind in _WITH_EXTENT:
            return kind(place=place, actor=actor, extent=draw(self.extent))
        if kind in _ONE_ACTOR:
            return kind(place=place, actor=actor)
        if kind in _BY:
            return kind(place=place, by=actor)
        if kind is HandedOver:
            return HandedOver(place=place, from_actor=actor, to_actor=draw(self.actor))
        participants = (actor, draw(self.actor)) if draw(self.pair) else (actor,)
        return Meeting(participants=participants, place=place)


def events(
    *,
    places: Sequence[str] = ("p0", "p1", "p2"),
    actors: Sequence[str] = ("a0", "a1", "a2"),
    types: Sequence[type[Event]] = BUILTIN_EVENT_TYPES,
) -> st.SearchStrategy[Event]:
    """Events of the given ``types`` naming only ``places`` and ``actors``.

    Your own :class:`~conflict_ledger.events.Event` subclasses work too: their
    ``place_fields`` and ``actor_fields`` are drawn from ``places`` and ``actors``.

    >>> from hypothesis import find
    >>> find(events(places=["homs"], actors=["sdf"]), lambda e: True).place_ids()
    ('homs',)
    >>> find(events(types=[CrossingOpened]), lambda _: True).kind
    'crossing_opened'
    """
    drawer = _EventDrawer(places=places, actors=actors, types=types)

    @st.composite
    def one_event(draw: st.DrawFn) -> Event:
        return drawer.draw(draw)

    return one_event()


_DEFAULT_MODALITIES = (Modality.ASSERTED,) * 6 + (
    Modality.DENIED,
    Modality.FORECAST,
    Modality.PLANNED,
)


_CREDIBILITY = (None, *Credibility)


class _ClaimDrawer:
    """Draws one claim with few, flat choices (each hypothesis draw has a cost), from
    strategies built once (building them is slower still)."""

    def __init__(
        self,
        *,
        places: Sequence[str],
        actors: Sequence[str],
        source_ids: Sequence[str],
        types: Sequence[type[Event]],
        min_value: int,
        max_value: int,
        max_delay: int,
    ) -> None:
        self.starts = st.integers(min_value=min_value, max_value=max_value)
        self.widths = st.sampled_from(_WIDTHS)
        self.events = _EventDrawer(places=places, actors=actors, types=types)
        self.sources = st.sampled_from(tuple(source_ids))
        self.carriers = st.integers(min_value=0, max_value=2)
        self.on_time = st.integers(min_value=0, max_value=max(0, max_delay))
        self.ahead = st.integers(min_value=-48, max_value=max(-48, max_delay))
        self.ids = st.integers(min_value=0, max_value=10**6)
        self.credibility = st.sampled_from(_CREDIBILITY)
        self.evidence = st.integers(min_value=0, max_value=499)

    def draw(
        self, draw: st.DrawFn, modalities: st.SearchStrategy[Modality], id: str | None
    ) -> Claim:
        start = draw(self.starts)
        valid = _window(start, draw(self.widths))
        modality = draw(modalities)
        delay = draw(self.ahead if modality in _LOOKING_AHEAD else self.on_time)
        links = [SourceLink(source=draw(self.sources), role=SourceRole.ORIGIN)]
        links += [
            SourceLink(source=draw(self.sources), role=SourceRole.CARRIER)
            for _ in range(draw(self.carriers))
        ]
        cited = draw(self.evidence)  # 0: no evidence; n: the characters [n - 1, n + 9)
        evidence = (
            None
            if cited == 0
            else Evidence(
                document="0" * 64,
                spans=(Span(start=cited - 1, end=cited + 9),),
                paraphrase="a paraphrase",
            )
        )
        return Claim(
            id=id if id is not None else f"c{draw(self.ids)}",
            event=self.events.draw(draw),
            valid=valid,
            reported_at=_hour(start + delay),
            source=SourceChain(links=links),
            modality=modality,
            credibility=draw(self.credibility),
            evidence=evidence,
        )


def claims(
    *,
    id: str | None = None,
    places: Sequence[str] = ("p0", "p1", "p2"),
    actors: Sequence[str] = ("a0", "a1", "a2"),
    source_ids: Sequence[str] = ("s0", "s1", "s2"),
    types: Sequence[type[Event]] = BUILTIN_EVENT_TYPES,
    modalities: Sequence[Modality] | None = None,
    min_value: int = 0,
    max_value: int = 24 * 14,
    max_delay: int = 72,
) -> st.SearchStrategy[Claim]:
    """One claim about ``places`` and ``actors``, its window starting ``min_value`` to
    ``max_value`` hours after :data:`BASE`, reported 0 to ``max_delay`` hours after the
    window starts (a forecast or plan up to 48 hours before it).

    ``modalities`` are the modalities to draw from; by default mostly asserted, some
    denied, forecast and planned. ``id`` fixes the claim id (else ``c<n>``).

    >>> from hypothesis import find
    >>> claim = find(claims(modalities=[Modality.FORECAST]), lambda c: c.reported_at < c.valid.start)
    >>> claim.modality
    <Modality.FORECAST: 'forecast'>
    """
    drawer = _ClaimDrawer(
        places=places,
        actors=actors,
        source_ids=source_ids,
        types=types,
        min_value=min_value,
        max_value=max_value,
        max_delay=max_delay,
    )
    chosen = st.sampled_from(tuple(modalities) if modalities is not None else _DEFAULT_MODALITIES)

    @st.composite
    def one_claim(draw: st.DrawFn) -> Claim:
        return drawer.draw(draw, chosen, id)

    return one_claim()


def ledgers(
    *,
    min_size: int = 0,
    max_size: int = 20,
    places: int = 3,
    actors: int = 3,
    sources: int = 3,
    types: Sequence[type[Event]] = BUILTIN_EVENT_TYPES,
    min_value: int = 0,
    max_value: int = 24 * 14,
    max_delay: int = 72,
    late_share: float = 0.1,
    retracted_share: float = 0.1,
    corrected_share: float = 0.1,
    contested_share: float = 0.1,
    forecast_share: float = 0.1,
) -> st.SearchStrategy[Ledger]:
    """A ledger of ``min_size`` to ``max_size`` claims appended in report order, with late
    reports, retractions, corrections, contested claims and forecasts mixed in.

    Claims name places ``p0``.., actors ``a0``.. and sources ``s0``.. (``places``,
    ``actors`` and ``sources`` of each, all registered) and events of ``types``. Valid
    windows start ``min_value`` to ``max_value`` hours after :data:`BASE`; reports come 0 to
    ``max_delay`` hours after. Of the claims drawn, about ``late_share`` are reported
    weeks late (14 to 60 days), ``forecast_share`` are forecasts or plans (which may be
    reported before their window), ``contested_share`` get a rival claim from another
    source over the same window (a denial, or another actor taking the place),
    ``retracted_share`` get a later retraction and ``corrected_share`` a correcting
    claim that supersedes them. The extra claims come on top of ``max_size``. Ids are
    ``c0``, ``c1``...; ``c3-retraction``, ``c3-correction`` and ``c3-rival`` point at ``c3``.

    >>> from hypothesis import find
    >>> ledger = find(ledgers(contested_share=1, min_size=1, max_size=1), lambda _: True)
    >>> [record.claim.id for record in ledger]
    ['c0', 'c0-rival']
    """
    regs = registries(places=places, actors=actors, sources=sources)
    actor_ids = tuple(f"a{i}" for i in range(actors))
    source_ids = tuple(f"s{i}" for i in range(sources))
    drawer = _ClaimDrawer(
        places=[f"p{i}" for i in range(places)],
        actors=actor_ids,
        source_ids=source_ids,
        types=types,
        min_value=min_value,
        max_value=max_value,
        max_delay=max_delay,
    )
    asserted = st.just(Modality.ASSERTED)
    ahead = st.sampled_from(_LOOKING_AHEAD)
    is_forecast, is_late = _chance(forecast_share), _chance(late_share)
    is_contested = _chance(contested_share)
    is_retracted, is_corrected = _chance(retracted_share), _chance(corrected_share)
    days_late = st.integers(min_value=14, max_value=60)
    hours_after = st.integers(min_value=0, max_value=24 * 30)
    rivals = _Rivals(actor_ids=actor_ids, source_ids=source_ids, max_delay=max_delay)

    @st.composite
    def bundles(draw: st.DrawFn) -> tuple[Claim, tuple[Claim, ...]]:
        # One drawn claim with the claims that follow it: all its choices sit together,
        # so that shrinking can delete a claim and its retraction, rival or correction.
        modalities = ahead if (forecast_share > 0 and draw(is_forecast)) else asserted
        claim = drawer.draw(draw, modalities, _DRAFT)
        if late_share > 0 and draw(is_late):
            claim = attrs.evolve(claim, reported_at=claim.reported_at.add(days=draw(days_late)))
        followers: list[Claim] = []
        if contested_share > 0 and draw(is_contested):
            rival = rivals.draw(draw, claim)
            if rival is not None:
                followers.append(rival)
        if retracted_share > 0 and draw(is_retracted):
            when = claim.reported_at.add(hours=draw(hours_after))
            followers.append(
                Claim(
                    id=f"{_DRAFT}-retraction",
                    event=Retraction(target=_DRAFT, reason="withdrawn"),
                    valid=ValidTime.exact(when),
                    reported_at=when,
                    source=claim.source,
                )
            )
        elif corrected_share > 0 and draw(is_corrected):
            after = draw(hours_after)
            replacement = drawer.draw(draw, asserted, f"{_DRAFT}-correction")
            reported = max(replacement.reported_at, claim.reported_at.add(hours=after))
            followers.append(attrs.evolve(replacement, reported_at=reported, supersedes=_DRAFT))
        return claim, tuple(followers)

    def assemble(drawn: list[tuple[Claim, tuple[Claim, ...]]]) -> Ledger:
        everything = [
            _renamed(claim, f"c{index}")
            for index, (first, followers) in enumerate(drawn)
            for claim in (first, *followers)
        ]
        # Arrival in report order; a claim's retraction or correction always after it.
        rank = {c.id: i for i, c in enumerate(everything)}
        everything.sort(key=lambda c: (c.reported_at, rank[c.id]))
        ledger = Ledger(registries=regs, clock=fixed_clock(BASE))
        ledger.extend(_targets_first(everything))
        return ledger

    return st.lists(bundles(), min_size=min_size, max_size=max_size).map(assemble)


_DRAFT = "draft"


def _renamed(claim: Claim, claim_id: str) -> Claim:
    """A drafted claim (or one that follows the draft) renamed for its place in the ledger."""
    changes: dict[str, Any] = {"id": claim_id + claim.id.removeprefix(_DRAFT)}
    if claim.supersedes == _DRAFT:
        changes["supersedes"] = claim_id
    if isinstance(claim.event, Retraction):
        changes["event"] = attrs.evolve(claim.event, target=claim_id)
    return attrs.evolve(claim, **changes)


class _Rivals:
    """Claims from another source over the same window that disagree with a claim."""

    def __init__(
        self, *, actor_ids: Sequence[str], source_ids: Sequence[str], max_delay: int
    ) -> None:
        self.origins = {
            origin: st.sampled_from([s for s in source_ids if s != origin] or [origin])
            for origin in source_ids
        }
        self.takers = {
            actor: st.sampled_from([a for a in actor_ids if a != actor] or [actor])
            for actor in actor_ids
        }
        self.delays = st.integers(min_value=0, max_value=max(0, max_delay))
        self.taking = st.booleans()

    def draw(self, draw: st.DrawFn, claim: Claim) -> Claim | None:
        place_ids = claim.event.place_ids()
        origins = self.origins.get(claim.source.origin)
        if not place_ids or origins is None:
            return None
        reported = max(claim.reported_at, claim.valid.start).add(hours=draw(self.delays))
        denial = attrs.evolve(
            claim,
            id=f"{claim.id}-rival",
            modality=Modality.DENIED,
            source=SourceChain.of(draw(origins)),
            reported_at=reported,
            evidence=None,
        )
        named = claim.event.actor_ids()
        takers = self.takers.get(named[0]) if named else None
        if takers is None or not draw(self.taking):
            return denial
        taker = draw(takers)
        if taker in named:
            return denial
        return attrs.evolve(
            denial, modality=Modality.ASSERTED, event=Captured(place=place_ids[0], actor=taker)
        )


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
    """True with probability ``share``; shrinks toward False (the plainer ledger)."""
    if share <= 0:
        return st.just(False)
    if share >= 1:
        return st.just(True)
    threshold = 1000 - round(share * 1000)
    return st.integers(min_value=0, max_value=999).map(lambda n: n >= threshold)


def _register() -> None:
    """Make ``st.from_type`` draw the library's values with these strategies."""
    registered: dict[type[Any], st.SearchStrategy[Any]] = {
        Claim: claims(),
        Ledger: ledgers(),
        ValidTime: valid_times(),
        Span: spans(),
        Source: sources(),
        SourceChain: source_chains(),
        Event: events(),
    }
    for kind, strategy in registered.items():
        st.register_type_strategy(kind, strategy)


_register()
