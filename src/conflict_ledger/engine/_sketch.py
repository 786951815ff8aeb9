"""Claims the index reads from their stored outline, without building them (private).

A stored ledger's records are read when first asked for (:mod:`conflict_ledger._lazy`).
Building every claim to index it cost most of a new process's first answer: about 12 us
a claim to decode, for a fold that needs its event, window, report instant, modality, id
and what it supersedes. :meth:`Ledger.outlines <conflict_ledger.ledger.Ledger.outlines>`
hands the index each record not read yet as an
:class:`~conflict_ledger.records.Outline` (JSON texts), and :class:`Sketches` turns one
into a :class:`Sketch`: those fields only, each decoded once for all the records that
share its text (a day's window, an event, a report instant), with the record's position
to build the whole claim from when an answer asks for it. An outline whose event is not
a type the index knows (a user's own event type) is not sketched: the claim is read.

>>> from conflict_ledger.records import Outline
>>> sketches = Sketches()
>>> sketch = sketches.sketch(Outline(position=3, claim_id="c1",
...     event='{"actor":"sdf","place":"raqqa","type":"captured"}',
...     valid='{"end":"2024-12-07T00:00:00+00:00","precision":"exact",'
...           '"start":"2024-12-07T00:00:00+00:00"}',
...     reported_at="2024-12-07T01:00:00+00:00", modality="asserted", supersedes=None))
>>> sketch.position, sketch.id, sketch.event.place, sketch.modality
(3, 'c1', 'raqqa', <Modality.ASSERTED: 'asserted'>)
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import orjson
import pendulum

from conflict_ledger.claims import Modality
from conflict_ledger.events import Event, Retraction, SourceGraded
from conflict_ledger.records import BUILTIN_EVENTS, Outline, Shared, decode_event
from conflict_ledger.rules.territory import TERRITORIAL_EVENTS
from conflict_ledger.time import ValidTime

__all__ = ["Sketch", "Sketches"]


class Sketch(NamedTuple):
    """The fields of a stored claim that the fold reads, and where the claim is."""

    position: int
    id: str
    event: Event | None
    valid: ValidTime | None
    reported_at: pendulum.DateTime | None
    modality: Modality
    supersedes: str | None


_MODALITIES = {member.value: member for member in Modality}

_FOLDED = frozenset({cls.kind for cls in TERRITORIAL_EVENTS} | {Retraction.kind, SourceGraded.kind})
"""The kinds of event the index reads: every other claim only supersedes, if anything."""

_KIND = re.compile(r'"type":"([^"\\]*)"')
"""An event's kind in its canonical text (flat: no other ``"type":"`` can be unescaped)."""


class Sketches:
    """Outlines into sketches, each event, window and instant text decoded once."""

    __slots__ = ("_events", "_shared", "_windows")

    def __init__(self) -> None:
        self._shared = Shared()
        self._events: dict[str, Event | None] = {}
        self._windows: dict[str, ValidTime] = {}

    def sketch(self, outline: Outline) -> Sketch | None:
        """The sketch of ``outline``; None when its event is not one of the library's
        types or a text does not decode (read the claim itself then: it says why).

        An event the index does not fold (a dataset's event, a meeting...) is not
        decoded at all: its sketch has no event, window or report instant, only what it
        supersedes (with the report instant then)."""
        kind = _KIND.search(outline.event)
        if kind is None:
            return None
        modality = _MODALITIES.get(outline.modality)
        if modality is None:
            return None
        try:
            if kind.group(1) not in _FOLDED:
                return self._aside(outline, modality)
            event = self._event(outline.event)
            if event is None:
                return None
            valid = self._window(outline.valid)
            reported_at = self._shared.instant(outline.reported_at)
        except (ValueError, TypeError, KeyError):  # the claim, when read, names it
            return None
        return Sketch(
            position=outline.position,
            id=outline.claim_id,
            event=event,
            valid=valid,
            reported_at=reported_at,
            modality=modality,
            supersedes=outline.supersedes,
        )

    def _aside(self, outline: Outline, modality: Modality) -> Sketch:
        """The sketch of a claim whose event the index does not fold."""
        superseding = outline.supersedes is not None
        return Sketch(
            position=outline.position,
            id=outline.claim_id,
            event=None,
            valid=None,
            reported_at=self._shared.instant(outline.reported_at) if superseding else None,
            modality=modality,
            supersedes=outline.supersedes,
        )

    def _event(self, text: str) -> Event | None:
        found = self._events.get(text, False)
        if found is False:
            found = _decoded_event(text)
            if len(self._events) >= 1 << 16:
                self._events.clear()
            self._events[text] = found
        return found  # type: ignore[return-value]

    def _window(self, text: str) -> ValidTime:
        found = self._windows.get(text)
        if found is None:
            found = self._shared.window(orjson.loads(text))
            if len(self._windows) >= 1 << 16:
                self._windows.clear()
            self._windows[text] = found
        return found


def _decoded_event(text: str) -> Event | None:
    try:
        fields: Any = orjson.loads(text)
        if type(fields) is not dict or fields.get("type") not in BUILTIN_EVENTS:
            return None
        return decode_event(fields, BUILTIN_EVENTS)
    except (ValueError, TypeError):  # orjson.JSONDecodeError is a ValueError
        return None
