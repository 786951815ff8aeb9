"""The laws the as-of engine relies on, checked on generated ledgers: :func:`check_projection`.

A projection (a :class:`~conflict_ledger.rules.fold.Projection`, a
:class:`~conflict_ledger.rules.fold.Keyed` projection or a :class:`~conflict_ledger.rules.fold.Combined`
one) is folded by the engine over the claims that count as of (``at``, ``known_at``),
in valid-time order. The engine may fold from a saved state, fold one key at a time,
cut by knowledge time, read the ledger back from a file, and run in another process.
That is only correct if the projection obeys these laws (:class:`Law`):

* **purity**: the reducer changes neither the state nor the claim it is given, and the
  same ledger and question give the same result twice;
* **hash-seeds**: the result is the same in fresh interpreters with different
  ``PYTHONHASHSEED`` (no set or dict order leaks into it);
* **replay**: folding a prefix of the claims, saving the state (``copy.deepcopy``) and
  folding the rest from the copy gives the result of folding everything, for every prefix;
* **partition** (keyed projections): folding each key alone and merging gives the result
  of folding all, and so does any interleaving of the keys' claims;
* **knowledge**: claims reported after ``known_at``, or recorded after ``position``,
  never change the result as of ``known_at`` (or ``position``);
* **round-trip**: the result is the same on the ledger read back from every store
  (:func:`stores`: memory, the claims file, and the stores ``open_ledger`` opens).

:func:`check_projection` runs each law as a hypothesis test over generated ledgers, and
raises :class:`ProjectionLawError` (an ``AssertionError``) naming every law broken, each
with the minimal ledger hypothesis shrank it to.

>>> from conflict_ledger.rules.territory import TERRITORY
>>> from hypothesis import settings
>>> report = check_projection(TERRITORY, settings=settings(max_examples=5),
...                           laws=[Law.PURITY, Law.REPLAY, Law.PARTITION])
>>> report.checked
(<Law.PURITY: 'purity'>, <Law.REPLAY: 'replay'>, <Law.PARTITION: 'partition'>)
"""

from __future__ import annotations

import contextlib
import copy
import enum
import importlib
import json
import os
import random
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import hypothesis
import pendulum
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from hypothesis.errors import Flaky, HypothesisException

from conflict_ledger.claims import Claim
from conflict_ledger.codec import (
    BUILTIN_EVENTS,
    decode_claim,
    decode_value,
    encode_claim,
    encode_value,
    read_claims_file,
    write_claims_file,
)
from conflict_ledger.errors import LedgerError
from conflict_ledger.events import Event, Retraction
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.reference import effective_claims, fold_as_of
from conflict_ledger.registry import Registries
from conflict_ledger.rules.fold import Combined, Keyed, Projection
from conflict_ledger.testing import strategies as cst
from conflict_ledger.testing.canonical_form import fingerprint

__all__ = [
    "AnyProjection",
    "Law",
    "LawNotCheckedWarning",
    "LawReport",
    "ProjectionLawError",
    "Violation",
    "check_projection",
    "describe_ledger",
    "project_as_of",
    "stores",
]

AnyProjection = Projection[Claim, Any] | Keyed[Claim, Any, Any] | Combined
"""What :func:`check_projection` checks: a projection over claims, keyed or not."""


class Law(enum.Enum):
    """A law the as-of engine relies on; see the module documentation."""

    PURITY = "purity"
    HASH_SEEDS = "hash-seeds"
    REPLAY = "replay"
    PARTITION = "partition"
    KNOWLEDGE = "knowledge"
    ROUND_TRIP = "round-trip"

    @property
    def statement(self) -> str:
        """The law in one sentence.

        >>> Law.REPLAY.statement
        'folding from a saved state gives the same result as folding every claim'
        """
        return _STATEMENTS[self]


_STATEMENTS = {
    Law.PURITY: "the reducer never changes its inputs and the same question gets the same answer",
    Law.HASH_SEEDS: "the result does not depend on PYTHONHASHSEED",
    Law.REPLAY: "folding from a saved state gives the same result as folding every claim",
    Law.PARTITION: "folding each key alone, or the keys interleaved, gives the same result",
    Law.KNOWLEDGE: "claims reported after known_at (or recorded later) never change the result",
    Law.ROUND_TRIP: "the result is the same on the ledger read back from every store",
}


class LawNotCheckedWarning(UserWarning):
    """A law asked for could not be checked (the reason is in the message and the report)."""


