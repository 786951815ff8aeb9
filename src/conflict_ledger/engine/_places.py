"""One place's compiled claims in fold order, with its checkpoints (private to the as-of index).

:class:`conflict_ledger.engine.index.AsOfIndex` keeps one :class:`PlaceHistory` per place. It is
mutable working state, never handed out: the index answers with frozen values.

>>> from conflict_ledger import Captured, Claim, SourceChain, ValidTime
>>> took = Claim(id="c1", event=Captured(place="homs", actor="opposition"),
...              valid=ValidTime.exact("2024-12-07T00:00Z"), reported_at="2024-12-07T01:00Z",
...              source=SourceChain.of("reuters"))
>>> history = PlaceHistory("homs", slot=0)
>>> history.ops.append(ff.compile_claim(took))
>>> history.settle({}, every=8)
>>> history.holder(ff.micros(took.valid.start), None, 8)
(True, 'opposition')
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Any, Protocol

from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.rules.territory import PlaceState

__all__ = [
    "EARLIEST",
    "NEVER",
    "PlaceHistory",
    "SavedPlace",
    "SavedReader",
    "compile_place",
    "fold_key",
]

NEVER = 1 << 62  # later than any instant, in micros
EARLIEST = -(1 << 62)


_GAINS = (ff.GAIN, ff.HOLD)


def compile_place(claims: Iterable[Claim], shared: dict[int, Any] | None = None) -> list[ff.Op]:
    """One place's claims compiled one after the other (see :func:`ff.compile_claim`).

    Compiled in the ledger's order, a place's claims would lie scattered among every
    other place's, and the fold would wait on memory; compiled place by place, they sit
    together.

    >>> from conflict_ledger import Captured, Claim, SourceChain, ValidTime
    >>> took = Claim(id="c1", event=Captured(place="homs", actor="opposition"),
    ...              valid=ValidTime.exact("2024-12-07T00:00Z"), reported_at="2024-12-07T01:00Z",
    ...              source=SourceChain.of("reuters"))
    >>> [op[ff.CID] for op in compile_place([took])]
    ['c1']
    """
    return [ff.compile_claim(claim, shared) for claim in claims]


def fold_key(op: ff.Op) -> tuple[int, int, int, str]:
    return (op[ff.START], op[ff.END], op[ff.REPORTED], op[ff.CID])


class PlaceHistory:
    """One place's compiled claims, in fold order, with their checkpoints (mutable).

    ``slot`` is the place's column in the index's holder columns (places are numbered in
    the order the index first meets them).
    """

    __slots__ = (
        "cancel",
        "checkpoints",
        "clean",
        "first_live",
        "holders",
        "marks",
        "memo",
        "ops",
        "place",
        "reach",
        "rows",
        "slot",
        "starts",
        "touched",
        "touched_at",
        "walls",
    )

    def __init__(self, place: str, *, slot: int) -> None:
        self.place = place
        self.slot = slot
        self.ops: list[ff.Op] = []
        self.starts: list[int] = []
        self.cancel: list[int] = []  # when each claim stopped counting (NEVER: it counts)
        self.reach: list[int] = []  # running max of the instant each claim agrees with now
        self.checkpoints: list[ff.Frozen] = [ff.EMPTY]
        # how many claims each checkpoint has folded: 0, then at most ``every`` apart (a
        # claim inserted late moves the later ones along rather than fold them anew)
        self.marks: list[int] = [0]
        self.holders: list[str | None] = [None]  # the holder known now after k claims
        # the last gain or hold that counts now among the first k claims, when no loss by
        # anyone but its gainer counts after it (else None): the holder known now does not
        # look behind it
        self.walls: list[ff.Op | None] = [None]
        self.first_live = 0  # index of the first claim that counts now
        self.clean = 0  # the derived lists are right up to here
        self.touched: tuple[int, int, int, str] | None = None  # the last claim changed since
        self.touched_at = -1  # where it was then (-1: not known)
        self.memo: dict[int, tuple[ff.Frozen, ff.Reading | bool | None]] = {}
        # how many of the place's table rows, kept by the index (engine._rows), still stand
        self.rows = 0

    def pinned(self) -> PlaceHistory:
        """A copy of this history as it is now, for answers that must not see it change."""
        copy = PlaceHistory(self.place, slot=self.slot)
        copy.ops, copy.starts, copy.cancel = self.ops.copy(), self.starts.copy(), self.cancel.copy()
        copy.reach, copy.checkpoints = self.reach.copy(), self.checkpoints.copy()
        copy.holders, copy.memo = self.holders.copy(), self.memo.copy()
        copy.walls, copy.marks = self.walls.copy(), self.marks.copy()
        copy.first_live, copy.clean = self.first_live, self.clean
        copy.touched, copy.touched_at = self.touched, self.touched_at
        return copy

    def position(self, op: ff.Op) -> int:
        return bisect_left(self.ops, fold_key(op), key=fold_key)

    def mark(self, position: int, op: ff.Op, at: int = -1) -> None:
        """Note a change (a claim inserted or undone) from ``position`` to ``op`` (found at
        ``at`` in :attr:`ops`, if known), in fold order: the claims after ``op`` are the
        ones there before, moved along."""
        self.clean = min(self.clean, position)
        key = fold_key(op)
        if self.touched is None or key > self.touched:
            self.touched, self.touched_at = key, at

    def settle(self, cancelled: dict[str, int], every: int) -> int | None:
        """Bring the derived lists and checkpoints up to date from ``clean`` on.

        Only the claims from ``clean`` to the last one :meth:`mark` noted changed (to the
        end if none was noted) are read anew; after them, the lists are the ones before,
        moved along, from where the walls and the fold meet what they were. Returns the
        start from which the holder known now is as it was before (None: it may have
        changed to the end).
        """
        ops, clean = self.ops, self.clean
        size = len(ops)
        if clean >= size and len(self.starts) == size:
            return None
        touched, self.touched = self.touched, None
        self.rows = min(self.rows, clean + 1)  # rows of the first ``clean`` claims stand
        at = self.touched_at
        if touched is None:
            last = size - 1  # the changes may reach the end
        elif 0 <= at < size and fold_key(ops[at]) == touched:
            last = at  # no claim was inserted before it since
        else:
            last = bisect_right(ops, touched, key=fold_key) - 1
        shift = size - len(self.starts)  # how many claims were inserted
        live_before = self.first_live
        self._derive(cancelled, clean, last, shift)
        if self.first_live >= clean:
            cancel = self.cancel
            live = clean
            while live < size and cancel[live] != NEVER:
                live += 1
            self.first_live = live
        met, folded = self._refold(every, clean, last, shift, live_before)
        self.clean = size
        # Folds of the first ``clean`` claims or fewer are unchanged; drop the others.
        memo = self.memo
        if memo:
            before = size - shift
            for count in range(clean + 1, before + 1) if before - clean < len(memo) else list(memo):
                if count > clean:
                    memo.pop(count, None)
        if met is None:  # folded to the end: the fold of every claim, for the next question
            memo[size] = (folded, None)
        return None if met is None else self.starts[met - 1]

    def _derive(self, cancelled: dict[str, int], clean: int, last: int, shift: int) -> None:
        """Starts, cancellations, reach and walls of claims ``clean`` to ``last`` anew; the
        walls on until they meet the old ones, the reach until it passes the new one."""
        ops, starts, cancel, reach, walls = (
            self.ops,
            self.starts,
            self.cancel,
            self.reach,
            self.walls,
        )
        start_of, reported_of, cid_of, code_of = ff.START, ff.REPORTED, ff.CID, ff.CODE
        actor_of, lose = ff.ACTOR, ff.LOSE
        old_tail = last + 1 - shift  # where the claims after ``last`` were
        top = reach[clean - 1] if clean else EARLIEST
        wall = walls[clean]
        new_starts: list[int] = []
        new_cancel: list[int] = []
        new_reach: list[int] = []
        new_walls: list[ff.Op | None] = []
        for position in range(clean, len(ops)):
            op = ops[position]
            if position > last:
                if wall is walls[position - shift]:
                    break  # the same claims after the same wall: the walls are as before
                until = cancel[position - shift]
            else:
                until = cancelled.get(op[cid_of], NEVER)
                new_starts.append(op[start_of])
                new_cancel.append(until)
                agrees = op[reported_of] if until == NEVER else until
                if agrees > top:
                    top = agrees
                new_reach.append(top)
            if until == NEVER:
                code = op[code_of]
                if code in _GAINS:
                    wall = op
                elif code == lose and wall is not None and op[actor_of] != wall[actor_of]:
                    # Whether a loss by someone else clears the holder depends on the
                    # contest, which claims before the gain may decide (territory._clears).
                    wall = None
            new_walls.append(wall)
        walls[clean + 1 : clean + 1 + len(new_walls) - shift] = new_walls
        if old_tail == 0 or reach[old_tail - 1] <= top:
            end = bisect_right(reach, top, old_tail)  # the later claims reach at least ``top``
            new_reach.extend([top] * (end - old_tail))
        else:  # an undoing reported earlier than the one before it: the rest anew
            end = len(reach)
            for old in range(old_tail, end):
                agrees = ops[old + shift][reported_of] if cancel[old] == NEVER else cancel[old]
                if agrees > top:
                    top = agrees
                new_reach.append(top)
        reach[clean:end] = new_reach
        starts[clean:old_tail] = new_starts
        cancel[clean:old_tail] = new_cancel

    def _refold(
        self, every: int, clean: int, last: int, shift: int, live_before: int
    ) -> tuple[int | None, ff.Frozen]:
        """Fold from the checkpoint before ``clean`` until the fold meets an old checkpoint
        after ``last`` (then the rest are the old ones, moved along), or to the end.
        Returns where they met (None: they did not, and the fold is of every claim)."""
        ops, cancel, marks, checkpoints, holders = (
            self.ops,
            self.cancel,
            self.marks,
            self.checkpoints,
            self.holders,
        )
        k = bisect_right(marks, clean) - 1
        position = begin = marks[k]
        old_marks, old_states = marks[k + 1 :], checkpoints[k + 1 :]
        del marks[k + 1 :], checkpoints[k + 1 :]
        o = bisect_right(old_marks, last - shift)  # the first old checkpoint after ``last``
        state, holder = checkpoints[k], holders[begin]
        new_holders: list[str | None] = []
        size, met = len(ops), None
        while position < size:
            natural = marks[-1] + every
            other = old_marks[o] + shift if o < len(old_marks) else size
            end = min(natural, other, size)
            kept = [j for j in range(position, end) if cancel[j] == NEVER]
            changes: list[tuple[int, str | None]] = []
            state = ff.fold(state, [ops[j] for j in kept], changes)
            changed = {kept[t]: actor for t, actor in changes}
            for j in range(position, end):
                if j in changed:
                    holder = changed[j]
                new_holders.append(holder)
            position = end
            if end == natural:
                marks.append(end)
                checkpoints.append(state)
            if o < len(old_marks) and end == other:
                if state == old_states[o] and self.first_live < end and live_before < end - shift:
                    met = end
                    break
                o += 1
        if met is None:
            holders[begin + 1 :] = new_holders
            return None, state
        if marks[-1] != met:
            marks.append(met)
            checkpoints.append(old_states[o])
        marks.extend([mark + shift for mark in old_marks[o + 1 :]])
        checkpoints.extend(old_states[o + 1 :])
        holders[begin + 1 : met - shift + 1] = new_holders
        return met, state

    def prefix(self, count: int, every: int) -> ff.Frozen:
        """The fold, as known now, of the first ``count`` claims."""
        k = bisect_right(self.marks, count) - 1
        state = self.checkpoints[k]
        cancel, ops = self.cancel, self.ops
        todo = [ops[j] for j in range(self.marks[k], count) if cancel[j] == NEVER]
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
        ops, cancel, checkpoints, marks = self.ops, self.cancel, self.checkpoints, self.marks
        reported = ff.REPORTED
        state = self.prefix(i, every)
        j = i
        while j < n:
            k = bisect_right(marks, j)  # the next checkpoint
            stop = min(n, marks[k]) if k < len(marks) else n
            block = [
                ops[k] for k in range(j, stop) if ops[k][reported] <= known and cancel[k] > known
            ]
            if block:
                state = ff.fold(state, block)
            j = stop
            if j < n and state == checkpoints[k]:
                j = next(
                    (
                        k
                        for k in range(j, n)
                        if (ops[k][reported] <= known and cancel[k] > known) != (cancel[k] == NEVER)
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

    def holder(
        self, at: int, known: int | None, every: int, differs: int = NEVER
    ) -> tuple[bool, str | None]:
        """Whether any claim counts at ``at`` as known at ``known``, and the holder then.

        Gains, holds and losses move the holder, so the claims known differently then
        are read backwards from ``at`` to the last gain or hold that counted, with the
        losses after it; before the first claim known differently, the holder is the one
        known now. A loss by someone other than the holder clears it only in a contest a
        denial disputes (:func:`conflict_ledger.rules.territory.territory`): when there is one,
        the fold as known then decides. ``differs`` (optional) is the latest start of the
        claims known differently then: when a gain or hold that counts now began after
        it, with no loss by anyone else after it (so every claim after it was known then
        too, or it would be one of them), the place is as known now.
        """
        n = bisect_right(self.starts, at)
        if known is None or not n or self.reach[n - 1] <= known:
            return self.first_live < n, self.holders[n]  # known then as it is now
        wall = self.walls[n]
        if wall is not None and wall[ff.START] > differs:
            return True, self.holders[n]  # every claim known differently is behind it
        i = bisect_right(self.reach, known, 0, n)
        ops, cancel = self.ops, self.cancel
        reported, code_of, actor_of = ff.REPORTED, ff.CODE, ff.ACTOR
        gain, hold, lose = ff.GAIN, ff.HOLD, ff.LOSE
        losers: list[str] = []
        present = False
        holder: str | None = None
        j = n - 1
        while j >= i:
            op = ops[j]
            if op[reported] <= known and cancel[j] > known:
                present = True
                code = op[code_of]
                if code in (gain, hold):
                    holder = op[actor_of]
                    break
                if code == lose:
                    losers.append(op[actor_of])
            j -= 1
        else:
            holder = self.holders[i]
            present = present or self.first_live < i
        for actor in reversed(losers):
            if holder is None or holder == actor:
                holder = None
            else:  # whether it clears the holder depends on the contest: fold
                found = self.lookup(at, known, every)
                return (False, None) if found is None else (True, found[0][0])
        return present, holder

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


class SavedReader(Protocol):
    """How a :class:`SavedPlace` reads what was saved of it."""

    def __call__(self, history: PlaceHistory) -> None:
        """Set ``history``'s claims and fold them into its derived lists and checkpoints."""

    def fold_at(self, place: str, at: int, known: int | None = None) -> ff.Frozen | None:
        """The fold of the claims that start by ``at``, as known at ``known`` (None: now);
        None when none counts."""


