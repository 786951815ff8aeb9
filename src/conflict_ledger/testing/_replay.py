"""Run a projection on ledgers read from stdin and print their fingerprints (hash-seed law).

:func:`conflict_ledger.testing.laws.check_projection` starts this module with
``python -m conflict_ledger.testing._replay`` under different ``PYTHONHASHSEED`` values
and compares what each prints.
"""

from __future__ import annotations

import json
import sys

from conflict_ledger.codec import BUILTIN_EVENTS
from conflict_ledger.testing.canonical_form import fingerprint
from conflict_ledger.testing.laws import _decode_ledger, _load, project_as_of
from conflict_ledger.time import to_instant


def main() -> int:
    """Read the request on stdin, print a JSON list of fingerprints on stdout."""
    request = json.load(sys.stdin)
    sys.path[:] = [*request["path"], *(p for p in sys.path if p not in request["path"])]
    projection = _load(request["projection"])
    event_types = {**BUILTIN_EVENTS}
    event_types.update({kind: _load(path) for kind, path in request["event_types"].items()})
    printed = []
    for case in request["cases"]:
        ledger = _decode_ledger(case["ledger"], event_types=event_types)
        known_at = None if case["known_at"] is None else to_instant(case["known_at"])
        result = project_as_of(projection, ledger, at=to_instant(case["at"]), known_at=known_at)
        printed.append(fingerprint(result))
    json.dump(printed, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
