"""The territorial projection: who holds each place, how sure we are, and which claims say so.

Claims about one place are folded, in valid-time order, by the pure reducer
:func:`territory` into a :class:`PlaceFold`. The fold does not know the time you ask
about; :func:`view` reads it at an instant ``at`` into a :class:`PlaceState`, so that a
change whose valid window straddles ``at`` is shown as CHANGING, never as settled.

The rules, in full (docs/concepts.md explains them with examples):

* Only ASSERTED claims move control. FORECAST and PLANNED claims never do. A DENIED
  control claim disputes: if it denies the current holder the place becomes CONTESTED.
* A gain (``Captured``/``Holds`` of the whole place, ``HandedOver``) sets the holder;
  ``ControlLost`` clears it (the loser is kept as ``previous``). Partial gains
  (extent MOST or SOME) add a *presence*, not a holder; the holder is never a presence
  (seen in part of a place it holds, it supports its hold).
* A report bounds its own event: an ASSERTED or DENIED claim about the past says the
  event happened by the time it was reported, so the fold uses the window
  ``[valid.start, min(valid.end, reported_at))`` (:func:`fold_end`). Forecasts and plans
  are not bounded. The stored claim is unchanged.
* Windows are half-open, ``[start, end)``: a window that ends exactly when another starts
  does not overlap it, so a capture one day and a recapture the next are ordered. An
  instant (``start == end``) overlaps a window that contains it and an equal instant.
* Two claims whose windows overlap and disagree (different gainers, or a gain and a
  loss or denial of the same actor) cannot be ordered: the place is CONTESTED between
  them until a later claim whose window starts once both have ended settles it.
* A DENIED gain of actor A is a side: its denier is the event's ``from_actor`` when
  given, else the holder A's gain would displace. When it contests A's gain, ``sides``
  lists the denier with the denial. It disputes only A's gain, never a later hold by
  someone else, and ``previous`` never names an actor whose hold was only contested.
* A loss clears the holder when the loser holds the place, or when the loser is a
  contender of a contest that a denial disputes: a denied gain never makes its gainer
  the holder, so nobody is known to hold the place and the loser is ``previous``. Any
  other loss is consistent with what is known and settles nothing.
* ``Attacked`` and ``Advanced`` put the place UNDER_ATTACK or UNDER_ADVANCE, and a
  partial gain (MOST, SOME) gives a presence, until the next dated change of holder (a ``Holds`` claim names the holder without ending them). ``CrossingClosed``/``CrossingOpened`` set ``access``.

>>> from conflict_ledger import Captured, Claim, SourceChain, ValidTime, to_instant
>>> took = Claim(id="c1", event=Captured(place="homs", actor="opposition"),
...              valid=ValidTime.between("2024-12-07T00:00Z", "2024-12-08T00:00Z", precision="day"),
...              reported_at="2024-12-08T00:00Z", source=SourceChain.of("reuters"))
>>> state = territory(PlaceFold(place="homs"), took)
>>> view(state, at=to_instant("2024-12-07T12:00Z")).status
<Status.CHANGING: 'changing'>
>>> view(state, at=to_instant("2024-12-08T00:00Z")).status, state.holder
(<Status.HELD: 'held'>, 'opposition')
"""

from __future__ import annotations

import datetime as _dt
import enum

import attrs
import pendulum

from conflict_ledger.claims import Claim, Modality
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
)
from conflict_ledger.rules.fold import Keyed
from conflict_ledger.time import ValidTime

__all__ = [
    "TERRITORIAL_EVENTS",
    "TERRITORY",
    "Access",
    "Change",
    "PlaceFold",
    "PlaceState",
    "Side",
    "Status",
    "denier_of",
    "fold_end",
    "gainer",
    "place_of",
    "territory",
    "view",
]


