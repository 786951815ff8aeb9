"""Crashes, torn writes, corrupted bytes and concurrent writers, for the durable stores.

Kill-the-writer trials come in two kinds. *Enumerated crash points*: every prefix of the
bytes a JSON Lines batch writes (what a crash can leave on disk), and WAL files cut at
frame boundaries and inside frames for SQLite (what a power cut can leave). *Real kills*:
a forked writer appending in a loop is sent SIGKILL after a random delay. In both, no
acknowledged claim may be lost and the ledger must open.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from conflict_ledger import Captured, Claim, Retraction, SourceChain, ValidTime
from conflict_ledger.codec import open_ledger, verify_ledger
from conflict_ledger.errors import LedgerError
from conflict_ledger.ledger import fixed_clock
from conflict_ledger.stores import IntegrityError, JsonlStore, SqliteStore, TornWriteError
from conflict_ledger.testing.strategies import BASE, registries

REGISTRIES = registries()
CLOCK = fixed_clock(BASE)


def make_claim(name: str, hour: int = 0) -> Claim:
    return Claim(
        id=name,
        event=Captured(place=f"p{hour % 3}", actor="a1"),
        valid=ValidTime.exact(BASE.add(hours=hour)),
        reported_at=BASE.add(hours=hour + 1),
        source=SourceChain.of("s0"),
    )


def retraction(name: str, target: str) -> Claim:
    """A claim retracting ``target``, reported after every claim :func:`make_claim` makes
    in these tests."""
    return Claim(
        id=name,
        event=Retraction(target=target),
        valid=ValidTime.exact(BASE.add(hours=500)),
        reported_at=BASE.add(hours=500),
        source=SourceChain.of("s0"),
    )


def build_jsonl(path: Path, batches: list[list[Claim]]) -> list[int]:
    """Write the batches; return the file size after each commit (index 0: empty file)."""
    ends = [0]
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        for batch in batches:
            ledger.extend(batch)
            ends.append(path.stat().st_size)
    return ends


# -- JSON Lines: truncation, flips, enumerated crash points ------------------------------


def test_truncating_a_50_claim_jsonl_at_every_byte_recovers_the_longest_whole_prefix(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.jsonl"
    ends = build_jsonl(path, [[make_claim(f"c{i}", i)] for i in range(50)])
    whole = path.read_bytes()
    original = JsonlStore(path)
    records = list(original.records())
    original.close()
    assert len(records) == 50
    cut_path = tmp_path / "cut.jsonl"
    shutil.copy(path, cut_path)
    header_end = whole.index(b"\n") + 1  # the header line stands on its own
    committed = 50
    for offset in range(len(whole), -1, -1):
        os.truncate(cut_path, offset)
        while ends[committed] > offset:
            committed -= 1
        store = JsonlStore(cut_path)
        assert store.size() == committed, offset
        whole_end = ends[committed] if committed else (header_end if offset >= header_end else 0)
        if offset == whole_end:
            assert store.torn is None
            assert list(store.records()) == records[:committed], offset
        else:
            assert store.torn is not None
            assert (store.torn.offset, store.torn.length) == (whole_end, offset - whole_end)
        store.close()
    assert committed == 0


def test_a_torn_jsonl_opens_refuses_appends_and_repairs_into_a_side_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.jsonl"
    ends = build_jsonl(path, [[make_claim(f"c{i}", i)] for i in range(5)])
    whole = path.read_bytes()
    os.truncate(path, ends[3] + 40)  # a crash in the middle of the fourth record's line
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        assert [c.id for c in ledger.claims()] == ["c0", "c1", "c2"]
        with pytest.raises(TornWriteError) as caught:
            ledger.append(make_claim("late"))
        assert (caught.value.line, caught.value.offset) == (1 + 3 * 2 + 1, ends[3])
        with pytest.raises(TornWriteError):
            verify_ledger(path)
        published = ledger.checkpoint()
        store = ledger.store
        assert isinstance(store, JsonlStore)
        with pytest.raises(IntegrityError, match="published 4"):
            store.repair(min_size=4)  # never below a published checkpoint
        side = store.repair(min_size=published.size)
        assert side is not None
        assert side.read_bytes() == whole[ends[3] : ends[3] + 40]
        ledger.append(make_claim("late"))
    assert verify_ledger(path, checkpoint=published).size == 4


def test_flipping_any_single_byte_of_a_50_claim_jsonl_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    build_jsonl(path, [[make_claim(f"c{i}", i)] for i in range(50)])
    whole = path.read_bytes()
    fd = os.open(path, os.O_RDWR)
    torn_only = []
    try:
        for offset in range(len(whole)):
            os.pwrite(fd, bytes([whole[offset] ^ 0x20]), offset)
            try:
                store = JsonlStore(path)
            except IntegrityError:
                pass
            else:
                # Only a flipped final newline can pass the line checks: it reads as an
                # interrupted last batch, which verify reports as a torn write.
                assert store.torn is not None, offset
                store.close()
                torn_only.append(offset)
            os.pwrite(fd, whole[offset : offset + 1], offset)
    finally:
        os.close(fd)
    assert torn_only == [len(whole) - 1]
    os.truncate(path, len(whole))
    with open(path, "r+b") as handle:
        handle.seek(len(whole) - 1)
        handle.write(b"x")
    with pytest.raises(TornWriteError):
        verify_ledger(path)


def test_every_crash_point_of_a_jsonl_batch_keeps_every_acknowledged_claim(
    tmp_path: Path,
) -> None:
    rng = random.Random(3)
    batches = [[make_claim(f"b{b}-{i}", b) for i in range(rng.randint(1, 3))] for b in range(8)]
    path = tmp_path / "l.jsonl"
    ends = build_jsonl(path, batches)
    whole = path.read_bytes()
    trials = 0
    crash = tmp_path / "crash.jsonl"
    for done in range(len(batches)):
        acknowledged = [c.id for batch in batches[:done] for c in batch]
        in_flight = whole[ends[done] : ends[done + 1]]
        for cut in range(len(in_flight) + 1):
            crash.write_bytes(whole[: ends[done]] + in_flight[:cut])
            store = JsonlStore(crash)
            finished = cut == len(in_flight)
            assert store.size() == len(acknowledged) + (len(batches[done]) if finished else 0)
            store.close()
            trials += 1
            if cut % 97 == 0 or finished:  # open the whole ledger, repair, append
                with open_ledger(crash, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
                    ids = [c.id for c in ledger.claims()]
                    assert ids[: len(acknowledged)] == acknowledged
                    store_ = ledger.store
                    assert isinstance(store_, JsonlStore)
                    store_.repair(min_size=len(acknowledged))
                    ledger.append(make_claim("after"))
                for side in tmp_path.glob("crash.jsonl.torn-*"):
                    side.unlink()
    assert trials >= 200


# -- SQLite: the WAL cut at enumerated points --------------------------------------------


def test_every_cut_of_the_sqlite_wal_opens_with_whole_acknowledged_batches(
    tmp_path: Path,
) -> None:
    rng = random.Random(5)
    batches = [[make_claim(f"b{b}-{i}", b) for i in range(rng.randint(1, 4))] for b in range(40)]
    path = tmp_path / "l.sqlite"
    ledger = open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK)
    store = ledger.store
    assert isinstance(store, SqliteStore)
    store.execute("PRAGMA wal_autocheckpoint=0")  # keep every frame in the WAL
    wal = Path(f"{path}-wal")
    ends = [wal.stat().st_size]
    for batch in batches:
        ledger.extend(batch)
        ends.append(wal.stat().st_size)
    database, log = path.read_bytes(), wal.read_bytes()
    ledger.close()
    page = 4096 + 24
    cuts = sorted(
        {0, 32, *ends}
        | {end + delta for end in ends for delta in (-1, 1, 24, 2000) if 0 < end + delta < len(log)}
        | {
            32 + k * page + delta
            for k in range((len(log) - 32) // page + 1)
            for delta in (0, 1, 24, 2000)
            if 32 + k * page + delta <= len(log)
        }
    )
    assert len(cuts) >= 200
    for cut in cuts:
        trial = tmp_path / f"cut{cut}"
        trial.mkdir()
        (trial / "l.sqlite").write_bytes(database)
        (trial / "l.sqlite-wal").write_bytes(log[:cut])
        whole_batches = sum(1 for end in ends[1:] if end <= cut)
        expected = [c.id for batch in batches[:whole_batches] for c in batch]
        with open_ledger(
            trial / "l.sqlite", create=True, registries=REGISTRIES, clock=CLOCK
        ) as opened:
            assert [c.id for c in opened.claims()] == expected, cut
            opened.verify()
        shutil.rmtree(trial)


# -- real kills ---------------------------------------------------------------------------

KILLS = 60


def _writer(path: Path, acks: int) -> None:
    """The child: append batches forever, reporting each acknowledged batch on ``acks``."""
    try:
        with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
            for batch in range(10_000):
                claims = [make_claim(f"k{batch}-{i}", batch) for i in range(1 + batch % 3)]
                ledger.extend(claims)
                os.write(acks, f"{batch}\n".encode())
    finally:
        os._exit(0)


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"])
def test_sigkill_at_random_points_loses_no_acknowledged_claim(tmp_path: Path, suffix: str) -> None:
    rng = random.Random(11)
    opened_fine = killed_after_acks = 0
    for trial in range(KILLS):
        path = tmp_path / f"t{trial}{suffix}"
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            os.close(read)
            _writer(path, write)
        os.close(write)
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        with os.fdopen(read) as pipe:
            acknowledged = [int(line) for line in pipe.read().split()]
        expected = [f"k{batch}-{i}" for batch in acknowledged for i in range(1 + batch % 3)]
        killed_after_acks += bool(acknowledged)
        with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
            ids = [c.id for c in ledger.claims()]
            assert ids[: len(expected)] == expected
            # Whole batches only: what follows the acknowledged ones is one whole batch.
            assert len(ids) - len(expected) in (0, 1 + (len(acknowledged)) % 3)
            ledger.verify()
            store = ledger.store
            if isinstance(store, JsonlStore):
                store.repair(min_size=len(expected))
            ledger.append(make_claim("after"))
        opened_fine += 1
    assert opened_fine == KILLS
    assert killed_after_acks >= KILLS // 3  # many kills land while batches are being written


# -- concurrent writers -------------------------------------------------------------------

WRITERS, APPENDS = 8, 250


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"])
def test_eight_processes_appending_250_each_lose_and_duplicate_nothing(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"shared{suffix}"
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK):
        pass
    children = []
    for writer in range(WRITERS):
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            code = 1
            try:
                with open_ledger(
                    path, create=True, registries=REGISTRIES, clock=CLOCK, durability="normal"
                ) as ledger:
                    for i in range(APPENDS):
                        ledger.append(make_claim(f"w{writer}/{i:03d}", i))
                code = 0
            except LedgerError:
                code = 2
            finally:
                os._exit(code)
        children.append(child)
    codes = [os.waitpid(child, 0)[1] for child in children]
    assert codes == [0] * WRITERS
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        records = ledger.records()
        ids = [r.claim.id for r in records]
        assert len(records) == WRITERS * APPENDS
        assert [r.position for r in records] == list(range(WRITERS * APPENDS))
        assert len(set(ids)) == len(ids)
        for writer in range(WRITERS):
            mine = [i for i in ids if i.startswith(f"w{writer}/")]
            assert mine == [f"w{writer}/{i:03d}" for i in range(APPENDS)]
        ledger.verify()
