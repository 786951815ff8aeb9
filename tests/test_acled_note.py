"""The round-trip note of an imported ACLED row is the text ``json.dumps`` writes.

The note is built with an encoder made once (a speed-up); a note that differed from the
earlier ``json.dumps`` text would make every row of an earlier import look revised.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.adapters.acled_claims import NoteFields, _note


@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=12), st.text())
def test_the_note_is_json_dumps_text(row: dict[str, str], notes: str) -> None:
    row = {**row, "notes": notes}
    fields = {k: v.strip() for k, v in row.items() if v.strip() and k != "notes"}
    fields |= {"event_date": "2024-12-08", "event_type": "Battles", "sub_event_type": "Attack"}
    meta = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    expected = f"ACLED {meta}\n{notes.strip()}".rstrip()
    assert _note(row, dt.date(2024, 12, 8), ("Battles", "Attack"), {}) == expected


_NAMES = st.sampled_from(
    ["event_id_cnty", "actor1", "notes", "event_date", "sub_event_type", "tags", "zeta", "Ä", 'a"b']
)


@given(
    st.lists(_NAMES, min_size=1, max_size=8),
    st.lists(
        st.lists(st.sampled_from(["", " ", "x", " y ", "é\n", '"q"', "x"]), max_size=10),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([None, "no side", "ünd"]),
)
def test_a_note_made_a_column_at_a_time_is_the_note_of_the_row(
    header: list[str], rows: list[list[str]], undecided: str | None
) -> None:
    """NoteFields (every distinct cell of a column encoded once) writes each row's note as
    _note writes it from the row's dict: padded, truncated and repeated columns too."""
    width = len(header)
    padded = [values + [""] * (width - len(values)) for values in rows]
    day, types = dt.date(2024, 12, 8), ("Battles", "")
    columns = list(zip(*padded, strict=False))
    notes = NoteFields(header, columns, days=[day] * len(rows), types=[types] * len(rows))
    for number, values in enumerate(padded):
        row = dict(zip(header, values, strict=False))
        extra = {} if undecided is None else {"undecided": undecided}
        expected = _note(row, day, types, extra)
        assert notes.note(number, row.get("notes", ""), undecided) == expected
