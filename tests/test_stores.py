"""The store conformance suite: the same behaviour from memory, SQLite, JSON Lines and
PostgreSQL (skipped, with a message, when no server answers: see tests/pg.py)."""

from __future__ import annotations

import base64
import gc
import json
import os
import random
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from conflict_ledger import Captured, Claim, Source, SourceChain, UnknownPlaceError, ValidTime
from conflict_ledger.canonical import canonical_json
from conflict_ledger.cli import main as cli_main
from conflict_ledger.codec import open_ledger, verify_ledger
from conflict_ledger.errors import (
    DuplicateClaimError,
    InvalidClaimError,
    LedgerError,
    NotALedgerError,
)
from conflict_ledger.ledger import ConcurrencyError, Ledger, fixed_clock
from conflict_ledger.merkle import MerkleTree, leaf_hash, verify_consistency, verify_inclusion
from conflict_ledger.registry import SourceKind
from conflict_ledger.stores import (
    AppendOnlyError,
    IntegrityError,
    JsonlStore,
    MemoryStore,
    SqliteStore,
    StorageError,
    StoredRecord,
)
from conflict_ledger.stores import jsonl as jsonl_module
from conflict_ledger.stores._packing import Deflate
from conflict_ledger.stores.base import ReadsByPosition
from conflict_ledger.testing.strategies import BASE, claims, registries
from tests import pg

KINDS = ("memory", "sqlite", "jsonl", "compact", "postgres")
REGISTRIES = registries()
CLOCK = fixed_clock(BASE)


def make_claim(name: str, *, place: str = "p0", hour: int = 0) -> Claim:
    return Claim(
        id=name,
        event=Captured(place=place, actor="a1"),
        valid=ValidTime.exact(BASE.add(hours=hour)),
        reported_at=BASE.add(hours=hour + 1),
        source=SourceChain.of("s0"),
    )


class Opener:
    """Opens 'the same ledger' again, as another process would, for one kind of store."""

    def __init__(self, kind: str, directory: Path) -> None:
        self.kind = kind
        self.path = (
            directory
            / {
                "memory": "x",
                "sqlite": "l.sqlite",
                "jsonl": "l.jsonl",
                "compact": "c.sqlite",
                "postgres": "pg",
            }[kind]
        )
        self.memory = MemoryStore()
        self.url = pg.schema_url() if kind == "postgres" else ""

    def __call__(self) -> Ledger:
        if self.kind == "memory":
            return Ledger(registries=REGISTRIES, clock=CLOCK, store=self.memory)
        if self.kind == "postgres":
            return open_ledger(self.url, create=True, registries=REGISTRIES, clock=CLOCK)
        # compact is the default for SQLite; the "sqlite" kind is the plain JSON one
        return open_ledger(
            self.path,
            create=True,
            registries=REGISTRIES,
            clock=CLOCK,
            compact=self.kind != "sqlite",
        )


@pytest.fixture(params=KINDS)
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    try:
        yield Opener(request.param, tmp_path)
    finally:
        pg.drop_schemas()


def test_appended_claims_read_back_equal_after_reopening(opener: Opener) -> None:
    with opener() as ledger:
        first = ledger.extend([make_claim("c0"), make_claim("c1", place="p1")])
        second = ledger.append(make_claim("c2", hour=5))
        published = ledger.checkpoint()
    with opener() as again:
        assert again.records() == (*first, second)
        assert again.checkpoint() == published
        assert again.verify(checkpoint=published) == published


def test_another_writer_sees_every_committed_claim(opener: Opener) -> None:
    with opener() as one, opener() as two:
        one.append(make_claim("c0"))
        assert [c.id for c in two.claims()] == ["c0"]
        two.append(make_claim("c1"))
        assert [c.id for c in one.claims()] == ["c0", "c1"]
        with pytest.raises(DuplicateClaimError):
            one.append(make_claim("c1"))  # two wrote it; one refreshes before validating


def test_expected_size_fails_when_another_writer_moved_the_ledger(opener: Opener) -> None:
    with opener() as one, opener() as two:
        one.append(make_claim("c0"))
        seen = len(two)
        one.append(make_claim("c1"))
        with pytest.raises(ConcurrencyError) as caught:
            two.append(make_claim("c2"), expected_size=seen)
        assert (caught.value.expected, caught.value.actual) == (1, 2)
        assert [c.id for c in two.claims()] == ["c0", "c1"]


