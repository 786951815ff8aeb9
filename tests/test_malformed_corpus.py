"""A CI-sized run of the malformed-input corpus (benchmarks/malformed.py prints the full one)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import malformed


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[malformed.Outcome]:
    inputs = malformed.corpus(340, seed=2026, generated=1)
    return malformed.run(inputs, tmp_path_factory.mktemp("corpus"))


def test_the_corpus_covers_every_kind_of_damage(outcomes: list[malformed.Outcome]) -> None:
    kinds = {outcome.kind for outcome in outcomes}
    assert kinds >= {*malformed.TARGETED, "string as aliases", "bad header"}
    assert kinds & set(malformed.RANDOM_KINDS)


def test_every_input_is_a_typed_error_through_the_api(outcomes: list[malformed.Outcome]) -> None:
    table = malformed.figures(outcomes)["all"]
    assert table.untyped == ()
    assert table.typed_api == table.inputs


def test_no_invalid_input_is_accepted(outcomes: list[malformed.Outcome]) -> None:
    accepted = [o for o in outcomes if o.api == "accepted" and o.kind not in malformed.RANDOM_KINDS]
    assert accepted == []


def test_the_command_line_gives_a_typed_error_and_never_a_traceback(
    outcomes: list[malformed.Outcome],
) -> None:
    table = malformed.figures(outcomes)["all"]
    assert table.tracebacks == 0
    assert table.typed_cli == table.inputs
    assert [o for o in outcomes if o.cli == "internal"] == []


def test_the_error_names_the_damaged_line(outcomes: list[malformed.Outcome]) -> None:
    table = malformed.figures(outcomes)["all"]
    assert table.lined > 200
    assert table.named == table.lined


def test_the_corpus_is_the_same_for_the_same_seed() -> None:
    first = [(i.kind, i.data) for i in malformed.corpus(30, seed=5, generated=1)]
    again = [(i.kind, i.data) for i in malformed.corpus(30, seed=5, generated=1)]
    assert first == again
