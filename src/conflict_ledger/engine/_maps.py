"""The as-of index's answers about every place at once (private to the as-of index).

Each starts from a holder column (:mod:`conflict_ledger.engine._columns`): every place's
holder as known now, copied from the last checkpoint column before the instant asked,
with the places whose claims began since recomputed (:func:`column`), then turned into
the holders as known at an earlier ``known_at`` (:func:`_know`). :func:`holders` reads
the column as it is, :func:`snapshot` computes each state from it when first read
(:class:`~conflict_ledger.engine._answers.LazyStates`), :func:`table` every row at once
(:mod:`conflict_ledger.engine._tabulate`); the series step from one instant to the next.

These functions are the index's own: they take the
:class:`~conflict_ledger.engine.index.AsOfIndex` they answer for, and read its options
(``_prompt``, ``_scan_limit``) from it, so that a subclass's options hold.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pendulum

from conflict_ledger.asof import Snapshot
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._answers import Holders, LazyStates
from conflict_ledger.engine._columns import ABSENT
from conflict_ledger.engine._intake import settled
from conflict_ledger.engine._one_place import claims_of, counted, grades
from conflict_ledger.engine._places import EARLIEST
from conflict_ledger.rules.policies import DEFAULT_POLICY, PlaceClaims, Policy, apply_policy
from conflict_ledger.time import to_instant

if TYPE_CHECKING:
    from conflict_ledger.engine._state import IndexState
    from conflict_ledger.engine._tabulate import Sweep
    from conflict_ledger.table import SnapshotTable

__all__ = ["column", "holders", "holders_series", "series", "snapshot", "table", "tables"]


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


def column(index: IndexState, at: int, known: int | None) -> array[int]:
    """Every place's code at ``at`` as known at ``known`` (settled first)."""
    settled(index)
    index._columns.reserve(len(index._by_slot))
    col = index._columns.at(at, index._starts, index._starters, len(index._by_slot))
    if known is not None:
        _know(index, col, at, known)
    return col


def _columns_at(index: IndexState, instants: list[int], known: int | None) -> list[array[int]]:
    """Columns at each of ``instants`` (in that order): each step from the one before,
    or from the last checkpoint column when fewer claims begin after that."""
    settled(index)
    index._columns.reserve(len(index._by_slot))
    columns, starts, starters = index._columns, index._starts, index._starters
    size = len(index._by_slot)
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
            _know(index, col, at, known)
        answers[step] = col
        previous = at
    return answers


