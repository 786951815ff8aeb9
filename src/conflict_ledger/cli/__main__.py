"""``python -m conflict_ledger.cli``: the ``conflict-ledger`` command."""

import sys

from conflict_ledger.cli.commands import main

sys.exit(main())
