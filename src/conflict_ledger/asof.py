"""As-of queries: the state of every place at any time, as known at any time.

Two axes. ``at`` is valid time: the moment in the world you ask about. ``known_at`` is
knowledge time: only claims *reported* by then count, and a retraction or correction
counts from its own report time. ``position`` cuts by the third clock, the ledger
position: only the first ``position`` records count.

The functions here fold the whole ledger on every call: they are the reference oracle
(:mod:`conflict_ledger.reference`). ``cl.snapshot`` is the one door
(:mod:`conflict_ledger.queries`), which answers through the ledger's index.

The rule, stated once (the property tests hold the engine to it):

1. *Visible* claims are those at ledger positions below ``position`` and reported at or
   before ``known_at``.
2. A visible claim is *cancelled* when a visible :class:`~conflict_ledger.events.Retraction`
   targets it or a visible claim ``supersedes`` it. Retractions are not folded.
3. The rest whose valid window starts at or before ``at`` are folded in valid-time
   order, ties broken by :func:`order_key`: (valid start, the window's end as the fold
   bounds it by the report, reported time, claim id). The order never depends on
   arrival order.

>>> from conflict_ledger.seed import load_seed
>>> ledger = load_seed()
>>> snap = snapshot(ledger, at="2024-12-07T00:00Z")
>>> snap["deir-ez-zor"].status, snap["deir-ez-zor"].holder
(<Status.HELD: 'held'>, 'sdf')
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
import pendulum

from conflict_ledger._display import Displayed
from conflict_ledger._lazy import collector_paused
from conflict_ledger.claims import Claim
from conflict_ledger.errors import InvalidClaimError, UnknownPlaceError
from conflict_ledger.events import DatasetEvent, Retraction
from conflict_ledger.grades import Reliability
from conflict_ledger.ledger import Ledger, Recorded
from conflict_ledger.registry import Registries, closest_ids
from conflict_ledger.rules.fold import Keyed
from conflict_ledger.rules.policies import (
    DEFAULT_POLICY,
    PlaceClaims,
    Policy,
    apply_policy,
    grades_at,
)
from conflict_ledger.rules.territory import (
    TERRITORY,
    PlaceFold,
    PlaceState,
    fold_end,
    territory,
    view,
)
from conflict_ledger.time import to_instant

__all__ = [
    "Excluded",
    "Explanation",
    "LazyPlaces",
    "PlaceChange",
    "Snapshot",
    "SnapshotDiff",
    "Timeline",
    "TimelineEntry",
    "diff",
    "effective_claims",
    "explain",
    "fold_as_of",
    "order_key",
    "place_claims",
    "snapshot",
    "timeline",
    "why_excluded",
]

K = TypeVar("K", bound=Hashable)
S = TypeVar("S")

Source = Ledger | Iterable[Recorded]


def order_key(claim: Claim) -> tuple[pendulum.DateTime, pendulum.DateTime, pendulum.DateTime, str]:
    """The documented fold order: valid start, the end the fold uses, reported time, claim id.

    The end is :func:`~conflict_ledger.rules.territory.fold_end`: an asserted or denied claim's
    window ends by its report.

    >>> from conflict_ledger.seed import load_seed
    >>> claims = sorted(load_seed().claims(), key=order_key)
    >>> claims[0].valid.start <= claims[-1].valid.start
    True
    """
    return (claim.valid.start, fold_end(claim), claim.reported_at, claim.id)


def _instant(value: Any, field: str) -> pendulum.DateTime | None:
    return None if value is None else to_instant(value, field=field)


def _records(source: Source) -> Iterable[Recorded]:
    if isinstance(source, Ledger):
        return source.records()
    if isinstance(source, str | bytes | os.PathLike):  # iterable, but not of records
        raise InvalidClaimError(
            field="source",
            value=source,
            problem="a path, not a ledger",
            hint=f"Open it first: ledger = cl.open_ledger({source!r}), then ask the ledger.",
        )
    return source


def _visible(
    source: Source, known_at: pendulum.DateTime | None, position: int | None
) -> list[Claim]:
    if position is not None and position < 0:
        raise InvalidClaimError(
            field="position",
            value=position,
            problem="a ledger position is 0 or more",
            hint="Pass the number of records to consider, e.g. len(ledger).",
        )
    if position is not None and isinstance(source, Ledger) and position > len(source):
        raise InvalidClaimError(  # an answer "as of the first N records" there never were
            field="position",
            value=position,
            problem=f"the ledger holds {len(source):,} records",
            hint="Pass at most len(ledger) (the first N records count), or leave it out.",
        )
    visible = []
    for record in _records(source):
        if position is not None and record.position >= position:
            continue
        claim = record.claim
        if known_at is None or claim.reported_at <= known_at:
            visible.append(claim)
    return visible


def _cancellations(visible: Iterable[Claim]) -> dict[str, Claim]:
    cancelled: dict[str, Claim] = {}
    for claim in visible:
        if isinstance(claim.event, Retraction):
            cancelled.setdefault(claim.event.target, claim)
        if claim.supersedes is not None:
            cancelled.setdefault(claim.supersedes, claim)
    return cancelled


def effective_claims(
    source: Source, *, known_at: Any = None, position: int | None = None
) -> tuple[Claim, ...]:
    """The claims that count as known at ``known_at`` (rules 1 and 2), in fold order.

    >>> from conflict_ledger.seed import load_seed
    >>> len(effective_claims(load_seed(), known_at="2024-12-01T00:00Z"))
    0
    """
    visible = _visible(source, _instant(known_at, "known_at"), position)
    cancelled = _cancellations(visible)
    return tuple(
        sorted(
            (c for c in visible if c.id not in cancelled and not isinstance(c.event, Retraction)),
            key=order_key,
        )
    )


def fold_as_of(
    source: Source,
    projection: Keyed[Claim, K, S],
    *,
    at: Any,
    known_at: Any = None,
    position: int | None = None,
) -> Mapping[K, S]:
    """Fold any keyed projection of yours as of (``at``, ``known_at``, ``position``).

    >>> from conflict_ledger.seed import load_seed
    >>> from conflict_ledger.rules.fold import Keyed
    >>> per_origin = Keyed(name="claims-per-origin", key=lambda c: c.source.origin,
    ...                    initial=lambda origin: 0, reducer=lambda n, claim: n + 1)
    >>> fold_as_of(load_seed(), per_origin, at="2024-12-08T00:00Z")["syrian-sources"]
    1
    """
    cut = to_instant(at, field="at")
    claims = [
        c
        for c in effective_claims(source, known_at=known_at, position=position)
        if c.valid.start <= cut
    ]
    return projection(claims)


class LazyPlaces(Mapping[str, PlaceState]):
    """A read-only mapping of place states computed on first reading (for fast snapshots).

    A subclass knows at once which places it holds and computes each place's state the
    first time it is read; it never changes what it answers. :class:`Snapshot` keeps
    such a mapping as it is instead of copying it into a dict.
    :class:`~conflict_ledger.engine.AsOfIndex` hands these out.

    >>> class Two(LazyPlaces):
    ...     def __getitem__(self, place): return view(PlaceFold(place=place), at="2024-01-01T00:00Z")
    ...     def __iter__(self): return iter(("a", "b"))
    ...     def __len__(self): return 2
    >>> snap = Snapshot(at=pendulum.datetime(2024, 1, 1), known_at=None, position=None, places=Two())
    >>> [s.place for s in snap]
    ['a', 'b']
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MappingProxyType(dict(self)))


