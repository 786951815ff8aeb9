"""The package's public names: sorted, complete, documented."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys

import conflict_ledger


def test_all_is_sorted_and_names_exactly_the_public_names():
    # isort-style, as ruff keeps it: CONSTANTS, then Classes, then functions.
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert conflict_ledger.__all__ == sorted(conflict_ledger.__all__, key=kind)
    public = {n for n in vars(conflict_ledger) if not n.startswith("_")}
    modules = {n for n in public if inspect.ismodule(getattr(conflict_ledger, n))}
    assert set(conflict_ledger.__all__) == public - modules


def test_every_public_name_has_a_docstring():
    for name in conflict_ledger.__all__:
        value = getattr(conflict_ledger, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name


def _loaded_by(imports: str, modules: set[str]) -> list[str]:
    """Which of ``modules`` a new interpreter has loaded after ``import {imports}``."""
    code = f"import sys, {imports}\nprint(sorted({sorted(modules)!r} & sys.modules.keys()))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(ast.literal_eval(done.stdout))


def test_importing_the_library_reads_no_optional_dependency():
    heavy = {"hypothesis", "pandas", "matplotlib", "duckdb", "polars"}
    assert _loaded_by("conflict_ledger", heavy) == []


def test_every_public_class_and_function_shows_a_runnable_example():
    lacking = [
        name
        for name in conflict_ledger.__all__
        if (inspect.isclass(value := getattr(conflict_ledger, name)) or inspect.isfunction(value))
        and ">>>" not in (inspect.getdoc(value) or "")
    ]
    assert lacking == []


def test_a_question_to_a_stored_ledger_starts_without_numpy_or_the_file_adapters():
    # numpy comes with the first table, the ACLED/UCDP readers with a command that reads
    # or writes files: the CLI's answers start about 0.1 s sooner without them.
    later = {"numpy", "conflict_ledger.adapters.acled", "conflict_ledger.adapters.files"}
    assert _loaded_by("conflict_ledger, conflict_ledger.cli", later) == []
