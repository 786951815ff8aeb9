"""Forecasts resolve against what the ledger came to say."""

from __future__ import annotations

import attrs
import pendulum

from conflict_ledger import Captured, Claim, SourceChain, ValidTime, load_seed
from conflict_ledger.forecasts import Outcome, Score, forecast_scores, resolve_forecasts

FORECAST = "dawn-2024-12-07/c08"


def took_albukamal(reported: str) -> Claim:
    return Claim(
        id="test/sdf-takes-albukamal",
        event=Captured(place="Abu Kamal", actor="SDF"),
        valid=ValidTime.day(pendulum.date(2024, 12, 7), tz="Asia/Damascus"),
        reported_at=reported,
        source=SourceChain.of("syrian-sources", "reuters"),
    )


def outcome(ledger, known_at=None):
    (result,) = [
        r for r in resolve_forecasts(ledger, known_at=known_at) if r.forecast.id == FORECAST
    ]
    return result


def test_the_albukamal_forecast_resolves_true_once_a_later_claim_arrives():
    ledger = load_seed()
    assert outcome(ledger).outcome is Outcome.OPEN
    ledger.append(took_albukamal("2024-12-07T18:00+03:00"))
    before = outcome(ledger, known_at="2024-12-07T17:00+03:00")
    after = outcome(ledger, known_at="2024-12-07T18:00+03:00")
    assert (before.outcome, after.outcome) == (Outcome.OPEN, Outcome.TRUE)
    assert after.realised_by == ("test/sdf-takes-albukamal",)
    scores = forecast_scores(resolve_forecasts(ledger))
    assert scores["iraqi-security-source"] == Score(true=1, false=0, open=0)


def test_a_forecast_whose_horizon_passes_unrealised_is_false_until_a_late_report_says_otherwise():
    ledger = load_seed()
    assert outcome(ledger, known_at="2024-12-09T00:00Z").outcome is Outcome.FALSE
    ledger.append(took_albukamal("2024-12-20T00:00Z"))  # reported weeks late
    assert outcome(ledger, known_at="2024-12-09T00:00Z").outcome is Outcome.FALSE
    assert outcome(ledger, known_at="2024-12-21T00:00Z").outcome is Outcome.TRUE


def test_a_capture_outside_the_horizon_does_not_realise_it():
    ledger = load_seed()
    late = took_albukamal("2024-12-20T00:00Z")
    ledger.append(attrs.evolve(late, valid=ValidTime.day(pendulum.date(2024, 12, 15), tz="UTC")))
    assert outcome(ledger, known_at="2024-12-21T00:00Z").outcome is Outcome.FALSE
    assert Score(true=0, false=1).hit_rate == 0.0
    assert Score().hit_rate is None