class Status(enum.Enum):
    """How sure the ledger is about a place at the asked time.

    >>> Status("under_advance")
    <Status.UNDER_ADVANCE: 'under_advance'>
    """

    UNKNOWN = "unknown"
    """No claim says who holds it (perhaps who lost it: see ``previous``)."""
    HELD = "held"
    """Held by ``holder``, settled by every claim known."""
    CONTESTED = "contested"
    """Credible claims disagree; ``contenders`` lists the sides."""
    CHANGING = "changing"
    """A change of holder whose valid window contains the asked time: not yet certain."""
    UNDER_ATTACK = "under_attack"
    """Attacked since its last change of holder; ``holder`` (if any) still holds it."""
    UNDER_ADVANCE = "under_advance"
    """Advanced on since its last change of holder; ``holder`` (if any) still holds it."""


class Access(enum.Enum):
    """Whether a border crossing is open.

    >>> Access("closed")
    <Access.CLOSED: 'closed'>
    """

    OPEN = "open"
    CLOSED = "closed"


_ZERO = _dt.timedelta(0)

TERRITORIAL_EVENTS: tuple[type[Event], ...] = (
    Captured,
    ControlLost,
    HandedOver,
    Holds,
    Advanced,
    Attacked,
    CrossingClosed,
    CrossingOpened,
)
"""The event types the territorial projection folds; every one has a ``place`` field."""


@attrs.frozen(kw_only=True)
class Change:
    """A control claim whose window may still overlap later claims (reducer bookkeeping).

    ``gained`` says the claim puts ``actor`` in control (else it says ``actor`` lost or
    does not hold it); ``changed`` says the holder changed with it, dated by its window.
    ``end`` is the end of the window the fold uses (:func:`fold_end`); ``point`` says the
    window is an instant. ``denial`` marks a denial of ``actor``'s gain, and ``denier``
    the actor on whose side the denial stands (None: not known).
    """

    claim: str
    actor: str
    end: pendulum.DateTime
    gained: bool
    changed: bool
    point: bool = False
    denial: bool = False
    denier: str | None = None

    def overlaps(self, start: pendulum.DateTime) -> bool:
        """Whether this window overlaps a window starting at ``start`` (not before its own).

        >>> t = pendulum.datetime(2024, 12, 7)
        >>> Change(claim="c", actor="a", end=t, gained=True, changed=True).overlaps(t)
        False
        >>> Change(claim="c", actor="a", end=t, gained=True, changed=True, point=True).overlaps(t)
        True
        """
        return self.end > start or (self.point and self.end == start)


def _add(items: tuple[str, ...], item: str) -> tuple[str, ...]:
    return items if item in items else (*items, item)


def _union(items: tuple[str, ...], more: set[str]) -> tuple[str, ...]:
    return tuple(sorted(set(items) | more))


@attrs.frozen(kw_only=True)
class PlaceFold:
    """The territorial reducer's state for one place: everything :func:`view` needs.

    >>> PlaceFold(place="homs").holder is None
    True
    """

    place: str
    holder: str | None = None
    previous: str | None = None
    since: ValidTime | None = None
    open: tuple[Change, ...] = ()
    contenders: tuple[str, ...] = ()
    attackers: tuple[str, ...] = ()
    advancing: tuple[str, ...] = ()
    presence: tuple[str, ...] = ()
    access: Access | None = None
    support: tuple[str, ...] = ()
    disputes: tuple[str, ...] = ()
    confirmed_at: pendulum.DateTime | None = None


def fold_end(claim: Claim) -> pendulum.DateTime:
    """The end of the window the fold uses: a report bounds the event it asserts or denies.

    An ASSERTED or DENIED claim says its event happened by the time it was reported, so
    its window ends at ``min(valid.end, reported_at)`` (never before ``valid.start``).
    Forecasts and plans look ahead and keep their window.

    >>> from conflict_ledger import Captured, Claim, SourceChain, ValidTime
    >>> took = Claim(id="c1", event=Captured(place="homs", actor="opposition"),
    ...              valid=ValidTime.between("2024-12-07T00:00Z", "2024-12-08T00:00Z", precision="day"),
    ...              reported_at="2024-12-07T20:00Z", source=SourceChain.of("reuters"))
    >>> fold_end(took).isoformat()
    '2024-12-07T20:00:00+00:00'
    """
    valid = claim.valid
    if claim.modality in _BOUNDED and claim.reported_at < valid.end:
        return claim.reported_at if claim.reported_at > valid.start else valid.start
    return valid.end


