"""What only the PostgreSQL store does: ledgers side by side in one database, the database
refusing edits itself, writer and reader roles, tampering by a superuser caught by verify,
colleagues' appends announced, secrets kept out of messages. (The conformance suite in
test_stores.py runs the common behaviour against it too.)"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conflict_ledger import Captured, Claim, LedgerNotFoundError, SourceChain, ValidTime
from conflict_ledger.codec import open_ledger
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.errors import InvalidClaimError
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.merkle import ProofError
from conflict_ledger.stores import (
    AppendOnlyError,
    IntegrityError,
    PostgresStore,
    ServerError,
    StorageError,
)
from conflict_ledger.stores import postgres as postgres_module
from conflict_ledger.stores.postgres import redacted, role_statements
from conflict_ledger.testing.strategies import BASE, registries
from tests import pg

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


def opened(url: str) -> Ledger:
    return open_ledger(url, registries=REGISTRIES, clock=CLOCK, create=True)


@pytest.fixture
def schema() -> Iterator[str]:
    pg.base_url()
    try:
        yield pg.new_schema()
    finally:
        pg.drop_schemas()


@pytest.fixture
def pg_url(schema: str) -> str:
    """The URL of a ledger named "main" in a schema of the test's own."""
    return pg.schema_url(schema=schema)


def test_several_ledgers_live_side_by_side_in_one_schema(schema: str) -> None:
    syria, sudan = (pg.schema_url(name, schema=schema) for name in ("syria", "sudan"))
    with opened(syria) as one, opened(sudan) as two:
        one.extend([make_claim("s0"), make_claim("s1")])
        two.append(make_claim("d0", place="p1"))
        assert [c.id for c in one.claims()] == ["s0", "s1"]
        assert [c.id for c in two.claims()] == ["d0"]
        assert (one.store.size(), two.store.size()) == (2, 1)
    with opened(syria) as again:
        assert again.verify().size == 2


def test_the_database_refuses_edits_even_to_its_superuser(pg_url: str) -> None:
    with opened(pg_url) as ledger:
        ledger.extend([make_claim("c0"), make_claim("c1")])
        store = ledger.store
        assert isinstance(store, PostgresStore)
        for sql, detail in (
            ("UPDATE {s}.claims SET data = data", "UPDATE on claims refused"),
            ("DELETE FROM {s}.claims", "DELETE on claims refused"),
            ("TRUNCATE {s}.claims", "TRUNCATE on claims refused"),
            ("DELETE FROM {s}.meta", "DELETE on meta refused"),
            (
                "INSERT INTO {s}.claims VALUES ('main', 5, 'x', sha256('x'))",
                "a claim position out of sequence refused",
            ),
            (
                "INSERT INTO {s}.claims VALUES ('main', 1, 'x', sha256('x'))",
                "a position already taken refused",
            ),
        ):
            with pytest.raises(AppendOnlyError) as caught:
                store.execute(sql)
            assert caught.value.detail.startswith(detail)
        with (
            pg.connect() as plain,  # not through the library at all
            pytest.raises(Exception, match="append-only: TRUNCATE on vals refused"),
        ):
            plain.execute(f'TRUNCATE "{store.schema}".vals')
    with opened(pg_url) as again:
        assert [c.id for c in again.claims()] == ["c0", "c1"]


def test_a_superusers_edit_with_triggers_disabled_is_caught_by_verify(pg_url: str) -> None:
    with opened(pg_url) as ledger:
        ledger.extend([make_claim(f"c{i}", hour=i) for i in range(4)])
        published = ledger.checkpoint()
        schema = ledger.store.schema  # type: ignore[attr-defined]
        forged = Ledger(registries=REGISTRIES, clock=CLOCK)
        forged.extend([make_claim(f"c{i}", hour=i) for i in range(2)])
        forged.append(make_claim("c2", place="p1", hour=2))  # the same id, another place
        record = list(forged.store.records())[2]
    with pg.connect() as admin:  # rewrite record 2, its hash recomputed to match
        admin.execute("SET session_replication_role = replica")  # triggers off
        admin.execute(
            f'UPDATE "{schema}".claims SET data = %s, hash = %s WHERE position = 2',
            (record.data, record.hash),
        )
    with opened(pg_url) as reopened:
        assert reopened.claim("c2").event.place == "p1"  # every hash checks out...
        with pytest.raises(ProofError):  # ...but the ledger no longer extends what it published
            reopened.verify(checkpoint=published)
    with pg.connect() as admin:  # a crude edit: the record's own hash names it
        admin.execute("SET session_replication_role = replica")
        admin.execute(
            f"UPDATE \"{schema}\".claims SET data = data || ' '::bytea WHERE position = 1"
        )
    with opened(pg_url) as damaged, pytest.raises(IntegrityError) as caught:
        damaged.claims()  # opening reads no record; reading it names it (issue 15)
    assert caught.value.position == 1