def _know(index: IndexState, col: array[int], at: int, known: int) -> None:
    """Turn ``col``, every place at ``at`` as known now, into as known at ``known``.

    Only places with a claim that began by ``at`` and was known differently at
    ``known`` can differ: the claims begun within a prompt delay before ``known``
    (checked one by one) and those known late
    (:class:`~conflict_ledger.engine._columns.LateKnowledge`). A claim that moves no
    holder (an attack, a forecast...) changes a place only if it decides whether any
    claim counts; those places and the others are recomputed.
    """
    starts = index._starts
    lo, hi = bisect_right(starts, known - index._prompt), bisect_right(starts, at)
    limit = max(256, len(col) // 2) if index._scan_limit is None else index._scan_limit
    if hi - lo > limit:
        _ask_every_place(index, col, at, known)
        return
    tags, begun = index._late.found(at=at, known=known)
    starters, settles, moves = index._starters, index._start_settles, index._start_moves
    for j in range(lo, hi):
        if settles[j] > known:
            tags.append(starters[j].slot << 1 | moves[j])
            begun.append(starts[j])
    latest, moved = _by_place(col, tags, begun)
    # A claim that moves no holder, about a place that counts now: does a claim known
    # then as now still count? If so, the place counts either way, its holder unmoved.
    first_agrees, by_slot, code = index._first_agrees, index._by_slot, index._columns.code
    for slot, start in latest.items():
        if slot in moved or first_agrees[slot] > known:
            present, holder = by_slot[slot].holder(at, known, index._every, start)
            col[slot] = code(holder) if present else ABSENT


def _by_place(
    col: array[int], tags: list[int], begun: list[int]
) -> tuple[dict[int, int], set[int]]:
    """The claims known differently (each a place's slot and whether it can move a
    holder, and its start) by place: the latest start of each place's, and the places
    where one may move the holder (or that count for nothing now)."""
    latest: dict[int, int] = {}
    moved: set[int] = set()
    for tag, start in zip(tags, begun, strict=True):
        slot = tag >> 1
        if start > latest.get(slot, EARLIEST):
            latest[slot] = start
        if tag & 1 or not col[slot]:
            moved.add(slot)
    return latest, moved


def _ask_every_place(index: IndexState, col: array[int], at: int, known: int) -> None:
    """:func:`_know` by asking every place (cheaper when many claims are to be checked)."""
    code = index._columns.code
    for entry in index._by_slot:
        present, holder = entry.holder(at, known, index._every)
        col[entry.slot] = code(holder) if present else ABSENT


def snapshot(index: IndexState, *, at: Any, known_at: Any, policy: Policy | None) -> Snapshot:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.snapshot`."""
    cut = to_instant(at, field="at")
    known = None if known_at is None else to_instant(known_at, field="known_at")
    if policy is None or policy is DEFAULT_POLICY:
        at_i = ff.micros(cut)
        known_i = None if known is None else ff.micros(known)
        return _lazy(index, cut, known, at_i, known_i, column(index, at_i, known_i))
    return _weighed(index, cut, known, policy)


def _weighed(
    index: IndexState, cut: pendulum.DateTime, known: pendulum.DateTime | None, policy: Policy
) -> Snapshot:
    """A snapshot with every place's claims weighed by ``policy`` (not the fast path)."""
    graded = grades(index, cut, known)
    states = {}
    index._ledger.records()  # a policy weighs every place's claims: read them in one pass
    for entry in settled(index):
        claims = counted(index, entry.place, cut, known)
        if claims:
            states[entry.place] = apply_policy(
                policy,
                PlaceClaims(
                    place=entry.place,
                    at=cut,
                    known_at=known,
                    claims=claims_of(index, claims),
                    grades=graded,
                ),
            )
    return Snapshot(
        at=cut, known_at=known, position=None, places=states, registries=index._ledger.registries
    )


def _lazy(
    index: IndexState,
    cut: pendulum.DateTime,
    known: pendulum.DateTime | None,
    at_i: int,
    known_i: int | None,
    col: array[int],
) -> Snapshot:
    """A snapshot over ``col`` whose states are computed when first read (the index
    keeps it, weakly, to keep the places it has not read as they are)."""
    states = LazyStates(index, col, at_i, known_i)
    index._serial += 1
    index._readers[index._serial] = states
    return Snapshot(
        at=cut, known_at=known, position=None, places=states, registries=index._ledger.registries
    )


def table(index: IndexState, *, at: Any, known_at: Any) -> SnapshotTable:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.table`."""
    from conflict_ledger.table import SnapshotTable  # numpy: see _sweep

    cut = to_instant(at, field="at")
    known = None if known_at is None else to_instant(known_at, field="known_at")
    at_i = ff.micros(cut)
    known_i = None if known is None else ff.micros(known)
    col = column(index, at_i, known_i)
    return SnapshotTable(at=cut, known_at=known, **_sweep(index, known_i).table(at_i, col))


def tables(index: IndexState, ats: Iterable[Any], *, known_at: Any) -> tuple[SnapshotTable, ...]:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.tables`."""
    from conflict_ledger.table import SnapshotTable  # numpy: see _sweep

    cuts, known, instants, known_i = _instants(ats, known_at)
    columns = _columns_at(index, instants, known_i)
    sweep = _sweep(index, known_i)
    answers: list[SnapshotTable] = [None] * len(cuts)  # type: ignore[list-item]
    for step in sorted(range(len(cuts)), key=instants.__getitem__):
        found = sweep.table(instants[step], columns[step])
        answers[step] = SnapshotTable(at=cuts[step], known_at=known, **found)
    return tuple(answers)


def _sweep(index: IndexState, known: int | None) -> Sweep:
    """A :class:`~conflict_ledger.engine._tabulate.Sweep` over every place (settled).

    The table modules and numpy are imported with the first table: a snapshot, a
    timeline or the CLI start about 70 ms sooner without them."""
    from conflict_ledger.engine._rows import RowStore
    from conflict_ledger.engine._tabulate import Layout, Sweep

    if index._rows is None:
        index._rows = RowStore()
    if index._layout is None or index._layout.entries is not index._sorted:
        index._layout = Layout(index._sorted)  # the list is replaced when places are added
    if len(index._windows) > 1 << 16:
        index._windows.clear()
    return Sweep(
        index._layout,
        index._rows,
        every=index._every,
        known=known,
        windows=index._windows,
        starts=index._starts,
        starters=index._starters,
    )


def holders(index: IndexState, *, at: Any, known_at: Any) -> Mapping[str, str | None]:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.holders`."""
    at_i = ff.micros(to_instant(at, field="at"))
    known_i = None if known_at is None else ff.micros(to_instant(known_at, field="known_at"))
    return Holders(index, column(index, at_i, known_i))


def holders_series(
    index: IndexState, ats: Iterable[Any], *, known_at: Any
) -> tuple[Mapping[str, str | None], ...]:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.holders_series`."""
    _, _, instants, known_i = _instants(ats, known_at)
    return tuple(Holders(index, col) for col in _columns_at(index, instants, known_i))


def series(index: IndexState, ats: Iterable[Any], *, known_at: Any) -> tuple[Snapshot, ...]:
    """:meth:`~conflict_ledger.engine.index.AsOfIndex.series`."""
    cuts, known, instants, known_i = _instants(ats, known_at)
    columns = _columns_at(index, instants, known_i)
    return tuple(
        _lazy(index, cut, known, at_i, known_i, col)
        for cut, at_i, col in zip(cuts, instants, columns, strict=True)
    )
