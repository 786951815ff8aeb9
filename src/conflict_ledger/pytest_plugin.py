"""The testing kit's pytest plugin: ledger fixtures and a hypothesis profile for CI.

pytest loads it by itself once conflict_ledger is installed (entry point ``pytest11``,
name ``conflict_ledger``). It imports nothing optional at start-up, so pytest runs even
without hypothesis; the ``generated_ledger`` fixture then fails with the message naming
the ``testing`` extra. It lives outside :mod:`conflict_ledger.testing` because that
package refuses to import without hypothesis.

Fixtures:

* ``empty_ledger``: an empty ledger with the Syria gazetteer and a fixed clock;
* ``seed_ledger``: the seed ledger (:func:`conflict_ledger.load_seed`);
* ``generated_ledger``: a varied ledger drawn by
  :func:`conflict_ledger.testing.strategies.ledgers`, the same for the same test.

The hypothesis profile ``conflict-ledger-ci`` (:data:`PROFILE`) is registered, not
loaded: choose it with ``pytest --hypothesis-profile=conflict-ledger-ci``.

>>> _empty().registries.places.resolve("Deir el-Zor").id, len(_empty())
('deir-ez-zor', 0)
"""

from __future__ import annotations

import random
import zlib

import pytest

from conflict_ledger.gazetteer import syria
from conflict_ledger.ledger import Ledger, fixed_clock
from conflict_ledger.seed import SEED_RECORDED_AT, load_seed

__all__ = ["PROFILE", "empty_ledger", "generated_ledger", "seed_ledger"]

PROFILE = "conflict-ledger-ci"
"""The name of the hypothesis profile this plugin registers: thorough and reproducible."""


def _register_profile() -> None:
    try:
        from hypothesis import HealthCheck, settings
    except ModuleNotFoundError:
        return
    settings.register_profile(
        PROFILE,
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )


_register_profile()


def _empty() -> Ledger:
    return Ledger(registries=syria(), clock=fixed_clock(SEED_RECORDED_AT))


@pytest.fixture
def empty_ledger() -> Ledger:
    """An empty ledger with the Syria gazetteer, its clock fixed at the seed's recorded time."""
    return _empty()


@pytest.fixture
def seed_ledger() -> Ledger:
    """The seed ledger: the claims of the Dawn article of 7 December 2024."""
    return load_seed()


@pytest.fixture
def generated_ledger(request: pytest.FixtureRequest) -> Ledger:
    """A drawn ledger of 8 to 16 claims with several event types, late reports, rivals,
    retractions and corrections; drawn from the test's id, so a test always gets the same."""
    from hypothesis import Phase, find, settings

    from conflict_ledger.testing import ledgers

    def varied(ledger: Ledger) -> bool:
        kinds = {record.claim.event.kind for record in ledger}
        return len(ledger) >= 8 and len(kinds) >= 3

    strategy = ledgers(
        min_size=8, max_size=16, contested_share=0.2, retracted_share=0.2, late_share=0.2
    )
    seed = zlib.crc32(request.node.nodeid.encode("utf-8"))
    return find(
        strategy,
        varied,
        settings=settings(database=None, phases=[Phase.generate], max_examples=200),
        random=random.Random(seed),
    )
