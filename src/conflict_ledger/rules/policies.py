"""Resolution policies: how a place's state is decided when claims disagree.

A policy is a pure function from a :class:`PlaceClaims` (one place's counted claims as of
``at`` and ``known_at``, in fold order, with the sources' grades in force at ``at``) to a
:class:`~conflict_ledger.rules.territory.PlaceState`. Pass one to any snapshot call; write your
own the same way.

* :func:`contest_disagreement` (the default): when claims disagree the place is CONTESTED
  and every side is shown with its claims.
* :func:`latest_report_wins`: a contest goes to the side of the claim reported last.
* :func:`most_reliable_wins`: a contest goes to the side whose best source is most
  reliable (Admiralty A-F of the *origin*); an even match stays contested.
* :func:`corroboration_required`: a gain of control counts only once ``n`` independent
  origins have asserted it (copies of one report carried by several outlets count once).
* :func:`credible_only`: wraps a policy, leaving out claims graded doubtful or worse.

>>> from conflict_ledger import load_seed, snapshot
>>> snapshot(load_seed(), at="2024-12-07T00:00Z", policy=latest_report_wins)["deir-ez-zor"].holder
'sdf'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs
import pendulum

from conflict_ledger.claims import Claim, Credibility, Modality
from conflict_ledger.errors import InvalidClaimError, LedgerError
from conflict_ledger.events import ControlLost, SourceGraded
from conflict_ledger.grades import Reliability
from conflict_ledger.registry import Registry, Source
from conflict_ledger.rules.fold import fold
from conflict_ledger.rules.territory import (
    PlaceFold,
    PlaceState,
    Side,
    Status,
    gainer,
    territory,
    view,
)

__all__ = [
    "DEFAULT_POLICY",
    "PlaceClaims",
    "Policy",
    "PolicyError",
    "apply_policy",
    "contest_disagreement",
    "corroboration",
    "corroboration_required",
    "credible_only",
    "grades_at",
    "latest_report_wins",
    "most_reliable_wins",
]


def _read_only(mapping: Mapping[str, Reliability]) -> Mapping[str, Reliability]:
    return MappingProxyType(dict(mapping))


@attrs.frozen(kw_only=True)
class PlaceClaims:
    """What a policy decides from: one place's counted claims, in fold order.

    ``claims`` are the claims about ``place`` known at ``known_at``, not retracted or
    superseded, whose valid windows start by ``at``. ``grades`` maps source ids to their
    reliability in force at ``at``.

    >>> from conflict_ledger import load_seed
    >>> from conflict_ledger.asof import place_claims
    >>> homs = place_claims(load_seed(), "homs", at="2024-12-07T00:00Z")
    >>> [c.id for c in homs.claims], homs.reliability(homs.claims[0])
    (['dawn-2024-12-07/c02', 'dawn-2024-12-07/c03'], <Reliability.F: 'F'>)
    """

    place: str
    at: pendulum.DateTime
    known_at: pendulum.DateTime | None
    claims: tuple[Claim, ...]
    grades: Mapping[str, Reliability] = attrs.field(
        factory=lambda: MappingProxyType({}), converter=_read_only
    )

    def reliability(self, claim: Claim) -> Reliability:
        """The grade of the claim's origin (F, cannot be judged, when ungraded)."""
        return self.grades.get(claim.source.origin, Reliability.F)


Policy = Callable[[PlaceClaims], PlaceState]
"""A pure function deciding one place's state from its claims."""


class PolicyError(LedgerError, RuntimeError):
    """A policy raised, or returned something that is not a state of the place asked about.

    >>> error = PolicyError(policy="mine", place="homs", problem="returned None")
    >>> error.policy, error.place
    ('mine', 'homs')
    """

    def __init__(self, *, policy: str, place: str, problem: str) -> None:
        self.policy = policy
        self.place = place
        self.problem = problem
        super().__init__(
            f"policy {policy!r} failed for place {place!r}: {problem}. A policy must return a "
            f"PlaceState for the place it is given and must not raise; fix or replace it."
        )


def _name(policy: object) -> str:
    return str(getattr(policy, "__qualname__", None) or getattr(policy, "__name__", None) or policy)


def apply_policy(policy: Policy, claims: PlaceClaims) -> PlaceState:
    """Run ``policy`` on one place, turning any failure into a :class:`PolicyError`.

    >>> apply_policy(lambda claims: None, PlaceClaims(place="homs", at=pendulum.datetime(2024, 12, 7), known_at=None, claims=()))
    Traceback (most recent call last):
    ...
    conflict_ledger.rules.policies.PolicyError: policy '<lambda>' failed for place 'homs': returned NoneType, not a PlaceState. ...
    """
    try:
        state = policy(claims)
    except Exception as error:
        raise PolicyError(
            policy=_name(policy), place=claims.place, problem=f"raised {error!r}"
        ) from error
    if not isinstance(state, PlaceState):
        raise PolicyError(
            policy=_name(policy),
            place=claims.place,
            problem=f"returned {type(state).__name__}, not a PlaceState",
        )
    if state.place != claims.place:
        raise PolicyError(
            policy=_name(policy),
            place=claims.place,
            problem=f"returned the state of {state.place!r}",
        )
    return state


