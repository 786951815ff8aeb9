"""Snapshots read at the level of blocs (alliances, umbrella groups).

A :class:`~conflict_ledger.membership.Membership` says an actor belonged to a bloc from ``start`` until ``end``
(None: still). A snapshot read at the level of blocs maps every actor in it through the
memberships valid at the snapshot's ``at``; an actor in no bloc stands for itself.

>>> from conflict_ledger import load_seed, snapshot
>>> from conflict_ledger.gazetteer import syria_blocs
>>> blocs = syria_blocs()
>>> by_bloc = to_blocs(snapshot(load_seed(), at="2024-12-07T00:00Z"), blocs)
>>> by_bloc["tartus-naval-base"].holder
'government-alliance'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from conflict_ledger.asof import Snapshot
from conflict_ledger.membership import Blocs
from conflict_ledger.registry import Place, PlaceKind, Registry
from conflict_ledger.rules.territory import PlaceState, Side, Status

__all__ = ["outside_control", "to_blocs"]


def _map_all(actors: Iterable[str], mapping: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(sorted({mapping.get(a, a) for a in actors}))


def _map_state(state: PlaceState, mapping: Mapping[str, str]) -> PlaceState:
    def one(actor: str | None) -> str | None:
        return None if actor is None else mapping.get(actor, actor)

    sides: dict[str, set[str]] = {}
    for side in state.sides:
        sides.setdefault(mapping.get(side.actor, side.actor), set()).update(side.claims)
    return attrs.evolve(
        state,
        holder=one(state.holder),
        previous=one(state.previous),
        contenders=_map_all(state.contenders, mapping),
        attackers=_map_all(state.attackers, mapping),
        advancing=_map_all(state.advancing, mapping),
        presence=_map_all(state.presence, mapping),
        sides=tuple(Side(actor=a, claims=tuple(sorted(c))) for a, c in sorted(sides.items())),
    )


def to_blocs(snap: Snapshot, blocs: Blocs) -> Snapshot:
    """The snapshot read at the level of blocs: every actor mapped through the memberships
    valid at ``snap.at``. Statuses are kept: a contest between two members of one bloc is
    still a contest, now inside that bloc.

    >>> from conflict_ledger import load_seed, snapshot
    >>> from conflict_ledger.gazetteer import syria_blocs
    >>> to_blocs(snapshot(load_seed(), at="2024-12-07T00:00Z"), syria_blocs())["homs"].holder
    'government-alliance'
    """
    mapping = blocs.mapping(at=snap.at)
    return attrs.evolve(snap, places={p.place: _map_state(p, mapping) for p in snap})


def outside_control(
    snap: Snapshot,
    bloc: str,
    *,
    blocs: Blocs,
    places: Registry[Place],
    kinds: Iterable[PlaceKind] = (PlaceKind.CITY,),
) -> tuple[str, ...]:
    """Places of the given ``kinds`` that ``bloc`` does not hold, settled, at ``snap.at``.

    ``bloc`` is an actor id, name or alias, read through the snapshot's registries (as
    given when it has none), or else through ``blocs``' own actors.

    Answers "which major cities are outside the government bloc's control on 7 Dec".

    >>> from conflict_ledger import load_seed, snapshot
    >>> from conflict_ledger.gazetteer import syria, syria_blocs
    >>> snap = snapshot(load_seed(), at="2024-12-07T00:00Z")
    >>> outside_control(snap, "government bloc", blocs=syria_blocs(), places=syria().places)
    ('aleppo', 'deir-ez-zor', 'hama')
    """
    wanted = set(kinds)
    bloc = blocs.actor_id(snap.actor_id(bloc))
    members = set(blocs.members(bloc, at=snap.at)) | {bloc}
    return tuple(
        s.place
        for s in snap
        if s.place in places
        and places[s.place].kind in wanted
        and not (s.holder in members and s.status not in (Status.CONTESTED, Status.CHANGING))
    )
