"""The as-of index: the answers of :mod:`conflict_ledger.asof`, fast, over a growing ledger.

:func:`conflict_ledger.asof.snapshot` folds the whole ledger on every call; that is the
reference, and it is slow on purpose. An :class:`AsOfIndex` gives the same answers
(the property tests in ``tests/test_index.py`` hold it to them) by keeping, per place:

* the place's claims compiled once and kept in fold order
  (:func:`~conflict_ledger.asof.order_key`); a claim that arrives late, about any earlier
  valid time, is inserted where it belongs, and what follows it is refolded only until
  the fold meets the one it had before (the later checkpoints are kept, moved along);
* checkpoints of the fold *as known now*, at most ``checkpoint_every`` claims apart;
* for each claim the instant from which knowledge agrees with what is known now (its
  report time, or the report time of its retraction or correction), as a running
  maximum. A question asked ``known_at`` an earlier time starts from the last checkpoint
  that time already agrees with, folds the claims after it that were known then, and
  jumps back onto the checkpoints known now wherever the two folds meet again;
* the holder known now after every claim.

Across places (:mod:`conflict_ledger.engine._columns`) it keeps every place's holder as known
now in columns of small integers at checkpoint instants. An answer about every place
copies the last column before its instant, recomputes the places with a claim begun
since, and, at an earlier ``known_at``, the places with a claim reported or undone after
it. :meth:`AsOfIndex.holders` is that column; :meth:`AsOfIndex.snapshot` knows from it
which places count and computes each :class:`~conflict_ledger.rules.territory.PlaceState`
when it is first read.

Every query takes a place by id, name or alias, read through the ledger's registries
(an unknown name raises :class:`~conflict_ledger.errors.UnknownPlaceError`); the
snapshots it returns carry the registries too.

The index reads new records from the ledger (``ledger.since(position)``) before each
answer, or when :meth:`AsOfIndex.refresh` is called; it is never rebuilt from scratch.
It answers on valid time and knowledge time; for a ledger *position* cut use
:mod:`conflict_ledger.asof`.

>>> from conflict_ledger.seed import load_seed
>>> from conflict_ledger import snapshot
>>> ledger = load_seed()
>>> index = AsOfIndex(ledger)
>>> index.place_state("deir-ez-zor", at="2024-12-07T00:00Z").holder
'sdf'
>>> index.snapshot(at="2024-12-06T17:00Z", known_at="2024-12-07T09:00Z") == snapshot(
...     ledger, at="2024-12-06T17:00Z", known_at="2024-12-07T09:00Z")
True
"""

from __future__ import annotations

import weakref
from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any, cast

import attrs
import pendulum

from conflict_ledger._lazy import collector_paused as _collector_paused
from conflict_ledger.asof import Explanation, LazyPlaces, Snapshot, Timeline, TimelineEntry
from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine import _saved
from conflict_ledger.engine._columns import ABSENT, Columns, LateKnowledge, places_of
from conflict_ledger.engine._explain import Mentions, explanation
from conflict_ledger.engine._places import EARLIEST, NEVER, PlaceHistory, compile_place, fold_key
from conflict_ledger.engine._rows import RowStore
from conflict_ledger.engine._sketch import Sketches
from conflict_ledger.engine._tabulate import Layout, Sweep
from conflict_ledger.errors import InvalidClaimError, UnknownPlaceError
from conflict_ledger.events import Retraction, SourceGraded
from conflict_ledger.ledger import Ledger, Recorded
from conflict_ledger.records import Outline
from conflict_ledger.registry import Registries
from conflict_ledger.rules.policies import (
    DEFAULT_POLICY,
    PlaceClaims,
    Policy,
    apply_policy,
    grades_at,
)
from conflict_ledger.rules.territory import PlaceFold, PlaceState, place_of
from conflict_ledger.table import SnapshotTable
from conflict_ledger.time import to_instant

__all__ = ["AsOfIndex"]

_PROMPT = 4 * 86_400 * 1_000_000
"""A prompt delay (microseconds): claims known as now within it of their start are found
by scanning the claims begun that long before ``known_at``; the others are kept apart."""


_MOVES_HOLDER = frozenset((ff.GAIN, ff.HOLD, ff.LOSE, ff.DENY))
"""The compiled claims that can change a place's holder (the others never do): a denial
can, when it decides whether a later loss by a contender clears the holder."""


_LARGE = 1_000
"""Work on this many records or places at once runs with the cyclic collector paused."""


def _paused(large: bool) -> AbstractContextManager[None]:
    """Pause the cyclic garbage collector for large work (see the ledger's read of stored
    records): indexing builds lists and tuples without cycles that the index keeps, so a
    collection during it frees nothing and only traverses them again; at 100k claims it
    was about half the time of a new index's first answer (benchmarks/bench_open.py)."""
    return _collector_paused() if large else nullcontext()


def _instants(
    ats: Iterable[Any], known_at: Any
) -> tuple[list[pendulum.DateTime], pendulum.DateTime | None, list[int], int | None]:
    """A series' question: its instants and ``known_at``, as UTC instants and in micros."""
    cuts = [to_instant(at, field="at") for at in ats]
    known = None if known_at is None else to_instant(known_at, field="known_at")
    return (
        cuts,
        known,
        [ff.micros(cut) for cut in cuts],
        None if known is None else ff.micros(known),
    )


def _check_options(checkpoint_every: int, column_every: int | None) -> None:
    for field, value in (("checkpoint_every", checkpoint_every), ("column_every", column_every)):
        if value is not None and value < 1:
            raise InvalidClaimError(
                field=field,
                value=value,
                problem="the checkpoint interval is at least 1 claim",
                hint=f"Pass {field}=None for the default, or a positive integer.",
            )