def grades_at(
    claims: Iterable[Claim], sources: Registry[Source] | None, *, at: pendulum.DateTime
) -> Mapping[str, Reliability]:
    """Each source's reliability in force at ``at``: its registered grade, then the
    latest :class:`~conflict_ledger.events.SourceGraded` claim whose window starts by ``at``.

    ``claims`` are the counted claims in fold order (so re-grades are known from their
    report time and in force from their valid time).

    >>> from conflict_ledger import load_seed
    >>> grades_at(load_seed().claims(), None, at=pendulum.datetime(2024, 12, 7))
    mappingproxy({})
    """
    grades = {s.id: s.reliability for s in sources or () if s.reliability is not None}
    for claim in claims:
        event = claim.event
        if isinstance(event, SourceGraded) and claim.valid.start <= at:
            grades[event.source] = event.reliability
    return MappingProxyType(grades)


def contest_disagreement(claims: PlaceClaims) -> PlaceState:
    """The default policy: fold the claims; when they disagree the place is CONTESTED.

    Two claims disagree when their windows overlap and they name different holders, or
    when a denial names the holder. ``sides`` shows every contender with its claims.

    >>> from conflict_ledger import load_seed
    >>> from conflict_ledger.asof import place_claims
    >>> contest_disagreement(place_claims(load_seed(), "homs", at="2024-12-07T00:00Z")).status
    <Status.UNDER_ADVANCE: 'under_advance'>
    """
    return view(fold(territory, claims.claims, PlaceFold(place=claims.place)), at=claims.at)


DEFAULT_POLICY: Policy = contest_disagreement
"""The policy snapshots use when none is given."""


def _against(claim: Claim) -> bool:
    return claim.modality is Modality.DENIED or isinstance(claim.event, ControlLost)


def _actor(claim: Claim) -> str | None:
    if isinstance(claim.event, ControlLost):
        return claim.event.actor
    return gainer(claim.event)


def _side_of(state: PlaceState, claim: Claim) -> Side | None:
    """The side of the contest ``claim`` stands on (None: on no named side)."""
    return next((side for side in state.sides if claim.id in side.claims), None)


def _outcome(
    state: PlaceState, decider: Claim, claims: PlaceClaims
) -> tuple[str | None, str | None]:
    """The holder and previous holder once ``decider`` settles the contest."""
    actor = _actor(decider)
    if decider.modality is Modality.DENIED:
        # A denial that wins: the place is as the claims say without the sides it beat
        # (so the holder before the denied gain keeps it, with its own previous); when
        # they name no holder, the denier keeps it. The actor whose gain was denied
        # never held it, so it is never ``previous``.
        side = _side_of(state, decider)
        beaten = {i for other in state.sides if other is not side for i in other.claims}
        rest = fold(
            territory,
            [c for c in claims.claims if c.id not in beaten],
            PlaceFold(place=claims.place),
        )
        if rest.holder is not None:
            return rest.holder, rest.previous
        holder = side.actor if side is not None and side.actor != actor else None
        return holder, rest.previous if rest.previous not in (holder, actor) else None
    if _against(decider):
        if state.holder == actor:
            return None, actor
        return state.holder, state.previous
    return actor, state.previous if state.holder == actor else state.holder


def _settle(state: PlaceState, decider: Claim, claims: PlaceClaims) -> PlaceState:
    """The contested ``state`` decided by one claim of the contest."""
    holder, previous = _outcome(state, decider, claims)
    pressure = (
        Status.UNDER_ATTACK
        if state.attackers
        else Status.UNDER_ADVANCE
        if state.advancing
        else None
    )
    side = _side_of(state, decider)
    if side is not None:
        on_side = side.claims
    else:
        actor = _actor(decider)
        on_side = tuple(
            c.id for c in claims.claims if _actor(c) == actor and _against(c) == _against(decider)
        )
    status = pressure or (Status.HELD if holder is not None else Status.UNKNOWN)
    return attrs.evolve(
        state,
        status=status,
        holder=holder,
        previous=previous,
        contenders=(),
        sides=(),
        claims=on_side,
        disputes=() if decider.modality is Modality.DENIED else state.disputes,
    )


def _contest_claims(state: PlaceState, claims: PlaceClaims) -> list[Claim]:
    ids = {claim_id for side in state.sides for claim_id in side.claims} | set(state.disputes)
    return [c for c in claims.claims if c.id in ids and _actor(c) is not None]


