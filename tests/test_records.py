"""Claim records: decoding with shared values gives the same claims as decoding alone."""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.canonical import canonical_json
from conflict_ledger.claims import Claim
from conflict_ledger.errors import LedgerError
from conflict_ledger.events import DatasetEvent
from conflict_ledger.records import Shared, decode_claim, encode_claim
from conflict_ledger.seed import load_seed
from conflict_ledger.stores.schema import upcast
from conflict_ledger.testing.strategies import claims
from conflict_ledger.time import to_instant


@given(st.lists(claims(), max_size=30), st.integers(min_value=1, max_value=8))
def test_shared_decoding_equals_decoding_each_claim_alone(drawn, limit):
    # A small limit makes the caches forget and refill while the claims are read.
    shared = Shared(limit=limit)
    records = [encode_claim(claim) for claim in drawn]
    assert [decode_claim(r, shared=shared) for r in records] == [decode_claim(r) for r in records]
    assert [decode_claim(r, shared=shared) for r in records] == drawn


def test_equal_values_are_one_object_and_errors_name_the_field():
    shared = Shared()
    base = {
        "record": "claim",
        "id": "c1",
        "event": {"type": "attacked", "place": "homs", "actor": "opposition"},
        "valid": {
            "start": "2024-12-07T00:00:00+00:00",
            "end": "2024-12-07T01:00:00+00:00",
            "precision": "hour",
        },
        "reported_at": "2024-12-07T02:00:00+00:00",
        "source": [{"source": "reuters", "role": "origin", "said_on": None}],
    }
    one = decode_claim(base, shared=shared)
    two = decode_claim({**base, "id": "c2"}, shared=shared)
    assert one.valid is two.valid
    assert one.reported_at is two.reported_at
    assert one.source is two.source
    assert one.event is two.event
    bad = {**base, "valid": {**base["valid"], "start": "2024-12-07T00:00:00"}}
    with pytest.raises(LedgerError, match="start"):
        decode_claim(bad, shared=shared)


def _stored(claim, position=0, recorded_at="2024-12-07T12:00:00+00:00"):
    record = {"schema": 1, "position": position, "recorded_at": recorded_at}
    return canonical_json({**record, "claim": encode_claim(claim)}).decode("utf-8")


def _slow(text):
    """What the ledger read before: json, upcast, decode_claim (or the error it raised)."""
    try:
        fields = upcast(json.loads(text))
        claim = decode_claim(fields["claim"])
        return fields["position"], to_instant(fields["recorded_at"], field="recorded_at"), claim
    except (LedgerError, ValueError, KeyError, TypeError, AttributeError) as error:
        return type(error)


@given(st.lists(claims(), max_size=30), st.integers(min_value=1, max_value=8))
def test_stored_claims_read_fast_equal_what_the_slow_way_reads(drawn, limit):
    shared = Shared(limit=limit)
    texts = [_stored(claim, position) for position, claim in enumerate(drawn)]
    fast = [shared.stored_claim(text) for text in texts]
    expected = [_slow(text) for text in texts]
    # None: a record not in the plain shape (an event holding dicts...) is left to the slow way
    assert [
        old if new is None else new for new, old in zip(fast, expected, strict=True)
    ] == expected
    assert [claim for _, _, claim in expected] == drawn


@given(
    claims(),
    st.data(),
    st.text(alphabet=st.sampled_from('{}[]",:\\0123456789-nule\x00\n\u00e9a '), max_size=3),
)
def test_an_edited_stored_claim_is_read_as_the_slow_way_reads_it_or_left_to_it(claim, data, put):
    # Whatever bytes are changed, the fast way gives the slow way's answer or steps aside
    # (None): it never accepts a record the slow way refuses, nor reads it differently.
    text = _stored(claim, 3)
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=min(len(text), start + 3)))
    edited = text[:start] + put + text[end:]
    fast = Shared().stored_claim(edited)
    assert fast is None or fast == _slow(edited)


def test_every_seed_record_is_read_the_fast_way_and_odd_ones_the_slow_way():
    shared = Shared()
    seed = load_seed()
    for record in seed.records():
        text = _stored(record.claim, record.position)
        assert shared.stored_claim(text) == _slow(text) != ()
    quoting = attrs.evolve(seed.claims()[0], note='said "soon" {maybe} [twice]\n\\')
    text = _stored(quoting)
    assert shared.stored_claim(text) == _slow(text)  # a note may hold anything
    assert _slow(text)[2] == quoting
    odd = attrs.evolve(
        seed.claims()[0],
        event=DatasetEvent(dataset="acled", event_type="Battles {x}", place="homs", actor="sdf"),
    )
    text = _stored(odd)
    assert shared.stored_claim(text) is None  # a brace in an event: the slow way
    assert _slow(text)[2] == odd


@given(claims(), st.text(max_size=60))
def test_a_stored_claim_with_a_note_of_any_text_is_read_the_fast_way(claim, note):
    # Imported rows' notes quote the row (quotes, braces, newlines): read as fast as any.
    try:
        text = _stored(attrs.evolve(claim, note=note))
    except LedgerError:  # a lone surrogate has no canonical form: never stored
        return
    fast = Shared().stored_claim(text)
    assert fast is not None
    assert fast == _slow(text)


@given(claim=claims(), note=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_a_claims_file_line_is_what_the_standard_library_writes(claim: Claim, note: str) -> None:
    from conflict_ledger.codec import _line

    record = encode_claim(attrs.evolve(claim, note=note))
    expected = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert _line(record) == expected.encode("utf-8")


def test_a_claims_file_line_the_fast_encoder_refuses_takes_the_standard_library() -> None:
    from conflict_ledger.codec import _line

    assert _line({"n": 2**70}) == b'{"n":%d}\n' % 2**70
