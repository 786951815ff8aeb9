"""Batches drafted before the write lock: the spliced bytes are the canonical record's,
and a colleague who appends or registers between the draft and the lock changes nothing
of what the batch becomes (positions, bytes, recorded time, errors), against the serial
replay as oracle."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import Captured, Claim, Place
from conflict_ledger._drafts import Bodies, bodies_of, claim_body, record_bytes, stamp_of
from conflict_ledger.canonical import MAX_SAFE_INTEGER, CanonicalJSONError, canonical_json
from conflict_ledger.codec import encode_claim
from conflict_ledger.errors import DuplicateClaimError
from conflict_ledger.events import Event
from conflict_ledger.ledger import ConcurrencyError, Ledger, fixed_clock
from conflict_ledger.registry import PlaceKind
from conflict_ledger.stores import MemoryStore, SqliteStore, Store
from conflict_ledger.testing.strategies import BASE, claims, registries
from conflict_ledger.time import iso_text
from tests.test_stores import make_claim

REGISTRIES = registries()
CLOCK = fixed_clock(BASE)


@given(
    claim=claims(),
    position=st.integers(min_value=0, max_value=MAX_SAFE_INTEGER),
    hours=st.integers(min_value=0, max_value=10**5),
)
def test_a_spliced_record_is_the_canonical_json_of_the_whole_record(
    claim: Claim, position: int, hours: int
) -> None:
    recorded = BASE.add(hours=hours).isoformat()
    whole = {
        "schema": 1,
        "position": position,
        "recorded_at": recorded,
        "claim": encode_claim(claim),
    }
    assert record_bytes(claim_body(claim), position, stamp_of(recorded)) == canonical_json(whole)


# Text of every kind a note or an id may hold: escapes, control characters, non-ASCII,
# astral characters (orjson and RFC 8785 must agree on each).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def batches_sharing_parts(draw: st.DrawFn) -> list[Claim]:
    """Claims whose windows, source chains, report instants and evidence are partly the
    very same objects (as an import's rows are), with notes of any text."""
    drawn = draw(st.lists(claims(), min_size=1, max_size=8))
    batch = []
    for index, claim in enumerate(drawn):
        earlier = draw(st.integers(min_value=0, max_value=index))
        donor = drawn[earlier]
        timed = donor if donor.modality is claim.modality and draw(st.booleans()) else claim
        batch.append(
            attrs.evolve(
                claim,
                id=f"c{index}",
                valid=timed.valid,
                reported_at=timed.reported_at,
                source=donor.source if draw(st.booleans()) else claim.source,
                evidence=donor.evidence if draw(st.booleans()) else claim.evidence,
                note=draw(any_text),
                supersedes=f"c{earlier}" if earlier < index and draw(st.booleans()) else None,
            )
        )
    return batch


@given(batch=batches_sharing_parts())
def test_bodies_written_in_one_pass_are_each_claims_canonical_json(batch: list[Claim]) -> None:
    expected = [canonical_json(encode_claim(c), field="record.claim") for c in batch]
    assert bodies_of(batch) == expected
    encoder = Bodies()
    assert encoder.of(batch) == expected
    assert encoder.of(reversed(batch)) == expected[::-1]  # parts remembered, bytes the same


@attrs.frozen(kw_only=True)
class Measured(Event):
    """A user's event holding a float, which has no canonical form in a record."""

    kind = "measured"
    place: str
    actor: str
    share: float


def _errors(claim: Claim) -> tuple[str, str]:
    found = []
    for write in (claim_body, Bodies().body):
        with pytest.raises(CanonicalJSONError) as caught:
            write(claim)
        found.append(caught.value.field)
    return found[0], found[1]


def test_a_float_in_a_users_event_is_refused_naming_the_same_field_both_ways() -> None:
    claim = attrs.evolve(
        make_claim("c1"), event=Measured(place="homs", actor="opposition", share=0.5)
    )
    assert _errors(claim) == ("record.claim.event.share", "record.claim.event.share")


def test_a_lone_surrogate_in_a_note_is_refused_naming_the_same_field_both_ways() -> None:
    claim = attrs.evolve(make_claim("c1"), note="broken \ud800 text")
    assert _errors(claim) == ("record.claim", "record.claim")


def test_a_position_beyond_what_json_holds_exactly_is_refused() -> None:
    with pytest.raises(ValueError, match="position"):
        record_bytes(b"{}", MAX_SAFE_INTEGER + 1, stamp_of("x"))


class Interposed:
    """A store that lets a colleague act just before each of the next write locks is
    taken: after the batch was drafted, before it is written."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.path = inner.path
        self.before_lock: list[Callable[[], object]] = []
        self.locks = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    @contextmanager
    def writing(self) -> Iterator[None]:
        if self.before_lock:
            self.before_lock.pop(0)()
        self.locks += 1
        with self.inner.writing():
            yield


@pytest.fixture(params=["memory", "sqlite"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    store: Store = MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "l.db")
    yield store
    store.close()


def open_on(store: Store, *, clock: Callable[[], pendulum.DateTime] = CLOCK) -> Ledger:
    return Ledger(registries=REGISTRIES, clock=clock, store=store)  # type: ignore[arg-type]


def serial_replay(store: Store) -> Ledger:
    """The oracle: every stored claim appended again to an in-memory ledger, one batch a
    claim, in store order, each at its recorded time."""
    read = open_on(store)
    now = [BASE]
    replay = Ledger(registries=read.registries, clock=lambda: now[0])
    for record in read.records():
        now[0] = record.recorded_at
        replay.append(record.claim)
    return replay


def roots(ledger: Ledger) -> tuple[int, bytes]:
    checkpoint = ledger.checkpoint()
    return checkpoint.size, checkpoint.root


def test_a_batch_drafted_before_a_colleagues_append_is_numbered_after_it(shared: Store) -> None:
    store = Interposed(shared)
    mine, theirs = open_on(store), open_on(shared, clock=fixed_clock(BASE.add(hours=5)))
    mine.append(make_claim("first"))
    store.before_lock = [lambda: theirs.extend([make_claim("t1", hour=2), make_claim("t2")])]
    written = mine.extend([make_claim("m1", hour=3), make_claim("m2", hour=4)])
    assert [record.position for record in written] == [3, 4]
    # recorded time never runs backwards: the colleague's later stamp carries over
    assert {record.recorded_at for record in written} == {BASE.add(hours=5)}
    again = open_on(shared)
    assert again.records() == mine.records()
    assert [stored.data for stored in shared.records()] == [
        stored.data for stored in Ledger._encoded(again.records())
    ]
    assert again.checkpoint() == mine.checkpoint()
    assert roots(mine) == roots(serial_replay(shared))


def test_an_expected_size_a_colleague_moved_before_the_lock_is_a_concurrency_error(
    shared: Store,
) -> None:
    store = Interposed(shared)
    mine, theirs = open_on(store), open_on(shared)
    mine.append(make_claim("first"))
    store.before_lock = [lambda: theirs.append(make_claim("t1"))]
    with pytest.raises(ConcurrencyError) as caught:
        mine.append(make_claim("m1"), expected_size=1)
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert [record.claim.id for record in open_on(shared).records()] == ["first", "t1"]


def test_a_claim_id_a_colleague_took_before_the_lock_rejects_the_whole_batch(
    shared: Store,
) -> None:
    store = Interposed(shared)
    mine, theirs = open_on(store), open_on(shared)
    store.before_lock = [lambda: theirs.append(make_claim("m2", hour=9))]
    with pytest.raises(DuplicateClaimError):
        mine.extend([make_claim("m1"), make_claim("m2")])
    assert [record.claim.id for record in open_on(shared).records()] == ["m2"]
    assert mine.claim("m2").valid.start == BASE.add(hours=9)


def test_a_name_a_colleagues_new_value_takes_before_the_lock_resolves_to_that_value(
    shared: Store,
) -> None:
    """Stored values count over the gazetteer's (Registries.shadowed_by): a place a
    colleague on another gazetteer registers under a name this one knows takes the name,
    for a batch drafted before too, as if it had been drafted after."""
    store = Interposed(shared)
    mine = open_on(store)
    theirs = Ledger(
        registries=registries(places=1), clock=CLOCK, store=shared
    )  # an older gazetteer
    name = REGISTRIES.places["p1"].name
    place = Place(id="p9", name=name, kind=PlaceKind.TOWN)
    store.before_lock = [lambda: theirs.register(place)]
    written = mine.extend([make_claim("m1"), make_claim("m2", place=name)])
    assert [record.claim.event.place for record in written] == ["p0", "p9"]
    assert mine.registries.places["p9"] == place
    again = open_on(shared)
    assert again.records() == mine.records()
    assert again.checkpoint() == mine.checkpoint()
    assert roots(mine) == roots(serial_replay(shared))


def test_a_redrafted_claim_keeps_its_canonical_names(shared: Store) -> None:
    """A claim given by alias is resolved once; the redraft after a colleague's append
    writes the same canonical claim."""
    store = Interposed(shared)
    mine, theirs = open_on(store), open_on(shared)
    alias = REGISTRIES.places["p1"].name
    store.before_lock = [lambda: theirs.append(make_claim("t1"))]
    written = mine.append(attrs.evolve(make_claim("m1"), event=Captured(place=alias, actor="a1")))
    assert written.claim.event.place == "p1"
    assert open_on(shared).claim("m1") == written.claim


def test_a_writer_others_keep_overtaking_catches_up_holding_the_lock() -> None:
    """Twice it finds the ledger moved and gives the lock up to catch up; the third time
    it catches up holding it, so it cannot starve (a store that keeps no index of claim
    ids: a SQLite file's numbers the batch again under the first lock, below)."""
    shared = MemoryStore()
    store = Interposed(shared)
    mine, theirs = open_on(store), open_on(shared)
    store.before_lock = [lambda n=n: theirs.append(make_claim(f"t{n}")) for n in range(5)]
    written = mine.extend([make_claim("m1"), make_claim("m2")])
    assert store.locks == 3
    assert [record.position for record in written] == [3, 4]
    assert len(store.before_lock) == 2  # the two left were never needed
    again = open_on(shared)
    assert [record.claim.id for record in again.records()] == ["t0", "t1", "t2", "m1", "m2"]
    assert again.checkpoint() == mine.checkpoint()
    assert roots(mine) == roots(serial_replay(shared))


def test_a_batch_others_overtake_on_a_sqlite_file_is_numbered_again_under_the_lock(
    tmp_path: Path,
) -> None:
    """The file's index of claim ids refuses, at commit, an id a colleague took: a batch
    that finds others' claims appended first is numbered, stamped and hashed again under
    the first lock, reading none of theirs."""
    shared = SqliteStore(tmp_path / "l.db")
    store = Interposed(shared)
    mine, theirs = open_on(store), open_on(shared)
    store.before_lock = [lambda n=n: theirs.append(make_claim(f"t{n}")) for n in range(5)]
    written = mine.extend([make_claim("m1"), make_claim("m2")])
    assert store.locks == 1
    assert [record.position for record in written] == [1, 2]
    again = open_on(shared)
    assert [record.claim.id for record in again.records()] == ["t0", "m1", "m2"]
    assert again.checkpoint() == mine.checkpoint()
    assert roots(mine) == roots(serial_replay(shared))
    shared.close()


def test_a_writer_nobody_overtakes_takes_the_lock_once(shared: Store) -> None:
    store = Interposed(shared)
    mine = open_on(store)
    mine.extend([make_claim("m1"), make_claim("m2")])
    mine.append(make_claim("m3"))
    assert store.locks == 2


_ZONES = st.sampled_from([pendulum.UTC, datetime.UTC, pendulum.timezone("Asia/Damascus")])


@given(
    when=st.datetimes(
        min_value=datetime.datetime(1, 1, 1, 12), max_value=datetime.datetime(9999, 12, 30)
    ),
    zone=_ZONES,
    pendulum_made=st.booleans(),
)
def test_an_instants_text_is_its_isoformat(
    when: datetime.datetime, zone: datetime.tzinfo, pendulum_made: bool
) -> None:
    """Records write instants with ``iso_text``, which writes UTC itself: byte for byte
    what ``isoformat`` writes, microseconds, years before 1000 and other zones included."""
    aware = when.replace(tzinfo=zone)
    if pendulum_made:
        aware = pendulum.instance(aware)
    assert iso_text(aware) == aware.isoformat()
