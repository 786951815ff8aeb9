"""A saved as-of index (AsOfIndex.save / AsOfIndex.load, engine/_saved.py) against the
reference fold: saved after any prefix of a generated ledger, read back, and brought up
to date with the late, back-dated, retracted and corrected claims appended after it."""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import warnings
from pathlib import Path
from unittest import mock

import attrs
import orjson
import pytest
import zstandard
from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.codec import open_ledger
from conflict_ledger.engine import AsOfIndex, _saved
from conflict_ledger.engine._explain import named_in
from conflict_ledger.engine._places import SavedPlace
from conflict_ledger.errors import SavedIndexWarning
from conflict_ledger.events import Captured, ControlLost, HandedOver, Holds, Retraction
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.queries import index_of
from conflict_ledger.records import Outline
from conflict_ledger.reference import explain, fold_as_of, place_claims, snapshot, timeline
from conflict_ledger.rules.territory import TERRITORY, PlaceFold
from conflict_ledger.saving import save_ledger
from conflict_ledger.seed import load_seed
from conflict_ledger.stores import MemoryStore
from conflict_ledger.stores.base import IntegrityError
from conflict_ledger.testing.strategies import BASE, ledgers
from tests.support import clash, clashes, december_claim
from tests.test_index import _MergeEveryBatch, busy_ledgers, checkpoints, kinds, known_times, times
from tests.test_table import _expected, _rows


def _stored(ledger: Ledger, count: int) -> Ledger:
    """A ledger with a store of its own holding the first ``count`` claims of ``ledger``."""
    stored = Ledger(registries=ledger.registries, clock=fixed_clock(BASE), store=MemoryStore())
    stored.extend(r.claim for r in ledger.records()[:count])
    return stored


@given(busy_ledgers, st.data(), checkpoints, kinds)
def test_a_saved_index_read_back_answers_as_the_oracle(ledger, data, every, kind):
    cls, column_every = kind
    records = ledger.records()
    cut = data.draw(st.integers(min_value=0, max_value=len(records)), label="saved after")
    growing = _stored(ledger, cut)
    built = cls(growing, checkpoint_every=every, column_every=column_every)
    if data.draw(st.booleans(), label="ask before saving"):
        built.snapshot(at=data.draw(times), known_at=data.draw(known_times))
    assert built.save() > 0
    growing.extend(r.claim for r in records[cut:])  # appended after the save
    with warnings.catch_warnings():
        warnings.simplefilter("error", SavedIndexWarning)  # it fits: no warning
        index = cls.load(growing, checkpoint_every=every, column_every=column_every)
    assert type(index) is cls
    assert len(index) == len(records)
    for _ in range(3):
        at, known_at = data.draw(times, label="at"), data.draw(known_times, label="known_at")
        expected = snapshot(growing, at=at, known_at=known_at)
        if data.draw(st.booleans(), label="a table first"):  # rows made from saved places
            assert _rows(index.table(at=at, known_at=known_at)) == _expected(expected)
        assert index.snapshot(at=at, known_at=known_at) == expected
        assert dict(index.holders(at=at, known_at=known_at)) == {
            s.place: s.holder for s in expected
        }
        assert _rows(index.table(at=at, known_at=known_at)) == _expected(expected)
        folds = fold_as_of(growing, TERRITORY, at=at, known_at=known_at)
        for place in index.places():
            got = index.place_claims(place, at=at, known_at=known_at)
            assert got == place_claims(growing, place, at=at, known_at=known_at)
            fold = index.place_fold(place, at=at, known_at=known_at)
            assert fold == folds.get(place, PlaceFold(place=place))
            why = index.explain(place, at=at, known_at=known_at)
            assert why == explain(growing, place, at=at, known_at=known_at)
    for place in index.places():
        assert index.timeline(place) == timeline(growing, place)
    _ask_where_knowledge_changed(index, growing)


def _ask_where_knowledge_changed(index: AsOfIndex, ledger: Ledger) -> None:
    """Ask the holders just after each claim began, as known just before it was reported:
    where a claim reported late, or a retraction, makes knowledge differ from now."""
    for record in ledger.records():
        claim = record.claim
        at, known_at = claim.valid.start, claim.reported_at.subtract(microseconds=1)
        expected = {s.place: s.holder for s in snapshot(ledger, at=at, known_at=known_at)}
        assert dict(index.holders(at=at, known_at=known_at)) == expected