@attrs.frozen(kw_only=True)
class Violation:
    """One law broken: what went wrong, and the minimal ledger and question showing it.

    >>> print(Violation(law=Law.PURITY, problem="two runs differ", ledger="(no claims)",
    ...                 question="at=2024-11-27 00:00 known_at=None"))
    purity law broken (the reducer never changes its inputs and the same question gets the same answer):
      two runs differ
      minimal ledger, asked at=2024-11-27 00:00 known_at=None:
        (no claims)
    """

    law: Law
    problem: str
    ledger: str
    question: str
    note: str = ""

    def __str__(self) -> str:
        lines = [
            f"{self.law.value} law broken ({self.law.statement}):",
            f"  {self.problem}",
            f"  minimal ledger, asked {self.question}:",
            *(f"    {line}" for line in self.ledger.splitlines()),
        ]
        if self.note:
            lines.append(f"  note: {self.note}")
        return "\n".join(lines)


class ProjectionLawError(LedgerError, AssertionError):
    """A projection breaks one or more laws; ``violations`` says which and shows each.

    >>> error = ProjectionLawError(projection="mine", violations=(
    ...     Violation(law=Law.REPLAY, problem="p", ledger="l", question="q"),))
    >>> error.laws
    (<Law.REPLAY: 'replay'>,)
    >>> str(error).splitlines()[0]
    "projection 'mine' breaks 1 law: replay. Fix the projection (or your strategy), then rerun."
    """

    def __init__(self, *, projection: str, violations: Sequence[Violation]) -> None:
        self.projection = projection
        self.violations = tuple(violations)
        names = ", ".join(v.law.value for v in self.violations)
        count = len(self.violations)
        head = (
            f"projection {projection!r} breaks {count} law{'s' if count != 1 else ''}: {names}. "
            "Fix the projection (or your strategy), then rerun."
        )
        super().__init__("\n\n".join([head, *(str(v) for v in self.violations)]))

    @property
    def laws(self) -> tuple[Law, ...]:
        """The laws broken, in the order checked."""
        return tuple(v.law for v in self.violations)


@attrs.frozen(kw_only=True)
class LawReport:
    """What :func:`check_projection` checked: the laws that hold, and any it could not check.

    >>> print(LawReport(projection="mine", checked=(Law.PURITY,),
    ...                 not_checked=((Law.PARTITION, "not a keyed projection"),)))
    projection 'mine'
      purity: holds
      partition: not checked (not a keyed projection)
    """

    projection: str
    checked: tuple[Law, ...]
    not_checked: tuple[tuple[Law, str], ...] = ()

    def __str__(self) -> str:
        lines = [f"projection {self.projection!r}"]
        lines += [f"  {law.value}: holds" for law in self.checked]
        lines += [f"  {law.value}: not checked ({why})" for law, why in self.not_checked]
        return "\n".join(lines)


# --- evaluation -------------------------------------------------------------------------


def _counted(
    source: Ledger, at: pendulum.DateTime, known_at: pendulum.DateTime | None, position: int | None
) -> list[Claim]:
    return [
        c
        for c in effective_claims(source, known_at=known_at, position=position)
        if c.valid.start <= at
    ]


def project_as_of(
    projection: AnyProjection,
    source: Ledger,
    *,
    at: pendulum.DateTime,
    known_at: pendulum.DateTime | None = None,
    position: int | None = None,
) -> Any:
    """A projection's result as of (``at``, ``known_at``, ``position``), keyed or not.

    Keyed projections go through :func:`~conflict_ledger.asof.fold_as_of`; the others
    fold the same claims, in the same order.

    >>> from conflict_ledger.seed import load_seed
    >>> count = Projection(name="count", initial=0, reducer=lambda n, claim: n + 1)
    >>> project_as_of(count, load_seed(), at=pendulum.datetime(2024, 12, 8, tz="UTC"))
    16
    """
    if isinstance(projection, Keyed):
        return fold_as_of(source, projection, at=at, known_at=known_at, position=position)
    return projection(_counted(source, at, known_at, position))


def _is_keyed(projection: AnyProjection) -> bool:
    return isinstance(projection, Keyed)


def _resume(projection: AnyProjection, state: Any, claims: Iterable[Claim]) -> Any:
    """Continue a fold from ``state`` (a mapping of key states for a keyed projection)."""
    if isinstance(projection, Keyed):
        states = dict(state)
        for claim in claims:
            key = projection.key(claim)
            if key is not None:
                current = states[key] if key in states else projection.initial(key)
                states[key] = projection.reducer(current, claim)
        return states
    for claim in claims:
        state = projection.reducer(state, claim)
    return state


