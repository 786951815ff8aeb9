"""A testing kit for projections: hypothesis strategies (needs the ``testing`` extra).

>>> from conflict_ledger.testing import ledgers
"""

from conflict_ledger.testing.strategies import (
    BASE,
    claims,
    events,
    instants,
    ledgers,
    registries,
    sources,
    spans,
    valid_times,
)

__all__ = [
    "BASE",
    "claims",
    "events",
    "instants",
    "ledgers",
    "registries",
    "sources",
    "spans",
    "valid_times",
]
