"""The law checks catch deliberately broken projections, each by its law, and pass the library's own."""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import pytest
from hypothesis import settings

from conflict_ledger import Claim, Combined, Keyed, Projection
from conflict_ledger.events import Captured, CrossingClosed, CrossingOpened
from conflict_ledger.rules.territory import TERRITORY, place_of
from conflict_ledger.testing import (
    Law,
    LawNotCheckedWarning,
    ProjectionLawError,
    check_projection,
    ledgers,
)

QUICK = settings(max_examples=30, deadline=None, database=None, derandomize=True)
# A break that needs two keys whose claims interleave, which few small ledgers have: the
# examples derandomize draws depend on what else is imported (the partition law missed
# it in 30 when the CLI had been imported first), so this law gets more of them.
THOROUGH = settings(QUICK, max_examples=300)


# --- deliberately broken projections (module attributes, so the hash-seed law can run them)


def _append_in_place(state: list[str], claim: Claim) -> list[str]:
    state.append(claim.id)  # mutates the state it was given
    return state


MUTATES_INPUT = Keyed(
    name="mutates-input", key=place_of, initial=lambda place: [], reducer=_append_in_place
)

_calls = itertools.count()


def _numbered(state: tuple[Any, ...], claim: Claim) -> tuple[Any, ...]:
    return (*state, (claim.id, next(_calls)))  # reads (and advances) a global counter


READS_GLOBAL = Keyed(
    name="reads-a-global-counter", key=place_of, initial=lambda place: (), reducer=_numbered
)

_arrived = {"count": 0}


def _new_place(place: str) -> tuple[int, ...]:
    _arrived["count"] = 0  # "each place starts afresh": true only if places come one by one
    return ()


def _arrival_numbers(state: tuple[int, ...], claim: Claim) -> tuple[int, ...]:
    # Numbers each claim of a place by arrival, with a counter shared by every place:
    # reset when a new place starts, so the numbers depend on how places interleave.
    _arrived["count"] += 1
    return (*state, _arrived["count"])


ARRIVAL_ORDER = Keyed(
    name="depends-on-arrival-order", key=place_of, initial=_new_place, reducer=_arrival_numbers
)


class _Nobody:
    def __repr__(self) -> str:
        return "NOBODY"


_NOBODY = _Nobody()


@attrs.frozen
class Changes:
    holder: object = _NOBODY
    changes: int = 0


def _changes(state: Changes, claim: Claim) -> Changes:
    match claim.event:
        case Captured(actor=actor):
            # Identity with a sentinel: a saved-and-restored state holds a copy of it,
            # so the first capture after a checkpoint counts as a change of holder.
            first = state.holder is _NOBODY
            changed = not first and actor != state.holder
            return Changes(holder=actor, changes=state.changes + changed)
        case _:
            return state


NOT_REPLAYABLE = Keyed(
    name="not-replayable", key=place_of, initial=lambda place: Changes(), reducer=_changes
)


def _origins(state: tuple[str, ...], claim: Claim) -> tuple[str, ...]:
    return tuple({*state, claim.source.origin})  # a set's order leaks into the result


HASH_ORDERED = Keyed(name="set-order", key=place_of, initial=lambda place: (), reducer=_origins)


def _access(state: str | None, claim: Claim) -> str | None:
    match claim.event:
        case CrossingClosed():
            return "closed"
        case CrossingOpened():
            return "open"
        case _:
            return state


CROSSINGS = Keyed(name="crossings", key=place_of, initial=lambda place: None, reducer=_access)


# --- each broken projection is caught by its law, with a clear message


@pytest.mark.parametrize(
    ("projection", "law", "says"),
    [
        (MUTATES_INPUT, Law.PURITY, "changed the state it was given"),
        (READS_GLOBAL, Law.PURITY, "the same ledger and question gave two different results"),
        (ARRIVAL_ORDER, Law.PARTITION, "depends on arrival order across keys"),
        (NOT_REPLAYABLE, Law.REPLAY, "resuming from the state saved after claim"),
        (HASH_ORDERED, Law.HASH_SEEDS, "but with PYTHONHASHSEED=2 it was"),
    ],
    ids=["mutates-input", "reads-a-global", "arrival-order", "not-replayable", "set-order"],
)
def test_a_broken_projection_is_caught_by_its_law_alone(projection, law, says):
    with pytest.raises(ProjectionLawError) as caught:
        check_projection(
            projection, laws=[law], settings=THOROUGH if law is Law.PARTITION else QUICK
        )
    error = caught.value
    assert error.laws == (law,)
    message = str(error)
    assert message.startswith(f"projection {projection.name!r} breaks 1 law: {law.value}.")
    assert f"{law.value} law broken ({law.statement})" in message
    assert says in message
    assert "minimal ledger, asked at=" in message
    assert isinstance(error, AssertionError)


