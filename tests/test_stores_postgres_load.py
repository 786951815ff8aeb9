"""Many writers on one PostgreSQL ledger, writers killed mid-batch, and a server restarted
mid-batch: nothing acknowledged is lost, nothing is duplicated, no partial batch is seen,
and the Merkle root is a serial replay's.

The full counts of the issue (16 processes x 2,000 claims in each of three modes, 100
SIGKILL trials, 20 server restarts) run with ``CONFLICT_LEDGER_FULL_TRIALS=1``, as
``.ci/run`` sets; without it, smaller counts keep a developer's run short. The restart
test starts a cluster of its own (``initdb`` in a temporary directory, as the ``postgres``
user when the tests run as root) and is skipped when the server binaries are missing.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from conflict_ledger import Captured, Claim, SourceChain, ValidTime
from conflict_ledger.codec import open_ledger
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.errors import LedgerError
from conflict_ledger.ledger import ConcurrencyError, Ledger, fixed_clock
from conflict_ledger.merkle import verify_consistency
from conflict_ledger.stores import ServerError, StorageError
from conflict_ledger.testing.strategies import BASE, registries
from tests import pg

REGISTRIES = registries(places=4)
CLOCK = fixed_clock(BASE)
FULL = pg.full_trials()
PROCESSES, CLAIMS, BATCH = (16, 2_000, 50) if FULL else (4, 200, 25)
KILLS = 100 if FULL else 10
RESTARTS = 20 if FULL else 3


def make_claim(name: str, number: int) -> Claim:
    return Claim(
        id=name,
        event=Captured(place=f"p{number % 4}", actor=f"a{number % 3}"),
        valid=ValidTime.exact(BASE.add(hours=number % 97)),
        reported_at=BASE.add(hours=number % 97 + 1),
        source=SourceChain.of("s0"),
    )


def batch_claims(writer: str, batch: int, size: int) -> list[Claim]:
    return [make_claim(f"{writer}/{batch}/{i}", batch * size + i) for i in range(size)]


def opened(url: str) -> Ledger:
    return open_ledger(url, registries=REGISTRIES, clock=CLOCK, create=True)


@pytest.fixture
def url() -> Iterator[str]:
    try:
        address = pg.schema_url()
        opened(address).close()  # create it once, before the writers race
        yield address
    finally:
        pg.drop_schemas()


def _report(pipe: int, payload: dict[str, object]) -> None:
    os.write(pipe, (json.dumps(payload) + "\n").encode())


def _writer(url: str, name: str, mode: str, pipe: int) -> None:  # pragma: no cover - a child
    """Append CLAIMS claims in batches; report every acknowledged batch and every error."""
    acked: list[int] = []
    retries = 0
    code = 0
    try:
        with opened(url) as ledger:
            for batch in range(CLAIMS // BATCH):
                claims = batch_claims(name, batch, BATCH)
                while True:
                    try:
                        if mode == "expected":
                            ledger.extend(claims, expected_size=len(ledger))
                        else:
                            ledger.extend(claims)
                        break
                    except ConcurrencyError:
                        retries += 1
                acked.append(batch)
    except LedgerError as error:
        _report(pipe, {"typed": f"{type(error).__name__}: {error}"})
        code = 2
    except BaseException as error:
        _report(pipe, {"untyped": repr(error)})
        code = 3
    finally:
        _report(pipe, {"writer": name, "acked": acked, "retries": retries})
        os._exit(code)


def _reader(url: str, pipe: int, stop: float) -> None:  # pragma: no cover - a child
    """Read while others write: sizes only grow, each checkpoint extends the one before,
    and an index keeps up through refresh()."""
    code = 0
    seen = 0
    try:
        with opened(url) as ledger:
            index = AsOfIndex(ledger)
            last = ledger.checkpoint()
            while time.monotonic() < stop:
                now = ledger.checkpoint()
                assert now.size >= last.size
                if now.size == last.size:
                    assert now.root == last.root
                elif last.size:
                    proof = ledger.consistency_proof(last.size, now.size)
                    verify_consistency(last.size, now.size, last.root, now.root, proof)
                index.refresh()
                index.snapshot(at=BASE.add(hours=50))
                last, seen = now, seen + 1
    except BaseException as error:
        _report(pipe, {"untyped": repr(error)})
        code = 3
    finally:
        _report(pipe, {"reads": seen})
        os._exit(code)


def _collect(read: int) -> list[dict[str, object]]:
    with os.fdopen(read) as pipe:
        return [json.loads(line) for line in pipe.read().splitlines()]


def _check_whole(url: str, acked: dict[str, list[int]], size: int) -> None:
    """Every acknowledged batch present once and whole, positions 0..n-1, root as replayed."""
    with opened(url) as ledger:
        ids = [claim.id for claim in ledger.claims()]
        expected = {
            claim.id
            for name, batches in acked.items()
            for b in batches
            for claim in batch_claims(name, b, size)
        }
        assert len(ids) == len(set(ids)), "a claim was stored twice"
        assert set(ids) == expected, "a claim was lost or one never acknowledged appeared"
        assert [record.position for record in ledger] == list(range(len(ids)))
        replay = Ledger(registries=REGISTRIES, clock=CLOCK)
        replay.extend(ledger.claims())
        assert replay.checkpoint() == ledger.checkpoint()
        assert ledger.verify() == ledger.checkpoint()


@pytest.mark.parametrize("mode", ["free", "expected", "mixed"])
def test_many_processes_appending_at_once_lose_and_duplicate_nothing(url: str, mode: str) -> None:
    read, write = os.pipe()
    children = []
    for number in range(PROCESSES):
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            os.close(read)
            kind = ("free", "expected")[number % 2] if mode == "mixed" else mode
            _writer(url, f"w{number}", kind, write)
        children.append(child)
    if mode == "mixed":  # readers alongside, a quarter as many as the writers
        stop = time.monotonic() + (60 if FULL else 10)
        for _ in range(max(1, PROCESSES // 4)):
            child = os.fork()
            if child == 0:  # pragma: no cover - the child
                os.close(read)
                _reader(url, write, stop)
            children.append(child)
    os.close(write)
    reports = _collect(read)
    codes = [os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) for child in children]
    assert [r for r in reports if "untyped" in r or "typed" in r] == []
    assert codes == [0] * len(children)
    acked = {str(r["writer"]): list(r["acked"]) for r in reports if "writer" in r}  # type: ignore[call-overload]
    assert sum(map(len, acked.values())) == PROCESSES * (CLAIMS // BATCH)
    _check_whole(url, acked, BATCH)
    if mode == "mixed":
        assert all(int(r["reads"]) > 0 for r in reports if "reads" in r)  # type: ignore[call-overload]


# -- a writer killed mid-batch --------------------------------------------------------------

KILL_BATCH = 400  # large batches, so that most kills land inside a COPY or its commit


def _endless_writer(url: str, name: str, pipe: int) -> None:  # pragma: no cover - a child
    try:
        with opened(url) as ledger:
            os.write(pipe, b"ready\n")
            for batch in range(10_000):
                ledger.extend(batch_claims(name, batch, KILL_BATCH))
                os.write(pipe, f"{batch}\n".encode())
    except BaseException as error:
        os.write(pipe, f"error {error!r}\n".encode())
    finally:
        os._exit(0)


def test_sigkill_of_writers_mid_batch_keeps_every_acknowledged_batch_and_no_partial_one(
    url: str,
) -> None:
    rng = random.Random(16)
    schema = url.rsplit("schema=", 1)[1]
    killed_with_acks = 0
    shared: dict[str, list[int]] = {}  # what was acknowledged on the shared ledger
    for trial in range(KILLS):
        # every other trial on a ledger of its own, the rest on one that grows with them
        address = pg.schema_url(f"t{trial}", schema=schema) if trial % 2 else url
        application = f"cl-killed-{os.getpid()}-{trial}"
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            os.close(read)
            _endless_writer(f"{address}&application_name={application}", f"k{trial}", write)
        os.close(write)
        with os.fdopen(read) as pipe:
            started = pipe.readline()
            assert started == "ready\n", started
            # every third kill waits for a first acknowledged batch, so that enough kills
            # come mid-stream however slow the machine (a busy one once acknowledged none
            # within the 0.3 s the others wait)
            first = [pipe.readline()] if trial % 3 == 0 else []
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            acked = [int(line) for line in [*first, *pipe.read().split()]]
        # a COMMIT sent just before the kill may still land: wait for the server to
        # finish with the killed client's session before looking
        pg.wait_until_gone(application)
        killed_with_acks += bool(acked)
        with opened(address) as ledger:  # at most one batch more, and a whole one
            mine = [c.id for c in ledger.claims() if c.id.startswith(f"k{trial}/")]
        assert len(mine) - KILL_BATCH * len(acked) in (0, KILL_BATCH)
        if len(mine) > KILL_BATCH * len(acked):  # committed, killed before its ack
            acked.append(len(acked))
        assert mine == [c.id for b in acked for c in batch_claims(f"k{trial}", b, KILL_BATCH)]
        if address != url:
            _check_whole(address, {f"k{trial}": acked}, KILL_BATCH)
        else:
            shared[f"k{trial}"] = acked
    _check_whole(url, shared, KILL_BATCH)
    assert killed_with_acks >= KILLS // 4  # many kills came after some batches, mid-stream


# -- the server restarted mid-batch ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary directory, on a port of its own."""

    def __init__(self, binaries: dict[str, str]) -> None:
        self.binaries = binaries
        self.directory = Path(tempfile.mkdtemp(prefix="cl-pg-"))
        self.data = self.directory / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            runuser = shutil.which("runuser")
            if runuser is None:
                pytest.skip("running as root without runuser: cannot start a test cluster")
            self.as_user = [runuser, "-u", "postgres", "--"]
            shutil.chown(self.directory, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.pg_ctl(
            "start", "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        )

    def _run(self, binary: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, self.binaries[binary], *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.directory,
        )

    def pg_ctl(self, action: str, *args: str) -> None:
        log = str(self.directory / "log")
        self._run("pg_ctl", action, "-D", str(self.data), "-w", "-l", log, *args)

    def url(self, ledger: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres?ledger={ledger}&connect_timeout=5"

    def close(self) -> None:
        try:
            self.pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    binaries = pg.server_binaries()
    if binaries is None:
        pytest.skip("initdb, pg_ctl and postgres are not on PATH: cannot start a test cluster")
    own = Cluster(binaries)
    try:
        yield own
    finally:
        own.close()


def _restarted_writer(url: str, pipe: int) -> None:  # pragma: no cover - a child
    """Append batches for ever; through a restart, report the failure and carry on."""
    batch = 0
    try:
        with opened(url) as ledger:
            while True:
                try:
                    ledger.extend(batch_claims("r", batch, BATCH))
                    os.write(pipe, f"ack {batch}\n".encode())
                except (StorageError, ServerError):
                    os.write(pipe, f"lost {batch}\n".encode())  # committed or not: unknown
                    time.sleep(0.05)
                batch += 1
    except BaseException as error:
        os.write(pipe, f"untyped {error!r}\n".encode())
    finally:
        os._exit(0)


def test_server_restarts_mid_batch_keep_every_acknowledged_batch_and_no_partial_one(
    cluster: Cluster,
) -> None:
    url = cluster.url("restarts")
    opened(url).close()
    rng = random.Random(20)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os.close(read)
        _restarted_writer(url, write)
    os.close(write)
    try:
        for _ in range(RESTARTS):
            time.sleep(rng.uniform(0.3, 0.8))
            cluster.pg_ctl("restart", "-m", "immediate")
        time.sleep(0.5)
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        lines = pipe.read().splitlines()
    assert [line for line in lines if line.startswith("untyped")] == []
    acked = [int(line.split()[1]) for line in lines if line.startswith("ack")]
    lost = [int(line.split()[1]) for line in lines if line.startswith("lost")]
    assert len(lost) >= RESTARTS // 2  # the restarts did land while batches were written
    with opened(url) as ledger:
        counts = Counter(int(claim.id.split("/")[1]) for claim in ledger.claims())
        present = set(counts)
    assert set(acked) <= present
    assert present - set(acked) <= set(lost) | {max(present, default=0)}
    assert set(counts.values()) <= {BATCH}  # whole batches only
    _check_whole(url, {"r": sorted(present)}, BATCH)