def _checkpoint(state: Any) -> Any:
    """A saved copy of a state, as a checkpoint store would keep it."""
    if isinstance(state, MappingProxyType):
        return MappingProxyType({key: copy.deepcopy(value) for key, value in state.items()})
    return copy.deepcopy(state)


class _BrokenLawError(AssertionError):
    """Raised inside a law's hypothesis test; hypothesis shrinks the case that raises it."""

    def __init__(self, law: Law, problem: str) -> None:
        super().__init__(f"{law.value}: {problem}")
        self.law = law
        self.problem = problem
        self.case: _Case | None = None


def _guarded(projection: AnyProjection, law: Law) -> AnyProjection:
    """The projection with a reducer that checks it leaves its state and claim unchanged."""
    if isinstance(projection, Combined):
        inner: tuple[Any, ...] = tuple(_guarded(p, law) for p in projection.projections)
        return attrs.evolve(projection, projections=inner)
    reducer = projection.reducer

    def checked(state: Any, claim: Claim) -> Any:
        state_before, claim_before = fingerprint(state), fingerprint(claim)
        result = reducer(state, claim)
        if fingerprint(state) != state_before:
            raise _BrokenLawError(
                law,
                f"folding claim {claim.id!r} changed the state it was given, from "
                f"{_short(state_before)} to {_short(fingerprint(state))}; return a new state "
                "(attrs.evolve, a new tuple or mapping) instead of changing the old one",
            )
        if fingerprint(claim) != claim_before:
            raise _BrokenLawError(law, f"folding claim {claim.id!r} changed the claim itself")
        return result

    return attrs.evolve(projection, reducer=checked)


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _same(first: Any, second: Any) -> bool:
    """Equal as values: ``==`` when it says so, else the same fingerprint."""
    try:
        if first == second:
            return True
    except Exception:
        pass
    return fingerprint(first) == fingerprint(second)


def _differ(law: Law, what: str, first: Any, second: Any) -> None:
    if not _same(first, second):
        a, b = fingerprint(first), fingerprint(second)
        raise _BrokenLawError(law, f"{what}:\n      {_short(a)}\n    versus\n      {_short(b)}")


# --- cases ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Case:
    ledger: Ledger = attrs.field(eq=False)
    at: pendulum.DateTime
    known_at: pendulum.DateTime | None
    position: int
    shuffler: random.Random | None = attrs.field(default=None, eq=False)


def _moments(ledger: Ledger) -> list[pendulum.DateTime]:
    times: set[pendulum.DateTime] = set()
    for claim in ledger.claims():
        times.update((claim.valid.start, claim.valid.end, claim.reported_at))
    return sorted(times)


@st.composite
def _cases(
    draw: st.DrawFn, ledgers: st.SearchStrategy[Ledger], *, interleave: bool = False
) -> _Case:
    ledger = draw(ledgers)
    moments = _moments(ledger) or [cst.BASE]
    # The first choice (where shrinking goes) counts everything: after the last moment.
    at = draw(st.sampled_from([moments[-1].add(days=1), *moments]))
    known_at = draw(st.none() | st.sampled_from(moments))
    position = draw(st.integers(min_value=0, max_value=len(ledger)))
    # Draws an arrival order only when the partition law asks for one (lazily, so that
    # shrinking has nothing to do when a simpler interleaving already fails).
    shuffler = draw(st.randoms(use_true_random=False)) if interleave else None
    return _Case(
        ledger=ledger,
        at=at,
        known_at=known_at,
        position=position,
        shuffler=shuffler,
    )


def _when(instant: pendulum.DateTime | None) -> str:
    return "None" if instant is None else instant.format("YYYY-MM-DD HH:mm")


def _question(case: _Case, *, position: bool = False) -> str:
    text = f"at={_when(case.at)} known_at={_when(case.known_at)}"
    return f"{text} position={case.position}" if position else text


def _event_text(event: Event) -> str:
    fields = [
        f"{f.name}={_plain(getattr(event, f.name))}"
        for f in attrs.fields(type(event))
        if getattr(event, f.name) != f.default
    ]
    return f"{event.kind}({', '.join(fields)})"


