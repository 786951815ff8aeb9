"""``ingest`` into a ledger that exists: the rows are staged on an
:class:`~conflict_ledger.stores.overlay.Overlay` of the ledger's store (the ledger read as
needed, the stage's appends kept in memory), not on a copy of every claim decoded and
checked again (2.6 s to ingest 9 rows into a 100k-claim ledger, half a minute at 1M).
The oracle is the copy it replaces: the same report and the same claims appended."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from conflict_ledger import Claim, Holds, Source, SourceChain, ValidTime
from conflict_ledger.adapters import files
from conflict_ledger.adapters.acled import import_acled
from conflict_ledger.adapters.dataset import DATASET_EVENTS
from conflict_ledger.adapters.rows import Candidate, append_candidates
from conflict_ledger.codec import open_ledger
from conflict_ledger.gazetteer import syria
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.registry import SourceKind
from conflict_ledger.stores import ClaimIdTakenError, MemoryStore, SqliteStore, StoredRecord
from conflict_ledger.stores.overlay import Overlay
from conflict_ledger.testing.strategies import registries
from tests.test_stores_crash import make_claim

DATA = Path(__file__).parent / "data" / "acled"
CLOCK = fixed_clock("2025-01-02T00:00Z")


def copied_stage(path: Path, export: Path) -> tuple[object, list[str]]:
    """What ingest did before: every claim copied into a ledger in memory, the file
    imported there; the report and the ids of the claims it appended."""
    with open_ledger(path, clock=CLOCK, event_types=DATASET_EVENTS) as target:
        stage = Ledger(registries=target.registries, clock=CLOCK, event_types=DATASET_EVENTS)
        stage.extend(target.claims())
        size = len(stage)
        report = import_acled(stage, export, now=CLOCK())
        return report, [claim.id for claim in stage.claims()[size:]]


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A SQLite ledger that has had an ACLED export ingested."""
    path = tmp_path / "desk.sqlite"
    files.ingest(DATA / "current.csv", path, clock=CLOCK)
    return path


