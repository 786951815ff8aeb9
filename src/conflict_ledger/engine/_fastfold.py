"""The territorial reducer at machine speed (private; :mod:`conflict_ledger.engine.index` uses it).

:func:`conflict_ledger.rules.territory.territory` is the reference: pure, one frozen
:class:`~conflict_ledger.rules.territory.PlaceFold` per claim. Here the same rules run over
claims *compiled once* into plain tuples (:func:`compile_claim`), with integer
timestamps (microseconds since the epoch), mutating private working lists inside
:func:`fold` and freezing into an immutable tuple (:data:`Frozen`) at the boundary. No
per-claim copy, no ``isinstance`` or ``match`` in the loop. :func:`to_place_fold` and
:func:`view` turn a frozen tuple into the reference's types; the property tests in
``tests/test_index.py`` hold the two paths equal.

>>> from conflict_ledger import Captured, Claim, SourceChain, ValidTime
>>> took = Claim(id="c1", event=Captured(place="homs", actor="opposition"),
...              valid=ValidTime.exact("2024-12-07T00:00Z"), reported_at="2024-12-07T01:00Z",
...              source=SourceChain.of("reuters"))
>>> state = fold(EMPTY, [compile_claim(took)])
>>> to_place_fold("homs", state).holder
'opposition'
"""

from __future__ import annotations

import datetime as _dt
import operator
from collections.abc import Iterable, Sequence
from typing import Any, cast

import attrs
import pendulum

from conflict_ledger.claims import Claim, Modality
from conflict_ledger.engine._sketch import Sketch
from conflict_ledger.events import (
    Advanced,
    Attacked,
    Captured,
    ControlLost,
    CrossingClosed,
    CrossingOpened,
    Extent,
    HandedOver,
    Holds,
)
from conflict_ledger.rules.territory import Access, Change, PlaceFold, PlaceState, Side, Status
from conflict_ledger.time import ValidTime

__all__ = [
    "EMPTY",
    "Frozen",
    "Op",
    "compile_claim",
    "end_instant",
    "fold",
    "instant",
    "micros",
    "read",
    "reading",
    "status_at",
    "to_place_fold",
    "valid_window",
    "view",
]

# Operation codes, one per branch of ``territory``.
GAIN = 0  # Captured(ALL) / HandedOver: a dated change of holder
HOLD = 1  # Holds(ALL): names the holder, no dated change
PRESENCE = 2  # Captured/Holds of MOST or SOME
LOSE = 3  # ControlLost
ATTACK = 4
ADVANCE = 5
CLOSE = 6
OPEN = 7
DENY = 8  # a DENIED gain
NOOP = 9  # forecasts, plans, denials of non-gains, unknown event types

Op = tuple[Any, ...]
"""A compiled claim: (code, actor, from_actor, claim id, start, end, reported, valid, end
instant, claim); start/end/reported in integer microseconds since the epoch; the claim is
its ledger position when the index sketched it (read it with ``Ledger.at``). Read from a
saved index, ``valid`` is ``(end in micros, precision)`` and the end instant None: read
both with :func:`valid_window` and :func:`end_instant`."""

# Field positions in a compiled claim.
CODE, ACTOR, OTHER, CID, START, END, REPORTED, VALID, END_DT, CLAIM = range(10)

Frozen = tuple[Any, ...]
"""A frozen working state: (holder, previous, since, open, contenders, attackers, advancing,
presence, access, support, disputes, confirmed_at in micros, confirmed_at instant); ``open``
holds (end micros, actor, gained, changed, claim id, reach, side, end instant) tuples:
``reach`` is twice the end, plus one for an instant window, so that the window overlaps
a window starting at ``s`` exactly when ``reach > 2 * s``; ``side`` is the actor on whose
side the claim stands (a denial's denier, None when not known; else ``actor``)."""

EMPTY: Frozen = (None, None, None, (), (), (), (), (), None, (), (), None, None)
"""The state of a place no claim has touched (the reference's ``PlaceFold(place=...)``)."""


_EPOCH_DAY = pendulum.date(1970, 1, 1).toordinal()


