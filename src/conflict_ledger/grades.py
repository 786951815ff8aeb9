"""Source grades on the NATO Admiralty scale: reliability A-F belongs to a source.

(Credibility 1-6 belongs to a claim: :class:`conflict_ledger.claims.Credibility`.)

>>> Reliability.B.rank
1
"""

from __future__ import annotations

import enum
from typing import Any

from conflict_ledger.errors import InvalidClaimError

__all__ = ["Reliability", "reliability"]


class Reliability(enum.Enum):
    """How reliable a source is, on the NATO Admiralty scale (A best, F cannot be judged).

    Reliability belongs to the source and may change over time (a
    :class:`~conflict_ledger.events.SourceGraded` claim); credibility belongs to the claim.

    >>> Reliability("B").rank < Reliability("E").rank
    True
    """

    A = "A"
    """Completely reliable."""
    B = "B"
    """Usually reliable."""
    C = "C"
    """Fairly reliable."""
    D = "D"
    """Not usually reliable."""
    E = "E"
    """Unreliable."""
    F = "F"
    """Reliability cannot be judged."""

    @property
    def rank(self) -> int:
        """0 for A (best) to 5 for F: lower is more reliable."""
        return "ABCDEF".index(self.value)


def reliability(value: Any) -> Reliability | None:
    """Read a grade A-F (None stays None), refusing anything else with a typed error.

    >>> reliability("b")
    <Reliability.B: 'B'>
    >>> reliability("G")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidClaimError: reliability='G': reliability is A to F (Admiralty code). ...
    """
    if value is None or isinstance(value, Reliability):
        return value
    try:
        return Reliability(str(value).upper())
    except ValueError:
        raise InvalidClaimError(
            field="reliability",
            value=value,
            problem="reliability is A to F (Admiralty code)",
            hint="Use A (completely reliable) to E (unreliable), or F (cannot be judged).",
        ) from None
