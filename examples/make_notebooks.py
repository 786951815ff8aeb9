"""Build each example notebook from its script (the scripts are the source of truth).

A script is split into cells at ``# %%`` lines; ``# %% [markdown]`` cells are comment
lines turned into Markdown. Run ``python examples/make_notebooks.py`` after editing a
script; the test suite checks the notebooks are up to date and executes them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).parent
SCRIPTS = ("seed_replay.py", "acled_front_line.py")


def notebook(script: Path) -> nbformat.NotebookNode:
    """The notebook made of ``script``'s cells."""
    cells = []
    kind, lines = None, []
    for line in [*script.read_text(encoding="utf-8").splitlines(), "# %%"]:
        if line.startswith("# %%"):
            text = "\n".join(lines).strip("\n")
            if kind == "markdown":
                cells.append(nbformat.v4.new_markdown_cell(text))
            elif kind == "code" and text:
                cells.append(nbformat.v4.new_code_cell(text))
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
            continue
        if kind == "markdown":
            line = line.removeprefix("# ").removeprefix("#")
        else:  # a notebook shows a cell's last value: the script's lint waiver is not needed
            line = line.split("  # noqa", 1)[0]
        lines.append(line)
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for index, cell in enumerate(book.cells):
        cell.id = f"{script.stem}-{index}"
    return book


def main() -> int:
    for name in SCRIPTS:
        script = HERE / name
        nbformat.write(notebook(script), script.with_suffix(".ipynb"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
