"""The display layer: answers as text (``render``) and as HTML (``html``).

Each module registers its renderers in :mod:`conflict_ledger._display` when imported,
which ``import conflict_ledger`` does; the answer types below never import this package.
It may import every layer below it (rules, the engine, the as-of queries,
:mod:`conflict_ledger.queries`), never the adapters or the CLI.

This ``__init__`` imports none of its modules: :mod:`conflict_ledger.asof` imports the
registry, and importing the renderers from here would make an import circle.
"""
