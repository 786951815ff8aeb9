"""The round-trip note of an imported ACLED row is the text ``json.dumps`` writes.

The note is built with an encoder made once (a speed-up); a note that differed from the
earlier ``json.dumps`` text would make every row of an earlier import look revised.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.adapters.acled_claims import _note


@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=12), st.text())
def test_the_note_is_json_dumps_text(row: dict[str, str], notes: str) -> None:
    row = {**row, "notes": notes}
    fields = {k: v.strip() for k, v in row.items() if v.strip() and k != "notes"}
    fields |= {"event_date": "2024-12-08", "event_type": "Battles", "sub_event_type": "Attack"}
    meta = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    expected = f"ACLED {meta}\n{notes.strip()}".rstrip()
    assert _note(row, dt.date(2024, 12, 8), ("Battles", "Attack"), {}) == expected