def test_a_rejected_batch_stores_nothing(opener: Opener) -> None:
    with opener() as ledger:
        ledger.append(make_claim("c0"))
        with pytest.raises(UnknownPlaceError):
            ledger.extend([make_claim("c1"), make_claim("c2", place="nowhere")])
    with opener() as again:
        assert [c.id for c in again.claims()] == ["c0"]
        assert again.store.size() == 1


def test_registered_values_persist_with_the_ledger(opener: Opener) -> None:
    source = Source(id="witness", name="A witness", kind=SourceKind.ANONYMOUS)
    with opener() as ledger:
        ledger.register(source)
        ledger.register(source)  # identical: a no-op, stored once
        ledger.append(attrs.evolve(make_claim("c0"), source=SourceChain.of("witness")))
        assert ledger.store.value_count() == 1
    with opener() as again:
        assert again.registries.sources["witness"] == source
        assert again.claim("c0").source.links[0].source == "witness"


@pytest.mark.parametrize("target", KINDS)
def test_copying_between_stores_keeps_every_record_and_hash(
    opener: Opener, target: str, tmp_path: Path
) -> None:
    with opener() as ledger:
        ledger.register(Source(id="witness", name="A witness", kind=SourceKind.ANONYMOUS))
        ledger.extend([make_claim(f"c{i}", hour=i) for i in range(5)])
        destination = Opener(target, tmp_path / "copy")
        destination.path.parent.mkdir()
        with destination() as empty:
            ledger.copy_to(empty.store)
        with destination() as copy:
            assert list(copy.store.records()) == list(ledger.store.records())
            assert list(copy.store.values()) == list(ledger.store.values())
            assert copy.records() == ledger.records()
            assert copy.checkpoint() == ledger.checkpoint()
            with pytest.raises(IntegrityError, match="not empty"):
                ledger.copy_to(copy.store)


def test_proofs_from_a_stored_ledger_verify(opener: Opener) -> None:
    with opener() as ledger:
        ledger.extend([make_claim(f"c{i}", hour=i) for i in range(3)])
        old = ledger.checkpoint()
        ledger.extend([make_claim(f"d{i}", hour=i) for i in range(4)])
        new = ledger.checkpoint()
        verify_consistency(old.size, new.size, old.root, new.root, ledger.consistency_proof(3))
        proof = ledger.inclusion_proof("d2")
        verify_inclusion(ledger.leaf_hash(5), 5, new.size, proof, new.root)


def test_every_stored_record_carries_its_schema_version(opener: Opener) -> None:
    import json

    with opener() as ledger:
        ledger.extend([make_claim("c0"), make_claim("c1")])
        stored = list(ledger.store.records())
    assert [json.loads(r.data)["schema"] for r in stored] == [1, 1]
    assert [json.loads(r.data)["position"] for r in stored] == [0, 1]


# -- the state machine: each store against a list model -----------------------------------


def claim_batches(prefix: str) -> st.SearchStrategy[list[Claim]]:
    return st.lists(claims(), min_size=1, max_size=3).map(
        lambda drawn: [attrs.evolve(c, id=f"{prefix}{i}") for i, c in enumerate(drawn)]
    )


class StoreMachine(RuleBasedStateMachine):
    """Appends, rejected appends, stale appends and reopenings, against a plain list."""

    kind = "memory"
    batches = Bundle("batches")

    @initialize()
    def open(self) -> None:
        self.directory = Path(tempfile.mkdtemp())
        self.opener = Opener(self.kind, self.directory)
        self.ledger = self.opener()
        self.model: list[Claim] = []
        self.checkpoints: list[tuple[int, bytes]] = []
        self.counter = 0

    def teardown(self) -> None:
        if hasattr(self, "ledger"):
            self.ledger.close()
            shutil.rmtree(self.directory, ignore_errors=True)
            pg.drop_schemas()

    @rule(batch=claim_batches("x"))
    def append(self, batch: list[Claim]) -> None:
        self.counter += 1
        batch = [attrs.evolve(c, id=f"b{self.counter}-{i}") for i, c in enumerate(batch)]
        records = self.ledger.extend(batch, expected_size=len(self.model))
        assert [r.position for r in records] == list(
            range(len(self.model), len(self.model) + len(batch))
        )
        self.model.extend(r.claim for r in records)
        self.checkpoints.append((len(self.model), self.ledger.checkpoint().root))

    @rule(batch=claim_batches("y"))
    def append_with_a_bad_claim(self, batch: list[Claim]) -> None:
        bad = attrs.evolve(batch[0], event=Captured(place="atlantis", actor="a0"))
        with pytest.raises(LedgerError):
            self.ledger.extend([*batch[1:], bad])

    @precondition(lambda self: len(self.model) > 0)
    @rule()
    def append_on_a_stale_size(self) -> None:
        with pytest.raises(ConcurrencyError):
            self.ledger.append(make_claim("stale"), expected_size=len(self.model) - 1)

    @precondition(lambda self: len(self.model) > 0)
    @rule()
    def append_a_duplicate(self) -> None:
        with pytest.raises(DuplicateClaimError):
            self.ledger.append(attrs.evolve(self.model[0]))

    @rule()
    def reopen(self) -> None:
        self.ledger.close()
        self.ledger = self.opener()

    @invariant()
    def holds_what_the_model_holds(self) -> None:
        if not hasattr(self, "ledger"):
            return
        assert list(self.ledger.claims()) == self.model
        assert [r.position for r in self.ledger] == list(range(len(self.model)))
        assert self.ledger.store.size() == len(self.model)

    @invariant()
    def extends_every_earlier_checkpoint(self) -> None:
        if not hasattr(self, "ledger"):
            return
        now = self.ledger.checkpoint()
        for size, root in self.checkpoints:
            verify_consistency(size, now.size, root, now.root, self.ledger.consistency_proof(size))


