"""Reading never writes: opening a missing or foreign path is an error, not a new ledger."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import conflict_ledger as cl
from conflict_ledger.claims import Claim
from conflict_ledger.cli import main
from conflict_ledger.codec import open_ledger, read_claims_file, verify_ledger
from conflict_ledger.errors import LedgerNotFoundError, NotALedgerError
from conflict_ledger.gazetteer import syria
from conflict_ledger.ledger import Ledger
from conflict_ledger.seed import load_seed
from conflict_ledger.stores import IntegrityError

SUFFIXES = (".sqlite", ".db", ".jsonl", ".claims.jsonl")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_opening_a_missing_path_names_it_and_creates_nothing(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"investigaton{suffix}"
    with pytest.raises(LedgerNotFoundError) as caught:
        open_ledger(path)
    assert caught.value.path == str(path)
    assert isinstance(caught.value, FileNotFoundError)
    assert "create=True" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"])
def test_create_starts_a_ledger_that_then_opens_without_it(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"new{suffix}"
    seed = load_seed()
    with open_ledger(path, create=True, gazetteer="syria") as ledger:
        ledger.register(*seed.registries.sources, *seed.registries.documents.values())
        ledger.extend(seed.claims())
    with open_ledger(path) as again:
        assert again.claims() == seed.claims()


def test_create_on_a_claims_file_path_gives_an_empty_ledger_on_its_gazetteer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new.claims.jsonl"
    ledger = open_ledger(path, create=True, gazetteer="syria")
    assert len(ledger) == 0
    assert "homs" in ledger.registries.places
    assert not path.exists()


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"])
def test_a_directory_is_not_a_ledger(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    with pytest.raises(NotALedgerError, match="directory"):
        open_ledger(folder)
    with pytest.raises(NotALedgerError, match="directory"):
        open_ledger(folder, create=True)


def test_an_empty_sqlite_file_is_refused_and_left_empty(tmp_path: Path) -> None:
    path = tmp_path / "touched.sqlite"
    path.touch()
    with pytest.raises(NotALedgerError, match="empty SQLite database"):
        open_ledger(path)
    assert path.stat().st_size == 0


def test_a_foreign_sqlite_database_is_refused_and_not_given_tables(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    db.close()
    with pytest.raises(NotALedgerError, match="without a conflict-ledger meta table"):
        open_ledger(path)
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert tables == {"notes"}


@pytest.mark.parametrize("table", ["claims", "vals"])
def test_a_dropped_table_is_an_integrity_error_not_a_new_empty_ledger(
    tmp_path: Path, table: str
) -> None:
    path = tmp_path / "l.sqlite"
    seed = load_seed()
    with open_ledger(path, create=True, gazetteer="syria") as ledger:
        ledger.register(*seed.registries.sources, *seed.registries.documents.values())
        ledger.extend(seed.claims())
    with sqlite3.connect(path) as db:
        db.execute(f"DROP TABLE {table}")
    db.close()
    with pytest.raises(IntegrityError, match=f"{table} table is missing"):
        open_ledger(path)
    with pytest.raises(IntegrityError, match=f"{table} table is missing"):
        verify_ledger(path)


def test_verify_and_read_claims_file_refuse_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(LedgerNotFoundError):
        verify_ledger(tmp_path / "typo.sqlite")
    with pytest.raises(LedgerNotFoundError):
        read_claims_file(tmp_path / "typo.claims.jsonl")
    assert list(tmp_path.iterdir()) == []


READING_COMMANDS = (
    ["snapshot", "{}", "--at", "2024-12-07"],
    ["timeline", "{}", "homs"],
    ["explain", "{}", "homs", "--at", "2024-12-07"],
    ["diff", "{}", "--at", "2024-12-06"],
    ["export", "{}", "--as", "acled"],
    ["plot", "{}", "-o", "x.png"],
    ["verify", "{}"],
    ["repair", "{}"],
)


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl", ".claims.jsonl"])
@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: c[0])
def test_every_reading_command_fails_on_a_missing_path_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], suffix: str
) -> None:
    path = tmp_path / f"typo{suffix}"
    argv = [part.replace("{}", str(path)) for part in command]
    assert main(argv) == 1
    error = capsys.readouterr().err
    assert "no such file" in error
    assert "Traceback" not in error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE meta SET value = 'not base64!' WHERE key = 'dictionary'",
        "UPDATE meta SET value = CAST(X'c328ff' AS TEXT) WHERE key = 'format'",
        "UPDATE meta SET key = CAST(X'ff' AS TEXT) WHERE key = 'version'",
    ],
    ids=["dictionary", "format-not-utf8", "key-not-utf8"],
)
def test_a_damaged_meta_table_is_an_integrity_error(tmp_path: Path, sql: str) -> None:
    path = tmp_path / "l.sqlite"
    with open_ledger(path, create=True, gazetteer="syria"):
        pass
    with sqlite3.connect(path) as db:
        db.execute(sql)
    db.close()
    with pytest.raises(IntegrityError):
        open_ledger(path)


def _a_claim(id: str, ledger: Ledger) -> Claim:
    ledger.register(cl.Source(id="reuters", name="Reuters", kind="agency"))
    return cl.Claim(
        id=id,
        event=cl.Captured(place="homs", actor="opposition"),
        valid=cl.ValidTime.exact("2024-12-07T12:00Z"),
        reported_at="2024-12-07T18:00Z",
        source=cl.SourceChain.of("reuters"),
    )


def test_closing_a_changed_claims_file_unsaved_warns_that_the_changes_are_lost(
    tmp_path: Path,
) -> None:
    """A newcomer's first ledger: `with open_ledger("x.claims.jsonl", create=True)` and an
    append. The file is read into memory and written only by save_ledger, so leaving the
    block loses the claim; it must not do so silently."""
    from conflict_ledger.errors import UnsavedClaimsWarning

    path = tmp_path / "goma.claims.jsonl"
    with (
        pytest.warns(UnsavedClaimsWarning, match=r"save_ledger\(ledger, path\)"),
        open_ledger(path, gazetteer="syria", create=True) as ledger,
    ):
        ledger.append(_a_claim("w/1", ledger))
    assert not path.exists()


def test_a_claims_file_saved_or_only_read_closes_quietly(tmp_path: Path) -> None:
    import warnings

    path = tmp_path / "goma.claims.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with open_ledger(path, gazetteer="syria", create=True) as ledger:
            ledger.append(_a_claim("w/1", ledger))
            cl.save_ledger(ledger, path)
        with open_ledger(path) as ledger:
            assert len(ledger) == 1
        with open_ledger(path) as ledger:  # changed, then saved again
            ledger.append(_a_claim("w/2", ledger))
            cl.save_ledger(ledger, path)
    assert len(read_claims_file(path)) == 2


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"])
def test_a_ledger_created_on_a_gazetteers_registries_reopens_on_them(
    tmp_path: Path, suffix: str
) -> None:
    # open_ledger(create=True, registries=syria()) used to record no gazetteer: opened
    # again from the file alone, "Homs" was an unknown place.
    path = tmp_path / f"desk{suffix}"
    seed = load_seed()
    clock = cl.fixed_clock("2025-01-01T00:00Z")
    with open_ledger(path, create=True, registries=syria(), clock=clock) as ledger:
        ledger.register(*seed.registries.sources)
        ledger.extend(seed.claims())
    with open_ledger(path) as again:
        assert again.store.meta()["gazetteer"] == "syria"
        assert cl.snapshot(again, at="2024-12-07T12:00Z")["Homs"].holder == "syrian-government"


def test_a_gazetteers_registries_say_which_it_is_and_grown_ones_keep_it() -> None:
    grown = syria().with_values([cl.Source(id="desk", name="Our desk", kind="analyst")])
    assert (syria().gazetteer, grown.gazetteer, cl.Registries().gazetteer) == (
        "syria",
        "syria",
        None,
    )
    assert grown == syria().with_values([cl.Source(id="desk", name="Our desk", kind="analyst")])