@given(busy_ledgers, st.data())
def test_appends_after_a_saved_index_was_read_land_where_they_belong(ledger, data):
    # Read back first, then append: late claims, retractions and corrections reach
    # places read and places not read yet, and answers handed out before keep theirs.
    records = ledger.records()
    cut = data.draw(st.integers(min_value=0, max_value=len(records)), label="saved after")
    growing = _stored(ledger, cut)
    AsOfIndex(growing, checkpoint_every=2).save()
    index = AsOfIndex.load(growing, checkpoint_every=2)
    kept = []
    done = cut
    while done < len(records):
        at, known_at = data.draw(times, label="at"), data.draw(known_times, label="known_at")
        kept.append((done, at, known_at, index.snapshot(at=at, known_at=known_at)))
        step = data.draw(st.integers(min_value=1, max_value=4), label="step")
        growing.extend(r.claim for r in records[done : done + step])
        done += step
        assert index.snapshot(at=at, known_at=known_at) == snapshot(
            growing, at=at, known_at=known_at
        )
    for size, at, known_at, answer in kept:
        assert answer == snapshot(_stored(ledger, size), at=at, known_at=known_at)
    _ask_where_knowledge_changed(index, growing)


def _seed_file(tmp_path, name="seed.sqlite"):
    path = tmp_path / name
    save_ledger(load_seed(), path)
    return open_ledger(path)


def test_a_sqlite_ledger_keeps_its_saved_index_and_the_door_reads_it(tmp_path):
    ledger = _seed_file(tmp_path)
    saved = AsOfIndex(ledger).save()
    assert saved > 0
    ledger.close()
    again = open_ledger(tmp_path / "seed.sqlite")
    with warnings.catch_warnings():
        warnings.simplefilter("error", SavedIndexWarning)
        index = index_of(again)
    # Read back, not built: every place is a saved one, not read until asked about.
    assert all(type(entry) is SavedPlace for entry in index._by_slot)
    assert index.snapshot(at="2024-12-07T00:00Z") == snapshot(load_seed(), at="2024-12-07T00:00Z")
    assert index.place_state("deir-ez-zor", at="2024-12-08T00:00Z").holder == "sdf"


def test_a_ledger_without_derived_data_saves_nothing_and_builds():
    seed = load_seed()  # no store of its own
    assert AsOfIndex(seed).save() == 0
    assert seed.derived(_saved.NAME) is None
    assert AsOfIndex.load(seed).snapshot(at="2024-12-07T00:00Z") == snapshot(
        seed, at="2024-12-07T00:00Z"
    )


def _saved_seed(tmp_path):
    ledger = _seed_file(tmp_path)
    AsOfIndex(ledger).save()
    return ledger, ledger.derived(_saved.NAME)


def _set_aside(ledger, data, match):
    """Load ``ledger`` with ``data`` as its saved index: set aside with a warning
    matching ``match``, and the answers still the oracle's."""
    ledger.keep_derived(_saved.NAME, data)
    with pytest.warns(SavedIndexWarning, match=match):
        index = AsOfIndex.load(ledger)
    assert not any(type(entry) is SavedPlace for entry in index._by_slot)
    assert index.snapshot(at="2024-12-07T00:00Z") == snapshot(ledger, at="2024-12-07T00:00Z")


def test_a_damaged_byte_is_caught_at_open_and_the_index_is_built(tmp_path):
    ledger, data = _saved_seed(tmp_path)
    flipped = bytearray(data)
    flipped[-10] ^= 0x01
    _set_aside(ledger, bytes(flipped), "do not match their SHA-256")
    _set_aside(ledger, data[:-1], "do not match their SHA-256")  # cut short
    _set_aside(ledger, b"not a header\n" + data, "header does not read")


def _with_header(data: bytes, **changes) -> bytes:
    line, _, body = data.partition(b"\n")
    return orjson.dumps({**orjson.loads(line), **changes}) + b"\n" + body


def test_a_saved_index_that_does_not_fit_is_set_aside(tmp_path):
    ledger, data = _saved_seed(tmp_path)
    _set_aside(ledger, _with_header(data, layout="0" * 16), "another version")
    _set_aside(ledger, _with_header(data, every=3), "other checkpoint_every")
    _set_aside(ledger, _with_header(data, size=len(ledger) + 5), "covers 21 records")
    _set_aside(ledger, _with_header(data, last="00" * 32), "not the one it was saved after")