def micros(instant: pendulum.DateTime) -> int:
    """A UTC instant as integer microseconds since the Unix epoch (exact, order-preserving).

    Every instant in the library is UTC (:func:`~conflict_ledger.time.to_instant`), so the
    calendar fields are read directly, without asking the time zone for its offset.

    >>> micros(pendulum.datetime(1970, 1, 2, 0, 0, 1, 5, tz="UTC"))
    86401000005
    """
    days = instant.toordinal() - _EPOCH_DAY
    seconds = (days * 24 + instant.hour) * 3600 + instant.minute * 60 + instant.second
    return seconds * 1_000_000 + instant.microsecond


_EPOCH = _dt.datetime(1970, 1, 1)
_UTC = pendulum.UTC


def instant(us: int) -> pendulum.DateTime:
    """The UTC instant ``us`` microseconds after the epoch (the inverse of :func:`micros`).

    >>> instant(86401000005) == pendulum.datetime(1970, 1, 2, 0, 0, 1, 5, tz="UTC")
    True
    """
    at = _EPOCH + _dt.timedelta(microseconds=us)
    return pendulum.DateTime(
        at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond, tzinfo=_UTC
    )


_new, _set = object.__new__, object.__setattr__


def valid_window(op: Op) -> ValidTime:
    """A compiled claim's valid window: the claim's own, or for one read from a saved index
    (which keeps ``(end in micros, precision)`` instead), made now from its instants.

    >>> from conflict_ledger.time import Precision
    >>> op = (GAIN, "a", None, "c1", 0, 3_600_000_000, 0, (3_600_000_000, Precision.HOUR), None, 0)
    >>> valid_window(op).end == pendulum.datetime(1970, 1, 1, 1, tz="UTC")
    True
    """
    found = op[VALID]
    if type(found) is not tuple:
        return cast(ValidTime, found)
    window: ValidTime = _new(ValidTime)  # as it was when first made, and checked then
    _set(window, "start", instant(op[START]))
    _set(window, "end", instant(found[0]))
    _set(window, "precision", found[1])
    return window


def _since(op: Op) -> Any:
    """What a frozen state keeps as the window its holder rests on: the window, or for a
    claim read from a saved index the compiled claim itself (:func:`since_window`)."""
    found = op[VALID]
    return op if type(found) is tuple else found


def since_window(state: Frozen) -> ValidTime | None:
    """The window a frozen state's holder rests on (made now if it was saved)."""
    since = state[2]
    return valid_window(since) if type(since) is tuple else since


def confirmed_at(state: Frozen) -> pendulum.DateTime | None:
    """The instant a frozen state was last confirmed (made now if it was saved)."""
    found, micros_at = state[12], state[11]
    return instant(micros_at) if found is None and micros_at is not None else found


def opened_end(window: tuple[Any, ...]) -> pendulum.DateTime:
    """The end instant of a frozen state's open window (made now if it was saved)."""
    found = window[7]
    return instant(window[0]) if found is None else cast(pendulum.DateTime, found)


def end_instant(op: Op) -> pendulum.DateTime:
    """The instant of a compiled claim's end (``END`` in micros): the claim's own object,
    or for one read from a saved index (which keeps None), made now."""
    found = op[END_DT]
    return instant(op[END]) if found is None else cast(pendulum.DateTime, found)


def _general_code(claim: Claim) -> tuple[int, str | None, str | None]:
    # Mirrors the ``match`` in territory(), in the same order (subclasses included).
    event = claim.event
    if claim.modality is Modality.DENIED:
        if isinstance(event, Captured) and event.extent is Extent.ALL:
            return DENY, event.actor, event.from_actor
        if isinstance(event, Holds) and event.extent is Extent.ALL:
            return DENY, event.actor, None
        if isinstance(event, HandedOver):
            return DENY, event.to_actor, event.from_actor
        return NOOP, None, None
    if claim.modality is not Modality.ASSERTED:
        return NOOP, None, None
    if isinstance(event, Captured) and event.extent is Extent.ALL:
        return GAIN, event.actor, event.from_actor
    if isinstance(event, HandedOver):
        return GAIN, event.to_actor, event.from_actor
    if isinstance(event, Holds) and event.extent is Extent.ALL:
        return HOLD, event.actor, None
    if isinstance(event, Captured | Holds):
        return PRESENCE, event.actor, None
    if isinstance(event, ControlLost):
        return LOSE, event.actor, None
    if isinstance(event, Attacked):
        return ATTACK, event.actor, None
    if isinstance(event, Advanced):
        return ADVANCE, event.actor, None
    if isinstance(event, CrossingClosed):
        return CLOSE, None, None
    if isinstance(event, CrossingOpened):
        return OPEN, None, None
    return NOOP, None, None