def _tag(entry: PlaceHistory, op: ff.Op) -> int:
    """A claim about ``entry`` as a small integer: the place's slot, and in the lowest bit
    whether the claim can move a holder."""
    return entry.slot << 1 | (op[ff.CODE] in _MOVES_HOLDER)


def _place_name(entry: PlaceHistory) -> str:
    return entry.place


class _LazyStates(LazyPlaces):
    """A snapshot's states: which places count is known at once (a column), each state is
    computed on first reading. Before the index changes a place, every live answer that
    has not read it yet keeps a copy of its history as it was, so an answer never changes."""

    __slots__ = (
        "__weakref__",
        "_at",
        "_col",
        "_index",
        "_known",
        "_pinned",
        "_read",
        "_size",
        "_sorted",
    )

    def __init__(self, index: AsOfIndex, col: array[int], at: int, known: int | None) -> None:
        self._index = index
        self._col = col
        self._sorted = index._sorted
        self._at = at
        self._known = known
        self._read: dict[str, PlaceState] = {}
        self._pinned: dict[str, PlaceHistory] = {}
        self._size = -1  # how many places count, once asked

    def _entry(self, place: object) -> PlaceHistory | None:
        entry = self._index._places.get(place) if isinstance(place, str) else None
        if entry is None or entry.slot >= len(self._col) or not self._col[entry.slot]:
            return None
        return entry

    def __getitem__(self, place: str) -> PlaceState:
        state = self._read.get(place)
        if state is None:
            entry = self._entry(place)
            if entry is None:
                raise KeyError(place)
            history = self._pinned.pop(place, entry)
            state = self._index._state(history, self._at, self._known)
            assert state is not None, place  # the column says a claim counts
            self._read[place] = state
        return state

    def __contains__(self, place: object) -> bool:
        return self._entry(place) is not None

    def __iter__(self) -> Iterator[str]:
        return places_of(self._col, self._sorted)

    def __len__(self) -> int:
        if self._size < 0:
            self._size = len(self._col) - self._col.count(ABSENT)
        return self._size

    def complete(self) -> bool:
        """Whether every state has been read."""
        return len(self._read) == len(self)

    def pin(
        self, entries: Iterable[PlaceHistory], copies: dict[PlaceHistory, PlaceHistory]
    ) -> None:
        """Keep the histories of ``entries`` as they are now (they are about to change);
        ``copies`` shares each copy between answers."""
        read, pinned, col = self._read, self._pinned, self._col
        for entry in entries:
            place = entry.place
            if place in read or place in pinned or entry.slot >= len(col) or not col[entry.slot]:
                continue
            copy = copies.get(entry)
            if copy is None:
                copy = copies[entry] = entry.pinned()
            pinned[place] = copy


class _Holders(Mapping[str, str | None]):
    """Holders by place over one column (read-only; iterates in place order)."""

    __slots__ = ("_actors", "_col", "_names", "_places", "_sorted")

    def __init__(self, index: AsOfIndex, col: array[int]) -> None:
        self._col = col
        self._places = index._places
        self._sorted = index._sorted
        self._actors = index._columns.actors
        self._names = index._ledger.registries.places

    def _code(self, place: object) -> int:
        entry = self._places.get(place) if isinstance(place, str) else None
        if entry is None or entry.slot >= len(self._col):
            return ABSENT
        return self._col[entry.slot]

    def __getitem__(self, place: str) -> str | None:
        """The holder of a place (id, name or alias); None for a known place no claim
        names yet, as in :class:`~conflict_ledger.asof.Snapshot`."""
        code = self._code(place)
        if code == ABSENT:
            code = self._code(self._names.id_of(place, field="place"))
        return None if code == ABSENT else self._actors[code]

    def __contains__(self, place: object) -> bool:
        if self._code(place) != ABSENT:
            return True
        try:
            return isinstance(place, str) and self._code(self._names.id_of(place)) != ABSENT
        except UnknownPlaceError:
            return False

    def get(self, place: str, default: Any = None) -> Any:
        """The holder if a claim about the place counts, else ``default``; an unknown name
        raises :class:`~conflict_ledger.errors.UnknownPlaceError`."""
        code = self._code(place)
        if code == ABSENT:
            code = self._code(self._names.id_of(place, field="place"))
        return default if code == ABSENT else self._actors[code]

    def __iter__(self) -> Iterator[str]:
        return places_of(self._col, self._sorted)

    def __len__(self) -> int:
        return len(self._col) - self._col.count(ABSENT)

    def __repr__(self) -> str:
        return f"holders({dict(self)!r})"