def test_a_saved_index_of_another_ledger_is_set_aside(tmp_path):
    _, data = _saved_seed(tmp_path)
    other = _seed_file(tmp_path, "other.sqlite")
    other.extend([attrs.evolve(load_seed().claims()[0], id="another-claim")])
    # The same first records, so the saved index is only caught by the last one.
    short = Ledger(registries=other.registries, store=MemoryStore())
    short.extend(other.claims()[1:])
    _set_aside(short, data, "not the one it was saved after|covers")


def _forged(data: bytes, payload: bytes) -> bytes:
    """``data`` with its shared frame replaced by ``payload``, the digest made to fit:
    what someone who can write the ledger's file could do."""
    line, _, body = data.partition(b"\n")
    header = orjson.loads(line)
    frame = zstandard.ZstdCompressor().compress(payload)
    new_body = frame + body[header["shared"] :]
    header.update(shared=len(frame), body=hashlib.sha256(new_body).hexdigest())
    return orjson.dumps(header) + b"\n" + new_body


class _RunsCode:
    def __reduce__(self):
        return (print, ("this must never run",))


def test_a_forged_saved_index_never_runs_code(tmp_path, capsys):
    ledger, data = _saved_seed(tmp_path)
    _set_aside(ledger, _forged(data, pickle.dumps(_RunsCode())), "builtins.print")
    assert "must never run" not in capsys.readouterr().out
    evil = pickle.dumps(_RunsCode()).replace(b"builtins", b"os\n    ").replace(b"print", b"system")
    _set_aside(ledger, _forged(data, evil), "does not read")


def test_a_saved_place_that_does_not_read_raises_a_typed_error(tmp_path):
    from conflict_ledger.stores.base import IntegrityError

    ledger, data = _saved_seed(tmp_path)
    line, _, body = data.partition(b"\n")
    header = orjson.loads(line)
    shared = body[: header["shared"]]
    places = zstandard.ZstdCompressor().compress(pickle.dumps(len))  # a place naming len
    lengths = _saved._unpickled(zstandard.ZstdDecompressor().decompress(shared))
    count = len(lengths["names"])
    lengths["lengths"] = bytes(8) * (count - 1) + len(places).to_bytes(8, "little")
    lengths["graded"] = []
    new_shared = zstandard.ZstdCompressor().compress(pickle.dumps(lengths, protocol=5))
    new_body = new_shared + places
    header.update(shared=len(new_shared), body=hashlib.sha256(new_body).hexdigest())
    ledger.keep_derived(_saved.NAME, orjson.dumps(header) + b"\n" + new_body)
    index = AsOfIndex.load(ledger)
    last = index._by_slot[-1]
    with pytest.raises(IntegrityError, match="does not read"):
        index.place_state(last.place, at="2024-12-08T00:00Z")


def test_saving_again_replaces_the_saved_index(tmp_path):
    ledger = _seed_file(tmp_path)
    AsOfIndex(ledger).save()
    first = ledger.derived(_saved.NAME)
    claim = load_seed().claims()[0]
    ledger.extend([attrs.evolve(claim, id="a-later-claim")])
    AsOfIndex.load(ledger).save()
    assert ledger.derived(_saved.NAME) != first
    rows = sqlite3.connect(tmp_path / "seed.sqlite").execute("SELECT count(*) FROM derived")
    assert rows.fetchone()[0] == 1
    assert len(AsOfIndex.load(ledger)) == len(ledger)


