"""The folder tree shows the layers, and the layers import downward only: the rules
(``conflict_ledger/rules/``) import nothing above them, and only the layers above the
display (adapters, CLI, the package's re-exports) import ``conflict_ledger/display/``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import conflict_ledger as cl

SRC = Path(cl.__file__).resolve().parent

# What sits above the rules: the as-of queries and the oracle built on them, the engine,
# the one door, the displays and their registry, and everything above those.
ABOVE_RULES = (
    "asof",
    "reference",
    "engine",
    "queries",
    "table",
    "blocs",
    "forecasts",
    "hierarchy",
    "_display",
    "display",
    "adapters",
    "testing",
    "cli",
)
ABOVE_DISPLAY = ("adapters", "cli")
# The modules that may import the displays: the layers above them, and the package
# ``__init__`` (importing it registers the renderers).
DISPLAY_USERS = ("display", "adapters", "cli")


def _imported(module: Path) -> set[str]:
    """Every ``conflict_ledger`` module ``module`` imports, at its top or in a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("conflict_ledger.")}


def _layer(name: str) -> str:
    """``conflict_ledger.engine.index`` -> ``engine``."""
    return name.split(".")[1]


def _modules(folder: str) -> list[Path]:
    return sorted((SRC / folder).glob("*.py"))


@pytest.mark.parametrize("module", _modules("rules"), ids=lambda path: path.name)
def test_the_rules_import_nothing_above_them(module):
    upward = {name for name in _imported(module) if _layer(name) in ABOVE_RULES}
    assert upward == set()


@pytest.mark.parametrize("module", _modules("display"), ids=lambda path: path.name)
def test_the_displays_import_nothing_above_them(module):
    upward = {name for name in _imported(module) if _layer(name) in ABOVE_DISPLAY}
    assert upward == set()


def test_only_the_layers_above_the_display_import_it():
    importers = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path != SRC / "__init__.py"
        and not str(path.relative_to(SRC)).startswith(DISPLAY_USERS)
        and any(_layer(name) == "display" for name in _imported(path))
    }
    assert importers == set()


def test_the_layer_packages_import_none_of_their_modules():
    # asof imports the display registry and the rules import each other: an __init__
    # that imported its modules would pull a layer in whole and could make a circle.
    for folder in ("rules", "display"):
        assert _imported(SRC / folder / "__init__.py") == set()