def _read_only(mapping: Mapping[str, PlaceState]) -> Mapping[str, PlaceState]:
    if isinstance(mapping, LazyPlaces):
        return mapping
    return MappingProxyType(dict(mapping))


@attrs.frozen(kw_only=True, eq=False)
class Snapshot(Displayed):
    """Every place's state at ``at``, as known at ``known_at`` (None: everything recorded).

    Index it by place id, name or alias; iterate over its states, sorted by place id.
    ``print`` it for a table in UTC, or call ``to_text(tz="Asia/Damascus")`` (or
    ``to_html(tz=...)``) for every time in that zone, with its offset.
    ``places`` may be a :class:`LazyPlaces` mapping (the index's snapshots are): a state is
    then computed when it is first read, and iterating computes them all. Two snapshots
    are equal when their instants, positions and states are.

    Names (docs/concepts.md, "Places and actors by name"): a snapshot of a ledger keeps
    the ledger's ``registries`` and reads every name through them. Like a
    ``defaultdict``, ``len``, iteration, ``in`` and :meth:`get` cover the places some
    counted claim names, while ``snap[place]`` answers for every place the registries
    know: UNKNOWN when no claim about it counts yet. An unknown name is never in a
    snapshot, and ``snap[name]`` and ``get`` raise
    :class:`~conflict_ledger.errors.UnknownPlaceError` with the closest names. A snapshot
    made without registries (from plain records) takes ids only.

    >>> from conflict_ledger.seed import load_seed
    >>> snap = snapshot(load_seed(), at="2024-12-07T00:00Z")
    >>> len(snap), "homs" in snap, "Hims" in snap, snap.held_by("Moscow")
    (10, True, True, ('hmeimim-air-base', 'tartus-naval-base'))
    >>> "damascus" in snap, snap["Damascus"].status.value
    (False, 'unknown')
    >>> snap["Homz"]
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.UnknownPlaceError: unknown place 'Homz' (field place); did you mean: homs? ...
    """

    at: pendulum.DateTime
    known_at: pendulum.DateTime | None
    position: int | None
    places: Mapping[str, PlaceState] = attrs.field(converter=_read_only)
    registries: Registries | None = attrs.field(default=None, repr=False)
    """The places and actors names are read through (None: ids only)."""
    _ordered: tuple[PlaceState, ...] | None = attrs.field(
        init=False, default=None, repr=False, alias="_ordered"
    )

    @property
    def _states(self) -> tuple[PlaceState, ...]:
        """The states sorted by place id (computed, and kept, on first need)."""
        states = self._ordered
        if states is None:
            places = self.places
            # Every state made here is kept: a collection meanwhile frees nothing and
            # traverses the states and the places read so far again (0.5 of the 2.6 s
            # the CLI's table took at 1M claims: benchmarks/bench_open.py --cli).
            with collector_paused():
                states = tuple(places[place] for place in sorted(places))
            object.__setattr__(self, "_ordered", states)
        return states

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Snapshot)
        return (self.at, self.known_at, self.position, self._states) == (
            other.at,
            other.known_at,
            other.position,
            other._states,
        )

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.at, self.known_at, self.position, self._states))

    def place_id(self, place: str) -> str | None:
        """The id ``place`` (an id, name or alias) names; None for an id this snapshot,
        made without registries, has no state for.

        >>> from conflict_ledger.seed import load_seed
        >>> snapshot(load_seed(), at="2024-12-07T00:00Z").place_id("Dayr az-Zawr")
        'deir-ez-zor'
        """
        if place in self.places:
            return place
        if self.registries is None:
            return None
        return self.registries.places.id_of(place, field="place")

    def __getitem__(self, place: str) -> PlaceState:
        try:
            return self.places[place]  # an id with a state: the common case, one lookup
        except KeyError:
            pass
        found = self.place_id(place)
        if found is None:
            raise UnknownPlaceError(
                name=place, suggestions=closest_ids(place, self.places), field="place"
            )
        state = self.places.get(found)
        return view(PlaceFold(place=found), at=self.at) if state is None else state

    def __contains__(self, place: object) -> bool:
        if not isinstance(place, str):
            return False
        try:
            found = self.place_id(place)
        except UnknownPlaceError:
            return False
        return found is not None and found in self.places

    def get(self, place: str, default: PlaceState | None = None) -> PlaceState | None:
        """The place's state if a claim about it counts, else ``default``; an unknown name
        raises :class:`~conflict_ledger.errors.UnknownPlaceError`.

        >>> from conflict_ledger.seed import load_seed
        >>> snap = snapshot(load_seed(), at="2024-12-07T00:00Z")
        >>> snap.get("Deir el-Zor").holder, snap.get("Damascus")
        ('sdf', None)
        """
        found = self.place_id(place)
        return default if found is None else self.places.get(found, default)

    def __iter__(self) -> Iterator[PlaceState]:
        return iter(self._states)

    def __len__(self) -> int:
        return len(self.places)

    def stale(self, *, max_age: Any) -> tuple[str, ...]:
        """Places whose control no claim has confirmed within ``max_age`` before ``at``.

        ``max_age`` is a :class:`datetime.timedelta` (or pendulum duration). Silence is not
        continued control: a stale place's holder is only the last one reported.

        >>> import pendulum
        >>> from conflict_ledger.seed import load_seed
        >>> snapshot(load_seed(), at="2024-12-20T00:00Z").stale(max_age=pendulum.duration(days=7))
        ('aleppo', 'deir-ez-zor', 'eastern-syria', 'hama', 'hmeimim-air-base', 'homs', 'syria', 'tartus-naval-base')
        """
        return tuple(
            s.place
            for s in self._states
            if s.unconfirmed_for is not None and s.unconfirmed_for > max_age
        )

    def actor_id(self, actor: str) -> str:
        """The id ``actor`` (an id, name or alias) names; as given without registries.

        >>> from conflict_ledger.seed import load_seed
        >>> snapshot(load_seed(), at="2024-12-07T00:00Z").actor_id("Syrian Kurds")
        'sdf'
        """
        if self.registries is None:
            return actor
        return self.registries.actors.id_of(actor, field="actor")

    def held_by(self, actor: str) -> tuple[str, ...]:
        """Ids of the places ``actor`` (an id, name or alias) holds, settled, in this snapshot.

        An unknown actor raises :class:`~conflict_ledger.errors.UnknownActorError`.
        """
        holder = self.actor_id(actor)
        return tuple(s.place for s in self._states if s.holder == holder and s.settled)


