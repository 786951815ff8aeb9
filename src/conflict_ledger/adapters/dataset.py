"""The event type for dataset rows that do not change control: a battle, a strike, a protest.

ACLED and UCDP code many events that say nothing about who holds a place. They are
kept, not dropped, as :class:`DatasetEvent` claims: the territorial projection ignores
them (they are not in ``TERRITORIAL_EVENTS``), while ``explain`` shows them as context
and the pandas adapter lists them with every other claim.

To read a claims file holding them, pass :data:`DATASET_EVENTS` as ``event_types``:

>>> from conflict_ledger.codec import decode_event, encode_event
>>> clash = DatasetEvent(dataset="acled", event_type="Battles", sub_event_type="Armed clash",
...                      place="homs", actor="syrian-government", other_actor="opposition",
...                      fatalities=3)
>>> decode_event(encode_event(clash), DATASET_EVENTS) == clash
True
>>> clash.actor_ids()
('syrian-government', 'opposition')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from conflict_ledger.codec import BUILTIN_EVENTS
from conflict_ledger.events import Event

__all__ = ["DATASET_EVENTS", "DatasetEvent"]


@attrs.frozen(kw_only=True)
class DatasetEvent(Event):
    """An event a dataset coded at ``place`` that does not move control.

    ``dataset`` names the dataset (``"acled"``, ``"ucdp"``); ``event_type`` and
    ``sub_event_type`` are the dataset's own codes, kept verbatim; ``actor`` is the
    first actor (ACLED actor1, UCDP side_a), ``other_actor`` the second if any;
    ``fatalities`` the dataset's count (UCDP: the best estimate).

    >>> DatasetEvent(dataset="ucdp", event_type="state-based", place="homs", actor="syrian-government").kind
    'dataset_event'
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


DATASET_EVENTS: Mapping[str, type[Event]] = {**BUILTIN_EVENTS, DatasetEvent.kind: DatasetEvent}
"""The built-in event types plus :class:`DatasetEvent`, for ``read_claims_file(event_types=...)``."""
