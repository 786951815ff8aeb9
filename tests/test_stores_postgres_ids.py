"""The PostgreSQL store's index of claim ids: writers refuse a duplicate id without
reading each other's records, the server refuses one appended meanwhile, and ledgers
whose schema or records came without the index (an earlier version, a copy) get it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from conflict_ledger import reference, snapshot
from conflict_ledger.codec import open_ledger
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.errors import DuplicateClaimError, InvalidBatchError, UnknownClaimError
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.stores import MemoryStore, PostgresStore
from conflict_ledger.testing.strategies import BASE, registries
from tests import pg
from tests.test_stores_crash import make_claim, retraction

REGISTRIES = registries()
CLOCK = fixed_clock(BASE)


def opened(url: str) -> Ledger:
    return open_ledger(url, registries=REGISTRIES, clock=CLOCK, create=True)


@pytest.fixture
def pg_url() -> Iterator[str]:
    pg.base_url()
    try:
        yield pg.schema_url()
    finally:
        pg.drop_schemas()


def store_of(ledger: Ledger) -> PostgresStore:
    store = ledger.store
    assert isinstance(store, PostgresStore)
    return store


def index_rows(ledger: Ledger) -> list[tuple[int, str]]:
    """The server's index of claim ids, by position."""
    rows = store_of(ledger).execute(
        "SELECT position, claim_id FROM {s}.claim_ids WHERE ledger = %s ORDER BY position",
        (store_of(ledger).ledger,),
    )
    return [(int(p), str(c)) for p, c in rows]


@contextmanager
def records_read(ledger: Ledger) -> Iterator[list[int]]:
    """The positions of the claim records ``ledger``'s store hands out meanwhile."""
    store, read = store_of(ledger), list[int]()
    records, records_at = store.records, store.records_at

    def counted(start: int = 0) -> Iterator[Any]:
        for stored in records(start):
            read.append(stored.position)
            yield stored

    def counted_at(positions: Any) -> Iterator[Any]:
        for stored in records_at(positions):
            read.append(stored.position)
            yield stored

    object.__setattr__(store, "records", counted)
    object.__setattr__(store, "records_at", counted_at)
    try:
        yield read
    finally:
        object.__setattr__(store, "records", records)
        object.__setattr__(store, "records_at", records_at)


def test_a_writer_refuses_a_colleagues_id_reading_none_of_their_records(pg_url: str) -> None:
    with opened(pg_url) as alice, opened(pg_url) as bob:
        alice.extend([make_claim(f"a{i}", hour=i) for i in range(300)])
        with records_read(bob) as read:
            with pytest.raises(DuplicateClaimError) as caught:
                bob.extend([make_claim("b0"), make_claim("a17")])
            assert caught.value.claim_id == "a17"
            bob.extend([make_claim("b0"), make_claim("b1")])
            # what Bob retracts is looked up by its id: that record alone is read
            bob.append(retraction("b2", "a250"))
            with pytest.raises(UnknownClaimError):
                bob.append(retraction("b3", "no-such-claim"))
        assert len(bob) == 303
        assert sorted(set(read)) == [250, 299]  # the target; the last record, for its stamp
        assert index_rows(bob) == [(r.position, r.claim.id) for r in bob.records()]
        assert alice.verify() == bob.verify()


def test_an_id_a_colleague_appends_while_a_batch_waits_is_refused_at_commit(
    pg_url: str,
) -> None:
    with opened(pg_url) as alice, opened(pg_url) as bob:
        alice.append(make_claim("c0"))
        bob.append(make_claim("b0"))
        store = store_of(bob)
        writing = store.writing
        raced = []

        @contextmanager
        def colleague_first() -> Iterator[None]:
            if not raced:  # after Bob's batch was checked, before it takes the lock
                raced.append(alice.extend([make_claim("x1", hour=1), make_claim("x2")]))
            with writing():
                yield

        object.__setattr__(store, "writing", colleague_first)
        with pytest.raises(InvalidBatchError) as caught:
            bob.extend([make_claim("b1"), make_claim("x2"), make_claim("x1", hour=1)])
        assert sorted(e.claim_id for e in caught.value.exceptions) == ["x1", "x2"]  # type: ignore[attr-defined]
        assert [c.id for c in bob.claims()] == ["c0", "b0", "x1", "x2"]  # nothing of it
        with pytest.raises(DuplicateClaimError):
            bob.append(make_claim("x2"))
        object.__setattr__(store, "writing", writing)
        bob.append(make_claim("b1"))  # numbered after Alice's, not where it was drafted
        assert [(r.position, r.claim.id) for r in bob.records()][-1] == (4, "b1")
        assert index_rows(alice) == [(r.position, r.claim.id) for r in alice.records()]


