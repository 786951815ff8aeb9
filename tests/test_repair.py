"""``repair`` is idempotent and never loses a byte, on every torn tail the crash tests make.

The torn tails are those of ``test_stores_crash.py``: every prefix of the bytes each of
eight JSON Lines batches writes. For each one, ``repair`` runs twice; then the same torn
write happens again at the same offset and is repaired again (into a second side file,
where it once raised ``FileExistsError``). After each step, the ledger's bytes and the
side files' bytes together are exactly every byte ever written.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest

from conflict_ledger.cli import main
from conflict_ledger.stores import JsonlStore

from .test_stores_crash import build_jsonl, make_claim


def _sides(path: Path) -> dict[str, bytes]:
    return {side.name: side.read_bytes() for side in path.parent.glob(f"{path.name}.torn-*")}


def test_repair_twice_on_every_torn_tail_of_the_crash_tests_keeps_every_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # bytes, not power cuts, are tested here
    rng = random.Random(3)  # the batches of the crash-point test
    batches = [[make_claim(f"b{b}-{i}", b) for i in range(rng.randint(1, 3))] for b in range(8)]
    source = tmp_path / "l.jsonl"
    ends = build_jsonl(source, batches)
    whole = source.read_bytes()
    # ~11,000 cases of a few small file operations each: in memory where the OS has it
    memory = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(dir=memory if memory.is_dir() else tmp_path))
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    crash = folder / "l.jsonl"
    torn_cases = 0
    for done in range(len(batches)):
        in_flight = whole[ends[done] : ends[done + 1]]
        for cut in range(1, len(in_flight)):
            for side in crash.parent.glob("l.jsonl.torn-*"):
                side.unlink()
            crash.write_bytes(whole[: ends[done]] + in_flight[:cut])
            store = JsonlStore(crash)
            try:
                if store.torn is None:  # the first batch cut just after its header line
                    continue
                offset = store.torn.offset
                kept, tail = whole[:offset], whole[offset : ends[done] + cut]
                first = store.repair()
                assert first is not None
                assert first.name == f"l.jsonl.torn-{offset}"
                assert store.repair() is None  # twice: nothing more to move
                assert crash.read_bytes() == kept
                assert _sides(crash) == {first.name: tail}
                with crash.open("ab") as handle:  # the same torn write, at the same offset
                    handle.write(tail)
                again = JsonlStore(crash)
                second = again.repair()
                again.close()
                assert second is not None
                assert second.name == f"{first.name}.2"
                assert store.repair() is None
                assert crash.read_bytes() == kept
                assert _sides(crash) == {first.name: tail, second.name: tail}
                assert store.size() == sum(map(len, batches[:done]))
                assert store.torn is None
            finally:
                store.close()
            torn_cases += 1
    # every cut inside a batch's bytes, less the one just after the header line
    assert torn_cases == sum(ends[d + 1] - ends[d] - 1 for d in range(len(batches))) - 1


def test_the_cli_repairs_twice_and_says_there_is_nothing_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "l.jsonl"
    ends = build_jsonl(path, [[make_claim(f"c{i}", i)] for i in range(3)])
    whole = path.read_bytes()
    with path.open("ab") as handle:
        handle.write(b'{"hash":"00')
    assert main(["repair", str(path)]) == 0
    assert main(["repair", str(path)]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first == f"moved the torn write to {path}.torn-{ends[3]}"
    assert second == "nothing to repair"
    assert path.read_bytes() == whole
