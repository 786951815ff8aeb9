"""The exception hierarchy: one root, :class:`LedgerError`, and typed leaves.

Every leaf also subclasses the builtin it refines (``ValueError``, ``LookupError``),
carries the offending ``field`` and ``value`` as attributes, and its message says what
to do about it.

>>> try:
...     raise UnknownPlaceError(name="Dayr az-Zor", suggestions=("deir-ez-zor",))
... except LookupError as error:
...     print(error)
unknown place 'Dayr az-Zor'; did you mean: deir-ez-zor? Register the place in the gazetteer or use one of its ids or aliases.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

_E = TypeVar("_E", bound=enum.Enum)

__all__ = [
    "AliasTakenError",
    "DatasetFileError",
    "DuplicateClaimError",
    "EvidenceError",
    "FormatError",
    "InvalidBatchError",
    "InvalidClaimError",
    "InvalidWindowError",
    "LedgerError",
    "LedgerNotFoundError",
    "NaiveDatetimeError",
    "NotALedgerError",
    "ReportedBeforeEventError",
    "SavedIndexWarning",
    "UnknownActorError",
    "UnknownClaimError",
    "UnknownEntryError",
    "UnknownFieldError",
    "UnknownPlaceError",
    "UnknownReferenceError",
    "UnknownSourceError",
    "UnsavedClaimsWarning",
]


class LedgerError(Exception):
    """Root of every error conflict_ledger raises on purpose.

    >>> issubclass(UnknownPlaceError, LedgerError), issubclass(InvalidClaimError, LedgerError)
    (True, True)
    """


class InvalidClaimError(LedgerError, ValueError):
    """A value is not acceptable where it was given.

    >>> error = InvalidClaimError(field="credibility", value=9, problem="credibility is 1 to 6",
    ...                           hint="Use 1 to 6.")
    >>> error.field, error.value, isinstance(error, ValueError)
    ('credibility', 9, True)

    ``field`` names the attribute, ``value`` is what was given, ``hint`` says what to do
    and ``claim_id`` names the claim when one is known.
    """

    def __init__(
        self,
        *,
        field: str,
        value: Any,
        problem: str,
        hint: str,
        claim_id: str | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        self.hint = hint
        self.claim_id = claim_id
        where = f" in claim {claim_id!r}" if claim_id is not None else ""
        super().__init__(f"{field}={value!r}{where}: {problem}. {hint}")

    def for_claim(self, claim_id: str) -> InvalidClaimError:
        """The same error, naming the claim it was found in."""
        error = type(self).__new__(type(self))
        InvalidClaimError.__init__(
            error,
            field=self.field,
            value=self.value,
            problem=self.problem,
            hint=self.hint,
            claim_id=claim_id,
        )
        return error


def one_of(kind: type[_E], field: str) -> Callable[[Any], _E]:
    """A converter to ``kind`` whose refusal is an :class:`InvalidClaimError` naming the
    field, the value and the allowed values (an Enum's own ``ValueError`` names none).

    >>> import enum
    >>> class Verb(enum.Enum):
    ...     TOOK = "took"
    ...     LOST = "lost"
    >>> one_of(Verb, "verb")("took")
    <Verb.TOOK: 'took'>
    >>> one_of(Verb, "verb")("liberated")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidClaimError: verb='liberated': not a Verb. Use one of: lost, took.
    """
    allowed = ", ".join(sorted(str(member.value) for member in kind))

    def convert(value: Any) -> _E:
        if type(value) is kind:
            return value
        try:
            return kind(value)
        except ValueError:
            raise InvalidClaimError(
                field=field,
                value=value,
                problem=f"not a {kind.__name__}",
                hint=f"Use one of: {allowed}.",
            ) from None

    return convert


class NaiveDatetimeError(InvalidClaimError):
    """A datetime without a timezone was given where an instant is required.

    >>> NaiveDatetimeError(field="reported_at", value="2024-12-07T00:00").field
    'reported_at'
    """

    def __init__(self, *, field: str, value: Any) -> None:
        super().__init__(
            field=field,
            value=value,
            problem="a naive datetime has no timezone, so it names no instant",
            hint=(
                "Give an aware datetime or an ISO 8601 string with an offset, "
                "e.g. '2024-12-06T20:00+03:00' or pendulum.datetime(..., tz='Asia/Damascus')."
            ),
        )


class InvalidWindowError(InvalidClaimError):
    """A valid-time window ends before it starts, or its precision does not fit its width.

    >>> issubclass(InvalidWindowError, InvalidClaimError)
    True
    """


class ReportedBeforeEventError(InvalidClaimError):
    """A non-forecast claim was reported before its event could have begun.

    >>> issubclass(ReportedBeforeEventError, ValueError)
    True
    """


class DuplicateClaimError(LedgerError, ValueError):
    """A claim id is already in the ledger (claims are never replaced), or, with
    ``in_batch``, given twice in the batch being appended.

    >>> DuplicateClaimError("dawn/c01").claim_id
    'dawn/c01'
    >>> str(DuplicateClaimError("dawn/c01", in_batch=True)).split(";")[0]
    "claim id 'dawn/c01' is given twice in this batch"
    """

    def __init__(self, claim_id: str, *, in_batch: bool = False) -> None:
        self.claim_id = claim_id
        if in_batch:  # twice in what is being appended, not yet in the ledger
            super().__init__(
                f"claim id {claim_id!r} is given twice in this batch; every claim needs "
                "an id of its own. Give the second another id, or append it later as a "
                f"correction (supersedes={claim_id!r})."
            )
            return
        super().__init__(
            f"claim id {claim_id!r} is already in the ledger; claims are never replaced. "
            "To change what it says, append a new claim with supersedes="
            f"{claim_id!r}, or a Retraction of it."
        )


class AliasTakenError(InvalidClaimError):
    """A new alias already names another entry of the registry: ``owner`` is its id.

    >>> error = AliasTakenError(value="Goma", owner="cd-goma", entry="goma-airport")
    >>> error.owner, error.field
    ('cd-goma', 'aliases')
    >>> print(error)
    aliases='Goma': this name already names 'cd-goma'. Name 'cd-goma' by it, or give 'goma-airport' another spelling.
    """

    def __init__(self, *, value: str, owner: str, entry: str) -> None:
        self.owner = owner
        self.entry = entry
        super().__init__(
            field="aliases",
            value=value,
            problem=f"this name already names {owner!r}",
            hint=f"Name {owner!r} by it, or give {entry!r} another spelling.",
        )


class UnknownReferenceError(LedgerError, LookupError):
    """A claim names a place, actor, source or claim the ledger does not know.

    >>> print(UnknownActorError(name="Kurds fighters", suggestions=("sdf",), field="event.actor"))
    unknown actor 'Kurds fighters' (field event.actor); did you mean: sdf? Register the actor or use one of its ids or aliases.
    """

    kind = "reference"
    remedy = "Register it first."

    def __init__(self, *, name: str, suggestions: Sequence[str] = (), field: str = "") -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        self.field = field
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else "."
        where = f" (field {field})" if field else ""
        super().__init__(f"unknown {self.kind} {name!r}{where}{hint} {self.remedy}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownPlaceError(UnknownReferenceError):
    """No place in the gazetteer has this id or alias.

    >>> isinstance(UnknownPlaceError(name="Atlantis"), LookupError)
    True
    >>> print(UnknownPlaceError(name="Atlantis", field="place"))
    unknown place 'Atlantis' (field place). Register the place in the gazetteer or use one of its ids or aliases.
    """

    kind = "place"
    remedy = "Register the place in the gazetteer or use one of its ids or aliases."


class UnknownActorError(UnknownReferenceError):
    """No actor in the registry has this id or alias.

    >>> UnknownActorError(name="Martians").name
    'Martians'
    """

    kind = "actor"
    remedy = "Register the actor or use one of its ids or aliases."


class UnknownSourceError(UnknownReferenceError):
    """No source in the registry has this id or alias.

    >>> UnknownSourceError(name="AFP").kind
    'source'
    """

    kind = "source"
    remedy = "Register the source or use one of its ids or aliases."


class UnknownEntryError(UnknownReferenceError):
    """No place, actor or source has this id or name (an alias was given to it).

    >>> print(UnknownEntryError(name="homz", suggestions=("homs",), field="of"))
    unknown place, actor or source 'homz' (field of); did you mean: homs? Give the id or a name of an entry the ledger has, or register the entry first.
    """

    kind = "place, actor or source"
    remedy = "Give the id or a name of an entry the ledger has, or register the entry first."


class UnknownClaimError(UnknownReferenceError):
    """A retraction or correction points at a claim id the ledger does not hold.

    >>> UnknownClaimError(name="c9", field="event.target").field
    'event.target'
    """

    kind = "claim"
    remedy = "Point at a claim already in the ledger (retractions follow what they retract)."


class EvidenceError(LedgerError, ValueError):
    """Evidence does not match the document it cites (wrong hash or span out of range).

    >>> issubclass(EvidenceError, ValueError)
    True
    """


class FormatError(LedgerError, ValueError):
    """A line of a claims file could not be read as a record of the documented format.

    ``path`` and ``line`` say where; ``field`` and ``value`` (when known) what; ``claim_id``
    which claim; ``hint`` what to do.

    >>> FormatError(path="claims.jsonl", line=3, problem="not JSON").line
    3
    >>> print(FormatError(path="c.jsonl", line=4, field="modality", value="maybe",
    ...                   problem="not a modality", claim_id="c1",
    ...                   hint="Use one of: asserted, denied, forecast."))
    c.jsonl:4: claim 'c1', field modality='maybe': not a modality. Use one of: asserted, denied, forecast.
    """

    def __init__(
        self,
        *,
        path: str,
        line: int,
        problem: str,
        field: str | None = None,
        value: Any = None,
        claim_id: str | None = None,
        hint: str = "See docs/format.md for the claims file format.",
    ) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        self.field = field
        self.value = value
        self.claim_id = claim_id
        self.hint = hint
        where = f"claim {claim_id!r}, " if claim_id is not None else ""
        if field is not None:
            where += f"field {field}={_short(value)}: "
        elif where:
            where = where[:-2] + ": "
        super().__init__(f"{path}:{line}: {where}{problem}. {hint}")


class UnknownFieldError(FormatError):
    """A record has a field the format does not define: misspelt, or from elsewhere.

    It is refused, never dropped: a misspelt ``modallity`` would otherwise turn a
    forecast into an assertion.

    >>> error = UnknownFieldError(path="c.jsonl", line=2, field="supercedes", value="c1",
    ...                           allowed=("id", "note", "supersedes"))
    >>> error.suggestion
    'supersedes'
    """

    def __init__(
        self,
        *,
        path: str,
        line: int,
        field: str,
        value: Any,
        allowed: Sequence[str],
        claim_id: str | None = None,
    ) -> None:
        import difflib

        name = field.rsplit(".", 1)[-1]
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        self.suggestion = close[0] if close else None
        hint = (
            f"Did you mean {self.suggestion!r}?"
            if self.suggestion
            else f"Allowed here: {', '.join(sorted(allowed))}."
        )
        super().__init__(
            path=path,
            line=line,
            field=field,
            value=value,
            claim_id=claim_id,
            problem="no such field in the format (refused, not dropped)",
            hint=hint,
        )


def _short(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters (a 4,000-digit number, a long text)."""
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        return f"<an integer of more than {limit} digits>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class InvalidBatchError(ExceptionGroup[Exception], LedgerError):
    """Several problems found in one batch, raised together; nothing was written.

    >>> group = InvalidBatchError("2 claims rejected", [DuplicateClaimError("a"), DuplicateClaimError("b")])
    >>> [e.claim_id for e in group.exceptions], isinstance(group, LedgerError)
    (['a', 'b'], True)
    """

    def derive(self, excs: Sequence[Exception]) -> InvalidBatchError:  # type: ignore[override]
        return InvalidBatchError(self.message, list(excs))

    def __str__(self) -> str:
        """The message, then every reason, one a line (not "5 sub-exceptions").

        >>> print(InvalidBatchError("2 claims rejected", [DuplicateClaimError("a"), ValueError("b")]))
        2 claims rejected:
          - claim id 'a' is already in the ledger; ...
          - b
        """
        reasons = "".join(f"\n  - {error}" for error in self.exceptions)
        return f"{self.message}:{reasons}"


class LedgerNotFoundError(LedgerError, FileNotFoundError):
    """No ledger or claims file at the path given; reading never creates one.

    >>> error = LedgerNotFoundError(path="investigaton.sqlite")
    >>> error.path, isinstance(error, FileNotFoundError)
    ('investigaton.sqlite', True)
    >>> print(error)
    investigaton.sqlite: no such file; reading never creates a ledger. Check the path, or open it with create=True to start one (in the CLI: ingest --into or convert).
    """

    def __init__(self, *, path: str, problem: str = "no such file") -> None:
        self.path = path
        super().__init__(
            f"{path}: {problem}; reading never creates a ledger. Check the path, or open "
            "it with create=True to start one (in the CLI: ingest --into or convert)."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class NotALedgerError(LedgerError, ValueError):
    """The path exists but holds no ledger: a directory, an empty or foreign database,
    or a SQLite ledger whose tables were dropped.

    >>> print(NotALedgerError(path="notes", problem="it is a directory"))
    notes: it is a directory; not a ledger. Give the path of a .sqlite, .jsonl or .claims.jsonl ledger file.
    """

    def __init__(
        self,
        *,
        path: str,
        problem: str,
        hint: str = "Give the path of a .sqlite, .jsonl or .claims.jsonl ledger file.",
    ) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}; not a ledger. {hint}")


class DatasetFileError(LedgerError, ValueError):
    """A dataset file as a whole cannot be imported (empty, wrong layout, undecodable).

    One error for the file, never one per row; nothing was written.

    >>> error = DatasetFileError(path="ged.csv", problem="this looks like a UCDP GED file",
    ...                          hint="Pass --kind ucdp.")
    >>> str(error), isinstance(error, ValueError)
    ('ged.csv: this looks like a UCDP GED file. Pass --kind ucdp.', True)
    """

    def __init__(self, *, path: str, problem: str, hint: str, encoding: str | None = None) -> None:
        self.path = path
        self.problem = problem
        self.hint = hint
        self.encoding = encoding
        super().__init__(f"{path}: {problem}. {hint}")


class UnsavedClaimsWarning(UserWarning):
    """A claims file read into memory was changed and closed without being saved.

    A claims file is an exchange file, not a store: what is appended or registered after
    :func:`~conflict_ledger.codec.open_ledger` lives in memory until
    :func:`~conflict_ledger.saving.save_ledger` writes it, so closing the ledger first
    loses it. A warning, not an error: the ledger has closed, and nothing was written.

    >>> str(UnsavedClaimsWarning(path="x.claims.jsonl", changes="1 claim"))[:46]
    'x.claims.jsonl: 1 claim changed in memory and '
    """

    def __init__(self, *, path: str, changes: str) -> None:
        self.path = path
        super().__init__(
            f"{path}: {changes} changed in memory and never saved, now lost. A claims file is "
            "read into memory and written only by save_ledger(ledger, path): call it before "
            "the ledger closes, or record into a .sqlite ledger, which keeps every append."
        )


class SavedIndexWarning(UserWarning):
    """A saved as-of index was not used: it does not fit the ledger (saved from another
    ledger, or by another version of the library, or with other options) or it is
    damaged. The index was built from the records instead, so answers are right; only
    the time to open is lost until the index is saved again.

    >>> print(SavedIndexWarning(path="war.sqlite", problem="it is damaged"))
    war.sqlite: the saved index was not used: it is damaged. It was built from the records instead; save it again (conflict-ledger index war.sqlite, or AsOfIndex.save()) to open fast next time.
    """

    def __init__(self, *, path: str, problem: str | None) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            f"{path}: the saved index was not used: {problem}. It was built from the records "
            f"instead; save it again (conflict-ledger index {path}, or AsOfIndex.save()) "
            "to open fast next time."
        )