def test_a_batch_drafted_before_colleagues_appended_is_numbered_after_them(
    pg_url: str,
) -> None:
    """The batch is checked once, then only numbered and hashed again under the lock; the
    result is what a serial replay gives, and its recorded time does not run back."""
    late = fixed_clock(BASE.add(days=1))
    with opened(pg_url) as alice, open_ledger(pg_url, registries=REGISTRIES, clock=CLOCK) as bob:
        bob.append(make_claim("b0"))
        store = store_of(bob)
        writing = store.writing
        raced = []

        locked = []

        @contextmanager
        def colleague_first() -> Iterator[None]:
            if not raced:
                with open_ledger(pg_url, registries=REGISTRIES, clock=late) as carol:
                    raced.append(carol.extend([make_claim(f"c{i}", hour=i) for i in range(5)]))
            with writing():
                locked.append(1)
                yield

        object.__setattr__(store, "writing", colleague_first)
        with records_read(bob) as read:
            appended = bob.extend([make_claim(f"b{i}", hour=i) for i in range(1, 4)])
        assert read == [5]  # Carol's last record, for its stamp; her ids are not read
        assert len(locked) == 1  # numbered again under the lock, not given up to catch up
        assert [r.position for r in appended] == [6, 7, 8]
        assert {r.recorded_at for r in appended} == {BASE.add(days=1)}
        replay = Ledger(registries=REGISTRIES, clock=CLOCK, store=MemoryStore())
        for record in alice.records():
            replay.extend([record.claim])
        assert [c.id for c in replay.claims()] == [c.id for c in alice.claims()]
        assert alice.verify() == bob.verify()
        assert index_rows(alice) == [(r.position, r.claim.id) for r in alice.records()]


def test_a_schema_made_before_the_index_gets_it_with_the_ids_already_there(
    pg_url: str,
) -> None:
    with opened(pg_url) as first:
        first.extend([make_claim(f"c{i}", hour=i) for i in range(40)])
        store_of(first).execute("DROP TABLE {s}.claim_ids")  # as an earlier version made it
    with opened(pg_url) as later:
        with pytest.raises(DuplicateClaimError):
            later.append(make_claim("c7"))
        later.append(make_claim("new"))
        assert index_rows(later) == [(r.position, r.claim.id) for r in later.records()]
    with opened(pg_url) as again, records_read(again) as read:
        with pytest.raises(DuplicateClaimError):
            again.append(make_claim("c8"))
        assert read == [40]  # the last record, for its stamp: the index refused the id


def test_records_written_without_their_ids_are_indexed_by_the_next_batch(
    pg_url: str,
) -> None:
    """A copy into the database, or an earlier version's writer, leaves the index behind
    the records: a writer then reads the ids it lacks, and its batch fills the index in."""
    source = Ledger(registries=REGISTRIES, clock=CLOCK, store=MemoryStore())
    source.extend([make_claim(f"c{i}", hour=i) for i in range(30)])
    target = PostgresStore(pg_url)
    with target.writing():  # an earlier version wrote these, without the ids
        object.__setattr__(target, "_ids", False)
        target.write(list(source.store.records(0)), list(source.store.values(0)))
    target.close()
    with opened(pg_url) as ledger:
        assert index_rows(ledger) == []
        with pytest.raises(DuplicateClaimError):
            ledger.append(make_claim("c29"))
        ledger.append(make_claim("c30"))
        assert index_rows(ledger) == [(r.position, r.claim.id) for r in ledger.records()]
    copy = pg.schema_url()
    with opened(copy) as copied:  # a copy (save_ledger, copy_to): the server reads the ids
        source.copy_to(copied.store)
        assert index_rows(copied) == [(r.position, r.claim.id) for r in source.records()]


def test_the_server_refuses_a_batch_reusing_an_id_and_keeps_nothing_of_it(pg_url: str) -> None:
    from conflict_ledger.stores import ClaimIdTakenError

    with opened(pg_url) as ledger:
        ledger.extend([make_claim("c0"), make_claim("c1")])
        store = store_of(ledger)
        records = list(store.records(0))
        moved = [type(r).of(2 + i, r.data) for i, r in enumerate(records)]

        def write_reusing_c1() -> None:
            with store.writing():
                store.write_claims(moved, ["c9", "c1"])

        with pytest.raises(ClaimIdTakenError):
            write_reusing_c1()
        assert store.size() == 2
        assert index_rows(ledger) == [(0, "c0"), (1, "c1")]


def test_a_claim_looked_up_by_id_on_a_ledger_just_opened_reads_that_record(
    pg_url: str,
) -> None:
    with opened(pg_url) as ledger:
        ledger.extend([make_claim(f"c{i}", hour=i) for i in range(500)])
    with opened(pg_url) as again, records_read(again) as read:
        assert again.claim("c321").id == "c321"
        assert sorted(again.records_of(["c7", "c499"])) == ["c499", "c7"]
        with pytest.raises(UnknownClaimError):
            again.claim("c500")
        assert sorted(read) == [7, 321, 499]