def test_a_reingest_matches_the_copied_stage_and_reads_no_sweep_of_the_ledger(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected, appended = copied_stage(ledger, DATA / "current_updated.csv")
    assert appended  # the updated export corrects and adds rows
    swept: list[int] = []
    sweep = SqliteStore.records

    def records(store: SqliteStore, start: int = 0) -> Iterator[StoredRecord]:
        swept.append(start)
        return sweep(store, start)

    monkeypatch.setattr(SqliteStore, "records", records)
    size = _size(ledger)
    report = files.ingest(DATA / "current_updated.csv", ledger, clock=CLOCK)
    monkeypatch.undo()
    assert report == expected
    with open_ledger(ledger, event_types=DATASET_EVENTS) as grown:
        assert [r.claim.id for r in grown.since(size)] == appended
        assert grown.verify().size == size + len(appended)
    assert all(start >= size - 1 for start in swept), swept  # the last record, none before


def _size(path: Path) -> int:
    with open_ledger(path, event_types=DATASET_EVENTS) as ledger:
        return len(ledger)


def test_a_strict_ingest_that_rejects_a_row_leaves_the_ledger_as_it_was(ledger: Path) -> None:
    size = _size(ledger)
    report = files.ingest(DATA / "bad_rows.csv", ledger, clock=CLOCK, strict=True)
    assert report.rejected
    assert _size(ledger) == size


def test_versions_are_found_by_id_however_many_corrections_a_row_had() -> None:
    ledger = Ledger(registries=syria(), clock=CLOCK)
    made = [_row_claim(note) for note in ("first", "second", "third")]
    reports = [
        append_candidates(ledger, [Candidate(line=2, claim=claim, values=(FEED,))], path="feed")
        for claim in made
    ]
    assert [r.appended for r in reports] == [("feed/1",), ("feed/1#2",), ("feed/1#3",)]
    assert ledger.claim("feed/1#3").supersedes == "feed/1#2"
    again = append_candidates(ledger, [Candidate(line=2, claim=made[-1])], path="feed")
    assert again.unchanged == ("feed/1",)


FEED = Source(id="feed", name="Feed", kind=SourceKind.DATASET)


def _row_claim(note: str) -> Claim:
    return Claim(
        id="feed/1",
        event=Holds(place="homs", actor="syrian-government"),
        valid=ValidTime.exact("2024-12-05T00:00Z"),
        reported_at="2024-12-05T00:00Z",
        source=SourceChain.of("feed"),
        note=note,
    )


def test_an_overlay_reads_its_base_and_keeps_its_writes_to_itself() -> None:
    base = MemoryStore()
    with base.writing():
        base.write([StoredRecord.of(i, b'{"n":%d}' % i) for i in range(3)], [])
    stage = Overlay(base)
    with stage.writing():
        stage.write([StoredRecord.of(3, b'{"n":3}')], [StoredRecord.of(0, b'{"v":0}')])
    with pytest.raises(RuntimeError):  # a batch that fails leaves nothing
        _failing_batch(stage)
    with base.writing():  # the base grows meanwhile: the overlay shows it as it was
        base.write([StoredRecord.of(3, b'{"other":3}')], [])
    assert [r.data for r in stage.records(2)] == [b'{"n":2}', b'{"n":3}']
    assert [r.position for r in stage.records_at([0, 3, 9])] == [0, 3]
    assert (stage.size(), stage.value_count(), base.size()) == (4, 1, 4)
    assert stage.claim_positions(["x"]) is None  # the base keeps no index of claim ids


def test_an_overlay_of_a_sqlite_ledger_finds_ids_in_its_index_and_its_own(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.sqlite"
    with open_ledger(path, create=True, clock=CLOCK) as ledger:
        regs = registries()
        ledger.register(*regs.places, *regs.actors, *regs.sources)
        ledger.extend([make_claim(f"c{i}", i) for i in range(5)])
        stage = Ledger(registries=ledger.registries, clock=CLOCK, store=Overlay(ledger.store))
        stage.append(make_claim("new", 9))
        store = stage.store
        assert isinstance(store, Overlay)
        assert store.claim_positions(["c2", "new", "none"]) == ({"c2": 2, "new": 5}, 6)
        with pytest.raises(ClaimIdTakenError), store.writing():
            store.write_claims([StoredRecord.of(6, b"{}")], ["c1"])
        assert len(ledger) == 5  # the ledger itself was never written


def _failing_batch(stage: Overlay) -> None:
    with stage.writing():
        stage.write([StoredRecord.of(4, b'{"n":4}')], [])
        raise RuntimeError("the batch fails")


def test_a_strict_ingest_does_not_say_it_appended_what_it_did_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial: '2 claims appended ...; nothing written (--strict)'."""
    from conflict_ledger.cli import main

    target = tmp_path / "new.sqlite"
    assert main(["ingest", str(DATA / "bad_rows.csv"), "--into", str(target), "--strict"]) == 4
    first = capsys.readouterr().out.splitlines()[0]
    assert ": 2 claims read (0 corrections)" in first
    assert "appended" not in first
    assert first.endswith("nothing written (--strict: a row was rejected)")
    assert not target.exists()


def test_an_ingest_with_nothing_to_append_writes_nothing_and_meets_no_colleague(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A trial: re-ingesting an unchanged export while another writer appended failed
    with 'expected the ledger to hold N records' (4 runs in 20)."""
    read = files._import

    def colleague_appends_meanwhile(stage: Ledger, data: object, **options: object) -> object:
        report = read(stage, data, **options)  # type: ignore[arg-type]
        with open_ledger(ledger, clock=CLOCK, event_types=DATASET_EVENTS) as colleague:
            theirs = colleague.since(0)[0].claim
            colleague.append(attrs.evolve(theirs, id="theirs"))
        return report

    monkeypatch.setattr(files, "_import", colleague_appends_meanwhile)
    size = _size(ledger)
    report = files.ingest(DATA / "current.csv", ledger, clock=CLOCK)
    assert (report.appended, len(report.unchanged)) == ((), 9)
    with open_ledger(ledger, event_types=DATASET_EVENTS) as after:
        assert [r.claim.id for r in after.since(size)] == ["theirs"]


def test_an_ingest_that_finds_the_new_ledger_made_meanwhile_adds_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A trial: three ingests into one new path at once; the losers said 'the target
    store is not empty' (exit 3, as if damaged), or 'UNIQUE constraint failed'. A new
    ledger is now written beside its path and put there at once; one that finds the
    path taken adds its rows to the ledger there."""
    from conflict_ledger import saving

    target = tmp_path / "desk.sqlite"
    put = saving._put

    def someone_else_first(aside: str, name: str) -> None:
        monkeypatch.setattr(saving, "_put", put)
        files.ingest(DATA / "current.csv", target, clock=CLOCK)  # the other process
        put(aside, name)

    monkeypatch.setattr(saving, "_put", someone_else_first)
    report = files.ingest(DATA / "current_updated.csv", target, clock=CLOCK)
    assert report.corrections  # added to the ledger the other made, as a re-ingest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.sqlite"]  # nothing aside
    with open_ledger(target, event_types=DATASET_EVENTS) as ledger:
        assert ledger.verify().size == 9 + len(report.appended)


def test_three_ingests_into_one_new_path_at_once_all_succeed(tmp_path: Path) -> None:
    import subprocess
    import sys

    target = tmp_path / "desk.sqlite"
    command = [sys.executable, "-m", "conflict_ledger.cli", "ingest"]
    runs = [
        subprocess.Popen(
            [*command, str(DATA / name), "--into", str(target)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("current.csv", "current.csv", "current_updated.csv")
    ]
    outcomes = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    with open_ledger(target, event_types=DATASET_EVENTS) as ledger:
        ids = [c.id for c in ledger.claims()]
        assert len(ids) == len(set(ids))
        assert {i.split("#")[0] for i in ids} == {i.split("#")[0] for i in ids if "#" not in i}
        ledger.verify()