def _place_id(source: Source, place: str) -> str:
    """The id of ``place`` (an id, name or alias) in a ledger's registries; plain records
    carry no registry, so with them ``place`` is taken as an id."""
    if isinstance(source, Ledger):
        return source.registries.places.id_of(place, field="place")
    return place


def _registries(source: Source) -> Registries | None:
    return source.registries if isinstance(source, Ledger) else None


def _sources(source: Source) -> Any:
    return source.registries.sources if isinstance(source, Ledger) else None


def _policy_states(
    source: Source,
    policy: Policy,
    *,
    at: pendulum.DateTime,
    known_at: pendulum.DateTime | None,
    position: int | None,
    places: Iterable[str] | None = None,
) -> dict[str, PlaceState]:
    counted = [
        c
        for c in effective_claims(source, known_at=known_at, position=position)
        if c.valid.start <= at
    ]
    grades = grades_at(counted, _sources(source), at=at)
    groups = TERRITORY.partition(counted)
    wanted = sorted(groups) if places is None else list(places)
    return {
        place: apply_policy(
            policy,
            PlaceClaims(
                place=place,
                at=at,
                known_at=known_at,
                claims=tuple(groups.get(place, ())),
                grades=grades,
            ),
        )
        for place in wanted
    }


def place_claims(
    source: Source, place: str, *, at: Any, known_at: Any = None, position: int | None = None
) -> PlaceClaims:
    """What a policy sees for one place (an id, name or alias): its counted claims as of
    ``at`` and ``known_at``.

    >>> from conflict_ledger.seed import load_seed
    >>> [c.id for c in place_claims(load_seed(), "Deir el-Zor", at="2024-12-07T00:00Z").claims]
    ['dawn-2024-12-07/c04']
    """
    place = _place_id(source, place)
    cut = to_instant(at, field="at")
    known = _instant(known_at, "known_at")
    counted = [
        c
        for c in effective_claims(source, known_at=known, position=position)
        if c.valid.start <= cut
    ]
    return PlaceClaims(
        place=place,
        at=cut,
        known_at=known,
        claims=tuple(c for c in counted if TERRITORY.key(c) == place),
        grades=grades_at(counted, _sources(source), at=cut),
    )