@pytest.mark.parametrize("kind", [AsOfIndex, _MergeEveryBatch])
def test_what_was_undone_and_known_late_before_the_save_stays_so_after_it(kind):
    # Saved after a retraction and a report weeks late; then claims land before and
    # after the retracted one in the same place, so that the place is derived again
    # across it (its retraction read again from what the index saved).
    seed = load_seed()
    ledger = Ledger(registries=seed.registries, store=MemoryStore())
    ledger.extend(
        [
            december_claim("took", Captured(place="homs", actor="opposition"), 5, 5),
            december_claim("late", Captured(place="homs", actor="syrian-government"), 6, 28),
            december_claim("undone", Captured(place="homs", actor="sdf"), 7, 7),
            december_claim("retract", Retraction(target="undone"), 8, 8),
        ]
    )
    kind(ledger).save()
    index = kind.load(ledger)
    ledger.extend(
        [
            december_claim("earlier", Captured(place="homs", actor="opposition"), 3, 9),
            december_claim("after", Holds(place="homs", actor="opposition"), 8, 9),
        ]
    )
    for at, known_at in [(9, None), (9, 10), (9, 29), (7, 7), (6, 27)]:
        question = {
            "at": f"2024-12-{at:02d}T12:00Z",
            "known_at": None if known_at is None else f"2024-12-{known_at:02d}T12:00Z",
        }
        expected = snapshot(ledger, **question)
        assert index.snapshot(**question) == expected
        assert dict(index.holders(**question)) == {s.place: s.holder for s in expected}


def test_the_index_command_saves_and_the_next_question_reads_it(tmp_path, capsys):
    from conflict_ledger.cli import main

    _seed_file(tmp_path).close()
    path = str(tmp_path / "seed.sqlite")
    assert main(["index", path]) == 0
    assert "saved the index of 16 records (10 places" in capsys.readouterr().out
    with open_ledger(path) as ledger:
        assert all(type(entry) is SavedPlace for entry in index_of(ledger)._by_slot)
    assert main(["index", path]) == 0  # nothing appended since: nothing to save
    assert "covers its 16 records already: nothing to save" in capsys.readouterr().out
    with open_ledger(path) as ledger:
        ledger.append(december_claim("later", Captured(place="homs", actor="sdf"), 8, 8))
    assert main(["index", path]) == 0
    assert "saved the index of 17 records" in capsys.readouterr().out
    assert main(["index", path, "--rebuild"]) == 0
    assert main(["snapshot", path, "--at", "2024-12-08"]) == 0
    assert "deir-ez-zor" in capsys.readouterr().out
    claims = str(Path(__file__).parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl")
    assert main(["index", claims]) == 1
    assert "keeps no saved index" in capsys.readouterr().err
    assert main(["index", str(tmp_path / "nope.sqlite")]) != 0
    assert "no such file" in capsys.readouterr().err


def test_saving_into_a_read_only_file_is_a_typed_error(tmp_path):
    from conflict_ledger.stores.base import StorageError

    _seed_file(tmp_path).close()
    path = tmp_path / "seed.sqlite"
    with open_ledger(path) as ledger:
        index = AsOfIndex(ledger)
        # What a file this process may not write does (root ignores file modes).
        ledger.store._db.execute("PRAGMA query_only = ON")
        with pytest.raises(StorageError, match="read-only"):
            index.save()
        assert ledger.derived(_saved.NAME) is None


def test_the_cli_says_in_one_line_that_a_saved_index_was_set_aside(tmp_path, capsys):
    from conflict_ledger.cli import main

    ledger, data = _saved_seed(tmp_path)
    ledger.keep_derived(_saved.NAME, _with_header(data, layout="0" * 16))
    ledger.close()
    assert main(["snapshot", str(tmp_path / "seed.sqlite"), "--at", "2024-12-08"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("conflict-ledger: warning: ")
    assert "saved by another version" in err[0]
    assert main(["index", str(tmp_path / "seed.sqlite")]) == 0  # saves a new one, and says why
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out.startswith("the saved index did not fit (it was saved by another version")
    with warnings.catch_warnings():
        warnings.simplefilter("error", SavedIndexWarning)
        with open_ledger(tmp_path / "seed.sqlite") as again:
            AsOfIndex.load(again)  # the new one fits


def test_forged_numbers_in_a_saved_index_are_set_aside_not_a_traceback(tmp_path):
    from array import array

    ledger, data = _saved_seed(tmp_path)
    line, _, body = data.partition(b"\n")
    frame = body[: orjson.loads(line)["shared"]]
    shared = _saved._unpickled(zstandard.ZstdDecompressor().decompress(frame))
    count = len(array("i", shared["starters"]))
    shared["starters"] = array("i", [10**6] * count).tobytes()  # no such place
    _set_aside(ledger, _forged(data, pickle.dumps(shared, protocol=5)), "does not read")


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        # sqlite3's || makes TEXT of blobs: a byte changed by hand, the rest kept
        ("substr(data, 1, 200) || x'00' || substr(data, 202)", "header does not read|SHA-256"),
        ("'hello'", "header does not read"),  # a text value typed in by hand
        ("CAST(x'7b7b0aff' AS TEXT)", "header does not read"),  # text that is not UTF-8
    ],
)
def test_a_saved_index_edited_into_text_in_sqlite3_is_set_aside(tmp_path, edit, match):
    ledger, _ = _saved_seed(tmp_path)
    ledger.close()
    path = tmp_path / "seed.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE derived SET data = {edit}")
    db.close()
    again = open_ledger(path)
    with pytest.warns(SavedIndexWarning, match=match):
        index = AsOfIndex.load(again)
    assert index.snapshot(at="2024-12-07T00:00Z") == snapshot(again, at="2024-12-07T00:00Z")


