"""Lashio 2024-2025: what a snapshot, a timeline, an explanation and an as-known-at question must say.

Expected answers follow the recorded facts (tests/acceptance/lashio.py) and the rules of
issue 12: the report bound, a denial as the denier's side, plans that never move control.
"""

from __future__ import annotations

import pytest

import conflict_ledger as cl
from tests.acceptance.lashio import EPISODE, HQ
from tests.acceptance.record import changes, ids, sides


@pytest.fixture(scope="module")
def ledger() -> cl.Ledger:
    return EPISODE.ledger()


at = EPISODE.at


def test_the_mndaa_claim_alone_is_settled_by_its_10_am_announcement(ledger: cl.Ledger) -> None:
    noon, known = at("2024-07-25 12:00"), at("2024-07-25 10:30")
    for place in ("lashio", HQ):
        state = cl.snapshot(ledger, at=noon, known_at=known)[place]
        assert (state.status, state.holder, state.previous) == (
            cl.Status.HELD,
            "mndaa",
            "myanmar-military",
        )


def test_the_juntas_denial_is_the_juntas_side(ledger: cl.Ledger) -> None:
    noon = at("2024-07-25 12:00")
    state = cl.snapshot(ledger, at=noon)["lashio"]
    assert state.status is cl.Status.CONTESTED
    assert sides(state) == {
        "mndaa": frozenset({"lashio/05"}),
        "myanmar-military": frozenset({"lashio/07"}),
    }
    why = cl.explain(ledger, "lashio", at=noon)
    assert ("lashio/05" in ids(why.supporting), ids(why.disputing)) == (True, ("lashio/07",))


def test_as_known_in_august_the_town_stays_contested(ledger: cl.Ledger) -> None:
    """Only the headquarters' fall was reported in August; the town's came in DVB's later report."""
    tenth = at("2024-08-10 12:00")
    known = cl.snapshot(ledger, at=tenth, known_at=tenth)
    assert known["lashio"].status is cl.Status.CONTESTED
    assert (known[HQ].status, known[HQ].holder) == (cl.Status.HELD, "mndaa")
    now = cl.snapshot(ledger, at=tenth)["lashio"]
    assert (now.status, now.holder, now.previous) == (cl.Status.HELD, "mndaa", "myanmar-military")


def test_the_fall_of_the_command_is_not_settled_during_3_august(ledger: cl.Ledger) -> None:
    """The capture's window (3 August, bounded by the afternoon report) contains noon: not
    settled. The MNDAA's July claim was denied and contested, so it is no baseline that
    makes the August capture 'no change' (the rule that keeps such an actor out of
    ``previous`` applies to ``holder`` too)."""
    state = cl.snapshot(ledger, at=at("2024-08-03 12:00"))[HQ]
    assert not state.settled


def test_the_plan_never_moves_control(ledger: cl.Ledger) -> None:
    """RFA's residents said the MNDAA would leave by 22 April: on the day, before any report
    of the handover, the plan is context and the MNDAA still holds the town."""
    noon, known = at("2025-04-22 12:00"), at("2025-04-22 15:00")
    state = cl.snapshot(ledger, at=noon, known_at=known)["lashio"]
    assert (state.status, state.holder) == (cl.Status.HELD, "mndaa")
    assert "lashio/11" in ids(cl.explain(ledger, "lashio", at=noon, known_at=known).context)
    eve = cl.explain(ledger, "lashio", at=at("2025-04-21 12:00"), known_at=known)
    assert ("lashio/11", "its valid window starts after at") in [
        (e.claim.id, e.reason) for e in eve.excluded
    ]


def test_the_handover_as_known_before_and_after_the_ministrys_words(ledger: cl.Ledger) -> None:
    """Guo Jiakun spoke at 15:51 Yangon time: before it the MNDAA holds; after it the
    handover's window is over and the junta holds the town."""
    noon = at("2025-04-22 12:00")
    before = cl.snapshot(ledger, at=noon, known_at=at("2025-04-22 15:00"))["lashio"]
    assert (before.status, before.holder) == (cl.Status.HELD, "mndaa")
    during = cl.snapshot(ledger, at=noon, known_at=at("2025-04-22 16:00"))["lashio"]
    assert (during.status, during.holder) == (cl.Status.CHANGING, "myanmar-military")
    four = at("2025-04-22 16:00")
    after = cl.snapshot(ledger, at=four, known_at=four)["lashio"]
    assert (after.status, after.holder, after.previous) == (
        cl.Status.HELD,
        "myanmar-military",
        "mndaa",
    )


def test_the_july_denial_never_disputes_the_junta_back_in_lashio(ledger: cl.Ledger) -> None:
    state = cl.snapshot(ledger, at=at("2025-05-01 12:00"))["lashio"]
    assert (state.status, state.holder, state.disputes) == (
        cl.Status.HELD,
        "myanmar-military",
        (),
    )


def test_the_timeline_has_exactly_the_recorded_changes(ledger: cl.Ledger) -> None:
    """Attacked from 3 July, contested from the MNDAA's claim and the junta's denial, changing
    on 3 August, the MNDAA's from then, changing on 22 April until the ministry's words."""
    assert changes(cl.timeline(ledger, "lashio")) == [
        ("2024-07-02 17:30", "under_attack", "myanmar-military"),
        ("2024-07-24 17:30", "contested", None),
        ("2024-08-02 17:30", "changing", "mndaa"),
        ("2024-08-03 17:30", "held", "mndaa"),
        ("2025-04-21 17:30", "changing", "myanmar-military"),
        ("2025-04-22 09:21", "held", "myanmar-military"),
    ]