def snapshot(
    source: Source,
    *,
    at: Any,
    known_at: Any = None,
    position: int | None = None,
    policy: Policy | None = None,
) -> Snapshot:
    """The territorial state of every place at ``at`` as known at ``known_at``.

    ``at`` and ``known_at`` are aware datetimes or ISO strings with an offset. ``policy``
    decides how disagreement resolves (default:
    :func:`~conflict_ledger.rules.policies.contest_disagreement`).

    >>> from conflict_ledger.seed import load_seed
    >>> snap = snapshot(load_seed(), at="2024-12-06T17:00Z", known_at="2024-12-07T09:00Z")
    >>> snap["homs"].status, snap["homs"].holder, snap["homs"].advancing
    (<Status.UNDER_ADVANCE: 'under_advance'>, 'syrian-government', ('opposition',))
    """
    cut = to_instant(at, field="at")
    known = _instant(known_at, "known_at")
    if policy is None or policy is DEFAULT_POLICY:
        folds = fold_as_of(source, TERRITORY, at=cut, known_at=known, position=position)
        places = {place: view(state, at=cut) for place, state in folds.items()}
    else:
        places = _policy_states(source, policy, at=cut, known_at=known, position=position)
    return Snapshot(
        at=cut, known_at=known, position=position, places=places, registries=_registries(source)
    )


