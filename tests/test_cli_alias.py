"""The ``conflict-ledger alias`` command: more names for an entry, from the command line, in a
claims file and in a SQLite or JSON Lines ledger; refused names change nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conflict_ledger.cli import main
from conflict_ledger.codec import open_ledger
from conflict_ledger.saving import convert

SEED = Path(__file__).resolve().parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(params=[".claims.jsonl", ".jsonl", ".sqlite"])
def ledger_path(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    claims = tmp_path / "war.claims.jsonl"
    shutil.copy(SEED, claims)
    if request.param == ".claims.jsonl":
        return str(claims)
    target = tmp_path / f"war{request.param}"
    convert(claims, target)
    return str(target)


def test_an_alias_added_from_the_command_line_is_kept_and_queried(
    capsys: pytest.CaptureFixture[str], ledger_path: str
) -> None:
    code, out, _ = run(capsys, "alias", ledger_path, "deir-ez-zor", "Deir Zorr", "Dair Zorr")
    assert (code, out) == (
        0,
        "place deir-ez-zor (Deir ez-Zor) is now also called: Deir Zorr, Dair Zorr\n",
    )
    code, out, _ = run(capsys, "timeline", ledger_path, "Dair Zorr")
    assert code == 0
    assert "Timeline of deir-ez-zor" in out
    with open_ledger(ledger_path) as ledger:
        assert ledger.registries.places.id_of("deir zorr") == "deir-ez-zor"
    code, out, _ = run(capsys, "alias", ledger_path, "Deir Zorr", "deir zorr", "--format", "json")
    assert code == 0
    assert json.loads(out)["aliases"][-2:] == ["Deir Zorr", "Dair Zorr"]
    if not ledger_path.endswith(".claims.jsonl"):
        code, out, _ = run(capsys, "verify", ledger_path)
        assert code == 0, out


def test_a_name_of_another_entry_is_refused_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], ledger_path: str
) -> None:
    before = Path(ledger_path).read_bytes()
    code, out, err = run(capsys, "alias", ledger_path, "homs", "Homs city", "Hama")
    assert (code, out) == (1, "")
    assert "aliases='Hama': this name already names 'hama'" in err
    assert Path(ledger_path).read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("homz", "X"), "unknown place, actor or source 'homz' (field of); did you mean: homs?"),
        (("homs", "..."), "aliases='...': an alias needs a letter or a digit"),
        (("homs", "X", "--kind", "actor"), "unknown actor 'homs' (field of)"),
    ],
)
def test_refusals_name_field_value_and_what_to_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    path = tmp_path / "war.claims.jsonl"
    shutil.copy(SEED, path)
    code, _, err = run(capsys, "alias", str(path), *args)
    assert code == 1
    assert message in err
    assert "Traceback" not in err
