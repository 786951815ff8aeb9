"""Adapters: conflict_ledger in the analyst's tools (pandas, matplotlib, GIS, ACLED, UCDP).

Each adapter is a module of its own and imports its optional library only inside
itself, so ``import conflict_ledger`` never needs pandas or matplotlib:

* :mod:`~conflict_ledger.adapters.geojson` - a snapshot as an RFC 7946 FeatureCollection
  (no extra install).
* :mod:`~conflict_ledger.adapters.pandas` - tidy DataFrames (the ``pandas`` extra).
* :mod:`~conflict_ledger.adapters.acled` and :mod:`~conflict_ledger.adapters.ucdp` -
  import (and export) ACLED and UCDP GED CSV files (no extra install).
* :mod:`~conflict_ledger.adapters.plot` - timeline charts and maps (the ``plot`` extra).

>>> import conflict_ledger.adapters.geojson as geojson
>>> geojson.MEDIA_TYPE
'application/geo+json'
"""
