"""Wad Madani 2023-2025: what a snapshot, a timeline, an explanation and an as-known-at question must say.

Expected answers follow the recorded facts (tests/acceptance/wad_madani.py) and the rules
of issue 12: half-open windows (a day's hold and the next day's capture touch, they do not
overlap), and a denial as the denier's side.
"""

from __future__ import annotations

import pytest

import conflict_ledger as cl
from tests.acceptance.record import changes, ids, sides
from tests.acceptance.wad_madani import EPISODE


@pytest.fixture(scope="module")
def ledger() -> cl.Ledger:
    return EPISODE.ledger()


at = EPISODE.at


def test_under_rsf_advance_while_the_army_held_it(ledger: cl.Ledger) -> None:
    state = cl.snapshot(ledger, at=at("2023-12-17 12:00"))["wad-madani"]
    assert (state.status, state.holder, state.advancing) == (
        cl.Status.UNDER_ADVANCE,
        "saf",
        ("rsf",),
    )


def test_changing_hands_on_19_december(ledger: cl.Ledger) -> None:
    state = cl.snapshot(ledger, at=at("2023-12-19 12:00"))["wad-madani"]
    assert (state.status, state.holder, state.contenders) == (
        cl.Status.CHANGING,
        "rsf",
        ("rsf", "saf"),
    )


def test_held_by_the_rsf_after_the_armys_withdrawal(ledger: cl.Ledger) -> None:
    """The army's 17 December hold and its denial end where the RSF's capture window starts:
    touching windows are ordered, so the fall is not contested."""
    state = cl.snapshot(ledger, at=at("2023-12-20 12:00"))["wad-madani"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "rsf", "saf")
    why = cl.explain(ledger, "wad-madani", at=at("2023-12-20 12:00"))
    assert "wad-madani/06" in ids(why.supporting)
    assert "wad-madani/07" in ids(why.supporting) + ids(why.context)
    assert why.disputing == ()


def test_the_most_reliable_sources_say_the_rsf_took_it(ledger: cl.Ledger) -> None:
    state = cl.snapshot(ledger, at=at("2023-12-20 12:00"), policy=cl.most_reliable_wins)
    assert state["wad-madani"].holder == "rsf"


def test_the_armys_denial_of_its_own_liberation_is_the_rsfs_side(ledger: cl.Ledger) -> None:
    """Activists said the army took the city; the army said it did not. By the default
    policy the place is contested between the claim and the denial, the denial on the
    side of the RSF it would have displaced."""
    noon = at("2024-03-01 12:00")
    state = cl.snapshot(ledger, at=noon)["wad-madani"]
    assert state.status is cl.Status.CONTESTED
    assert sides(state) == {
        "saf": frozenset({"wad-madani/08"}),
        "rsf": frozenset({"wad-madani/09"}),
    }
    assert ids(cl.explain(ledger, "wad-madani", at=noon).disputing) == ("wad-madani/09",)


def test_a_graded_policy_keeps_the_rsf_against_an_ungrounded_rumour(ledger: cl.Ledger) -> None:
    """Graded F activists against the army's own D-graded denial: the RSF still holds it,
    taken from the army in December."""
    state = cl.snapshot(ledger, at=at("2024-03-01 12:00"), policy=cl.most_reliable_wins)
    assert (state["wad-madani"].holder, state["wad-madani"].previous) == ("rsf", "saf")


def test_before_the_denial_the_rumour_stood_alone(ledger: cl.Ledger) -> None:
    """As known on 15 Feb, before the spokesman's statement, only the activists' claim is in."""
    noon = at("2024-02-15 12:00")
    state = cl.snapshot(ledger, at=noon, known_at=noon)["wad-madani"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "saf", "rsf")


def test_held_by_the_army_from_11_january_2025(ledger: cl.Ledger) -> None:
    """The Feb 2024 denial was of that month's claimed liberation, not of the 2025 entry."""
    state = cl.snapshot(ledger, at=at("2025-01-12 12:00"))["wad-madani"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "saf", "rsf")
    assert state.disputes == ()


def test_dagalos_admission_known_before_the_armys_report(ledger: cl.Ledger) -> None:
    """At 18:30 on 11 Jan only KUNA's report of Dagalo's admission (18:03 local) is known:
    the RSF lost the city, nobody yet says who holds it. The army's 'liberation' of Feb 2024,
    denied by the army itself, must not make it the holder: the RSF's loss ends the contest
    between that claim and its denial with nobody known to hold the city."""
    evening = at("2025-01-11 18:30")
    state = cl.snapshot(ledger, at=evening, known_at=evening)["wad-madani"]
    assert (state.status, state.holder, state.previous) == (cl.Status.UNKNOWN, None, "rsf")
    assert (state.contenders, state.claims) == ((), ("wad-madani/11",))
    assert cl.AsOfIndex(ledger).holders(at=evening, known_at=evening)["wad-madani"] is None


def test_the_timeline_has_exactly_the_recorded_changes(ledger: cl.Ledger) -> None:
    """The fall is settled at The National's date-end (Abu Dhabi, 20:00 UTC); the army's
    entry of 11 Jan 2025 at TRT World's (Istanbul, 21:00 UTC)."""
    assert changes(cl.timeline(ledger, "wad-madani")) == [
        ("2023-12-14 22:00", "under_advance", "saf"),
        ("2023-12-17 22:00", "changing", "rsf"),
        ("2023-12-19 20:00", "held", "rsf"),
        ("2024-02-13 22:00", "contested", None),
        ("2025-01-10 22:00", "changing", "saf"),
        ("2025-01-11 21:00", "held", "saf"),
    ]


def test_a_presence_ends_when_the_place_changes_hands(ledger: cl.Ledger) -> None:
    """The RSF fighters seen in the city on 18 Dec 2023 are not still 'present' once the army
    has retaken it in 2025 (no rule of issue 12 says so; the record does)."""
    evening = at("2023-12-18 22:00")  # before any report of the whole city's fall
    before = cl.snapshot(ledger, at=evening, known_at=evening)["wad-madani"]
    assert "rsf" in before.presence
    assert cl.snapshot(ledger, at=at("2025-01-12 12:00"))["wad-madani"].presence == ()
