"""Long CLI work shows its progress on a terminal: the index build (with tqdm, the
``progress`` extra, or without it a plain bar) and ``verify``; and ``index`` refuses a
read-only ledger before building anything. A newcomer's trial saw ``index`` print
nothing for 68 s and ``verify`` for 34 s on a million claims, and ``index`` build for
4.5 s (at 100k) before it found it could not save."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conflict_ledger.cli import commands, main
from conflict_ledger.codec import open_ledger
from conflict_ledger.ledger import fixed_clock
from conflict_ledger.testing.strategies import BASE, registries
from tests.test_stores_crash import make_claim


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    path = tmp_path / "l.sqlite"
    with open_ledger(path, create=True, clock=fixed_clock(BASE)) as ledger:
        regs = registries()
        ledger.register(*regs.places, *regs.actors, *regs.sources)
        ledger.extend([make_claim(f"c{i}", i) for i in range(30)])
    return path


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stderr a terminal, and 10 records long work."""
    monkeypatch.setattr(commands, "_terminal", lambda: True)
    monkeypatch.setattr(commands, "LONG", 10)


def test_verify_reports_its_progress(ledger_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with open_ledger(ledger_path) as ledger:
        ledger.verify(progress=lambda done, total: seen.append((done, total)))
    assert seen == [(30, 30)]  # every 10,000 records, and at the end


@pytest.mark.usefixtures("terminal")
def test_the_index_command_shows_a_plain_bar_without_tqdm(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # the progress extra not installed
    monkeypatch.setattr("conflict_ledger.engine._intake._REPORTED", 10)
    assert main(["index", str(ledger_path)]) == 0
    err = capsys.readouterr().err
    assert "[##############################] 30/30 records read into the index" in err


@pytest.mark.usefixtures("terminal")
def test_verify_shows_a_bar_on_a_terminal(
    ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(ledger_path)]) == 0
    captured = capsys.readouterr()
    assert "30/30 records checked" in captured.err
    assert captured.out.startswith("ok: 30 records")


def test_verify_shows_no_bar_when_stderr_is_not_a_terminal(
    ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(ledger_path)]) == 0
    assert "records checked" not in capsys.readouterr().err


def test_the_index_command_refuses_a_read_only_ledger_before_building(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from conflict_ledger.cli import index as index_command

    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real(p, mode))

    def built(*args: object, **kwargs: object) -> None:
        raise AssertionError("the index was built")

    monkeypatch.setattr(index_command, "index_of", built)
    monkeypatch.setattr(commands, "index_of", built)
    assert main(["index", str(ledger_path)]) == 1
    err = capsys.readouterr().err
    assert "read-only: the index cannot be saved in it" in err
    assert "Traceback" not in err