_BOUNDED = (Modality.ASSERTED, Modality.DENIED)


def _window(claim: Claim) -> tuple[pendulum.DateTime, pendulum.DateTime, bool]:
    """The claim's start, the end the fold uses, and whether that window is an instant."""
    start, end = claim.valid.start, fold_end(claim)
    return start, end, end == start


def _seen(state: PlaceFold, end: pendulum.DateTime) -> pendulum.DateTime:
    if state.confirmed_at is None or state.confirmed_at < end:
        return end
    return state.confirmed_at


def _overlapping(state: PlaceFold, start: pendulum.DateTime) -> tuple[Change, ...]:
    # Claims arrive in valid-start order, so an entry that does not overlap this claim's
    # start can never overlap this claim or any later one: drop it.
    return tuple(change for change in state.open if change.overlaps(start))


def _previous(state: PlaceFold, contested: bool, from_actor: str | None) -> str | None:
    """Who held the place before a change of holder: never a holder only contested."""
    if state.holder is None:
        return from_actor or state.previous
    return state.previous if contested else state.holder


@attrs.frozen(kw_only=True)
class _Contest:
    """What overlapping windows set against a gain: rival gainers, and a loss or a denial
    of the gainer's own gain (with the deniers' sides and the denials)."""

    rivals: frozenset[str] = frozenset()
    disputed: bool = False
    deniers: frozenset[str] = frozenset()
    denials: tuple[str, ...] = ()

    def contenders(self, actor: str) -> tuple[str, ...]:
        against = self.rivals | self.deniers
        if not against and not self.disputed:
            return ()
        return _union((actor,), set(against))


def _contest(still_open: tuple[Change, ...], actor: str) -> _Contest:
    rivals: set[str] = set()
    deniers: set[str] = set()
    denials: list[str] = []
    disputed = False
    for change in still_open:
        if change.gained:
            if change.actor != actor:
                rivals.add(change.actor)
        elif change.actor == actor:
            disputed = True
            if change.denial:
                denials.append(change.claim)
                if change.denier is not None:
                    deniers.add(change.denier)
    return _Contest(
        rivals=frozenset(rivals),
        disputed=disputed,
        deniers=frozenset(deniers),
        denials=tuple(denials),
    )


