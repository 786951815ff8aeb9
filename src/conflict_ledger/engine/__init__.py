"""The as-of engine: the answers of :mod:`conflict_ledger.asof`, fast, over a growing ledger.

One door, :class:`AsOfIndex`; everything else in this package is private to it
(``index`` the index itself, ``_intake`` its reading of new records, ``_maps`` and
``_one_place`` its answers about every place and about one, ``_answers`` the lazy
answers, ``_saved`` the index saved with its ledger, ``_places`` one place's compiled
claims and checkpoints, ``_columns`` every place's holder in columns, ``_fastfold`` the
territorial reducer at machine speed, ``_tabulate`` whole snapshots as numpy columns,
``_explain`` the records about each place, for explanations). Users reach it through :mod:`conflict_ledger.queries`
(``cl.snapshot``, ``cl.timeline``, ``cl.explain``), which keeps one index
per ledger; the plain fold in :mod:`conflict_ledger.reference` is the oracle the tests
hold it to.
"""

from conflict_ledger.engine.index import AsOfIndex

__all__ = ["AsOfIndex"]
