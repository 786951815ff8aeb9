"""The columnar reader's shortcuts give what the row-by-row code they stand for gives.

Each shortcut of ``adapters.acled_columns`` (ids sorted by numpy, ACLED timestamps made
by numpy, claim ids of plain ids) and the sides a reader keeps per actor pair
(``RowReader.decide``) is held here to the plain function it replaces, on inputs that
take the shortcut and inputs that must not.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.adapters import acled, acled_claims
from conflict_ledger.adapters.acled import import_acled
from conflict_ledger.adapters.acled_claims import RowReader, claim_id, read_stamp
from conflict_ledger.adapters.acled_columns import _claim_ids, _stamps, sorted_by_id
from conflict_ledger.adapters.acled_rows import event_order
from conflict_ledger.adapters.acled_sides import Decision, Side, decide
from conflict_ledger.gazetteer import syria
from conflict_ledger.registry import ActorKind
from tests.test_acled_columns import export

_IDS = st.one_of(
    st.from_regex(r"(SYR|IRQ|)[0-9]{1,20}", fullmatch=True),
    st.from_regex(r"[A-Za-z]{0,3}[0-9]{0,3}", fullmatch=True),
    st.text(alphabet="SYR019 -/\n٣", min_size=1, max_size=6),
)


@given(st.lists(_IDS, max_size=30), st.booleans())
def test_ids_sort_as_event_order_sorts_them(ids: list[str], one_country: bool) -> None:
    if one_country:
        ids = [f"SYR{i.strip('SYRIQ')}" if i.isalnum() else i for i in ids]
    expected = sorted(range(len(ids)), key=lambda n: event_order(ids[n]))
    assert sorted_by_id(ids) == expected


def test_ids_of_one_country_sort_by_number_equal_numbers_in_place() -> None:
    ids = ["SYR10", "SYR2", "SYR02", "SYR1", "SYR000000000000000001"]
    assert sorted_by_id(ids) == [3, 4, 1, 2, 0]
    assert sorted_by_id(["2", "02", "1"]) == [2, 0, 1]


class _Reader:
    def __init__(self) -> None:
        self.stamps: dict[str, object] = {}

    def stamp(self, text: str) -> object:
        return RowReader.stamp(self, text)  # type: ignore[arg-type]


@given(
    st.lists(
        st.one_of(
            st.integers(0, 99_999_999_999).map(str),
            st.sampled_from(["0", "951782400", "1709164800", "4107542399", "00001733616000"]),
        ),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from([None, "", "1733616000.0", "2024-12-08T00:00:00Z", "²", "soon"]),
)
def test_timestamps_made_at_once_are_the_ones_read_stamp_makes(
    texts: list[str], odd: str | None
) -> None:
    column = texts + [texts[0]] + ([] if odd is None else [odd])
    made, bad = _stamps(column, _Reader())  # type: ignore[arg-type]
    for number, (text, stamp) in enumerate(zip(column, made, strict=True)):
        if not text.strip():
            assert stamp is None
        elif number in bad:
            with pytest.raises(Exception, match="timestamp"):
                read_stamp(text)
        else:
            expected = read_stamp(text)
            assert (stamp, stamp.tzinfo, stamp.fold) == (expected, expected.tzinfo, 0)
            assert type(stamp) is type(expected)
            assert stamp.isoformat() == expected.isoformat()


@given(st.lists(st.one_of(_IDS, st.just("")), min_size=1, max_size=20))
def test_claim_ids_of_a_column_are_each_ids_claim_id(ids: list[str]) -> None:
    ids = [i.strip() for i in ids]
    assert _claim_ids(ids) == [claim_id(i) if i else "" for i in ids]


def _decide_each_row(self: RowReader, row, sub, actors):  # type: ignore[no-untyped-def]
    """RowReader.decide as it was: the sides made and decided again for every row."""

    def side(number: str, actor: str) -> Side:
        kind = self.actor_kinds.get(actor)
        state = (
            None
            if kind is None or kind is ActorKind.UNIDENTIFIED
            else kind in (ActorKind.GOVERNMENT, ActorKind.STATE)
        )
        names = (actor, *self.actor_names.get(actor, ()))
        return Side(
            row.get(f"actor{number}", "").strip(), row.get(f"inter{number}", ""), names, state
        )

    actor1, actor2 = actors
    return decide(
        sub,
        side("1", actor1),
        None if actor2 is None else side("2", actor2),
        notes=row.get("notes", ""),
        actor1_gains=bool(row.get("disorder_type", "").strip()),
    )


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), spoilt=st.sampled_from([0.0, 0.2]))
def test_sides_kept_per_actor_pair_decide_as_each_row_decided(seed: int, spoilt: float) -> None:
    text = export(150, seed, spoilt=spoilt)
    decisions: list[Decision] = []
    kept = RowReader.decide

    def noted(self, row, sub, actors):  # type: ignore[no-untyped-def]
        decisions.append(kept(self, row, sub, actors))
        assert decisions[-1] == _decide_each_row(self, row, sub, actors)
        return decisions[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(acled_claims.RowReader, "decide", noted)
        ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2025-06-01T00:00Z"))
        import_acled(ledger, io.StringIO(text), name="x.csv")
    assert decisions  # territorial rows were decided
    with pytest.MonkeyPatch.context() as patch:  # and the ledger is the one decided row by row
        patch.setattr(acled_claims.RowReader, "decide", _decide_each_row)
        again = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2025-06-01T00:00Z"))
        import_acled(again, io.StringIO(text), name="x.csv")
    assert ledger.checkpoint() == again.checkpoint()


def test_the_wide_reader_is_the_one_taken_for_these_exports() -> None:
    """The shortcuts above are exercised: a clean export goes the columnar way."""
    assert set(acled.WIDE_NEEDS) <= set(acled.CURRENT_COLUMNS)


def test_a_batch_registers_the_first_value_of_each_kind_and_id_in_order() -> None:
    """_append_batch skips values named again by identity, then keeps the first of each
    (kind, id): what keeping the first of each (kind, id) over every row gives."""
    from conflict_ledger.adapters.rows import Candidate, _append_batch

    first = cl.Source(id="a", name="A", kind="newspaper")
    again = cl.Source(id="a", name="A again", kind="newspaper")  # same id, another value
    other = cl.Source(id="b", name="B", kind="newspaper")
    place = cl.Place(id="a", name="A town", kind="town")  # same id, another kind
    claim = cl.load_seed().claims()[0]
    rows = [(first, other), (again, place, first), (other,), (place, again)]
    registered: list[object] = []

    class Ledger:
        def register(self, *values: object) -> None:
            registered.extend(values)

        def extend(self, claims: object) -> None:
            list(claims)  # type: ignore[call-overload]

    batch = [Candidate(line=n, claim=claim, values=values) for n, values in enumerate(rows)]
    _append_batch(Ledger(), batch)  # type: ignore[arg-type]
    expected: dict[tuple[type, str], object] = {}
    for values in rows:
        for value in values:
            expected.setdefault((type(value), value.id), value)
    assert registered == list(expected.values())
    assert registered[0] is first
    assert registered[2] is place
