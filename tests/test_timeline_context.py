"""A timeline's context (the dataset events that do not move control) through the door,
against the reference fold: for a ledger read back from its file (its records reach the
context as outlines) and for one held in memory, with dataset events retracted and
corrected, asked as known at times before and after each."""

from __future__ import annotations

import attrs
import pytest

import conflict_ledger as cl
from conflict_ledger import reference
from conflict_ledger.codec import open_ledger
from conflict_ledger.events import Captured, DatasetEvent, Retraction
from conflict_ledger.ledger import Ledger
from conflict_ledger.saving import save_ledger
from conflict_ledger.seed import load_seed
from tests.support import december_claim


def _clash(place, actor="opposition"):
    return DatasetEvent(dataset="acled", event_type="Battles", place=place, actor=actor)


def _ledger() -> Ledger:
    seed = load_seed()
    ledger = Ledger(registries=seed.registries)
    clash = december_claim("clash-homs", _clash("homs"), 3, 4)
    ledger.extend(
        [
            december_claim("took-homs", Captured(place="homs", actor="opposition"), 2, 2),
            clash,
            december_claim("clash-homs-2", _clash("homs", "syrian-government"), 4, 5),
            december_claim("clash-hama", _clash("hama"), 4, 5),
            december_claim("retract-2", Retraction(target="clash-homs-2"), 6, 6),
            attrs.evolve(
                clash,
                id="clash-homs-fixed",
                reported_at="2024-12-07T01:00Z",
                supersedes="clash-homs",
                event=_clash("homs", "sdf"),
            ),
        ]
    )
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