def _plain(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return "+".join(_plain(v) for v in value)
    return str(value)


def describe_ledger(ledger: Ledger) -> str:
    """The ledger as a short table, one claim a line, for failure messages.

    >>> from conflict_ledger.seed import load_seed
    >>> print(describe_ledger(load_seed()).splitlines()[0])
    #0 dawn-2024-12-07/c01 planned forces_sent(actor=iran, ...) valid 2024-12-05 21:00..2025-01-04 21:00 (month) reported 2024-12-06 19:00 by senior-iranian-official
    """
    lines = []
    for record in ledger.records():
        claim = record.claim
        valid = claim.valid
        window = (
            _when(valid.start)
            if valid.start == valid.end
            else f"{_when(valid.start)}..{_when(valid.end)} ({valid.precision.value})"
        )
        extra = f" supersedes {claim.supersedes}" if claim.supersedes else ""
        lines.append(
            f"#{record.position} {claim.id} {claim.modality.value} {_event_text(claim.event)} "
            f"valid {window} reported {_when(claim.reported_at)} by {claim.source.origin}{extra}"
        )
    return "\n".join(lines) or "(no claims)"


# --- the laws ---------------------------------------------------------------------------


def _rebuild(ledger: Ledger, claims: Iterable[Claim]) -> Ledger:
    copy_ = Ledger(registries=ledger.registries, clock=fixed_clock(cst.BASE))
    copy_.extend(claims)
    return copy_


def _purity(projection: AnyProjection, case: _Case) -> None:
    records_before = fingerprint(tuple(case.ledger.records()))
    keyed = _is_keyed(projection)
    initial_before = None if keyed else fingerprint(projection.initial)
    guarded = _guarded(projection, Law.PURITY)
    first = project_as_of(guarded, case.ledger, at=case.at, known_at=case.known_at)
    first_print = fingerprint(first)
    second = project_as_of(guarded, case.ledger, at=case.at, known_at=case.known_at)
    _differ(Law.PURITY, "the same ledger and question gave two different results", first, second)
    if fingerprint(first) != first_print:
        raise _BrokenLawError(
            Law.PURITY, "folding again changed the result returned the first time"
        )
    if fingerprint(tuple(case.ledger.records())) != records_before:
        raise _BrokenLawError(Law.PURITY, "folding changed the ledger's records")
    if not keyed and fingerprint(projection.initial) != initial_before:
        raise _BrokenLawError(Law.PURITY, "folding changed the projection's initial state")


def _replay(projection: AnyProjection, case: _Case) -> None:
    claims = _counted(case.ledger, case.at, case.known_at, None)
    full = projection(claims)
    for split in range(len(claims) + 1):
        prefix = projection(claims[:split])
        try:
            saved = _checkpoint(prefix)
        except Exception as error:
            raise _BrokenLawError(
                Law.REPLAY,
                f"the state after {split} claims cannot be saved (copy.deepcopy raised "
                f"{error!r}); keep only plain values in states",
            ) from error
        if not _same(saved, prefix):
            raise _BrokenLawError(
                Law.REPLAY, f"the state after {split} claims differs from its copy"
            )
        where = "the start" if split == 0 else f"claim {claims[split - 1].id!r}"
        _differ(
            Law.REPLAY,
            f"resuming from the state saved after {where} gave a different result from "
            "folding every claim (resumed, then full)",
            _resume(projection, saved, claims[split:]),
            full,
        )


def _partition(projection: AnyProjection, case: _Case) -> None:
    assert isinstance(projection, Keyed)
    claims = _counted(case.ledger, case.at, case.known_at, None)
    full = projection(claims)
    merged: dict[Any, Any] = {}
    for key, group in projection.partition(claims).items():
        alone = projection(group)
        if list(alone) != [key]:
            raise _BrokenLawError(
                Law.PARTITION,
                f"folding the claims of key {key!r} alone gave the keys {list(alone)!r}",
            )
        merged[key] = alone[key]
    _differ(
        Law.PARTITION,
        "folding each key alone and merging differs from folding all (merged, then all)",
        merged,
        full,
    )
    # Interleave the keys' claims, each key's claims kept in order: one claim of each key
    # in turn, then (drawn only if that holds) in a drawn arrival order.
    _same_interleaved(
        projection, "one key after another in turn", _round_robin(projection, claims), full
    )
    if case.shuffler is not None:
        drawn = _interleaved(projection, claims, case.shuffler)
        _same_interleaved(projection, "in a drawn arrival order", drawn, full)


def _same_interleaved(
    projection: Keyed[Claim, Any, Any], how: str, interleaved: list[Claim], full: Any
) -> None:
    _differ(
        Law.PARTITION,
        f"folding the keys' claims interleaved {how} differs from folding each key "
        "alone (interleaved, then alone): the result depends on arrival order across keys",
        _resume(projection, {}, interleaved),
        full,
    )


def _queues(projection: Keyed[Claim, Any, Any], claims: Iterable[Claim]) -> dict[Any, list[Claim]]:
    queues: dict[Any, list[Claim]] = {}
    for claim in claims:
        queues.setdefault(projection.key(claim), []).append(claim)
    return queues


def _round_robin(projection: Keyed[Claim, Any, Any], claims: Sequence[Claim]) -> list[Claim]:
    queues = list(_queues(projection, claims).values())
    interleaved: list[Claim] = []
    while any(queues):
        for queue in queues:
            if queue:
                interleaved.append(queue.pop(0))
    return interleaved


def _interleaved(
    projection: Keyed[Claim, Any, Any], claims: Sequence[Claim], shuffler: random.Random
) -> list[Claim]:
    queues = _queues(projection, claims)
    picks = [projection.key(claim) for claim in claims]
    shuffler.shuffle(picks)
    return [queues[key].pop(0) for key in picks]


def _knowledge(projection: AnyProjection, case: _Case) -> None:
    ledger, at = case.ledger, case.at
    if case.known_at is not None:
        cut = case.known_at
        known = _rebuild(ledger, [c for c in ledger.claims() if c.reported_at <= cut])
        whole = project_as_of(projection, ledger, at=at, known_at=cut)
        _differ(
            Law.KNOWLEDGE,
            "removing the claims reported after known_at changed the result as of known_at "
            "(without them, then with them)",
            project_as_of(projection, known, at=at, known_at=cut),
            whole,
        )
        _differ(
            Law.KNOWLEDGE,
            "the ledger of what was known at known_at answers differently with and without "
            "known_at",
            project_as_of(projection, known, at=at),
            whole,
        )
    head = _rebuild(ledger, ledger.claims()[: case.position])
    _differ(
        Law.KNOWLEDGE,
        f"the claims recorded after position {case.position} changed the result as of "
        f"position {case.position} (without them, then with them)",
        project_as_of(projection, head, at=at, known_at=case.known_at),
        project_as_of(projection, ledger, at=at, known_at=case.known_at, position=case.position),
    )


Store = Callable[[Ledger, Path, Mapping[str, type[Event]]], AbstractContextManager[Ledger]]
"""Writes a ledger into a store in a folder and yields the ledger read back from it."""


@contextlib.contextmanager
def _memory_store(
    ledger: Ledger, folder: Path, event_types: Mapping[str, type[Event]]
) -> Iterator[Ledger]:
    yield _rebuild(ledger, ledger.claims())


def _values(registries: Registries) -> list[Any]:
    return [
        *registries.places,
        *registries.actors,
        *registries.sources,
        *registries.documents.values(),
    ]


@contextlib.contextmanager
def _claims_file_store(
    ledger: Ledger, folder: Path, event_types: Mapping[str, type[Event]]
) -> Iterator[Ledger]:
    path = folder / "ledger.claims.jsonl"
    write_claims_file(path, ledger.claims(), values=_values(ledger.registries))
    yield read_claims_file(
        path, registries=Registries(), event_types=event_types, clock=fixed_clock(cst.BASE)
    )


def stores() -> dict[str, Store]:
    """Every store a ledger can be written to and read back from, by name.

    The in-memory ledger and the claims file, and, when ``conflict_ledger.open_ledger``
    is present, the SQLite (plain and compact) and JSON Lines stores it opens.

    >>> {"memory", "claims-file"} <= set(stores())
    True
    """
    found: dict[str, Store] = {"memory": _memory_store, "claims-file": _claims_file_store}
    found.update(_opened_stores())
    return found


def _opened_stores() -> dict[str, Store]:
    import conflict_ledger

    open_ledger = getattr(conflict_ledger, "open_ledger", None)
    if open_ledger is None:
        return {}

    def opened(suffix: str, **options: Any) -> Store:
        @contextlib.contextmanager
        def store(
            ledger: Ledger, folder: Path, event_types: Mapping[str, type[Event]]
        ) -> Iterator[Ledger]:
            path = folder / f"ledger{suffix}"
            clock = fixed_clock(cst.BASE)
            with open_ledger(
                path, create=True, clock=clock, event_types=event_types, **options
            ) as writer:
                writer.register(*_values(ledger.registries))
                writer.extend(ledger.claims())
            # Read back with nothing but the file: its registries must come back too.
            with open_ledger(path, clock=clock, event_types=event_types) as reader:
                yield reader

        return store

    return {
        "sqlite": opened(".sqlite", durability="normal"),
        "sqlite-compact": opened(".sqlite", durability="normal", compact=True),
        "jsonl": opened(".jsonl", durability="normal"),
    }


def _round_trip(
    projection: AnyProjection, case: _Case, event_types: Mapping[str, type[Event]]
) -> None:
    expected = project_as_of(projection, case.ledger, at=case.at, known_at=case.known_at)
    for name, store in stores().items():
        with (
            tempfile.TemporaryDirectory() as folder,
            store(case.ledger, Path(folder), event_types) as copied,
        ):
            if copied.claims() != case.ledger.claims():
                raise _BrokenLawError(
                    Law.ROUND_TRIP, f"the {name} store gave back different claims"
                )
            _differ(
                Law.ROUND_TRIP,
                f"the ledger read back from the {name} store gives a different result "
                "(read back, then original)",
                project_as_of(projection, copied, at=case.at, known_at=case.known_at),
                expected,
            )


# --- hash seeds -------------------------------------------------------------------------


def _locate(projection: AnyProjection) -> str | None:
    """``module:name`` of a module attribute that is this projection, if there is one."""
    for module_name, module in list(sys.modules.items()):
        if module is None or module_name == "__main__":
            continue
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for name, value in list(namespace.items()):
            if value is projection:
                return f"{module_name}:{name}"
    return None


def _encode_ledger(ledger: Ledger) -> dict[str, Any]:
    """A ledger as plain JSON data (registries and claims), for another process."""
    return {
        "values": [encode_value(v) for v in _values(ledger.registries)],
        "claims": [encode_claim(c) for c in ledger.claims()],
    }


def _decode_ledger(
    data: Mapping[str, Any], *, event_types: Mapping[str, type[Event]] = BUILTIN_EVENTS
) -> Ledger:
    """The ledger :func:`_encode_ledger` describes."""
    values = [decode_value(v) for v in data["values"]]
    ledger = Ledger(registries=Registries().with_values(values), clock=fixed_clock(cst.BASE))
    ledger.extend(decode_claim(c, event_types=event_types) for c in data["claims"])
    return ledger


def _type_path(kind: type[Any]) -> str:
    return f"{kind.__module__}:{kind.__qualname__}"


def _collect(
    cases: st.SearchStrategy[_Case], config: hypothesis.settings, count: int
) -> list[_Case]:
    collected: list[_Case] = []

    def keep(case: _Case) -> None:
        collected.append(case)

    run = hypothesis.settings(config, max_examples=count, phases=[Phase.generate], database=None)
    run(given(cases)(keep))()
    return collected


def _run_seeds(request: dict[str, Any], seeds: Sequence[int]) -> list[list[str]]:
    payload = json.dumps(request)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "conflict_ledger.testing._replay"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        )
        for seed in seeds
    ]
    outputs = []
    for seed, process in zip(seeds, processes, strict=True):
        out, err = process.communicate(payload, timeout=300)
        if process.returncode != 0:
            tail = "\n".join(err.strip().splitlines()[-6:])
            raise _BrokenLawError(
                Law.HASH_SEEDS,
                f"the projection failed in a fresh interpreter (PYTHONHASHSEED={seed}):\n{tail}",
            )
        outputs.append(json.loads(out))
    return outputs


