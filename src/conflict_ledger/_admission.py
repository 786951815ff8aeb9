"""What a claim must pass to enter the ledger: its names resolved to registry ids, its
references (retractions, corrections, evidence) checked against the claims recorded and
the claims of its own batch.

The ledger (:meth:`conflict_ledger.ledger.Ledger.extend` and ``check``) admits every batch
through :func:`admit`; nothing here reads or writes a store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import attrs

from conflict_ledger.claims import Claim, SourceChain
from conflict_ledger.errors import (
    DuplicateClaimError,
    InvalidBatchError,
    InvalidClaimError,
    LedgerError,
    UnknownClaimError,
    UnknownReferenceError,
)
from conflict_ledger.events import Event, Retraction
from conflict_ledger.registry import Registries, Registry

__all__ = ["admit"]


class _Held(Protocol):
    """A recorded claim (``conflict_ledger.ledger.Recorded``), as far as admitting reads it."""

    @property
    def claim(self) -> Claim: ...


def _resolve(registry: Registry[Any], value: str, field: str) -> str:
    try:
        return str(registry.resolve(value).id)
    except UnknownReferenceError as error:
        raise type(error)(name=value, suggestions=error.suggestions, field=field) from None


_NAME_FIELDS: dict[type, tuple[tuple[str, int], ...]] = {}


def _name_fields(kind: type[Event]) -> tuple[tuple[str, int], ...]:
    """An event class's fields that name places (0), actors (1) and sources (2)."""
    found = _NAME_FIELDS.get(kind)
    if found is None:
        found = _NAME_FIELDS[kind] = tuple(
            (name, number)
            for number, names in enumerate(
                (kind.place_fields, kind.actor_fields, kind.source_fields)
            )
            for name in names
        )
    return found


def _canonical_event(event: Event, registries: Registries) -> Event:
    """The event with every place and actor name replaced by its registry id."""
    changes: dict[str, Any] = {}
    kinds = (registries.places, registries.actors, registries.sources)
    for name, number in _name_fields(event.__class__):
        value = getattr(event, name)
        registry: Registry[Any] = kinds[number]
        if value is None or (value.__class__ is str and value in registry):
            continue  # already an id (most imported claims): nothing to resolve
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
    sources = registries.sources
    if all(link.source in sources for link in chain.links):
        return chain  # every link names an id already: the chain is canonical
    links = []
    for index, link in enumerate(chain.links):
        try:
            source_id = registries.sources.resolve(link.source).id
        except UnknownReferenceError as error:
            raise type(error)(
                name=link.source, suggestions=error.suggestions, field=f"source[{index}]"
            ) from None
        links.append(link if source_id == link.source else attrs.evolve(link, source=source_id))
    if all(new is old for new, old in zip(links, chain.links, strict=True)):
        return chain  # already canonical: keep the (possibly shared) chain
    return SourceChain(links=links)


def admit(
    claims: Iterable[Claim], registries: Registries, recorded: Callable[[], Mapping[str, _Held]]
) -> tuple[Claim, ...]:
    """The claims as the ledger would append them: names resolved to ids, every reference
    checked against ``registries`` and the claims already ``recorded`` (by id, asked for
    only when a claim is checked), and against each other.

    Raises the one error when one claim is bad, or an
    :class:`~conflict_ledger.errors.InvalidBatchError` grouping every problem.

    >>> from conflict_ledger.seed import load_seed
    >>> ledger = load_seed()
    >>> claim = ledger.claim("dawn-2024-12-07/c04")
    >>> admit([claim], ledger.registries, dict)[0] == claim
    True
    >>> admit([claim], ledger.registries, lambda: {claim.id: ledger.record(claim.id)})
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.DuplicateClaimError: ...
    """
    problems: list[Exception] = []
    accepted: list[Claim] = []
    pending: dict[str, Claim] = {}
    chains: dict[int, tuple[SourceChain, SourceChain]] = {}  # an import shares its chains
    for claim in claims:
        try:
            canonical = _canonical(claim, registries, recorded, pending, chains)
        except LedgerError as error:
            problems.append(error)
            continue
        pending[canonical.id] = canonical
        accepted.append(canonical)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InvalidBatchError(f"{len(problems)} claims rejected; nothing was appended", problems)
    return tuple(accepted)


def _canonical(
    claim: Claim,
    registries: Registries,
    recorded: Callable[[], Mapping[str, _Held]],
    pending: Mapping[str, Claim],
    chains: dict[int, tuple[SourceChain, SourceChain]],
) -> Claim:
    if not isinstance(claim, Claim):
        raise InvalidClaimError(
            field="claim",
            value=claim,
            problem="not a Claim",
            hint="Build a conflict_ledger.Claim and append that.",
        )
    by_id = recorded()
    if claim.id in by_id:
        raise DuplicateClaimError(claim.id)
    if claim.id in pending:
        raise DuplicateClaimError(claim.id, in_batch=True)
    event = _canonical_event(claim.event, registries)
    known = None if chains is None else chains.get(id(claim.source))
    if known is not None and known[0] is claim.source:
        source = known[1]  # the same chain object, canonical once per batch
    else:
        source = _canonical_source(claim.source, registries)
        if chains is not None:
            chains[id(claim.source)] = (claim.source, source)
    for target_field, target in (
        ("event.target", event.target if isinstance(event, Retraction) else None),
        ("supersedes", claim.supersedes),
    ):
        if target is None:
            continue
        earlier = by_id[target].claim if target in by_id else pending.get(target)
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
        and registries.documents
        and (claim.evidence.document not in registries.documents)
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
