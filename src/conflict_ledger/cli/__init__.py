"""The ``conflict-ledger`` command line: :func:`main` (:mod:`conflict_ledger.cli.commands`)
parses and runs a command; ``alias``, ``baseline``, ``index`` and ``integrity`` (``keygen``,
``checkpoint``, what ``verify`` adds) are its commands; :mod:`conflict_ledger.cli.exits`
turns every outcome into an exit code and a message, never a traceback.

The top layer of the house: it imports everything below, and nothing imports it.
"""

from conflict_ledger.cli.commands import main

__all__ = ["main"]
