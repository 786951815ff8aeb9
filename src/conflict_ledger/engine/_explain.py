"""The records about one place: what an explanation and a timeline's context read
(private to the as-of index).

:func:`conflict_ledger.asof.explain` reads every record of the ledger to find the claims
about one place and what cancels them. :class:`Mentions` keeps, read incrementally from
the ledger, the positions of its records by the places their events name and, by claim
id, the positions of the claims that retract or correct it, in ledger order. A record
not read yet is read as its outline (its event alone is built); the claims about a place
are read when a question about that place needs them, so an index saved with its
mentions (``engine/_saved.py``) explains a place of a million-claim ledger by reading
that place's records only. :func:`explanation` sorts one place's claims into counted
and excluded with the same reasons as the reference, and the index gives the state (its
:class:`~conflict_ledger.rules.policies.PlaceClaims`, per-place and cut at
``known_at``); :func:`context` gives a timeline the dataset events about the place.

>>> from conflict_ledger.seed import load_seed
>>> ledger = load_seed()
>>> mentions = Mentions()
>>> mentions.read(ledger)
>>> [r.claim.id for r in mentions.about(ledger, "deir-ez-zor")]
['dawn-2024-12-07/c04']
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import orjson
import pendulum

from conflict_ledger import records
from conflict_ledger.asof import Excluded, Explanation, order_key, why_excluded
from conflict_ledger.claims import Claim
from conflict_ledger.events import DatasetEvent, Event, Retraction
from conflict_ledger.ledger import Ledger, Recorded
from conflict_ledger.records import Outline
from conflict_ledger.rules.policies import PlaceClaims, Policy, apply_policy

__all__ = ["Mentions", "Named", "context", "explanation", "named_in"]


class Mentions:
    """A ledger's record positions by the places their events name (and apart, those of
    its dataset events, a timeline's context), and by claim id the positions of the
    claims that cancel it (a retraction, a correction), all in ledger order; brought up
    to date from the records appended since by :meth:`read`.

    :meth:`saved` and :meth:`of_saved` keep them beside a saved index: positions as
    bytes, made into lists on the first question."""

    __slots__ = ("_about", "_cancellers", "_datasets", "_seen")

    def __init__(
        self,
        about: dict[str, list[int]] | None = None,
        cancellers: dict[str, list[int]] | None = None,
        datasets: dict[str, list[int]] | None = None,
        seen: int = 0,
    ) -> None:
        self._seen = seen
        self._about: dict[str, list[int]] = {} if about is None else about
        self._cancellers: dict[str, list[int]] = {} if cancellers is None else cancellers
        self._datasets: dict[str, list[int]] = {} if datasets is None else datasets

    @property
    def seen(self) -> int:
        """How many of the ledger's records have been read."""
        return self._seen

    def read(self, ledger: Ledger, until: int | None = None) -> None:
        """Read the records appended to ``ledger`` since the last read (up to ``until``)."""
        end = len(ledger) if until is None else until
        if end <= self._seen:
            return
        for item in ledger.outlines(self._seen):
            if item.position >= end:
                break
            if type(item) is Outline:
                named = named_in(ledger, item)
                supersedes = item.supersedes
            else:
                claim = item.claim  # type: ignore[union-attr]
                named, supersedes = _named_by(claim.event), claim.supersedes
            self._note(item.position, named, supersedes)
            self._seen = item.position + 1

    def _note(self, position: int, named: Named, supersedes: str | None) -> None:
        places, target, dataset = named
        for place in dict.fromkeys(places):  # each place once
            self._about.setdefault(place, []).append(position)
            if dataset:
                self._datasets.setdefault(place, []).append(position)
        if target is not None:
            self._cancellers.setdefault(target, []).append(position)
        if supersedes is not None:
            self._cancellers.setdefault(supersedes, []).append(position)

    def about(self, ledger: Ledger, place: str) -> Sequence[Recorded]:
        """The records whose event names ``place``, in ledger order (read from ``ledger``)."""
        return ledger.at_positions(self._about.get(place, ()))

    def datasets_about(self, ledger: Ledger, place: str) -> Sequence[Recorded]:
        """The records of dataset events naming ``place``, in ledger order."""
        return ledger.at_positions(self._datasets.get(place, ()))

    def cancelled_by(
        self, ledger: Ledger, claim_id: str, known: pendulum.DateTime | None
    ) -> Claim | None:
        """The first claim in ledger order, reported by ``known`` (None: any), that
        retracts or corrects ``claim_id``; None if there is none."""
        for record in self._cancellers_of(ledger, claim_id):
            if known is None or record.claim.reported_at <= known:
                return record.claim
        return None

    def _cancellers_of(self, ledger: Ledger, claim_id: str) -> Iterator[Recorded]:
        positions = self._cancellers.get(claim_id)
        return iter(ledger.at_positions(positions)) if positions else iter(())

    def saved(self) -> dict[str, Any]:
        """What :meth:`of_saved` reads back: the positions as bytes."""
        return {
            "seen": self._seen,
            "about": {key: _packed(value) for key, value in self._about.items()},
            "cancellers": {key: _packed(value) for key, value in self._cancellers.items()},
            "datasets": {key: _packed(value) for key, value in self._datasets.items()},
        }

    @classmethod
    def of_saved(cls, saved: Mapping[str, Any]) -> Mentions:
        """The mentions :meth:`saved` kept (ValueError, TypeError or KeyError if damaged)."""
        seen = saved["seen"]
        if type(seen) is not int or seen < 0:
            raise ValueError(f"seen is {seen!r}")
        about, cancellers = _unpacked(saved["about"]), _unpacked(saved["cancellers"])
        return cls(about, cancellers, _unpacked(saved["datasets"]), seen)


