"""The command line never shows a traceback, and its exit codes say what went wrong."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from conflict_ledger.cli import commands as cli
from conflict_ledger.cli import exits as _exits
from conflict_ledger.cli import main
from conflict_ledger.codec import open_ledger
from conflict_ledger.seed import load_seed

SEED = str(Path(__file__).resolve().parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl")

COMMANDS = (
    ["snapshot", "{}", "--at", "2024-12-07"],
    ["timeline", "{}", "homs"],
    ["explain", "{}", "homs", "--at", "2024-12-07"],
    ["diff", "{}", "--at", "2024-12-06"],
    ["export", "{}", "--as", "acled"],
    ["verify", "{}"],
    ["repair", "{}"],
)


def _sqlite_ledger(path: Path) -> Path:
    seed = load_seed()
    with open_ledger(path, create=True, gazetteer="syria") as ledger:
        ledger.register(*seed.registries.sources, *seed.registries.documents.values())
        ledger.extend(seed.claims())
    return path


def _damaged_pages(path: Path) -> Path:
    _sqlite_ledger(path)
    data = bytearray(path.read_bytes())
    for offset in range(4096 + 100, len(data), 97):  # every page but the header
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


BAD_FILES = {
    "directory.jsonl": lambda p: p.mkdir() or p,
    "latin1.claims.jsonl": lambda p: p.write_bytes(b'{"record":"header","n":"\xe9"}\n') and p,
    "binary.sqlite": lambda p: p.write_bytes(bytes(range(256)) * 40) and p,
    "empty.sqlite": lambda p: p.touch() or p,
    "empty.claims.jsonl": lambda p: p.touch() or p,
    "text.sqlite": lambda p: p.write_text("not a database\n") and p,
    "garbage.jsonl": lambda p: p.write_bytes(b"\x00\xff{{{\n") and p,
    "damaged.sqlite": _damaged_pages,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_no_command_shows_a_traceback_on_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], name: str
) -> None:
    path = BAD_FILES[name](tmp_path / name)
    code = main([part.replace("{}", str(path)) for part in command])
    out, err = capsys.readouterr()
    assert code in (_exits.USER_ERROR, _exits.INTEGRITY), err
    assert err.startswith("conflict-ledger: error: "), err
    assert "Traceback" not in err + out
    assert "internal error" not in err


def test_a_damaged_sqlite_ledger_is_an_integrity_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _damaged_pages(tmp_path / "l.sqlite")
    assert main(["verify", str(path)]) == _exits.INTEGRITY
    assert str(path) in capsys.readouterr().err


def test_an_internal_error_is_one_line_and_exit_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> str:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "_run", broken)
    assert main(["snapshot", SEED, "--at", "2024-12-07"]) == _exits.INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("conflict-ledger: error: internal error (ZeroDivisionError")
    assert "Traceback" not in err


def test_an_interrupt_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(args: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", interrupted)
    assert main(["snapshot", SEED, "--at", "2024-12-07"]) == _exits.INTERRUPTED
    assert capsys.readouterr().err == "conflict-ledger: interrupted\n"


def test_a_closed_output_exits_141_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["snapshot", SEED, "--at", "2024-12-07"]) == _exits.PIPE_CLOSED
    assert err.getvalue() == ""


def test_piping_into_a_reader_that_stops_shows_no_traceback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "conflict_ledger.cli", "timeline", SEED, "homs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # like `| head -0`: the reader is gone before the output
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == _exits.PIPE_CLOSED
    assert err == ""


def test_an_os_error_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "published.checkpoint"
    assert main(["verify", SEED, "--checkpoint", str(missing)]) == _exits.USER_ERROR
    err = capsys.readouterr().err
    assert str(missing) in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["snapshot", "index"])
def test_a_dataset_csv_given_as_the_ledger_says_to_ingest_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # An analyst's first try: ask the ACLED export itself. It is not a ledger, and the
    # answer must say to import it, not to rewrite it as JSON.
    data = tmp_path / "acled-export.csv"
    data.write_text("event_id_cnty,event_date\nSYR1,2024-12-07\n", encoding="utf-8")
    args = [command, str(data)] + (["--at", "2024-12-07"] if command == "snapshot" else [])
    assert main(args) == _exits.USER_ERROR
    err = capsys.readouterr().err
    assert "not JSON" not in err
    assert f"conflict-ledger ingest {data} --into" in err


def test_a_position_beyond_the_ledger_is_refused_naming_its_size(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A newcomer's trial: --position 99999 on 16 records answered "first 99999 records".
    assert main(["snapshot", SEED, "--at", "2024-12-08", "--position", "99999"]) == 1
    assert "the ledger holds 16 records" in capsys.readouterr().err
    assert main(["snapshot", SEED, "--at", "2024-12-08", "--position", "16"]) == 0


def test_an_empty_answer_says_so_rather_than_print_an_empty_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A newcomer's trial: known at a time before any report, an empty table and its legend.
    assert main(["snapshot", SEED, "--at", "2024-12-08", "--known-at", "2024-12-01"]) == 0
    out = capsys.readouterr().out
    assert "no place: no claim counts at this time, as known then" in out
    assert "status:" not in out  # no legend for an empty table


def test_a_diff_row_says_what_else_changed_when_status_and_holder_did_not() -> None:
    # A newcomer's trial: 87 of 703 rows of a diff read the same before and after.
    from conflict_ledger import Snapshot, diff, load_seed, snapshot

    before = snapshot(load_seed(), at="2024-12-07T00:00Z")
    homs = before["homs"]
    moved = attrs.evolve(homs, advancing=(*homs.advancing, "sdf"))
    after = Snapshot(at=before.at, known_at=None, position=None, places={"homs": moved})
    row = next(line for line in diff(before, after).to_text().splitlines() if "homs" in line)
    assert row.count("under_advance: syrian-government") == 2  # status and holder as before
    assert row.endswith("advancing: opposition -> opposition, sdf")
    assert "advancing: opposition -&gt; opposition, sdf" in diff(before, after)._repr_html_()


def test_an_id_given_twice_in_one_batch_is_not_said_to_be_in_the_ledger() -> None:
    # A trial: the same id twice in one batch was "already in the ledger".
    from conflict_ledger.errors import DuplicateClaimError

    ledger = load_seed()
    claim = attrs.evolve(ledger.claims()[0], id="x1")
    with pytest.raises(DuplicateClaimError, match="given twice in this batch"):
        ledger.extend([claim, claim])
    assert "x1" not in {c.id for c in ledger.claims()}
    with pytest.raises(DuplicateClaimError, match="already in the ledger"):
        ledger.extend([ledger.claims()[0]])


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"])
def test_ingest_or_convert_into_a_missing_folder_names_the_path_given(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # A trial: an internal error (exit 70); a new ledger is written beside its path first,
    # and the error must name the path given, not that one.
    target = tmp_path / "no" / "such" / f"x{suffix}"
    data = Path(__file__).parent / "data" / "acled" / "current.csv"
    for argv in (["ingest", str(data), "--into", str(target)], ["convert", SEED, str(target)]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"conflict-ledger: error: {target}: the write failed (its folder")
    assert not (tmp_path / "no").exists()
