"""Kherson 2022: what a snapshot, a timeline, an explanation and an as-known-at question must say.

Expected answers follow the recorded facts (tests/acceptance/kherson.py) and the rules of
issue 12: the report bound, half-open windows, and a denial as the denier's side.
"""

from __future__ import annotations

import pytest

import conflict_ledger as cl
from tests.acceptance.kherson import EPISODE
from tests.acceptance.record import changes, ids, sides


@pytest.fixture(scope="module")
def ledger() -> cl.Ledger:
    return EPISODE.ledger()


at = EPISODE.at


def test_held_by_russia_on_5_march(ledger: cl.Ledger) -> None:
    """The 2 March denials overlap the claimed capture; the mayor's 3 March hold settles it."""
    state = cl.snapshot(ledger, at=at("2022-03-05 12:00"))["kherson"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "russia", "ukraine")


def test_a_morning_claim_is_settled_once_reported(ledger: cl.Ledger) -> None:
    """Report bound: the MoD said it at 10:05 Kyiv; by noon its 'today' window is over for the fold."""
    noon = at("2022-03-02 12:00")
    state = cl.snapshot(ledger, at=noon, known_at=noon)["kherson"]
    assert (state.status, state.holder) == (cl.Status.HELD, "russia")
    # the stored claim keeps the window as said: the whole of 2 March in Moscow
    assert ledger.claim("kherson/01").valid.end == cl.to_instant("2022-03-02T21:00Z")


def test_the_presidential_denial_is_ukraines_side(ledger: cl.Ledger) -> None:
    two_pm = at("2022-03-02 14:00")
    state = cl.snapshot(ledger, at=two_pm, known_at=two_pm)["kherson"]
    assert state.status is cl.Status.CONTESTED
    assert sides(state) == {
        "russia": frozenset({"kherson/01"}),
        "ukraine": frozenset({"kherson/02"}),
    }
    why = cl.explain(ledger, "kherson", at=two_pm, known_at=two_pm)
    assert (ids(why.supporting), ids(why.disputing)) == (("kherson/01",), ("kherson/02",))


def test_the_mayors_dispute_counts_until_his_own_correction(ledger: cl.Ledger) -> None:
    late = at("2022-03-02 23:00")
    before = cl.snapshot(ledger, at=late, known_at=at("2022-03-03 05:00"))["kherson"]
    assert sides(before) == {
        "russia": frozenset({"kherson/01", "kherson/04", "kherson/05"}),
        "ukraine": frozenset({"kherson/02", "kherson/03"}),
    }
    why = cl.explain(ledger, "kherson", at=late)
    assert ids(why.disputing) == ("kherson/02",)
    assert [(e.claim.id, e.reason) for e in why.excluded] == [
        ("kherson/03", "superseded by kherson/06"),
        ("kherson/06", "its valid window starts after at"),
        ("kherson/07", "its valid window starts after at"),
        ("kherson/08", "its valid window starts after at"),
        ("kherson/09", "its valid window starts after at"),
        ("kherson/10", "its valid window starts after at"),
        ("kherson/11", "its valid window starts after at"),
    ]


def test_still_russian_on_10_november_as_known_that_day(ledger: cl.Ledger) -> None:
    """Shoigu's order is a plan: it never moves control. Russia's hold rests on the March
    capture, so Ukraine's denial of that capture still disputes it (never supports it)."""
    noon, evening = at("2022-11-10 12:00"), at("2022-11-10 23:00")
    state = cl.snapshot(ledger, at=noon, known_at=evening)["kherson"]
    assert (state.status, state.holder) == (cl.Status.HELD, "russia")
    why = cl.explain(ledger, "kherson", at=noon, known_at=evening)
    assert "kherson/07" in ids(why.context)
    assert ids(why.disputing) == ("kherson/02",)
    assert "kherson/02" not in ids(why.supporting)


def test_russias_withdrawal_alone_leaves_the_city_without_holder(ledger: cl.Ledger) -> None:
    """As known at 13:00 on 11 Nov only the MoD's completed withdrawal is in: no one holds it."""
    one_pm = at("2022-11-11 13:00")
    state = cl.snapshot(ledger, at=one_pm, known_at=one_pm)["kherson"]
    assert (state.status, state.holder, state.previous) == (cl.Status.UNKNOWN, None, "russia")


def test_held_by_ukraine_on_12_november(ledger: cl.Ledger) -> None:
    """The March denial was of Russia's gain: it never disputes Ukraine's later hold."""
    noon = at("2022-11-12 12:00")
    state = cl.snapshot(ledger, at=noon)["kherson"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "ukraine", "russia")
    assert state.disputes == ()
    assert cl.explain(ledger, "kherson", at=noon).disputing == ()


def test_known_before_a_report_does_not_see_it(ledger: cl.Ledger) -> None:
    noon, known = at("2022-11-12 12:00"), at("2022-11-11 11:00")
    state = cl.snapshot(ledger, at=noon, known_at=known)["kherson"]
    assert (state.status, state.holder) == (cl.Status.HELD, "russia")
    why = cl.explain(ledger, "kherson", at=noon, known_at=known)
    late = {e.claim.id for e in why.excluded if e.reason.endswith("after known_at")}
    assert late == {"kherson/08", "kherson/09", "kherson/10", "kherson/11"}


def test_the_timeline_has_exactly_the_recorded_changes(ledger: cl.Ledger) -> None:
    """Changing from the MoD's Moscow day, contested by the denials, held from 3 March Kyiv;
    changing from 11 November Kyiv until HUR's report (20:12 UTC), then Ukraine's."""
    assert changes(cl.timeline(ledger, "kherson")) == [
        ("2022-03-01 21:00", "changing", "russia"),
        ("2022-03-01 22:00", "contested", None),
        ("2022-03-02 22:00", "held", "russia"),
        ("2022-11-10 22:00", "changing", "ukraine"),
        ("2022-11-11 20:12", "held", "ukraine"),
    ]


def test_the_index_answers_as_the_ledger(ledger: cl.Ledger) -> None:
    index = cl.AsOfIndex(ledger)
    for when, known in [
        ("2022-03-02 12:00", "2022-03-02 12:00"),
        ("2022-03-02 14:00", "2022-03-02 14:00"),
        ("2022-03-05 12:00", None),
        ("2022-11-11 13:00", "2022-11-11 13:00"),
        ("2022-11-12 12:00", None),
    ]:
        known_at = None if known is None else at(known)
        assert index.snapshot(at=at(when), known_at=known_at) == cl.snapshot(
            ledger, at=at(when), known_at=known_at
        )


def test_the_week_long_withdrawal_forecast_resolves_false(ledger: cl.Ledger) -> None:
    """Reznikov's 'at least a week' never moves control and was wrong: Russia was out on 11 Nov."""
    assert cl.snapshot(ledger, at=at("2022-11-20 12:00"))["kherson"].holder == "ukraine"
    outcomes = {
        known: {r.forecast.id: r.outcome for r in cl.resolve_forecasts(ledger, known_at=at(known))}
        for known in ("2022-11-12 12:00", "2022-12-01 00:00")
    }
    assert outcomes == {
        "2022-11-12 12:00": {"kherson/11": cl.Outcome.OPEN},
        "2022-12-01 00:00": {"kherson/11": cl.Outcome.FALSE},
    }
