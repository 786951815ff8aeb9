"""Baselines: who held what at a date, according to one named source, when the record starts.

Record a war from the day an offensive begins and every place before it is unknown: a
diff over the fortnight shows ``-`` as "before" for every place. A baseline states the
state before, from a source the analyst names (a control map of the day before the
offensive, a monitor's survey), so snapshots, diffs and timelines start from it.

A baseline is not a new kind of record. It is one claim per place, each:

- an asserted :class:`~conflict_ledger.events.Holds` (the actor holds the whole place:
  a state, not a dated change, so it never says when the holder took the place);
- valid at the baseline's instant (``ValidTime.exact``), reported when the source
  published it (by default the same instant);
- carried by the named source, with the note ``"baseline: <title>"``;
- with the id ``baseline/<source>/<date>/<place>``, which :func:`is_baseline` reads.

So a baseline folds, is explained, disputed, superseded and as-known-at filtered like
any claim: a later capture replaces its holder; a snapshot asked as known before the map
was published does not see it; a denial disputes it.

>>> import conflict_ledger as cl
>>> from conflict_ledger.gazetteer import syria
>>> ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-10T00:00Z"))
>>> ledger.register(cl.Source(id="control-map", name="A control map", kind="analyst"))
>>> _ = ledger.extend(baseline({"Aleppo": "syrian-government", "Deir ez-Zor": "syrian-government"},
...                        at="2024-11-26", source="control-map", title="map of 26 Nov"))
>>> cl.snapshot(ledger, at="2024-11-27T00:00Z")["aleppo"].holder
'syrian-government'
>>> [claim.id for claim in ledger.claims() if is_baseline(claim)]
['baseline/control-map/2024-11-26/aleppo', 'baseline/control-map/2024-11-26/deir-ez-zor']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pendulum

from conflict_ledger.claims import Claim, Modality, SourceChain
from conflict_ledger.errors import InvalidClaimError
from conflict_ledger.events import Holds
from conflict_ledger.registry import normalise_name
from conflict_ledger.time import ValidTime, parse_when, to_instant, zone

__all__ = ["BASELINE_NOTE", "BASELINE_PREFIX", "baseline", "is_baseline"]

BASELINE_PREFIX = "baseline/"
"""How a baseline claim's id starts."""

BASELINE_NOTE = "baseline: "
"""How a baseline claim's note starts (the title follows)."""


def baseline(
    holders: Mapping[str, str | Sequence[str]],
    *,
    at: Any,
    source: str,
    reported_at: Any = None,
    title: str = "",
    tz: str = "UTC",
) -> tuple[Claim, ...]:
    """The claims stating that each place in ``holders`` was held by its actor at ``at``.

    ``holders`` maps places to actors (ids, names or aliases: the ledger resolves them
    on append); a place the source shows as contested maps to its contenders, one claim
    each (``{"Homs": ("syrian-government", "opposition")}``), and folds as CONTESTED.
    ``at`` and ``reported_at`` are aware datetimes or ISO strings; a date or a time
    without an offset is read in ``tz``, and the ids carry ``at``'s date there.
    ``source`` is the source's id or name, ``title`` what the source is ("ISW-CTP
    control map, 26 Nov 2024").

    >>> [c.id for c in baseline({"homs": "syrian-government"}, at="2024-11-26", source="ISW")]
    ['baseline/isw/2024-11-26/homs']
    >>> baseline({"homs": "sdf"}, at="2024-11-26", tz="Asia/Damascus", source="ISW")[0].id
    'baseline/isw/2024-11-26/homs'
    >>> baseline({}, at="2024-11-26", source="ISW")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidClaimError: holders={}: a baseline names who held which places...
    """
    if not holders:
        raise InvalidClaimError(
            field="holders",
            value=dict(holders),
            problem="a baseline names who held which places",
            hint="Give a mapping such as {'Aleppo': 'syrian-government'}.",
        )
    instant = _when(at, tz=tz, field="at")
    published = instant if reported_at is None else _when(reported_at, tz=tz, field="reported_at")
    day = instant.in_timezone(_zone(tz)).date().isoformat()
    stem = f"{BASELINE_PREFIX}{_slug(source)}/{day}"
    note = BASELINE_NOTE + (title or f"who held what at {instant.isoformat()}, per {source}")
    return tuple(
        Claim(
            id=id,
            event=Holds(place=place, actor=actor),
            valid=ValidTime.exact(instant),
            reported_at=published,
            source=SourceChain.of(source),
            modality=Modality.ASSERTED,
            note=note,
        )
        for id, place, actor in _held(stem, holders)
    )


def _held(stem: str, holders: Mapping[str, str | Sequence[str]]) -> Iterator[tuple[str, str, str]]:
    """(claim id, place, actor) for each holder; a contested place's ids name the actor."""
    for place, held in holders.items():
        actors = (held,) if isinstance(held, str) else tuple(held)
        if not actors:
            raise InvalidClaimError(
                field="holders",
                value={place: held},
                problem="a place in a baseline needs its holder or contenders",
                hint="Map it to an actor, or to the actors contesting it.",
            )
        for actor in actors:
            suffix = f"/{_slug(actor)}" if len(actors) > 1 else ""
            yield f"{stem}/{_slug(place)}{suffix}", place, actor


def is_baseline(claim: Claim) -> bool:
    """Whether ``claim`` is part of a baseline: its id and its note say so, as
    :func:`baseline` writes them.

    >>> is_baseline(baseline({"homs": "syrian-government"}, at="2024-11-26", source="isw")[0])
    True
    """
    return claim.id.startswith(BASELINE_PREFIX) and claim.note.startswith(BASELINE_NOTE)


def _when(value: Any, *, tz: str, field: str) -> pendulum.DateTime:
    if isinstance(value, str):
        return parse_when(value, tz=tz, field=field)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return parse_when(value.isoformat(), tz=tz, field=field)
    return to_instant(value, field=field)


def _zone(tz: str) -> pendulum.Timezone | pendulum.FixedTimezone:
    found: pendulum.Timezone | pendulum.FixedTimezone = zone(tz)
    return found


def _slug(name: str) -> str:
    """A claim id's part from a name; a name with no Latin letter becomes a short hash.

    >>> _slug("Deir el-Zor"), _slug("Херсон")
    ('deir-el-zor', 'h-d8258232')
    """
    slug = "-".join(re.sub(r"[^a-z0-9 ]+", "", normalise_name(name)).split())
    return slug or "h-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
