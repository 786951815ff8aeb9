"""Reading new records into the as-of index, and settling them (private to the as-of index).

:func:`refresh` reads the records appended to the ledger since the last read
(:func:`consume`): each territorial claim is compiled and put in fold order among its
place's claims (:func:`insert`), its valid start in the index of starts across places
(:func:`index_starts`), and each retraction or correction marks the claim it undoes.
The places changed are folded again, and the holder columns brought up to date, only
when a question next needs them (:func:`settled`).

These functions are the index's own steps: they take the
:class:`~conflict_ledger.engine.index.AsOfIndex` whose state they change, and read its
options (``_bulk``, ``_recode_share``) from it, so that a subclass's options hold.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from conflict_ledger._lazy import collector_paused as _collector_paused
from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._places import NEVER, PlaceHistory, compile_place, fold_key
from conflict_ledger.engine._sketch import Sketches
from conflict_ledger.events import Retraction, SourceGraded
from conflict_ledger.ledger import Recorded
from conflict_ledger.records import Outline
from conflict_ledger.rules.territory import place_of

if TYPE_CHECKING:
    from conflict_ledger.engine._state import IndexState

__all__ = ["consume", "index_starts", "insert", "refresh", "settled"]

_MOVES_HOLDER = frozenset((ff.GAIN, ff.HOLD, ff.LOSE, ff.DENY))
"""The compiled claims that can change a place's holder (the others never do): a denial
can, when it decides whether a later loss by a contender clears the holder."""


_LARGE = 1_000
"""Work on this many records or places at once runs with the cyclic collector paused."""

_REPORTED = 50_000
"""A batch of this many records or more reports its progress every this many records."""


def _paused(large: bool) -> AbstractContextManager[None]:
    """Pause the cyclic garbage collector for large work (see the ledger's read of stored
    records): indexing builds lists and tuples without cycles that the index keeps, so a
    collection during it frees nothing and only traverses them again; at 100k claims it
    was about half the time of a new index's first answer (benchmarks/bench_open.py)."""
    return _collector_paused() if large else nullcontext()


def _tag(entry: PlaceHistory, op: ff.Op) -> int:
    """A claim about ``entry`` as a small integer: the place's slot, and in the lowest bit
    whether the claim can move a holder."""
    return entry.slot << 1 | (op[ff.CODE] in _MOVES_HOLDER)


def _place_name(entry: PlaceHistory) -> str:
    return entry.place


def refresh(index: IndexState) -> int:
    """Read the records appended since the last read; returns how many were read."""
    count = len(index._ledger) - index._seen
    if count == 0:
        return 0
    with _paused(count >= _LARGE):
        consume(index, index._ledger.outlines(index._seen), count)
    index._unsettled += count
    index._seen += count
    return count


def _read(index: IndexState, item: Recorded | Outline, sketches: Sketches) -> Claim:
    """A record's claim, or for one not read yet its sketch (the claim is read when
    it cannot be sketched: a user's own event type, a text that does not decode).

    A sketch stands in for the claim in everything indexing reads (its id, event,
    window, report instant, modality, supersedes); the claim itself is read wherever
    an answer hands claims out (:func:`_claim_of`,
    :func:`~conflict_ledger.engine._one_place.claims_of`)."""
    if type(item) is not Outline:
        return item.claim  # type: ignore[union-attr]
    sketch = sketches.sketch(item)
    if sketch is None:
        return index._ledger.at(item.position).claim
    return cast(Claim, sketch)


def _claim_of(index: IndexState, op: ff.Op) -> Claim:
    """The claim a compiled claim came from, read now if it was sketched (the
    compiled claim holds its position then)."""
    found = op[ff.CLAIM]
    return index._ledger.at(found).claim if type(found) is int else found


class _Batch(NamedTuple):
    """A batch of records read (:func:`_gather`), kept until it is indexed."""

    arriving: dict[PlaceHistory, list[Claim]]  # territorial claims, place by place
    cancellations: list[tuple[str, int]]  # (claim undone, from when)
    created: list[PlaceHistory]  # places met for the first time
    kept: list[Claim]  # alive while ``shared`` remembers their parts
    sketches: Sketches  # its caches are let go with the batch


_Undone = tuple[str, int, PlaceHistory, ff.Op]
"""A territorial claim undone: its id, from when, its place, and the claim compiled."""


