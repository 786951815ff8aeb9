"""The reference oracle: the plain fold, which the engine and the door are held to.

Every answer here folds the ledger from scratch, exactly as the rules in
:mod:`conflict_ledger.asof` state them: slow, simple, and the definition of right. Users
call ``cl.snapshot`` (:mod:`conflict_ledger.queries`); tests and the testing kit compare
it with these.

>>> from conflict_ledger.seed import load_seed
>>> snapshot(load_seed(), at="2024-12-07T00:00Z")["deir-ez-zor"].holder
'sdf'
"""

from conflict_ledger.asof import (
    diff,
    effective_claims,
    explain,
    fold_as_of,
    place_claims,
    snapshot,
    timeline,
)

__all__ = [
    "diff",
    "effective_claims",
    "explain",
    "fold_as_of",
    "place_claims",
    "snapshot",
    "timeline",
]