def test_a_writer_who_may_not_make_the_index_checks_ids_by_reading_them() -> None:
    """On a schema made before the index, a writer role (which may not create tables)
    appends as earlier versions did; the owner's next batch makes and fills the index."""
    pg.base_url()
    schema = pg.new_schema()
    try:
        owner_url = pg.schema_url(schema=schema)
        with opened(owner_url) as ledger:
            ledger.extend([make_claim("c0"), make_claim("c1")])
            store_of(ledger).execute("DROP TABLE {s}.claim_ids")
        with pg.roles("cl_old_writer", "cl_old_alice") as (writer, alice), pg.connect() as admin:
            admin.execute(f"CREATE ROLE {writer} NOLOGIN")  # as an earlier version's grants
            admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO {writer}")
            admin.execute(f"GRANT SELECT, INSERT ON {schema}.meta, {schema}.claims TO {writer}")
            admin.execute(f"GRANT SELECT, INSERT ON {schema}.vals TO {writer}")
            admin.execute(f"CREATE ROLE {alice} LOGIN IN ROLE {writer}")
            as_alice = owner_url.replace("postgres@", f"{alice}@", 1)
            with opened(as_alice) as alices:
                with pytest.raises(DuplicateClaimError):
                    alices.append(make_claim("c1"))
                alices.append(make_claim("c2"))
                assert not store_of(alices).guards_claim_ids()
            with opened(owner_url) as ledger:  # the owner's batch makes the index
                ledger.append(make_claim("c3"))
                assert index_rows(ledger) == [(0, "c0"), (1, "c1"), (2, "c2"), (3, "c3")]
                AsOfIndex(ledger).save()  # and the derived table, which Alice may not read
            with opened(as_alice) as alices:  # her grants still predate both tables
                with pytest.raises(DuplicateClaimError):
                    alices.append(make_claim("c3"))
                store, asked = store_of(alices), []
                sql = store._sql
                object.__setattr__(store, "_sql", lambda text: asked.append(text) or sql(text))
                alices.append(make_claim("c4"))  # without its id: the index falls behind
                alices.append(make_claim("c4b"))
                made = [text for text in asked if "CREATE TABLE" in text]
                assert len(made) == 1  # may it make the index? asked once, not every batch
                assert (
                    snapshot(alices, at=BASE).places == reference.snapshot(alices, at=BASE).places
                )  # read from the records
        with opened(owner_url) as ledger:
            ledger.append(make_claim("c5"))  # fills the index in
            assert [c for _, c in index_rows(ledger)] == ["c0", "c1", "c2", "c3", "c4", "c4b", "c5"]
    finally:
        pg.drop_schemas()


def test_a_lookup_the_server_fails_is_one_error_not_one_a_claim(pg_url: str) -> None:
    """A server gone while a batch's ids are looked up raises its ServerError, as a
    restarted server does anywhere else, not a batch error repeating it for each claim."""
    from conflict_ledger.stores import ServerError

    with opened(pg_url) as ledger:
        ledger.append(make_claim("c0"))
        store = store_of(ledger)

        def gone(claim_ids: object) -> None:
            raise ServerError(path=store.path, detail="the server restarted")

        object.__setattr__(store, "claim_positions", gone)
        with opened(pg_url) as colleague:
            colleague.append(make_claim("c1"))  # so that the lookup goes to the server
        with pytest.raises(ServerError):  # what the batch retracts is looked up
            ledger.extend([make_claim("b0"), make_claim("b1"), retraction("r0", "c1")])
        assert len(ledger) == 2


def test_checking_a_batch_without_appending_finds_a_colleagues_id(pg_url: str) -> None:
    """An append leaves its own ids to the index, which refuses them at commit; a check
    writes nothing, so it looks them up."""
    with opened(pg_url) as alice, opened(pg_url) as bob:
        alice.extend([make_claim(f"a{i}", hour=i) for i in range(50)])
        with pytest.raises(DuplicateClaimError):
            bob.check([make_claim("b0"), make_claim("a7")])
        assert [c.id for c in bob.check([make_claim("b0")])] == ["b0"]
        assert len(bob) == 50


def test_a_bad_batch_names_a_colleagues_id_among_its_problems(pg_url: str) -> None:
    """A batch refused for another reason still names every problem, the ids colleagues
    took included (looked up once the batch is found bad)."""
    with opened(pg_url) as alice, opened(pg_url) as bob:
        alice.extend([make_claim(f"a{i}", hour=i) for i in range(20)])
        with pytest.raises(InvalidBatchError) as caught:
            bob.extend([make_claim("a3"), retraction("b1", "no-such-claim")])
        kinds = sorted(type(error).__name__ for error in caught.value.exceptions)
        assert kinds == ["DuplicateClaimError", "UnknownClaimError"]
        assert len(bob) == 20
