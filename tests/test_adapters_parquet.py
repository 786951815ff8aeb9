"""Parquet out: claims and snapshots as typed tables that DuckDB reads back equal."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import conflict_ledger as cl
from conflict_ledger.adapters.parquet import claims_table, snapshot_table, write_parquet
from conflict_ledger.canonical import canonical_json
from conflict_ledger.cli import main
from conflict_ledger.codec import decode_claim, encode_claim
from conflict_ledger.seed import load_seed

SEED = Path(__file__).parent.parent / "src" / "conflict_ledger" / "data"
AT = "2024-12-07T00:00Z"


def test_duckdb_reads_every_claim_back_equal(tmp_path: Path) -> None:
    ledger = load_seed()
    written = write_parquet(ledger, tmp_path, row_group=5)  # several row groups
    assert pq.ParquetFile(written["claims"]).num_row_groups == 4
    rows = duckdb.sql(
        f"SELECT position, id, kind, valid_start, reported_at, recorded_at, sources, record "
        f"FROM '{written['claims']}' ORDER BY position"
    ).fetchall()
    records = ledger.records()
    assert [row[0] for row in rows] == [r.position for r in records]
    assert [row[1] for row in rows] == [r.claim.id for r in records]
    assert [row[2] for row in rows] == [r.claim.event.kind for r in records]
    assert [row[3].timestamp() for row in rows] == [
        r.claim.valid.start.timestamp() for r in records
    ]
    assert [row[4].timestamp() for row in rows] == [
        r.claim.reported_at.timestamp() for r in records
    ]
    assert [row[5].timestamp() for row in rows] == [r.recorded_at.timestamp() for r in records]
    assert [row[6] for row in rows] == [list(r.claim.source.source_ids()) for r in records]
    assert [decode_claim(json.loads(row[7])) for row in rows] == [r.claim for r in records]
    assert [row[7].encode() for row in rows] == [
        canonical_json(encode_claim(r.claim)) for r in records
    ]


def test_the_columns_are_typed_for_analysis(tmp_path: Path) -> None:
    written = write_parquet(load_seed(), tmp_path, at=AT)
    types = {
        r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM '{written['claims']}'").fetchall()
    }
    assert types["position"] == "BIGINT"
    assert types["valid_start"] == "TIMESTAMP WITH TIME ZONE"
    assert types["credibility"] == "TINYINT"
    assert types["sources"] == "VARCHAR[]"
    states = {
        r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM '{written['snapshot']}'").fetchall()
    }
    assert states["settled"] == "BOOLEAN"
    assert states["since_start"] == "TIMESTAMP WITH TIME ZONE"
    assert states["claims"] == "VARCHAR[]"


def test_duckdb_reads_the_snapshot_as_the_library_answers_it(tmp_path: Path) -> None:
    ledger = load_seed()
    snap = cl.snapshot(ledger, at=AT)
    written = write_parquet(ledger, tmp_path, at=AT)
    rows = duckdb.sql(
        f'SELECT place, status, holder, previous, claims, disputes, since_start, "at" '
        f"FROM '{written['snapshot']}' ORDER BY place"
    ).fetchall()
    expected = sorted(snap, key=lambda state: state.place)
    assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        (s.place, s.status.value, s.holder, s.previous, list(s.claims), list(s.disputes))
        for s in expected
    ]
    assert [None if r[6] is None else r[6].timestamp() for r in rows] == [
        None if s.since is None else s.since.start.timestamp() for s in expected
    ]
    assert {r[7].timestamp() for r in rows} == {snap.at.timestamp()}


def test_several_snapshots_share_one_table_told_apart_by_their_clocks() -> None:
    ledger = load_seed()
    days = [cl.snapshot(ledger, at=f"2024-12-0{d}T00:00Z") for d in (5, 7)]
    table = snapshot_table(days)
    assert table.num_rows == sum(len(tuple(s)) for s in days)
    assert len(set(table.column("at").to_pylist())) == 2
    assert claims_table(ledger).num_rows == len(ledger)


def test_cli_exports_parquet_into_a_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed = SEED / "dawn-2024-12-07.claims.jsonl"
    code = main(
        [
            "export",
            str(seed),
            "--as",
            "parquet",
            "--at",
            "2024-12-07",
            "-o",
            str(tmp_path / "out"),
            "--format",
            "json",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["claims"] == 16
    count = duckdb.sql(f"SELECT count(*) FROM '{report['wrote']['claims']}'").fetchall()
    assert count == [(16,)]
    assert Path(report["wrote"]["snapshot"]).exists()
    assert main(["export", str(seed), "--as", "parquet"]) == 1
    assert "-o DIR" in capsys.readouterr().err
