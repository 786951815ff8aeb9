"""Fold machinery, generic over your own event and state types.

A reducer is a plain function ``(state, event) -> state`` that reads no clock, file or
global and never mutates its input. These helpers fold it over events: to the final
state (:func:`fold`), through every intermediate state (:func:`scan`), per key so that
each place folds on its own (:class:`Keyed`), and several projections side by side
(:class:`Combined`).

>>> def count(state: int, event: str) -> int:
...     return state + 1
>>> fold(count, ["a", "b", "c"], 0)
3
>>> list(scan(count, ["a", "b"], 0))
[0, 1, 2]
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import attrs

__all__ = ["Combined", "Keyed", "Projection", "Reducer", "fold", "scan"]

E = TypeVar("E")
S = TypeVar("S")
K = TypeVar("K", bound=Hashable)

Reducer = Callable[[S, E], S]
"""A pure function from a state and an event to the next state."""


def fold(reducer: Callable[[S, E], S], events: Iterable[E], initial: S) -> S:
    """Fold ``events`` into ``initial`` with ``reducer``; the final state.

    >>> fold(lambda total, n: total + n, [1, 2, 3], 10)
    16
    """
    return functools.reduce(reducer, events, initial)


def scan(reducer: Callable[[S, E], S], events: Iterable[E], initial: S) -> Iterator[S]:
    """Every state of the fold, starting with ``initial`` (one more state than events).

    >>> list(scan(lambda total, n: total + n, [1, 2, 3], 0))
    [0, 1, 3, 6]
    """
    return itertools.accumulate(events, reducer, initial=initial)


@attrs.frozen(kw_only=True)
class Projection(Generic[E, S]):
    """A named reducer with its initial state; call it on events to get the state.

    >>> longest = Projection(name="longest", initial="", reducer=lambda s, e: max(s, e, key=len))
    >>> longest(["Homs", "Aleppo", "Hama"])
    'Aleppo'
    """

    name: str
    initial: S
    reducer: Callable[[S, E], S]

    def __call__(self, events: Iterable[E]) -> S:
        return fold(self.reducer, events, self.initial)

    def scan(self, events: Iterable[E]) -> Iterator[S]:
        """Every intermediate state, as :func:`scan`."""
        return scan(self.reducer, events, self.initial)


@attrs.frozen(kw_only=True)
class Keyed(Generic[E, K, S]):
    """A projection folded separately per key, e.g. per place.

    ``key`` maps an event to its key, or to ``None`` for events the projection ignores;
    ``initial`` gives the starting state of a key. Folding each key on its own and
    merging is the same as folding everything: events of different keys commute.

    >>> words = Keyed(name="count-by-initial", key=lambda word: word[0],
    ...               initial=lambda key: 0, reducer=lambda n, word: n + 1)
    >>> dict(words(["homs", "hama", "aleppo"]))
    {'a': 1, 'h': 2}
    """

    name: str
    key: Callable[[E], K | None]
    initial: Callable[[K], S]
    reducer: Callable[[S, E], S]

    def partition(self, events: Iterable[E]) -> dict[K, list[E]]:
        """Events grouped by key, each group in the order given; ignored events dropped.

        >>> Keyed(name="k", key=len, initial=lambda k: 0, reducer=max).partition(["ab", "c", "de"])
        {2: ['ab', 'de'], 1: ['c']}
        """
        groups: dict[K, list[E]] = {}
        for event in events:
            key = self.key(event)
            if key is not None:
                groups.setdefault(key, []).append(event)
        return groups

    def fold_key(self, key: K, events: Iterable[E]) -> S:
        """The state of one key after ``events`` (all of which belong to it)."""
        return fold(self.reducer, events, self.initial(key))

    def __call__(self, events: Iterable[E]) -> Mapping[K, S]:
        """The state of every key, sorted by key (a read-only mapping)."""
        groups = self.partition(events)
        return MappingProxyType(
            {key: self.fold_key(key, groups[key]) for key in sorted(groups, key=_sort_key)}
        )


def _sort_key(key: Any) -> Any:
    return (type(key).__name__, key)


@attrs.frozen(kw_only=True)
class Combined:
    """Several projections over the same events, folded in one pass.

    >>> both = Combined(projections=(
    ...     Projection(name="count", initial=0, reducer=lambda n, e: n + 1),
    ...     Projection(name="last", initial=None, reducer=lambda s, e: e),
    ... ))
    >>> dict(both(["Aleppo", "Hama", "Homs"]))
    {'count': 3, 'last': 'Homs'}
    """

    projections: tuple[Projection[Any, Any], ...] = attrs.field(converter=tuple)

    @property
    def initial(self) -> Mapping[str, Any]:
        """Each projection's initial state, by name."""
        return MappingProxyType({p.name: p.initial for p in self.projections})

    def reducer(self, state: Mapping[str, Any], event: Any) -> Mapping[str, Any]:
        """Step every projection by one event (a new mapping; ``state`` is untouched)."""
        return MappingProxyType({p.name: p.reducer(state[p.name], event) for p in self.projections})

    def __call__(self, events: Iterable[Any]) -> Mapping[str, Any]:
        reducers = [(p.name, p.reducer) for p in self.projections]
        states = {p.name: p.initial for p in self.projections}
        for event in events:
            for name, reducer in reducers:
                states[name] = reducer(states[name], event)
        return MappingProxyType(states)
