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

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Any

from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.rules.territory import PlaceState

__all__ = ["EARLIEST", "NEVER", "PlaceHistory", "compile_place", "fold_key"]

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
        "memo",
        "ops",
        "place",
        "reach",
        "slot",
        "starts",
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
        self.holders: list[str | None] = [None]  # the holder known now after k claims
        # the position of the last gain or hold that counts now among the first k claims,
        # when no loss by anyone but its gainer counts after it (else -1): the holder
        # known now does not look behind it
        self.walls = array("i", [-1])
        self.first_live = 0  # index of the first claim that counts now
        self.clean = 0  # the derived lists are right up to here
        self.memo: dict[int, tuple[ff.Frozen, ff.Reading | bool | None]] = {}

    def pinned(self) -> PlaceHistory:
        """A copy of this history as it is now, for answers that must not see it change."""
        copy = PlaceHistory(self.place, slot=self.slot)
        copy.ops, copy.starts, copy.cancel = self.ops.copy(), self.starts.copy(), self.cancel.copy()
        copy.reach, copy.checkpoints = self.reach.copy(), self.checkpoints.copy()
        copy.holders, copy.memo = self.holders.copy(), self.memo.copy()
        copy.walls = self.walls[:]
        copy.first_live, copy.clean = self.first_live, self.clean
        return copy

    def position(self, op: ff.Op) -> int:
        return bisect_left(self.ops, fold_key(op), key=fold_key)

    def settle(self, cancelled: dict[str, int], every: int) -> None:
        """Bring the derived lists and checkpoints up to date from ``clean`` on."""
        ops, clean = self.ops, self.clean
        size = len(ops)
        if clean >= size and len(self.starts) == size:
            return
        known_before = len(self.starts)  # how many claims the derived lists covered
        del self.starts[clean:], self.cancel[clean:], self.reach[clean:], self.walls[clean + 1 :]
        start_of, reported_of, cid_of, code_of = ff.START, ff.REPORTED, ff.CID, ff.CODE
        actor_of = ff.ACTOR
        reach = self.reach[-1] if self.reach else EARLIEST
        walls, wall = self.walls, self.walls[clean]
        for position, op in enumerate(ops[clean:] if clean else ops, clean):
            self.starts.append(op[start_of])
            until = cancelled.get(op[cid_of], NEVER)
            self.cancel.append(until)
            if until == NEVER:
                code = op[code_of]
                if code in _GAINS:
                    wall = position
                elif code == ff.LOSE and wall >= 0 and op[actor_of] != ops[wall][actor_of]:
                    # Whether a loss by someone else clears the holder depends on the
                    # contest, which claims before the gain may decide (territory._clears).
                    wall = -1
            walls.append(wall)
            agrees = op[reported_of] if until == NEVER else until
            if agrees > reach:
                reach = agrees
            self.reach.append(reach)
        if self.first_live >= clean:
            cancel = self.cancel
            live = clean
            while live < size and cancel[live] != NEVER:
                live += 1
            self.first_live = live
        block = clean // every
        del self.checkpoints[block + 1 :]
        del self.holders[block * every + 1 :]
        state = self.checkpoints[block]
        cancel, holders = self.cancel, self.holders
        for begin in range(block * every, size, every):
            end = min(begin + every, size)
            kept = [j for j in range(begin, end) if cancel[j] == NEVER]
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
        todo = [ops[j] for j in range(block * every, count) if cancel[j] == NEVER]
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
        if wall >= 0 and self.ops[wall][ff.START] > differs:
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