def test_a_retraction_after_the_read_patches_the_holders_of_a_place_not_read_yet():
    # Found by a random draw: the place was read (folded again) after the retraction had
    # reached the index's cancellations, so its settling saw nothing change after the
    # retracted claim, and the holder after the later loss kept the retracted holder. A
    # place is now read as it was saved.
    seed = load_seed()
    ledger = Ledger(registries=seed.registries, store=MemoryStore())
    # Enough claims elsewhere that the index brings its codes up to date place by place.
    elsewhere = Captured(place="hama", actor="opposition")
    ledger.extend([december_claim(f"hama-{i}", elsewhere, 1, 1) for i in range(13)])
    ledger.extend(
        [
            december_claim(
                "gave", HandedOver(place="homs", from_actor="sdf", to_actor="sdf"), 1, 1
            ),
            december_claim("lost", ControlLost(place="homs", actor="sdf"), 6, 6),
            december_claim("holds", Holds(place="homs", actor="opposition"), 4, 6),
        ]
    )
    AsOfIndex(ledger, checkpoint_every=1).save()
    index = AsOfIndex.load(ledger, checkpoint_every=1)
    ledger.extend([december_claim("undo", Retraction(target="holds"), 7, 7)])
    for day in (5, 8):
        question = {"at": f"2024-12-{day:02d}T12:00Z"}
        expected = snapshot(ledger, **question)
        assert dict(index.holders(**question)) == {s.place: s.holder for s in expected}
        assert index.snapshot(**question) == expected


crowded_ledgers = ledgers(
    max_size=40, late_share=0.3, retracted_share=0.15, corrected_share=0.15, places=2
)


@given(crowded_ledgers, st.data(), st.sampled_from([1, 2, 3, 5]))
def test_a_place_not_read_answers_from_its_saved_checkpoint_as_the_oracle(ledger, data, every):
    # A state of a place not read yet is a saved checkpoint that knowledge then agrees
    # with and the claims after it, as known then (_Frame.fold_at); with a few places and
    # a small interval, most answers start from a checkpoint, after retractions,
    # corrections and late reports saved with it.
    records = ledger.records()
    # Mostly saved after every claim: a claim appended after the save reads its place.
    whole = st.just(len(records))
    cut = data.draw(whole | whole | st.integers(0, len(records)), label="saved after")
    growing = _stored(ledger, cut)
    with mock.patch.object(_saved, "CHECKPOINT_EVERY", every):
        AsOfIndex(growing, checkpoint_every=2).save()
        growing.extend(r.claim for r in records[cut:])
        for _ in range(3):
            index = AsOfIndex.load(growing, checkpoint_every=2)  # no place read yet
            at, known_at = data.draw(times, label="at"), data.draw(known_times, label="known")
            expected = snapshot(growing, at=at, known_at=known_at)
            fresh = AsOfIndex.load(growing, checkpoint_every=2)  # its holders, first
            assert dict(fresh.holders(at=at, known_at=known_at)) == {
                s.place: s.holder for s in expected
            }
            assert index.snapshot(at=at, known_at=known_at) == expected
            if cut == len(records) and known_at is None:  # nothing appended: none read
                assert all(entry._read is not None for entry in index._by_slot)