class AsOfIndex:
    """Snapshots, place states, timelines and series over a ledger, equal to the as-of engine's.

    Built once over ``ledger`` and kept up to date from its new records (never rebuilt).
    ``checkpoint_every`` trades memory for speed: a place's fold is kept at most that many
    claims apart, so an answer folds fewer than that many claims plus those known late.
    ``column_every`` does the same for the holder columns, every place's holder in one
    array of small integers: one every that many claims in valid-time order (default
    None: a sixteenth of the number of places, about 32 bytes a claim), so an answer
    about every place recomputes at most that many places plus those known late.
    ``progress`` (optional) is called with (records done, records to do) while a large
    batch of new records is indexed, for a progress bar.

    >>> from conflict_ledger.seed import load_seed
    >>> index = AsOfIndex(load_seed())
    >>> index.snapshot(at="2024-12-07T00:00Z")["deir-ez-zor"].holder
    'sdf'
    """

    _prompt = _PROMPT
    _scan_limit: int | None = None  # claims to check one by one before asking every place
    _bulk = 64  # new claims fewer than this are inserted one by one, more merged by sorting
    _recode_share = 8  # recompute every ``after`` code when over 1/8 of the claims may change

    def __init__(
        self,
        ledger: Ledger,
        *,
        checkpoint_every: int = 8,
        column_every: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        _check_options(checkpoint_every, column_every)
        self._begin(ledger, checkpoint_every, column_every, progress)
        self.refresh()

    @classmethod
    def load(
        cls,
        ledger: Ledger,
        *,
        checkpoint_every: int = 8,
        column_every: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> AsOfIndex:
        """The index saved with ``ledger`` (:meth:`save`), brought up to date with the
        records appended since; built from the records, as ``AsOfIndex(ledger, ...)``
        builds it, when the ledger keeps none. A saved index that does not fit (another
        ledger's, another version's, other options, damaged) is set aside with a
        :class:`~conflict_ledger.errors.SavedIndexWarning`. The door
        (:func:`conflict_ledger.queries.index_of`) opens indexes this way.

        Reading a saved index reads no record: its places are read when a question
        first needs them (see ``engine/_saved.py``).

        >>> from conflict_ledger import Ledger
        >>> from conflict_ledger.seed import load_seed
        >>> from conflict_ledger.stores import MemoryStore
        >>> seed = load_seed()
        >>> ledger = Ledger(store=MemoryStore(), registries=seed.registries)
        >>> ledger.extend(seed.claims())  # doctest: +ELLIPSIS
        (...)
        >>> AsOfIndex(ledger).save() > 0
        True
        >>> AsOfIndex.load(ledger).place_state("deir-ez-zor", at="2024-12-07T00:00Z").holder
        'sdf'
        """
        _check_options(checkpoint_every, column_every)
        data = ledger.derived(_saved.NAME)
        if data is not None:
            found = _saved.read(
                cls,
                ledger,
                data,
                every=checkpoint_every,
                column_every=column_every,
                progress=progress,
            )
            if found is not None:
                found.refresh()
                return found
        return cls(
            ledger, checkpoint_every=checkpoint_every, column_every=column_every, progress=progress
        )

    def save(self) -> int:
        """Save this index with its ledger, for :meth:`load` (and the one door) to read
        instead of building it again; returns the bytes saved (0 when the ledger's store
        keeps no derived data: a JSON Lines file, a ledger without a store of its own).

        The ledger's store keeps it beside the records (a SQLite ledger in its own file),
        replacing the one saved before; it covers the records read now, and a later
        :meth:`load` reads the ones appended after it. Save again after large appends.
        """
        if not self._ledger.keeps_derived:
            return 0
        data = _saved.dump(self)
        self._ledger.keep_derived(_saved.NAME, data)
        return len(data)

    def _begin(
        self,
        ledger: Ledger,
        every: int,
        column_every: int | None,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        """An index of no records yet over ``ledger`` (also what a saved one starts from)."""
        self._ledger = ledger
        self._every = every
        self._column_every = column_every
        self._progress = progress
        self._seen = 0
        self._unsettled = 0  # records read since the places were last settled
        self._places: dict[str, PlaceHistory] = {}
        self._by_slot: list[PlaceHistory] = []
        self._cancelled: dict[str, int] = {}
        self._dirty: set[PlaceHistory] = set()
        self._sorted: list[PlaceHistory] = []  # replaced, never changed: answers share it
        # Every territorial claim's valid start and place, sorted by start: which places
        # can change between two instants. Beside them, what a question at an earlier
        # ``known_at`` asks of the claims begun shortly before it: from when each is
        # known as it is now (its report, or the report undoing it) and whether it can
        # move a holder.
        self._starts: list[int] = []
        self._starters: list[PlaceHistory] = []
        self._start_settles: list[int] = []
        self._start_moves = bytearray()
        self._columns = Columns()
        # By slot: from when every claim up to the place's first one that counts now is
        # known as it is now (NEVER: no claim counts).
        self._first_agrees = array("q")
        self._recode_all = False  # the claims were re-sorted: recompute every ``after`` code
        # Claims known late, each as ``_tag(entry, op)``: its place's slot and whether it
        # can move a holder.
        self._late: LateKnowledge[int] = LateKnowledge(within=self._prompt)
        # The lazy answers still alive, by serial number (a mapping is not hashable).
        self._readers: weakref.WeakValueDictionary[int, _LazyStates] = weakref.WeakValueDictionary()
        self._serial = 0
        self._durations: dict[int, Any] = {}  # equal durations shared between answers
        self._windows: dict[int, Any] = {}  # windows' instants in micros, for tables
        self._layout: Layout | None = None  # every place in place order, for tables
        self._rows = RowStore()  # every place's table row after every claim, made on demand
        self._graded: list[tuple[tuple[int, int, int, str], Claim]] = []  # in fold order
        self._mentions: Mentions | None = None  # for explain, read on its first question

    @property
    def ledger(self) -> Ledger:
        """The ledger this index answers for."""
        return self._ledger

    def __len__(self) -> int:
        """The number of ledger records the index has read.

        >>> from conflict_ledger.seed import load_seed
        >>> len(AsOfIndex(load_seed())) == len(load_seed())
        True
        """
        return self._seen

    def places(self) -> tuple[str, ...]:
        """Ids of the places any territorial claim names, sorted.

        >>> from conflict_ledger.seed import load_seed
        >>> "homs" in AsOfIndex(load_seed()).places()
        True
        """
        self.refresh()
        return tuple(sorted(self._places))

    def refresh(self) -> int:
        """Read the records appended since the last read; returns how many were read.

        >>> from conflict_ledger.seed import load_seed
        >>> ledger = load_seed()
        >>> index = AsOfIndex(ledger)
        >>> index.refresh()
        0
        """
        count = len(self._ledger) - self._seen
        if count == 0:
            return 0
        with _paused(count >= _LARGE):
            self._consume(self._ledger.outlines(self._seen), count)
        self._unsettled += count
        self._seen += count
        return count

    def _read(self, item: Recorded | Outline, sketches: Sketches) -> Claim:
        """A record's claim, or for one not read yet its sketch (the claim is read when
        it cannot be sketched: a user's own event type, a text that does not decode).

        A sketch stands in for the claim in everything indexing reads (its id, event,
        window, report instant, modality, supersedes); :meth:`_claim` reads the claim
        itself wherever an answer hands claims out."""
        if type(item) is not Outline:
            return item.claim  # type: ignore[union-attr]
        sketch = sketches.sketch(item)
        if sketch is None:
            return self._ledger.at(item.position).claim
        return cast(Claim, sketch)

    def _claim(self, op: ff.Op) -> Claim:
        """The claim a compiled claim came from, read now if it was sketched (the
        compiled claim holds its position then)."""
        found = op[ff.CLAIM]
        return self._ledger.at(found).claim if type(found) is int else found

    def _claims(self, ops: Iterable[ff.Op]) -> tuple[Claim, ...]:
        """The claims compiled claims came from, the sketched ones read together."""
        held = [op[ff.CLAIM] for op in ops]
        positions = [found for found in held if type(found) is int]
        read = iter([r.claim for r in self._ledger.at_positions(positions)] if positions else [])
        return tuple(next(read) if type(found) is int else found for found in held)

    def _consume(self, records: Iterable[Recorded | Outline], total: int) -> None:
        arriving: dict[PlaceHistory, list[Claim]] = {}  # compiled place by place
        incoming: dict[PlaceHistory, list[ff.Op]] = {}
        cancellations: list[tuple[str, int]] = []
        places = self._places
        shared: dict[int, Any] = {}  # the records keep every object alive meanwhile
        report = self._progress if total >= 50_000 else None
        created: list[PlaceHistory] = []
        late = self._late
        kept: list[Claim] = []  # alive while ``shared`` remembers their parts
        sketches = Sketches()  # its caches are let go with the batch
        for done, record in enumerate(records):
            if report is not None and done % 50_000 == 0:
                report(done, total)
            claim = self._read(record, sketches)
            kept.append(claim)
            event = claim.event
            if isinstance(event, Retraction):
                cancellations.append((event.target, ff.micros(claim.reported_at)))
                continue
            if claim.supersedes is not None:
                cancellations.append((claim.supersedes, ff.micros(claim.reported_at)))
            place = place_of(claim)
            if place is None:
                if isinstance(event, SourceGraded):
                    graded = ff.compile_claim(claim, shared)
                    read = self._claim(graded)
                    insort(self._graded, (fold_key(graded), read), key=lambda pair: pair[0])
                continue
            entry = places.get(place)
            if entry is None:
                entry = places[place] = PlaceHistory(place, slot=len(self._by_slot))
                self._by_slot.append(entry)
                created.append(entry)
            arriving.setdefault(entry, []).append(claim)
        for entry, claims in arriving.items():
            ops = incoming[entry] = compile_place(claims, shared)
            for op in ops:
                late.add(op[ff.REPORTED], op[ff.START], _tag(entry, op))
        undone = self._undone(cancellations, incoming, shared)
        # Answers handed out read the places lazily: they read what changes now first.
        if self._readers:
            changing = {*incoming, *(entry for _, _, entry, _ in undone)}
            copies: dict[PlaceHistory, PlaceHistory] = {}
            for serial, reader in list(self._readers.items()):
                if reader.complete():
                    del self._readers[serial]  # every state read: nothing left to keep
                else:
                    reader.pin(changing, copies)
        if created:  # a new list: answers handed out keep the one they were made with
            if len(created) < self._bulk:
                merged = self._sorted.copy()
                for entry in created:
                    insort(merged, entry, key=_place_name)
                self._sorted = merged
            else:
                self._sorted = sorted([*self._sorted, *created], key=_place_name)
        self._index_starts(incoming)
        for entry, ops in incoming.items():
            self._insert(entry, ops)
        cancelled = self._cancelled
        for target, when in cancellations:
            if cancelled.get(target, NEVER) > when:
                cancelled[target] = when
        starts, starters, settles = self._starts, self._starters, self._start_settles
        for target, when, entry, op in undone:
            if cancelled[target] == when:
                late.add(when, op[ff.START], _tag(entry, op))
                # Known as now only from ``when``: this place's claims begun at the same
                # instant are all marked (one too many is asked again, never one too few).
                start = op[ff.START]
                for j in range(bisect_left(starts, start), bisect_right(starts, start)):
                    if starters[j] is entry and settles[j] < when:
                        settles[j] = when
                at = entry.position(op)
                entry.mark(at, op, at)
                self._dirty.add(entry)
        if report is not None:
            report(total, total)

    def _undone(
        self,
        cancellations: list[tuple[str, int]],
        incoming: dict[PlaceHistory, list[ff.Op]],
        shared: dict[int, Any],
    ) -> list[tuple[str, int, PlaceHistory, ff.Op]]:
        """The territorial claims ``cancellations`` undo, with their places and compiled
        claims: found among the batch's own compiled claims (a build finds every one
        there), else read from the ledger (a claim of an earlier batch: one record)."""
        if not cancellations:
            return []
        batch: dict[str, tuple[PlaceHistory, ff.Op]] = {}
        for entry, ops in incoming.items():
            for op in ops:
                batch.setdefault(op[ff.CID], (entry, op))
        undone: list[tuple[str, int, PlaceHistory, ff.Op]] = []
        for target, when in cancellations:
            found = batch.get(target)
            if found is None:
                claim = self._ledger.claim(target)
                place = place_of(claim)
                if place is None or isinstance(claim.event, Retraction):
                    continue  # nothing territorial to undo
                found = (self._places[place], ff.compile_claim(claim, shared))
            undone.append((target, when, *found))
        return undone

    def _insert(self, entry: PlaceHistory, ops: list[ff.Op]) -> None:
        """Put a place's new claims in fold order among its claims, and mark them."""
        ops.sort(key=fold_key)
        existing = entry.ops
        if not existing or fold_key(existing[-1]) <= fold_key(ops[0]):
            first = len(existing)
            existing.extend(ops)
            last = len(existing) - 1
        else:
            first = entry.position(ops[0])
            last = first if len(ops) == 1 else -1  # -1: settling finds it
            if len(ops) == 1:
                existing.insert(first, ops[0])
            elif len(ops) < self._bulk:
                for op in ops:
                    insort(existing, op, key=fold_key)
            else:
                existing.extend(ops)
                existing.sort(key=fold_key)
        entry.mark(first, ops[-1], last)
        self._dirty.add(entry)

    def _index_starts(self, incoming: dict[PlaceHistory, list[ff.Op]]) -> None:
        starts, starters = self._starts, self._starters
        settles, moves = self._start_settles, self._start_moves
        triples = sorted(
            ((op[ff.START], entry, op) for entry, ops in incoming.items() for op in ops),
            key=lambda triple: triple[0],
        )
        if not triples:
            return
        # Each new claim's code in the columns' ``after`` is set once its place settles.
        columns = self._columns
        if not starts or starts[-1] <= triples[0][0]:
            columns.placed(len(starts), len(triples))
            starts.extend(start for start, _, _ in triples)
            starters.extend(entry for _, entry, _ in triples)
            settles.extend(op[ff.REPORTED] for _, _, op in triples)
            moves.extend(op[ff.CODE] in _MOVES_HOLDER for _, _, op in triples)
        elif len(triples) < self._bulk:
            for start, entry, op in triples:
                at = bisect_right(starts, start)
                columns.placed(at, 1)
                starts.insert(at, start)
                starters.insert(at, entry)
                settles.insert(at, op[ff.REPORTED])
                moves.insert(at, op[ff.CODE] in _MOVES_HOLDER)
        else:
            merged = sorted(
                [
                    *zip(starts, starters, settles, moves, strict=True),
                    *(
                        (start, entry, op[ff.REPORTED], op[ff.CODE] in _MOVES_HOLDER)
                        for start, entry, op in triples
                    ),
                ],
                key=lambda row: row[0],
            )
            self._starts = [row[0] for row in merged]
            self._starters = [row[1] for row in merged]
            self._start_settles = [row[2] for row in merged]
            self._start_moves = bytearray(row[3] for row in merged)
            columns.placed(0, len(triples))  # the right length; every code is recomputed
            self._recode_all = True

    def _settled(self) -> list[PlaceHistory]:
        self.refresh()
        if self._dirty:
            with _paused(self._unsettled >= _LARGE):
                self._settle()
            self._unsettled = 0
        return self._sorted

    def _settle(self) -> None:
        """Fold the changed places and bring the holder columns up to date."""
        every, cancelled, columns = self._every, self._cancelled, self._columns
        columns.reserve(len(self._by_slot))
        first_agrees = self._first_agrees
        if len(first_agrees) < len(self._by_slot):
            first_agrees.extend([NEVER] * (len(self._by_slot) - len(first_agrees)))
        changed: list[tuple[PlaceHistory, int, int]] = []
        todo = 0  # claims whose ``after`` code may change
        for entry in self._dirty:
            first = entry.clean
            since = entry.ops[first][ff.START] if first < len(entry.ops) else None
            until = entry.settle(cancelled, every)  # the holder is as before from there
            first_agrees[entry.slot] = (
                entry.reach[entry.first_live] if entry.first_live < len(entry.ops) else NEVER
            )
            if since is not None:
                until = NEVER if until is None else until
                columns.patch(entry, since, until)
                changed.append((entry, since, until))
                todo += bisect_right(entry.starts, until) - first
        self._rows.drop(self._dirty)
        self._dirty.clear()
        starts, starters = self._starts, self._starters
        if self._recode_all or todo * self._recode_share > len(starts):
            columns.recode_all(starts, starters)
            self._recode_all = False
        else:
            for entry, since, until in changed:
                columns.recode(entry, since, until, starts, starters)
        every_col = self._column_every or max(64, len(self._by_slot) // 16)
        columns.extend(self._starts, self._starters, len(self._by_slot), every_col)
        self._late.settle()

    def _column(self, at: int, known: int | None) -> array[int]:
        """Every place's code at ``at`` as known at ``known`` (settled first)."""
        self._settled()
        self._columns.reserve(len(self._by_slot))
        col = self._columns.at(at, self._starts, self._starters, len(self._by_slot))
        if known is not None:
            self._know(col, at, known)
        return col

    def _know(self, col: array[int], at: int, known: int) -> None:
        """Turn ``col``, every place at ``at`` as known now, into as known at ``known``.

        Only places with a claim that began by ``at`` and was known differently at
        ``known`` can differ: the claims begun within a prompt delay before ``known``
        (checked one by one) and those known late (:class:`LateKnowledge`). A claim that
        moves no holder (an attack, a forecast...) changes a place only if it
        decides whether any claim counts; those places and the others are recomputed.
        """
        starts = self._starts
        lo, hi = bisect_right(starts, known - self._prompt), bisect_right(starts, at)
        limit = max(256, len(col) // 2) if self._scan_limit is None else self._scan_limit
        by_slot = self._by_slot
        code = self._columns.code
        if hi - lo > limit:
            for entry in by_slot:  # cheaper to ask every place
                present, holder = entry.holder(at, known, self._every)
                col[entry.slot] = code(holder) if present else ABSENT
            return
        tags, begun = self._late.found(at=at, known=known)
        starters, settles, moves = self._starters, self._start_settles, self._start_moves
        for j in range(lo, hi):
            if settles[j] > known:
                tags.append(starters[j].slot << 1 | moves[j])
                begun.append(starts[j])
        # By place: the latest start of its claims known differently, and whether one of
        # them may move its holder (or it counts for nothing now).
        latest: dict[int, int] = {}
        moved: set[int] = set()
        for tag, start in zip(tags, begun, strict=True):
            slot = tag >> 1
            if start > latest.get(slot, EARLIEST):
                latest[slot] = start
            if tag & 1 or not col[slot]:
                moved.add(slot)
        # A claim that moves no holder, about a place that counts now: does a claim known
        # then as now still count? If so, the place counts either way, its holder unmoved.
        first_agrees = self._first_agrees
        for slot, start in latest.items():
            if slot in moved or first_agrees[slot] > known:
                present, holder = by_slot[slot].holder(at, known, self._every, start)
                col[slot] = code(holder) if present else ABSENT

    def _state(self, entry: PlaceHistory, at: int, known: int | None) -> PlaceState | None:
        return entry.state(at, known, self._every, self._durations)

    def snapshot(self, *, at: Any, known_at: Any = None, policy: Policy | None = None) -> Snapshot:
        """Every place's state at ``at`` as known at ``known_at``: equal to
        :func:`conflict_ledger.asof.snapshot` of the ledger, with the same ``policy``
        (default: :func:`~conflict_ledger.rules.policies.contest_disagreement`, the fast path).

        >>> from conflict_ledger.seed import load_seed
        >>> snap = AsOfIndex(load_seed()).snapshot(at="2024-12-06T17:00Z", known_at="2024-12-07T09:00Z")
        >>> snap["homs"].status.value
        'under_advance'
        """
        cut = to_instant(at, field="at")
        known = None if known_at is None else to_instant(known_at, field="known_at")
        if policy is None or policy is DEFAULT_POLICY:
            return self._snapshot(cut, known)
        grades = self._grades(cut, known)
        states = {}
        self._ledger.records()  # a policy weighs every place's claims: read them in one pass
        for entry in self._settled():
            claims = self._counted(entry.place, cut, known)
            if claims:
                states[entry.place] = apply_policy(
                    policy,
                    PlaceClaims(
                        place=entry.place,
                        at=cut,
                        known_at=known,
                        claims=self._claims(claims),
                        grades=grades,
                    ),
                )
        return Snapshot(
            at=cut, known_at=known, position=None, places=states, registries=self._names()
        )

    def _names(self) -> Registries:
        """The ledger's registries, which names in questions are read through."""
        return self._ledger.registries

    def _place_id(self, place: str) -> str:
        return self._ledger.registries.places.id_of(place, field="place")

    def _grades(self, cut: pendulum.DateTime, known: pendulum.DateTime | None) -> Any:
        at_i = ff.micros(cut)
        known_i = None if known is None else ff.micros(known)
        cancelled = self._cancelled
        counted = [
            claim
            for key, claim in self._graded
            if key[0] <= at_i
            and (
                cancelled.get(key[3], NEVER) == NEVER
                if known_i is None
                else key[2] <= known_i and cancelled.get(key[3], NEVER) > known_i
            )
        ]
        return grades_at(counted, self._ledger.registries.sources, at=cut)

    def place_claims(self, place: str, *, at: Any, known_at: Any = None) -> PlaceClaims:
        """What a resolution policy sees for one place: equal to
        :func:`conflict_ledger.asof.place_claims` of the ledger.

        >>> from conflict_ledger.seed import load_seed
        >>> [c.id for c in AsOfIndex(load_seed()).place_claims("homs", at="2024-12-07T00:00Z").claims]
        ['dawn-2024-12-07/c02', 'dawn-2024-12-07/c03']
        """
        place = self._place_id(place)
        cut = to_instant(at, field="at")
        known = None if known_at is None else to_instant(known_at, field="known_at")
        return PlaceClaims(
            place=place,
            at=cut,
            known_at=known,
            claims=self._claims(self._counted(place, cut, known)),
            grades=self._grades(cut, known),
        )

    def _snapshot(self, cut: pendulum.DateTime, known: pendulum.DateTime | None) -> Snapshot:
        at_i = ff.micros(cut)
        known_i = None if known is None else ff.micros(known)
        return self._lazy(cut, known, at_i, known_i, self._column(at_i, known_i))

    def _lazy(
        self,
        cut: pendulum.DateTime,
        known: pendulum.DateTime | None,
        at_i: int,
        known_i: int | None,
        col: array[int],
    ) -> Snapshot:
        states = _LazyStates(self, col, at_i, known_i)
        self._serial += 1
        self._readers[self._serial] = states
        return Snapshot(
            at=cut, known_at=known, position=None, places=states, registries=self._names()
        )

    def table(self, *, at: Any, known_at: Any = None) -> SnapshotTable:
        """:meth:`snapshot` with every state read, as columns (numpy arrays, a row a
        place that counts, in place order): what a map or a DataFrame reads, without
        building a :class:`~conflict_ledger.rules.territory.PlaceState` a place. The states are
        the default policy's (:meth:`snapshot` without ``policy``).

        >>> from conflict_ledger.seed import load_seed
        >>> table = AsOfIndex(load_seed()).table(at="2024-12-07T00:00Z")
        >>> dict(zip(table.place, table.holder))["deir-ez-zor"], len(table)
        ('sdf', 10)
        """
        cut = to_instant(at, field="at")
        known = None if known_at is None else to_instant(known_at, field="known_at")
        at_i = ff.micros(cut)
        known_i = None if known is None else ff.micros(known)
        col = self._column(at_i, known_i)
        return SnapshotTable(at=cut, known_at=known, **self._sweep(known_i).table(at_i, col))

    def tables(self, ats: Iterable[Any], *, known_at: Any = None) -> tuple[SnapshotTable, ...]:
        """:meth:`table` at each of ``ats`` (in the order given), as known at ``known_at``.

        Between two instants only the places with a claim starting in between change
        their row, so each table after the first rereads those places only, like
        :meth:`holders_series`.

        >>> from conflict_ledger.seed import load_seed
        >>> days = ["2024-12-06T00:00Z", "2024-12-08T00:00Z"]
        >>> [t.row("deir-ez-zor")["status"] for t in AsOfIndex(load_seed()).tables(days)]
        ['changing', 'held']
        """
        cuts, known, instants, known_i = _instants(ats, known_at)
        columns = self._columns_at(instants, known_i)
        sweep = self._sweep(known_i)
        answers: list[SnapshotTable] = [None] * len(cuts)  # type: ignore[list-item]
        for step in sorted(range(len(cuts)), key=instants.__getitem__):
            found = sweep.table(instants[step], columns[step])
            answers[step] = SnapshotTable(at=cuts[step], known_at=known, **found)
        return tuple(answers)

    def _sweep(self, known: int | None) -> Sweep:
        """A :class:`~conflict_ledger.engine._tabulate.Sweep` over every place (settled)."""
        if self._layout is None or self._layout.entries is not self._sorted:
            self._layout = Layout(self._sorted)  # the list is replaced when places are added
        if len(self._windows) > 1 << 16:
            self._windows.clear()
        return Sweep(
            self._layout,
            self._rows,
            every=self._every,
            known=known,
            windows=self._windows,
            starts=self._starts,
            starters=self._starters,
        )

    def holders(self, *, at: Any, known_at: Any = None) -> Mapping[str, str | None]:
        """Just the holder of every place in :meth:`snapshot` (None: nobody), sorted by place:
        the light answer for a chart or a table, without building any state.

        The answer is a read-only mapping over one column of small integers, made from
        the last checkpoint column before ``at`` and the places whose claims began since.

        >>> from conflict_ledger.seed import load_seed
        >>> AsOfIndex(load_seed()).holders(at="2024-12-07T00:00Z")["deir-ez-zor"]
        'sdf'
        """
        at_i = ff.micros(to_instant(at, field="at"))
        known_i = None if known_at is None else ff.micros(to_instant(known_at, field="known_at"))
        return _Holders(self, self._column(at_i, known_i))

    def _columns_at(self, instants: list[int], known: int | None) -> list[array[int]]:
        """Columns at each of ``instants`` (in that order): each step from the one before,
        or from the last checkpoint column when fewer claims begin after that."""
        self._settled()
        self._columns.reserve(len(self._by_slot))
        columns, starts, starters = self._columns, self._starts, self._starters
        size = len(self._by_slot)
        answers: list[array[int]] = [columns.empty(0)] * len(instants)
        base: array[int] | None = None
        previous = 0
        for step in sorted(range(len(instants)), key=instants.__getitem__):
            at = instants[step]
            hi = bisect_right(starts, at)
            if base is None or hi - columns.since(at, starts) < hi - bisect_right(starts, previous):
                base = columns.at(at, starts, starters, size)
            elif at > previous:
                columns.advance(base, starters, bisect_right(starts, previous), hi)
            col = base[:]
            if known is not None:
                self._know(col, at, known)
            answers[step] = col
            previous = at
        return answers

    def holders_series(
        self, ats: Iterable[Any], *, known_at: Any = None
    ) -> tuple[Mapping[str, str | None], ...]:
        """:meth:`holders` at each of ``ats`` (in the order given), as known at ``known_at``.

        Between two instants only the places with a claim starting in between can
        change, so each step recomputes those places only: a slider over a year of a war
        costs little more than the claims it passes.

        >>> from conflict_ledger.seed import load_seed
        >>> days = ["2024-12-06T00:00Z", "2024-12-08T00:00Z"]
        >>> [h["deir-ez-zor"] for h in AsOfIndex(load_seed()).holders_series(days)]
        ['sdf', 'sdf']
        """
        _, _, instants, known_i = _instants(ats, known_at)
        return tuple(_Holders(self, col) for col in self._columns_at(instants, known_i))

    def series(self, ats: Iterable[Any], *, known_at: Any = None) -> tuple[Snapshot, ...]:
        """Snapshots at each of ``ats`` (in the order given), as known at ``known_at``.

        Each step starts from the one before, like :meth:`holders_series`; every state
        is computed when first read.

        >>> from conflict_ledger.seed import load_seed
        >>> days = ["2024-12-06T00:00Z", "2024-12-08T00:00Z"]
        >>> [s["deir-ez-zor"].status.value for s in AsOfIndex(load_seed()).series(days)]
        ['changing', 'held']
        """
        cuts, known, instants, known_i = _instants(ats, known_at)
        columns = self._columns_at(instants, known_i)
        return tuple(
            self._lazy(cut, known, at_i, known_i, col)
            for cut, at_i, col in zip(cuts, instants, columns, strict=True)
        )

    def place_state(self, place: str, *, at: Any, known_at: Any = None) -> PlaceState:
        """One place's state at ``at`` as known at ``known_at`` (UNKNOWN when no claim counts).

        >>> from conflict_ledger.seed import load_seed
        >>> AsOfIndex(load_seed()).place_state("homs", at="2024-12-01T00:00Z").status.value
        'unknown'
        """
        place = self._place_id(place)
        self._settled()
        at_i = ff.micros(to_instant(at, field="at"))
        known_i = None if known_at is None else ff.micros(to_instant(known_at, field="known_at"))
        entry = self._places.get(place)
        state = None if entry is None else self._state(entry, at_i, known_i)
        return ff.view(place, ff.EMPTY, at_i) if state is None else state

    def place_fold(self, place: str, *, at: Any, known_at: Any = None) -> PlaceFold:
        """The territorial reducer's state for one place (what :func:`~conflict_ledger.rules.territory.view` reads).

        >>> from conflict_ledger.seed import load_seed
        >>> AsOfIndex(load_seed()).place_fold("deir-ez-zor", at="2024-12-08T00:00Z").holder
        'sdf'
        """
        place = self._place_id(place)
        self._settled()
        at_i = ff.micros(to_instant(at, field="at"))
        known_i = None if known_at is None else ff.micros(to_instant(known_at, field="known_at"))
        entry = self._places.get(place)
        found = None if entry is None else entry.lookup(at_i, known_i, self._every)
        return ff.to_place_fold(place, ff.EMPTY if found is None else found[0])

    def claims(self, place: str, *, at: Any = None, known_at: Any = None) -> tuple[Claim, ...]:
        """The claims that count for one place (valid from ``at`` or before, as known at
        ``known_at``), in fold order: what a resolution policy reads.

        >>> from conflict_ledger.seed import load_seed
        >>> [c.id for c in AsOfIndex(load_seed()).claims("deir-ez-zor")]
        ['dawn-2024-12-07/c04']
        """
        return self._claims(self._counted(self._place_id(place), at, known_at))

    def explain(
        self, place: str, *, at: Any, known_at: Any = None, policy: Policy | None = None
    ) -> Explanation:
        """Why one place has its state: equal to :func:`conflict_ledger.asof.explain` of
        the ledger with the same ``policy``, reading only the records about the place
        (:mod:`conflict_ledger.engine._explain`).

        >>> from conflict_ledger.seed import load_seed
        >>> why = AsOfIndex(load_seed()).explain("homs", at="2024-12-07T00:00Z")
        >>> [c.id for c in why.supporting]
        ['dawn-2024-12-07/c02', 'dawn-2024-12-07/c03']
        """
        seen = self.place_claims(place, at=at, known_at=known_at)
        if self._mentions is None:
            self._mentions = Mentions()
        self._mentions.read(self._ledger)
        return explanation(self._mentions, seen, policy or DEFAULT_POLICY)

    def _counted(self, place: str, at: Any, known_at: Any) -> list[ff.Op]:
        self._settled()
        entry = self._places.get(place)
        if entry is None:
            return []
        n = (
            len(entry.ops)
            if at is None
            else bisect_right(entry.starts, ff.micros(to_instant(at, field="at")))
        )
        ops, cancel = entry.ops, entry.cancel
        if known_at is None:
            return [ops[j] for j in range(n) if cancel[j] == NEVER]
        known = ff.micros(to_instant(known_at, field="known_at"))
        return [ops[j] for j in range(n) if ops[j][ff.REPORTED] <= known and cancel[j] > known]

    def timeline(self, place: str, *, known_at: Any = None) -> Timeline:
        """One place's changes over valid time as known at ``known_at``: equal to
        :func:`conflict_ledger.asof.timeline`.

        >>> from conflict_ledger.seed import load_seed
        >>> [e.state.status.value for e in AsOfIndex(load_seed()).timeline("deir-ez-zor")]
        ['changing', 'held']
        """
        place = self._place_id(place)
        known = None if known_at is None else to_instant(known_at, field="known_at")
        ops = self._counted(place, None, known)
        instants = {op[ff.START]: ff.valid_window(op).start for op in ops}
        instants.update({op[ff.END]: ff.end_instant(op) for op in ops})
        entries: list[TimelineEntry] = []
        frozen = ff.EMPTY
        folded = 0
        for instant in sorted(instants):
            upto = folded
            while upto < len(ops) and ops[upto][ff.START] <= instant:
                upto += 1
            if upto > folded:
                frozen = ff.fold(frozen, ops[folded:upto])
                folded = upto
            current = ff.view(place, frozen, instant)
            if entries and entries[-1].state.situation() == current.situation():
                continue
            when = instants[instant]
            if entries:
                entries[-1] = attrs.evolve(entries[-1], end=when)
            entries.append(TimelineEntry(start=when, end=None, state=current))
        return Timeline(place=place, known_at=known, entries=tuple(entries))

    def __iter__(self) -> Iterator[str]:
        return iter(self.places())

    def __repr__(self) -> str:
        claims = sum(len(p.ops) for p in self._places.values())
        return f"<AsOfIndex of {claims} territorial claims about {len(self._places)} places>"
