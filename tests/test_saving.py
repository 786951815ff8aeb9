"""One way to save and convert: the format follows the path, the registries travel along."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from conflict_ledger.asof import snapshot
from conflict_ledger.cli import exits as _exits
from conflict_ledger.cli import main
from conflict_ledger.codec import open_ledger, read_claims_file, write_claims_file
from conflict_ledger.errors import InvalidBatchError, InvalidClaimError
from conflict_ledger.ledger import Ledger, NotAStoreError, fixed_clock
from conflict_ledger.saving import LedgerExistsError, convert, gazetteer_of, save_ledger
from conflict_ledger.seed import load_seed

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "dawn-2024-12-07.claims.jsonl"
ACLED = ROOT / "tests" / "data" / "acled"
NAMES = ("l.claims.jsonl", "l.jsonl", "l.sqlite")
AT = "2024-12-07T00:00Z"


def _same_ledger(path: Path) -> None:
    seed = load_seed()
    with open_ledger(path) as again:
        assert again.claims() == seed.claims()
        assert set(again.registries.sources) == set(seed.registries.sources)
        assert dict(again.registries.documents) == dict(seed.registries.documents)
        assert tuple(snapshot(again, at=AT)) == tuple(snapshot(seed, at=AT))


@pytest.mark.parametrize("name", NAMES)
def test_save_ledger_writes_the_format_the_path_names_and_it_reads_back_alone(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    save_ledger(load_seed(), path)
    first = path.read_bytes()[:16]
    assert (first == b"SQLite format 3\x00") == name.endswith(".sqlite")
    assert (b'"conflict-ledger/claims"' in path.read_bytes()[:200]) == name.endswith(
        ".claims.jsonl"
    )
    _same_ledger(path)


def test_convert_runs_through_every_format_and_back(tmp_path: Path) -> None:
    chain = [SEED, tmp_path / "a.sqlite", tmp_path / "b.jsonl", tmp_path / "c.claims.jsonl"]
    chain.append(tmp_path / "d.sqlite")
    for source, target in itertools.pairwise(chain):
        convert(source, target)
        _same_ledger(target)


def test_store_to_store_keeps_every_record_byte_for_byte(tmp_path: Path) -> None:
    save_ledger(load_seed(), tmp_path / "a.sqlite")
    convert(tmp_path / "a.sqlite", tmp_path / "b.jsonl")
    with open_ledger(tmp_path / "a.sqlite") as a, open_ledger(tmp_path / "b.jsonl") as b:
        assert list(a.store.records()) == list(b.store.records())
        assert a.checkpoint() == b.checkpoint()
        assert b.verify() == a.checkpoint()


def test_a_ledger_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    save_ledger(load_seed(), path)
    before = path.read_bytes()
    with pytest.raises(LedgerExistsError):
        save_ledger(load_seed(), path)
    assert path.read_bytes() == before


def test_copy_to_a_path_names_the_one_way_to_save(tmp_path: Path) -> None:
    """copy_to copies into a store; saving at a path is save_ledger's (the ledger does not
    reach up to the module that knows paths and formats)."""
    target = tmp_path / "copy.sqlite"
    with pytest.raises(NotAStoreError, match=r"save_ledger\(ledger, '.*copy.sqlite'\)"):
        load_seed().copy_to(target)  # type: ignore[arg-type]
    assert not target.exists()


def test_a_suffix_that_names_no_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidClaimError, match="names no ledger format"):
        save_ledger(load_seed(), tmp_path / "l.csv")
    assert list(tmp_path.iterdir()) == []


def test_the_gazetteer_is_found_by_comparing() -> None:
    assert gazetteer_of(load_seed()) == "syria"
    assert gazetteer_of(Ledger()) is None


def test_write_claims_file_refuses_a_file_that_would_not_read_back(tmp_path: Path) -> None:
    path = tmp_path / "bare.claims.jsonl"
    with pytest.raises(InvalidClaimError, match="would not read back") as caught:
        write_claims_file(path, load_seed().claims(), gazetteer="syria")
    assert "save_ledger(ledger, path)" in str(caught.value)
    assert not path.exists()
    seed = load_seed()
    values = [*seed.registries.sources, *seed.registries.documents.values()]
    write_claims_file(path, seed.claims(), values=values, gazetteer="syria")
    assert read_claims_file(path).claims() == seed.claims()


def test_ingest_into_a_sqlite_path_writes_sqlite_and_grows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "syria.sqlite"
    assert main(["ingest", str(ACLED / "bad_rows.csv"), "--into", str(path)]) == 4
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    with open_ledger(path) as ledger:
        assert len(ledger) == 2
        published = ledger.checkpoint()
    assert main(["ingest", str(ACLED / "bad_rows.csv"), "--into", str(path)]) == 4
    assert "0 claims appended" in capsys.readouterr().out
    with open_ledger(path) as ledger:
        assert ledger.verify(checkpoint=published) == published  # grown, not rewritten
    assert main(["snapshot", str(path), "--at", "2024-12-10"]) == 0


def test_a_strict_ingest_that_rejects_a_row_leaves_an_existing_ledger_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "syria.sqlite"
    save_ledger(load_seed(), path)
    with open_ledger(path) as ledger:
        before = ledger.checkpoint()
    code = main(["ingest", str(ACLED / "bad_rows.csv"), "--into", str(path), "--strict"])
    assert code == _exits.REJECTED_ROWS
    with open_ledger(path) as ledger:
        assert ledger.checkpoint() == before


def test_cli_convert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "seed.sqlite"
    assert main(["convert", str(SEED), str(target)]) == 0
    assert f"wrote {target} (sqlite)" in capsys.readouterr().out
    _same_ledger(target)
    assert main(["convert", str(SEED), str(target)]) == _exits.USER_ERROR
    assert "never overwritten" in capsys.readouterr().err
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM claims").fetchone() == (16,)
    db.close()


def test_a_rejected_batch_lists_every_reason() -> None:
    seed = load_seed()
    ledger = Ledger(registries=seed.registries, clock=fixed_clock(AT))
    claims = seed.claims()
    with pytest.raises(InvalidBatchError) as caught:
        ledger.extend([claims[0], claims[0], claims[1], claims[1]])
    message = str(caught.value)
    assert "2 claims rejected" in message
    assert message.count("\n  - claim id") == 2
    assert "sub-exception" not in message
