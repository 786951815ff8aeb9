"""Indexing a large batch runs with the cyclic garbage collector paused, and leaves it as
it found it (the index builds nothing a collection could free)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from conflict_ledger import Captured, Claim, SourceChain, ValidTime
from conflict_ledger.engine import AsOfIndex, _intake
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.testing.strategies import BASE, registries


def _ledger(count: int) -> Ledger:
    ledger = Ledger(registries=registries(), clock=fixed_clock(BASE))
    ledger.extend(
        Claim(
            id=f"c{i}",
            event=Captured(place=f"p{i % 3}", actor=f"a{i % 2}"),
            valid=ValidTime.exact(BASE.add(hours=i)),
            reported_at=BASE.add(hours=i + 1),
            source=SourceChain.of("s0"),
        )
        for i in range(count)
    )
    return ledger


@pytest.fixture
def collections() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(phase)

    gc.callbacks.append(count)
    try:
        yield seen
    finally:
        gc.callbacks.remove(count)


def _indexed(ledger: Ledger, collections: list[str]) -> tuple[int, bool, dict[str, str | None]]:
    """Collections while indexing ``ledger`` and answering, the collector's state after,
    and the answer."""
    gc.collect()
    collections.clear()
    index = AsOfIndex(ledger)
    holders = dict(index.holders(at=BASE.add(hours=3_000)))
    return len(collections), gc.isenabled(), holders


@pytest.mark.parametrize("enabled", [True, False])
def test_a_large_batch_is_indexed_with_the_collector_paused(
    collections: list[str], enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = _ledger(3_000)
    # The collector is paused only in a process with one thread (another thread may need
    # it); earlier tests in the same run may have left threads behind.
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        paused, state, holders = _indexed(ledger, collections)
        monkeypatch.setattr(_intake, "_LARGE", 10**9)
        unpaused, _, same = _indexed(ledger, collections)
    finally:
        (gc.enable if was else gc.disable)()
    # at most the one collection each paused stretch owes when the collector resumes
    assert paused <= 2 < unpaused if enabled else paused == unpaused == 0
    assert state == enabled
    assert holders == same == {"p0": "a1", "p1": "a0", "p2": "a1"}


def test_a_small_batch_leaves_the_collector_alone(collections: list[str]) -> None:
    index = AsOfIndex(_ledger(10))
    paused = []
    original = gc.disable
    try:
        gc.disable = lambda: paused.append(True)  # type: ignore[assignment]
        index.ledger.extend(_ledger(12).claims()[10:])
        index.holders(at=BASE)
    finally:
        gc.disable = original  # type: ignore[assignment]
    assert paused == []
