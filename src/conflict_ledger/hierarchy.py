"""Places in a hierarchy: a region's state summarises its children's.

Control of a parent never overwrites a child: each place folds on its own claims, so the
SDF can keep Sheikh Maqsoud while Aleppo falls. A region's summary counts the places
under it by holder.

>>> from conflict_ledger import load_seed, snapshot
>>> from conflict_ledger.gazetteer import syria
>>> summary = summarize(snapshot(load_seed(), at="2024-12-07T00:00Z"), "syria", syria().places)
>>> summary.holders["sdf"], summary.total
(1, 9)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from conflict_ledger.asof import Snapshot
from conflict_ledger.registry import Place, Registry

__all__ = ["RegionSummary", "descendants", "summarize"]


def descendants(places: Registry[Place], region: str) -> tuple[str, ...]:
    """Every place below ``region`` (an id, name or alias) in the gazetteer (children,
    grandchildren, ...), sorted; an unknown region raises
    :class:`~conflict_ledger.errors.UnknownPlaceError`.

    >>> from conflict_ledger.gazetteer import syria
    >>> descendants(syria().places, "Halab")
    ('sheikh-maqsoud',)
    """
    region = places.id_of(region, field="region")
    children: dict[str, list[str]] = {}
    for place in places:
        if place.parent is not None:
            children.setdefault(place.parent, []).append(place.id)
    found: list[str] = []
    todo = list(children.get(region, ()))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, ()))
    return tuple(sorted(found))


def _read_only(mapping: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(mapping))


@attrs.frozen(kw_only=True)
class RegionSummary:
    """How many of a region's places (with a state in the snapshot) each holder holds.

    ``holders`` counts settled holders; places with no settled holder count under
    ``"unsettled"`` (contested, changing or unknown).

    >>> RegionSummary(region="r", holders={"sdf": 1, "unsettled": 1}).share("sdf")
    0.5
    """

    region: str
    holders: Mapping[str, int] = attrs.field(converter=_read_only)
    places: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """How many places the summary counts."""
        return sum(self.holders.values())

    def share(self, holder: str) -> float:
        """The share of the counted places ``holder`` holds (0.0 with none counted)."""
        return self.holders.get(holder, 0) / self.total if self.total else 0.0


def summarize(snap: Snapshot, region: str, places: Registry[Place]) -> RegionSummary:
    """Summarise the states of ``region``'s (an id, name or alias) descendants in ``snap``.

    >>> from conflict_ledger import load_seed, snapshot
    >>> from conflict_ledger.gazetteer import syria
    >>> snap = snapshot(load_seed(), at="2024-12-07T00:00Z")
    >>> dict(summarize(snap, "deir-ez-zor-governorate", syria().places).holders)
    {'sdf': 1, 'unsettled': 1}
    """
    region = places.id_of(region, field="region")
    below = [p for p in descendants(places, region) if p in snap]
    counts: dict[str, int] = {}
    for place in below:
        state = snap[place]
        key = state.holder if state.settled and state.holder is not None else "unsettled"
        counts[key] = counts.get(key, 0) + 1
    return RegionSummary(region=region, holders=dict(sorted(counts.items())), places=tuple(below))
