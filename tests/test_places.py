"""A place's history: what it settles is the fold of its claims, however they arrived."""

from __future__ import annotations

import itertools

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


def known_now(history: PlaceHistory, at: int) -> tuple[bool, str | None]:
    return history.holder(at, None, 8)


@given(
    one_place,
    st.lists(one_place, max_size=3),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10**12)), max_size=4),
    st.integers(min_value=1, max_value=8),
)
def test_marked_changes_settle_as_a_history_settled_anew(first, batches, undo, every):
    """Claims inserted late and claims undone, noted with ``mark``, settle to the lists a
    history settled from scratch has; and from where settling says the holder known now is
    as before, it is."""
    seen = {claim.id for claim in first}
    history = PlaceHistory("p0", slot=0)
    history.ops.extend(compiled(first))
    history.settle({}, every=every)
    cancelled: dict[str, int] = {}
    for batch in [*batches, []]:
        before = history.pinned()
        fresh = [claim for claim in batch if claim.id not in seen]
        seen.update(claim.id for claim in fresh)
        for op in reversed(compiled(fresh)):  # late claims, each landing before the last
            at = history.position(op)
            history.ops.insert(at, op)
            history.mark(at, op, at)  # where it is until the next one lands before it
        for pick, when in undo if not batch else undo[:1]:
            if history.ops:
                op = history.ops[pick % len(history.ops)]
                cancelled[op[ff.CID]] = min(when, cancelled.get(op[ff.CID], when))
                history.mark(history.position(op), op)
        until = history.settle(cancelled, every=every)
        anew = PlaceHistory("p0", slot=0)
        anew.ops.extend(history.ops)
        anew.settle(cancelled, every=every)
        lists = ("starts", "cancel", "reach", "walls", "holders", "first_live")
        assert [getattr(history, name) for name in lists] == [getattr(anew, name) for name in lists]
        assert [history.prefix(k, every) for k in range(len(history.ops) + 1)] == [
            anew.prefix(k, every) for k in range(len(history.ops) + 1)
        ]
        assert all(b - a <= every for a, b in itertools.pairwise(history.marks))
        if until is not None:
            later = [start for start in history.starts if start >= until]
            assert [known_now(history, at) for at in later] == [
                known_now(before, at) for at in later
            ]
