"""run.sh installs only the library, and only when pyproject.toml changed; test.sh the toolchain."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _fake_venv(folder: Path, venv: str, log: Path) -> None:
    """A venv whose python logs the pip commands it is given and whose CLI echoes."""
    bin_ = folder / venv / "bin"
    bin_.mkdir(parents=True)
    for name, body in (
        ("python", f'echo "$@" >> "{log}"\n'),
        ("conflict-ledger", 'echo "conflict-ledger $1"\n'),
    ):
        path = bin_ / name
        path.write_text(f"#!/bin/sh\n{body}")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize(
    ("script", "venv", "install"),
    [("run.sh", ".venv-run", "-e ."), ("test.sh", ".venv", "-e .[dev]")],
)
def test_pip_runs_once_until_pyproject_changes(
    tmp_path: Path, script: str, venv: str, install: str
) -> None:
    shutil.copy(ROOT / script, tmp_path / script)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    log = tmp_path / "pip.log"
    _fake_venv(tmp_path, venv, log)

    def run() -> list[str]:
        subprocess.run(["sh", script], cwd=tmp_path, check=True, capture_output=True)
        lines = log.read_text().splitlines() if log.exists() else []
        return [line for line in lines if "pip install" in line]

    first = run()
    assert len(first) == 1
    assert first[0].endswith(f"install --quiet --disable-pip-version-check {install}")
    assert run() == first  # nothing changed: no pip
    with (tmp_path / "pyproject.toml").open("a") as handle:
        handle.write("\n# a new dependency\n")
    assert len(run()) == 2


def test_the_main_job_installs_no_extra() -> None:
    text = (ROOT / "run.sh").read_text()
    assert "[dev]" not in text
    assert "pip install --quiet --disable-pip-version-check -e .\n" in text
