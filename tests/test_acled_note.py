"""The round-trip note of an imported ACLED row is the text ``json.dumps`` writes.

The note is built with an encoder made once (a speed-up); a note that differed from the
earlier ``json.dumps`` text would make every row of an earlier import look revised.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.adapters.acled_claims import NoteFields, _as_written, _encode_text, _note


@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=12), st.text())
def test_the_note_is_json_dumps_text(row: dict[str, str], notes: str) -> None:
    row = {**row, "notes": notes}
    fields = {k: v.strip() for k, v in row.items() if v.strip() and k != "notes"}
    fields |= {"event_date": "2024-12-08", "event_type": "Battles", "sub_event_type": "Attack"}
    meta = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    expected = f"ACLED {meta}\n{notes.strip()}".rstrip()
    assert _note(row, dt.date(2024, 12, 8), ("Battles", "Attack"), {}) == expected


_NAMES = st.sampled_from(
    [
        "event_id_cnty",
        "actor1",
        "notes",
        "event_date",
        "sub_event_type",
        "tags",
        "zeta",
        "Ä",
        'a"b',
        "%s",
        "aa",
        "undecided",
    ]
)
_CELLS = st.sampled_from(
    ["", " ", "x", " y ", "é\n", '"q"', "x", "a  b", "5%", "%s", "back\\slash", "\xa0nb", "t\tab"]
)


def _columns(header: list[str], rows: list[list[str]]) -> tuple[list[list[str]], list[tuple]]:
    width = len(header)
    padded = [values + [""] * (width - len(values)) for values in rows]
    return padded, list(zip(*padded, strict=False))


@given(
    st.lists(_NAMES, min_size=1, max_size=8),
    st.lists(st.lists(_CELLS, max_size=10), min_size=1, max_size=6),
    st.sampled_from([None, "no side", "ünd"]),
    st.booleans(),
)
def test_a_note_made_a_column_at_a_time_is_the_note_of_the_row(
    header: list[str], rows: list[list[str]], undecided: str | None, same: bool
) -> None:
    """NoteFields (cells JSON writes as they are put in a template, every other distinct
    cell encoded once) writes each row's note as _note writes it from the row's dict:
    padded, truncated, repeated, constant and first columns too, with or without an
    undecided field, and when a day or types did not read (None)."""
    if same:  # every row alike: the columns are constant
        rows = [rows[0]] * len(rows)
    padded, columns = _columns(header, rows)
    day, types = dt.date(2024, 12, 8), ("Battles", "")
    notes = NoteFields(header, columns, days=[day] * len(rows), types=[types] * len(rows))
    last = {name: number for number, name in enumerate(header)}
    texts = notes.texts(columns[last["notes"]] if "notes" in last else [""] * len(rows))
    for number, values in enumerate(padded):
        row = dict(zip(header, values, strict=False))
        extra = {} if undecided is None else {"undecided": undecided}
        expected = _note(row, day, types, extra)
        if notes.usable:  # a file with an undecided column is read row by row
            assert notes.note(number, row.get("notes", ""), undecided) == expected
            if undecided is None:
                assert texts[number] == expected


@given(st.lists(st.lists(_CELLS, min_size=3, max_size=3), min_size=1, max_size=6))
def test_rows_whose_first_field_is_empty_have_no_leading_comma(rows: list[list[str]]) -> None:
    header = ["aa", "actor1", "notes"]  # "aa" sorts first and may be empty
    padded, columns = _columns(header, rows)
    days = [None if n % 2 else dt.date(2024, 1, 2) for n in range(len(rows))]
    kinds: list[tuple[str, str] | None] = [("Battles", "Armed clash")] * len(rows)
    notes = NoteFields(header, columns, days=days, types=kinds)
    texts = notes.texts(columns[2])
    for number, values in enumerate(padded):
        if days[number] is not None:
            row = dict(zip(header, values, strict=False))
            assert texts[number] == _note(row, days[number], kinds[number], {})  # type: ignore[arg-type]


def test_cells_json_writes_as_they_are_are_exactly_the_printable_ones() -> None:
    """_as_written trusts that printable text has no whitespace but the space and nothing
    JSON escapes but quote and backslash: true of every code point."""
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        if char.isprintable():
            assert not char.isspace() or char == " ", hex(point)
            if char not in '"\\':
                assert _encode_text(char) == f'"{char}"', hex(point)
    assert not _as_written(["a", "b "])
    assert not _as_written([" a", "b"])
    assert not _as_written(["a", ""])
    assert not _as_written(['a"'])
    assert _as_written(["a b", "c"])
    assert _as_written(['"q"'], json=False)
