"""Claims, source chains and evidence."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given

from conflict_ledger import (
    Captured,
    Claim,
    Credibility,
    Evidence,
    EvidenceError,
    InvalidClaimError,
    SourceChain,
    SourceLink,
    Span,
    ValidTime,
    sha256_text,
)
from conflict_ledger.codec import decode_claim, encode_claim
from conflict_ledger.testing import claims, spans


def test_a_chain_names_its_origin_carriers_and_publisher():
    chain = SourceChain.of("syrian-sources", "reuters", "dawn")
    assert [link.role.value for link in chain.links] == ["origin", "carrier", "publisher"]
    assert (chain.origin, chain.publisher) == ("syrian-sources", "dawn")
    with pytest.raises(InvalidClaimError, match="at least one source"):
        SourceChain(links=())


def test_evidence_quotes_only_the_document_it_cites():
    text = "Line one.\nLine two."
    evidence = Evidence(document=sha256_text(text), spans=(Span(start=10, end=18),))
    assert evidence.quote(text) == ("Line two",)
    with pytest.raises(EvidenceError, match="SHA-256"):
        evidence.quote(text + " ")
    too_long = Evidence(document=sha256_text(text), spans=(Span(start=0, end=99),))
    with pytest.raises(EvidenceError, match="past the end"):
        too_long.quote(text)


@given(spans(max_value=200))
def test_spans_are_never_empty_or_negative(span):
    assert 0 <= span.start < span.end <= 200


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5), (-1, 3)])
def test_an_empty_or_reversed_span_is_refused(start, end):
    with pytest.raises(InvalidClaimError):
        Span(start=start, end=end)


def test_credibility_is_the_admiralty_scale():
    assert Credibility(2) is Credibility.PROBABLY_TRUE
    with pytest.raises(InvalidClaimError, match="1 to 6") as caught:
        claim(credibility=7)
    assert caught.value.field == "credibility"


@given(claims())
def test_every_claim_survives_a_record_round_trip(claim):
    assert decode_claim(encode_claim(claim)) == claim


def test_a_claim_cannot_supersede_itself_and_must_carry_an_event():
    with pytest.raises(InvalidClaimError, match="supersede itself"):
        claim(supersedes="x/1")
    with pytest.raises(InvalidClaimError, match="not an Event"):
        claim(event="captured")


def claim(**changes: object) -> Claim:
    fields: dict[str, object] = {
        "id": "x/1",
        "event": Captured(place="homs", actor="opposition"),
        "valid": ValidTime.exact("2024-12-06T00:00Z"),
        "reported_at": "2024-12-07T00:00Z",
        "source": SourceChain.of("reuters"),
    }
    return Claim(**{**fields, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "field", "allowed"),
    [
        (lambda: Captured(place="homs", actor="sdf", verb="liberated"), "verb", "regained"),
        (lambda: Captured(place="homs", actor="sdf", extent="half"), "extent", "most"),
        (lambda: SourceLink(source="reuters", role="wire"), "role", "origin"),
    ],
)
def test_a_value_outside_its_set_in_python_is_a_typed_error_listing_the_allowed(
    build: Callable[[], object], field: str, allowed: str
) -> None:
    """Found trying the Kherson episode by hand: verb='liberated' raised the Enum's bare
    ValueError, which names no allowed value (issue 14, item 1)."""
    with pytest.raises(InvalidClaimError) as caught:
        build()
    assert caught.value.field == field
    assert allowed in str(caught.value)


def test_a_misspelt_modality_in_python_is_refused_not_read_as_an_assertion() -> None:
    with pytest.raises(InvalidClaimError, match="forecast"):
        claim(modality="forcast")