_SIMPLE = {Attacked: ATTACK, Advanced: ADVANCE, ControlLost: LOSE}


def _code(claim: Claim) -> tuple[int, str | None, str | None]:
    # The built-in types by exact type (the common case); anything else the general way.
    event = claim.event
    kind = type(event)
    if claim.modality is not Modality.ASSERTED or kind not in _FAST:
        return _general_code(claim)
    simple = _SIMPLE.get(kind)
    if simple is not None:
        return simple, event.actor, None  # type: ignore[attr-defined]
    if kind is Captured:
        if event.extent is Extent.ALL:  # type: ignore[attr-defined]
            return GAIN, event.actor, event.from_actor  # type: ignore[attr-defined]
        return PRESENCE, event.actor, None  # type: ignore[attr-defined]
    if kind is Holds:
        return (HOLD if event.extent is Extent.ALL else PRESENCE), event.actor, None  # type: ignore[attr-defined]
    if kind is HandedOver:
        return GAIN, event.to_actor, event.from_actor  # type: ignore[attr-defined]
    return (CLOSE if kind is CrossingClosed else OPEN), None, None


_FAST = frozenset(
    (Attacked, Advanced, ControlLost, Captured, Holds, HandedOver, CrossingClosed, CrossingOpened)
)


def compile_claim(claim: Claim, shared: dict[int, Any] | None = None) -> Op:
    """Compile a territorial claim once, for :func:`fold` (the only place types are checked).

    ``shared`` (optional) remembers the conversion of window and instant objects by
    identity, for a batch of claims that all stay alive while it is in use.

    >>> from conflict_ledger import Attacked, Claim, SourceChain, ValidTime
    >>> shelled = Claim(id="c9", event=Attacked(place="homs", actor="opposition"),
    ...                 valid=ValidTime.exact("2024-12-07T00:00Z"),
    ...                 reported_at="2024-12-07T00:00Z", source=SourceChain.of("reuters"))
    >>> compile_claim(shelled)[:4]
    (4, 'opposition', None, 'c9')
    """
    code, actor, other = _code(claim)
    valid = claim.valid
    if shared is None:
        start, end, reported = micros(valid.start), micros(valid.end), micros(claim.reported_at)
    else:
        # Claims share windows and report instants: convert each object once.
        window = shared.get(id(valid))
        if window is None:
            window = shared[id(valid)] = (micros(valid.start), micros(valid.end))
        start, end = window
        known = shared.get(id(claim.reported_at))
        if known is None:
            known = shared[id(claim.reported_at)] = micros(claim.reported_at)
        reported = known
    end_dt = valid.end
    if reported < end and claim.modality in _BOUNDED:
        # A report bounds the event it asserts or denies (territory.fold_end).
        end, end_dt = (reported, claim.reported_at) if reported > start else (start, valid.start)
    # A claim the index sketched from its stored outline is kept as its position, and read
    # when an answer hands it out (engine/_sketch.py): the sketch itself is let go.
    held = claim.position if type(claim) is Sketch else claim  # type: ignore[comparison-overlap]
    return (code, actor, other, claim.id, start, end, reported, valid, end_dt, held)


_BOUNDED = frozenset((Modality.ASSERTED, Modality.DENIED))


_BEFORE_ALL = -(1 << 62)
"""Earlier than any instant in micros (year 1 is about -6.2e16): "no window of this kind"."""

_AFTER_ALL = 1 << 62
"""Later than any instant in micros: the start of "no gain, loss or denial yet"."""

_CID = operator.itemgetter(CID)


REACH, SIDE = 5, 6  # positions of the reach and the side in a window, working or frozen


def _summaries(opened: list[Any]) -> tuple[dict[str, int], dict[str, int]]:
    # Per actor, the latest reach among its open gains, and among its open losses and denials.
    gained: dict[str, int] = {}
    lost: dict[str, int] = {}
    for entry in opened:
        latest = gained if entry[2] else lost
        if latest.get(entry[1], _BEFORE_ALL) < entry[REACH]:
            latest[entry[1]] = entry[REACH]
    return gained, lost