class SavedPlace(PlaceHistory):
    """A place's history read from a saved index (``engine/_saved.py``): its name and slot
    at once, the rest (claims, checkpoints...) on the first use of any of it.

    Python asks :meth:`__getattr__` only for a field not set, so a history once read is a
    :class:`PlaceHistory` at full speed; answers about every place that read only the
    holder columns never read the places they do not recompute. A state or a holder
    (:meth:`state`, :meth:`holder`) of a place not read yet is folded from a saved
    checkpoint and the saved claims after it, and the place stays unread: a map of every
    place folds a few claims of each place, not all of them into checkpoints and again
    for the answer.

    >>> class Reader:
    ...     def __call__(self, history):
    ...         PlaceHistory.__init__(history, "homs", slot=0)
    ...     def fold_at(self, place, at, known=None):
    ...         return None
    >>> saved = SavedPlace("homs", 0, Reader())
    >>> saved.state(0, None, 8, {}) is None, saved.place, saved.ops
    (True, 'homs', [])
    """

    __slots__ = ("_read",)

    def __init__(self, place: str, slot: int, read: SavedReader) -> None:
        # Not PlaceHistory.__init__: the other fields stay unset until ``read`` sets them.
        self.place = place
        self.slot = slot
        self._read: SavedReader | None = read

    def __getattr__(self, name: str) -> Any:
        read = object.__getattribute__(self, "_read")
        if read is None or name.startswith("__"):
            raise AttributeError(name)
        self._read = None  # read once: a field ``read`` sets is not asked for again
        try:
            read(self)
        except BaseException:
            self._read = read
            raise
        return object.__getattribute__(self, name)

    def holder(
        self, at: int, known: int | None, every: int, differs: int = NEVER
    ) -> tuple[bool, str | None]:
        read = self._read
        if read is None:
            return PlaceHistory.holder(self, at, known, every, differs)
        frozen = read.fold_at(self.place, at, known)
        return (False, None) if frozen is None else (True, frozen[0])

    def state(
        self, at: int, known: int | None, every: int, durations: dict[int, Any]
    ) -> PlaceState | None:
        read = self._read
        if read is None:
            return PlaceHistory.state(self, at, known, every, durations)
        frozen = read.fold_at(self.place, at, known)
        return None if frozen is None else ff.view(self.place, frozen, at, durations)
