"""Claims: what a source said happened, with its three clocks and its provenance.

A :class:`Claim` is not a fact. It carries the event it asserts (or denies, forecasts,
or announces as planned), the window in which the event happened (valid time), when the
source said it (reported time), the chain of sources that carried it, and the evidence:
a document's SHA-256 and character spans in it, with a paraphrase in our own words. The
third clock, recorded time, is the ledger's to assign on append.

>>> import pendulum
>>> from conflict_ledger import Captured
>>> claim = Claim(
...     id="example/1",
...     event=Captured(place="deir-ez-zor", actor="sdf", verb="took"),
...     valid=ValidTime.day(pendulum.date(2024, 12, 6), tz="Asia/Damascus"),
...     reported_at="2024-12-07T00:00+05:00",
...     source=SourceChain.of("syrian-sources", "reuters", "dawn"),
... )
>>> claim.modality, claim.source.origin
(<Modality.ASSERTED: 'asserted'>, 'syrian-sources')
"""

from __future__ import annotations

import datetime as _dt
import enum
import hashlib
import re
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from conflict_ledger.errors import (
    EvidenceError,
    InvalidClaimError,
    ReportedBeforeEventError,
    one_of,
)
from conflict_ledger.events import Event
from conflict_ledger.time import ValidTime, to_instant

__all__ = [
    "Claim",
    "Credibility",
    "Document",
    "Evidence",
    "Modality",
    "SourceChain",
    "SourceLink",
    "SourceRole",
    "Span",
    "sha256_text",
]


class Modality(enum.Enum):
    """What the claim does with its event.

    Only ASSERTED events change control. DENIED disputes; FORECAST predicts within the
    valid window (the horizon); PLANNED announces an intention or a promise.

    >>> Modality("forecast")
    <Modality.FORECAST: 'forecast'>
    """

    ASSERTED = "asserted"
    DENIED = "denied"
    FORECAST = "forecast"
    PLANNED = "planned"


class Credibility(enum.IntEnum):
    """How credible the information is, on the NATO Admiralty scale (1 best, 6 unknown).

    >>> Credibility(3)
    <Credibility.POSSIBLY_TRUE: 3>
    """

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6


class SourceRole(enum.Enum):
    """The part a source played in bringing a claim to us.

    >>> SourceRole("carrier")
    <SourceRole.CARRIER: 'carrier'>
    """

    ORIGIN = "origin"
    CARRIER = "carrier"
    PUBLISHER = "publisher"


def _date_or_none(value: Any) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidClaimError(
            field="said_on",
            value=value,
            problem="not an ISO date",
            hint="Write the day the source spoke as YYYY-MM-DD.",
        ) from None


def _role(value: Any) -> SourceRole:
    """``value`` as a SourceRole, or a typed error listing the allowed values."""
    return _ONE_OF_SOURCEROLE(value)


_ONE_OF_SOURCEROLE = one_of(SourceRole, "role")


def _modality(value: Any) -> Modality:
    """``value`` as a Modality, or a typed error listing the allowed values."""
    return _ONE_OF_MODALITY(value)


_ONE_OF_MODALITY = one_of(Modality, "modality")


@attrs.frozen(kw_only=True)
class SourceLink:
    """One source in a chain and the part it played; ``said_on`` when the report says.

    >>> SourceLink(source="reuters", role="carrier").role
    <SourceRole.CARRIER: 'carrier'>
    """

    source: str
    role: SourceRole = attrs.field(converter=_role)
    said_on: _dt.date | None = attrs.field(default=None, converter=_date_or_none)


def _links(value: Iterable[SourceLink]) -> tuple[SourceLink, ...]:
    links = tuple(value)
    if not links:
        raise InvalidClaimError(
            field="source",
            value=links,
            problem="a claim needs at least one source",
            hint="Name who said it, e.g. SourceChain.of('syrian-army-source', 'reuters').",
        )
    return links