def _encode_case(case: _Case) -> dict[str, Any]:
    return {
        "ledger": _encode_ledger(case.ledger),
        "at": case.at.isoformat(),
        "known_at": None if case.known_at is None else case.known_at.isoformat(),
    }


def _disagreeing(
    header: Mapping[str, Any], cases: Sequence[_Case], seeds: Sequence[int]
) -> list[tuple[_Case, list[str]]]:
    """The cases whose results differ between the seeds, with the results by seed."""
    outputs = _run_seeds({**header, "cases": [_encode_case(c) for c in cases]}, seeds)
    found = []
    for index, case in enumerate(cases):
        results = [output[index] for output in outputs]
        if len(set(results)) > 1:
            found.append((case, results))
    return found


def _without(claims: Sequence[Claim], removed: set[str]) -> list[Claim]:
    """``claims`` less ``removed`` and, so that the rest stays valid, what points at them."""
    gone = set(removed)
    while True:
        kept = [
            c
            for c in claims
            if c.id not in gone
            and c.supersedes not in gone
            and not (isinstance(c.event, Retraction) and c.event.target in gone)
        ]
        if len(kept) == len(claims) - len(gone & {c.id for c in claims}):
            return kept
        gone |= {c.id for c in claims} - {c.id for c in kept}


def _smaller(case: _Case) -> list[_Case]:
    """Ledgers with halves, quarters... and single claims of ``case``'s ledger removed."""
    claims = case.ledger.claims()
    candidates, seen = [], set()
    size = len(claims) // 2
    while size >= 1:
        for start in range(0, len(claims), size):
            kept = _without(claims, {c.id for c in claims[start : start + size]})
            key = tuple(c.id for c in kept)
            if len(kept) < len(claims) and key not in seen:
                seen.add(key)
                candidates.append(attrs.evolve(case, ledger=_rebuild(case.ledger, kept)))
        size //= 2
    return candidates


