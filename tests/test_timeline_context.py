"""A timeline's context (the dataset events that do not move control) through the door,
against the reference fold: for a ledger read back from its file (its records reach the
context as outlines) and for one held in memory, with dataset events retracted and
corrected, asked as known at times before and after each."""

from __future__ import annotations

import pytest

import conflict_ledger as cl
from conflict_ledger import reference
from conflict_ledger.codec import open_ledger
from conflict_ledger.events import Captured
from conflict_ledger.ledger import Ledger
from conflict_ledger.saving import save_ledger
from conflict_ledger.seed import load_seed
from tests.support import clashes, december_claim


def _ledger() -> Ledger:
    seed = load_seed()
    ledger = Ledger(registries=seed.registries)
    events, undone = clashes()
    took = december_claim("took-homs", Captured(place="homs", actor="opposition"), 2, 2)
    ledger.extend([took, *events, *undone])
    return ledger


@pytest.mark.parametrize("stored", [False, True])
def test_a_timelines_context_is_the_reference_folds(tmp_path, stored):
    ledger = _ledger()
    if stored:
        save_ledger(ledger, tmp_path / "l.sqlite")
        ledger = open_ledger(tmp_path / "l.sqlite")
    for known_at in (None, *(f"2024-12-{day:02d}T12:00Z" for day in range(1, 9))):
        for place in ("homs", "hama"):
            got = cl.timeline(ledger, place, known_at=known_at)
            expected = reference.timeline(ledger, place, known_at=known_at)
            assert got.context == expected.context, (place, known_at)
            assert got == expected
    ids = [c.id for c in cl.timeline(ledger, "homs").context]
    assert ids == ["clash-homs-fixed"]  # one retracted, one corrected
