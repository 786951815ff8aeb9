"""A claims file is read strictly: every bad input is a typed error that says where and what."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conflict_ledger.codec import read_claims_file
from conflict_ledger.errors import (
    FormatError,
    InvalidBatchError,
    LedgerError,
    UnknownClaimError,
    UnknownFieldError,
    UnknownPlaceError,
)

SEED = Path(__file__).resolve().parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl"
LINES = SEED.read_bytes().decode("utf-8").splitlines()
FIRST_CLAIM = next(i for i, line in enumerate(LINES) if '"record":"claim"' in line)
LINE = FIRST_CLAIM + 1  # the line number the reader reports
CLAIM_ID = json.loads(LINES[FIRST_CLAIM])["id"]


def write(tmp_path: Path, line: str | bytes, index: int = FIRST_CLAIM) -> Path:
    lines: list[bytes] = [text.encode() for text in LINES]
    lines[index] = line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass")
    path = tmp_path / "bad.claims.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def claim(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(LINES[FIRST_CLAIM])
    for key, value in changes.items():
        target = record
        *parents, last = key.split("__")
        for parent in parents:
            target = target[int(parent) if parent.isdigit() else parent]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
    return record


DELETE = object()


def refused(tmp_path: Path, record: Any) -> LedgerError:
    text = record if isinstance(record, str | bytes) else json.dumps(record, ensure_ascii=False)
    with pytest.raises(LedgerError) as caught:
        read_claims_file(write(tmp_path, text))
    return caught.value


def test_the_seed_reads() -> None:
    assert len(read_claims_file(SEED)) == 16


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": 7}, "id"),
        ({"id": ["a"]}, "id"),
        ({"event__actor": {"name": "iran"}}, "event.actor"),
        ({"event__destination": 12}, "event.destination"),
        ({"note": ["a", "list"]}, "note"),
        ({"credibility": True}, "credibility"),
        ({"credibility": 2.5}, "credibility"),
        ({"credibility": 9}, "credibility"),
        ({"modality": "maybe"}, "modality"),
        ({"valid__precision": "fortnight"}, "valid.precision"),
        ({"valid__start": "2024-12-06T00:00"}, "valid.start"),
        ({"valid__start": "10000-01-01T00:00:00+00:00"}, "valid.start"),
        ({"valid__start": "0001-01-01T00:00:00+05:00"}, "valid.start"),
        ({"valid__end": "2024-02-30T00:00:00+00:00"}, "valid.end"),
        ({"valid__end": "2024-12-01T00:00:00+00:00"}, "valid.end"),
        ({"reported_at": 1733529600}, "reported_at"),
        ({"source": "reuters"}, "source"),
        ({"source": []}, "source"),
        ({"source__0__role": "witness"}, "source[0].role"),
        ({"source__0__said_on": "2024-13-01"}, "source[0].said_on"),
        ({"event__type": "teleported"}, "event.type"),
        ({"reported_at": DELETE}, "reported_at"),
        ({"valid": "2024-12-06"}, "valid"),
    ],
)
def test_a_wrong_value_names_line_claim_field_and_value(
    tmp_path: Path, changes: dict[str, Any], field: str
) -> None:
    error = refused(tmp_path, claim(**changes))
    assert isinstance(error, FormatError), error
    assert (error.line, error.field) == (LINE, field)
    assert error.path.endswith("bad.claims.jsonl")
    assert str(error).startswith(f"{error.path}:{LINE}: ")
    if isinstance(changes.get("id"), str) or "id" not in changes:
        assert error.claim_id == CLAIM_ID


def test_an_enum_error_lists_the_allowed_values(tmp_path: Path) -> None:
    error = refused(tmp_path, claim(modality="maybe"))
    assert "Use one of: asserted, denied, " in str(error)


@pytest.mark.parametrize(
    ("field", "suggestion"), [("supercedes", "supersedes"), ("modallity", "modality")]
)
def test_a_misspelt_field_is_refused_with_a_suggestion(
    tmp_path: Path, field: str, suggestion: str
) -> None:
    record = claim()
    record[field] = record.pop(suggestion)
    error = refused(tmp_path, record)
    assert isinstance(error, UnknownFieldError)
    assert (error.field, error.suggestion, error.line) == (field, suggestion, LINE)
    assert f"Did you mean {suggestion!r}?" in str(error)


def test_an_unknown_event_field_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, claim(event__destinaton="homs"))
    assert isinstance(error, UnknownFieldError)
    assert (error.field, error.suggestion) == ("event.destinaton", "destination")


def test_a_string_as_aliases_is_refused_not_split_into_characters(tmp_path: Path) -> None:
    source = LINES.index(next(line for line in LINES if '"id":"reuters"' in line))
    record = json.loads(LINES[source])
    record["aliases"] = "Thomson Reuters"
    path = write(tmp_path, json.dumps(record), index=source)
    with pytest.raises(FormatError) as caught:
        read_claims_file(path)
    assert (caught.value.field, caught.value.line) == ("aliases", source + 1)
    assert "a list is needed here, not a string" in str(caught.value)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b'{"record":"claim","id":"\xff"}', "not UTF-8"),
        ('{"record":"claim","id":"\\ud800"}', "lone surrogate"),
        ('{"record":"claim","credibility":NaN}', "NaN is not a JSON number"),
        ('{"record":"claim","credibility":Infinity}', "Infinity is not a JSON number"),
        ('{"record":"claim","credibility":' + "9" * 5000 + "}", "unreadable number"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        ('{"record":"claim","modality":"forecast","modality":"asserted"}', "appears twice"),
        ("{not json", "not JSON"),
        ("[1, 2]", "a line is a JSON object"),
        ('{"record":"claims"}', "not a record type"),
        ("", "not JSON"),
    ],
)
def test_a_line_that_is_not_strict_json_names_its_line(
    tmp_path: Path, line: str | bytes, problem: str
) -> None:
    error = refused(tmp_path, line)
    assert isinstance(error, FormatError)
    assert error.line == LINE
    assert problem in str(error)


def test_a_lone_surrogate_inside_a_claim_names_its_field(tmp_path: Path) -> None:
    text = json.dumps(claim(note="\ud800"))
    error = refused(tmp_path, text)
    assert isinstance(error, FormatError)
    assert (error.field, error.line) == ("note", LINE)


def test_a_reference_error_keeps_its_type_and_names_claim_and_line(tmp_path: Path) -> None:
    error = refused(tmp_path, claim(event__destination="atlantis"))
    assert isinstance(error, UnknownPlaceError)
    assert (error.line, error.claim_id) == (LINE, CLAIM_ID)  # type: ignore[attr-defined]
    assert str(error).startswith(f"{error.path}:{LINE}: claim {CLAIM_ID!r}: unknown place")  # type: ignore[attr-defined]


def test_a_correction_of_an_unknown_claim_names_claim_and_line(tmp_path: Path) -> None:
    error = refused(tmp_path, claim(supersedes="no-such-claim"))
    assert isinstance(error, UnknownClaimError)
    assert error.line == LINE  # type: ignore[attr-defined]


def test_every_bad_line_is_reported_together(tmp_path: Path) -> None:
    lines = [text.encode() for text in LINES]
    lines[FIRST_CLAIM] = json.dumps(claim(modality="maybe")).encode()
    lines[FIRST_CLAIM + 1] = b"{oops"
    path = tmp_path / "two.claims.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(InvalidBatchError) as caught:
        read_claims_file(path)
    assert [e.line for e in caught.value.exceptions] == [LINE, LINE + 1]  # type: ignore[attr-defined]
    assert str(caught.value).count("\n  - ") == 2


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ('{"record":"header","format":"conflict-ledger/claims","version":true}', "version"),
        ('{"record":"header","format":"conflict-ledger/claims","version":99}', "version"),
        ('{"record":"header","format":"other","version":1}', "format"),
        (
            '{"record":"header","format":"conflict-ledger/claims","version":1,"gazetteer":[1]}',
            "gazetteer",
        ),
    ],
)
def test_a_bad_header_names_line_1(tmp_path: Path, header: str, field: str) -> None:
    path = write(tmp_path, header, index=0)
    with pytest.raises(FormatError) as caught:
        read_claims_file(path)
    assert (caught.value.line, caught.value.field) == (1, field)


def test_an_unknown_gazetteer_is_located_on_line_1(tmp_path: Path) -> None:
    header = '{"record":"header","format":"conflict-ledger/claims","version":1,"gazetteer":"mars"}'
    with pytest.raises(LedgerError, match=r":1: unknown reference 'mars'"):
        read_claims_file(write(tmp_path, header, index=0))


@pytest.mark.parametrize("aliases", ["Hims", b"Hims", ["Hims", 7]])
def test_the_api_refuses_a_string_as_aliases_too(aliases: Any) -> None:
    from conflict_ledger.errors import InvalidClaimError
    from conflict_ledger.registry import Place, PlaceKind

    with pytest.raises(InvalidClaimError) as caught:
        Place(id="homs", name="Homs", kind=PlaceKind.CITY, aliases=aliases)
    assert caught.value.field == "aliases"


def test_a_value_that_clashes_with_another_names_its_line(tmp_path: Path) -> None:
    source = LINES.index(next(line for line in LINES if '"id":"reuters"' in line))
    record = json.loads(LINES[source])
    record["name"] = "Reuters, renamed"  # the same id registered twice, differently
    lines = [*LINES[: source + 1], json.dumps(record), *LINES[source + 1 :]]
    path = tmp_path / "clash.claims.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=rf":{source + 2}: .*already registered") as caught:
        read_claims_file(path)
    assert caught.value.line == source + 2  # type: ignore[attr-defined]
