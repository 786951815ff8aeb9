"""The generic fold machinery."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import Combined, Keyed, Projection, fold, scan

words = st.lists(st.text(alphabet="abc", min_size=1, max_size=3), max_size=20)


def count(n: int, _: str) -> int:
    return n + 1


@given(words)
def test_scan_yields_every_state_and_ends_where_fold_ends(events):
    states = list(scan(count, events, 0))
    assert states == list(range(len(events) + 1))
    assert states[-1] == fold(count, events, 0)


@given(words, st.integers(min_value=0, max_value=20))
def test_folding_a_prefix_then_the_rest_equals_folding_everything(events, cut):
    concat = lambda s, e: s + e  # noqa: E731
    middle = fold(concat, events[:cut], "")
    assert fold(concat, events[cut:], middle) == fold(concat, events, "")


@given(words)
def test_a_keyed_projection_equals_one_fold_per_key(events):
    keyed = Keyed(
        name="by-initial", key=lambda w: w[0], initial=lambda k: "", reducer=lambda s, w: s + w
    )
    result = keyed(events)
    for key in {w[0] for w in events}:
        assert result[key] == "".join(w for w in events if w[0] == key)
    assert list(result) == sorted(result)


@given(words)
def test_combined_projections_equal_each_alone(events):
    longest = Projection(name="longest", initial="", reducer=lambda s, e: max(s, e, key=len))
    total = Projection(name="count", initial=0, reducer=count)
    both = Combined(projections=(longest, total))
    assert dict(both(events)) == {"longest": longest(events), "count": total(events)}
    state = both.initial
    for event in events:
        state = both.reducer(state, event)
    assert dict(state) == dict(both(events))


def test_a_key_of_none_drops_the_event():
    keyed = Keyed(
        name="k", key=lambda w: None if w == "skip" else w, initial=lambda k: 0, reducer=count
    )
    assert dict(keyed(["a", "skip", "a"])) == {"a": 2}
