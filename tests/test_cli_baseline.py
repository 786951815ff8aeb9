"""The ``conflict-ledger baseline`` command: a baseline from the command line, shown by diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import conflict_ledger as cl
from conflict_ledger.adapters import files
from conflict_ledger.cli import main

SEED = Path(__file__).resolve().parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def claims_file(tmp_path: Path) -> str:
    target = tmp_path / "war.claims.jsonl"
    shutil.copy(SEED, target)
    return str(target)


def test_a_baseline_written_from_the_command_line_fills_the_diffs_before_column(
    capsys: pytest.CaptureFixture[str], claims_file: str
) -> None:
    code, out, _ = run(
        capsys, "baseline", claims_file, "--source", "ISW-CTP", "--source-kind", "analyst",
        "--at", "2024-11-26", "--hold", "Aleppo=syrian-government",
        "--hold", "Deir el-Zor=Assad's forces", "--title", "ISW-CTP map, 26 Nov 2024",
    )  # fmt: skip
    assert code == 0
    assert "baseline/isw-ctp/2024-11-26/deir-ez-zor" in out
    # the time as every answer prints it: in --tz (UTC here), with its offset
    assert out.splitlines()[0] == (
        "added 2 baseline claims from ISW-CTP at 2024-11-26 00:00 +00:00; times in UTC"
    )
    code, out, _ = run(capsys, "diff", claims_file, "--at", "2024-11-27", "--to", "2024-12-09")
    before = {line.split()[0]: line.split()[1:3] for line in out.splitlines()[2:]}
    assert before["aleppo"] == ["held:", "syrian-government"]
    assert before["hama"][0] == "-"
    ledger, gazetteer = files.open_ledger(claims_file)
    assert gazetteer == "syria"
    claim = ledger.claim("baseline/isw-ctp/2024-11-26/aleppo")
    assert cl.is_baseline(claim)
    assert claim.note == "baseline: ISW-CTP map, 26 Nov 2024"
    assert ledger.registries.sources.resolve("ISW-CTP").kind is cl.SourceKind.ANALYST


def test_a_baseline_reads_a_csv_and_answers_in_json(
    capsys: pytest.CaptureFixture[str], claims_file: str, tmp_path: Path
) -> None:
    holders = tmp_path / "holders.csv"
    holders.write_text("place,actor\nHoms,syrian-government\nHama,syrian-government\n")
    code, out, _ = run(
        capsys, "baseline", claims_file, "--source", "reuters", "--at", "2024-11-26 18:00",
        "--tz", "Asia/Damascus", "--from", str(holders), "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == [
        {
            "claim": "baseline/reuters/2024-11-26/homs",
            "place": "homs",
            "actor": "syrian-government",
        },
        {
            "claim": "baseline/reuters/2024-11-26/hama",
            "place": "hama",
            "actor": "syrian-government",
        },
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "nobody", "--hold", "Homs=sdf"), "unknown source 'nobody'"),
        (("--source", "reuters", "--hold", "Homs"), "not PLACE=ACTOR"),
        (("--source", "reuters", "--hold", "Atlantis=sdf"), "unknown place 'Atlantis'"),
        (("--source", "reuters", "--hold", "Homs=martians"), "unknown actor 'martians'"),
        (("--source", "new", "--source-kind", "blog", "--hold", "Homs=sdf"), "newspaper, agency"),
    ],
)
def test_a_bad_baseline_is_refused_with_what_to_do_and_the_file_is_unchanged(
    capsys: pytest.CaptureFixture[str], claims_file: str, args: tuple[str, ...], message: str
) -> None:
    before = Path(claims_file).read_bytes()
    code, out, err = run(capsys, "baseline", claims_file, "--at", "2024-11-26", *args)
    assert (code, out) == (1, "")
    assert message in err
    assert Path(claims_file).read_bytes() == before


def test_a_baseline_goes_into_a_sqlite_ledger(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(tmp_path / "war.sqlite")
    with cl.open_ledger(path, gazetteer="syria", create=True) as ledger:
        ledger.register(cl.Source(id="isw", name="ISW", kind="analyst"))
    code, _, _ = run(capsys, "baseline", path, "--source", "isw", "--at", "2024-11-26",
                     "--hold", "Homs=syrian-government")  # fmt: skip
    assert code == 0
    with cl.open_ledger(path) as ledger:
        assert cl.snapshot(ledger, at="2024-11-27T00:00Z")["homs"].holder == "syrian-government"


def test_a_place_held_twice_on_the_command_line_is_contested(
    capsys: pytest.CaptureFixture[str], claims_file: str
) -> None:
    code, _, _ = run(
        capsys, "baseline", claims_file, "--source", "reuters", "--at", "2024-11-26",
        "--hold", "Homs=syrian-government", "--hold", "Hims=opposition fighters",
        "--hold", "Homs=syrian-government",
    )  # fmt: skip
    assert code == 0
    ledger, _ = files.open_ledger(claims_file)
    assert cl.snapshot(ledger, at="2024-11-27T00:00Z")["homs"].status is cl.Status.CONTESTED


def test_a_rejected_baseline_registers_no_source_in_a_durable_ledger(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(tmp_path / "war.sqlite")
    with cl.open_ledger(path, gazetteer="syria", create=True) as ledger:
        ledger.register(cl.Source(id="reuters", name="Reuters", kind="agency"))
    code, _, err = run(
        capsys, "baseline", path, "--source", "New map", "--source-kind", "analyst",
        "--at", "2024-11-26", "--hold", "Homs=martians",
    )  # fmt: skip
    assert code == 1
    assert "unknown actor 'martians'" in err
    with cl.open_ledger(path) as again:
        assert "new-map" not in again.registries.sources
    # A known source named by its name is not registered again, whatever --source-kind says.
    code, _, _ = run(
        capsys, "baseline", path, "--source", "Reuters", "--source-kind", "analyst",
        "--at", "2024-11-26", "--hold", "Homs=syrian-government",
    )  # fmt: skip
    assert code == 0
