"""A SQLite ledger's index of claim ids: a claim looked up by id, an append and a saved
index brought up to date read the records they need, not every record's id; the index
refuses an id used twice; files without it (an earlier version, a copy) get it from
their next batch, and read as before until then."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conflict_ledger import reference, snapshot
from conflict_ledger.codec import open_ledger
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.errors import DuplicateClaimError
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.stores import IntegrityError, SqliteStore, StoredRecord
from conflict_ledger.testing.strategies import BASE, registries
from tests.test_stores_crash import make_claim, retraction

REGISTRIES = registries()
CLOCK = fixed_clock(BASE)


def opened(path: Path) -> Ledger:
    return open_ledger(path, registries=REGISTRIES, clock=CLOCK, create=True)


def written(path: Path, count: int) -> None:
    with opened(path) as ledger:
        ledger.extend([make_claim(f"c{i}", i) for i in range(count)])


def store_of(ledger: Ledger) -> SqliteStore:
    store = ledger.store
    assert isinstance(store, SqliteStore)
    return store


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """What plain SQL reads in the file."""
    db = sqlite3.connect(path)
    try:
        return [tuple(row) for row in db.execute(sql)]
    finally:
        db.close()


def index_rows(path: Path) -> list[tuple[int, str]]:
    return [(int(p), str(c)) for p, c in rows(path, "SELECT position, claim_id FROM claim_ids ORDER BY position")]  # fmt: skip


def as_an_earlier_version_left_it(path: Path) -> None:
    """The file without its index of claim ids, as versions before it wrote files."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("DROP TABLE claim_ids")
        db.execute("DELETE FROM meta WHERE key = 'claim_ids_cover'")
    finally:
        db.close()


class Counted:
    """Counts the claim records a store hands out, by the call that read them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.swept: list[int] = []  # the start of each sweep (records(start))
        self.by_key = 0
        sweep, by_key = SqliteStore.records, SqliteStore.records_at

        def records(store: SqliteStore, start: int = 0) -> Iterator[StoredRecord]:
            self.swept.append(start)
            return sweep(store, start)

        def records_at(store: SqliteStore, positions: Any) -> Iterator[StoredRecord]:
            self.by_key += len(positions)
            return by_key(store, positions)

        monkeypatch.setattr(SqliteStore, "records", records)
        monkeypatch.setattr(SqliteStore, "records_at", records_at)


def test_a_new_file_keeps_every_claim_id(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    written(path, 5)
    assert index_rows(path) == [(i, f"c{i}") for i in range(5)]
    with opened(path) as ledger:
        assert store_of(ledger).claim_positions(["c3", "nope"]) == ({"c3": 3}, 5)


def test_a_claim_looked_up_by_id_reads_that_record_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "l.sqlite"
    written(path, 50)
    counted = Counted(monkeypatch)
    with opened(path) as ledger:
        assert ledger.claim("c37").id == "c37"
        assert set(ledger.records_of(["c3", "c4"])) == {"c3", "c4"}
    assert counted.swept == []
    assert counted.by_key == 3


def test_an_append_reads_only_what_it_retracts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "l.sqlite"
    written(path, 50)
    counted = Counted(monkeypatch)
    with opened(path) as ledger:
        ledger.extend([make_claim("new", 60), retraction("r", "c7")])
        with pytest.raises(DuplicateClaimError, match="'c12'"):
            ledger.append(make_claim("c12", 61))  # refused by the file's index
        assert len(ledger) == 52
    # the target by key, and the last record (for its recorded time): no sweep of the ids
    assert all(start >= 49 for start in counted.swept)
    assert counted.by_key <= 3
    assert index_rows(path)[-2:] == [(50, "new"), (51, "r")]


def test_an_id_a_colleague_appended_meanwhile_is_refused_at_commit(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    written(path, 3)
    with opened(path) as mine, opened(path) as theirs:
        len(mine)  # read before the colleague's append
        theirs.append(make_claim("x", 10))
        with pytest.raises(DuplicateClaimError, match="'x'"):
            mine.extend([make_claim("y", 11), make_claim("x", 12)])
        assert [r.claim.id for r in theirs.records()][-1] == "x"
    assert index_rows(path)[-1] == (3, "x")
    with opened(path) as again:
        assert len(again) == 4
        assert again.verify().size == 4


def test_a_file_an_earlier_version_wrote_reads_as_before_and_gets_the_index_from_its_next_batch(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.sqlite"
    written(path, 20)
    as_an_earlier_version_left_it(path)
    with opened(path) as ledger:
        assert store_of(ledger).claim_positions(["c1"]) is None  # reads the records
        assert ledger.claim("c11").id == "c11"
        with pytest.raises(DuplicateClaimError):
            ledger.append(make_claim("c5", 30))  # found in the records: nothing made
    assert "claim_ids" not in tables(path)  # the refused batch made nothing
    with opened(path) as ledger:
        ledger.append(retraction("r", "c2"))
    assert index_rows(path) == [*[(i, f"c{i}") for i in range(20)], (20, "r")]
    with opened(path) as ledger:
        assert ledger.verify().size == 21


def test_records_an_earlier_version_appended_are_indexed_by_the_next_batch(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.sqlite"
    written(path, 4)
    with opened(path) as ledger:  # an earlier version's append: no id indexed
        store = store_of(ledger)
        with store.writing():
            store.write(list(Ledger._encoded([*ledger.records(), *extra(ledger)]))[4:], [])
    with opened(path) as ledger:
        assert store_of(ledger).claim_positions(["late"]) == ({}, 4)  # behind: not trusted
        assert ledger.claim("late").id == "late"  # read from the records
        with pytest.raises(DuplicateClaimError):
            ledger.append(make_claim("late", 30))
        ledger.append(make_claim("after", 31))
    assert [claim_id for _, claim_id in index_rows(path)] == [
        "c0", "c1", "c2", "c3", "late", "after"
    ]  # fmt: skip


def extra(ledger: Ledger) -> list[Any]:
    """One more record after the ledger's, as an earlier version would have written it."""
    from conflict_ledger.ledger import Recorded

    return [Recorded(position=len(ledger), recorded_at=BASE, claim=make_claim("late", 9))]


