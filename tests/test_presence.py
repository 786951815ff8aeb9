"""The holder is never a presence: seen in part of a place it holds, it supports its hold.

Seen on a real episode: witnesses reported M23 fighters in central Goma on 27 Jan 2025,
after M23 had said it held the whole city (tests/acceptance/test_goma.py). Each case is
asked of the reference fold and of the as-of index; generated ledgers check the law on both.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.engine import AsOfIndex
from conflict_ledger.events import Captured, ControlLost, Extent, Holds
from conflict_ledger.reference import snapshot
from conflict_ledger.rules.territory import Status
from conflict_ledger.testing.strategies import instants, ledgers
from tests.test_territory_losses import ENGINES, _claim, _folds_agree, _hours, _ledger

TAKEN = _claim("taken", Captured(place="p0", actor="a1", from_actor="a0"), 0)
SEEN_A1 = _claim("seen-a1", Captured(place="p0", actor="a1", extent=Extent.SOME), 5)
SEEN_A2 = _claim("seen-a2", Captured(place="p0", actor="a2", extent=Extent.MOST), 6)
A2_HOLDS = _claim("a2-holds", Holds(place="p0", actor="a2"), 8)
A1_LOST = _claim("a1-lost", ControlLost(place="p0", actor="a1"), 7)

# (claims, at (hours), expected status, holder, presence)
CASES = {
    "the holder seen in part of the place is no presence": (
        [TAKEN, SEEN_A1],
        6,
        Status.HELD,
        "a1",
        (),
    ),
    "another actor seen there is": ([TAKEN, SEEN_A1, SEEN_A2], 7, Status.HELD, "a1", ("a2",)),
    "an actor present, then said to hold the place, is no longer a presence": (
        [SEEN_A2, A2_HOLDS],
        9,
        Status.HELD,
        "a2",
        (),
    ),
    "a presence stays when the holder loses the place": (
        [TAKEN, SEEN_A2, A1_LOST],
        9,
        Status.UNKNOWN,
        None,
        ("a2",),
    ),
}


@pytest.mark.parametrize("engine", ENGINES, ids=lambda engine: repr(engine))
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_on_the_oracle_and_the_engine(case, engine):
    claims, at, status, holder, presence = CASES[case]
    ledger = _ledger(claims)
    when = _hours(at)
    state = snapshot(ledger, at=when)["p0"]
    assert (state.status, state.holder, state.presence) == (status, holder, presence)
    cls, every, column_every = engine
    index = cls(ledger, checkpoint_every=every, column_every=column_every)
    assert index.place_state("p0", at=when) == state
    _folds_agree(ledger, None)


partial = ledgers(
    max_size=14,
    places=1,
    types=[Captured, Holds, ControlLost],
    max_value=24 * 4,
    contested_share=0.3,
    late_share=0.3,
)
hours = instants(min_value=0, max_value=24 * 70)


@given(partial, hours, st.none() | hours)
def test_no_holder_is_a_presence_and_the_engine_agrees(ledger, at, known_at):
    expected = snapshot(ledger, at=at, known_at=known_at)
    assert all(state.holder not in state.presence for state in expected)
    assert AsOfIndex(ledger).snapshot(at=at, known_at=known_at) == expected
