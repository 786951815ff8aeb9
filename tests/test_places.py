"""A place's history: what it settles is the fold of its claims, however they arrived."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._places import PlaceHistory, fold_key
from conflict_ledger.testing.strategies import claims

one_place = st.lists(claims(places=("p0",)), max_size=30, unique_by=lambda claim: claim.id)


def compiled(drawn: list[Claim]) -> list[ff.Op]:
    shared: dict[int, object] = {}  # as the index compiles them: instants shared by identity
    return sorted((ff.compile_claim(claim, shared) for claim in drawn), key=fold_key)


@given(one_place, st.integers(min_value=1, max_value=8))
def test_settling_folds_every_claim_from_its_checkpoints(drawn, every):
    ops = compiled(drawn)
    history = PlaceHistory("p0", slot=0)
    history.ops.extend(ops)
    history.settle({}, every=every)
    assert [history.prefix(k, every) for k in range(len(ops) + 1)] == [
        ff.fold(ff.EMPTY, ops[:k]) for k in range(len(ops) + 1)
    ]


@given(one_place, one_place, st.integers(min_value=1, max_value=8))
def test_claims_inserted_late_are_folded_from_where_they_land(first, later, every):
    ids = {claim.id for claim in first}
    later = [claim for claim in later if claim.id not in ids]
    history = PlaceHistory("p0", slot=0)
    history.ops.extend(compiled(first))
    history.settle({}, every=every)
    for op in compiled(later):  # as the index inserts claims that arrive late
        at = history.position(op)
        history.ops.insert(at, op)
        history.clean = min(history.clean, at)
    history.settle({}, every=every)
    ops = compiled([*first, *later])
    assert history.ops == ops
    assert [history.prefix(k, every) for k in range(len(ops) + 1)] == [
        ff.fold(ff.EMPTY, ops[:k]) for k in range(len(ops) + 1)
    ]
