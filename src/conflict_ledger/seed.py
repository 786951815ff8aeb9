"""The seed ledger: every claim in the Dawn article of 7 December 2024, with provenance.

>>> ledger = load_seed()
>>> len(ledger), ledger.claim("dawn-2024-12-07/c04").event.place
(16, 'deir-ez-zor')
"""

from __future__ import annotations

import os
from importlib import resources

from conflict_ledger.codec import read_claims_file
from conflict_ledger.ledger import Clock, Ledger, fixed_clock

__all__ = ["SEED_FILE", "SEED_RECORDED_AT", "load_seed"]

SEED_FILE = "dawn-2024-12-07.claims.jsonl"
"""The seed ledger's file name, in ``seeds/`` and packaged in ``conflict_ledger/data/``."""

SEED_RECORDED_AT = "2024-12-07T12:00:00+00:00"
"""The recorded time the seed's claims get by default, so loads are reproducible."""


def load_seed(path: str | os.PathLike[str] | None = None, *, clock: Clock | None = None) -> Ledger:
    """Load the seed ledger (the packaged copy, or the claims file at ``path``).

    Recorded times come from ``clock``; by default every claim is stamped
    :data:`SEED_RECORDED_AT`, so that two loads give equal ledgers.

    >>> load_seed().claims() == load_seed("seeds/dawn-2024-12-07.claims.jsonl").claims()
    True
    """
    clock = clock or fixed_clock(SEED_RECORDED_AT)
    if path is not None:
        return read_claims_file(path, clock=clock)
    packaged = resources.files("conflict_ledger").joinpath("data", SEED_FILE)
    with resources.as_file(packaged) as file:
        return read_claims_file(file, clock=clock)