@attrs.frozen(kw_only=True)
class TimelineEntry:
    """A place's state from ``start`` until ``end`` (None: still so at the last claim).

    The seed's capture of Deir ez-Zor is dated the whole of 6 December and was reported
    at 19:00 UTC that day, so it was changing hands for 22 hours, not 24:

    >>> from conflict_ledger.seed import load_seed
    >>> first = timeline(load_seed(), "deir-ez-zor").entries[0]
    >>> first.state.status.value, (first.end - first.start).in_hours()
    ('changing', 22)
    """

    start: pendulum.DateTime
    end: pendulum.DateTime | None
    state: PlaceState


@attrs.frozen(kw_only=True)
class Timeline(Displayed):
    """The successive states of one place, as known at ``known_at``.

    ``print`` it, or call ``to_text(tz=...)`` for its periods in a local zone.

    >>> from conflict_ledger.seed import load_seed
    >>> line = timeline(load_seed(), "deir-ez-zor")
    >>> line.place, len(line), line.entries[-1].state.holder
    ('deir-ez-zor', 2, 'sdf')
    """

    place: str
    known_at: pendulum.DateTime | None
    entries: tuple[TimelineEntry, ...]
    context: tuple[Claim, ...] = ()
    """Counted dataset events at the place (ACLED clashes, UCDP GED events): they move no
    holder, and are shown beside the states they fell in."""

    def __iter__(self) -> Iterator[TimelineEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def timeline(
    source: Source, place: str, *, known_at: Any = None, position: int | None = None
) -> Timeline:
    """Every change in one place's state over valid time, as known at ``known_at``.

    ``place`` is an id, name or alias (an unknown one raises
    :class:`~conflict_ledger.errors.UnknownPlaceError`; with plain records, an id). The
    state can change only where a claim's window starts or ends; the timeline
    evaluates the place at each such instant and keeps the changes.

    >>> from conflict_ledger.seed import load_seed
    >>> [entry.state.status.value for entry in timeline(load_seed(), "deir-ez-zor")]
    ['changing', 'held']
    """
    place = _place_id(source, place)
    known = _instant(known_at, "known_at")
    counted = effective_claims(source, known_at=known, position=position)
    claims = [c for c in counted if TERRITORY.key(c) == place]
    context = tuple(
        c for c in counted if isinstance(c.event, DatasetEvent) and place in c.event.place_ids()
    )
    instants = sorted({c.valid.start for c in claims} | {fold_end(c) for c in claims})
    entries: list[TimelineEntry] = []
    state = PlaceFold(place=place)
    folded = 0
    for instant in instants:
        while folded < len(claims) and claims[folded].valid.start <= instant:
            state = territory(state, claims[folded])
            folded += 1
        current = view(state, at=instant)
        if entries and entries[-1].state.situation() == current.situation():
            continue
        if entries:
            entries[-1] = attrs.evolve(entries[-1], end=instant)
        entries.append(TimelineEntry(start=instant, end=None, state=current))
    return Timeline(place=place, known_at=known, entries=tuple(entries), context=context)


@attrs.frozen(kw_only=True)
class PlaceChange:
    """One place's state before and after (None where the place had no state).

    >>> from conflict_ledger.seed import load_seed
    >>> ledger = load_seed()
    >>> change = diff(snapshot(ledger, at="2024-12-01T00:00Z"), snapshot(ledger, at="2024-12-08T00:00Z"))
    >>> [(c.place, c.before, c.after.holder) for c in change if c.place == "deir-ez-zor"]
    [('deir-ez-zor', None, 'sdf')]
    """

    place: str
    before: PlaceState | None
    after: PlaceState | None


@attrs.frozen(kw_only=True)
class SnapshotDiff(Displayed):
    """The places whose situation differs between two snapshots.

    >>> from conflict_ledger.seed import load_seed
    >>> ledger = load_seed()
    >>> len(diff(snapshot(ledger, at="2024-12-08T00:00Z"), snapshot(ledger, at="2024-12-09T00:00Z")))
    0
    """

    before: Snapshot
    after: Snapshot
    changes: tuple[PlaceChange, ...]

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self) -> Iterator[PlaceChange]:
        return iter(self.changes)


