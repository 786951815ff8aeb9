"""The vocabulary is open: a user's own event type and reducer, without editing the library."""

from __future__ import annotations

import attrs
import pendulum

from conflict_ledger import (
    Claim,
    Event,
    Keyed,
    Ledger,
    Source,
    SourceChain,
    ValidTime,
    fixed_clock,
    fold_as_of,
    read_claims_file,
    snapshot,
    write_claims_file,
)
from conflict_ledger.codec import BUILTIN_EVENTS
from conflict_ledger.gazetteer import syria


@attrs.frozen(kw_only=True)
class Curfew(Event):
    kind = "curfew"
    place_fields = ("place",)
    actor_fields = ("by",)
    place: str
    by: str
    hours: int = 0


def curfew_hours(total: int, claim: Claim) -> int:
    match claim.event:
        case Curfew(hours=hours):
            return total + hours
        case _:
            return total


def test_a_user_event_is_appended_folded_and_round_tripped(tmp_path):
    ledger = Ledger(registries=syria(), clock=fixed_clock("2024-12-08T00:00Z"))
    ledger.register(Source(id="local-radio", name="Local radio", kind="newspaper"))
    ledger.append(
        Claim(
            id="radio/1",
            event=Curfew(place="Hims", by="Assad's forces", hours=12),
            valid=ValidTime.day(pendulum.date(2024, 12, 6), tz="Asia/Damascus"),
            reported_at="2024-12-07T08:00+03:00",
            source=SourceChain.of("local-radio"),
        )
    )
    assert ledger.claim("radio/1").event == Curfew(place="homs", by="syrian-government", hours=12)
    per_place = Keyed(
        name="curfew-hours",
        key=lambda c: c.event.place if isinstance(c.event, Curfew) else None,
        initial=lambda place: 0,
        reducer=curfew_hours,
    )
    assert dict(fold_as_of(ledger, per_place, at="2024-12-08T00:00Z")) == {"homs": 12}
    assert len(snapshot(ledger, at="2024-12-08T00:00Z")) == 0  # territory ignores it
    path = tmp_path / "curfews.jsonl"
    write_claims_file(path, ledger.claims(), values=ledger.registries.sources, gazetteer="syria")
    again = read_claims_file(path, event_types={**BUILTIN_EVENTS, "curfew": Curfew})
    assert again.claims() == ledger.claims()
