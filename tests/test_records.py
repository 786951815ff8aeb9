"""Claim records: decoding with shared values gives the same claims as decoding alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.errors import LedgerError
from conflict_ledger.records import Shared, decode_claim, encode_claim
from conflict_ledger.testing.strategies import claims


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