def test_the_writer_role_appends_and_the_reader_role_only_reads(schema: str) -> None:
    owner_url = pg.schema_url(schema=schema)
    with opened(owner_url) as ledger:
        ledger.append(make_claim("c0"))
    with pg.roles("cl_writer", "cl_reader", "cl_alice", "cl_bob") as (
        writer,
        reader,
        alice,
        bob,
    ):
        with pg.connect() as admin:
            for statement in role_statements(schema=schema, writer=writer, reader=reader):
                admin.execute(statement)
            admin.execute(f"CREATE ROLE {alice} LOGIN IN ROLE {writer}")
            admin.execute(f"CREATE ROLE {bob} LOGIN IN ROLE {reader}")
        as_alice = owner_url.replace("postgres@", f"{alice}@", 1)
        as_bob = owner_url.replace("postgres@", f"{bob}@", 1)
        with opened(as_alice) as alices:
            alices.append(make_claim("c1"))
            with pytest.raises(ServerError, match="permission denied"):
                alices.store.execute("UPDATE {s}.claims SET data = data")  # type: ignore[attr-defined]
            assert AsOfIndex(alices).save() > 0  # a writer saves the index, twice
            assert AsOfIndex(alices).save() > 0
        with opened(as_bob) as bobs:
            assert [c.id for c in bobs.claims()] == ["c0", "c1"]
            assert len(AsOfIndex.load(bobs)) == 2  # a reader reads it
            with pytest.raises(ServerError, match="permission denied"):
                AsOfIndex(bobs).save()  # and may not replace it
            with pytest.raises(ServerError, match="writer role"):
                bobs.append(make_claim("c2"))
            assert len(bobs) == 2
        with pytest.raises(ServerError, match="permission denied"):  # may not create one
            opened(pg.schema_url("another", schema=schema).replace("postgres@", f"{bob}@", 1))


def test_a_ledger_the_database_does_not_hold_is_an_error_unless_created(pg_url: str) -> None:
    with pytest.raises(LedgerNotFoundError, match="holds no ledger named 'main'"):
        PostgresStore(pg_url, create=False)
    PostgresStore(pg_url).close()
    PostgresStore(pg_url, create=False).close()


def test_a_url_without_a_ledger_or_with_a_bad_name_is_a_typed_error() -> None:
    with pytest.raises(InvalidClaimError, match=r"Add \?ledger=NAME"):
        open_ledger("postgresql://someone@127.0.0.1/test")
    with pytest.raises(InvalidClaimError, match="schema"):
        PostgresStore("postgresql://someone@127.0.0.1/test?ledger=x&schema=Bad;Name")


def test_no_password_appears_in_a_message() -> None:
    url = "postgresql://alice:hunter2@127.0.0.1:1/test?ledger=x&connect_timeout=1"
    with pytest.raises(ServerError) as caught:
        open_ledger(url)
    assert "hunter2" not in str(caught.value)
    assert str(caught.value).startswith("postgresql://alice:***@127.0.0.1:1/test?")
    assert redacted("postgresql://db/x?password=p&ledger=l") == (
        "postgresql://db/x?password=***&ledger=l"
    )


