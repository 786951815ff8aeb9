"""Compact SQLite ledgers: zstd frames against a raw-content dictionary, then against one
trained on the ledger's own records; files deflated by earlier versions still read."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest
import zstandard

from conflict_ledger import Captured, Claim, SourceChain, ValidTime
from conflict_ledger.codec import open_ledger
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.stores import SqliteStore, StoredRecord
from conflict_ledger.stores import sqlite as sqlite_module
from conflict_ledger.stores.base import AppendOnlyError, IntegrityError
from conflict_ledger.testing.strategies import BASE, registries

REGISTRIES = registries()
CLOCK = fixed_clock(BASE)
TRAIN_AT = 400  # small enough to be quick, large enough for zstd to train on


def make_claims(count: int, first: int = 0) -> list[Claim]:
    return [
        Claim(
            id=f"c{i}",
            event=Captured(place=f"p{i % 3}", actor=f"a{i % 2}"),
            valid=ValidTime.exact(BASE.add(hours=i)),
            reported_at=BASE.add(hours=i + 1),
            source=SourceChain.of(f"s{i % 3}"),
            note=f"report {i} of the day, from the front line near p{i % 3}",
        )
        for i in range(first, first + count)
    ]


def new_ledger(path: Path, *, compact: bool = True, **options: Any) -> Ledger:
    """A new SQLite ledger at ``path`` (the store makes the file, then it is opened)."""
    SqliteStore(path, compact=compact).close()
    return open_ledger(path, registries=REGISTRIES, clock=CLOCK, **options)


def frame_dictionaries(path: Path) -> list[int]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT data FROM claims ORDER BY position").fetchall()
    finally:
        db.close()
    return [zstandard.get_frame_parameters(row[0]).dict_id for row in rows]


@pytest.fixture
def train_early(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_module, "_TRAIN_AT", TRAIN_AT)


@pytest.mark.usefixtures("train_early")
def test_records_after_the_ledger_holds_enough_are_packed_against_a_trained_dictionary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.sqlite"
    claims = make_claims(TRAIN_AT + 200)
    with new_ledger(path) as ledger:
        for first in range(0, len(claims), 100):  # small batches: trained from earlier ones
            ledger.extend(claims[first : first + 100])
        published = ledger.checkpoint()
    used = frame_dictionaries(path)
    assert used == [0] * (TRAIN_AT - 100) + [1] * 300
    with open_ledger(path, registries=REGISTRIES) as again:
        assert again.claims() == tuple(claims)
        assert again.verify(checkpoint=published) == published


@pytest.mark.usefixtures("train_early")
def test_a_trained_dictionary_makes_records_smaller(tmp_path: Path) -> None:
    claims = make_claims(TRAIN_AT * 2)
    sizes = []
    for name, trained_at in (("raw.sqlite", 10**9), ("trained.sqlite", TRAIN_AT)):
        sqlite_module._TRAIN_AT = trained_at
        with new_ledger(tmp_path / name) as ledger:
            ledger.extend(claims)
            rows = ledger.store.execute("SELECT sum(length(data)) FROM claims")  # type: ignore[attr-defined]
            sizes.append(rows[0][0])
    assert sizes[1] < sizes[0] * 0.8


@pytest.mark.usefixtures("train_early")
def test_an_edited_dictionary_is_caught_naming_a_record(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with new_ledger(path) as ledger:
        ledger.extend(make_claims(TRAIN_AT + 10))
        with pytest.raises(AppendOnlyError):
            ledger.store.execute("DELETE FROM dicts")  # type: ignore[attr-defined]
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER dicts_no_update")
    (trained,) = raw.execute("SELECT data FROM dicts").fetchone()
    edited = trained[:-100] + bytes(reversed(trained[-100:]))  # its content, not its header
    raw.execute("UPDATE dicts SET data = ?", (edited,))
    raw.commit()
    raw.close()
    with (
        open_ledger(path, registries=REGISTRIES) as edited,
        pytest.raises(IntegrityError) as caught,
    ):
        edited.claims()  # opening reads no record; the first read names the first it breaks
    assert caught.value.position == 0  # the first batch trained it: every record uses it


@pytest.mark.usefixtures("train_early")
def test_a_writer_that_opened_before_another_trained_reads_and_appends_after_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.sqlite"
    with (
        new_ledger(path) as first,
        open_ledger(path, registries=REGISTRIES, clock=CLOCK) as second,
    ):
        first.extend(make_claims(TRAIN_AT + 10))
        second.extend(make_claims(5, first=TRAIN_AT + 10))  # reads first's records, then appends
        assert len(second) == len(first) == TRAIN_AT + 15
    assert frame_dictionaries(path)[-5:] == [1] * 5
    with open_ledger(path, registries=REGISTRIES) as again:
        assert again.claims() == tuple(make_claims(TRAIN_AT + 15))


@pytest.mark.usefixtures("train_early")
def test_a_batch_rolled_back_leaves_no_trained_dictionary_behind(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    store = SqliteStore(path)
    good = [StoredRecord.of(i, b'{"n":%d,"text":"some words"}' % i) for i in range(TRAIN_AT)]
    gap = StoredRecord.of(TRAIN_AT + 1, b"{}")  # out of sequence: the batch is refused
    with pytest.raises(AppendOnlyError), store.writing():
        store.write([*good, gap], [])
    with store.writing():
        store.write(good[:10], [])
    assert store.execute("SELECT count(*) FROM dicts") == [(0,)]
    assert [r.data for r in store.records()] == [r.data for r in good[:10]]
    store.close()
    assert frame_dictionaries(path) == [0] * 10


def test_a_ledger_deflated_by_an_earlier_version_reads_and_grows_deflated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    monkeypatch.setattr(sqlite_module, "COMPRESSION", sqlite_module.DEFLATE)
    with new_ledger(path) as old:
        old.extend(make_claims(20))
        published = old.checkpoint()
    monkeypatch.undo()
    monkeypatch.setattr(sqlite_module, "_TRAIN_AT", 10)
    with open_ledger(path, registries=REGISTRIES, clock=CLOCK) as ledger:
        assert ledger.store.meta()["compression"] == "deflate-dictionary-1"
        assert ledger.verify(checkpoint=published) == published
        ledger.extend(make_claims(5, first=20))
        assert ledger.store.execute("SELECT count(*) FROM dicts") == [(0,)]  # type: ignore[attr-defined]
    with open_ledger(path, registries=REGISTRIES) as again:
        assert again.claims() == tuple(make_claims(25))


def test_an_uncompressed_ledger_stays_plain(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite"
    claims = [attrs.evolve(claim, note="plain") for claim in make_claims(3)]
    with new_ledger(path, compact=False) as ledger:
        ledger.extend(claims)
        rows = ledger.store.execute("SELECT data FROM claims")  # type: ignore[attr-defined]
    assert all(bytes(row[0]).startswith(b'{"claim":') for row in rows)
    with open_ledger(path, registries=REGISTRIES) as again:
        assert again.claims() == tuple(claims)


def test_frames_packed_in_one_call_are_the_frames_packed_one_by_one() -> None:
    from conflict_ledger.stores._packing import Zstd

    datas = [b'{"claim":{"id":"c%d","note":"%s"}}' % (i, b"x" * (i % 50)) for i in range(300)]
    packer = Zstd(b'{"claim":{"id":"', {})
    assert packer.pack_many(datas) == [packer.pack(data) for data in datas]
    assert [packer.unpack(frame) for frame in packer.pack_many(datas)] == datas
    assert packer.pack_many(datas[:1]) == [packer.pack(datas[0])]