def tables(path: Path) -> set[str]:
    return {str(row[0]) for row in rows(path, "SELECT name FROM sqlite_master")}


def test_an_index_entry_pointing_at_another_record_is_an_integrity_error(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    written(path, 5)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("INSERT INTO claim_ids(claim_id, position) VALUES ('ghost', 2)")
    db.close()
    with opened(path) as ledger, pytest.raises(IntegrityError, match="'ghost'"):
        ledger.claim("ghost")


def test_records_holding_one_id_twice_are_named_when_the_index_is_filled(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.sqlite"
    written(path, 3)
    as_an_earlier_version_left_it(path)
    with opened(path) as ledger:
        store = store_of(ledger)
        twice = list(Ledger._encoded(ledger.records()))[1]
        forged = StoredRecord.of(3, twice.data.replace(b'"position":1', b'"position":3'))
        with store.writing():
            store.write([forged], [])
    with opened(path) as ledger, pytest.raises(IntegrityError, match="claim id twice"):
        ledger.append(make_claim("new", 30))
    assert "claim_ids" not in tables(path)


def test_a_retraction_after_a_saved_index_is_read_without_every_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newcomer's trial: after `conflict-ledger index`, one retraction appended made
    every later open read the id of every record (6 s at a million claims)."""
    path = tmp_path / "l.sqlite"
    with opened(path) as ledger:
        ledger.extend([make_claim(f"c{i}", i) for i in range(60)])
        AsOfIndex(ledger).save()
        ledger.append(retraction("r", "c58"))
    counted = Counted(monkeypatch)
    at = BASE.add(hours=70)
    with opened(path) as ledger:
        answer = snapshot(ledger, at=at)
        swept = list(counted.swept)
        assert answer == reference.snapshot(ledger, at=at)
    # the last record the save covers (checked at open) and the one appended since:
    # no sweep from the start for the retracted claim's id
    assert min(swept) >= 59


def test_records_that_disappeared_from_the_table_of_claims_are_an_integrity_error(
    tmp_path: Path,
) -> None:
    """A damaged file whose last rows no longer read (found by the malformed-input
    corpus: a timeline answered from the one record left) or that was cut: the index of
    claim ids still covers them."""
    path = tmp_path / "l.sqlite"
    written(path, 6)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER claims_no_delete")
    db.execute("DELETE FROM claims WHERE position >= 2")
    db.close()
    with pytest.raises(IntegrityError, match="covers 6 records, but its table of claims holds 2"):
        opened(path)


def test_a_batch_of_nothing_leaves_a_file_an_earlier_version_wrote_as_it_was(
    tmp_path: Path,
) -> None:
    """A trial: an ingest with nothing to append changed an old file (an empty index)."""
    path = tmp_path / "l.sqlite"
    written(path, 3)
    as_an_earlier_version_left_it(path)
    before = path.read_bytes()
    with opened(path) as ledger:
        assert ledger.extend([]) == ()
    assert "claim_ids" not in tables(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "edit",
    [
        "DELETE FROM claim_ids WHERE claim_id = 'c3'",  # a reused id would then be let in
        "UPDATE claim_ids SET position = 1 WHERE claim_id = 'c3'",
        "INSERT INTO claim_ids(claim_id, position) VALUES ('ghost', 4)",
    ],
)
def test_verify_holds_the_index_to_the_records_and_repair_makes_it_again(
    tmp_path: Path, edit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial: with a row of the index deleted (its trigger dropped first), a reused id
    was appended and looked up, while verify said ok and nothing rebuilt the index."""
    from conflict_ledger.cli import main

    path = tmp_path / "l.sqlite"
    written(path, 6)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER IF EXISTS claim_ids_no_delete")
    db.execute("DROP TRIGGER IF EXISTS claim_ids_no_update")
    db.execute(edit)
    db.close()
    with opened(path) as ledger, pytest.raises(IntegrityError, match="disagrees with the records"):
        ledger.verify()
    assert main(["verify", str(path)]) == 3
    assert "conflict-ledger repair LEDGER" in capsys.readouterr().err
    assert main(["repair", str(path)]) == 0
    assert "made the index of claim ids again from the 6 records" in capsys.readouterr().out
    assert index_rows(path) == [(i, f"c{i}") for i in range(6)]
    with opened(path) as ledger:
        assert ledger.verify().size == 6
        with pytest.raises(DuplicateClaimError):
            ledger.append(make_claim("c3", 9))
    assert main(["repair", str(path)]) == 0
    assert "nothing to repair" in capsys.readouterr().out
