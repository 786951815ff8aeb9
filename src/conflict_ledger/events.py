"""The event vocabulary: what a claim says happened.

Each event is a frozen attrs class with a ``kind`` name (used in ledger files) and the
ids of the places and actors it names. The vocabulary is open: subclass :class:`Event`
in your own code, give it a ``kind``, and write a reducer that matches on it. Reducers
that do not know an event type leave their state unchanged.

>>> Captured(place="deir-ez-zor", actor="sdf", verb=ControlVerb.TOOK).place_ids()
('deir-ez-zor',)

A user event needs no change to the library:

>>> import attrs
>>> @attrs.frozen(kw_only=True)
... class Curfew(Event):
...     kind = "curfew"
...     place_fields = ("place",)
...     place: str
>>> Curfew(place="homs").place_ids()
('homs',)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from conflict_ledger.errors import InvalidClaimError, one_of
from conflict_ledger.grades import Reliability, reliability

__all__ = [
    "Advanced",
    "Attacked",
    "Captured",
    "ControlLost",
    "ControlVerb",
    "CrossingClosed",
    "CrossingOpened",
    "DatasetEvent",
    "Event",
    "Extent",
    "ForcesSent",
    "HandedOver",
    "Holds",
    "Meeting",
    "Retraction",
    "SourceGraded",
]


@attrs.frozen(kw_only=True)
class Event:
    """Base of every event type.

    Subclasses set ``kind`` (the name in ledger files) and ``place_fields`` and
    ``actor_fields`` (which of their fields name places and actors).

    >>> Captured(place="homs", actor="opposition", from_actor="syrian-government").actor_ids()
    ('opposition', 'syrian-government')
    """

    kind: ClassVar[str] = "event"
    place_fields: ClassVar[tuple[str, ...]] = ()
    """Names of the fields holding place ids (or tuples of them)."""
    actor_fields: ClassVar[tuple[str, ...]] = ()
    """Names of the fields holding actor ids (or tuples of them)."""
    source_fields: ClassVar[tuple[str, ...]] = ()
    """Names of the fields holding source ids (resolved against the source registry)."""

    def place_ids(self) -> tuple[str, ...]:
        """Ids of the places this event names (resolved against the gazetteer on append)."""
        return _collect(self, self.place_fields)

    def actor_ids(self) -> tuple[str, ...]:
        """Ids of the actors this event names (resolved against the registry on append)."""
        return _collect(self, self.actor_fields)


def _collect(event: Event, names: tuple[str, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for name in names:
        value = getattr(event, name)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple):
            found.extend(value)
    return tuple(found)


class ControlVerb(enum.Enum):
    """How a report words a gain of control; all of them move control the same way.

    The verb keeps the report's wording and never changes the fold. A *recapture*
    (``regained``, ``retook``, ``recaptured``: :attr:`recapture`) is the report saying the
    actor had held the place before; it is still a :class:`Captured`, whose
    ``from_actor`` is the side it was taken back from (the holder just before), and the
    ledger does not check the "re-" against its own history. ``liberated`` is not a
    verb here: it is a side's framing of a capture, so record ``captured`` (or
    ``retook``) with that side as the source and its word in the evidence or note.

    >>> ControlVerb("seized")
    <ControlVerb.SEIZED: 'seized'>
    >>> [verb.value for verb in ControlVerb if verb.recapture]
    ['regained', 'retook', 'recaptured']
    """

    CAPTURED = "captured"
    SEIZED = "seized"
    TOOK = "took"
    REGAINED = "regained"
    OVERRAN = "overran"
    RETOOK = "retook"
    RECAPTURED = "recaptured"
    GAINED = "gained"

    @property
    def recapture(self) -> bool:
        """True for the verbs that say the actor takes back a place it held before."""
        return self in (ControlVerb.REGAINED, ControlVerb.RETOOK, ControlVerb.RECAPTURED)


class Extent(enum.Enum):
    """How much of a place a gain or hold covers ("some areas in eastern Syria": SOME).

    >>> Extent("some")
    <Extent.SOME: 'some'>
    """

    ALL = "all"
    MOST = "most"
    SOME = "some"


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _grade(value: Any) -> Reliability:
    grade = reliability(value)
    if grade is None:
        raise InvalidClaimError(
            field="reliability",
            value=value,
            problem="a re-grade needs a grade",
            hint="Give a grade from A to F.",
        )
    return grade


def _verb(value: Any) -> ControlVerb:
    """``value`` as a ControlVerb, or a typed error listing the allowed values."""
    return _ONE_OF_CONTROLVERB(value)


_ONE_OF_CONTROLVERB = one_of(ControlVerb, "verb")


def _extent(value: Any) -> Extent:
    """``value`` as a Extent, or a typed error listing the allowed values."""
    return _ONE_OF_EXTENT(value)


_ONE_OF_EXTENT = one_of(Extent, "extent")


@attrs.frozen(kw_only=True)
class Captured(Event):
    """``actor`` took control of ``place``, from ``from_actor`` when the report names it.

    ``verb`` is the report's word (:class:`ControlVerb`: captured, seized, took, overran,
    gained, and the recaptures regained, retook, recaptured); every verb moves
    control the same way. With ``extent`` MOST or SOME the actor gains a presence, not
    the whole place.

    >>> Captured(place="syria", actor="syrian-government", verb="regained", extent="most").extent
    <Extent.MOST: 'most'>
    """

    kind: ClassVar[str] = "captured"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("actor", "from_actor")
    place: str
    actor: str
    verb: ControlVerb = attrs.field(default=ControlVerb.CAPTURED, converter=_verb)
    from_actor: str | None = None
    extent: Extent = attrs.field(default=Extent.ALL, converter=_extent)


@attrs.frozen(kw_only=True)
class ControlLost(Event):
    """``actor`` lost or withdrew from ``place``; who holds it now is not said.

    >>> ControlLost(place="aleppo", actor="syrian-government").withdrew
    False
    """

    kind: ClassVar[str] = "control_lost"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("actor",)
    place: str
    actor: str
    withdrew: bool = False


@attrs.frozen(kw_only=True)
class HandedOver(Event):
    """``from_actor`` handed ``place`` over to ``to_actor``.

    >>> HandedOver(place="manbij", from_actor="sdf", to_actor="sna").actor_ids()
    ('sdf', 'sna')
    """

    kind: ClassVar[str] = "handed_over"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("from_actor", "to_actor")
    place: str
    from_actor: str
    to_actor: str


@attrs.frozen(kw_only=True)
class Holds(Event):
    """``actor`` holds ``place`` throughout the claim's valid window (a state, not a change).

    >>> Holds(place="homs", actor="syrian-government").extent
    <Extent.ALL: 'all'>
    """

    kind: ClassVar[str] = "holds"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("actor",)
    place: str
    actor: str
    extent: Extent = attrs.field(default=Extent.ALL, converter=_extent)


@attrs.frozen(kw_only=True)
class Advanced(Event):
    """``actor`` advanced on or toward ``place``; control does not change.

    >>> Advanced(place="homs", actor="opposition").kind
    'advanced'
    """

    kind: ClassVar[str] = "advanced"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("actor",)
    place: str
    actor: str


@attrs.frozen(kw_only=True)
class Attacked(Event):
    """``actor`` attacked (fired on, shelled, raided) ``place``; control does not change.

    >>> Attacked(place="nassib", actor="unidentified-armed-groups").kind
    'attacked'
    """

    kind: ClassVar[str] = "attacked"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("actor",)
    place: str
    actor: str


@attrs.frozen(kw_only=True)
class CrossingClosed(Event):
    """``by`` closed the border crossing ``place``.

    >>> CrossingClosed(place="jaber-nassib", by="jordan").by
    'jordan'
    """

    kind: ClassVar[str] = "crossing_closed"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("by",)
    place: str
    by: str


@attrs.frozen(kw_only=True)
class CrossingOpened(Event):
    """``by`` opened (or reopened) the border crossing ``place``.

    >>> CrossingOpened(place="jaber-nassib", by="jordan").kind
    'crossing_opened'
    """

    kind: ClassVar[str] = "crossing_opened"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("by",)
    place: str
    by: str


@attrs.frozen(kw_only=True)
class ForcesSent(Event):
    """``actor`` sent (or, with modality PLANNED, promised) forces or materiel.

    >>> ForcesSent(actor="iran", destination="syria", supporting="syrian-government",
    ...            description="missiles, drones and advisers").actor_ids()
    ('iran', 'syrian-government')
    """

    kind: ClassVar[str] = "forces_sent"
    place_fields: ClassVar[tuple[str, ...]] = ("destination", "origin")
    actor_fields: ClassVar[tuple[str, ...]] = ("actor", "supporting")
    actor: str
    destination: str
    origin: str | None = None
    supporting: str | None = None
    description: str = ""


@attrs.frozen(kw_only=True)
class Meeting(Event):
    """A diplomatic meeting of ``participants`` at ``place``.

    >>> Meeting(participants=("iran", "russia", "turkiye"), place="doha", topic="Syria").participants
    ('iran', 'russia', 'turkiye')
    """

    kind: ClassVar[str] = "meeting"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("participants",)
    participants: tuple[str, ...] = attrs.field(converter=_ids)
    place: str
    topic: str = ""


@attrs.frozen(kw_only=True)
class Retraction(Event):
    """Withdraws the claim ``target``: from this claim's report time on, it counts for nothing.

    >>> Retraction(target="dawn-2024-12-07/c03", reason="source withdrew the report").target
    'dawn-2024-12-07/c03'
    """

    kind: ClassVar[str] = "retraction"
    target: str
    reason: str = ""


@attrs.frozen(kw_only=True)
class SourceGraded(Event):
    """An analyst (re)grades ``source`` on the Admiralty scale, from the claim's valid time on.

    >>> SourceGraded(source="syrian-sources", reliability="c").reliability
    <Reliability.C: 'C'>
    """

    kind: ClassVar[str] = "source_graded"
    source_fields: ClassVar[tuple[str, ...]] = ("source",)
    source: str
    reliability: Reliability = attrs.field(converter=_grade)
    reason: str = ""


@attrs.frozen(kw_only=True)
class DatasetEvent(Event):
    """An event a dataset coded at ``place`` that does not move control (a battle, a strike).

    ACLED and UCDP code many events that say nothing about who holds a place; they are
    kept as claims of this type, which the territorial projection ignores and ``explain``
    shows as context. ``dataset`` names the dataset (``"acled"``, ``"ucdp"``);
    ``event_type`` and ``sub_event_type`` are its own codes, verbatim; ``actor`` is the
    first actor (ACLED actor1, UCDP side_a), ``other_actor`` the second if any;
    ``fatalities`` the dataset's count (UCDP: the best estimate).

    >>> clash = DatasetEvent(dataset="acled", event_type="Battles", sub_event_type="Armed clash",
    ...                      place="homs", actor="syrian-government", other_actor="opposition")
    >>> clash.kind, clash.actor_ids()
    ('dataset_event', ('syrian-government', 'opposition'))
    """

    kind: ClassVar[str] = "dataset_event"
    place_fields: ClassVar[tuple[str, ...]] = ("place",)
    actor_fields: ClassVar[tuple[str, ...]] = ("actor", "other_actor")
    dataset: str
    event_type: str
    place: str
    actor: str
    sub_event_type: str = ""
    other_actor: str | None = None
    fatalities: int | None = None