@attrs.frozen(kw_only=True)
class SourceChain:
    """Who first said it, who carried it, and where it was published, in that order.

    >>> chain = SourceChain.of("iraqi-security-source", "reuters", "dawn")
    >>> chain.origin, chain.publisher, chain.source_ids()
    ('iraqi-security-source', 'dawn', ('iraqi-security-source', 'reuters', 'dawn'))
    """

    links: tuple[SourceLink, ...] = attrs.field(converter=_links)

    @classmethod
    def of(cls, origin: str, *carriers: str, said_on: _dt.date | None = None) -> SourceChain:
        """A chain from an origin through carriers; the last carrier is the publisher."""
        links = [SourceLink(source=origin, role=SourceRole.ORIGIN, said_on=said_on)]
        for position, source in enumerate(carriers, start=1):
            role = SourceRole.PUBLISHER if position == len(carriers) else SourceRole.CARRIER
            links.append(SourceLink(source=source, role=role))
        return cls(links=links)

    @property
    def origin(self) -> str:
        """The source that first said it: the one that decides independence."""
        return self.links[0].source

    @property
    def publisher(self) -> str:
        """The last link: where we read it."""
        return self.links[-1].source

    def source_ids(self) -> tuple[str, ...]:
        """Every source in the chain, origin first."""
        return tuple(link.source for link in self.links)


def _span_end(instance: Span, attribute: Any, value: int) -> None:
    if instance.start < 0 or value <= instance.start:
        raise InvalidClaimError(
            field="evidence.span",
            value=(instance.start, value),
            problem="a span is 0 <= start < end",
            hint="Give character offsets into the document's text, end exclusive.",
        )


@attrs.frozen(kw_only=True)
class Span:
    """Characters ``[start, end)`` of a document's text (Python string offsets).

    >>> Span(start=0, end=4).slice("Homs is besieged")
    'Homs'
    """

    start: int
    end: int = attrs.field(validator=_span_end)

    def slice(self, text: str) -> str:
        """The characters of ``text`` this span covers."""
        return text[self.start : self.end]


