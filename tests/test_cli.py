"""The conflict-ledger command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conflict_ledger import asof, reference
from conflict_ledger.cli import commands as cli
from conflict_ledger.cli import main

SEED = str(Path(__file__).resolve().parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_snapshot_prints_a_table_of_places(capsys):
    code, out, _ = run(capsys, "snapshot", SEED, "--at", "2024-12-07")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("deir-ez-zor"))
    assert row.split()[1:3] == ["held", "sdf"]


def test_snapshot_as_json_is_machine_readable(capsys):
    code, out, _ = run(
        capsys,
        "snapshot",
        SEED,
        "--at",
        "2024-12-06 20:00",
        "--tz",
        "Asia/Damascus",
        "--known-at",
        "2024-12-07 12:00",
        "--format",
        "json",
    )
    states = {s["place"]: s for s in json.loads(out)}
    assert code == 0
    assert (states["homs"]["status"], states["homs"]["holder"]) == (
        "under_advance",
        "syrian-government",
    )


def test_timeline_accepts_an_alias_and_explain_lists_the_claims(capsys):
    code, out, _ = run(capsys, "timeline", SEED, "Deir el-Zor")
    assert code == 0
    assert "changing" in out
    assert "held" in out
    code, out, _ = run(capsys, "explain", SEED, "albukamal", "--at", "2024-12-08")
    assert code == 0
    assert "forecast" in out
    assert "dawn-2024-12-07/c08" in out


def test_explain_asks_the_door_and_prints_what_the_fold_would(capsys, monkeypatch):
    args = ("explain", SEED, "Homs", "--at", "2024-12-07", "--known-at", "2024-12-06T00:00Z")
    with monkeypatch.context() as folding:
        folding.setattr(cli, "explain", reference.explain)
        code, folded, _ = run(capsys, *args, "--format", "json")
    assert code == 0
    assert "after known_at" in folded

    def no_fold(*args, **kwargs):
        raise AssertionError("the CLI folded the whole ledger")

    monkeypatch.setattr(asof, "_records", no_fold)  # how the fold reads every record
    assert run(capsys, *args, "--format", "json") == (0, folded, "")


def test_diff_shows_what_changed_in_knowledge(capsys):
    code, out, _ = run(
        capsys,
        "diff",
        SEED,
        "--at",
        "2024-12-08",
        "--known-at",
        "2024-12-06",
        "--to-known-at",
        "2024-12-08",
        "--format",
        "json",
    )
    changes = json.loads(out)
    assert code == 0
    assert {c["place"] for c in changes} >= {"deir-ez-zor", "homs", "aleppo"}
    assert all(c["before"] is None for c in changes)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("snapshot", "missing.jsonl", "--at", "2024-12-07"), "no such file"),
        (("snapshot", SEED, "--at", "7 December"), "--at"),
        (("timeline", SEED, "Dayr az-Zor"), "did you mean: deir-ez-zor"),
    ],
)
def test_errors_are_clear_and_exit_1(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, "")
    assert message in err


def test_bad_usage_exits_2_and_help_shows_examples(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["snapshot", SEED])
    assert caught.value.code == 2
    with pytest.raises(SystemExit):
        main(["snapshot", "--help"])
    assert "examples:" in capsys.readouterr().out


def test_the_installed_command_runs():
    done = subprocess.run(
        [sys.executable, "-m", "conflict_ledger.cli", "snapshot", SEED, "--at", "2024-12-07"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "jaber-nassib" in done.stdout


def test_a_policy_can_be_chosen_and_a_bad_one_is_refused(capsys):
    code, out, _ = run(
        capsys, "explain", SEED, "deir-ez-zor", "--at", "2024-12-08", "--policy", "corroborated:2"
    )
    assert code == 0
    assert "corroboration_required(2)" in out
    assert out.splitlines()[0].startswith("deir-ez-zor: unknown")
    code, out, err = run(capsys, "snapshot", SEED, "--at", "2024-12-08", "--policy", "loudest")
    assert (code, out) == (1, "")
    assert "corroborated:N" in err
