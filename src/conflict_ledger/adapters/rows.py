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

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from conflict_ledger.claims import Claim
from conflict_ledger.errors import LedgerError
from conflict_ledger.ledger import Ledger
from conflict_ledger.registry import Actor, Place, Source

__all__ = [
    "Candidate",
    "ImportReport",
    "RejectedRowsError",
    "RowError",
    "append_candidates",
    "slug",
]


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
    """Every rejected row of one import, raised together; ``report`` says what was kept."""

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
    """

    path: str
    appended: tuple[str, ...] = ()
    corrections: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    outdated: tuple[str, ...] = ()
    rejected: tuple[RowError, ...] = ()

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

    def summary(self) -> str:
        """One line for a terminal.

        >>> ImportReport(path="x.csv", appended=("a", "b"), corrections=("b",)).summary()
        'x.csv: 2 claims appended (1 correction), 0 unchanged, 0 outdated, 0 rejected'
        """
        return (
            f"{self.path}: {len(self.appended)} claims appended "
            f"({len(self.corrections)} correction{'' if len(self.corrections) == 1 else 's'}), "
            f"{len(self.unchanged)} unchanged, {len(self.outdated)} outdated, "
            f"{len(self.rejected)} rejected"
        )


@attrs.frozen(kw_only=True)
class Candidate:
    """A claim read from one row, before it is appended.

    ``claim.id`` is the dataset's stable key; ``values`` are the places, actors and
    sources the claim names that the ledger may not know yet.
    """

    line: int
    claim: Claim
    values: tuple[Place | Actor | Source, ...] = ()


def _versions(ledger: Ledger) -> dict[str, tuple[Claim, int]]:
    """Latest claim and version count of every key (a claim id without ``#n``)."""
    latest: dict[str, tuple[Claim, int]] = {}
    for claim in ledger.claims():
        key = claim.id.split("#", 1)[0]
        count = latest[key][1] if key in latest else 0
        latest[key] = (claim, count + 1)
    return latest


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
) -> ImportReport:
    """Append ``candidates`` one by one, as corrections where a key was seen before.

    Each append is atomic on its own: a candidate the ledger refuses (an id clash in
    the registries, say) becomes a rejected row and the others go on.

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
    versions = _versions(ledger)
    problems = list(rejected)
    appended: list[str] = []
    corrections: list[str] = []
    unchanged: list[str] = []
    outdated: list[str] = []
    for candidate in candidates:
        claim = candidate.claim
        key = claim.id
        previous = versions.get(key)
        if previous is not None:
            latest, count = previous
            if _same(claim, latest):
                unchanged.append(key)
                continue
            if claim.reported_at < latest.reported_at:
                outdated.append(key)
                continue
            claim = attrs.evolve(claim, id=f"{key}#{count + 1}", supersedes=latest.id)
        try:
            ledger.register(*candidate.values)
            ledger.append(claim)
        except LedgerError as error:
            problems.append(RowError(path=path, line=candidate.line, reason=str(error)))
            continue
        versions[key] = (claim, 1 if previous is None else previous[1] + 1)
        appended.append(claim.id)
        if claim.supersedes is not None:
            corrections.append(claim.id)
    return ImportReport(
        path=path,
        appended=tuple(appended),
        corrections=tuple(corrections),
        unchanged=tuple(unchanged),
        outdated=tuple(outdated),
        rejected=tuple(sorted(problems, key=lambda error: error.line)),
    )
