"""Opening a stored ledger reads no record; each is read, hash-checked and decoded when
first asked for (issue 15). Whatever order records are asked for in, the ledger answers
as the ledger that wrote them; a damaged record is named when read and by verify."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_ledger import snapshot
from conflict_ledger.canonical import canonical_json
from conflict_ledger.codec import open_ledger
from conflict_ledger.errors import DuplicateClaimError, UnknownClaimError
from conflict_ledger.ledger import Ledger
from conflict_ledger.reference import snapshot as reference_snapshot
from conflict_ledger.stores import IntegrityError, MemoryStore, StoredRecord
from conflict_ledger.testing.strategies import BASE, ledgers
from tests.forge import edit_in_place, stored
from tests.test_stores import CLOCK, REGISTRIES, make_claim


class CountingStore(MemoryStore):
    """A memory store that counts the claim records it hands out."""

    def __init__(self) -> None:
        super().__init__()
        self.handed = 0

    def records(self, start: int = 0) -> Iterator[StoredRecord]:
        for record in super().records(start):
            self.handed += 1
            yield record

    def records_at(self, positions: Sequence[int]) -> Iterator[StoredRecord]:
        for record in super().records_at(positions):
            self.handed += 1
            yield record


def _stored_ledger(count: int) -> tuple[CountingStore, Ledger]:
    store = CountingStore()
    writer = Ledger(registries=REGISTRIES, clock=CLOCK, store=store)
    writer.extend(make_claim(f"c{i}", hour=i) for i in range(count))
    store.handed = 0
    return store, Ledger(registries=REGISTRIES, clock=CLOCK, store=store)


def test_opening_reads_no_record_and_a_read_reads_only_what_it_asks_for() -> None:
    store, ledger = _stored_ledger(50)
    assert (len(ledger), store.handed) == (50, 0)
    assert [r.claim.id for r in ledger.since(48)] == ["c48", "c49"]
    assert store.handed == 2
    assert [r.claim.id for r in ledger.since(40)] == [f"c{i}" for i in range(40, 50)]
    assert store.handed == 10  # the two read before are kept
    assert [c.id for c in ledger.claims()] == [f"c{i}" for i in range(50)]
    assert store.handed == 50
    ledger.claims()
    assert store.handed == 50


def test_a_lazily_opened_ledger_appends_checks_ids_and_proves_as_one_read_whole() -> None:
    store, ledger = _stored_ledger(30)
    with pytest.raises(DuplicateClaimError):
        ledger.append(make_claim("c3"))
    ledger.append(make_claim("new", hour=40))
    whole = Ledger(registries=REGISTRIES, clock=CLOCK, store=store)
    whole.claims()
    assert ledger.checkpoint() == whole.checkpoint()
    assert ledger.inclusion_proof("new") == whole.inclusion_proof("new")
    assert ledger.verify() == whole.checkpoint()


def test_a_first_append_after_opening_reads_ids_not_claims() -> None:
    """The duplicate check reads each stored record's id from its bytes: only the last
    record (for its recorded time) is decoded into a claim; the others stay unread."""
    _, ledger = _stored_ledger(40)
    ledger.append(make_claim("new", hour=50))
    assert ledger._records.unread() == 39  # every old record but the last
    with pytest.raises(DuplicateClaimError):
        ledger.append(make_claim("c7"))
    assert ledger._records.unread() == 39
    assert ledger.record("c7").claim == make_claim("c7", hour=7)  # read when asked for


def test_an_id_read_from_a_damaged_record_names_the_record() -> None:
    store, ledger = _stored_ledger(10)
    store._records[4] = StoredRecord.of(4, b'{"not": "a claim record"}')
    with pytest.raises(IntegrityError) as caught:
        ledger.append(make_claim("new", hour=50))
    assert caught.value.position == 4


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ledger=ledgers(max_size=25),
    asks=st.lists(st.integers(min_value=0, max_value=30), max_size=6),
    data=st.data(),
)
def test_records_read_in_any_order_are_the_records_written(
    ledger: Ledger, asks: list[int], data: st.DataObject
) -> None:
    store = MemoryStore()
    ledger.copy_to(store)
    reopened = Ledger(registries=ledger.registries, clock=CLOCK, store=store)
    written = ledger.records()
    for position in asks:
        assert reopened.since(position) == written[position:]
    if written:
        some = data.draw(st.sampled_from(written))
        assert reopened.record(some.claim.id) == some
    at = BASE.add(hours=data.draw(st.integers(min_value=0, max_value=24 * 14)))
    assert snapshot(reopened, at=at) == reference_snapshot(ledger, at=at)
    assert reopened.records() == written
    assert reopened.checkpoint() == ledger.checkpoint()


def _sqlite(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "l.sqlite"
    with open_ledger(path, create=True, registries=REGISTRIES, clock=CLOCK) as ledger:
        ledger.extend(make_claim(f"c{i}", hour=i) for i in range(count))
    return path


def test_a_flipped_byte_in_a_record_the_open_does_not_read_is_caught_by_verify_and_on_read(
    tmp_path: Path,
) -> None:
    path = _sqlite(tmp_path, 6)
    records, _ = stored(path)
    edit_in_place(path, 4, canonical_json(records[4]).replace(b'"c4"', b'"c9"'), rehash=False)
    with open_ledger(path, registries=REGISTRIES, clock=CLOCK) as ledger:
        assert len(ledger) == 6  # the open reads no record
        assert [r.claim.id for r in ledger.since(5)] == ["c5"]
        for read in (ledger.verify, lambda: ledger.since(3), ledger.checkpoint):
            with pytest.raises(IntegrityError) as caught:
                read()
            assert caught.value.position == 4


def test_a_record_deleted_after_the_open_counted_it_is_named_when_read(tmp_path: Path) -> None:
    path = _sqlite(tmp_path, 6)
    with open_ledger(path, registries=REGISTRIES, clock=CLOCK) as ledger:
        assert len(ledger) == 6
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("DROP TRIGGER claims_no_delete")
        raw.execute("DELETE FROM claims WHERE position = 5")
        raw.close()
        # named by the read of it, or, where the file keeps an index of claim ids that
        # still covers it, as soon as the ledger asks the store how many it holds
        with pytest.raises(IntegrityError, match=r"gone|disappeared") as caught:
            ledger.claims()
        assert caught.value.position == 5
        with pytest.raises(IntegrityError, match="disappeared"):
            ledger.verify()


@pytest.mark.parametrize(
    "positions", [[], [7], [3, 1, 3], [0, 49], list(range(10, 40, 2)), [48, 2]]
)
def test_records_read_at_positions_are_those_records_and_only_they_are_decoded(positions):
    _store, ledger = _stored_ledger(50)
    got = ledger.at_positions(positions)
    assert [r.claim.id for r in got] == [f"c{p}" for p in positions]
    assert ledger._records.unread() == 50 - len(set(positions))
    assert ledger.at_positions(positions) == got


def test_records_by_claim_id_build_those_claims_only() -> None:
    # What a GeoJSON export reads: the claims the written states rest on. The ids come
    # from every record's bytes (not decoded into claims); the records asked for are
    # read together, by position; an unknown id is a typed error.
    _store, ledger = _stored_ledger(40)
    found = ledger.records_of(["c31", "c7", "c7"])
    assert {claim_id: record.position for claim_id, record in found.items()} == {
        "c31": 31,
        "c7": 7,
    }
    assert [ledger._records.is_read(p) for p in (7, 31)] == [True, True]
    assert sum(ledger._records.is_read(p) for p in range(40)) == 2
    with pytest.raises(UnknownClaimError):
        ledger.records_of(["c7", "nope"])