def _hash_seeds(
    projection: AnyProjection,
    where: str,
    cases: st.SearchStrategy[_Case],
    config: hypothesis.settings,
    event_types: Mapping[str, type[Event]],
    seeds: Sequence[int],
) -> Violation | None:
    drawn = sorted(_collect(cases, config, min(config.max_examples, 12)), key=_size)
    header = {
        "projection": where,
        "path": list(sys.path),
        "event_types": {
            kind: _type_path(cls)
            for kind, cls in event_types.items()
            if BUILTIN_EVENTS.get(kind) is not cls
        },
    }
    try:
        failing = _disagreeing(header, drawn, seeds)
        if not failing:
            return None
        # Shrink in batches: every candidate of a round runs in the same two interpreters.
        case, results = failing[0]
        for _ in range(10):
            smaller = _disagreeing(header, _smaller(case), seeds)
            if not smaller:
                break
            case, results = min(smaller, key=lambda found: _size(found[0]))
    except _BrokenLawError as broken:
        return Violation(
            law=Law.HASH_SEEDS, problem=broken.problem, ledger="(any)", question="(any)"
        )
    first = 0
    other = next(i for i, result in enumerate(results) if result != results[first])
    return Violation(
        law=Law.HASH_SEEDS,
        problem=(
            f"with PYTHONHASHSEED={seeds[first]} the result was\n      {_short(results[first])}\n"
            f"    but with PYTHONHASHSEED={seeds[other]} it was\n      {_short(results[other])}\n"
            "    (sort what you take from a set or dict before it reaches the result)"
        ),
        ledger=describe_ledger(case.ledger),
        question=_question(case),
    )