def test_a_mutation_is_shown_on_one_claim_with_what_to_do_instead():
    with pytest.raises(ProjectionLawError) as caught:
        check_projection(MUTATES_INPUT, laws=[Law.PURITY], settings=QUICK)
    (violation,) = caught.value.violations
    assert "folding claim 'c0' changed the state it was given" in violation.problem
    assert "attrs.evolve" in violation.problem
    assert violation.ledger.startswith("#0 c0 ")
    assert "\n" not in violation.ledger


def test_checking_every_law_reports_each_law_broken_with_its_own_minimal_ledger():
    with pytest.raises(ProjectionLawError) as caught:
        check_projection(READS_GLOBAL, settings=QUICK)
    error = caught.value
    # A global counter breaks every law run in one process; fresh interpreters agree.
    assert error.laws == (Law.PURITY, Law.REPLAY, Law.PARTITION, Law.KNOWLEDGE, Law.ROUND_TRIP)
    assert str(error).startswith("projection 'reads-a-global-counter' breaks 5 laws: purity, ")
    assert all(v.ledger.startswith("#0 c0 ") for v in error.violations)


def test_the_territorial_projection_obeys_every_law():
    report = check_projection(TERRITORY, settings=settings(QUICK, max_examples=30))
    assert report.checked == tuple(Law)
    assert report.not_checked == ()


def test_a_correct_user_projection_obeys_every_law_in_process():
    laws = [law for law in Law if law is not Law.HASH_SEEDS]
    types = (CrossingClosed, CrossingOpened, Captured)
    report = check_projection(CROSSINGS, laws=laws, ledgers=ledgers(types=types), settings=QUICK)
    assert report.checked == tuple(laws)


def test_an_unkeyed_projection_is_checked_on_every_law_but_the_partition_law():
    count = Projection(name="count", initial=0, reducer=lambda n, claim: n + 1)
    report = check_projection(count, laws=[Law.PURITY, Law.REPLAY, Law.PARTITION], settings=QUICK)
    assert report.checked == (Law.PURITY, Law.REPLAY)
    assert report.not_checked == ((Law.PARTITION, "not a keyed projection"),)


def test_a_combined_projection_is_checked_and_its_broken_part_found():
    good = Projection(name="count", initial=0, reducer=lambda n, claim: n + 1)
    bad = Projection(name="ids", initial=[], reducer=_append_in_place)
    assert check_projection(Combined(projections=(good,)), laws=[Law.REPLAY], settings=QUICK)
    with pytest.raises(ProjectionLawError) as caught:
        check_projection(Combined(projections=(good, bad)), laws=[Law.PURITY], settings=QUICK)
    assert caught.value.laws == (Law.PURITY,)


def test_the_hash_seed_law_is_reported_not_checked_for_a_projection_no_module_holds():
    local = Keyed(name="local", key=place_of, initial=lambda place: 0, reducer=lambda n, c: n + 1)
    with pytest.warns(LawNotCheckedWarning, match="importable_as"):
        report = check_projection(local, laws=[Law.HASH_SEEDS], settings=QUICK)
    assert report.checked == ()
    assert [law for law, _ in report.not_checked] == [Law.HASH_SEEDS]


def test_the_hash_seed_law_runs_the_projection_importable_as_names():
    # The fresh interpreters import what importable_as names, not the object passed.
    local = Keyed(name="local", key=place_of, initial=lambda place: 0, reducer=lambda n, c: n + 1)
    report = check_projection(
        local,
        laws=[Law.HASH_SEEDS],
        settings=QUICK,
        importable_as="conflict_ledger.rules.territory:TERRITORY",
    )
    assert report.checked == (Law.HASH_SEEDS,)
    assert report.not_checked == ()


def test_a_projection_that_raises_is_reported_under_the_law_that_ran_it():
    def explode(state: int, claim: Claim) -> int:
        raise KeyError(claim.id)

    broken = Projection(name="explodes", initial=0, reducer=explode)
    with pytest.raises(ProjectionLawError, match="the projection raised KeyError"):
        check_projection(broken, laws=[Law.REPLAY], settings=QUICK, ledgers=ledgers(min_size=1))
