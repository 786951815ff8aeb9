"""Helpers shared by the property tests: rebuilding ledgers, other arrival orders."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from conflict_ledger import Claim, Ledger, Retraction, SourceChain, ValidTime
from conflict_ledger.testing import BASE, registries


def rebuild(claims: Iterable[Claim]) -> Ledger:
    """A fresh ledger (the strategies' registries) holding ``claims`` in the order given."""
    ledger = Ledger(registries=registries(), clock=lambda: BASE)
    ledger.extend(claims)
    return ledger


def target(claim: Claim) -> str | None:
    """The id of the claim ``claim`` retracts or supersedes, if any."""
    return claim.event.target if isinstance(claim.event, Retraction) else claim.supersedes


def shuffled(claims: list[Claim], rng: random.Random) -> list[Claim]:
    """``claims`` in a random arrival order in which every target comes before what undoes it."""
    order = claims[:]
    rng.shuffle(order)
    placed: set[str] = set()
    result: list[Claim] = []
    while order:
        waiting = []
        for claim in order:
            undone = target(claim)
            if undone is None or undone in placed:
                result.append(claim)
                placed.add(claim.id)
            else:
                waiting.append(claim)
        order = waiting
    return result


def december_claim(claim_id: str, event: Any, day: int, reported_day: int, **fields: Any) -> Claim:
    """A claim by reuters about ``day`` December 2024 (exact, midnight UTC), reported at
    01:00 UTC on ``reported_day``."""
    return Claim(
        id=claim_id,
        event=event,
        valid=ValidTime.exact(f"2024-12-{day:02d}T00:00Z"),
        reported_at=f"2024-12-{reported_day:02d}T01:00Z",
        source=SourceChain.of("reuters"),
        **fields,
    )
