"""Whole snapshots as columns (AsOfIndex.table): every row is the reference fold's state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.asof import Snapshot, snapshot
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._tabulate import NAT
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.seed import load_seed
from conflict_ledger.table import STATUSES, SnapshotTable
from conflict_ledger.testing.strategies import BASE
from tests.test_index import busy_ledgers, checkpoints, kinds, known_times, make, times
from tests.test_sketch import reopened


def _micros(value: Any) -> int:
    return NAT if value is None else ff.micros(value)


def _rows(table: SnapshotTable) -> list[tuple[Any, ...]]:
    """Every row as plain values: instants and durations in integer microseconds."""
    columns = [
        table.place,
        [STATUSES[code] for code in table.status],
        table.holder,
        table.previous,
        table.since_start.astype(np.int64),
        table.since_end.astype(np.int64),
        table.contenders,
        table.confirmed_at.astype(np.int64),
        table.unconfirmed_for.astype(np.int64),
    ]
    return [
        tuple(int(v) if isinstance(v, np.integer) else v for v in row)
        for row in zip(*columns, strict=True)
    ]


def _expected(reference: Snapshot) -> list[tuple[Any, ...]]:
    """The reference snapshot's states as the same rows, in place order."""
    rows = []
    for state in sorted(reference, key=lambda s: s.place):
        waited = state.unconfirmed_for
        rows.append(
            (
                state.place,
                state.status,
                state.holder,
                state.previous,
                _micros(state.since.start if state.since else None),
                _micros(state.since.end if state.since else None),
                state.contenders,
                _micros(state.confirmed_at),
                NAT if waited is None else waited // dt.timedelta(microseconds=1),
            )
        )
    return rows


@given(busy_ledgers, times, known_times, checkpoints, kinds)
def test_every_row_is_the_reference_folds_state(ledger, at, known_at, every, kind):
    index = make(ledger, kind, every)
    index.snapshot(at=at)  # folds remembered by an earlier question are reused
    table = index.table(at=at, known_at=known_at)
    assert _rows(table) == _expected(snapshot(ledger, at=at, known_at=known_at))
    assert (table.at, table.known_at) == (
        snapshot(ledger, at=at).at,
        None if known_at is None else snapshot(ledger, at=at, known_at=known_at).known_at,
    )


@given(busy_ledgers, st.data(), checkpoints, kinds)
def test_tables_asked_between_appends_equal_the_reference(ledger, data, every, kind):
    # Late, back-dated claims, retractions and corrections arrive after the index has
    # folded (and remembered) everything before them; a table handed out earlier keeps
    # its rows.
    records = ledger.records()
    growing = Ledger(registries=ledger.registries, clock=fixed_clock(BASE))
    index = make(growing, kind, every)
    kept: list[tuple[SnapshotTable, list[tuple[Any, ...]]]] = []
    done = 0
    while done < len(records):
        step = data.draw(st.integers(min_value=1, max_value=4), label="step")
        growing.extend(r.claim for r in records[done : done + step])
        done += step
        at = data.draw(times, label="at")
        known_at = data.draw(known_times, label="known_at")
        expected = _expected(snapshot(growing, at=at, known_at=known_at))
        table = index.table(at=at, known_at=known_at)
        assert _rows(table) == expected
        kept.append((table, expected))
    assert all(_rows(table) == rows for table, rows in kept)


def test_columns_are_read_only_and_named_for_a_data_frame() -> None:
    table = AsOfIndex(load_seed()).table(at="2024-12-08T00:00Z", known_at="2024-12-08T00:00Z")
    columns = table.columns()
    assert list(columns) == [
        "place",
        "status",
        "holder",
        "previous",
        "since_start",
        "since_end",
        "contenders",
        "confirmed_at",
        "unconfirmed_for",
    ]
    assert {len(column) for column in columns.values()} == {len(table)}
    assert set(columns["status"]) <= {status.value for status in STATUSES}
    with pytest.raises(ValueError, match="read-only"):
        table.holder[0] = "someone else"
    with pytest.raises(KeyError):
        table.row("atlantis")


