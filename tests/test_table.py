"""Whole snapshots as columns (AsOfIndex.table): every row is the reference fold's state."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
