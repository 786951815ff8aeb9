"""UCDP GED import on synthetic fixture files."""

from __future__ import annotations

import csv
import datetime
import io
import os
import runpy
import shutil
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.adapters.dataset import DatasetEvent
from conflict_ledger.adapters.ucdp import DATE_PRECISIONS, import_ucdp
from conflict_ledger.gazetteer import syria

DATA = Path(__file__).parent / "data" / "ucdp"


def _ledger() -> cl.Ledger:
    return cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-20T00:00Z"))


def test_dates_and_precision_make_the_valid_window() -> None:
    ledger = _ledger()
    report = import_ucdp(ledger, DATA / "ged_sample.csv")
    assert report.rejected == ()
    expected = {
        "ucdp/900001": ("2024-12-06T00:00Z", "2024-12-07T00:00Z", cl.Precision.DAY),
        # date_prec 2 over four days: no week, four days
        "ucdp/900002": ("2024-12-03T00:00Z", "2024-12-07T00:00Z", cl.Precision.DAYS),
        "ucdp/900003": ("2024-11-01T00:00Z", "2024-12-01T00:00Z", cl.Precision.MONTH),
        "ucdp/900004": ("2024-01-01T00:00Z", "2025-01-01T00:00Z", cl.Precision.YEAR),
    }
    for claim_id, (start, end, precision) in expected.items():
        assert ledger.claim(claim_id).valid == cl.ValidTime(
            start=start, end=end, precision=precision
        )


def test_sources_make_the_chain_and_the_first_source_date_the_report_time() -> None:
    ledger = _ledger()
    import_ucdp(ledger, DATA / "ged_sample.csv")
    claim = ledger.claim("ucdp/900003")
    assert claim.source.source_ids() == ("local-residents", "anha", "afp", "ucdp")
    roles = [link.role for link in claim.source.links]
    assert roles == [
        cl.SourceRole.ORIGIN,
        cl.SourceRole.ORIGIN,
        cl.SourceRole.CARRIER,
        cl.SourceRole.PUBLISHER,
    ]
    assert str(claim.source.links[0].said_on) == "2024-12-01"
    assert claim.reported_at == cl.to_instant("2024-12-02T00:00Z")
    # No sources and no dates: UCDP alone, reported by the end of the window.
    bare = ledger.claim("ucdp/900004")
    assert bare.source.source_ids() == ("ucdp",)
    assert bare.reported_at == bare.valid.end


def test_events_are_kept_as_non_territorial_dataset_events() -> None:
    ledger = _ledger()
    import_ucdp(ledger, DATA / "ged_sample.csv")
    event = ledger.claim("ucdp/900001").event
    assert isinstance(event, DatasetEvent)
    assert (event.dataset, event.event_type, event.fatalities) == ("ucdp", "state-based", 11)
    assert ledger.registries.actors[event.actor].kind is cl.ActorKind.GOVERNMENT
    assert len(cl.snapshot(ledger, at="2024-12-10T00:00Z")) == 0
    place = ledger.registries.places[ledger.claim("ucdp/900004").event.place]
    assert place.kind is cl.PlaceKind.GOVERNORATE  # where_prec 4


def test_reimport_never_duplicates_and_a_revised_row_is_a_correction(tmp_path: Path) -> None:
    ledger = _ledger()
    import_ucdp(ledger, DATA / "ged_sample.csv")
    assert import_ucdp(ledger, DATA / "ged_sample.csv").appended == ()
    with (DATA / "ged_sample.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["best"] = "14"
    revised = tmp_path / "ged_next_release.csv"
    with revised.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_ucdp(ledger, revised)
    assert (report.appended, report.corrections) == (("ucdp/900001#2",), ("ucdp/900001#2",))
    assert ledger.claim("ucdp/900001#2").event.fatalities == 14


def test_rejected_rows_are_all_reported_with_their_lines() -> None:
    ledger = _ledger()
    report = import_ucdp(ledger, DATA / "ged_bad_rows.csv")
    assert report.appended == ("ucdp/900010", "ucdp/900014")
    assert [(e.line, e.field) for e in report.rejected] == [
        (3, "date_end"),
        (4, "side_a"),
        (5, "date_prec"),
    ]
    # A source date before date_start is kept, flagged, not dropped (issue 13, item 8).
    assert report.flagged == ("ucdp/900014",)
    with pytest.raises(ExceptionGroup):
        report.raise_if_rejected()


def test_fixtures_are_what_the_script_writes(tmp_path: Path) -> None:
    shutil.copy(DATA / "make_ucdp_fixtures.py", tmp_path)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        runpy.run_path("make_ucdp_fixtures.py", run_name="__main__")
    finally:
        os.chdir(cwd)
    for written in tmp_path.glob("*.csv"):
        assert written.read_bytes() == (DATA / written.name).read_bytes(), written.name


@given(
    start=st.dates(min_value=datetime.date(1989, 1, 1), max_value=datetime.date(2030, 1, 1)),
    days=st.integers(min_value=0, max_value=400),
    lag=st.integers(min_value=0, max_value=60),
    precision=st.sampled_from(sorted(DATE_PRECISIONS)),
)
def test_any_dated_row_keeps_its_window_and_is_reported_after_it_begins(
    start: datetime.date, days: int, lag: int, precision: str
) -> None:
    end = start + datetime.timedelta(days=days)
    said = start + datetime.timedelta(days=lag)
    text = (
        "id,side_a,side_b,where_coordinates,latitude,longitude,date_prec,date_start,date_end,"
        "source_original,source_office,source_date,best\n"
        f"7,Government of Syria,Syrian insurgents,Homs town,34.73,36.72,{precision},"
        f"{start} 00:00:00.000,{end} 00:00:00.000,SOHR,Reuters,{said};{said + datetime.timedelta(days=3)},5\n"
    )
    ledger = _ledger()
    report = import_ucdp(ledger, io.StringIO(text), name="ged.csv")
    assert report.rejected == ()
    claim = ledger.claim("ucdp/7")
    assert claim.valid.start == pendulum.datetime(start.year, start.month, start.day)
    assert claim.valid.end == pendulum.datetime(end.year, end.month, end.day).add(days=1)
    named = DATE_PRECISIONS[precision]
    assert claim.valid.precision is (
        named if named.fits(claim.valid.width) else cl.Precision.fitting(claim.valid.width)
    )
    assert claim.valid.precision.fits(claim.valid.width)
    assert claim.reported_at == pendulum.datetime(said.year, said.month, said.day).add(days=1)
    assert claim.source.links[0].said_on == said
    assert import_ucdp(ledger, io.StringIO(text), name="ged.csv").appended == ()