def _denials(opened: list[Any], actor: str, start2: int) -> tuple[set[str], list[str]]:
    # The named deniers of ``actor``'s gain, and the ids of the denials, among the windows
    # overlapping ``start2 / 2``, in the order they opened (rare: read only when some
    # loss or denial of ``actor`` is open).
    deniers: set[str] = set()
    denials: list[str] = []
    for entry in opened:
        side = entry[SIDE]
        if entry[2] or entry[1] != actor or side == actor or entry[REACH] <= start2:
            continue
        denials.append(entry[4] if len(entry) == 8 else entry[4][CID])
        if side is not None:
            deniers.add(side)
    return deniers, denials


def _with(ids: Iterable[str], more: list[str]) -> list[str]:
    # ``ids`` as a new list, with the ids of ``more`` it lacks added in order.
    result = list(ids)
    for item in more:
        if item not in result:
            result.append(item)
    return result


def _frozen(window: tuple[Any, ...]) -> tuple[Any, ...]:
    # A window opened by ``fold`` as the frozen state holds it. Its claim's id and end
    # instant are read only here, for the few windows still open at the freeze: they are
    # objects scattered in memory (the id made with the claim, the instant shared with
    # other claims), and taking a reference to each would touch them for every window.
    end, actor, gained, changed, op, reach, side = window
    return (end, actor, gained, changed, op[CID], reach, side, op[END_DT])  # None: see opened_end


def _reopen(
    windows: Iterable[Any], start2: int
) -> tuple[list[Any], dict[str, int], dict[str, int]]:
    """The windows of ``windows`` that overlap a window starting at ``start2 / 2``, in
    order, and their summaries (:func:`_summaries`).

    The reference drops the windows that ended before each gain, loss or denial starts,
    then scans the rest. :func:`fold` keeps the windows in a list until it doubles in
    length (or until the freeze), and its scans read two small maps instead: per actor,
    the latest end of its gains and of its losses and denials. Claims come in start
    order, so an actor has a window still open at ``start`` exactly when its latest end
    is not before ``start``; a claim that starts earlier than the one before it (never,
    in fold order) drops the ended windows here at once and rebuilds the maps, so the
    result is the reference's for any order.

    >>> _reopen([(5, "a", True, True, None, 10, "a")], 10)
    ([], {}, {})
    """
    opened = [entry for entry in windows if entry[REACH] > start2]
    gained, lost = _summaries(opened)
    return opened, gained, lost


def _denier(named: str | None, actor: str, holder: str | None, previous: str | None) -> str | None:
    """:func:`conflict_ledger.rules.territory.denier_of` on the fold's own state.

    >>> _denier(None, "a", "a", "b"), _denier("c", "a", None, None)
    ('b', 'c')
    """
    if named is not None and named != actor:
        return named
    denier = previous if holder == actor else holder
    return None if denier == actor else denier


def _clears(
    holder: str | None, actor: str, contenders: tuple[str, ...], disputes: Sequence[str]
) -> bool:
    """Whether ``actor``'s loss leaves nobody known to hold the place: it held it, or it
    contested it while a denial disputes it (:func:`conflict_ledger.rules.territory.territory`).

    >>> _clears("saf", "rsf", ("rsf", "saf"), ["denial"]), _clears("saf", "rsf", ("rsf", "saf"), [])
    (True, False)
    """
    return holder is None or holder == actor or (actor in contenders and bool(disputes))


def _kept(opened: list[Any], floor: int) -> tuple[Any, ...]:
    # The windows still open at the freeze: those that end after the last claim's start,
    # and the last claim's own window whatever its end, as the reference keeps them.
    kept = [entry for entry in opened[:-1] if entry[REACH] > floor + floor]
    kept.append(opened[-1])
    return tuple([entry if len(entry) == 8 else _frozen(entry) for entry in kept])


