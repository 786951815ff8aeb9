"""The rules layer: the fold machinery and the rules folded with it.

``fold`` the generic fold helpers (projections, keyed and combined folds), ``territory``
the territorial reducer (one place's status, holder and contenders), ``policies`` how
disagreeing claims about a place are weighed, ``baselines`` the claims that state who
held what when a record starts.

It is pure and may import only the layers below it: time, the values (claims, events,
sources, actors, places, grades, errors) and the ledger and its stores; never the as-of
queries (:mod:`conflict_ledger.asof`), the engine, :mod:`conflict_ledger.queries`, the
display, the adapters or the CLI. The package imports none of its modules; the public
names are re-exported by :mod:`conflict_ledger` (``cl.territory``, ``cl.Status``,
``cl.contest_disagreement``...).
"""
