"""The as-of index: the answers of :mod:`conflict_ledger.asof`, fast, over a growing ledger.

:func:`conflict_ledger.asof.snapshot` folds the whole ledger on every call; that is the
reference, and it is slow on purpose. An :class:`AsOfIndex` gives the same answers
(the property tests in ``tests/test_index.py`` hold it to them) by keeping, per place:

* the place's claims compiled once and kept in fold order
  (:func:`~conflict_ledger.asof.order_key`); a claim that arrives late, about any earlier
  valid time, is inserted where it belongs, and only what follows it is refolded;
* checkpoints of the fold *as known now* every ``checkpoint_every`` claims;
* for each claim the instant from which knowledge agrees with what is known now (its
  report time, or the report time of its retraction or correction), as a running
  maximum. A question asked ``known_at`` an earlier time starts from the last checkpoint
  that time already agrees with, folds the claims after it that were known then, and
  jumps back onto the checkpoints known now wherever the two folds meet again;
* the holder known now after every claim, for :meth:`AsOfIndex.holders` and
  :meth:`AsOfIndex.holders_series`.

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

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs
import pendulum

from conflict_ledger import _fastfold as ff
from conflict_ledger.asof import Snapshot, Timeline, TimelineEntry
from conflict_ledger.claims import Claim
from conflict_ledger.errors import InvalidClaimError
from conflict_ledger.events import Retraction, SourceGraded
from conflict_ledger.ledger import Ledger, Recorded
from conflict_ledger.policies import DEFAULT_POLICY, PlaceClaims, Policy, apply_policy, grades_at
from conflict_ledger.territory import PlaceFold, PlaceState, place_of
from conflict_ledger.time import to_instant

__all__ = ["AsOfIndex"]

_NEVER = 1 << 62  # later than any instant, in micros
_EARLIEST = -(1 << 62)


def _key(op: ff.Op) -> tuple[int, int, int, str]:
    return (op[ff.START], op[ff.END], op[ff.REPORTED], op[ff.CID])


def _place_name(entry: _Place) -> str:
    return entry.place


class _Place:
    """One place's compiled claims, in fold order, with their checkpoints (private, mutable)."""

    __slots__ = (
        "cancel",
        "checkpoints",
        "clean",
        "first_live",
        "holders",
        "memo",
        "ops",
        "place",
        "reach",
        "starts",
    )

    def __init__(self, place: str) -> None:
        self.place = place
        self.ops: list[ff.Op] = []
        self.starts: list[int] = []
        self.cancel: list[int] = []  # when each claim stopped counting (_NEVER: it counts)
        self.reach: list[int] = []  # running max of the instant each claim agrees with now
        self.checkpoints: list[ff.Frozen] = [ff.EMPTY]
        self.holders: list[str | None] = [None]  # the holder known now after k claims
        self.first_live = 0  # index of the first claim that counts now
        self.clean = 0  # the derived lists are right up to here
        self.memo: dict[int, tuple[ff.Frozen, ff.Reading | bool | None]] = {}

    def position(self, op: ff.Op) -> int:
        return bisect_left(self.ops, _key(op), key=_key)

    def settle(self, cancelled: dict[str, int], every: int) -> None:
        """Bring the derived lists and checkpoints up to date from ``clean`` on."""
        ops, clean = self.ops, self.clean
        size = len(ops)
        if clean >= size and len(self.starts) == size:
            return
        known_before = len(self.starts)  # how many claims the derived lists covered
        del self.starts[clean:], self.cancel[clean:], self.reach[clean:]
        start_of, reported_of, cid_of = ff.START, ff.REPORTED, ff.CID
        reach = self.reach[-1] if self.reach else _EARLIEST
        for op in ops[clean:] if clean else ops:
            self.starts.append(op[start_of])
            until = cancelled.get(op[cid_of], _NEVER)
            self.cancel.append(until)
            agrees = op[reported_of] if until == _NEVER else until
            if agrees > reach:
                reach = agrees
            self.reach.append(reach)
        if self.first_live >= clean:
            cancel = self.cancel
            live = clean
            while live < size and cancel[live] != _NEVER:
                live += 1
            self.first_live = live
        block = clean // every
        del self.checkpoints[block + 1 :]
        del self.holders[block * every + 1 :]
        state = self.checkpoints[block]
        cancel, holders = self.cancel, self.holders
        for begin in range(block * every, size, every):
            end = min(begin + every, size)
            kept = [j for j in range(begin, end) if cancel[j] == _NEVER]
            changes: list[tuple[int, str | None]] = []
            state = ff.fold(state, [ops[j] for j in kept], changes)
            if end - begin == every:
                self.checkpoints.append(state)
            changed = {kept[t]: actor for t, actor in changes}
            holder = holders[-1]
            for j in range(begin, end):
                if j in changed:
                    holder = changed[j]
                holders.append(holder)
        self.clean = size
        # Folds of the first ``clean`` claims or fewer are unchanged; drop the others.
        memo = self.memo
        if memo:
            for count in range(clean + 1, known_before + 1):
                memo.pop(count, None)

    def prefix(self, count: int, every: int) -> ff.Frozen:
        """The fold, as known now, of the first ``count`` claims."""
        block = count // every
        state = self.checkpoints[block]
        cancel, ops = self.cancel, self.ops
        todo = [ops[j] for j in range(block * every, count) if cancel[j] == _NEVER]
        return ff.fold(state, todo) if todo else state

    def tail(self, i: int, n: int, known: int) -> list[ff.Op]:
        """Claims ``i`` to ``n`` that counted at ``known``."""
        ops, cancel, reported = self.ops, self.cancel, ff.REPORTED
        return [ops[j] for j in range(i, n) if ops[j][reported] <= known and cancel[j] > known]

    def catch_up(self, i: int, n: int, known: int, every: int) -> ff.Frozen | None:
        """The fold of claims ``i`` to ``n`` as known at ``known``, from the fold known now
        at ``i``; None when it turns out equal to the fold known now at ``n``.

        Claims known differently then (reported later, or undone later) change the
        fold only for a while: wherever the fold meets a checkpoint known now again, it
        jumps to the next claim known differently, or is done.
        """
        ops, cancel, checkpoints = self.ops, self.cancel, self.checkpoints
        reported = ff.REPORTED
        state = self.prefix(i, every)
        j = i
        while j < n:
            stop = min(n, (j // every + 1) * every)
            block = [
                ops[k] for k in range(j, stop) if ops[k][reported] <= known and cancel[k] > known
            ]
            if block:
                state = ff.fold(state, block)
            j = stop
            if j < n and state == checkpoints[j // every]:
                j = next(
                    (
                        k
                        for k in range(j, n)
                        if (ops[k][reported] <= known and cancel[k] > known)
                        != (cancel[k] == _NEVER)
                    ),
                    n,
                )
                if j == n:
                    return None
                state = self.prefix(j, every)
        return state

    def lookup(self, at: int, known: int | None, every: int) -> tuple[ff.Frozen, int] | None:
        """The frozen fold at ``at`` as known at ``known`` (None: no claim counts), and the
        memo key it is kept under (-1: not kept, it depends on ``known``)."""
        n = bisect_right(self.starts, at)
        i = n if known is None else min(n, bisect_right(self.reach, known))
        if i < n:
            assert known is not None
            # A place is in the answer when some claim counted then: the first i claims
            # count as they do now, the others are checked one by one.
            if self.first_live >= i and not self.tail(i, n, known):
                return None
            behind = self.catch_up(i, n, known, every)
            if behind is not None:
                return behind, -1
            i = n  # the folds met again and nothing after differs: the fold known now
        elif self.first_live >= i:
            return None
        # Only the first i claims count, as they count now: memoise their fold by i.
        memo = self.memo.get(i)
        if memo is None:
            memo = self.memo[i] = (self.prefix(i, every), None)
        return memo[0], i

    def holder(self, at: int, known: int | None, every: int) -> tuple[bool, str | None]:
        """Whether any claim counts at ``at`` as known at ``known``, and the holder then."""
        n = bisect_right(self.starts, at)
        i = n if known is None else min(n, bisect_right(self.reach, known))
        if i < n:
            assert known is not None
            if self.first_live >= i and not self.tail(i, n, known):
                return False, None
            behind = self.catch_up(i, n, known, every)
            if behind is not None:
                return True, behind[0]
            return True, self.holders[n]
        if self.first_live >= i:
            return False, None
        return True, self.holders[i]

    def state(
        self, at: int, known: int | None, every: int, durations: dict[int, Any]
    ) -> PlaceState | None:
        """The place's state at ``at`` as known at ``known`` (None: no claim counts)."""
        found = self.lookup(at, known, every)
        if found is None:
            return None
        frozen, key = found
        if key < 0:
            return ff.view(self.place, frozen, at, durations)
        ready = self.memo[key][1]
        if ready is None:
            # Precompute the reading only when the fold is asked about a second time.
            self.memo[key] = (frozen, False)
            return ff.view(self.place, frozen, at, durations)
        if not isinstance(ready, tuple):
            ready = ff.reading(self.place, frozen)
            self.memo[key] = (frozen, ready)
        return ff.read(self.place, frozen, ready, at, durations)


class AsOfIndex:
    """Snapshots, place states, timelines and series over a ledger, equal to the as-of engine's.

    Built once over ``ledger`` and kept up to date from its new records (never rebuilt).
    ``checkpoint_every`` trades memory for speed: a place's fold is kept every that many
    claims, so an answer folds fewer than that many claims plus those known late.
    ``progress`` (optional) is called with (records done, records to do) while a large
    batch of new records is indexed, for a progress bar.

    >>> from conflict_ledger.seed import load_seed
    >>> index = AsOfIndex(load_seed())
    >>> index.snapshot(at="2024-12-07T00:00Z")["deir-ez-zor"].holder
    'sdf'
    """

    def __init__(
        self,
        ledger: Ledger,
        *,
        checkpoint_every: int = 8,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        if checkpoint_every < 1:
            raise InvalidClaimError(
                field="checkpoint_every",
                value=checkpoint_every,
                problem="the checkpoint interval is at least 1 claim",
                hint="Pass checkpoint_every=8 (the default) or another positive integer.",
            )
        self._ledger = ledger
        self._every = checkpoint_every
        self._progress = progress
        self._seen = 0
        self._places: dict[str, _Place] = {}
        self._cancelled: dict[str, int] = {}
        self._dirty: set[_Place] = set()
        self._sorted: list[_Place] | None = None
        # Every territorial claim's valid start and place, sorted by start: which places
        # can change between two instants (for series of holders).
        self._starts: list[int] = []
        self._starters: list[_Place] = []
        self._durations: dict[int, Any] = {}  # equal durations shared between answers
        self._graded: list[tuple[tuple[int, int, int, str], Claim]] = []  # in fold order
        self.refresh()

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
        if len(self._ledger) == self._seen:
            return 0
        records = self._ledger.since(self._seen)
        self._consume(records)
        self._seen += len(records)
        return len(records)

    def _consume(self, records: Sequence[Recorded]) -> None:
        incoming: dict[_Place, list[ff.Op]] = {}
        cancellations: list[tuple[str, int]] = []
        places = self._places
        total = len(records)
        shared: dict[int, Any] = {}  # the records keep every object alive meanwhile
        report = self._progress if total >= 50_000 else None
        for done, record in enumerate(records):
            if report is not None and done % 50_000 == 0:
                report(done, total)
            claim = record.claim
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
                    insort(self._graded, (_key(graded), claim), key=lambda pair: pair[0])
                continue
            entry = places.get(place)
            if entry is None:
                entry = places[place] = _Place(place)
                if self._sorted is not None:  # keep the places sorted, without re-sorting
                    insort(self._sorted, entry, key=_place_name)
            op = ff.compile_claim(claim, shared)
            incoming.setdefault(entry, []).append(op)
        self._index_starts(incoming)
        for entry, ops in incoming.items():
            ops.sort(key=_key)
            existing = entry.ops
            if not existing or _key(existing[-1]) <= _key(ops[0]):
                first = len(existing)
                existing.extend(ops)
            else:
                first = entry.position(ops[0])
                if len(ops) < 64:
                    for op in ops:
                        insort(existing, op, key=_key)
                else:
                    existing.extend(ops)
                    existing.sort(key=_key)
            entry.clean = min(entry.clean, first)
            self._dirty.add(entry)
        cancelled = self._cancelled
        for target, when in cancellations:
            if cancelled.get(target, _NEVER) <= when:
                continue
            cancelled[target] = when
            undone = self._ledger.claim(target)
            place = place_of(undone)
            if place is None or isinstance(undone.event, Retraction):
                continue  # not a territorial claim
            entry = places[place]
            entry.clean = min(entry.clean, entry.position(ff.compile_claim(undone, shared)))
            self._dirty.add(entry)
        if report is not None:
            report(total, total)

    def _index_starts(self, incoming: dict[_Place, list[ff.Op]]) -> None:
        starts, starters = self._starts, self._starters
        pairs = sorted(
            ((op[ff.START], entry) for entry, ops in incoming.items() for op in ops),
            key=lambda pair: pair[0],
        )
        if not pairs:
            return
        if not starts or starts[-1] <= pairs[0][0]:
            starts.extend(start for start, _ in pairs)
            starters.extend(entry for _, entry in pairs)
        elif len(pairs) < 64:
            for start, entry in pairs:
                at = bisect_right(starts, start)
                starts.insert(at, start)
                starters.insert(at, entry)
        else:
            merged = sorted([*zip(starts, starters, strict=True), *pairs], key=lambda p: p[0])
            self._starts = [start for start, _ in merged]
            self._starters = [entry for _, entry in merged]

    def _settled(self) -> list[_Place]:
        self.refresh()
        if self._dirty:
            every, cancelled = self._every, self._cancelled
            for entry in self._dirty:
                entry.settle(cancelled, every)
            self._dirty.clear()
        if self._sorted is None:
            self._sorted = [self._places[p] for p in sorted(self._places)]
        return self._sorted

    def _state(self, entry: _Place, at: int, known: int | None) -> PlaceState | None:
        return entry.state(at, known, self._every, self._durations)

    def snapshot(self, *, at: Any, known_at: Any = None, policy: Policy | None = None) -> Snapshot:
        """Every place's state at ``at`` as known at ``known_at``: equal to
        :func:`conflict_ledger.asof.snapshot` of the ledger, with the same ``policy``
        (default: :func:`~conflict_ledger.policies.contest_disagreement`, the fast path).

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
        for entry in self._settled():
            claims = self._counted(entry.place, cut, known)
            if claims:
                states[entry.place] = apply_policy(
                    policy,
                    PlaceClaims(
                        place=entry.place,
                        at=cut,
                        known_at=known,
                        claims=tuple(op[ff.CLAIM] for op in claims),
                        grades=grades,
                    ),
                )
        return Snapshot(at=cut, known_at=known, position=None, places=states)

    def _grades(self, cut: pendulum.DateTime, known: pendulum.DateTime | None) -> Any:
        at_i = ff.micros(cut)
        known_i = None if known is None else ff.micros(known)
        cancelled = self._cancelled
        counted = [
            claim
            for key, claim in self._graded
            if key[0] <= at_i
            and (
                cancelled.get(key[3], _NEVER) == _NEVER
                if known_i is None
                else key[2] <= known_i and cancelled.get(key[3], _NEVER) > known_i
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
        cut = to_instant(at, field="at")
        known = None if known_at is None else to_instant(known_at, field="known_at")
        return PlaceClaims(
            place=place,
            at=cut,
            known_at=known,
            claims=tuple(op[ff.CLAIM] for op in self._counted(place, cut, known)),
            grades=self._grades(cut, known),
        )

    def _snapshot(self, cut: pendulum.DateTime, known: pendulum.DateTime | None) -> Snapshot:
        at_i = ff.micros(cut)
        known_i = None if known is None else ff.micros(known)
        states = {}
        state_of = self._state
        for entry in self._settled():
            state = state_of(entry, at_i, known_i)
            if state is not None:
                states[entry.place] = state
        return Snapshot(at=cut, known_at=known, position=None, places=states)

    def holders(self, *, at: Any, known_at: Any = None) -> Mapping[str, str | None]:
        """Just the holder of every place in :meth:`snapshot` (None: nobody), sorted by place:
        the light answer for a chart or a table, without building every state.

        >>> from conflict_ledger.seed import load_seed
        >>> AsOfIndex(load_seed()).holders(at="2024-12-07T00:00Z")["deir-ez-zor"]
        'sdf'
        """
        at_i = ff.micros(to_instant(at, field="at"))
        known_i = None if known_at is None else ff.micros(to_instant(known_at, field="known_at"))
        every = self._every
        holders = {}
        for entry in self._settled():
            present, holder = entry.holder(at_i, known_i, every)
            if present:
                holders[entry.place] = holder
        return MappingProxyType(holders)

    def holders_series(
        self, ats: Iterable[Any], *, known_at: Any = None
    ) -> tuple[Mapping[str, str | None], ...]:
        """:meth:`holders` at each of ``ats`` (in the order given), as known at ``known_at``.

        Between two instants only the places with a claim starting in between can
        change, so each step looks at those places only: a slider over a year of a war
        costs little more than the claims it passes.

        >>> from conflict_ledger.seed import load_seed
        >>> days = ["2024-12-06T00:00Z", "2024-12-08T00:00Z"]
        >>> [h["deir-ez-zor"] for h in AsOfIndex(load_seed()).holders_series(days)]
        ['sdf', 'sdf']
        """
        instants = [ff.micros(to_instant(at, field="at")) for at in ats]
        known_i = None if known_at is None else ff.micros(to_instant(known_at, field="known_at"))
        entries = self._settled()
        every = self._every
        absent = object()
        current: dict[str, Any] = dict.fromkeys((e.place for e in entries), absent)
        starts, starters = self._starts, self._starters
        answers: list[Mapping[str, str | None]] = [MappingProxyType({})] * len(instants)
        previous: int | None = None
        for step in sorted(range(len(instants)), key=instants.__getitem__):
            at = instants[step]
            if previous is None:
                touched: Iterable[_Place] = entries
            elif at == previous:
                touched = ()
            else:
                lo, hi = bisect_right(starts, previous), bisect_right(starts, at)
                touched = {starters[j] for j in range(lo, hi)}
            for entry in touched:
                present, holder = entry.holder(at, known_i, every)
                current[entry.place] = holder if present else absent
            answers[step] = MappingProxyType(
                {place: holder for place, holder in current.items() if holder is not absent}
            )
            previous = at
        return tuple(answers)

    def series(self, ats: Iterable[Any], *, known_at: Any = None) -> tuple[Snapshot, ...]:
        """Snapshots at each of ``ats`` (in the order given), as known at ``known_at``.

        >>> from conflict_ledger.seed import load_seed
        >>> days = ["2024-12-06T00:00Z", "2024-12-08T00:00Z"]
        >>> [s["deir-ez-zor"].status.value for s in AsOfIndex(load_seed()).series(days)]
        ['changing', 'held']
        """
        known = None if known_at is None else to_instant(known_at, field="known_at")
        return tuple(self._snapshot(to_instant(at, field="at"), known) for at in ats)

    def place_state(self, place: str, *, at: Any, known_at: Any = None) -> PlaceState:
        """One place's state at ``at`` as known at ``known_at`` (UNKNOWN when no claim counts).

        >>> from conflict_ledger.seed import load_seed
        >>> AsOfIndex(load_seed()).place_state("homs", at="2024-12-01T00:00Z").status.value
        'unknown'
        """
        self._settled()
        at_i = ff.micros(to_instant(at, field="at"))
        known_i = None if known_at is None else ff.micros(to_instant(known_at, field="known_at"))
        entry = self._places.get(place)
        state = None if entry is None else self._state(entry, at_i, known_i)
        return ff.view(place, ff.EMPTY, at_i) if state is None else state

    def place_fold(self, place: str, *, at: Any, known_at: Any = None) -> PlaceFold:
        """The territorial reducer's state for one place (what :func:`~conflict_ledger.territory.view` reads).

        >>> from conflict_ledger.seed import load_seed
        >>> AsOfIndex(load_seed()).place_fold("deir-ez-zor", at="2024-12-08T00:00Z").holder
        'sdf'
        """
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
        return tuple(op[ff.CLAIM] for op in self._counted(place, at, known_at))

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
            return [ops[j] for j in range(n) if cancel[j] == _NEVER]
        known = ff.micros(to_instant(known_at, field="known_at"))
        return [ops[j] for j in range(n) if ops[j][ff.REPORTED] <= known and cancel[j] > known]

    def timeline(self, place: str, *, known_at: Any = None) -> Timeline:
        """One place's changes over valid time as known at ``known_at``: equal to
        :func:`conflict_ledger.asof.timeline`.

        >>> from conflict_ledger.seed import load_seed
        >>> [e.state.status.value for e in AsOfIndex(load_seed()).timeline("deir-ez-zor")]
        ['changing', 'held']
        """
        known = None if known_at is None else to_instant(known_at, field="known_at")
        ops = self._counted(place, None, known)
        instants = {op[ff.START]: op[ff.CLAIM].valid.start for op in ops}
        instants.update({op[ff.END]: op[ff.END_DT] for op in ops})
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
