"""A loss by a contender of a contest a denial disputes, on the oracle and on the engine.

The rule (conflict_ledger.rules.territory): a loss clears the holder when the loser holds the
place, or when the loser is a contender of a contest that a denial disputes; a denied gain
never makes its gainer the holder. Each case is asked of the reference (the pure reducer
and ``conflict_ledger.reference``) and of the as-of index (the fast fold, the snapshot and
the holder columns, with every way the index finds what was known differently).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from conflict_ledger.asof import order_key
from conflict_ledger.claims import Claim, Modality, SourceChain
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.events import Captured, ControlLost, Event, HandedOver, Holds
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.reference import effective_claims, snapshot
from conflict_ledger.rules.territory import PlaceFold, Status, territory
from conflict_ledger.testing.strategies import BASE, instants, ledgers, registries
from conflict_ledger.time import ValidTime

DENIED = Modality.DENIED


class _AllLate(AsOfIndex):
    """Every claim is found through the claims known late, never by the scan."""

    _prompt = 0


class _AskEveryPlace(AsOfIndex):
    """Asks every place what was known then, instead of scanning the claims."""

    _scan_limit = 0


ENGINES = [
    (AsOfIndex, 8, None),
    (AsOfIndex, 1, 1),
    (_AllLate, 2, 1),
    (_AskEveryPlace, 1, None),
]


def _claim(
    cid: str,
    event: Event,
    start: int,
    *,
    width: int = 1,
    reported: int | None = None,
    modality: Modality = Modality.ASSERTED,
) -> Claim:
    """A claim whose window is ``width`` hours from ``start`` (hours after BASE), reported
    at its end unless ``reported`` says when."""
    begin = BASE.add(hours=start)
    return Claim(
        id=cid,
        event=event,
        valid=ValidTime(start=begin, end=begin.add(hours=width)),
        reported_at=BASE.add(hours=start + width if reported is None else reported),
        source=SourceChain.of("s0"),
        modality=modality,
    )


HELD_BY_A0 = _claim("held", Holds(place="p0", actor="a0"), 0)
TAKEN = _claim("taken", Captured(place="p0", actor="a1", from_actor="a0"), 10)
DENIAL = _claim(
    "denial", Captured(place="p0", actor="a1", from_actor="a0"), 10, reported=12, modality=DENIED
)
LOST_BY_A0 = _claim("lost", ControlLost(place="p0", actor="a0"), 20)
LATE_DENIAL = _claim("denial", DENIAL.event, 10, reported=400, modality=DENIED)
# dated from before the gain it denies, its window overlapping the gain's
EARLY_DENIAL = _claim("denial", DENIAL.event, 9, width=2, reported=400, modality=DENIED)
OUTSIDER_LOST = _claim("outsider", ControlLost(place="p0", actor="a2"), 15, reported=400)

# (claims, at, known_at (hours; None: now), expected status, holder, previous)
CASES: dict[str, tuple[list[Claim], int, int | None, Status, str | None, str | None]] = {
    "the displaced holder's loss ends a contest its denial started": (
        [HELD_BY_A0, TAKEN, DENIAL, LOST_BY_A0],
        30,
        None,
        Status.UNKNOWN,
        None,
        "a0",
    ),
    "a denial naming no denier stands for the displaced holder alike": (
        [
            HELD_BY_A0,
            TAKEN,
            _claim("denial", Holds(place="p0", actor="a1"), 10, reported=12, modality=DENIED),
            LOST_BY_A0,
        ],
        30,
        None,
        Status.UNKNOWN,
        None,
        "a0",
    ),
    "before the loss is known the place is contested": (
        [HELD_BY_A0, TAKEN, DENIAL, LOST_BY_A0],
        30,
        15,
        Status.CONTESTED,
        "a1",
        "a0",
    ),
    "before the denial is known the loss is a non-holder's and changes nothing": (
        [HELD_BY_A0, TAKEN, LATE_DENIAL, LOST_BY_A0],
        30,
        40,
        Status.HELD,
        "a1",
        "a0",
    ),
    "once a late denial is known the loss clears the holder": (
        [HELD_BY_A0, TAKEN, LATE_DENIAL, LOST_BY_A0],
        30,
        None,
        Status.UNKNOWN,
        None,
        "a0",
    ),
    "a late loss by an outsider does not keep a denied gainer in place": (
        [HELD_BY_A0, TAKEN, DENIAL, OUTSIDER_LOST, LOST_BY_A0],
        30,
        40,
        Status.UNKNOWN,
        None,
        "a0",
    ),
    "a late denial dated before the gain it denies decides the loss as known then": (
        [HELD_BY_A0, TAKEN, LOST_BY_A0, EARLY_DENIAL],
        30,
        40,
        Status.HELD,
        "a1",
        "a0",
    ),
    "a denial dated before the gain it denies disputes it": (
        [HELD_BY_A0, TAKEN, LOST_BY_A0, EARLY_DENIAL],
        30,
        None,
        Status.UNKNOWN,
        None,
        "a0",
    ),
    "a loss by someone outside the contest settles nothing": (
        [HELD_BY_A0, TAKEN, DENIAL, _claim("lost", ControlLost(place="p0", actor="a2"), 20)],
        30,
        None,
        Status.CONTESTED,
        "a1",
        "a0",
    ),
    "the denied gainer's own loss clears it": (
        [HELD_BY_A0, TAKEN, DENIAL, _claim("lost", ControlLost(place="p0", actor="a1"), 20)],
        30,
        None,
        Status.UNKNOWN,
        None,
        "a1",
    ),
    "a contest of rival gains alone outlasts one rival's loss": (
        [
            _claim("held", Holds(place="p0", actor="a0"), 9),
            _claim("taken", Captured(place="p0", actor="a1"), 9, reported=11),
            LOST_BY_A0,
        ],
        30,
        None,
        Status.CONTESTED,
        "a1",
        None,
    ),
    "a later capture settles the place, and the denied gainer is never previous": (
        [
            HELD_BY_A0,
            TAKEN,
            DENIAL,
            LOST_BY_A0,
            _claim("next", Captured(place="p0", actor="a2"), 25),
        ],
        30,
        None,
        Status.HELD,
        "a2",
        "a0",
    ),
}


def _ledger(claims: list[Claim]) -> Ledger:
    ledger = Ledger(registries=registries(), clock=fixed_clock(BASE.add(years=1)))
    ledger.extend(sorted(claims, key=lambda claim: (claim.reported_at, claim.id)))
    return ledger


def _hours(hours: int | None) -> Any:
    return None if hours is None else BASE.add(hours=hours)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_oracle_answers_each_case(case):
    claims, at, known, status, holder, previous = CASES[case]
    state = snapshot(_ledger(claims), at=_hours(at), known_at=_hours(known))["p0"]
    assert (state.status, state.holder, state.previous) == (status, holder, previous)


@pytest.mark.parametrize("engine", ENGINES, ids=lambda engine: repr(engine))
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_engine_answers_each_case_as_the_oracle(case, engine):
    claims, at, known, _, holder, _ = CASES[case]
    ledger = _ledger(claims)
    cls, every, column_every = engine
    index = cls(ledger, checkpoint_every=every, column_every=column_every)
    cut, known_at = _hours(at), _hours(known)
    assert index.snapshot(at=cut, known_at=known_at) == snapshot(ledger, at=cut, known_at=known_at)
    assert index.holders(at=cut, known_at=known_at)["p0"] == holder
    assert (
        index.place_state("p0", at=cut, known_at=known_at)
        == snapshot(ledger, at=cut, known_at=known_at)["p0"]
    )


def _folds_agree(ledger: Ledger, known_at: Any) -> None:
    ordered = sorted(effective_claims(ledger, known_at=known_at), key=order_key)
    reference, frozen = PlaceFold(place="p0"), ff.EMPTY
    for claim in ordered:
        reference = territory(reference, claim)
        frozen = ff.fold(frozen, [ff.compile_claim(claim)])
        assert ff.to_place_fold("p0", frozen) == reference


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_fast_fold_is_the_reducer_claim_by_claim(case):
    claims, _, known, *_ = CASES[case]
    _folds_agree(_ledger(claims), _hours(known))


# One place, three actors, only control claims, many of them denied, rival or late: the
# losses that end a disputed contest come up in most drawn ledgers.
contests = ledgers(
    max_size=14,
    places=1,
    types=[Captured, Holds, ControlLost, HandedOver],
    max_value=24 * 4,
    contested_share=0.5,
    late_share=0.3,
    retracted_share=0.1,
    corrected_share=0.1,
)
hours = instants(min_value=0, max_value=24 * 70)


def _clears_a_contender(ledger: Ledger) -> bool:
    """Whether, in the fold of everything known now, a loss by someone other than the
    holder clears the holder (the rule under test fires)."""
    state = PlaceFold(place="p0")
    for claim in sorted(effective_claims(ledger), key=order_key):
        after = territory(state, claim)
        event = claim.event
        if (
            isinstance(event, ControlLost)
            and claim.modality is Modality.ASSERTED
            and state.holder not in (None, event.actor)
            and after.holder is None
        ):
            return True
        state = after
    return False


def test_the_generated_contests_exercise_the_rule():
    found = find(
        contests,
        _clears_a_contender,
        settings=settings(phases=[Phase.generate], database=None, max_examples=2000),
    )
    assert _clears_a_contender(found)


@given(contests, hours, st.none() | hours, st.sampled_from(ENGINES))
def test_generated_contests_are_answered_by_the_engine_as_by_the_oracle(
    ledger, at, known_at, engine
):
    _folds_agree(ledger, known_at)
    cls, every, column_every = engine
    index = cls(ledger, checkpoint_every=every, column_every=column_every)
    expected = snapshot(ledger, at=at, known_at=known_at)
    assert index.snapshot(at=at, known_at=known_at) == expected
    assert dict(index.holders(at=at, known_at=known_at)) == {s.place: s.holder for s in expected}