def fold(
    state: Frozen, ops: Iterable[Op], holders: list[tuple[int, str | None]] | None = None
) -> Frozen:
    """Fold compiled claims (in :func:`~conflict_ledger.asof.order_key` order) into ``state``.

    The working state is private lists and locals, mutated in place; the result is a
    new frozen tuple and ``state`` is untouched. The claims are distinct (a ledger's ids
    are unique), so a claim id is appended to the supporting or disputing ids without
    the reference's membership test. The open windows are kept as :func:`_reopen` says.
    The supporting claims are kept as compiled claims and their ids read at the freeze:
    most are dropped by a later change of holder first. Likewise the windows keep their
    compiled claim, and the claims that last changed the holder and last confirmed the
    place are kept, until the freeze reads their ids and instants: the loop reads only
    the compiled claims, their numbers and the actors.

    ``holders`` (optional) receives (index in ``ops``, new holder) at each change of holder.

    >>> fold(EMPTY, []) == EMPTY
    True
    """
    (
        holder,
        previous,
        since,
        open_,
        contenders,
        attackers_t,
        advancing_t,
        presence_t,
        access,
        support_t,
        disputes_t,
        conf,
        conf_dt,
    ) = state
    # The working lists are copied from the frozen tuples only when changed (None until
    # then); a change of holder empties them by emptying the frozen tuple they copy.
    attackers: list[str] | None = None
    advancing: list[str] | None = None
    presence: list[str] | None = None
    disputes: list[str] | None = None
    backing: list[Op] = []  # the supporting claims after the ids in ``support_t``
    # The windows: every window not dropped yet, in the order they opened; those ending
    # before ``floor`` (the start of the last gain, loss or denial) are closed, and
    # dropped when the list doubles or at the freeze. A window opened in this call is
    # (end, actor, gained, changed, compiled claim) until the freeze (see ``_frozen``).
    opened: list[Any] = []
    gained: dict[str, int] = {}
    lost: dict[str, int] = {}
    floor = _AFTER_ALL
    limit = 0
    # The claims that last confirmed the place and last changed its holder (None: not in
    # this call): their instants are read at the freeze.
    confirming: Op | None = None
    since_from: Op | None = None
    for t, op in enumerate(ops):
        code = op[0]
        if code == ATTACK:
            actor = op[1]
            if attackers is None:
                attackers = list(attackers_t)
            if actor not in attackers:
                attackers.append(actor)
            backing.append(op)
            continue
        if code > HOLD and code != LOSE and code != DENY:
            if code == NOOP:
                continue
            backing.append(op)
            if code == ADVANCE:
                actor = op[1]
                if advancing is None:
                    advancing = list(advancing_t)
                if actor not in advancing:
                    advancing.append(actor)
            elif code == PRESENCE:
                actor = op[1]
                if actor != holder:  # the holder seen in part of it: support, no presence
                    if presence is None:
                        presence = list(presence_t)
                    if actor not in presence:
                        presence.append(actor)
                if conf is None or conf < op[5]:
                    conf, confirming = op[5], op
            else:
                access = Access.CLOSED if code == CLOSE else Access.OPEN
            continue
        # A gain, a loss or a denial: it reads and extends the open windows. Field by
        # field: unpacking would touch the claim and its report instant too, objects
        # scattered in memory that the fold never reads.
        actor = op[1]
        start = op[4]
        end = op[5]
        start2 = start + start
        reach = end + end + (end == start)
        if start < floor:
            if floor == _AFTER_ALL:  # the first of this call
                opened, gained, lost = _reopen(open_, start2)
            else:  # a claim out of fold order: drop what closed, rebuild the maps
                opened, gained, lost = _reopen(opened, floor + floor)
            limit = 2 * len(opened) + 16
        elif len(opened) > limit:
            opened = [entry for entry in opened if entry[REACH] > start2]
            limit = 2 * len(opened) + 16
        floor = start
        if code <= HOLD:
            rivals = {
                someone
                for someone, latest in gained.items()
                if latest > start2 and someone != actor
            }
            denials: list[str] = []
            contenders_before = contenders
            if lost.get(actor, _BEFORE_ALL) > start2:  # a loss or denial of this very gain
                deniers, denials = _denials(opened, actor, start2)
                contenders = tuple(sorted({actor, *rivals, *deniers}))
            else:
                contenders = tuple(sorted({actor, *rivals})) if rivals else ()
            if gained.get(actor, _BEFORE_ALL) < reach:
                gained[actor] = reach
            if conf is None or conf < end:
                conf, confirming = end, op
            if actor == holder and not (code == GAIN and contenders_before):
                opened.append((end, actor, True, False, op, reach, actor))
                backing.append(op)
                if code == GAIN:  # a dated gain dates the hold anew
                    disputes, disputes_t = denials, ()
                elif denials:
                    disputes = _with(disputes_t if disputes is None else disputes, denials)
                continue
            dated = code == GAIN
            opened.append((end, actor, True, dated, op, reach, actor))
            first_holder = holder is None
            if first_holder:
                previous = op[2] or previous
            elif not contenders_before and holder not in rivals:
                previous = holder  # the outgoing holder's hold was not only contested
            holder = actor
            if holders is not None:
                holders.append((t, actor))
            since_from = op
            if dated:
                attackers = advancing = presence = None
                attackers_t = advancing_t = presence_t = ()
            elif actor in (presence_t if presence is None else presence):
                presence = [p for p in (presence_t if presence is None else presence) if p != actor]
            if dated or not first_holder:
                support_t = ()
                backing = [op]
                disputes = None
                disputes_t = ()
            else:
                backing.append(op)
            if denials:
                disputes = _with(disputes_t if disputes is None else disputes, denials)
            continue
        if lost.get(actor, _BEFORE_ALL) < reach:
            lost[actor] = reach
        if code == LOSE:
            clears = _clears(
                holder, actor, contenders, disputes_t if disputes is None else disputes
            )
            if gained.get(actor, _BEFORE_ALL) > start2:
                contenders = (actor,)
            elif clears:
                contenders = ()
            if not clears:  # a loss by someone else settles no contest
                opened.append((end, actor, False, False, op, reach, actor))
                backing.append(op)
                continue
            opened.append((end, actor, False, True, op, reach, actor))
            holder = None
            if holders is not None:
                holders.append((t, None))
            previous = actor
            since_from = op
            attackers = advancing = None
            attackers_t = advancing_t = ()
            support_t = ()
            backing = [op]
            disputes = None
            disputes_t = ()
            if conf is None or conf < end:
                conf, confirming = end, op
        else:  # DENY
            denier = _denier(op[2], actor, holder, previous)
            opened.append((end, actor, False, False, op, reach, denier))
            if actor == holder or gained.get(actor, _BEFORE_ALL) > start2:
                sides = {*contenders, actor} if denier is None else {*contenders, actor, denier}
                contenders = tuple(sorted(sides))
                if disputes is None:
                    disputes = list(disputes_t)
                disputes.append(op[3])
    return (
        holder,
        previous,
        since if since_from is None else _since(since_from),
        open_ if floor == _AFTER_ALL else _kept(opened, floor),
        contenders,
        attackers_t if attackers is None else tuple(attackers),
        advancing_t if advancing is None else tuple(advancing),
        presence_t if presence is None else tuple(presence),
        access,
        (*support_t, *map(_CID, backing)) if backing else support_t,
        disputes_t if disputes is None else tuple(disputes),
        conf,
        conf_dt if confirming is None else confirming[END_DT],  # None: see confirmed_at
    )