def sha256_text(text: str) -> str:
    """Hex SHA-256 of ``text`` encoded as UTF-8: the id of a document.

    >>> sha256_text("")
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _check_sha(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not _HEX64.match(value):
        raise InvalidClaimError(
            field=attribute.name,
            value=value,
            problem="not a lower-case hex SHA-256",
            hint="Compute it with conflict_ledger.sha256_text(document_text).",
        )


def _spans(value: Iterable[Span]) -> tuple[Span, ...]:
    spans = tuple(value)
    if not spans:
        raise InvalidClaimError(
            field="evidence.spans",
            value=spans,
            problem="evidence needs at least one span",
            hint="Give the character span of the supporting passage.",
        )
    return spans


@attrs.frozen(kw_only=True)
class Evidence:
    """Where in which document a claim is found, and what it says in our own words.

    >>> text = "Kurds took the city."
    >>> evidence = Evidence(document=sha256_text(text), spans=(Span(start=0, end=5),),
    ...                     paraphrase="Kurdish forces captured the city.")
    >>> evidence.quote(text)
    ('Kurds',)
    >>> evidence.quote(text + " (edited)")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.EvidenceError: the text given is not document ... (its SHA-256 is ...); ...
    """

    document: str = attrs.field(validator=_check_sha)
    spans: tuple[Span, ...] = attrs.field(converter=_spans)
    paraphrase: str = ""

    def quote(self, text: str) -> tuple[str, ...]:
        """The passages the spans cover, after checking ``text`` is the cited document."""
        digest = sha256_text(text)
        if digest != self.document:
            raise EvidenceError(
                f"the text given is not document {self.document} (its SHA-256 is {digest}); "
                "pass the exact text the evidence was taken from"
            )
        for span in self.spans:
            if span.end > len(text):
                raise EvidenceError(
                    f"span {span.start}-{span.end} runs past the end of the document "
                    f"({len(text)} characters); the span or the document is wrong"
                )
        return tuple(span.slice(text) for span in self.spans)


def _date(value: Any) -> _dt.date:
    return value if isinstance(value, _dt.date) else _dt.date.fromisoformat(value)


@attrs.frozen(kw_only=True)
class Document:
    """A cited document: its SHA-256 and its citation (title, publication, date).

    >>> Document(sha256=sha256_text("x"), title="T", publication="Dawn", published="2024-12-07").published
    datetime.date(2024, 12, 7)
    """

    sha256: str = attrs.field(validator=_check_sha)
    title: str
    publication: str
    published: _dt.date = attrs.field(converter=_date)
    dateline: str = ""
    carrying: str = ""
    url: str = ""
    file: str = ""


_UTC = pendulum.UTC
_new = object.__new__
_set = object.__setattr__  # what attrs' own __init__ of a frozen class sets fields with

_CLAIM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/#-]*$")


def _check_claim_id(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _CLAIM_ID.match(value):
        raise InvalidClaimError(
            field="id",
            value=value,
            problem="a claim id is letters, digits and . _ : / # -",
            hint="Use something stable such as 'dawn-2024-12-07/c03'.",
        )


def _credibility(value: Any) -> Credibility | None:
    if value is None:
        return None
    try:
        return Credibility(value)
    except ValueError:
        raise InvalidClaimError(
            field="credibility",
            value=value,
            problem="credibility is 1 to 6 (Admiralty code)",
            hint="Use 1 (confirmed) to 6 (cannot be judged), or leave it out.",
        ) from None


def _check_event(instance: object, attribute: attrs.Attribute[Event], value: Event) -> None:
    if not isinstance(value, Event):
        raise InvalidClaimError(
            field="event",
            value=value,
            problem="not an Event",
            hint="Use an event from conflict_ledger.events or subclass Event.",
        )


def _reported_at(value: Any) -> pendulum.DateTime:
    return to_instant(value, field="reported_at")


@attrs.frozen(kw_only=True)
class Claim:
    """What a source said happened: an event, its valid window, its report and provenance.

    A non-forecast claim cannot be reported before its event could have begun:

    >>> from conflict_ledger import Captured
    >>> Claim(id="x/1", event=Captured(place="homs", actor="opposition"),
    ...       valid=ValidTime.exact("2024-12-08T00:00Z"), reported_at="2024-12-07T00:00Z",
    ...       source=SourceChain.of("reuters"))
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.ReportedBeforeEventError: reported_at='2024-12-07T00:00:00+00:00' in claim 'x/1': reported before the event's window begins ...
    """

    id: str = attrs.field(validator=_check_claim_id)
    event: Event = attrs.field(validator=_check_event)
    valid: ValidTime
    reported_at: pendulum.DateTime = attrs.field(converter=_reported_at)
    source: SourceChain
    modality: Modality = attrs.field(default=Modality.ASSERTED, converter=_modality)
    credibility: Credibility | None = attrs.field(default=None, converter=_credibility)
    evidence: Evidence | None = None
    supersedes: str | None = None
    note: str = ""

    @classmethod
    def asserted(
        cls,
        *,
        id: str,
        event: Event,
        valid: ValidTime,
        reported_at: pendulum.DateTime,
        source: SourceChain,
        note: str = "",
    ) -> Claim:
        """An asserted claim whose parts its maker has already checked, made without the
        checks when they would pass anyway; an importer's millions of rows call this.

        ``id`` must match the claim id pattern (it is not checked again here). When
        ``reported_at`` is not already a UTC instant at or after ``valid.start``, or
        ``event`` is not an Event, this is ``Claim(...)`` with every check.

        >>> from conflict_ledger import Captured
        >>> parts = dict(id="x/1", event=Captured(place="homs", actor="opposition"),
        ...              valid=ValidTime.exact("2024-12-08T00:00Z"),
        ...              reported_at=to_instant("2024-12-09T00:00Z"), source=SourceChain.of("reuters"))
        >>> Claim.asserted(**parts) == Claim(**parts)
        True
        """
        if (
            reported_at.__class__ is not pendulum.DateTime
            or reported_at.tzinfo is not _UTC
            or reported_at.fold
            or reported_at < valid.start
            or not isinstance(event, Event)
        ):
            return cls(
                id=id, event=event, valid=valid, reported_at=reported_at, source=source, note=note
            )
        claim = _new(cls)
        _set(claim, "id", id)
        _set(claim, "event", event)
        _set(claim, "valid", valid)
        _set(claim, "reported_at", reported_at)
        _set(claim, "source", source)
        _set(claim, "modality", Modality.ASSERTED)
        _set(claim, "credibility", None)
        _set(claim, "evidence", None)
        _set(claim, "supersedes", None)
        _set(claim, "note", note)
        return claim

    def __attrs_post_init__(self) -> None:
        looks_ahead = self.modality in (Modality.FORECAST, Modality.PLANNED)
        if not looks_ahead and self.reported_at < self.valid.start:
            raise ReportedBeforeEventError(
                field="reported_at",
                value=self.reported_at.isoformat(),
                problem=(
                    f"reported before the event's window begins ({self.valid.start.isoformat()})"
                ),
                hint="Mark it modality='forecast' or 'planned', or correct the window.",
                claim_id=self.id,
            )
        if self.supersedes == self.id:
            raise InvalidClaimError(
                field="supersedes",
                value=self.supersedes,
                problem="a claim cannot supersede itself",
                hint="Point at the earlier claim this one corrects.",
                claim_id=self.id,
            )
