"""The as-of index's holder columns and its list of claims known late, against plain oracles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.engine._columns import ABSENT, NOBODY, Columns, LateKnowledge

instants = st.integers(min_value=0, max_value=2_000)
claims = st.lists(st.tuples(instants, instants, st.integers(0, 30)), max_size=700)


@given(claims, instants, instants, st.integers(min_value=0, max_value=300))
def test_late_knowledge_finds_exactly_the_claims_begun_by_at_and_known_after(
    added, at, known, within
):
    # (agree, start, place): a claim agreeing more than ``within`` after its start is
    # kept; asked (at, known), the places and starts of those begun by ``at`` and agreeing
    # after ``known`` come back, however the claims were split between buckets and pending.
    late = LateKnowledge(within=within)
    for agree, start, place in added:
        late.add(agree, start, place)  # type: ignore[arg-type]
    expected = sorted(
        (place, start)
        for agree, start, place in added
        if agree - start > within and start <= at and agree > known
    )
    items, starts = late.found(at=at, known=known)
    assert sorted(zip(items, starts, strict=True)) == expected  # type: ignore[type-var]
    # Asked again (now merged into buckets), the answer is the same.
    items, starts = late.found(at=at, known=known)
    assert sorted(zip(items, starts, strict=True)) == expected  # type: ignore[type-var]


def test_codes_are_stable_and_columns_widen_for_many_actors():
    columns = Columns()
    assert (columns.code(None), columns.code("a"), columns.code("b"), columns.code("a")) == (
        NOBODY,
        2,
        3,
        2,
    )
    columns.cols.append(columns.empty(4))
    columns.marks.append(0)
    columns.reserve(0xFFFF)  # an answer might meet that many new actors: codes need 4 bytes
    assert columns.typecode == "I"
    assert columns.cols[0].typecode == "I"
    assert columns.cols[0].tolist() == [ABSENT] * 4
    assert columns.grown(columns.empty(1), 3).tolist() == [ABSENT] * 3
