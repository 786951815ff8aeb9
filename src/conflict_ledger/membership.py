"""Memberships of actors in blocs (alliances, umbrella groups), bounded in time.

>>> blocs = Blocs(memberships=[Membership(actor="iran", bloc="axis", start="2015-01-01T00:00Z")])
>>> blocs.bloc_of("iran", at=pendulum.datetime(2024, 1, 1))
'axis'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from conflict_ledger.errors import InvalidWindowError
from conflict_ledger.registry import Actor, Registry
from conflict_ledger.time import to_instant

__all__ = ["Blocs", "Membership"]


def _start(value: Any) -> pendulum.DateTime:
    return to_instant(value, field="membership.start")


def _end(value: Any) -> pendulum.DateTime | None:
    return None if value is None else to_instant(value, field="membership.end")


def _end_after_start(instance: Membership, attribute: Any, value: pendulum.DateTime | None) -> None:
    if value is not None and value < instance.start:
        raise InvalidWindowError(
            field="membership.end",
            value=value.isoformat(),
            problem=f"the membership ends before it begins ({instance.start.isoformat()})",
            hint="Give an end at or after the start, or None while it lasts.",
        )


@attrs.frozen(kw_only=True)
class Membership:
    """``actor`` belonged to ``bloc`` from ``start`` until ``end`` (None: still does).

    >>> Membership(actor="hts", bloc="military-operations-command", start="2024-11-27T00:00Z").end is None
    True
    >>> Membership(actor="x", bloc="y", start="2024-12-01T00:00Z", end="2024-11-01T00:00Z")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidWindowError: membership.end='2024-11-01T00:00:00+00:00': the membership ends before it begins ...
    """

    actor: str
    bloc: str
    start: pendulum.DateTime = attrs.field(converter=_start)
    end: pendulum.DateTime | None = attrs.field(
        default=None, converter=_end, validator=_end_after_start
    )

    def covers(self, at: pendulum.DateTime) -> bool:
        """True when the membership holds at ``at`` (start inclusive, end exclusive)."""
        return self.start <= at and (self.end is None or at < self.end)


def _memberships(values: Iterable[Membership]) -> tuple[Membership, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Blocs:
    """A set of memberships, asked by actor and time.

    With ``actors`` (a registry, e.g. a gazetteer's), actors and blocs may be asked by
    id, name or alias, and an unknown one raises
    :class:`~conflict_ledger.errors.UnknownActorError`; without, by id only.

    >>> blocs = Blocs(memberships=[Membership(actor="iran", bloc="axis", start="2015-01-01T00:00Z")])
    >>> blocs.members("axis", at=pendulum.datetime(2024, 1, 1)), blocs.bloc_of("sdf", at=pendulum.datetime(2024, 1, 1))
    (('iran',), None)
    """

    memberships: tuple[Membership, ...] = attrs.field(converter=_memberships)
    actors: Registry[Actor] | None = attrs.field(default=None, repr=False)
    """The actors names are read through (None: ids only)."""

    def actor_id(self, actor: str) -> str:
        """The id ``actor`` (an id, name or alias) names; as given without ``actors``.

        >>> from conflict_ledger.gazetteer import syria_blocs
        >>> syria_blocs().actor_id("pro-government alliance")
        'government-alliance'
        """
        return actor if self.actors is None else self.actors.id_of(actor, field="actor")

    def blocs_of(self, actor: str, *, at: pendulum.DateTime) -> tuple[str, ...]:
        """Every bloc ``actor`` belongs to at ``at``, sorted."""
        return self._blocs_of(self.actor_id(actor), at)

    def bloc_of(self, actor: str, *, at: pendulum.DateTime) -> str | None:
        """The bloc ``actor`` belongs to at ``at`` (the first by id if several), or None."""
        blocs = self.blocs_of(actor, at=at)
        return blocs[0] if blocs else None

    def members(self, bloc: str, *, at: pendulum.DateTime) -> tuple[str, ...]:
        """The actors in ``bloc`` at ``at``, sorted."""
        bloc = self.actor_id(bloc)
        return tuple(sorted({m.actor for m in self.memberships if m.bloc == bloc and m.covers(at)}))

    def mapping(self, *, at: pendulum.DateTime) -> Mapping[str, str]:
        """Actor id -> bloc id for every actor in a bloc at ``at``."""
        actors = sorted({m.actor for m in self.memberships})
        return {a: blocs[0] for a in actors if (blocs := self._blocs_of(a, at))}

    def _blocs_of(self, actor: str, at: pendulum.DateTime) -> tuple[str, ...]:
        return tuple(
            sorted({m.bloc for m in self.memberships if m.actor == actor and m.covers(at)})
        )