def _packed(positions: list[int]) -> bytes:
    return array("q", positions).tobytes()


def _unpacked(packed: Mapping[str, bytes]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for key, data in packed.items():
        positions = array("q")
        positions.frombytes(data)
        found[key] = positions.tolist()
    return found


Named = tuple[tuple[str, ...], str | None, bool]
"""The places an event names, the claim it retracts (None: none), whether it is a
dataset event."""


def _named_by(event: Event) -> Named:
    """What an event names (:data:`Named`)."""
    target = event.target if isinstance(event, Retraction) else None
    return event.place_ids(), target, isinstance(event, DatasetEvent)


def named_in(ledger: Ledger, item: Outline) -> Named:
    """:func:`_named_by` of an outline's event, read from its JSON text (a built-in event
    type, whose place fields are plain ids or lists of ids in its canonical JSON, as on
    the event: :meth:`~conflict_ledger.events.Event.place_ids`), without building the
    event; one that does not read so is read in full, which names what is wrong with it."""
    try:
        fields = orjson.loads(item.event)
        kind = records.BUILTIN_EVENTS[fields["type"]]
        if kind is Retraction:
            target = fields["target"]
            if type(target) is str:
                return (), target, False
        else:
            found: list[str] = []
            for name in kind.place_fields:
                value = fields.get(name)
                if type(value) is str:
                    found.append(value)
                elif type(value) is list and all(type(one) is str for one in value):
                    found.extend(value)
                elif value is not None:
                    raise TypeError(f"{name} is {value!r}")
            return tuple(found), None, kind is DatasetEvent
    except (ValueError, TypeError, KeyError):
        pass
    return _named_by(ledger.at(item.position).claim.event)


def explanation(
    mentions: Mentions, ledger: Ledger, seen: PlaceClaims, policy: Policy
) -> Explanation:
    """The explanation of ``seen.place`` at ``seen.at`` as known at ``seen.known_at``:
    equal to :func:`conflict_ledger.asof.explain` when ``seen`` is what the place's
    policy sees (:func:`conflict_ledger.asof.place_claims`) and ``mentions`` has read the
    whole ledger."""
    at, known = seen.at, seen.known_at
    counted: list[Claim] = []
    excluded: list[Excluded] = []
    for record in mentions.about(ledger, seen.place):
        claim = record.claim
        by = mentions.cancelled_by(ledger, claim.id, known)
        reason = why_excluded(claim, at=at, known_at=known, cancelled_by=by)
        if reason is None:
            counted.append(claim)
        else:
            excluded.append(Excluded(claim=claim, reason=reason))
    return Explanation.of(
        seen.place,
        apply_policy(policy, seen),
        counted=counted,
        excluded=excluded,
        policy=policy,
        grades=seen.grades,
        at=at,
        known_at=known,
    )


def context(
    mentions: Mentions, ledger: Ledger, place: str, known: pendulum.DateTime | None
) -> tuple[Claim, ...]:
    """The dataset events naming ``place`` that count as known at ``known`` (None: now),
    in fold order: a timeline's context, as :func:`conflict_ledger.asof.timeline` gives
    it when ``mentions`` has read the whole ledger."""

    def counts(claim: Claim) -> bool:
        if known is not None and claim.reported_at > known:
            return False
        return mentions.cancelled_by(ledger, claim.id, known) is None

    named = [record.claim for record in mentions.datasets_about(ledger, place)]
    return tuple(sorted((claim for claim in named if counts(claim)), key=order_key))