def latest_report_wins(claims: PlaceClaims) -> PlaceState:
    """A contest goes to the side of the claim reported last (ties: the larger claim id).

    >>> from conflict_ledger import load_seed
    >>> from conflict_ledger.asof import place_claims
    >>> latest_report_wins(place_claims(load_seed(), "aleppo", at="2024-12-07T00:00Z")).status
    <Status.UNKNOWN: 'unknown'>
    """
    state = contest_disagreement(claims)
    contest = _contest_claims(state, claims) if state.status is Status.CONTESTED else []
    if not contest:
        return state
    return _settle(state, max(contest, key=lambda c: (c.reported_at, c.id)), claims)


def most_reliable_wins(claims: PlaceClaims) -> PlaceState:
    """A contest goes to the side whose best origin is most reliable; a tie stays contested.

    Among claims of equal reliability, the better credibility (1 before 6) counts.

    >>> from conflict_ledger import load_seed
    >>> from conflict_ledger.asof import place_claims
    >>> most_reliable_wins(place_claims(load_seed(), "homs", at="2024-12-07T00:00Z")).holder
    'syrian-government'
    """
    state = contest_disagreement(claims)
    contest = _contest_claims(state, claims) if state.status is Status.CONTESTED else []
    if not contest:
        return state

    def strength(claim: Claim) -> tuple[int, int]:
        credibility = claim.credibility if claim.credibility is not None else Credibility(6)
        return (claims.reliability(claim).rank, int(credibility))

    best = min(strength(c) for c in contest)
    winners = [c for c in contest if strength(c) == best]
    outcomes = {(_actor(c), _against(c)) for c in winners}
    if len(outcomes) > 1:
        return state
    return _settle(state, winners[0], claims)


def corroboration(claims: Iterable[Claim], actor: str) -> int:
    """How many independent origins assert that ``actor`` gained or holds the place.

    Copies of one report (the same origin, carried by other outlets) count once.

    >>> from conflict_ledger import load_seed
    >>> corroboration(load_seed().claims(), "sdf")
    1
    """
    return len(
        {
            c.source.origin
            for c in claims
            if c.modality is Modality.ASSERTED and gainer(c.event) == actor
        }
    )


def _first_of_each_report(claims: Iterable[Claim]) -> list[Claim]:
    """``claims`` (in fold order) without the copies of a report met before: the same
    event, window and modality from the same origin, carried again by other outlets or
    reported again later. A copy adds no independent word, so it neither counts for
    corroboration nor, coming last among claims about the same instant, decides the fold.

    >>> from conflict_ledger import load_seed
    >>> claims = load_seed().claims()
    >>> len(_first_of_each_report([*claims, attrs.evolve(claims[0], id="again")])) == len(claims)
    True
    """
    seen: set[tuple[Any, ...]] = set()
    first: list[Claim] = []
    for claim in claims:
        report = (claim.event, claim.valid, claim.modality, claim.source.origin)
        if report not in seen:
            seen.add(report)
            first.append(claim)
    return first


def corroboration_required(n: int) -> Policy:
    """A policy under which a gain of control counts only once ``n`` independent origins
    assert it; until then the place keeps its earlier state. Independence is decided by
    the source chain's origin: one report carried by many outlets counts once.

    >>> from conflict_ledger import load_seed, snapshot
    >>> two = corroboration_required(2)
    >>> two.__name__
    'corroboration_required(2)'
    >>> snapshot(load_seed(), at="2024-12-07T00:00Z", policy=two)["deir-ez-zor"].holder is None
    True
    """
    if n < 1:
        raise InvalidClaimError(
            field="n",
            value=n,
            problem="corroboration needs at least one source",
            hint="Pass n >= 1 (n=1 accepts any single report).",
        )

    def corroborated(claims: PlaceClaims) -> PlaceState:
        kept = tuple(
            c
            for c in _first_of_each_report(claims.claims)
            if (actor := gainer(c.event)) is None
            or c.modality is not Modality.ASSERTED
            or corroboration(claims.claims, actor) >= n
        )
        return contest_disagreement(attrs.evolve(claims, claims=kept))

    corroborated.__name__ = corroborated.__qualname__ = f"corroboration_required({n})"
    return corroborated


def credible_only(policy: Policy, *, max_credibility: int = 3) -> Policy:
    """``policy``, leaving out claims whose credibility is worse than ``max_credibility``
    (4 doubtful, 5 improbable); ungraded claims (None or 6, cannot be judged) stay.

    >>> from conflict_ledger import load_seed, snapshot
    >>> strict = credible_only(contest_disagreement, max_credibility=1)
    >>> snapshot(load_seed(), at="2024-12-07T00:00Z", policy=strict)["homs"].holder is None
    True
    """

    def credible(claims: PlaceClaims) -> PlaceState:
        kept = tuple(
            c
            for c in claims.claims
            if c.credibility is None or c.credibility == 6 or c.credibility <= max_credibility
        )
        return policy(attrs.evolve(claims, claims=kept))

    credible.__name__ = credible.__qualname__ = f"credible_only({_name(policy)})"
    return credible
