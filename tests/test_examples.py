"""The examples cannot rot: the notebooks match their scripts, and both run end to end."""

from __future__ import annotations

import importlib.util
import json
import os
import runpy
from pathlib import Path

import nbclient
import nbformat
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = ("seed_replay.py", "acled_front_line.py")


def _maker():
    spec = importlib.util.spec_from_file_location("make_notebooks", EXAMPLES / "make_notebooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("script", SCRIPTS)
def test_notebook_is_built_from_its_script(script: str) -> None:
    built = nbformat.writes(_maker().notebook(EXAMPLES / script))
    on_disk = (EXAMPLES / script).with_suffix(".ipynb").read_text(encoding="utf-8")
    assert json.loads(built) == json.loads(on_disk), "run python examples/make_notebooks.py"


@pytest.mark.parametrize("script", SCRIPTS)
def test_notebook_executes_end_to_end(script: str, tmp_path: Path) -> None:
    book = nbformat.read((EXAMPLES / script).with_suffix(".ipynb"), as_version=4)
    client = nbclient.NotebookClient(
        book, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = {kind for o in outputs for kind in o.get("data", {})}
    assert {"image/png", "text/html"} <= kinds
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) != []


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_runs_end_to_end(script: str, tmp_path: Path) -> None:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        runpy.run_path(str(EXAMPLES / script), run_name="__main__")
    finally:
        os.chdir(cwd)
    pictures = sorted(p.name for p in (tmp_path / "out").glob("*.png"))
    assert pictures == sorted(
        {
            "seed_replay.py": ["seed-timeline.png", "seed-map.png"],
            "acled_front_line.py": ["acled-front-line.png", "acled-days.png"],
        }[script]
    )
