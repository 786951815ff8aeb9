"""Every command that takes a ledger path takes a postgresql:// URL (skipped without a server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conflict_ledger.cli import main
from conflict_ledger.codec import open_ledger
from conflict_ledger.merkle import Checkpoint
from conflict_ledger.seed import load_seed
from tests import pg

ACLED = Path(__file__).parent / "data" / "acled"


@pytest.fixture
def url() -> Iterator[str]:
    try:
        address = pg.schema_url("syria")
        seed = load_seed()
        with open_ledger(address, gazetteer="syria", create=True) as ledger:
            ledger.register(*seed.registries.sources, *seed.registries.documents.values())
            ledger.extend(seed.claims())
        yield address
    finally:
        pg.drop_schemas()


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_questions_answer_from_a_server_ledger_as_from_the_seed_file(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    seed = Path(__file__).parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl"
    for argv in (
        ("snapshot", "--at", "2024-12-07", "--format", "json"),
        ("timeline", "Deir el-Zor", "--format", "json"),
        ("explain", "homs", "--at", "2024-12-07", "--format", "json"),
        ("diff", "--at", "2024-11-29", "--to", "2024-12-08", "--format", "json"),
    ):
        code, from_server, err = run(capsys, argv[0], url, *argv[1:])
        assert (code, err) == (0, "")
        assert from_server == run(capsys, argv[0], seed, *argv[1:])[1]


def test_verify_checkpoint_and_export_take_a_url(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "published.checkpoint"
    code, out, _ = run(capsys, "verify", url, "--write-checkpoint", checkpoint)
    assert (code, out.startswith("ok: 16 records"), _) == (0, True, "")
    assert Checkpoint.from_text(checkpoint.read_text()).size == 16
    code, out, _ = run(capsys, "verify", url, "--checkpoint", checkpoint)
    assert (code, "extends the published checkpoint of 16 records" in out) == (0, True)
    code, out, _ = run(
        capsys, "export", url, "--as", "parquet", "--at", "2024-12-07", "-o", tmp_path / "pq"
    )
    assert code == 0
    assert duckdb.sql(
        f"SELECT count(*) FROM '{tmp_path / 'pq' / 'claims.parquet'}'"
    ).fetchall() == [(16,)]


def test_ingest_into_a_url_appends_one_batch_or_nothing(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, _ = run(capsys, "ingest", ACLED / "bad_rows.csv", "--into", url, "--strict")
    assert (code, "nothing written" in out) == (4, True)  # rows rejected (docs/cli.md, exit codes)
    with open_ledger(url) as ledger:
        assert len(ledger) == 16
    code, out, _ = run(capsys, "ingest", ACLED / "current.csv", "--into", url)
    assert (code, "9 claims appended" in out) == (0, True)
    code, out, _ = run(capsys, "ingest", ACLED / "current.csv", "--into", url, "--format", "json")
    assert json.loads(out)["appended"] == []
    with open_ledger(url) as ledger:
        assert len(ledger) == 25
        assert ledger.verify().size == 25
        assert ledger.claim("acled/SYR102").id == "acled/SYR102"


def test_an_unreachable_server_is_a_clear_error_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(
        capsys, "snapshot", "postgresql://me:secret@127.0.0.1:1/x?ledger=l", "--at", "2024-12-07"
    )
    assert code == 1
    assert err.startswith("conflict-ledger: error: postgresql://me:***@127.0.0.1:1/x?ledger=l: ")
    assert "secret" not in err


def test_a_signed_checkpoint_of_a_server_ledger_verifies_with_the_desks_key(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    key, point = tmp_path / "desk.key", tmp_path / "today.checkpoint"
    assert run(capsys, "keygen", "desk.example/syria", "--out", key)[0] == 0
    assert run(capsys, "checkpoint", url, "--sign", key, "-o", point)[0] == 0
    code, out, _ = run(capsys, "verify", url, "--checkpoint", point, "--key", f"{key}.pub")
    assert (code, "extends the published checkpoint of 16 records" in out) == (0, True)


def test_ingest_into_a_new_url_creates_the_ledger_only_when_it_writes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A file the import refuses, or a strict import that rejects a row, leaves no empty
    ledger behind (which would then answer "no claim" and verify "ok: 0 records")."""
    from conflict_ledger.errors import LedgerNotFoundError

    pg.base_url()
    try:
        new = pg.schema_url("fresh")
        seed = Path(__file__).parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl"
        code, _, err = run(capsys, "ingest", seed, "--into", new)
        assert (code, "does not look like an ACLED export" in err) == (1, True)
        code, _, _ = run(capsys, "ingest", ACLED / "bad_rows.csv", "--into", new, "--strict")
        assert code == 4
        with pytest.raises(LedgerNotFoundError):
            open_ledger(new, create=False)
        code, out, _ = run(capsys, "ingest", ACLED / "current.csv", "--into", new)
        assert (code, "9 claims appended" in out) == (0, True)
        with open_ledger(new, create=False) as ledger:
            assert len(ledger) == 9
            assert ledger.store.meta()["gazetteer"] == "syria"
    finally:
        pg.drop_schemas()
