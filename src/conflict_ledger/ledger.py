"""The append-only ledger: the only write is an append, and a rejected one changes nothing.

Each appended claim gets its third clock here: its position in the ledger and the
instant it was recorded, from the clock passed in. Retractions and corrections are new
claims that point at the claim they undo; nothing is ever edited or removed.

>>> import attrs, pendulum
>>> from conflict_ledger import Captured, Claim, Source, SourceChain, ValidTime
>>> from conflict_ledger.gazetteer import syria
>>> ledger = Ledger(registries=syria(), clock=fixed_clock("2024-12-07T12:00Z"))
>>> ledger.register(Source(id="reuters", name="Reuters", kind="agency"))
>>> claim = Claim(
...     id="demo/1",
...     event=Captured(place="Deir el-Zor", actor="Syrian Kurdish fighters"),
...     valid=ValidTime.day(pendulum.date(2024, 12, 6), tz="Asia/Damascus"),
...     reported_at="2024-12-07T00:00+05:00",
...     source=SourceChain.of("reuters"),
... )
>>> record = ledger.append(claim)
>>> record.position, record.claim.event.place, record.claim.event.actor
(0, 'deir-ez-zor', 'sdf')

A claim about a place the gazetteer does not know is refused, and the ledger is unchanged:

>>> ledger.append(attrs.evolve(claim, id="demo/2", event=Captured(place="Dayr az-Zor", actor="sdf")))
Traceback (most recent call last):
...
conflict_ledger.errors.UnknownPlaceError: unknown place 'Dayr az-Zor' (field event.place); did you mean: deir-ez-zor? ...
>>> len(ledger)
1
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import pendulum

from conflict_ledger.claims import Claim, Document, SourceChain
from conflict_ledger.errors import (
    DuplicateClaimError,
    InvalidBatchError,
    InvalidClaimError,
    LedgerError,
    UnknownClaimError,
    UnknownReferenceError,
)
from conflict_ledger.events import Event, Retraction
from conflict_ledger.registry import Actor, Place, Registries, Registry, Source
from conflict_ledger.time import to_instant

__all__ = [
    "Clock",
    "ConcurrencyError",
    "Ledger",
    "Recorded",
    "fixed_clock",
    "system_clock",
]

Clock = Callable[[], pendulum.DateTime]
"""A function returning the current instant; the ledger's only source of time."""


def system_clock() -> pendulum.DateTime:
    """The machine's clock, in UTC. The default clock of a :class:`Ledger`."""
    return pendulum.now(pendulum.UTC)


def fixed_clock(when: Any) -> Clock:
    """A clock that always says ``when``: for tests, notebooks and reproducible loads.

    >>> fixed_clock("2024-12-07T12:00Z")()
    DateTime(2024, 12, 7, 12, 0, 0, tzinfo=Timezone('UTC'))
    """
    instant = to_instant(when, field="clock")
    return lambda: instant


class ConcurrencyError(LedgerError, RuntimeError):
    """An append expected the ledger to have a size it no longer has."""

    def __init__(self, *, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"expected the ledger to hold {expected} records but it holds {actual}; "
            "another writer appended first. Re-read the ledger, re-check your claims and retry."
        )


@attrs.frozen(kw_only=True)
class Recorded:
    """A claim as the ledger holds it: its position and the instant it was recorded."""

    position: int
    recorded_at: pendulum.DateTime
    claim: Claim


def _resolve(registry: Registry[Any], value: str, field: str) -> str:
    try:
        return str(registry.resolve(value).id)
    except UnknownReferenceError as error:
        raise type(error)(name=value, suggestions=error.suggestions, field=field) from None


def _canonical_event(event: Event, registries: Registries) -> Event:
    """The event with every place and actor name replaced by its registry id."""
    changes: dict[str, Any] = {}
    for names, registry in (
        (event.place_fields, registries.places),
        (event.actor_fields, registries.actors),
    ):
        for name in names:
            value = getattr(event, name)
            field = f"event.{name}"
            if isinstance(value, str):
                resolved: Any = _resolve(registry, value, field)
            elif isinstance(value, tuple):
                resolved = tuple(_resolve(registry, item, field) for item in value)
            else:
                continue
            if resolved != value:
                changes[name] = resolved
    return attrs.evolve(event, **changes) if changes else event


def _canonical_source(chain: SourceChain, registries: Registries) -> SourceChain:
    links = []
    for index, link in enumerate(chain.links):
        try:
            source_id = registries.sources.resolve(link.source).id
        except UnknownReferenceError as error:
            raise type(error)(
                name=link.source, suggestions=error.suggestions, field=f"source[{index}]"
            ) from None
        links.append(link if source_id == link.source else attrs.evolve(link, source=source_id))
    return SourceChain(links=links)