def _size(case: _Case) -> int:
    return len(case.ledger)


# --- running ----------------------------------------------------------------------------


def _find_broken(error: BaseException) -> _BrokenLawError | None:
    if isinstance(error, _BrokenLawError):
        return error
    for inner in getattr(error, "exceptions", ()):
        found = _find_broken(inner)
        if found is not None:
            return found
    for linked in (error.__cause__, error.__context__):
        if linked is not None:
            found = _find_broken(linked)
            if found is not None:
                return found
    return None


def _run_law(
    law: Law,
    check: Callable[[_Case], None],
    cases: st.SearchStrategy[_Case],
    config: hypothesis.settings,
    label: str,
) -> Violation | None:
    def law_holds(case: _Case) -> None:
        try:
            check(case)
        except _BrokenLawError as broken:
            broken.case = case
            raise
        except HypothesisException:
            raise
        except Exception as error:
            raised = _BrokenLawError(law, f"the projection raised {type(error).__name__}: {error}")
            raised.case = case
            raise raised from error

    law_holds._hypothesis_internal_add_digest = label.encode()  # type: ignore[attr-defined]
    test = config(given(cases)(law_holds))
    note = ""
    try:
        test()
    except Flaky as flaky:
        found = _find_broken(flaky)
        if found is None:
            raise
        note = (
            "hypothesis could not replay this failure: the projection's results change from "
            "run to run, so it keeps or reads state outside its inputs"
        )
    except _BrokenLawError as broken:
        found = broken
    else:
        return None
    case = found.case
    assert case is not None
    return Violation(
        law=found.law,
        problem=found.problem,
        ledger=describe_ledger(case.ledger),
        question=_question(case, position=law is Law.KNOWLEDGE),
        note=note,
    )