def _slow(index: AsOfIndex, at: Any, known_at: Any) -> list[tuple[Any, ...]]:
    """The table built the slow way: one PlaceState a place, from the index's snapshot."""
    return _expected(index.snapshot(at=at, known_at=known_at))


@given(busy_ledgers, st.lists(times, min_size=1, max_size=6), known_times, checkpoints, kinds)
def test_a_series_of_tables_equals_a_table_at_each_instant(ledger, ats, known_at, every, kind):
    # Each table after the first rereads only the places with a claim begun since the
    # one before; the instants come in any order, repeated too.
    index = make(ledger, kind, every)
    series = index.tables(ats, known_at=known_at)
    assert [table.at for table in series] == [snapshot(ledger, at=at).at for at in ats]
    for at, table in zip(ats, series, strict=True):
        assert _rows(table) == _expected(snapshot(ledger, at=at, known_at=known_at))
        assert _rows(table) == _slow(make(ledger, kind, every), at, known_at)


@given(busy_ledgers, st.data(), checkpoints, kinds)
def test_series_asked_between_appends_equal_the_slow_tables(ledger, data, every, kind):
    # The rows kept for each place after every claim are dropped from a late claim, a
    # retraction or a correction on, and made again; series handed out keep theirs.
    records = ledger.records()
    growing = Ledger(registries=ledger.registries, clock=fixed_clock(BASE))
    index = make(growing, kind, every)
    kept: list[tuple[SnapshotTable, list[tuple[Any, ...]]]] = []
    done = 0
    while done < len(records):
        step = data.draw(st.integers(min_value=1, max_value=4), label="step")
        growing.extend(r.claim for r in records[done : done + step])
        done += step
        ats = data.draw(st.lists(times, min_size=1, max_size=3), label="ats")
        known_at = data.draw(known_times, label="known_at")
        for at, table in zip(ats, index.tables(ats, known_at=known_at), strict=True):
            expected = _slow(make(growing, kind, every), at, known_at)
            assert _rows(table) == expected
            kept.append((table, expected))
    assert all(_rows(table) == rows for table, rows in kept)


def test_a_series_of_tables_has_the_tables_columns_and_dtypes() -> None:
    index = AsOfIndex(load_seed())
    days = ["2024-12-08T00:00Z", "2024-12-06T00:00Z", "2024-12-08T00:00Z"]
    series = index.tables(days, known_at="2024-12-09T00:00Z")
    for day, table in zip(days, series, strict=True):
        alone = index.table(at=day, known_at="2024-12-09T00:00Z")
        assert [f.name for f in attrs.fields(SnapshotTable)][:3] == ["at", "known_at", "place"]
        for field in attrs.fields(SnapshotTable):
            name = field.name
            column, expected = getattr(table, name), getattr(alone, name)
            assert type(column) is type(expected), name
            if isinstance(column, np.ndarray):
                assert column.dtype == expected.dtype, name
                if column.dtype.kind in "mM":  # NaT is not equal to itself
                    column, expected = column.view(np.int64), expected.view(np.int64)
                assert list(column) == list(expected), name
                assert not column.flags.writeable
    assert series[0].status.dtype == np.int8
    assert index.tables([]) == ()


@given(busy_ledgers, st.lists(times, min_size=1, max_size=4), known_times)
def test_tables_over_a_ledger_just_opened_equal_the_reference(ledger, ats, known_at):
    # The index reads a stored ledger's outlines (sketched claims): the rows read only
    # what the fold reads, and come out the same.
    series = AsOfIndex(reopened(ledger)).tables(ats, known_at=known_at)
    for at, table in zip(ats, series, strict=True):
        assert _rows(table) == _expected(snapshot(ledger, at=at, known_at=known_at))