MACHINE_SETTINGS = settings(
    max_examples=15,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class MemoryStoreMachine(StoreMachine):
    kind = "memory"


class SqliteStoreMachine(StoreMachine):
    kind = "sqlite"


class JsonlStoreMachine(StoreMachine):
    kind = "jsonl"


class CompactSqliteStoreMachine(StoreMachine):
    kind = "compact"


class PostgresStoreMachine(StoreMachine):
    kind = "postgres"


TestMemoryStoreMachine = MemoryStoreMachine.TestCase
TestMemoryStoreMachine.settings = MACHINE_SETTINGS
TestSqliteStoreMachine = SqliteStoreMachine.TestCase
TestSqliteStoreMachine.settings = MACHINE_SETTINGS
TestJsonlStoreMachine = JsonlStoreMachine.TestCase
TestJsonlStoreMachine.settings = MACHINE_SETTINGS
TestCompactSqliteStoreMachine = CompactSqliteStoreMachine.TestCase
TestCompactSqliteStoreMachine.settings = MACHINE_SETTINGS


class TestPostgresStoreMachine(PostgresStoreMachine.TestCase):  # type: ignore[name-defined,misc]
    settings = MACHINE_SETTINGS

    def setUp(self) -> None:
        pg.base_url()  # skips (or fails, when required) without a server


# -- what only one store does -------------------------------------------------------------


def test_sqlite_refuses_update_delete_and_replace_with_a_typed_error(tmp_path: Path) -> None:
    with open_ledger(
        tmp_path / "l.sqlite", create=True, registries=REGISTRIES, clock=CLOCK
    ) as ledger:
        ledger.register(Source(id="witness", name="A witness", kind=SourceKind.ANONYMOUS))
        ledger.extend([make_claim("c0"), make_claim("c1")])
        store = ledger.store
        assert isinstance(store, SqliteStore)
        for sql in (
            "UPDATE claims SET data = x'7b7d' WHERE position = 0",
            "DELETE FROM claims WHERE position = 1",
            "INSERT OR REPLACE INTO claims(position, data, hash) VALUES (0, x'7b7d', x'00')",
            "INSERT INTO claims(position, data, hash) VALUES (5, x'7b7d', x'00')",
            # vals has no sequence trigger: only recursive_triggers makes REPLACE fire DELETE
            "INSERT OR REPLACE INTO vals(seq, data, hash) VALUES (0, x'7b7d', x'00')",
        ):
            with pytest.raises(AppendOnlyError):
                store.execute(sql)
        assert ledger.verify().size == 2


def test_sqlite_refuses_edits_even_through_a_plain_connection(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        ledger.append(make_claim("c0"))
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA recursive_triggers=ON")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM claims")
    raw.close()


def _edited_sqlite_ledger(path: Path, claims: int, edited: int) -> None:
    """A plain SQLite ledger of ``claims`` claims, the record at ``edited`` then edited
    in the file by someone who dropped the append-only trigger first."""
    with open_ledger(
        path, create=True, registries=REGISTRIES, clock=CLOCK, compact=False
    ) as ledger:
        ledger.extend([make_claim(f"c{i}") for i in range(claims)])
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER claims_no_update")  # a determined editor
    raw.execute(f"UPDATE claims SET data = replace(data, 'p0', 'p1') WHERE position = {edited}")
    raw.commit()
    raw.close()


def test_an_edited_sqlite_record_is_named_when_read_and_by_verify(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    _edited_sqlite_ledger(path, 3, edited=1)
    # Opening reads no record (issue 15): the edit is named by the first read of it,
    # and by verify; records the read does not reach read as before.
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        assert len(ledger) == 3
        assert [record.claim.id for record in ledger.since(2)] == ["c2"]
        # a claim looked up by id is found by the file's index of claim ids: that record
        # alone is read
        assert ledger.claim("c0").id == "c0"
        for read in (ledger.claims, lambda: ledger.claim("c1"), ledger.verify):
            with pytest.raises(IntegrityError) as caught:
                read()
            assert caught.value.position == 1


def test_a_full_sqlite_disk_is_a_typed_error_and_keeps_nothing(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        ledger.append(make_claim("c0"))
        store = ledger.store
        assert isinstance(store, SqliteStore)
        pages = store.execute("PRAGMA page_count")[0][0]
        store.execute(f"PRAGMA max_page_count={pages + 1}")
        # notes that deflate hardly at all (the default store is compact)
        noise = [random.Random(i).randbytes(1500).hex() for i in range(20)]
        big = [attrs.evolve(make_claim(f"big{i}"), note=noise[i]) for i in range(20)]
        with pytest.raises(StorageError) as caught:
            ledger.extend(big)
        assert isinstance(caught.value, OSError)
        assert len(ledger) == 1
    with open_ledger(path, registries=REGISTRIES, clock=CLOCK) as again:
        assert [c.id for c in again.claims()] == ["c0"]


def test_a_full_jsonl_disk_is_a_typed_error_and_leaves_no_partial_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    path = tmp_path / "l.jsonl"
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        ledger.append(make_claim("c0"))
        before = path.read_bytes()

        def half_then_full(fd: int, data: memoryview) -> int:
            if len(data) > 10:
                return os.write(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(jsonl_module, "_write", half_then_full)
        with pytest.raises(StorageError, match="No space left"):
            ledger.extend([make_claim("c1"), make_claim("c2")])
        assert path.read_bytes() == before
        monkeypatch.undo()
        ledger.append(make_claim("c3"))
    with open_ledger(path, registries=REGISTRIES, clock=CLOCK) as again:
        assert [c.id for c in again.claims()] == ["c0", "c3"]


def test_a_store_refuses_positions_out_of_sequence(tmp_path: Path) -> None:
    for store in (MemoryStore(), JsonlStore(tmp_path / "s.jsonl")):
        with pytest.raises(IntegrityError, match="follow on"), store.writing():
            store.write([StoredRecord.of(1, b"{}")], [])
        assert store.size() == 0
        store.close()


def test_open_ledger_reads_a_claims_file_and_refuses_unknown_suffixes(tmp_path: Path) -> None:
    seed = Path(__file__).parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl"
    assert len(open_ledger(seed)) == 16
    with pytest.raises(InvalidClaimError, match="names no store") as caught:
        open_ledger(tmp_path / "ledger.txt")
    assert caught.value.field == "path"


def test_a_new_file_remembers_its_gazetteer(tmp_path: Path) -> None:
    for name in ("g.sqlite", "g.jsonl"):
        with open_ledger(tmp_path / name, gazetteer="syria", create=True) as ledger:
            ledger.register(Source(id="me", name="Me", kind=SourceKind.ANALYST))
        with open_ledger(tmp_path / name) as again:
            assert again.registries.places.resolve("Dayr az-Zawr").id == "deir-ez-zor"


# -- schema evolution ---------------------------------------------------------------------

FIXTURE = Path(__file__).parent / "data" / "ledger-schema0.jsonl"


def test_the_previous_schema_fixture_opens_upcast_and_verifies() -> None:
    import json

    with open_ledger(FIXTURE) as ledger:
        stored = list(ledger.store.records())
        assert {json.loads(r.data)["schema"] for r in stored} == {0, 1}
        assert [c.id for c in ledger.claims()] == ["old/1", "old/2", "new/1"]
        assert ledger.claim("old/2").event.place == "homs"
        # The hash is over the bytes as written (schema 0), and the tree is over them too.
        tree = MerkleTree()
        tree.extend(leaf_hash(r.data) for r in stored)
        assert ledger.verify().root == tree.root()


def test_records_written_in_the_old_schema_stay_old_on_disk(tmp_path: Path) -> None:
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(FIXTURE.read_bytes())
    with open_ledger(copy) as ledger:
        ledger.append(attrs.evolve(ledger.claim("old/1"), id="new/2"))
    assert copy.read_bytes().startswith(FIXTURE.read_bytes())


def make_schema0_fixture(path: Path) -> None:  # pragma: no cover - run once by hand
    """How tests/data/ledger-schema0.jsonl was written (kept for the record)."""
    import json

    from conflict_ledger.canonical import canonical_json
    from conflict_ledger.codec import encode_claim
    from conflict_ledger.gazetteer import syria

    store = JsonlStore(path, meta={"gazetteer": "syria"})
    reuters = Source(id="reuters", name="Reuters", kind=SourceKind.AGENCY)
    value = StoredRecord.of(0, canonical_json(json.loads(json.dumps(_encode_value(reuters)))))

    def old(position: int, claim: Claim) -> StoredRecord:
        flat = {"schema": 0, "position": position, "recorded_at": BASE.isoformat()}
        return StoredRecord.of(position, canonical_json({**encode_claim(claim), **flat}))

    first = Claim(
        id="old/1",
        event=Captured(place="deir-ez-zor", actor="sdf"),
        valid=ValidTime.exact(BASE),
        reported_at=BASE.add(hours=2),
        source=SourceChain.of("reuters"),
    )
    second = attrs.evolve(first, id="old/2", event=Captured(place="homs", actor="hts"))
    with store.writing():
        store.write([old(0, first), old(1, second)], [value])
    store.close()
    ledger = open_ledger(path, registries=syria().with_values([reuters]), clock=CLOCK)
    ledger.append(attrs.evolve(first, id="new/1"))
    ledger.close()


def _encode_value(value: Source) -> dict[str, object]:
    from conflict_ledger.codec import encode_value

    return encode_value(value)


# -- the command line ---------------------------------------------------------------------


def test_cli_verify_checks_a_checkpoint_and_names_an_edited_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conflict_ledger.cli import main

    path = tmp_path / "l.sqlite"
    with open_ledger(
        path, create=True, registries=REGISTRIES, clock=CLOCK, compact=False
    ) as ledger:
        ledger.extend([make_claim(f"c{i}", hour=i) for i in range(4)])
    published = tmp_path / "four.checkpoint"
    assert main(["verify", str(path), "--write-checkpoint", str(published)]) == 0
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        ledger.append(make_claim("c4"))
    capsys.readouterr()
    assert main(["verify", str(path), "--checkpoint", str(published)]) == 0
    out = capsys.readouterr().out
    assert "ok: 5 records" in out
    assert "extends the published checkpoint of 4 records" in out
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER claims_no_update")
    raw.execute("UPDATE claims SET data = replace(data, 'a1', 'a2') WHERE position = 2")
    raw.commit()
    raw.close()
    assert main(["verify", str(path)]) == 3  # an integrity failure
    assert "record 2" in capsys.readouterr().err


def test_cli_verify_refuses_a_rewritten_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conflict_ledger.cli import main

    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for path, name, count in ((first, "c", 3), (second, "d", 5)):
        with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
            ledger.extend([make_claim(f"{name}{i}", hour=i) for i in range(count)])
    published = tmp_path / "a.checkpoint"
    assert main(["verify", str(first), "--write-checkpoint", str(published)]) == 0
    assert main(["verify", str(second), "--checkpoint", str(published)]) == 3
    assert "not a prefix" in capsys.readouterr().err


def test_cli_repairs_a_torn_jsonl_and_commands_read_every_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conflict_ledger.cli import main
    from conflict_ledger.seed import load_seed

    seed = load_seed()
    for name in ("s.sqlite", "s.jsonl"):
        with open_ledger(tmp_path / name, gazetteer="syria", clock=CLOCK, create=True) as ledger:
            ledger.register(*seed.registries.sources, *seed.registries.documents.values())
            ledger.extend(seed.claims())
        assert main(["snapshot", str(tmp_path / name), "--at", "2024-12-07"]) == 0
        assert "deir-ez-zor" in capsys.readouterr().out
    whole = (tmp_path / "s.jsonl").read_bytes()
    with (tmp_path / "s.jsonl").open("ab") as handle:
        handle.write(b'{"hash":"ab')
    assert main(["verify", str(tmp_path / "s.jsonl")]) == 3
    lines = whole.count(b"\n")
    where = f"line {lines + 1}, byte {len(whole)}"
    assert where in capsys.readouterr().err
    assert main(["repair", str(tmp_path / "s.jsonl")]) == 0
    assert "torn-" in capsys.readouterr().out
    assert main(["verify", str(tmp_path / "s.jsonl")]) == 0


def test_a_plain_in_memory_ledger_hashes_lazily_and_proves_the_same() -> None:
    source = Source(id="witness", name="A witness", kind=SourceKind.ANONYMOUS)
    lazy = Ledger(registries=REGISTRIES, clock=CLOCK)
    eager = Ledger(registries=REGISTRIES, clock=CLOCK, store=MemoryStore())
    for ledger in (lazy, eager):
        ledger.register(source)
        ledger.extend([make_claim("c0"), make_claim("c1", hour=2)])
    assert lazy.checkpoint() == eager.checkpoint()  # the first proof request stores them
    assert list(lazy.store.values()) == list(eager.store.values())
    for ledger in (lazy, eager):
        ledger.append(make_claim("c2", hour=3))
    assert list(lazy.store.records()) == list(eager.store.records())
    assert lazy.verify() == eager.checkpoint()


def test_a_compact_sqlite_ledger_is_smaller_and_reads_the_same_bytes(tmp_path: Path) -> None:
    claims = [attrs.evolve(make_claim(f"c{i}", hour=i), note=f"note {i}") for i in range(300)]
    sizes = {}
    for name, compact in (("plain.sqlite", False), ("compact.sqlite", True)):
        with open_ledger(
            tmp_path / name, create=True, registries=REGISTRIES, clock=CLOCK, compact=compact
        ) as ledger:
            ledger.extend(claims)
            sizes[name] = ledger.store.execute("SELECT sum(length(data)) FROM claims")[0][0]
    with (
        open_ledger(tmp_path / "plain.sqlite", create=True, registries=REGISTRIES) as plain,
        open_ledger(tmp_path / "compact.sqlite", create=True, registries=REGISTRIES) as compact_,
    ):
        assert list(plain.store.records()) == list(compact_.store.records())
        assert plain.checkpoint() == compact_.checkpoint()
    assert sizes["compact.sqlite"] * 3 < sizes["plain.sqlite"]
    raw = sqlite3.connect(tmp_path / "compact.sqlite")
    raw.execute("DROP TRIGGER claims_no_update")
    raw.execute("UPDATE claims SET data = substr(data, 2) WHERE position = 4")
    raw.commit()
    raw.close()
    with (
        open_ledger(tmp_path / "compact.sqlite", create=True, registries=REGISTRIES) as edited,
        pytest.raises(IntegrityError) as caught,
    ):
        edited.records()
    assert caught.value.position == 4


def test_verify_refuses_a_claims_file_which_has_nothing_to_verify(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = Path(__file__).parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl"
    with pytest.raises(NotALedgerError, match="exchange format"):
        verify_ledger(seed)
    # not a damaged ledger (exit 3): a file of another kind (exit 1), with a way on
    assert cli_main(["verify", str(seed)]) == 1
    assert f"conflict-ledger convert {seed} ledger.sqlite" in capsys.readouterr().err


def test_another_json_lines_file_is_not_a_ledger_not_a_damaged_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "events.jsonl"
    other.write_text('{"a": 1}\n{"b": 2}\n')
    with pytest.raises(NotALedgerError, match="first line is not a conflict-ledger header"):
        verify_ledger(other)
    assert cli_main(["verify", str(other)]) == 1
    assert "Restore the ledger" not in capsys.readouterr().err
    damaged = tmp_path / "damaged.jsonl"
    with open_ledger(damaged, create=True, registries=REGISTRIES) as ledger:
        ledger.append(make_claim("c0"))
    damaged.write_bytes(damaged.read_bytes().replace(b'"header"', b'"heads!"', 1))
    with pytest.raises(IntegrityError, match="not a ledger line"):  # a ledger, damaged
        verify_ledger(damaged)


def test_a_new_sqlite_ledger_is_compact_unless_asked_plain(tmp_path: Path) -> None:
    with (
        open_ledger(tmp_path / "default.sqlite", create=True, registries=REGISTRIES) as default,
        open_ledger(
            tmp_path / "plain.sqlite", create=True, registries=REGISTRIES, compact=False
        ) as plain,
    ):
        assert default.store.meta()["compression"] == "zstd-dictionary-1"
        assert "compression" not in plain.store.meta()
    with open_ledger(tmp_path / "plain.sqlite", registries=REGISTRIES) as reopened:
        assert "compression" not in reopened.store.meta()  # an existing file stays as it is


def test_compact_records_deflated_with_the_first_releases_settings_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conflict_ledger.stores import sqlite as sqlite_module

    claims = [attrs.evolve(make_claim(f"c{i}", hour=i), note="n" * i) for i in range(40)]
    monkeypatch.setattr(sqlite_module, "COMPRESSION", sqlite_module.DEFLATE)
    with open_ledger(
        tmp_path / "new.sqlite", create=True, registries=REGISTRIES, clock=CLOCK
    ) as new:
        new.extend(claims)
    # level 6, a 32 KiB window and memory level 9: what compact files were first written with
    monkeypatch.setattr(Deflate, "LEVEL", 6)
    monkeypatch.setattr(Deflate, "WINDOW_BITS", 15)
    monkeypatch.setattr(Deflate, "MEMORY_LEVEL", 9)
    with open_ledger(
        tmp_path / "old.sqlite", create=True, registries=REGISTRIES, clock=CLOCK
    ) as old:
        old.extend(claims)
    monkeypatch.undo()
    with (
        open_ledger(tmp_path / "old.sqlite", create=True, registries=REGISTRIES) as old,
        open_ledger(tmp_path / "new.sqlite", create=True, registries=REGISTRIES) as new,
    ):
        assert list(old.store.records()) == list(new.store.records())
        assert old.verify() == new.verify()
        stored = "SELECT data FROM claims ORDER BY position"
        assert old.store.execute(stored) != new.store.execute(stored)  # deflated differently


def test_verify_names_a_record_edited_after_the_ledger_read_it(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with open_ledger(
        path, create=True, registries=REGISTRIES, clock=CLOCK, compact=False
    ) as ledger:
        ledger.extend([make_claim(f"c{i}") for i in range(3)])
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        assert ledger.verify().size == 3  # read, decoded, and not decoded again
        raw = sqlite3.connect(path)
        raw.execute("DROP TRIGGER claims_no_update")
        raw.execute("UPDATE claims SET data = replace(data, 'p0', 'p1') WHERE position = 2")
        raw.commit()
        raw.close()
        with pytest.raises(IntegrityError) as caught:
            ledger.verify()
        assert caught.value.position == 2


def _with_second_record(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """A ledger of one claim, then a second record with a right SHA-256 but ``edit``ed."""
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        ledger.append(make_claim("c0"))
        store = ledger.store
        record = json.loads(next(iter(store.records())).data)
        record["position"] = 1
        record["claim"]["id"] = "c1"
        edit(record)
        with store.writing():
            store.write([StoredRecord.of(1, canonical_json(record))], [])


EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "claim id": lambda r: r["claim"].update(id="not an id!"),
    "event type": lambda r: r["claim"]["event"].update(type="coup"),
    "naive instant": lambda r: r["claim"].update(reported_at="2024-01-01T00:00:00"),
    "window": lambda r: r["claim"]["valid"].update(precision="fortnight"),
    "position": lambda r: r.update(position=7),
    "modality": lambda r: r["claim"].update(modality="rumoured"),
    "credibility": lambda r: r["claim"].update(credibility=9),
    "source": lambda r: r["claim"]["source"][0].update(role="leaker"),
    "schema": lambda r: r.update(schema=2),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_hashed_record_that_is_no_claim_is_named_when_read(tmp_path: Path, edit: str) -> None:
    # Written with a right SHA-256 (a faulty writer, not an edit): reading it decodes
    # and checks it, and names it; so does verify.
    path = tmp_path / "l.sqlite"
    _with_second_record(path, EDITS[edit])
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        for read in (ledger.claims, ledger.verify):
            with pytest.raises(IntegrityError, match="cannot be read as a claim") as caught:
                read()
            assert caught.value.position == 1


@pytest.mark.parametrize("enabled", [True, False])
def test_opening_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path, enabled: bool) -> None:
    path = tmp_path / "l.sqlite"
    _with_second_record(path, lambda r: None)
    bad = tmp_path / "bad.sqlite"
    _with_second_record(bad, EDITS["claim id"])
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
            read = [claim.id for claim in ledger.claims()]
            state = gc.isenabled()
        with (
            open_ledger(bad, create=True, registries=REGISTRIES, clock=CLOCK) as damaged,
            pytest.raises(IntegrityError),
        ):
            damaged.claims()
        after_error = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert (read, state, after_error) == (["c0", "c1"], enabled, enabled)


def test_a_compact_record_referring_further_back_than_this_librarys_window_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conflict_ledger.stores import sqlite as sqlite_module

    # A note that repeats itself from 10,000 characters back, past the first 32 KiB that
    # inflate writes at once (within them, it finds what it refers to whatever its window)
    noise = random.Random(7).randbytes(20_000).hex()
    claim = attrs.evolve(make_claim("c0"), note=noise + noise[30_000:30_300])
    monkeypatch.setattr(sqlite_module, "COMPRESSION", sqlite_module.DEFLATE)
    monkeypatch.setattr(Deflate, "LEVEL", 6)
    monkeypatch.setattr(Deflate, "WINDOW_BITS", 15)
    with open_ledger(
        tmp_path / "wide.sqlite", create=True, registries=REGISTRIES, clock=CLOCK
    ) as wide:
        wide.append(claim)
        dictionary = base64.b64decode(wide.store.meta()["dictionary"])
        packed = wide.store.execute("SELECT data FROM claims")[0][0]
    monkeypatch.undo()
    with pytest.raises(zlib.error, match="too far back"):  # the narrow window alone fails
        zlib.decompressobj(-Deflate.WINDOW_BITS, dictionary).decompress(packed)
    with open_ledger(tmp_path / "wide.sqlite", registries=REGISTRIES) as again:
        assert again.claims() == (claim,)
        again.verify()


def test_records_read_by_position_are_those_records_checked(opener: Opener) -> None:
    # What an explanation of one place reads: the records at its positions, by key, and
    # none between them (the JSON Lines store reads by sweeping, as before).
    with opener() as ledger:
        ledger.extend([make_claim(f"c{i}", place=f"p{i % 3}", hour=i) for i in range(40)])
        store = ledger.store
        if opener.kind == "jsonl":
            assert not isinstance(store, ReadsByPosition)
            return
        assert isinstance(store, ReadsByPosition)
        every = list(store.records(0))
        wanted = [0, 3, 17, 39]
        assert list(store.records_at(wanted)) == [every[p] for p in wanted]
        assert list(store.records_at([5, 40, 41])) == [every[5]]  # only what it holds
    with opener() as again:  # a new reader: the records by position, in the order asked
        claims = [r.claim.id for r in again.at_positions([39, 3, 17])]
        assert claims == ["c39", "c3", "c17"]


def test_a_record_edited_in_sqlite_is_named_when_read_by_position(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    _edited_sqlite_ledger(path, 5, edited=3)
    with open_ledger(path, registries=REGISTRIES, clock=CLOCK) as ledger:
        assert [r.claim.id for r in ledger.at_positions([1, 4])] == ["c1", "c4"]
        with pytest.raises(IntegrityError) as caught:
            ledger.at_positions([2, 3])
        assert caught.value.position == 3


def test_a_ledger_this_process_may_not_write_is_read_and_writes_are_refused_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A ledger received on a read-only share (the file, or its folder, where SQLite keeps
    # its write-ahead log): it was called damaged and could not be read at all. Checked
    # by hand as an unprivileged user too (docs/integrity.md); here the permission check
    # is made to say no, as it does for such a user.
    path = tmp_path / "l.sqlite"
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        ledger.extend([make_claim(f"c{i}", hour=i) for i in range(4)])
        expected = ledger.records()
    real = os.access
    monkeypatch.setattr(
        "conflict_ledger.stores.sqlite.os.access",
        lambda where, mode: mode != os.W_OK and real(where, mode),
    )
    with open_ledger(path, registries=REGISTRIES, clock=CLOCK) as ledger:
        assert isinstance(ledger.store, SqliteStore)
        assert ledger.store.read_only
        assert ledger.records() == expected
        assert ledger.verify() == ledger.checkpoint()
        with pytest.raises(StorageError, match=r"read-only.*Copy the ledger to a folder"):
            ledger.append(make_claim("c9", hour=9))
        assert ledger.records() == expected  # the refused write left it as it was


def test_a_file_that_is_no_sqlite_database_is_not_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "export.sqlite"
    path.write_text("event_id_cnty,event_date\nSYR1,2024-12-07\n", encoding="utf-8")
    with pytest.raises(NotALedgerError, match=r"not a SQLite database.*ingest"):
        open_ledger(path)
