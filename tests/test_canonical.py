"""Canonical JSON: checked against the maintained rfc8785 package on generated records."""

from __future__ import annotations

import hashlib
import json

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.canonical import MAX_SAFE_INTEGER, CanonicalJSONError, canonical_json
from conflict_ledger.codec import encode_claim
from conflict_ledger.testing.strategies import claims

# Text of every kind RFC 8785 treats specially: controls, quotes, backslashes, non-ASCII,
# characters above U+E000 and astral characters (which sort differently in UTF-16).
tricky = st.sampled_from(["a", "\u00e9", "\ue000", "\uffff", "\U0001f600", '"', "\\", "\x1f"])
text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8) | st.lists(
    tricky, max_size=4
).map("".join)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
    | text
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_matches_the_rfc8785_package(value: object) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)


@given(claims())
def test_claim_records_match_the_rfc8785_package_and_round_trip(claim: object) -> None:
    record = encode_claim(claim)  # type: ignore[arg-type]
    data = canonical_json(record)
    assert data == rfc8785.dumps(record)
    assert json.loads(data) == record
    assert hashlib.sha256(data).digest() == hashlib.sha256(rfc8785.dumps(record)).digest()


@given(json_values)
def test_is_idempotent_through_parsing(value: object) -> None:
    data = canonical_json(value)
    assert canonical_json(json.loads(data)) == data


def test_keys_sort_by_utf16_code_units_not_code_points() -> None:
    # U+1F600 is U+D83D U+DE00 in UTF-16, below U+E000; by code point it is above.
    assert canonical_json({"\ue000": 1, "\U0001f600": 2}) == rfc8785.dumps(
        {"\ue000": 1, "\U0001f600": 2}
    )
    assert canonical_json({"\ue000": 1, "\U0001f600": 2}).startswith('{"\U0001f600"'.encode())


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"a": [1, 2.5]}, "record.a[1]"),
        ({"a": 2**53}, "record.a"),
        ({"a": -(2**53)}, "record.a"),
        ({1: "x"}, "record"),
        ({"a": {"b": object()}}, "record.a.b"),
        ({"a": "\ud800"}, "record"),
    ],
)
def test_refuses_what_has_no_canonical_form_naming_the_field(value: object, field: str) -> None:
    with pytest.raises(CanonicalJSONError) as caught:
        canonical_json(value)
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)
