"""The pytest plugin's fixtures and profile, and the library without the ``testing`` extra."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

from hypothesis import settings

from conflict_ledger import Ledger, load_seed
from conflict_ledger.pytest_plugin import PROFILE

# Run in a fresh interpreter in which importing hypothesis fails, as without the extra.
WITHOUT_HYPOTHESIS = textwrap.dedent(
    """
    import sys
    from importlib.abc import MetaPathFinder

    class NoHypothesis(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "hypothesis" or name.startswith("hypothesis."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NoHypothesis())
    """
)


def run_python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_the_library_imports_and_works_without_hypothesis():
    result = run_python(
        WITHOUT_HYPOTHESIS
        + textwrap.dedent(
            """
            import conflict_ledger as cl
            import conflict_ledger.pytest_plugin
            snap = cl.snapshot(cl.load_seed(), at="2024-12-07T00:00Z")
            print(snap["deir-ez-zor"].holder, "hypothesis" in sys.modules)
            """
        )
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sdf", "False"]


def test_the_testing_kit_without_hypothesis_names_the_extra_to_install():
    result = run_python(
        WITHOUT_HYPOTHESIS
        + textwrap.dedent(
            """
            try:
                import conflict_ledger.testing
            except ImportError as error:
                print(type(error).__name__, "|", error)
            """
        )
    )
    assert result.returncode == 0, result.stderr
    name, message = result.stdout.strip().split(" | ")
    assert name == "MissingExtraError"
    assert "pip install 'conflict-ledger[testing]'" in message
    assert "needs hypothesis" in message


def test_the_plugin_is_installed_as_a_pytest11_entry_point():
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("conflict_ledger") == "conflict_ledger.pytest_plugin"


def test_the_ci_profile_is_registered_thorough_and_reproducible():
    profile = settings.get_profile(PROFILE)
    assert profile.derandomize is True
    assert profile.deadline is None
    assert profile.max_examples >= 100


def test_the_fixtures_work_in_a_users_test_suite(tmp_path):
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            from conflict_ledger import load_seed


            def test_empty(empty_ledger):
                assert len(empty_ledger) == 0
                assert "deir-ez-zor" in empty_ledger.registries.places


            def test_seed(seed_ledger):
                assert seed_ledger.claims() == load_seed().claims()


            def test_generated(generated_ledger, request):
                kinds = {r.claim.event.kind for r in generated_ledger}
                assert len(generated_ledger) >= 8 and len(kinds) >= 3
                print("IDS", request.node.name, [r.claim.id for r in generated_ledger])
            """
        ),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider"]
    command += ["--hypothesis-profile", PROFILE, "test_user.py"]
    runs = [
        subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
        for _ in range(2)
    ]
    for run in runs:
        assert "3 passed" in run.stdout, run.stdout + run.stderr
    drawn = [[line for line in run.stdout.splitlines() if "IDS" in line] for run in runs]
    assert drawn[0] == drawn[1]  # the same test gets the same ledger every run


def test_the_seed_fixture_is_the_seed_ledger(seed_ledger: Ledger):
    assert seed_ledger.claims() == load_seed().claims()


def test_the_empty_fixture_resolves_gazetteer_names(empty_ledger: Ledger):
    assert empty_ledger.registries.places.resolve("Deir el-Zor").id == "deir-ez-zor"
    assert len(empty_ledger) == 0