def check_projection(
    projection: AnyProjection,
    *,
    ledgers: st.SearchStrategy[Ledger] | None = None,
    laws: Iterable[Law] = tuple(Law),
    settings: hypothesis.settings | None = None,
    event_types: Mapping[str, type[Event]] = BUILTIN_EVENTS,
    importable_as: str | None = None,
    hash_seeds: Sequence[int] = (1, 2),
) -> LawReport:
    """Check ``projection`` against every law in ``laws`` on ledgers drawn from ``ledgers``.

    Each law is its own hypothesis test (``settings``, or the current profile's, with no
    deadline); every law broken is reported with the minimal ledger that breaks it, in
    one :class:`ProjectionLawError`. Call it from a plain test function, not from inside
    a ``@given`` test. ``ledgers`` defaults to
    :func:`~conflict_ledger.testing.strategies.ledgers` of up to 10 claims (and their
    retractions, rivals and corrections); give ``event_types`` when your
    ledgers hold your own event types (the round-trip and hash-seed laws decode them).

    The hash-seed law runs the projection in fresh interpreters, so it must be
    importable: a module attribute is found by itself, or name it with
    ``importable_as="package.module:NAME"``. When it is not, the law is listed under
    ``not_checked`` in the report and a :class:`LawNotCheckedWarning` is issued.

    >>> from conflict_ledger.rules.fold import Keyed
    >>> from hypothesis import settings
    >>> tally = {"calls": 0}
    >>> def count(n, claim):
    ...     tally["calls"] += 1
    ...     return n + tally["calls"]      # reads a global: not a function of its inputs
    >>> leaky = Keyed(name="leaky", key=lambda c: c.source.origin, initial=lambda k: 0,
    ...               reducer=count)
    >>> check_projection(leaky, laws=[Law.PURITY], settings=settings(max_examples=20))
    Traceback (most recent call last):
    ...
    conflict_ledger.testing.laws.ProjectionLawError: projection 'leaky' breaks 1 law: purity. ...
    """
    name = getattr(projection, "name", None) or type(projection).__name__
    strategy = ledgers if ledgers is not None else cst.ledgers(max_size=10, places=2, actors=2)
    parent = settings if settings is not None else hypothesis.settings()
    config = hypothesis.settings(
        parent,
        deadline=None,
        suppress_health_check=[*parent.suppress_health_check, HealthCheck.too_slow],
    )
    cases = _cases(strategy)
    checks: dict[Law, Callable[[_Case], None]] = {
        Law.PURITY: lambda case: _purity(projection, case),
        Law.REPLAY: lambda case: _replay(projection, case),
        Law.PARTITION: lambda case: _partition(projection, case),
        Law.KNOWLEDGE: lambda case: _knowledge(projection, case),
        Law.ROUND_TRIP: lambda case: _round_trip(projection, case, event_types),
    }
    checked: list[Law] = []
    not_checked: list[tuple[Law, str]] = []
    violations: list[Violation] = []
    for law in sorted({Law(law) for law in laws}, key=list(Law).index):
        violation: Violation | None
        if law is Law.PARTITION and not _is_keyed(projection):
            not_checked.append((law, "not a keyed projection"))
            continue
        if law is Law.HASH_SEEDS:
            where = importable_as or _locate(projection)
            if where is None:
                why = (
                    f"{name!r} is not a module attribute, so a fresh interpreter cannot "
                    "import it; define it in a module or pass importable_as='module:NAME'"
                )
                warnings.warn(f"hash-seeds law not checked: {why}", LawNotCheckedWarning, 2)
                not_checked.append((law, why))
                continue
            violation = _hash_seeds(projection, where, cases, config, event_types, hash_seeds)
        else:
            drawn = _cases(strategy, interleave=True) if law is Law.PARTITION else cases
            violation = _run_law(law, checks[law], drawn, config, f"{name}:{law.value}")
        if violation is None:
            checked.append(law)
        else:
            violations.append(violation)
    if violations:
        raise ProjectionLawError(projection=name, violations=violations)
    return LawReport(projection=name, checked=tuple(checked), not_checked=tuple(not_checked))


def _load(path: str) -> Any:
    module_name, _, attribute = path.partition(":")
    value: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        value = getattr(value, part)
    return value
