"""How the command line ends: one exit code per kind of outcome, and no traceback ever.

=====  ==========================================================================
code   meaning
=====  ==========================================================================
0      success
1      a user error: a bad or missing file, an unknown place, a bad date or value
2      bad usage: an unknown command or option (argparse prints the usage)
3      integrity: a ledger is damaged, tampered with, or does not extend a checkpoint
4      ``ingest`` rejected some rows (the valid ones were kept, unless ``--strict``)
70     an internal error: a bug in conflict_ledger (EX_SOFTWARE); please report it
130    interrupted (Ctrl-C)
141    standard output was closed early, e.g. piped into ``head`` (128 + SIGPIPE)
=====  ==========================================================================

>>> import io
>>> from conflict_ledger.errors import UnknownPlaceError
>>> err = io.StringIO()
>>> report(UnknownPlaceError(name="Atlantis"), err)
1
>>> err.getvalue()
"conflict-ledger: error: unknown place 'Atlantis'. Register the place in the gazetteer or use one of its ids or aliases.\\n"
>>> report(ZeroDivisionError("division by zero"), io.StringIO())
70
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from conflict_ledger.errors import LedgerError
from conflict_ledger.merkle import ProofError
from conflict_ledger.stores.base import IntegrityError

__all__ = [
    "INTEGRITY",
    "INTERNAL",
    "INTERRUPTED",
    "OK",
    "PIPE_CLOSED",
    "REJECTED_ROWS",
    "USAGE",
    "USER_ERROR",
    "quiet_broken_pipe",
    "report",
]

OK = 0
USER_ERROR = 1
USAGE = 2
INTEGRITY = 3
REJECTED_ROWS = 4
INTERNAL = 70
INTERRUPTED = 130
PIPE_CLOSED = 141

_PREFIX = "conflict-ledger: error: "


def report(error: BaseException, err: TextIO) -> int:
    """Print one clear line (more for a batch) about ``error`` on ``err``; return the code."""
    if isinstance(error, KeyboardInterrupt):
        print("conflict-ledger: interrupted", file=err)
        return INTERRUPTED
    if isinstance(error, IntegrityError | ProofError):
        print(f"{_PREFIX}{error}", file=err)
        return INTEGRITY
    if isinstance(error, LedgerError):
        print(f"{_PREFIX}{error}", file=err)
        return USER_ERROR
    if isinstance(error, UnicodeError):
        print(f"{_PREFIX}a file is not UTF-8 text ({error}). Save it as UTF-8.", file=err)
        return USER_ERROR
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        print(f"{_PREFIX}{where}{error.strerror or error}. Check the path.", file=err)
        return USER_ERROR
    print(
        f"{_PREFIX}internal error ({type(error).__name__}: {error}). This is a bug in "
        "conflict_ledger; please report it with the command you ran "
        "(set CONFLICT_LEDGER_TRACEBACK=1 to see where it happened).",
        file=err,
    )
    return INTERNAL


def quiet_broken_pipe() -> int:
    """Standard output was closed (``| head``): point it at /dev/null so that Python's
    flush at exit raises nothing more, and return :data:`PIPE_CLOSED`."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (captured in tests): nothing will flush to a closed pipe
    return PIPE_CLOSED
