"""The vocabulary is open: a user's own event type and reducer, without editing the library."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from conflict_ledger import (
    Captured,
    Claim,
    ControlVerb,
    Event,
    InvalidClaimError,
    Keyed,
    Ledger,
    Source,
    SourceChain,
    ValidTime,
    fixed_clock,
    fold_as_of,
    read_claims_file,
    snapshot,
    timeline,
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


def _recaptures(verbs: tuple[str, str, str]) -> Ledger:
    """Homs taken by the opposition, taken back by the army, and again by the opposition,
    each worded with one of ``verbs``, a day apart."""
    ledger = Ledger(registries=syria(), clock=fixed_clock("2024-12-12T00:00Z"))
    ledger.register(Source(id="wire", name="A wire agency", kind="agency"))
    sides = [
        ("opposition", None),
        ("syrian-government", "opposition"),
        ("opposition", "syrian-government"),
    ]
    for number, ((actor, from_actor), verb) in enumerate(zip(sides, verbs, strict=True)):
        ledger.append(
            Claim(
                id=f"wire/{number}",
                event=Captured(place="homs", actor=actor, from_actor=from_actor, verb=verb),
                valid=ValidTime.day(pendulum.date(2024, 12, 6 + number), tz="Asia/Damascus"),
                reported_at=f"2024-12-{7 + number:02d}T12:00+03:00",
                source=SourceChain.of("wire"),
            )
        )
    return ledger


def test_a_recapture_is_a_capture_from_the_previous_holder_and_reads_back(tmp_path):
    ledger = _recaptures(("took", "retook", "recaptured"))
    assert [ledger.claim(f"wire/{n}").event.verb.recapture for n in range(3)] == [False, True, True]
    states = [snapshot(ledger, at=f"2024-12-{d:02d}T23:00+03:00")["homs"] for d in (6, 7, 8)]
    assert [(s.holder, s.previous) for s in states] == [
        ("opposition", None),
        ("syrian-government", "opposition"),
        ("opposition", "syrian-government"),
    ]
    path = tmp_path / "recaptures.claims.jsonl"
    write_claims_file(path, ledger.claims(), values=ledger.registries.sources, gazetteer="syria")
    assert read_claims_file(path).claims() == ledger.claims()


@pytest.mark.parametrize("verb", list(ControlVerb))
def test_the_verb_never_changes_what_the_fold_says(verb: ControlVerb):
    """Every verb moves control the same way: the same claims worded with any verb give
    the same timeline and snapshots as plain "captured"."""
    plain, worded = _recaptures(("captured",) * 3), _recaptures((verb.value,) * 3)
    assert timeline(worded, "homs") == timeline(plain, "homs")
    for day in range(5, 11):
        at = f"2024-12-{day:02d}T12:00+03:00"
        assert snapshot(worded, at=at) == snapshot(plain, at=at)


def test_an_unknown_verb_is_refused_listing_the_recapture_verbs():
    with pytest.raises(InvalidClaimError) as caught:
        Captured(place="homs", actor="opposition", verb="re-took")
    assert (caught.value.field, caught.value.value) == ("verb", "re-took")
    assert all(word in caught.value.hint for word in ("retook", "recaptured", "regained"))
