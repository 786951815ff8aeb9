"""Blocs with membership bounded in time, and snapshots read at their level."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import InvalidWindowError, load_seed, snapshot
from conflict_ledger.blocs import outside_control, to_blocs
from conflict_ledger.gazetteer import syria, syria_blocs
from conflict_ledger.membership import Blocs, Membership
from conflict_ledger.testing import BASE, instants, ledgers

memberships = st.lists(
    st.builds(
        lambda actor, bloc, start, length: Membership(
            actor=actor,
            bloc=bloc,
            start=BASE.add(hours=start),
            end=None if length is None else BASE.add(hours=start + length),
        ),
        st.sampled_from(["a0", "a1", "a2"]),
        st.sampled_from(["b0", "b1"]),
        st.integers(0, 24 * 20),
        st.none() | st.integers(0, 24 * 10),
    ),
    max_size=5,
)


def member_oracle(memberships, actor, at):
    """The bloc an actor belongs to at ``at``, by scanning the intervals."""
    covering = sorted(
        m.bloc
        for m in memberships
        if m.actor == actor and m.start <= at and (m.end is None or at < m.end)
    )
    return covering[0] if covering else actor


@given(ledgers(), memberships, instants(max_value=24 * 20))
def test_bloc_level_snapshots_are_actor_level_snapshots_mapped_through_membership_at_that_time(
    ledger, members, at
):
    actors = snapshot(ledger, at=at)
    blocs = to_blocs(actors, Blocs(memberships=members))
    assert set(blocs.places) == set(actors.places)
    for state in actors:
        mapped = blocs[state.place]

        def expect(a):
            return None if a is None else member_oracle(members, a, at)

        assert mapped.holder == expect(state.holder)
        assert mapped.previous == expect(state.previous)
        assert mapped.contenders == tuple(sorted({expect(a) for a in state.contenders}))
        assert mapped.status is state.status


def test_the_government_bloc_lost_three_major_cities_by_7_december():
    snap = snapshot(load_seed(), at="2024-12-07T00:00Z")
    outside = outside_control(
        snap, "government-alliance", blocs=syria_blocs(), places=syria().places
    )
    assert outside == ("aleppo", "deir-ez-zor", "hama")
    assert to_blocs(snap, syria_blocs())["homs"].holder == "government-alliance"


def test_membership_is_bounded_in_time():
    blocs = syria_blocs()
    assert blocs.bloc_of("russia", at=pendulum.datetime(2014, 1, 1)) is None
    assert blocs.bloc_of("russia", at=pendulum.datetime(2016, 1, 1)) == "government-alliance"
    assert blocs.bloc_of("hts", at=pendulum.datetime(2024, 11, 1)) is None
    assert blocs.bloc_of("hts", at=pendulum.datetime(2024, 12, 1)) == "military-operations-command"


def test_a_membership_that_ends_before_it_begins_is_refused():
    with pytest.raises(InvalidWindowError) as caught:
        Membership(actor="hts", bloc="moc", start="2024-12-01T00:00Z", end="2024-11-01T00:00Z")
    assert caught.value.field == "membership.end"
