"""The columnar reader of wide ACLED files writes the ledger the row-by-row reader writes.

``read_wide`` (adapters.acled_columns) reads each distinct cell once and makes most
claims from what is already known; rows with a bad cell, merged events and files it
cannot take go row by row (``RowReader.read``). The oracle here is the row-by-row
reader itself, forced by asking for a column no file has: the same exports, clean and
spoilt (bad dates and precisions, padded and NA cells, missing actors, repeated ids,
territorial rows with either side first), must give the same Merkle roots, records,
registries and report, in any row order. (``benchmarks/check_import_same.py`` compares
with an earlier checkout in the same way.)
"""

from __future__ import annotations

import csv
import io
import random

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.adapters import acled
from conflict_ledger.adapters.acled import CURRENT_COLUMNS, import_acled
from conflict_ledger.adapters.rows import ImportReport
from conflict_ledger.gazetteer import syria
from conflict_ledger.registry import normalise_name

ACTORS = [
    ("Military Forces of Syria (2000-2024)", "State forces"),
    ("HTS: Hayat Tahrir al Sham", "Rebel group"),
    ("SDF: Syrian Democratic Forces", "Identity militia"),
    ("Military Forces of Turkey (2016-)", "External/Other forces"),
    ("Local Militia 1 (Syria)", "Identity militia"),
    ("Local Militia 1 (Syria)", "3"),
    ("Local-Militia 1 Syria", "Political militia"),  # the same slug as the one above
]
KINDS = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Battles", "Government regains territory"),
    ("Strategic developments", "Non-violent transfer of territory"),
    ("Strategic developments", "Headquarters or base established"),
    ("Battle-Government regains territory", ""),
]
PLACES = [
    ("Aleppo", "36.2000", "37.1600"),
    ("Hama", "35.1300", "36.7500"),
    ("Tal Rif 7", "33.1000", "36.1000"),
    ("Tal Rif 7", "35.9000", "40.1000"),  # a same-name place elsewhere
    ("Tal-Rif 7", "34.0000", "38.0000"),
]
SPOILS = [
    ("event_date", "31/02/2023"),
    ("event_date", ""),
    ("year", "1999"),
    ("time_precision", "4"),
    ("time_precision", "2.0"),
    ("geo_precision", "5"),
    ("geo_precision", "3"),
    ("actor1", "  "),
    ("actor2", "NA"),
    ("fatalities", "3.0"),
    ("fatalities", "many"),
    ("timestamp", "2024-01-02T03:04:05Z"),
    ("timestamp", "soon"),
    ("timestamp", ""),
    ("location", " Aleppo "),
    ("location", ""),
    ("latitude", "north"),
    ("event_type", ""),
    ("notes", "  padded  "),
    ("source", "Source 1;  ; Source 1"),
    ("event_id_cnty", "SYR 7/x"),
    ("event_id_cnty", "SYR1"),
    ("event_id_cnty", ""),
    ("inter1", "8"),
]


def export(rows: int, seed: int, *, spoilt: float = 0.0) -> str:
    """A synthetic current-layout export; ``spoilt`` of its rows with one odd cell."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CURRENT_COLUMNS)
    for number in range(rows):
        (a1, i1), (a2, i2) = rng.sample(ACTORS, 2)
        etype, sub = rng.choice(KINDS)
        location, lat, lon = rng.choice(PLACES)
        date = f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        row = dict.fromkeys(CURRENT_COLUMNS, "")
        row.update(
            event_id_cnty=f"SYR{number}",
            event_date=date,
            year=date[:4],
            time_precision=rng.choice("1112"),
            disorder_type=rng.choice(["Political violence", ""]),
            event_type=etype,
            sub_event_type=sub,
            actor1=a1,
            inter1=i1,
            actor2=a2 if rng.random() < 0.8 else "",
            inter2=i2,
            country="Syria",
            admin1="Hama",
            location=location,
            latitude=lat,
            longitude=lon,
            geo_precision=rng.choice("1112"),
            source="; ".join(f"Source {n}" for n in rng.sample(range(6), rng.randint(1, 2))),
            notes=rng.choice(["", f"{a1} took {location}.", f"{a2} withdrew from {location}."]),
            fatalities=str(rng.randint(0, 3)),
            timestamp=str(1730000000 + rng.randint(0, 3) * 86400),
        )
        if rng.random() < spoilt:
            column, value = rng.choice(SPOILS)
            row[column] = value
        writer.writerow(row.values())
    return out.getvalue()


def _shuffled(text: str, seed: int) -> str:
    head, *rows = text.splitlines(keepends=True)
    random.Random(seed).shuffle(rows)
    return head + "".join(rows)


def _import(text: str, **options: object) -> tuple[cl.Ledger, ImportReport]:
    ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2025-06-01T00:00Z"))
    report = import_acled(ledger, io.StringIO(text), name="x.csv", **options)  # type: ignore[arg-type]
    return ledger, report


def _same(text: str, **options: object) -> None:
    fast_ledger, fast = _import(text, **options)
    with pytest.MonkeyPatch.context() as patch:  # a column no file has: every row row by row
        patch.setattr(acled, "WIDE_NEEDS", (*acled.WIDE_NEEDS, "no such column"))
        slow_ledger, slow = _import(text, **options)
    assert attrs.evolve(fast, rejected=()) == attrs.evolve(slow, rejected=())
    assert [str(error) for error in fast.rejected] == [str(error) for error in slow.rejected]
    assert fast_ledger.checkpoint() == slow_ledger.checkpoint()
    assert [r.claim for r in fast_ledger.records()] == [r.claim for r in slow_ledger.records()]


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    rows=st.integers(1, 120),
    spoilt=st.sampled_from([0.0, 0.1, 0.5]),
    order=st.integers(0, 3),
)
def test_the_columnar_reader_writes_what_the_row_reader_writes(
    seed: int, rows: int, spoilt: float, order: int
) -> None:
    text = export(rows, seed, spoilt=spoilt)
    _same(_shuffled(text, order) if order else text)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"reported_at": "event", "tz": "Asia/Damascus"},
        {"reported_at": "import", "now": "2025-02-01T00:00Z"},
        {"day_first": False},
    ],
)
def test_every_clock_and_zone_gives_the_same_ledger_both_ways(
    options: dict[str, object],
) -> None:
    _same(export(300, 13, spoilt=0.2), **options)


def test_a_bad_row_still_gets_its_typed_error_and_line() -> None:
    text = export(5, 1)
    lines = text.splitlines()
    cells = next(csv.reader([lines[3]]))
    cells[CURRENT_COLUMNS.index("geo_precision")] = "7"
    lines[3] = ",".join(f'"{c}"' for c in cells)
    _, report = _import("\n".join(lines) + "\n")
    (error,) = report.rejected
    assert (error.line, error.field, error.value) == (4, "geo_precision", "7")
    _same("\n".join(lines) + "\n")


def test_progress_counts_every_event_of_a_wide_file() -> None:
    seen: list[tuple[int, int]] = []
    ledger = cl.Ledger(registries=syria())
    import_acled(ledger, io.StringIO(export(12_000, 3)), progress=lambda *a: seen.append(a))
    assert seen == [(5000, 12000), (10000, 12000), (12000, 12000)]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_an_ascii_name_is_normalised_as_through_unicode_decomposition(name: str) -> None:
    """normalise_name skips NFKD for ASCII text; a combining accent added (which sends
    the name the long way, where the accent is dropped) gives the same key."""
    assert normalise_name(name) == normalise_name(name + "\u0301")
