"""One place's explanation from the records about it: what :meth:`AsOfIndex.explain` reads.

:func:`conflict_ledger.asof.explain` reads every record of the ledger to find the claims
about one place and what cancels them. :class:`Mentions` keeps, read incrementally from
the ledger, its records by the places they name and, by claim id, the claims that
retract or correct it, in ledger order; :func:`explanation` sorts one place's records
into counted and excluded with the same reasons, and the index gives the state (its
:class:`~conflict_ledger.rules.policies.PlaceClaims`, per-place and cut at ``known_at``).

>>> from conflict_ledger.seed import load_seed
>>> mentions = Mentions()
>>> mentions.read(load_seed())
>>> [r.claim.id for r in mentions.about("deir-ez-zor")]
['dawn-2024-12-07/c04']
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from conflict_ledger.asof import Excluded, Explanation, why_excluded
from conflict_ledger.claims import Claim
from conflict_ledger.events import Retraction
from conflict_ledger.ledger import Ledger, Recorded
from conflict_ledger.rules.policies import PlaceClaims, Policy, apply_policy

__all__ = ["Mentions", "explanation"]


class Mentions:
    """A ledger's records by the places their events name, and by claim id the claims
    that cancel it (a retraction, a correction), both in ledger order; brought up to date
    from the records appended since by :meth:`read`."""

    __slots__ = ("_about", "_cancellers", "_seen")

    def __init__(self) -> None:
        self._seen = 0
        self._about: dict[str, list[Recorded]] = {}
        self._cancellers: dict[str, list[Claim]] = {}

    def read(self, ledger: Ledger) -> None:
        """Read the records appended to ``ledger`` since the last read."""
        if len(ledger) == self._seen:
            return
        about, cancellers = self._about, self._cancellers
        for record in ledger.since(self._seen):
            claim = record.claim
            for place in dict.fromkeys(claim.event.place_ids()):
                about.setdefault(place, []).append(record)
            if isinstance(claim.event, Retraction):
                cancellers.setdefault(claim.event.target, []).append(claim)
            if claim.supersedes is not None:
                cancellers.setdefault(claim.supersedes, []).append(claim)
            self._seen = record.position + 1

    def about(self, place: str) -> Sequence[Recorded]:
        """The records whose event names ``place``, in ledger order."""
        return self._about.get(place, ())

    def cancelled_by(self, claim_id: str, known: pendulum.DateTime | None) -> Claim | None:
        """The first claim in ledger order, reported by ``known`` (None: any), that
        retracts or corrects ``claim_id``; None if there is none."""
        for claim in self._cancellers.get(claim_id, ()):
            if known is None or claim.reported_at <= known:
                return claim
        return None


def explanation(mentions: Mentions, seen: PlaceClaims, policy: Policy) -> Explanation:
    """The explanation of ``seen.place`` at ``seen.at`` as known at ``seen.known_at``:
    equal to :func:`conflict_ledger.asof.explain` when ``seen`` is what the place's
    policy sees (:func:`conflict_ledger.asof.place_claims`) and ``mentions`` has read the
    whole ledger."""
    at, known = seen.at, seen.known_at
    counted: list[Claim] = []
    excluded: list[Excluded] = []
    for record in mentions.about(seen.place):
        claim = record.claim
        by = mentions.cancelled_by(claim.id, known)
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
