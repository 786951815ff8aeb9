"""A place's history lays out its compiled claims anew, in fold order, when it settles them.

The copies must be equal to the compiled claims they replace (the index holds both and
treats them alike), distinct objects, and share their new instants within the place.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import _fastfold as ff
from conflict_ledger._places import PlaceHistory, fold_key, laid_out
from conflict_ledger.testing.strategies import claims

one_place = st.lists(claims(places=("p0",)), max_size=30, unique_by=lambda claim: claim.id)


def compiled(drawn: list) -> list[ff.Op]:
    shared: dict[int, object] = {}  # as the index compiles them: instants shared by identity
    return sorted((ff.compile_claim(claim, shared) for claim in drawn), key=fold_key)


@given(one_place)
def test_the_copies_equal_the_compiled_claims_in_the_same_order(drawn):
    ops = compiled(drawn)
    assert laid_out(ops) == ops


@given(one_place)
def test_the_copies_are_new_tuples_with_new_instants_shared_within_the_place(drawn):
    ops = compiled(drawn)
    copies = laid_out(ops)
    assert not any(copy is op for copy, op in zip(copies, ops, strict=True))
    assert not any(copy[ff.START] is op[ff.START] for copy, op in zip(copies, ops, strict=True))
    instants: dict[int, int] = {}
    for copy in copies:
        for value in (copy[ff.START], copy[ff.END]):
            assert instants.setdefault(value, value) is value


@given(one_place, st.integers(min_value=1, max_value=8))
def test_settling_keeps_the_claims_and_folds_the_copies_as_the_originals(drawn, every):
    ops = compiled(drawn)
    history = PlaceHistory("p0", slot=0)
    history.ops.extend(ops)
    history.settle({}, every=every)
    assert history.ops == ops
    assert not any(copy is op for copy, op in zip(history.ops, ops, strict=True))
    assert history.prefix(len(ops), every) == ff.fold(ff.EMPTY, ops)


@given(one_place, one_place)
def test_claims_settled_later_are_laid_out_from_where_they_land(first, later):
    ids = {claim.id for claim in first}
    later = [claim for claim in later if claim.id not in ids]
    history = PlaceHistory("p0", slot=0)
    history.ops.extend(compiled(first))
    history.settle({}, every=4)
    before = list(history.ops)
    for op in compiled(later):  # as the index inserts claims that arrive late
        at = history.position(op)
        history.ops.insert(at, op)
        history.clean = min(history.clean, at)
    clean = history.clean
    history.settle({}, every=4)
    assert history.ops == compiled([*first, *later])
    # Claims before the first one inserted keep their copies; the rest are new ones.
    assert all(history.ops[j] is before[j] for j in range(clean))
    assert history.prefix(len(history.ops), 4) == ff.fold(ff.EMPTY, history.ops)