def consume(index: IndexState, records: Iterable[Recorded | Outline], total: int) -> None:
    """Index ``records`` (``total`` of them): read them, compile each place's new claims,
    keep the answers handed out as they are, then put the claims and cancellations in."""
    shared: dict[int, Any] = {}  # the records keep every object alive meanwhile
    report = index._progress if total >= _REPORTED else None
    batch = _gather(index, records, total, shared, report)
    incoming = _compile(index, batch.arriving, shared)
    undone = _undone(index, batch.cancellations, incoming, shared)
    # Answers handed out read the places lazily: they read what changes now first.
    if index._readers:
        _pin_answers(index, {*incoming, *(entry for _, _, entry, _ in undone)})
    if batch.created:
        _add_places(index, batch.created)
    index_starts(index, incoming)
    for entry, ops in incoming.items():
        insert(index, entry, ops)
    _cancel(index, batch.cancellations, undone)
    if report is not None:
        report(total, total)


def _gather(
    index: IndexState,
    records: Iterable[Recorded | Outline],
    total: int,
    shared: dict[int, Any],
    report: Callable[[int, int], None] | None,
) -> _Batch:
    """Read ``records``: each territorial claim under its place (creating the places met
    for the first time), each retraction and correction as a cancellation, and each
    source grading into the index's gradings."""
    batch = _Batch({}, [], [], [], Sketches())
    arriving, cancellations, created, kept, sketches = batch
    places, by_slot, graded = index._places, index._by_slot, index._graded
    for done, record in enumerate(records):
        if report is not None and done % _REPORTED == 0:
            report(done, total)
        claim = _read(index, record, sketches)
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
                compiled = ff.compile_claim(claim, shared)
                read = _claim_of(index, compiled)
                insort(graded, (fold_key(compiled), read), key=lambda pair: pair[0])
            continue
        entry = places.get(place)
        if entry is None:
            entry = places[place] = PlaceHistory(place, slot=len(by_slot))
            by_slot.append(entry)
            created.append(entry)
        arriving.setdefault(entry, []).append(claim)
    return batch


def _compile(
    index: IndexState, arriving: dict[PlaceHistory, list[Claim]], shared: dict[int, Any]
) -> dict[PlaceHistory, list[ff.Op]]:
    """Each place's new claims compiled, and told to the claims known late."""
    incoming: dict[PlaceHistory, list[ff.Op]] = {}
    late = index._late
    for entry, claims in arriving.items():
        ops = incoming[entry] = compile_place(claims, shared)
        for op in ops:
            late.add(op[ff.REPORTED], op[ff.START], _tag(entry, op))
    return incoming


def _undone(
    index: IndexState,
    cancellations: list[tuple[str, int]],
    incoming: dict[PlaceHistory, list[ff.Op]],
    shared: dict[int, Any],
) -> list[_Undone]:
    """The territorial claims ``cancellations`` undo, with their places and compiled
    claims: found among the batch's own compiled claims (a build finds every one
    there), else read from the ledger (a claim of an earlier batch: one record)."""
    if not cancellations:
        return []
    batch: dict[str, tuple[PlaceHistory, ff.Op]] = {}
    for entry, ops in incoming.items():
        for op in ops:
            batch.setdefault(op[ff.CID], (entry, op))
    undone: list[_Undone] = []
    for target, when in cancellations:
        found = batch.get(target)
        if found is None:
            claim = index._ledger.claim(target)
            place = place_of(claim)
            if place is None or isinstance(claim.event, Retraction):
                continue  # nothing territorial to undo
            found = (index._places[place], ff.compile_claim(claim, shared))
        undone.append((target, when, *found))
    return undone


def _pin_answers(index: IndexState, changing: set[PlaceHistory]) -> None:
    """Let every lazy answer still alive keep the places about to change as they are."""
    copies: dict[PlaceHistory, PlaceHistory] = {}
    readers = index._readers
    for serial, reader in list(readers.items()):
        if reader.complete():
            del readers[serial]  # every state read: nothing left to keep
        else:
            reader.pin(changing, copies)


def _add_places(index: IndexState, created: list[PlaceHistory]) -> None:
    """Add the places ``created`` to the places in order, in a new list: answers handed
    out keep the one they were made with."""
    if len(created) < index._bulk:
        merged = index._sorted.copy()
        for entry in created:
            insort(merged, entry, key=_place_name)
        index._sorted = merged
    else:
        index._sorted = sorted([*index._sorted, *created], key=_place_name)


def _cancel(index: IndexState, cancellations: list[tuple[str, int]], undone: list[_Undone]) -> None:
    """Record when each claim was undone (the earliest), and mark the claims undone."""
    cancelled = index._cancelled
    for target, when in cancellations:
        if cancelled.get(target, NEVER) > when:
            cancelled[target] = when
    late = index._late
    starts, starters, settles = index._starts, index._starters, index._start_settles
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
            index._dirty.add(entry)


