"""The package's public names: sorted, complete, documented."""

from __future__ import annotations

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


def test_importing_the_library_reads_no_optional_dependency():
    code = (
        "import sys, conflict_ledger\n"
        "heavy = {'hypothesis', 'pandas', 'matplotlib', 'duckdb', 'polars'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_public_class_and_function_shows_a_runnable_example():
    lacking = [
        name
        for name in conflict_ledger.__all__
        if (inspect.isclass(value := getattr(conflict_ledger, name)) or inspect.isfunction(value))
        and ">>>" not in (inspect.getdoc(value) or "")
    ]
    assert lacking == []