def test_explain_and_a_timelines_context_read_only_the_place_asked(tmp_path):
    # A saved index keeps the positions of the records about each place (every event
    # type: dataset events, a meeting, territorial claims) and of what cancels each
    # claim: an explanation or a timeline of one place reads that place's records, and
    # records appended after the save (a retraction, a correction) count as they should.
    seed = load_seed()
    path = tmp_path / "l.sqlite"
    save_ledger(seed, path)
    ledger = open_ledger(path)
    events, undone = clashes()
    talks = december_claim("talks", cl.Meeting(participants=("russia",), place="homs"), 4, 4)
    ledger.extend([*events, talks])
    AsOfIndex(ledger).save()
    ledger.close()
    ledger = open_ledger(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SavedIndexWarning)
        index = index_of(ledger)
    ledger.extend(undone)
    store, handed = ledger.store, []
    records = store.records

    def counted(start: int = 0):
        for stored in records(start):
            handed.append(stored.position)
            yield stored

    with mock.patch.object(store, "records", counted):
        why = index.explain("homs", at="2024-12-07T00:00Z")
        line = index.timeline("homs")
    about_homs = {r.position for r in ledger.records() if "homs" in r.claim.event.place_ids()}
    appended = set(range(len(ledger) - 2, len(ledger)))  # read since the save
    assert set(handed) <= about_homs | appended, sorted(set(handed) - about_homs - appended)
    assert len(about_homs) < len(ledger) // 2
    assert [c.id for c in line.context] == ["clash-homs-fixed"]
    for known_at in (None, *(f"2024-12-{day:02d}T12:00Z" for day in range(1, 9))):
        for place in ("homs", "hama"):
            expected = timeline(ledger, place, known_at=known_at)
            assert index.timeline(place, known_at=known_at) == expected
            assert index.timeline(place, known_at=known_at).context == expected.context
            at = "2024-12-06T00:00Z"
            assert index.explain(place, at=at, known_at=known_at) == explain(
                ledger, place, at=at, known_at=known_at
            )
    assert why == explain(ledger, "homs", at="2024-12-07T00:00Z")


def test_records_by_place_that_do_not_read_are_a_typed_error(tmp_path):
    ledger = _seed_file(tmp_path)
    AsOfIndex(ledger).save()
    data = ledger.derived(_saved.NAME)
    header = orjson.loads(data.partition(b"\n")[0])
    start = len(data.partition(b"\n")[0]) + 1 + header["shared"]
    forged = bytearray(data)
    frame = zstandard.ZstdCompressor().compress(pickle.dumps({"seen": -1}))
    forged[start : start + header["mentions"]] = frame
    body = bytes(forged[len(data.partition(b"\n")[0]) + 1 :])
    header["mentions"] = len(frame)
    header["body"] = hashlib.sha256(body).hexdigest()
    ledger.keep_derived(_saved.NAME, orjson.dumps(header) + b"\n" + body)
    index = AsOfIndex.load(ledger)
    with pytest.raises(IntegrityError, match="records by place do not read"):
        index.explain("homs", at="2024-12-07T00:00Z")


def test_the_places_read_from_an_outline_are_the_events_own(tmp_path):
    # Mentions read a record not read yet from its event's JSON text (named_in), without
    # building the event: held here to the event's own place_ids and retraction target
    # for every built-in event type the seed and these claims use, several places
    # (forces sent from one place to another) and none (a source graded) included.
    seed = load_seed()
    extra = [
        december_claim(
            "sent", cl.ForcesSent(actor="iran", destination="syria", origin="homs"), 3, 3
        ),
        december_claim("talks", cl.Meeting(participants=("russia",), place="homs"), 4, 4),
        december_claim("clash", clash("hama"), 4, 5),
        december_claim("graded", cl.SourceGraded(source="reuters", reliability="b"), 5, 5),
        december_claim("undo", Retraction(target="clash"), 6, 6),
    ]
    seed.extend(extra)
    save_ledger(seed, tmp_path / "l.sqlite")
    ledger = open_ledger(tmp_path / "l.sqlite")
    outlines = [item for item in ledger.outlines(0) if isinstance(item, Outline)]
    assert len(outlines) == len(ledger)  # every record read as its outline
    kinds = set()
    for item in outlines:
        event = ledger.at(item.position).claim.event
        kinds.add(event.kind)
        target = event.target if isinstance(event, Retraction) else None
        dataset = isinstance(event, cl.DatasetEvent)
        assert named_in(ledger, item) == (event.place_ids(), target, dataset)
    assert {"forces_sent", "meeting", "dataset_event", "source_graded", "retraction"} <= kinds