def insert(index: IndexState, entry: PlaceHistory, ops: list[ff.Op]) -> None:
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
        elif len(ops) < index._bulk:
            for op in ops:
                insort(existing, op, key=fold_key)
        else:
            existing.extend(ops)
            existing.sort(key=fold_key)
    entry.mark(first, ops[-1], last)
    index._dirty.add(entry)


def index_starts(index: IndexState, incoming: dict[PlaceHistory, list[ff.Op]]) -> None:
    """Put the new claims' valid starts among every claim's, in start order (with their
    places, settling instants and whether they can move a holder)."""
    triples = sorted(
        ((op[ff.START], entry, op) for entry, ops in incoming.items() for op in ops),
        key=lambda triple: triple[0],
    )
    if not triples:
        return
    # Each new claim's code in the columns' ``after`` is set once its place settles.
    starts = index._starts
    if not starts or starts[-1] <= triples[0][0]:
        _append_starts(index, triples)
    elif len(triples) < index._bulk:
        _insert_starts(index, triples)
    else:
        _merge_starts(index, triples)


_Triple = tuple[int, PlaceHistory, ff.Op]
"""A new claim's valid start, its place and the claim compiled."""


def _append_starts(index: IndexState, triples: list[_Triple]) -> None:
    """The new starts, none before the last one kept, put after it."""
    index._columns.placed(len(index._starts), len(triples))
    index._starts.extend(start for start, _, _ in triples)
    index._starters.extend(entry for _, entry, _ in triples)
    index._start_settles.extend(op[ff.REPORTED] for _, _, op in triples)
    index._start_moves.extend(op[ff.CODE] in _MOVES_HOLDER for _, _, op in triples)


def _insert_starts(index: IndexState, triples: list[_Triple]) -> None:
    """A few new starts, each put in its place."""
    starts, starters = index._starts, index._starters
    settles, moves, columns = index._start_settles, index._start_moves, index._columns
    for start, entry, op in triples:
        at = bisect_right(starts, start)
        columns.placed(at, 1)
        starts.insert(at, start)
        starters.insert(at, entry)
        settles.insert(at, op[ff.REPORTED])
        moves.insert(at, op[ff.CODE] in _MOVES_HOLDER)


def _merge_starts(index: IndexState, triples: list[_Triple]) -> None:
    """Many new starts, merged with the kept ones by sorting (in new lists)."""
    merged = sorted(
        [
            *zip(
                index._starts,
                index._starters,
                index._start_settles,
                index._start_moves,
                strict=True,
            ),
            *(
                (start, entry, op[ff.REPORTED], op[ff.CODE] in _MOVES_HOLDER)
                for start, entry, op in triples
            ),
        ],
        key=lambda row: row[0],
    )
    index._starts = [row[0] for row in merged]
    index._starters = [row[1] for row in merged]
    index._start_settles = [row[2] for row in merged]
    index._start_moves = bytearray(row[3] for row in merged)
    index._columns.placed(0, len(triples))  # the right length; every code is recomputed
    index._recode_all = True


def settled(index: IndexState) -> list[PlaceHistory]:
    """Every place in place order, with the records appended read and every place
    changed since folded again (:func:`_settle`)."""
    refresh(index)
    if index._dirty:
        with _paused(index._unsettled >= _LARGE):
            _settle(index)
        index._unsettled = 0
    return index._sorted


def _settle(index: IndexState) -> None:
    """Fold the changed places and bring the holder columns up to date."""
    columns = index._columns
    columns.reserve(len(index._by_slot))
    changed, todo = _fold_changed(index)
    if index._rows is not None:
        index._rows.drop(index._dirty)
    index._dirty.clear()
    starts, starters = index._starts, index._starters
    if index._recode_all or todo * index._recode_share > len(starts):
        columns.recode_all(starts, starters)
        index._recode_all = False
    else:
        for entry, since, until in changed:
            columns.recode(entry, since, until, starts, starters)
    every_col = index._column_every or max(64, len(index._by_slot) // 16)
    columns.extend(index._starts, index._starters, len(index._by_slot), every_col)
    index._late.settle()


def _fold_changed(index: IndexState) -> tuple[list[tuple[PlaceHistory, int, int]], int]:
    """Fold every changed place again and patch the holder columns over what changed;
    returns each such place with the instants its holder may differ between, and how
    many claims' ``after`` codes may change."""
    every, cancelled, columns = index._every, index._cancelled, index._columns
    first_agrees = index._first_agrees
    if len(first_agrees) < len(index._by_slot):
        first_agrees.extend([NEVER] * (len(index._by_slot) - len(first_agrees)))
    changed: list[tuple[PlaceHistory, int, int]] = []
    todo = 0  # claims whose ``after`` code may change
    for entry in index._dirty:
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
    return changed, todo