def to_place_fold(place: str, state: Frozen) -> PlaceFold:
    """The reference reducer's state for ``place``, from a frozen tuple.

    >>> to_place_fold("homs", EMPTY) == PlaceFold(place="homs")
    True
    """
    return PlaceFold(
        place=place,
        holder=state[0],
        previous=state[1],
        since=since_window(state),
        open=tuple(
            Change(
                claim=window[4],
                actor=window[1],
                end=opened_end(window),
                gained=window[2],
                changed=window[3],
                point=bool(window[REACH] & 1),
                denial=window[SIDE] != window[1],
                denier=window[SIDE] if window[SIDE] != window[1] else None,
            )
            for window in state[3]
        ),
        contenders=state[4],
        attackers=state[5],
        advancing=state[6],
        presence=state[7],
        access=state[8],
        support=state[9],
        disputes=state[10],
        confirmed_at=confirmed_at(state),
    )


_SHARED_DURATIONS = 1 << 16


def _unconfirmed_for(
    state: Frozen, at: int, durations: dict[int, _dt.timedelta] | None
) -> _dt.timedelta | None:
    """How long before ``at`` the place was last confirmed (None: never), shared through
    ``durations`` when given."""
    confirmed = state[11]
    if confirmed is None:
        return None
    elapsed = max(0, at - confirmed)  # microseconds, exactly as the reference view
    unconfirmed = durations.get(elapsed) if durations is not None else None
    if unconfirmed is None:
        unconfirmed = _dt.timedelta(microseconds=elapsed)
        if durations is not None:
            if len(durations) >= _SHARED_DURATIONS:
                durations.clear()
            durations[elapsed] = unconfirmed
    return unconfirmed