def _with(items: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    for item in more:
        items = _add(items, item)
    return items


def _gain(
    state: PlaceFold, claim: Claim, actor: str, *, dated: bool, previous: str | None
) -> PlaceFold:
    start, end, point = _window(claim)
    still_open = _overlapping(state, start)
    contest = _contest(still_open, actor)
    contenders = contest.contenders(actor)
    seen = _seen(state, end)
    # A dated gain by a holder whose hold was only contested is a change of its own: it
    # is dated by its window, and the contested claims stop being its support.
    if actor == state.holder and not (dated and state.contenders):
        entry = Change(
            claim=claim.id, actor=actor, end=end, gained=True, changed=False, point=point
        )
        return attrs.evolve(
            state,
            open=(*still_open, entry),
            contenders=contenders,
            support=_add(state.support, claim.id),
            # A dated gain dates the hold anew: only denials of this gain dispute it.
            disputes=contest.denials if dated else _with(state.disputes, contest.denials),
            confirmed_at=seen,
        )
    entry = Change(claim=claim.id, actor=actor, end=end, gained=True, changed=dated, point=point)
    # The outgoing holder's hold was only contested when the place was contested, or
    # when its own gain is still open against this one.
    contested = bool(state.contenders) or state.holder in contest.rivals
    first_hold = not dated and state.holder is None
    return attrs.evolve(
        state,
        holder=actor,
        previous=_previous(state, contested, previous),
        since=claim.valid,
        open=(*still_open, entry),
        contenders=contenders,
        # A dated change ends the pressure that led to it, and the partial presences
        # (the whole place changed hands); a Holds claim only tells us who holds the
        # place, so an advance or attack on it goes on. The holder is no presence.
        attackers=() if dated else state.attackers,
        advancing=() if dated else state.advancing,
        presence=() if dated else tuple(p for p in state.presence if p != actor),
        # A Holds claim naming the first holder keeps what was already behind the
        # place's state (an advance, a closed crossing); a change starts afresh.
        support=(*state.support, claim.id) if first_hold else (claim.id,),
        # Denials of an earlier holder's gain do not dispute a new holder; denials of
        # this gain do, even those whose window began first.
        disputes=_with(state.disputes if first_hold else (), contest.denials),
        confirmed_at=seen,
    )


def _clears(state: PlaceFold, actor: str) -> bool:
    """Whether ``actor``'s loss leaves nobody known to hold the place: it holds it, or it
    is a contender of a contest that a denial disputes (the holder's gain is in doubt,
    and a denied gain never makes its gainer the holder).

    >>> contest = PlaceFold(place="x", holder="saf", previous="rsf", contenders=("rsf", "saf"))
    >>> _clears(attrs.evolve(contest, disputes=("denial",)), "rsf"), _clears(contest, "rsf")
    (True, False)
    """
    if state.holder is None or state.holder == actor:
        return True
    return bool(state.disputes) and actor in state.contenders


def _lose(state: PlaceFold, claim: Claim, actor: str) -> PlaceFold:
    start, end, point = _window(claim)
    still_open = _overlapping(state, start)
    conflicting = any(change.gained and change.actor == actor for change in still_open)
    contenders = (actor,) if conflicting else ()
    if not _clears(state, actor):
        # Someone else holds it, not in doubt by a denial: the loss is consistent with
        # what we know, and settles no contest the place is in.
        entry = Change(
            claim=claim.id, actor=actor, end=end, gained=False, changed=False, point=point
        )
        return attrs.evolve(
            state,
            open=(*still_open, entry),
            contenders=contenders or state.contenders,
            support=_add(state.support, claim.id),
        )
    entry = Change(claim=claim.id, actor=actor, end=end, gained=False, changed=True, point=point)
    return attrs.evolve(
        state,
        holder=None,
        previous=actor,
        since=claim.valid,
        open=(*still_open, entry),
        contenders=contenders,
        attackers=(),
        advancing=(),
        support=(claim.id,),
        disputes=(),
        confirmed_at=_seen(state, end),
    )


def denier_of(state: PlaceFold, actor: str, named: str | None) -> str | None:
    """The actor on whose side a denial of ``actor``'s gain stands (None: not known).

    The denial's ``from_actor`` when it names one; else the holder ``actor``'s gain would
    displace: the holder, or, when ``actor`` holds, the one it took the place from.

    >>> denier_of(PlaceFold(place="x", holder="a", previous="b"), "a", None)
    'b'
    >>> denier_of(PlaceFold(place="x", holder="c"), "a", "b")
    'b'
    """
    if named is not None and named != actor:
        return named
    displaced = state.previous if state.holder == actor else state.holder
    return displaced if displaced != actor else None


def _deny(state: PlaceFold, claim: Claim, actor: str, named: str | None) -> PlaceFold:
    start, end, point = _window(claim)
    still_open = _overlapping(state, start)
    denier = denier_of(state, actor, named)
    entry = Change(
        claim=claim.id,
        actor=actor,
        end=end,
        gained=False,
        changed=False,
        point=point,
        denial=True,
        denier=denier,
    )
    disputes_holder = actor == state.holder or any(
        change.gained and change.actor == actor for change in still_open
    )
    if not disputes_holder:
        # It denies a gain no claim here makes: context, not a dispute.
        return attrs.evolve(state, open=(*still_open, entry))
    sides = {actor} if denier is None else {actor, denier}
    return attrs.evolve(
        state,
        open=(*still_open, entry),
        contenders=_union(state.contenders, sides),
        disputes=_add(state.disputes, claim.id),
    )


def _denied(event: Event) -> tuple[str, str | None] | None:
    """The actor a denied event would have put in control, and the denier it names."""
    match event:
        case Captured(actor=actor, extent=Extent.ALL, from_actor=named):
            return actor, named
        case Holds(actor=actor, extent=Extent.ALL):
            return actor, None
        case HandedOver(to_actor=actor, from_actor=named):
            return actor, named
        case _:
            return None


def gainer(event: Event) -> str | None:
    """The actor an event puts in control of its whole place, or None.

    >>> gainer(Captured(place="homs", actor="opposition")), gainer(Advanced(place="homs", actor="x"))
    ('opposition', None)
    """
    match event:
        case Captured(actor=actor, extent=Extent.ALL) | Holds(actor=actor, extent=Extent.ALL):
            return actor
        case HandedOver(to_actor=actor):
            return actor
        case _:
            return None


def territory(state: PlaceFold, claim: Claim) -> PlaceFold:
    """The pure territorial reducer: the place's state after one more claim about it.

    Claims must come in valid-time order (:func:`conflict_ledger.asof.order_key`); the
    as-of engine guarantees it. Unknown event types leave the state unchanged.

    >>> from conflict_ledger import Claim, CrossingClosed, SourceChain, ValidTime
    >>> closed = Claim(id="c2", event=CrossingClosed(place="jaber-nassib", by="jordan"),
    ...                valid=ValidTime.exact("2024-12-06T10:00Z"), reported_at="2024-12-06T12:00Z",
    ...                source=SourceChain.of("jordan-interior-ministry"))
    >>> territory(PlaceFold(place="jaber-nassib"), closed).access
    <Access.CLOSED: 'closed'>
    """
    if claim.modality is Modality.DENIED:
        denied = _denied(claim.event)
        return state if denied is None else _deny(state, claim, *denied)
    if claim.modality is not Modality.ASSERTED:
        return state
    match claim.event:
        case Captured(actor=actor, extent=Extent.ALL, from_actor=from_actor):
            return _gain(state, claim, actor, dated=True, previous=from_actor)
        case HandedOver(to_actor=actor, from_actor=from_actor):
            return _gain(state, claim, actor, dated=True, previous=from_actor)
        case Holds(actor=actor, extent=Extent.ALL):
            return _gain(state, claim, actor, dated=False, previous=None)
        case Captured(actor=actor) | Holds(actor=actor):
            return attrs.evolve(
                state,
                # Seen in part of a place it holds: support for the hold, not a presence.
                presence=state.presence if actor == state.holder else _add(state.presence, actor),
                support=_add(state.support, claim.id),
                confirmed_at=_seen(state, fold_end(claim)),
            )
        case ControlLost(actor=actor):
            return _lose(state, claim, actor)
        case Attacked(actor=actor):
            return attrs.evolve(
                state, attackers=_add(state.attackers, actor), support=_add(state.support, claim.id)
            )
        case Advanced(actor=actor):
            return attrs.evolve(
                state, advancing=_add(state.advancing, actor), support=_add(state.support, claim.id)
            )
        case CrossingClosed():
            return attrs.evolve(state, access=Access.CLOSED, support=_add(state.support, claim.id))
        case CrossingOpened():
            return attrs.evolve(state, access=Access.OPEN, support=_add(state.support, claim.id))
        case _:
            return state


@attrs.frozen(kw_only=True)
class Side:
    """One side of a contest: an actor and the ids of the claims that put it there.

    >>> Side(actor="sdf", claims=("c1", "c4")).actor
    'sdf'
    """

    actor: str
    claims: tuple[str, ...]


@attrs.frozen(kw_only=True)
class PlaceState:
    """A place's territorial state at one instant, as a snapshot reports it.

    ``holder`` is the actor the claims put in control; whether that is settled is
    ``status`` (only HELD, UNDER_ATTACK and UNDER_ADVANCE are settled). ``since`` is the
    window of the last change of holder, ``claims`` the ids of the claims behind this
    state and ``disputes`` the denials against it. When CONTESTED, ``sides`` lists every
    contender with the claims on its side. ``confirmed_at`` is the latest valid time a
    control claim speaks for, and ``unconfirmed_for`` how long before the asked time
    that was (silence is not continued control: see ``Snapshot.stale``).

    >>> state = PlaceState(place="homs", status=Status.UNDER_ADVANCE, holder="syrian-government")
    >>> state.settled, state.situation()[:2]
    (True, (<Status.UNDER_ADVANCE: 'under_advance'>, 'syrian-government'))
    """

    place: str
    status: Status
    holder: str | None = None
    previous: str | None = None
    since: ValidTime | None = None
    contenders: tuple[str, ...] = ()
    attackers: tuple[str, ...] = ()
    advancing: tuple[str, ...] = ()
    presence: tuple[str, ...] = ()
    access: Access | None = None
    claims: tuple[str, ...] = ()
    disputes: tuple[str, ...] = ()
    confirmed_at: pendulum.DateTime | None = None
    unconfirmed_for: _dt.timedelta | None = None
    sides: tuple[Side, ...] = ()

    @property
    def settled(self) -> bool:
        """True when the holder (or its absence) is not in doubt at this instant."""
        return self.status not in (Status.CONTESTED, Status.CHANGING)

    def situation(self) -> tuple[object, ...]:
        """What the place's state *is*, leaving out which claims say so (for diffs and timelines)."""
        return (
            self.status,
            self.holder,
            self.previous,
            self.contenders,
            self.attackers,
            self.advancing,
            self.presence,
            self.access,
        )


def _on_side(change: Change, actor: str) -> bool:
    """Whether a window's claim stands on ``actor``'s side (a denial on its denier's)."""
    return change.denier == actor if change.denial else change.actor == actor


def view(state: PlaceFold, *, at: pendulum.DateTime) -> PlaceState:
    """Read a fold at instant ``at`` (the fold holds claims whose windows start by ``at``).

    A change whose window has not ended by ``at`` makes the place CHANGING: the claims
    say it changed hands within the window, so at ``at`` it may not have yet.
    """
    pending = [change for change in state.open if change.changed and change.end > at]
    contenders = state.contenders
    if contenders:
        status = Status.CONTESTED
    elif pending:
        status = Status.CHANGING
        moving = {change.actor for change in pending if change.gained}
        moving.update(actor for actor in (state.previous, state.holder) if actor is not None)
        contenders = tuple(sorted(moving))
    elif state.attackers:
        status = Status.UNDER_ATTACK
    elif state.advancing:
        status = Status.UNDER_ADVANCE
    elif state.holder is not None:
        status = Status.HELD
    else:
        status = Status.UNKNOWN
    sides: tuple[Side, ...] = ()
    if status is Status.CONTESTED:
        sides = tuple(
            Side(
                actor=actor,
                claims=tuple(
                    sorted(
                        {change.claim for change in state.open if _on_side(change, actor)}
                        | (set(state.support) if actor == state.holder else set())
                    )
                ),
            )
            for actor in contenders
        )
    unconfirmed = None
    if state.confirmed_at is not None:
        # datetime's own subtraction: pendulum's builds an Interval, ten times slower.
        unconfirmed = max(_ZERO, _dt.datetime.__sub__(at, state.confirmed_at))
    return PlaceState(
        place=state.place,
        status=status,
        holder=state.holder,
        previous=state.previous,
        since=state.since,
        contenders=contenders,
        attackers=state.attackers,
        advancing=state.advancing,
        presence=state.presence,
        access=state.access,
        claims=state.support,
        disputes=state.disputes,
        confirmed_at=state.confirmed_at,
        unconfirmed_for=unconfirmed,
        sides=sides,
    )


def place_of(claim: Claim) -> str | None:
    """The place a claim is about, for the territorial projection (None: not territorial).

    >>> from conflict_ledger import Claim, Meeting, SourceChain, ValidTime
    >>> place_of(Claim(id="m", event=Meeting(participants=("iran",), place="doha"),
    ...                valid=ValidTime.exact("2024-12-07T09:00Z"), reported_at="2024-12-07T10:00Z",
    ...                source=SourceChain.of("reuters"))) is None
    True
    """
    event = claim.event
    if isinstance(event, TERRITORIAL_EVENTS):
        place: str = event.place  # type: ignore[attr-defined]
        return place
    return None


TERRITORY: Keyed[Claim, str, PlaceFold] = Keyed(
    name="territory",
    key=place_of,
    initial=lambda place: PlaceFold(place=place),
    reducer=territory,
)
"""The territorial projection, keyed by place: fold claims in valid-time order."""
