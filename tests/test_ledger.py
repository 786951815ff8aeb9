"""The append-only ledger: canonical ids, atomic batches, typed errors, nothing lost."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from conflict_ledger import (
    Captured,
    Claim,
    ConcurrencyError,
    Document,
    DuplicateClaimError,
    Evidence,
    InvalidBatchError,
    InvalidClaimError,
    Ledger,
    LedgerError,
    Meeting,
    ReportedBeforeEventError,
    Retraction,
    Source,
    SourceChain,
    Span,
    UnknownActorError,
    UnknownClaimError,
    UnknownPlaceError,
    UnknownSourceError,
    ValidTime,
    fixed_clock,
    sha256_text,
)
from conflict_ledger.gazetteer import syria

REPORTED = pendulum.datetime(2024, 12, 7, tz="Asia/Karachi")


def new_ledger() -> Ledger:
    ledger = Ledger(registries=syria(), clock=fixed_clock("2024-12-07T12:00Z"))
    ledger.register(Source(id="reuters", name="Reuters", kind="agency"))
    return ledger


def took(claim_id: str = "t/1", **changes) -> Claim:
    claim = Claim(
        id=claim_id,
        event=Captured(place="Deir el-Zor", actor="Syrian Kurds"),
        valid=ValidTime.day(pendulum.date(2024, 12, 6), tz="Asia/Damascus"),
        reported_at=REPORTED,
        source=SourceChain.of("Reuters"),
    )
    return attrs.evolve(claim, **changes)


def test_appending_assigns_positions_and_recorded_time_and_resolves_names():
    ledger = new_ledger()
    first, second = ledger.extend([took("t/1"), took("t/2")])
    assert (first.position, second.position) == (0, 1)
    assert first.recorded_at == pendulum.datetime(2024, 12, 7, 12, tz="UTC")
    assert first.claim.event == Captured(place="deir-ez-zor", actor="sdf")
    assert first.claim.source.origin == "reuters"
    assert ledger.claim("t/2") == second.claim
    assert [r.claim.id for r in ledger.since(1)] == ["t/2"]


def test_recorded_time_never_runs_backwards_even_if_the_clock_does():
    times = iter(["2024-12-07T12:00Z", "2024-12-07T11:00Z"])
    ledger = Ledger(registries=syria(), clock=lambda: pendulum.parse(next(times)))
    ledger.register(Source(id="reuters", name="Reuters", kind="agency"))
    first, second = ledger.append(took("t/1")), ledger.append(took("t/2"))
    assert second.recorded_at == first.recorded_at


@pytest.mark.parametrize(
    ("bad", "error", "field"),
    [
        (took(event=Captured(place="Dayr az-Zor", actor="sdf")), UnknownPlaceError, "event.place"),
        (
            took(event=Captured(place="homs", actor="Kurdish rebels")),
            UnknownActorError,
            "event.actor",
        ),
        (took(source=SourceChain.of("AFP")), UnknownSourceError, "source[0]"),
        (
            took(event=Meeting(participants=("iran", "mars"), place="doha")),
            UnknownActorError,
            "event.participants",
        ),
    ],
)
def test_unknown_names_are_refused_with_the_field_and_suggestions(bad, error, field):
    ledger = new_ledger()
    ledger.append(took("t/0"))
    before = ledger.records()
    with pytest.raises(error) as caught:
        ledger.append(bad)
    assert caught.value.field == field
    assert ledger.records() == before


def test_a_batch_with_bad_claims_reports_them_all_and_appends_none():
    ledger = new_ledger()
    batch = [
        took("t/1"),
        took("t/2", event=Captured(place="Hom", actor="sdf")),
        took("t/3", source=SourceChain.of("nobody")),
        took("t/1"),
    ]
    with pytest.raises(InvalidBatchError) as caught:
        ledger.extend(batch)
    assert [type(e) for e in caught.value.exceptions] == [
        UnknownPlaceError,
        UnknownSourceError,
        DuplicateClaimError,
    ]
    assert isinstance(caught.value, LedgerError)
    assert len(ledger) == 0
    assert "homs" in caught.value.exceptions[0].suggestions


def test_a_claim_id_is_never_reused():
    ledger = new_ledger()
    ledger.append(took("t/1"))
    with pytest.raises(DuplicateClaimError, match="supersedes"):
        ledger.append(took("t/1"))


def test_retractions_and_corrections_must_point_at_an_earlier_claim():
    ledger = new_ledger()
    ledger.append(took("t/1"))
    retract = took("t/2", event=Retraction(target="t/9"))
    with pytest.raises(UnknownClaimError):
        ledger.append(retract)
    with pytest.raises(UnknownClaimError):
        ledger.append(took("t/3", supersedes="t/8"))
    early = took(
        "t/4",
        event=Retraction(target="t/1"),
        reported_at=REPORTED.subtract(days=1),
        valid=ValidTime.exact(REPORTED.subtract(days=1)),
    )
    with pytest.raises(InvalidClaimError, match="reported later"):
        ledger.append(early)
    ledger.append(took("t/5", event=Retraction(target="t/1")))
    with pytest.raises(InvalidClaimError, match="cannot itself"):
        ledger.append(took("t/6", event=Retraction(target="t/5")))
    assert [r.claim.id for r in ledger] == ["t/1", "t/5"]


def test_a_claim_reported_before_its_event_could_happen_is_refused_unless_it_looks_ahead():
    with pytest.raises(ReportedBeforeEventError) as caught:
        took(reported_at=pendulum.datetime(2024, 12, 1, tz="UTC"))
    assert (caught.value.field, caught.value.claim_id) == ("reported_at", "t/1")
    forecast = took(reported_at=pendulum.datetime(2024, 12, 1, tz="UTC"), modality="forecast")
    assert forecast.modality.value == "forecast"


def test_expected_size_guards_against_a_writer_that_moved_first():
    ledger = new_ledger()
    ledger.append(took("t/1"), expected_size=0)
    with pytest.raises(ConcurrencyError) as caught:
        ledger.append(took("t/2"), expected_size=0)
    assert (caught.value.expected, caught.value.actual) == (0, 1)
    assert len(ledger) == 1


def test_evidence_must_cite_a_registered_document_and_quotes_check_the_hash():
    text = "Kurdish forces took the city on Friday."
    ledger = new_ledger()
    ledger.register(
        Document(sha256=sha256_text(text), title="t", publication="p", published="2024-12-07")
    )
    cited = took(
        "t/1",
        evidence=Evidence(
            document=sha256_text(text), spans=(Span(start=0, end=14),), paraphrase="p"
        ),
    )
    ledger.append(cited)
    assert ledger.quote("t/1", text) == ("Kurdish forces",)
    stranger = took("t/2", evidence=Evidence(document="f" * 64, spans=(Span(start=0, end=1),)))
    with pytest.raises(InvalidClaimError, match="no document"):
        ledger.append(stranger)
    with pytest.raises(LedgerError):
        ledger.quote("t/1", text.upper())


def test_the_ledger_offers_no_way_to_edit_or_remove():
    ledger = new_ledger()
    ledger.append(took("t/1"))
    public = {name for name in dir(ledger) if not name.startswith("_")}
    assert not public & {"remove", "delete", "update", "pop", "clear", "edit", "replace"}
    records = ledger.records()
    with pytest.raises((TypeError, AttributeError)):
        records.append(records[0])  # type: ignore[attr-defined]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        records[0].claim.id = "other"  # type: ignore[misc]