def status_at(state: Frozen, at: int) -> tuple[Status, tuple[str, ...]]:
    """The status of a frozen state at ``at`` (micros) and its contenders, as
    :func:`~conflict_ledger.rules.territory.view` says them.

    >>> status_at(EMPTY, 0)
    (<Status.UNKNOWN: 'unknown'>, ())
    """
    contenders: tuple[str, ...] = state[4]
    if contenders:
        return Status.CONTESTED, contenders
    holder, previous = state[0], state[1]
    pending = [entry for entry in state[3] if entry[3] and entry[0] > at]
    if pending:
        actors = {entry[1] for entry in pending if entry[2]}
        if previous is not None:
            actors.add(previous)
        if holder is not None:
            actors.add(holder)
        return Status.CHANGING, tuple(sorted(actors))
    if state[5]:
        return Status.UNDER_ATTACK, contenders
    if state[6]:
        return Status.UNDER_ADVANCE, contenders
    if holder is not None:
        return Status.HELD, contenders
    return Status.UNKNOWN, contenders


def view(
    place: str,
    state: Frozen,
    at: int,
    durations: dict[int, _dt.timedelta] | None = None,
) -> PlaceState:
    """The reference :func:`~conflict_ledger.rules.territory.view` of a frozen tuple at ``at`` (micros).

    ``durations`` (optional, the caller's) shares equal ``unconfirmed_for`` durations
    between answers instead of building one per place.

    >>> view("homs", EMPTY, 0).status
    <Status.UNKNOWN: 'unknown'>
    """
    holder, opened = state[0], state[3]
    status, contenders = status_at(state, at)
    sides: tuple[Side, ...] = ()
    if status is Status.CONTESTED:
        support = set(state[9])
        sides = tuple(
            Side(
                actor=actor,
                claims=tuple(
                    sorted(
                        {entry[4] for entry in opened if entry[SIDE] == actor}
                        | (support if actor == holder else set())
                    )
                ),
            )
            for actor in contenders
        )
    unconfirmed = _unconfirmed_for(state, at, durations)
    return PlaceState(
        place=place,
        status=status,
        holder=holder,
        previous=state[1],
        since=since_window(state),
        contenders=contenders,
        attackers=state[5],
        advancing=state[6],
        presence=state[7],
        access=state[8],
        claims=state[9],
        disputes=state[10],
        confirmed_at=confirmed_at(state),
        unconfirmed_for=unconfirmed,
        sides=sides,
    )


Reading = tuple[int | None, dict[str, Any]]
"""What :func:`view` says of a frozen state at every instant from ``until`` on (None: any
instant): (until, the state's fields but ``unconfirmed_for``, which depends on the instant)."""


def reading(place: str, state: Frozen) -> Reading:
    """Precompute :func:`view` of ``state`` for every instant after its changes in progress.

    >>> reading("homs", EMPTY)[1]["status"]
    <Status.UNKNOWN: 'unknown'>
    """
    ends = [entry[0] for entry in state[3] if entry[3]]
    until = max(ends) if ends else None
    settled = view(place, state, until if until is not None else 0)
    fields = {name: getattr(settled, name) for name in _FIELDS}
    return until, fields


_FIELDS = tuple(field.name for field in attrs.fields(PlaceState) if field.name != "unconfirmed_for")


def read(
    place: str,
    state: Frozen,
    ready: Reading,
    at: int,
    durations: dict[int, _dt.timedelta] | None = None,
) -> PlaceState:
    """:func:`view` of ``state`` at ``at``, from its :func:`reading` when nothing is in progress.

    >>> read("homs", EMPTY, reading("homs", EMPTY), 10) == view("homs", EMPTY, 10)
    True
    """
    until, fields = ready
    if until is not None and at < until:
        return view(place, state, at, durations)
    unconfirmed = _unconfirmed_for(state, at, durations)
    return PlaceState(**fields, unconfirmed_for=unconfirmed)