class Ledger:
    """An append-only, in-memory ledger of claims.

    ``registries`` are the places, actors and sources claims may name: names and aliases
    in appended claims are resolved to their ids. ``clock`` stamps recorded time. Reading
    is by position (iteration, :meth:`since`) or by claim id (:meth:`claim`).
    """

    def __init__(
        self,
        *,
        registries: Registries | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self._registries = registries if registries is not None else Registries()
        self._clock = clock
        self._records: list[Recorded] = []
        self._by_id: dict[str, Recorded] = {}

    @property
    def registries(self) -> Registries:
        """The places, actors, sources and documents claims may name."""
        return self._registries

    def register(self, *values: Place | Actor | Source | Document) -> None:
        """Add places, actors, sources or documents claims may then name.

        Registries only grow; re-registering an identical value is a no-op.
        """
        self._registries = self._registries.with_values(values)

    def append(self, claim: Claim, *, expected_size: int | None = None) -> Recorded:
        """Append one claim; see :meth:`extend`."""
        return self.extend((claim,), expected_size=expected_size)[0]

    def extend(
        self, claims: Iterable[Claim], *, expected_size: int | None = None
    ) -> tuple[Recorded, ...]:
        """Append claims atomically: all are checked first, and one bad claim rejects all.

        Names are resolved to registry ids. With ``expected_size``, the append fails with
        :class:`ConcurrencyError` unless the ledger holds exactly that many records.
        Several bad claims raise :class:`~conflict_ledger.errors.InvalidBatchError`.
        """
        if expected_size is not None and expected_size != len(self._records):
            raise ConcurrencyError(expected=expected_size, actual=len(self._records))
        checked = self.check(claims)
        now = self._clock()
        if self._records and now < self._records[-1].recorded_at:
            now = self._records[-1].recorded_at  # recorded time never runs backwards
        start = len(self._records)
        records = tuple(
            Recorded(position=start + offset, recorded_at=now, claim=claim)
            for offset, claim in enumerate(checked)
        )
        self._records.extend(records)
        self._by_id.update((record.claim.id, record) for record in records)
        return records

    def check(self, claims: Iterable[Claim]) -> tuple[Claim, ...]:
        """Validate claims against the ledger without appending; return them canonical.

        Raises the single error when one claim is bad, or an
        :class:`~conflict_ledger.errors.InvalidBatchError` grouping every problem.
        """
        problems: list[Exception] = []
        accepted: list[Claim] = []
        pending: dict[str, Claim] = {}
        for claim in claims:
            try:
                canonical = self._canonical(claim, pending)
            except LedgerError as error:
                problems.append(error)
                continue
            pending[canonical.id] = canonical
            accepted.append(canonical)
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise InvalidBatchError(
                f"{len(problems)} claims rejected; nothing was appended", problems
            )
        return tuple(accepted)

    def _canonical(self, claim: Claim, pending: Mapping[str, Claim]) -> Claim:
        if not isinstance(claim, Claim):
            raise InvalidClaimError(
                field="claim",
                value=claim,
                problem="not a Claim",
                hint="Build a conflict_ledger.Claim and append that.",
            )
        if claim.id in self._by_id or claim.id in pending:
            raise DuplicateClaimError(claim.id)
        event = _canonical_event(claim.event, self._registries)
        source = _canonical_source(claim.source, self._registries)
        for target_field, target in (
            ("event.target", event.target if isinstance(event, Retraction) else None),
            ("supersedes", claim.supersedes),
        ):
            if target is None:
                continue
            earlier = self._by_id[target].claim if target in self._by_id else pending.get(target)
            if earlier is None:
                raise UnknownClaimError(name=target, field=target_field)
            if isinstance(earlier.event, Retraction):
                raise InvalidClaimError(
                    field=target_field,
                    value=target,
                    claim_id=claim.id,
                    problem="a retraction cannot itself be retracted or superseded",
                    hint="Append a new claim restating what should count.",
                )
            if claim.reported_at < earlier.reported_at:
                raise InvalidClaimError(
                    field="reported_at",
                    value=claim.reported_at.isoformat(),
                    claim_id=claim.id,
                    problem=f"it undoes {target!r}, which was reported later",
                    hint="A retraction or correction is reported at or after what it undoes.",
                )
        if (
            claim.evidence is not None
            and self._registries.documents
            and (claim.evidence.document not in self._registries.documents)
        ):
            raise InvalidClaimError(
                field="evidence.document",
                value=claim.evidence.document,
                claim_id=claim.id,
                problem="the ledger has no document with this SHA-256",
                hint="Register the Document (ledger.register(Document(...))) before citing it.",
            )
        if event is claim.event and source is claim.source:
            return claim
        return attrs.evolve(claim, event=event, source=source)

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Recorded]:
        return iter(tuple(self._records))

    def records(self) -> Sequence[Recorded]:
        """Every record, in ledger order (a read-only view)."""
        return tuple(self._records)

    def since(self, position: int) -> Sequence[Recorded]:
        """The records at ``position`` and after: what a reader that saw ``position`` missed."""
        return tuple(self._records[position:])

    def claims(self) -> tuple[Claim, ...]:
        """Every claim, in ledger order."""
        return tuple(record.claim for record in self._records)

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id."""
        try:
            return self._by_id[claim_id].claim
        except KeyError:
            raise UnknownClaimError(name=claim_id) from None

    def record(self, claim_id: str) -> Recorded:
        """The record (position, recorded time, claim) of this claim id."""
        try:
            return self._by_id[claim_id]
        except KeyError:
            raise UnknownClaimError(name=claim_id) from None

    def quote(self, claim_id: str, text: str) -> tuple[str, ...]:
        """The passages of ``text`` a claim's evidence cites, after checking the hash."""
        evidence = self.claim(claim_id).evidence
        if evidence is None:
            raise InvalidClaimError(
                field="evidence",
                value=None,
                claim_id=claim_id,
                problem="this claim cites no document",
                hint="Quote a claim that has evidence.",
            )
        return evidence.quote(text)

    def __repr__(self) -> str:
        return f"<Ledger of {len(self._records)} claims>"

    def _repr_html_(self) -> str:
        """Jupyter's rich display: a summary and the last claims (see :mod:`conflict_ledger.html`)."""
        from conflict_ledger.html import ledger_html

        return ledger_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's plain-text display: a summary of the ledger."""
        from conflict_ledger.html import ledger_text

        printer.text(ledger_text(self))
