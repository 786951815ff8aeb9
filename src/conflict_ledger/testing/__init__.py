"""A testing kit for your own projections (needs the ``testing`` extra: hypothesis).

Strategies that draw valid claims and ledgers, and :func:`check_projection`, which
checks a projection against every law the as-of engine relies on. Importing this
package registers the strategies with hypothesis, so ``st.from_type(Claim)`` works.

>>> from conflict_ledger.testing import Law, check_projection, ledgers
>>> from hypothesis import strategies as st
>>> from conflict_ledger import Claim
>>> from hypothesis import find
>>> isinstance(find(st.from_type(Claim), lambda claim: True), Claim)
True
"""

from conflict_ledger.testing._extra import MissingExtraError
from conflict_ledger.testing.canonical_form import canonical_form, fingerprint
from conflict_ledger.testing.laws import (
    AnyProjection,
    Law,
    LawNotCheckedWarning,
    LawReport,
    ProjectionLawError,
    Violation,
    check_projection,
    describe_ledger,
    project_as_of,
    stores,
)
from conflict_ledger.testing.strategies import (
    BASE,
    BUILTIN_EVENT_TYPES,
    claims,
    events,
    instants,
    ledgers,
    registries,
    source_chains,
    sources,
    spans,
    valid_times,
)

__all__ = [
    "BASE",
    "BUILTIN_EVENT_TYPES",
    "AnyProjection",
    "Law",
    "LawNotCheckedWarning",
    "LawReport",
    "MissingExtraError",
    "ProjectionLawError",
    "Violation",
    "canonical_form",
    "check_projection",
    "claims",
    "describe_ledger",
    "events",
    "fingerprint",
    "instants",
    "ledgers",
    "project_as_of",
    "registries",
    "source_chains",
    "sources",
    "spans",
    "stores",
    "valid_times",
]
