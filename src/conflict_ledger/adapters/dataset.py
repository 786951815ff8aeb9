"""Dataset rows that do not change control: kept as :class:`~conflict_ledger.events.DatasetEvent`.

The event type is part of the library's vocabulary (``conflict_ledger.events``), so every
reader and store knows it; this module keeps the names the adapters import.

>>> from conflict_ledger.codec import decode_event, encode_event
>>> clash = DatasetEvent(dataset="acled", event_type="Battles", sub_event_type="Armed clash",
...                      place="homs", actor="syrian-government", other_actor="opposition",
...                      fatalities=3)
>>> decode_event(encode_event(clash), DATASET_EVENTS) == clash
True
"""

from __future__ import annotations

from collections.abc import Mapping

from conflict_ledger.codec import BUILTIN_EVENTS
from conflict_ledger.events import DatasetEvent, Event

__all__ = ["DATASET_EVENTS", "DatasetEvent"]

DATASET_EVENTS: Mapping[str, type[Event]] = BUILTIN_EVENTS
"""The event types a dataset import produces: the built-in vocabulary, DatasetEvent included."""
