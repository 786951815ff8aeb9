"""A place's history: what it settles is the fold of its claims, however they arrived."""

from __future__ import annotations

import itertools

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import Captured, SourceChain, ValidTime
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


T0 = pendulum.datetime(2024, 1, 1, tz="UTC")


def capture(name: str, hour: int, actor: str, late: int = 0) -> ff.Op:
    """A capture of ``p0`` at ``hour``, reported an hour after, or ``late`` hours more."""
    at = T0.add(hours=hour)
    return ff.compile_claim(
        Claim(
            id=name,
            event=Captured(place="p0", actor=actor),
            valid=ValidTime.exact(at),
            reported_at=at.add(hours=1 + late),
            source=SourceChain.of("reuters"),
        )
    )


captures = st.lists(
    st.tuples(st.integers(0, 400), st.sampled_from("abc")), max_size=60, unique_by=lambda t: t[0]
)


@given(captures, captures, st.integers(min_value=1, max_value=8))
def test_late_captures_keep_the_later_checkpoints_moved_along(first, late, every):
    """Captures reset a place's fold, so a late one meets the old fold again a few claims
    on: the later checkpoints are kept, moved along, and equal a history settled anew."""
    history = PlaceHistory("p0", slot=0)
    history.ops.extend(sorted((capture(f"c{h}", h, a) for h, a in first), key=fold_key))
    history.settle({}, every=every)
    for hour, actor in late:
        op = capture(f"l{hour}", hour, actor, late=1000)
        at = history.position(op)
        history.ops.insert(at, op)
        history.mark(at, op, at)
        before = history.pinned()
        until = history.settle({}, every=every)
        anew = PlaceHistory("p0", slot=0)
        anew.ops.extend(history.ops)
        anew.settle({}, every=every)
        lists = ("starts", "cancel", "reach", "walls", "holders", "first_live")
        assert [getattr(history, name) for name in lists] == [getattr(anew, name) for name in lists]
        assert [history.prefix(k, every) for k in range(len(history.ops) + 1)] == [
            anew.prefix(k, every) for k in range(len(history.ops) + 1)
        ]
        if until is not None:
            later = [start for start in history.starts if start >= until]
            assert [known_now(history, t) for t in later] == [known_now(before, t) for t in later]


def test_a_late_capture_between_two_others_refolds_only_to_the_next_checkpoint():
    ops = sorted((capture(f"c{i}", i * 10, "ab"[i % 2]) for i in range(40)), key=fold_key)
    history = PlaceHistory("p0", slot=0)
    history.ops.extend(ops)
    history.settle({}, every=8)
    late = capture("late", 55, "a", late=500)
    at = history.position(late)
    history.ops.insert(at, late)
    history.mark(at, late, at)
    until = history.settle({}, every=8)
    assert until == ff.micros(T0.add(hours=70))  # the last claim the old checkpoint at 8 folded
    assert history.marks == [0, 8, 9, 17, 25, 33, 41]
