"""Canonical JSON: checked against the maintained rfc8785 package on generated records."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from types import MappingProxyType

import attrs
import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import canonical
from conflict_ledger.canonical import MAX_SAFE_INTEGER, CanonicalJSONError, canonical_json
from conflict_ledger.claims import Claim
from conflict_ledger.codec import encode_claim, encode_value
from conflict_ledger.registry import Actor, Place, Source
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


# Values of every kind the fast path must hand to the full walk: floats (incl. NaN and
# infinities), integers at and beyond +-(2**53 - 1), keys that are not strings, keys at
# or above U+E000 and astral keys, lone surrogates, tuples, subclasses, other mappings.
class _Text(str):
    pass


class _Number(int):
    pass


wild_text = st.text(max_size=6) | st.lists(
    st.sampled_from(["a", "\ue000", "\U0001f600", "\ud800", "\udfff", "\ufb01", "\x00"]),
    max_size=3,
).map("".join)
wild_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([MAX_SAFE_INTEGER, MAX_SAFE_INTEGER + 1, -MAX_SAFE_INTEGER, -(2**53)])
    | st.floats(allow_nan=True, allow_infinity=True)
    | wild_text
    | wild_text.map(_Text)
    | st.integers(min_value=-5, max_value=5).map(_Number)
)
wild_keys = wild_text | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
wild_values = st.recursive(
    wild_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(wild_keys, inner, max_size=3)
        | st.dictionaries(wild_text, inner, max_size=3).map(MappingProxyType)
    ),
    max_leaves=12,
)


def _outcome(encode: Callable[[], bytes]) -> bytes | str:
    """The bytes, or the field the CanonicalJSONError names."""
    try:
        return encode()
    except CanonicalJSONError as error:
        return f"refused at {error.field}"


@given(wild_values)
def test_the_fast_path_equals_the_full_walk(value: object) -> None:
    fast = _outcome(lambda: canonical_json(value, field="v"))
    full = _outcome(lambda: canonical._encoded(canonical._walked(value, "v"), "v"))
    assert fast == full


def _dicts(value: object) -> object:
    """``value`` with every mapping a dict (rfc8785 reads only dicts; we read any mapping)."""
    if isinstance(value, MappingProxyType):
        return {key: _dicts(item) for key, item in value.items()}
    if isinstance(value, dict):
        return {key: _dicts(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_dicts(item) for item in value)
    return value


@given(wild_values)
def test_what_is_accepted_is_what_rfc8785_writes_and_what_it_refuses_is_refused(
    value: object,
) -> None:
    ours = _outcome(lambda: canonical_json(value))
    try:
        theirs: bytes | None = rfc8785.dumps(_dicts(value))  # type: ignore[arg-type]
    except (rfc8785.CanonicalizationError, ValueError, TypeError):
        theirs = None
    if isinstance(ours, bytes):
        assert ours == theirs
    if theirs is None:
        assert isinstance(ours, str)


@given(claims())
def test_claim_records_take_the_fast_path(claim: object) -> None:
    record = {"schema": 1, "position": 0, "recorded_at": "2024-12-07T12:00:00+00:00"}
    record["claim"] = encode_claim(claim)  # type: ignore[arg-type]
    assert canonical._plain(record) is True


def test_any_mapping_is_written_as_an_object() -> None:
    inner = {"b": [1, {"c": None}], "a": "x"}
    assert canonical_json(MappingProxyType({"m": MappingProxyType(inner)})) == canonical_json(
        {"m": inner}
    )


# Every record the library writes: a stored claim record (as Ledger writes it, with free
# text of every kind in its note) and the value records of places, actors and sources.
any_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12) | st.lists(
    tricky, max_size=5
).map("".join)


@given(claims(), any_text, st.integers(min_value=0, max_value=MAX_SAFE_INTEGER))
def test_stored_claim_records_are_byte_identical_to_rfc8785(
    claim: Claim, note: str, position: int
) -> None:
    record = {
        "schema": 1,
        "position": position,
        "recorded_at": "2024-12-07T12:00:00+00:00",
        "claim": encode_claim(attrs.evolve(claim, note=note)),
    }
    assert canonical_json(record) == rfc8785.dumps(record)


@given(
    st.sampled_from([Place, Actor, Source]),
    any_text.filter(str.strip),
    st.lists(any_text.filter(str.strip), max_size=3),
    any_text,
)
def test_value_records_are_byte_identical_to_rfc8785(
    kind: type[Place | Actor | Source], name: str, aliases: list[str], description: str
) -> None:
    extra = {"description": description} if kind is Source else {}
    default_kind = {Place: "city", Actor: "state", Source: "agency"}[kind]
    value = kind(id="v1", name=name, kind=default_kind, aliases=tuple(aliases), **extra)  # type: ignore[arg-type]
    record = encode_value(value)
    assert canonical_json(record) == rfc8785.dumps(record)