def test_a_connection_lost_mid_batch_fails_the_batch_whole_and_the_store_reconnects(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with opened(pg_url) as ledger:
        ledger.append(make_claim("c0"))
        store = ledger.store
        backend = store.execute("SELECT pg_backend_pid()")[0][0]  # type: ignore[attr-defined]
        write = store.write_claims  # type: ignore[attr-defined]

        def lose_the_link_then_write(*args: object) -> None:  # inside the batch's transaction
            with pg.connect() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
            write(*args)

        monkeypatch.setattr(store, "write_claims", lose_the_link_then_write)
        with pytest.raises(StorageError):
            ledger.extend([make_claim("c1"), make_claim("c2")])
        monkeypatch.undo()
        assert len(ledger) == 1  # read through a new connection
        ledger.extend([make_claim("c1"), make_claim("c2")])
        assert [c.id for c in ledger.claims()] == ["c0", "c1", "c2"]


def test_a_connection_lost_between_batches_fails_the_next_one_whole_then_reconnects(
    pg_url: str,
) -> None:
    """The batch reads what colleagues committed before it takes the lock: that read
    finds the link gone (a ServerError), and nothing of the batch is written."""
    with opened(pg_url) as ledger:
        ledger.append(make_claim("c0"))
        store = ledger.store
        backend = store.execute("SELECT pg_backend_pid()")[0][0]  # type: ignore[attr-defined]
        with pg.connect() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
        with pytest.raises(ServerError):
            ledger.extend([make_claim("c1"), make_claim("c2")])
        assert len(ledger) == 1  # read through a new connection
        ledger.extend([make_claim("c1"), make_claim("c2")])
        assert [c.id for c in ledger.claims()] == ["c0", "c1", "c2"]


_COLLEAGUE = """
import sys
from conflict_ledger.codec import open_ledger
from conflict_ledger.ledger import fixed_clock
from conflict_ledger.testing.strategies import BASE, registries
from tests.test_stores_postgres import make_claim
with open_ledger(sys.argv[1], registries=registries(), clock=fixed_clock(BASE), create=True) as ledger:
    ledger.extend([make_claim(f"colleague{i}", place=f"p{i % 3}", hour=i) for i in range(5)])
"""


def test_an_index_sees_a_colleagues_appends_and_reads_only_them(pg_url: str) -> None:
    with opened(pg_url) as ledger:
        ledger.extend([make_claim(f"mine{i}", hour=i) for i in range(3)])
        index = AsOfIndex(ledger)
        store = ledger.store
        assert isinstance(store, PostgresStore)
        assert store.wait_for_appends(timeout=0.05) is None  # its own appends are not news
        starts: list[int] = []
        reading = store.records
        object.__setattr__(store, "records", lambda start=0: starts.append(start) or reading(start))
        root = Path(__file__).parent.parent
        subprocess.run(
            [sys.executable, "-c", _COLLEAGUE, pg_url],
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONPATH": f"{root / 'src'}{os.pathsep}{root}"},
        )
        assert store.wait_for_appends(timeout=30) == 8
        assert index.refresh() == 5
        assert starts == [3]  # only the new records were read
        assert index.snapshot(at=BASE.add(hours=10))["p2"].holder == "a1"
        assert store.wait_for_appends(timeout=0.05) is None


def test_a_ledger_read_in_chunks_reads_every_record_once_in_order(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres_module, "CHUNK", 7)
    with opened(pg_url) as ledger:
        ledger.extend([make_claim(f"c{i}", hour=i) for i in range(21)])
        published = ledger.checkpoint()
    with opened(pg_url) as again:
        assert [r.position for r in again] == list(range(21))
        assert again.verify(checkpoint=published) == published
        store = again.store
        assert [r.position for r in store.records(5)] == list(range(5, 21))
        assert [r.position for r in store.records(14)] == list(range(14, 21))
        assert list(store.records(21)) == []


def test_a_saved_index_is_kept_in_the_database_and_read_back(pg_url: str) -> None:
    from conflict_ledger.engine._places import SavedPlace
    from conflict_ledger.reference import explain, snapshot, timeline

    with opened(pg_url) as ledger:
        ledger.extend([make_claim(f"c{i}", place=f"p{i % 3}", hour=i) for i in range(9)])
        assert AsOfIndex(ledger).save() > 0
        ledger.extend([make_claim("later", place="p1", hour=2)])  # after the save
    with opened(pg_url) as again:
        index = AsOfIndex.load(again)
        assert all(type(entry) is SavedPlace for entry in index._by_slot)
        assert len(index) == 10
        for hour in (0, 3, 9):
            expected = snapshot(again, at=BASE.add(hours=hour))
            assert index.snapshot(at=BASE.add(hours=hour)) == expected
        # explain and timeline read the saved positions of p1's records, by key
        at = BASE.add(hours=5)
        assert index.explain("p1", at=at) == explain(again, "p1", at=at)
        assert index.timeline("p1") == timeline(again, "p1")


def test_an_index_built_over_retractions_reads_each_record_about_once(pg_url: str) -> None:
    # Each retraction's target is found among the claims being indexed, and a claim
    # looked up alone is one small read: a first build once read a whole chunk of the
    # ledger for every retraction.
    from conflict_ledger.events import Retraction

    with opened(pg_url) as ledger:
        claims = [make_claim(f"c{i}", place=f"p{i % 3}", hour=i) for i in range(400)]
        retractions = [
            Claim(
                id=f"r{i}",
                event=Retraction(target=f"c{i}"),
                valid=ValidTime.exact(BASE.add(hours=i + 2)),
                reported_at=BASE.add(hours=i + 2),
                source=SourceChain.of("s0"),
            )
            for i in range(0, 400, 20)
        ]
        ledger.extend([*claims, *retractions])
    with opened(pg_url) as again:
        store = again.store
        assert isinstance(store, PostgresStore)
        rows: list[int] = []
        copy_out = store._copy_out

        def counted(*args: Any, **kwargs: Any) -> Any:
            found = copy_out(*args, **kwargs)
            rows.append(len(found))
            return found

        object.__setattr__(store, "_copy_out", counted)
        index = AsOfIndex(again)
        assert index.snapshot(at=BASE.add(hours=30))["p0"].holder == "a1"
        assert sum(rows) <= len(again) + 64  # the records, and at most one small read more
        by_key: list[int] = []
        records_at = store.records_at

        def read_at(positions: Any) -> Any:
            found = list(records_at(positions))
            by_key.append(len(found))
            return iter(found)

        object.__setattr__(store, "records_at", read_at)
        assert again.claim("c7").id == "c7"  # one claim alone: that record, by its key
        assert by_key == [1]