def diff(before: Snapshot, after: Snapshot) -> SnapshotDiff:
    """What differs between two snapshots: in the world (``at``) or in our knowledge (``known_at``).

    >>> from conflict_ledger.seed import load_seed
    >>> ledger = load_seed()
    >>> change = diff(snapshot(ledger, at="2024-12-05T00:00Z"), snapshot(ledger, at="2024-12-08T00:00Z"))
    >>> "deir-ez-zor" in [c.place for c in change]
    True
    """
    places = sorted(set(before.places) | set(after.places))
    changes = []
    for place in places:
        old, new = before.places.get(place), after.places.get(place)
        if old is None or new is None or old.situation() != new.situation():
            changes.append(PlaceChange(place=place, before=old, after=new))
    return SnapshotDiff(before=before, after=after, changes=tuple(changes))


@attrs.frozen(kw_only=True)
class Excluded:
    """A claim about the place that does not count in this answer, and why.

    >>> from conflict_ledger.seed import load_seed
    >>> why = explain(load_seed(), "homs", at="2024-12-07T00:00Z", known_at="2024-12-06T00:00Z")
    >>> [(e.claim.id, e.reason) for e in why.excluded][:1]
    [('dawn-2024-12-07/c02', 'reported 2024-12-06T19:00:00+00:00, after known_at')]
    """

    claim: Claim
    reason: str


@attrs.frozen(kw_only=True)
class Explanation(Displayed):
    """Why a place has its state: the claims for it, against it, around it, and left out.

    ``print`` it, or call ``to_text(tz=...)``: each claim with its actor, modality,
    source grades, note and the report bound applied, every time in the zone asked for.

    >>> from conflict_ledger.seed import load_seed
    >>> why = explain(load_seed(), "homs", at="2024-12-07T00:00Z")
    >>> [c.id for c in why.supporting], [c.id for c in why.context]
    (['dawn-2024-12-07/c02', 'dawn-2024-12-07/c03'], [])
    """

    place: str
    state: PlaceState
    supporting: tuple[Claim, ...]
    disputing: tuple[Claim, ...]
    context: tuple[Claim, ...]
    excluded: tuple[Excluded, ...]
    policy: str = "contest_disagreement"
    grades: Mapping[str, Reliability] = attrs.field(factory=lambda: MappingProxyType({}))
    bounds: Mapping[str, pendulum.DateTime] = attrs.field(factory=lambda: MappingProxyType({}))
    """The counted claims whose window the fold ended at their report, and where it ended
    (:func:`~conflict_ledger.rules.territory.fold_end`): a report bounds the event it asserts."""
    at: pendulum.DateTime | None = None
    """The valid time asked about."""
    known_at: pendulum.DateTime | None = None
    """The knowledge time asked about (None: everything recorded)."""

    @classmethod
    def of(
        cls,
        place: str,
        state: PlaceState,
        *,
        counted: Iterable[Claim],
        excluded: Iterable[Excluded],
        policy: Policy,
        grades: Mapping[str, Reliability],
        at: pendulum.DateTime,
        known_at: pendulum.DateTime | None,
    ) -> Explanation:
        """The explanation of ``state``: ``counted`` (the claims about the place that count,
        in ledger order) sorted into supporting, disputing and context by what the state
        rests on; ``grades`` (every source's) kept for the counted claims' origins.

        >>> from conflict_ledger.seed import load_seed
        >>> why = explain(load_seed(), "homs", at="2024-12-07T00:00Z")
        >>> counted = why.supporting + why.disputing + why.context
        >>> Explanation.of("homs", why.state, counted=counted, excluded=why.excluded,
        ...     policy=DEFAULT_POLICY, grades=why.grades, at=why.at, known_at=None) == why
        True
        """
        counted = tuple(counted)
        # A denial stands on its denier's side of a contest, and disputes the state all the same.
        disputes = set(state.disputes)
        support = (set(state.claims) | {i for side in state.sides for i in side.claims}) - disputes
        origins = {c.source.origin for c in counted}
        return cls(
            place=place,
            state=state,
            supporting=_ordered(c for c in counted if c.id in support),
            disputing=_ordered(c for c in counted if c.id in disputes),
            context=_ordered(c for c in counted if c.id not in support and c.id not in disputes),
            excluded=tuple(excluded),
            policy=getattr(policy, "__name__", repr(policy)),
            grades={s: g for s, g in grades.items() if s in origins},
            bounds=MappingProxyType(
                {c.id: end for c in counted if (end := fold_end(c)) != c.valid.end}
            ),
            at=at,
            known_at=known_at,
        )


