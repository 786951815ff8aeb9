"""Helpers shared by the property tests: rebuilding ledgers, other arrival orders."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

import attrs

from conflict_ledger import Claim, DatasetEvent, Ledger, Retraction, SourceChain, ValidTime
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


def clash(place: str, actor: str = "opposition") -> DatasetEvent:
    """An ACLED battle at ``place``: a dataset event, which moves no control."""
    return DatasetEvent(dataset="acled", event_type="Battles", place=place, actor=actor)


def clashes() -> tuple[list[Claim], list[Claim]]:
    """Dataset events in December 2024 (two at homs, one at hama), then a retraction of
    the second and a correction of the first: a timeline's context and an explanation
    count only the correction at homs."""
    first = december_claim("clash-homs", clash("homs"), 3, 4)
    events = [
        first,
        december_claim("clash-homs-2", clash("homs", "syrian-government"), 4, 5),
        december_claim("clash-hama", clash("hama"), 4, 5),
    ]
    undone = [
        december_claim("retract-2", Retraction(target="clash-homs-2"), 6, 6),
        attrs.evolve(
            first,
            id="clash-homs-fixed",
            reported_at="2024-12-07T01:00Z",
            supersedes="clash-homs",
            event=clash("homs", "sdf"),
        ),
    ]
    return events, undone
