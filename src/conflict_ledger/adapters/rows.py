"""Importing rows of a dataset: rejected rows reported together, re-imports that never duplicate.

Importers (ACLED, UCDP, a DataFrame) turn each row into a :class:`Candidate`: a claim
whose id is the dataset's stable key (``acled/SYR1234``), the places, actors and
sources it needs, and the line it came from. :func:`append_candidates` then appends
each one to a ledger, as an append-only ledger must:

* a row never seen becomes a claim with the key as its id;
* a row whose claim is equal to the latest version of its key is *unchanged* and
  skipped, so importing the same file twice appends nothing;
* a row that differs and is reported later is a *correction*: a new claim
  ``<key>#<n>`` that ``supersedes`` the latest version;
* a row that differs but is reported earlier than the latest version is *outdated*
  and skipped (an older export imported after a newer one).

Rows that cannot be read are :class:`RowError` values with their line number and
reason; the import goes on, and every rejection is in the report, which raises them
all at once as a :class:`RejectedRowsError` (an ExceptionGroup) when asked.

>>> error = RowError(path="events.csv", line=7, field="event_date", value="31/02/2024",
...                  reason="not a date")
>>> print(error)
events.csv:7: event_date='31/02/2024': not a date
>>> report = ImportReport(path="events.csv", rejected=(error,))
>>> report.raise_if_rejected()
Traceback (most recent call last):
...
conflict_ledger.adapters.rows.RejectedRowsError: events.csv: 1 row rejected; the other rows were kept (1 sub-exception)
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from pathlib import Path
from typing import IO, Any

import attrs

from conflict_ledger.claims import Claim
from conflict_ledger.errors import LedgerError
from conflict_ledger.ledger import Ledger
from conflict_ledger.registry import (
    Actor,
    ActorKind,
    Coordinates,
    Place,
    PlaceKind,
    Registries,
    Source,
    SourceKind,
    normalise_name,
)

__all__ = [
    "Candidate",
    "ImportReport",
    "Registrar",
    "RejectedRowsError",
    "RowError",
    "RowProblem",
    "append_candidates",
    "collect_rows",
    "open_csv",
    "slug",
    "source_name",
]


def source_name(source: str | os.PathLike[str] | IO[str]) -> str:
    """The name rejected rows are reported under: a path, or a stream's ``name``.

    >>> source_name("events.csv"), source_name(io.StringIO())
    ('events.csv', '<stream>')
    """
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


def open_csv(source: str | os.PathLike[str] | IO[str], *, what: str) -> tuple[IO[str], str]:
    """A CSV source as a text stream (a path is read whole, a BOM dropped) and its name;
    a missing file says which ``what`` to give instead.

    >>> open_csv("nowhere.csv", what="an ACLED CSV export")
    Traceback (most recent call last):
    ...
    FileNotFoundError: nowhere.csv: no such file; give the path of an ACLED CSV export
    """
    name = source_name(source)
    if isinstance(source, str | os.PathLike):
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise FileNotFoundError(f"{name}: no such file; give the path of {what}") from None
        return io.StringIO(text, newline=""), name
    return source, name


def slug(name: str) -> str:
    """A registry id made from a dataset's name: lower-case ASCII words joined by '-'.

    >>> slug("Military Forces of Syria (2000-2024)")
    'military-forces-of-syria-2000-2024'
    >>> slug("Dayr az-Zawr")
    'dayr-az-zawr'
    """
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^0-9a-z]+", " ", ascii_only.casefold()).split()
    return "-".join(words) or "unnamed"


class RowError(LedgerError, ValueError):
    """One row of an imported file that could not become a claim, and why.

    ``line`` is the 1-based line of the file (the header is line 1), ``field`` and
    ``value`` the column and text at fault when one is.

    >>> RowError(path="ged.csv", line=3, reason="best is a whole number", field="best").line
    3
    """

    def __init__(
        self, *, path: str, line: int, reason: str, field: str | None = None, value: Any = None
    ) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        self.field = field
        self.value = value
        where = f"{field}={value!r}: " if field is not None else ""
        super().__init__(f"{path}:{line}: {where}{reason}")


class RejectedRowsError(ExceptionGroup[RowError], LedgerError):
    """Every rejected row of one import, raised together; ``report`` says what was kept.

    >>> group = RejectedRowsError("2 rows rejected", [RowError(path="x", line=2, reason="a"),
    ...                                               RowError(path="x", line=5, reason="b")])
    >>> [error.line for error in group.exceptions], isinstance(group, ExceptionGroup)
    ([2, 5], True)
    """

    report: ImportReport | None = None

    def derive(self, excs: Sequence[RowError]) -> RejectedRowsError:  # type: ignore[override]
        derived = RejectedRowsError(self.message, list(excs))
        derived.report = self.report
        return derived


@attrs.frozen(kw_only=True)
class ImportReport:
    """What an import did: claims appended, corrections among them, rows skipped or rejected.

    ``appended`` are the new claim ids in order; ``corrections`` the subset that
    supersede an earlier version; ``unchanged`` and ``outdated`` the keys of rows
    skipped (see the module docstring); ``rejected`` the rows that could not be read.

    >>> ImportReport(path="x.csv", appended=("acled/SYR1",)).raise_if_rejected() is None
    True
    """

    path: str
    appended: tuple[str, ...] = ()
    corrections: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    outdated: tuple[str, ...] = ()
    rejected: tuple[RowError, ...] = ()
    undecided: tuple[str, ...] = ()
    """Claims imported as moving no holder because the row does not say who gained."""
    duplicates: tuple[str, ...] = ()
    """Rows of one event found more than once in the file, naming their lines."""
    flagged: tuple[str, ...] = ()
    """Claims kept with a flag (a UCDP source date before the event's start)."""
    in_utc: tuple[tuple[str, int], ...] = ()
    """(country, rows) whose calendar days were read in UTC, as no local zone was found
    for them (an ACLED import without ``tz``)."""

    def raise_if_rejected(self) -> None:
        """Raise every rejected row at once as a :class:`RejectedRowsError`, if there is one."""
        if not self.rejected:
            return
        count = len(self.rejected)
        noun = "row" if count == 1 else "rows"
        error = RejectedRowsError(
            f"{self.path}: {count} {noun} rejected; the other rows were kept", list(self.rejected)
        )
        error.report = self
        raise error

    def summary(self, *, written: bool = True) -> str:
        """One line for a terminal (``written=False``: a strict import that wrote
        nothing, whose claims were read, not appended).

        >>> ImportReport(path="x.csv", appended=("a", "b"), corrections=("b",)).summary()
        'x.csv: 2 claims appended (1 correction), 0 unchanged, 0 outdated, 0 rejected'
        >>> ImportReport(path="x.csv", appended=("a",), in_utc=(("Atlantis", 1),)).summary()
        'x.csv: 1 claims appended (0 corrections), 0 unchanged, 0 outdated, 0 rejected, 1 read in UTC'
        >>> ImportReport(path="x.csv", appended=("a",)).summary(written=False)
        'x.csv: 1 claims read (0 corrections), 0 unchanged, 0 outdated, 0 rejected; nothing written (--strict: a row was rejected)'
        """
        more = "".join(
            f", {len(items)} {label}"
            for items, label in (
                (self.undecided, "undecided"),
                (self.duplicates, "duplicated"),
                (self.flagged, "flagged"),
            )
            if items
        )
        if self.in_utc:
            more += f", {sum(count for _, count in self.in_utc)} read in UTC"
        return (
            f"{self.path}: {len(self.appended)} claims {'appended' if written else 'read'} "
            f"({len(self.corrections)} correction{'' if len(self.corrections) == 1 else 's'}), "
            f"{len(self.unchanged)} unchanged, {len(self.outdated)} outdated, "
            f"{len(self.rejected)} rejected{more}"
            + ("" if written else "; nothing written (--strict: a row was rejected)")
        )


@attrs.frozen(kw_only=True)
class Candidate:
    """A claim read from one row, before it is appended.

    ``claim.id`` is the dataset's stable key; ``values`` are the places, actors and
    sources the claim names that the ledger may not know yet.

    >>> import conflict_ledger as cl
    >>> claim = cl.load_seed().claim("dawn-2024-12-07/c04")
    >>> Candidate(line=2, claim=claim).values
    ()
    """

    line: int
    claim: Claim
    values: tuple[Place | Actor | Source, ...] = ()


class RowProblem(Exception):  # noqa: N818 - raised and caught inside a row reader
    """A field of one row that cannot be read; :func:`collect_rows` turns it into a RowError.

    >>> RowProblem("event_date", "31/02/2015", "not a date").field
    'event_date'
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.field, self.value, self.reason = field, value, reason


def collect_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    *,
    path: str,
    read: Callable[[Mapping[str, str]], tuple[Claim, tuple[Place | Actor | Source, ...]]],
) -> tuple[tuple[Candidate, ...], tuple[RowError, ...]]:
    """Read every row with ``read``; keep each good row as a candidate and report every
    bad one, with its line, at once (nothing valid is lost to a bad row).

    >>> def read(row):
    ...     raise RowProblem("year", row["year"], "not a year")
    >>> candidates, rejected = collect_rows([(2, {"year": "x"})], path="d.csv", read=read)
    >>> candidates, str(rejected[0])
    ((), "d.csv:2: year='x': not a year")
    """
    candidates: list[Candidate] = []
    rejected: list[RowError] = []
    for line, row in rows:
        try:
            claim, values = read(row)
        except RowProblem as problem:
            rejected.append(
                RowError(
                    path=path,
                    line=line,
                    field=problem.field,
                    value=problem.value,
                    reason=problem.reason,
                )
            )
            continue
        except LedgerError as error:
            rejected.append(RowError(path=path, line=line, reason=str(error)))
            continue
        candidates.append(Candidate(line=line, claim=claim, values=values))
    return tuple(candidates), tuple(rejected)


class Registrar:
    """Resolves a file's names to registry ids, making the places, actors and sources it lacks.

    Names the ``registries`` know resolve to their ids; a new name becomes a new value
    (id :func:`slug` of the name, numbered if taken), made once per file: later rows
    naming it get the same id. Each method returns the id and the value to register
    (None when the registries already hold it).

    >>> from conflict_ledger.gazetteer import syria
    >>> names = Registrar(syria())
    >>> names.place("Deir el-Zor", "", "", kind=PlaceKind.CITY, coordinates_source="ACLED")
    ('deir-ez-zor', None)
    >>> names.place("Umm Batna", "33.12", "35.85", kind=PlaceKind.TOWN, coordinates_source="ACLED")[1].coordinates
    Coordinates(lat=33.12, lon=35.85)
    >>> names.actor("Syrian Kurds", ActorKind.ARMED_GROUP)
    ('sdf', None)
    """

    def __init__(self, registries: Registries) -> None:
        self.registries = registries
        self.made: dict[tuple[str, str], Place | Actor | Source] = {}
        # plain dicts of every name: a miss costs a lookup, not a "did you mean" search
        self._names: dict[str, dict[str, str]] = {}

    def _index(self, kind: str) -> dict[str, str]:
        if kind not in self._names:
            registry: Any = {
                "place": self.registries.places,
                "actor": self.registries.actors,
                "source": self.registries.sources,
            }[kind]
            index: dict[str, str] = {}
            for entry in registry:
                for name in (entry.id, entry.name, *entry.aliases):
                    index.setdefault(normalise_name(name), entry.id)
            self._names[kind] = index
        return self._names[kind]

    def _known(self, kind: str, name: str) -> str | None:
        key = normalise_name(name)
        known = self._index(kind).get(key)
        if known is not None:
            return known
        made = self.made.get((kind, key))
        return None if made is None else made.id

    def _taken(self, kind: str, id: str) -> bool:
        registry: Any = {
            "place": self.registries.places,
            "actor": self.registries.actors,
            "source": self.registries.sources,
        }[kind]
        return id in registry or any(k == kind and v.id == id for (k, _), v in self.made.items())

    def _fresh(self, kind: str, name: str) -> str:
        base = slug(name)
        candidate, number = base, 1
        while self._taken(kind, candidate):
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def place(
        self, name: str, lat: str, lon: str, *, kind: PlaceKind, coordinates_source: str
    ) -> tuple[str, Place | None]:
        """The id of the place called ``name``, and a new Place of ``kind`` at ``lat``/``lon``
        (decimal degrees as text) if the registries do not know it."""
        known = self._known("place", name)
        if known is not None:
            return known, self._value("place", name)
        if not lat.strip() or not lon.strip():
            raise ValueError(f"the place {name!r} is new and the row gives no latitude/longitude")
        place = Place(
            id=self._fresh("place", name),
            name=name,
            kind=kind,
            coordinates=Coordinates(lat=float(lat), lon=float(lon)),
            coordinates_source=coordinates_source,
        )
        self.made[("place", normalise_name(name))] = place
        return place.id, place

    def actor(self, name: str, kind: ActorKind) -> tuple[str, Actor | None]:
        """The id of the actor called ``name``, and the new Actor of ``kind`` if it is new."""
        known = self._known("actor", name)
        if known is not None:
            return known, self._value("actor", name)
        actor = Actor(id=self._fresh("actor", name), name=name, kind=kind)
        self.made[("actor", normalise_name(name))] = actor
        return actor.id, actor

    def source(self, name: str) -> tuple[str, Source | None]:
        """The id of the source called ``name``; a new one is registered as a newspaper."""
        known = self._known("source", name)
        if known is not None:
            return known, self._value("source", name)
        source = Source(id=self._fresh("source", name), name=name, kind=SourceKind.NEWSPAPER)
        self.made[("source", normalise_name(name))] = source
        return source.id, source

    def _value(self, kind: str, name: str) -> Any:
        return self.made.get((kind, normalise_name(name)))


def _versions(ledger: Ledger, keys: Iterable[str]) -> dict[str, tuple[Claim, int]]:
    """The latest claim and the version count of each of ``keys`` the ledger holds (a
    row's claim id; its corrections are ``key#2``, ``key#3``...): looked up by id, a
    round a version, so that a big ledger's other claims are not read."""
    latest: dict[str, tuple[Claim, int]] = {}
    asked = {key: key for key in keys}  # the id looked up -> its key
    count = 1
    while asked:
        found = ledger.records_of(asked, missing_ok=True)
        for claim_id, record in found.items():
            latest[asked[claim_id]] = (record.claim, count)
        count += 1
        asked = {f"{asked[claim_id]}#{count}": asked[claim_id] for claim_id in found}
    return latest


def _append_batch(ledger: Ledger, ready: Sequence[Candidate]) -> list[Claim] | None:
    """Append every candidate at once (one registry update, one batch), or nothing."""
    named = [*chain.from_iterable(candidate.values for candidate in ready)]
    distinct = dict(zip(map(id, named), named, strict=True)).values()  # rows share values
    values: dict[tuple[type, str], Place | Actor | Source] = {}
    for value in distinct:  # the first of each kind and id, in the order first named
        values.setdefault((type(value), value.id), value)
    try:
        ledger.register(*values.values())
        ledger.extend(c.claim for c in ready)
    except LedgerError:
        return None
    return [c.claim for c in ready]


def _same(new: Claim, old: Claim) -> bool:
    return (
        attrs.evolve(new, id=old.id, supersedes=old.supersedes, reported_at=old.reported_at) == old
    )


def append_candidates(
    ledger: Ledger,
    candidates: Iterable[Candidate],
    *,
    path: str,
    rejected: Iterable[RowError] = (),
    same: Callable[[Claim, Claim], bool] | None = None,
) -> ImportReport:
    """Append ``candidates``, as corrections where a key was seen before.

    ``same(new, latest)`` says when a row is unchanged (default: equal claims but for
    the report time). The new values and claims are appended in one batch; if the
    ledger refuses the batch, each candidate is appended on its own, and one it
    refuses (an id clash in the registries, say) becomes a rejected row while the
    others go on.

    >>> import conflict_ledger as cl
    >>> from conflict_ledger.gazetteer import syria
    >>> ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-08T00:00Z"))
    >>> claim = cl.Claim(id="feed/1", event=cl.Holds(place="homs", actor="syrian-government"),
    ...                  valid=cl.ValidTime.exact("2024-12-05T00:00Z"),
    ...                  reported_at="2024-12-05T00:00Z", source=cl.SourceChain.of("feed"))
    >>> feed = cl.Source(id="feed", name="Feed", kind="dataset")
    >>> append_candidates(ledger, [Candidate(line=2, claim=claim, values=(feed,))], path="feed").appended
    ('feed/1',)
    >>> again = append_candidates(ledger, [Candidate(line=2, claim=claim)], path="feed")
    >>> again.appended, again.unchanged
    ((), ('feed/1',))
    >>> moved = attrs.evolve(claim, event=cl.Holds(place="homs", actor="opposition"),
    ...                      reported_at="2024-12-06T00:00Z")
    >>> append_candidates(ledger, [Candidate(line=2, claim=moved)], path="feed").corrections
    ('feed/1#2',)
    >>> ledger.claim("feed/1#2").supersedes
    'feed/1'
    """
    candidates = list(candidates)
    versions = _versions(ledger, {candidate.claim.id for candidate in candidates})
    is_same = same or _same
    problems = list(rejected)
    unchanged: list[str] = []
    outdated: list[str] = []
    ready: list[Candidate] = []
    for candidate in candidates:
        claim = candidate.claim
        key = claim.id
        previous = versions.get(key)
        if previous is not None:
            latest, count = previous
            if is_same(claim, latest):
                unchanged.append(key)
                continue
            if claim.reported_at < latest.reported_at:
                outdated.append(key)
                continue
            claim = attrs.evolve(claim, id=f"{key}#{count + 1}", supersedes=latest.id)
            candidate = attrs.evolve(candidate, claim=claim)
        versions[key] = (claim, 1 if previous is None else previous[1] + 1)
        ready.append(candidate)
    done = _append_batch(ledger, ready)
    if done is None:
        done = []
        for candidate in ready:
            try:
                ledger.register(*candidate.values)
                ledger.append(candidate.claim)
            except LedgerError as error:
                problems.append(RowError(path=path, line=candidate.line, reason=str(error)))
                continue
            done.append(candidate.claim)
    appended = [claim.id for claim in done]
    corrections = [claim.id for claim in done if claim.supersedes is not None]
    return ImportReport(
        path=path,
        appended=tuple(appended),
        corrections=tuple(corrections),
        unchanged=tuple(unchanged),
        outdated=tuple(outdated),
        rejected=tuple(sorted(problems, key=lambda error: error.line)),
    )