def _about(claim: Claim, place: str) -> bool:
    return place in claim.event.place_ids()


def explain(
    source: Source,
    place: str,
    *,
    at: Any,
    known_at: Any = None,
    position: int | None = None,
    policy: Policy | None = None,
) -> Explanation:
    """The claims behind a place's state at ``at`` as known at ``known_at``, under ``policy``.

    ``supporting`` are the claims the state rests on, ``disputing`` the denials against
    it (a denial stands on its denier's side of a contest, and is listed here),
    ``context`` the other counted claims naming the place (forecasts, plans, earlier
    history), and ``excluded`` the claims about it that do not count, with the reason.
    ``bounds`` says which windows the fold ended at their report.

    >>> from conflict_ledger.seed import load_seed
    >>> why = explain(load_seed(), "albukamal", at="2024-12-07T00:00Z")
    >>> [c.modality.value for c in why.context]
    ['forecast']
    """
    place = _place_id(source, place)
    cut = to_instant(at, field="at")
    known = _instant(known_at, "known_at")
    records = list(_records(source))
    visible = _visible(records, known, position)
    cancelled = _cancellations(visible)
    visible_ids = {c.id for c in visible}
    excluded: list[Excluded] = []
    counted: list[Claim] = []
    for record in records:
        claim = record.claim
        if not _about(claim, place):
            continue
        if position is not None and record.position >= position:
            reason: str | None = (
                f"recorded at position {record.position}, after the {position} asked for"
            )
        else:
            by = cancelled.get(claim.id) if claim.id in visible_ids else None
            reason = why_excluded(claim, at=cut, known_at=known, cancelled_by=by)
        if reason is None:
            counted.append(claim)
        else:
            excluded.append(Excluded(claim=claim, reason=reason))
    chosen = policy or DEFAULT_POLICY
    (state,) = _policy_states(
        source, chosen, at=cut, known_at=known, position=position, places=[place]
    ).values()
    graded = place_claims(source, place, at=cut, known_at=known, position=position).grades
    return Explanation.of(
        place,
        state,
        counted=counted,
        excluded=excluded,
        policy=chosen,
        grades=graded,
        at=cut,
        known_at=known,
    )


def why_excluded(
    claim: Claim,
    *,
    at: pendulum.DateTime,
    known_at: pendulum.DateTime | None,
    cancelled_by: Claim | None,
) -> str | None:
    """Why a claim about a place does not count at ``at`` as known at ``known_at`` (None:
    it counts), ``cancelled_by`` the first claim in ledger order known then that retracts or
    corrects it: the reasons :class:`Excluded` gives, the ledger-position cut aside.

    >>> from conflict_ledger.seed import load_seed
    >>> claim = load_seed().claim("dawn-2024-12-07/c02")
    >>> why_excluded(claim, at=claim.valid.start, known_at=None, cancelled_by=None) is None
    True
    """
    if known_at is not None and claim.reported_at > known_at:
        return f"reported {claim.reported_at.isoformat()}, after known_at"
    if cancelled_by is not None:
        verb = "retracted" if isinstance(cancelled_by.event, Retraction) else "superseded"
        return f"{verb} by {cancelled_by.id}"
    if claim.valid.start > at:
        return "its valid window starts after at"
    return None


def _ordered(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    return tuple(sorted(claims, key=order_key))
