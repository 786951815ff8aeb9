"""Forecasts resolve later against what the ledger came to say; sources are scored on them.

A FORECAST claim predicts its event within its valid window (the horizon). As known at
``known_at`` it is

* TRUE when a counted ASSERTED claim realises the event (same place and the same actor
  gaining it, or an equal event) with a window that meets the horizon;
* FALSE when the ledger's knowledge reaches past the horizon (``known_at``, or else the
  latest report in the ledger) and nothing realised it;
* OPEN otherwise.

Outcomes change with knowledge, never silently: a late report can turn FALSE into TRUE
from its own report time on.

>>> from conflict_ledger import load_seed
>>> [(r.forecast.id, r.outcome.value) for r in resolve_forecasts(load_seed())]
[('dawn-2024-12-07/c08', 'open')]
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from conflict_ledger.asof import Source, effective_claims
from conflict_ledger.claims import Claim, Modality
from conflict_ledger.events import Event
from conflict_ledger.rules.territory import gainer
from conflict_ledger.time import to_instant

__all__ = ["ForecastResult", "Outcome", "Score", "forecast_scores", "resolve_forecasts"]


class Outcome(enum.Enum):
    """How a forecast stands as of a knowledge time.

    >>> Outcome("open")
    <Outcome.OPEN: 'open'>
    """

    TRUE = "true"
    FALSE = "false"
    OPEN = "open"


@attrs.frozen(kw_only=True)
class ForecastResult:
    """A forecast, its outcome, and the ids of the claims that realised it (if TRUE).

    >>> from conflict_ledger import load_seed
    >>> result = resolve_forecasts(load_seed())[0]
    >>> result.outcome, result.realised_by
    (<Outcome.OPEN: 'open'>, ())
    """

    forecast: Claim
    outcome: Outcome
    realised_by: tuple[str, ...] = ()


def _realises(claim: Claim, predicted: Event) -> bool:
    if claim.modality is not Modality.ASSERTED:
        return False
    wanted = gainer(predicted)
    if wanted is not None:
        return (
            gainer(claim.event) == wanted
            and claim.event.place_ids()[:1] == (predicted.place_ids()[:1])
        )
    return claim.event == predicted


def resolve_forecasts(
    source: Source, *, known_at: Any = None, position: int | None = None
) -> tuple[ForecastResult, ...]:
    """Every counted forecast and how it stands as known at ``known_at``, in fold order.

    >>> from conflict_ledger import load_seed
    >>> resolve_forecasts(load_seed(), known_at="2024-12-09T00:00Z")[0].outcome
    <Outcome.FALSE: 'false'>
    """
    known = None if known_at is None else to_instant(known_at, field="known_at")
    counted = effective_claims(source, known_at=known, position=position)
    frontier = known if known is not None else max((c.reported_at for c in counted), default=None)
    asserted = [c for c in counted if c.modality is Modality.ASSERTED]
    results = []
    for forecast in (c for c in counted if c.modality is Modality.FORECAST):
        horizon = forecast.valid
        realised = tuple(
            c.id
            for c in asserted
            if c.valid.start <= horizon.end
            and c.valid.end >= horizon.start
            and _realises(c, forecast.event)
        )
        if realised:
            outcome = Outcome.TRUE
        elif frontier is not None and frontier >= horizon.end:
            outcome = Outcome.FALSE
        else:
            outcome = Outcome.OPEN
        results.append(ForecastResult(forecast=forecast, outcome=outcome, realised_by=realised))
    return tuple(results)


@attrs.frozen(kw_only=True)
class Score:
    """A source's forecast record: how many came true, false, or are still open.

    >>> Score(true=3, false=1, open=2).hit_rate
    0.75
    """

    true: int = 0
    false: int = 0
    open: int = 0

    @property
    def hit_rate(self) -> float | None:
        """Share of resolved forecasts that came true (None with none resolved)."""
        resolved = self.true + self.false
        return None if resolved == 0 else self.true / resolved


def forecast_scores(results: Iterable[ForecastResult]) -> Mapping[str, Score]:
    """Forecast records per origin source (the source that made the prediction).

    >>> from conflict_ledger import load_seed
    >>> dict(forecast_scores(resolve_forecasts(load_seed(), known_at="2024-12-09T00:00Z")))
    {'iraqi-security-source': Score(true=0, false=1, open=0)}
    """
    tallies: dict[str, dict[str, int]] = {}
    for result in results:
        tally = tallies.setdefault(
            result.forecast.source.origin, {"true": 0, "false": 0, "open": 0}
        )
        tally[result.outcome.value] += 1
    return MappingProxyType({origin: Score(**tally) for origin, tally in sorted(tallies.items())})
