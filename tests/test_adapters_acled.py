"""ACLED import and export on synthetic fixture files of every header generation and date format."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import runpy
import shutil
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.adapters.acled import (
    CURRENT_COLUMNS,
    TERRITORIAL_SUB_EVENTS,
    import_acled,
    parse_acled_date,
    read_acled,
    write_acled_csv,
)
from conflict_ledger.adapters.dataset import DatasetEvent
from conflict_ledger.adapters.rows import RejectedRowsError
from conflict_ledger.gazetteer import syria

DATA = Path(__file__).parent / "data" / "acled"


def _ledger() -> cl.Ledger:
    return cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-20T00:00Z"))


def _ledger_without_places() -> cl.Ledger:
    """The gazetteer's actors but no places: the fixtures' towns (Rastan, Tall Rifat, Jisr
    ash Shughur) are in the Syria gazetteer now, so only here do their rows make places."""
    registries = cl.Registries(actors=syria().actors)
    return cl.Ledger(registries=registries, clock=cl.fixed_clock("2024-12-20T00:00Z"))


def test_current_export_becomes_control_events_and_kept_non_territorial_events() -> None:
    ledger = _ledger()
    report = import_acled(ledger, DATA / "current.csv")
    assert report.rejected == ()
    assert len(report.appended) == 9
    kinds = {c.id: type(c.event) for c in ledger.claims()}
    assert kinds["acled/SYR100"] is cl.Captured
    assert kinds["acled/SYR102"] is cl.HandedOver
    assert kinds["acled/SYR106"] is cl.Holds
    assert kinds["acled/SYR103"] is DatasetEvent
    assert kinds["acled/SYR107"] is DatasetEvent
    clash = ledger.claim("acled/SYR103").event
    assert (clash.event_type, clash.sub_event_type, clash.fatalities) == (
        "Battles",
        "Armed clash",
        7,
    )
    base = ledger.claim("acled/SYR106").event
    assert base.extent is cl.Extent.SOME  # a base is a presence, not control


def test_actors_and_locations_feed_the_registries() -> None:
    ledger = _ledger_without_places()
    import_acled(ledger, DATA / "current.csv")
    places = ledger.registries.places
    # New names are registered with coordinates; names known to the file resolve to them.
    assert ledger.claim("acled/SYR102").event.place == "deir-ez-zor"
    rastan = places[ledger.claim("acled/SYR103").event.place]
    assert (rastan.name, rastan.coordinates, rastan.kind) == (
        "Rastan",
        cl.Coordinates(lat=34.93, lon=36.73),
        cl.PlaceKind.TOWN,
    )
    tall_rifat = places[ledger.claim("acled/SYR106").event.place]
    assert tall_rifat.coordinates_source == "ACLED (geo_precision 2)"
    # ACLED's names map to the gazetteer's actors (data/acled_actors.json).
    assert ledger.claim("acled/SYR100").event.actor == "hts"
    assert ledger.claim("acled/SYR100").event.from_actor == "syrian-government"


def test_sources_become_a_chain_published_by_acled_with_the_scale_in_the_note() -> None:
    ledger = _ledger()
    import_acled(ledger, DATA / "current.csv")
    claim = ledger.claim("acled/SYR100")
    assert claim.source.source_ids() == ("syrian-observatory-for-human-rights", "reuters", "acled")
    assert claim.source.publisher == "acled"
    assert (
        json.loads(claim.note.split("\n")[0].removeprefix("ACLED "))["source_scale"]
        == "Other-International"
    )
    assert claim.reported_at == cl.to_instant("2024-12-08T00:00Z")  # the row's timestamp


@pytest.mark.parametrize(
    ("precision", "start", "end", "expected"),
    [
        ("acled/SYR100", "2024-11-29T00:00Z", "2024-11-30T00:00Z", cl.Precision.DAY),
        ("acled/SYR104", "2024-12-04T00:00Z", "2024-12-11T00:00Z", cl.Precision.WEEK),
        ("acled/SYR107", "2024-11-01T00:00Z", "2024-12-01T00:00Z", cl.Precision.MONTH),
    ],
)
def test_time_precision_sets_the_valid_window(precision, start, end, expected) -> None:
    ledger = _ledger()
    import_acled(ledger, DATA / "current.csv", tz="UTC")
    valid = ledger.claim(precision).valid
    assert valid == cl.ValidTime(start=start, end=end, precision=expected)


def test_dates_are_calendar_days_in_the_zone_given() -> None:
    ledger = _ledger()
    import_acled(ledger, DATA / "current.csv", tz="Asia/Damascus")
    assert ledger.claim("acled/SYR100").valid.start == cl.to_instant("2024-11-29T00:00+03:00")


def test_the_snapshot_follows_the_imported_control_events() -> None:
    ledger = _ledger()
    import_acled(ledger, DATA / "current.csv")
    snap = cl.snapshot(ledger, at="2024-12-10T12:00Z")
    assert snap["aleppo"].holder == "hts"
    assert snap["homs"].holder == "hts"
    assert snap["deir-ez-zor"].holder == "sdf"
    manbij = ledger.registries.places.resolve("Manbij").id
    assert snap[manbij].holder == "sna"
    # Non-territorial rows do not make places of their own in the snapshot.
    assert ledger.registries.places.resolve("Rastan").id not in snap


def test_reimporting_the_same_export_appends_nothing() -> None:
    ledger = _ledger()
    import_acled(ledger, DATA / "current.csv")
    before = ledger.claims()
    again = import_acled(ledger, DATA / "current.csv")
    assert (again.appended, len(again.unchanged)) == ((), 9)
    assert ledger.claims() == before


def test_an_updated_export_appends_corrections_and_skips_older_versions() -> None:
    ledger = _ledger()
    import_acled(ledger, DATA / "current.csv")
    report = import_acled(ledger, DATA / "current_updated.csv")
    assert report.appended == ("acled/SYR102#2", "acled/SYR109")
    assert report.corrections == ("acled/SYR102#2",)
    assert report.unchanged == ("acled/SYR100",)
    assert report.outdated == ("acled/SYR104",)
    assert ledger.claim("acled/SYR102#2").supersedes == "acled/SYR102"
    # Before the correction was reported, the first version counts; after, only the new one.
    old = cl.effective_claims(ledger, known_at="2024-12-10T00:00Z")
    new = cl.effective_claims(ledger)
    assert "acled/SYR102" in {c.id for c in old}
    assert {"acled/SYR102#2"} <= {c.id for c in new}
    assert "acled/SYR102" not in {c.id for c in new}
    # A third import of either file changes nothing.
    assert import_acled(ledger, DATA / "current_updated.csv").appended == ()
    assert import_acled(ledger, DATA / "current.csv").appended == ()


def test_the_2015_layout_with_upper_case_headers_and_combined_event_types() -> None:
    ledger = _ledger_without_places()
    report = import_acled(ledger, DATA / "legacy_2015.csv", tz="UTC")
    assert report.rejected == ()
    took, clash, base, regained = (ledger.claim(f"acled/SYR{n}") for n in range(1, 5))
    assert isinstance(took.event, cl.Captured)
    assert took.event.verb is cl.ControlVerb.TOOK
    assert isinstance(clash.event, DatasetEvent)
    assert clash.event.sub_event_type == "Armed clash"
    assert clash.valid.precision is cl.Precision.WEEK
    assert isinstance(base.event, cl.Holds)
    assert base.valid.precision is cl.Precision.MONTH
    assert ledger.registries.places[base.event.place].kind is cl.PlaceKind.REGION
    assert regained.event.verb is cl.ControlVerb.REGAINED
    assert took.valid.start == cl.to_instant("2015-03-28T00:00Z")
    # No timestamp: reported by the end of the window.
    assert took.reported_at == took.valid.end
    jaish = ledger.registries.actors.resolve("Jaish al Fateh")
    assert jaish.kind is cl.ActorKind.ARMED_GROUP  # INTER1 = 2
    assert took.event.actor == jaish.id


def test_an_alphabetical_api_dump_reads_like_the_export() -> None:
    from_export, from_api = _ledger(), _ledger()
    import_acled(from_export, DATA / "current.csv")
    report = import_acled(from_api, DATA / "api_alphabetical.csv")
    assert report.rejected == ()
    for claim in from_api.claims():
        exported = from_export.claim(claim.id)
        assert (claim.event, claim.valid, claim.source, claim.reported_at) == (
            exported.event,
            exported.valid,
            exported.source,
            exported.reported_at,
        )


def test_a_us_spreadsheet_with_month_first_and_serial_dates() -> None:
    from_export, from_sheet = _ledger(), _ledger()
    import_acled(from_export, DATA / "current.csv")
    report = import_acled(from_sheet, DATA / "spreadsheet_us.csv", day_first=False)
    assert report.rejected == ()
    assert [c.valid for c in from_sheet.claims()] == [
        from_export.claim(c.id).valid for c in from_sheet.claims()
    ]


def test_every_rejected_row_is_reported_at_once_and_valid_rows_are_kept() -> None:
    ledger = _ledger()
    report = import_acled(ledger, DATA / "bad_rows.csv")
    assert report.appended == ("acled/SYR200", "acled/SYR206")
    # SYR200's notes span two lines, so the rows after it start one line later.
    assert [(e.line, e.field) for e in report.rejected] == [
        (4, "event_date"),
        (5, "actor1"),
        (6, "location"),
        (7, "time_precision"),
        (8, "fatalities"),
        (10, "event_date"),
    ]
    assert "year=2023" in report.rejected[-1].reason
    with pytest.raises(RejectedRowsError) as raised:
        report.raise_if_rejected()
    assert isinstance(raised.value, ExceptionGroup)
    assert isinstance(raised.value, cl.LedgerError)
    assert len(raised.value.exceptions) == 6
    assert raised.value.report is report
    assert str(raised.value.exceptions[0]).startswith(f"{DATA / 'bad_rows.csv'}:4: event_date=")


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        import_acled(_ledger(), tmp_path / "missing.csv")


def test_export_then_import_gives_the_same_claims(tmp_path: Path) -> None:
    ledger = _ledger()
    import_acled(ledger, DATA / "current.csv")
    import_acled(ledger, DATA / "current_updated.csv")
    written = write_acled_csv(tmp_path / "out.csv", ledger)
    header = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[0]
    assert tuple(header.split(",")) == CURRENT_COLUMNS
    effective = cl.effective_claims(ledger)
    assert written == len(effective)
    again = _ledger()
    assert import_acled(again, tmp_path / "out.csv").rejected == ()
    for claim in again.claims():
        original = next(c for c in effective if c.id.split("#")[0] == claim.id)
        assert (claim.event, claim.valid, claim.reported_at) == (
            original.event,
            original.valid,
            original.reported_at,
        )


def test_export_of_the_seed_writes_only_what_acled_can_express() -> None:
    out = io.StringIO()
    count = write_acled_csv(out, cl.load_seed())
    lines = out.getvalue().splitlines()
    assert count == len(lines) - 1
    assert {line.split(",")[0] for line in lines[1:]} == {
        "dawn-2024-12-07/c04",
        "dawn-2024-12-07/c13",
    }


@given(
    day=st.dates(
        min_value=datetime.date(1997, 1, 1),
        max_value=datetime.date(2029, 12, 31),
    )
)
def test_every_date_format_reads_back_the_same_day(day) -> None:
    month = day.strftime("%B")
    written = [
        day.isoformat(),
        f"{day.day:02d} {month} {day.year}",
        f"{day.day}-{month[:3]}-{day.year % 100:02d}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        str((day - datetime.date(1899, 12, 30)).days),
    ]
    assert [parse_acled_date(text) for text in written] == [day] * len(written)
    assert parse_acled_date(f"{day.month}/{day.day}/{day.year}", day_first=False) == day


def test_read_acled_does_not_touch_a_ledger() -> None:
    registries = syria()
    candidates, rejected = read_acled(DATA / "current.csv", registries)
    assert (len(candidates), rejected) == (9, ())
    assert registries == syria()


def test_fixtures_are_what_the_script_writes(tmp_path: Path) -> None:
    shutil.copy(DATA / "make_acled_fixtures.py", tmp_path)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        runpy.run_path("make_acled_fixtures.py", run_name="__main__")
    finally:
        os.chdir(cwd)
    for written in tmp_path.glob("*.csv"):
        assert written.read_bytes() == (DATA / written.name).read_bytes(), written.name


_LOCATIONS = [
    ("Homs", "34.73", "36.72"),
    ("Deir ez-Zor", "35.34", "40.14"),
    ("Rastan", "34.93", "36.73"),
    ("Kafr Nabl", "35.61", "36.56"),
]
_ACTORS = [
    ("Military Forces of Syria (2000-2024)", "State forces", "1"),
    ("HTS: Hayat Tahrir al Sham", "Rebel group", "2"),
    ("SDF: Syrian Democratic Forces", "Identity militia", "4"),
]
_TYPES = [
    ("Battles", "Armed clash", "Battle-No change of territory"),
    ("Battles", "Government regains territory", "Battle-Government regains territory"),
    (
        "Battles",
        "Non-state actor overtakes territory",
        "Battle-Non-state actor overtakes territory",
    ),
    (
        "Strategic developments",
        "Non-violent transfer of territory",
        "Non-violent transfer of territory",
    ),
    (
        "Strategic developments",
        "Headquarters or base established",
        "Headquarters or base established",
    ),
]
_FORMATS = {
    "acled": lambda d: f"{d.day:02d} {d.strftime('%B')} {d.year}",
    "iso": lambda d: d.isoformat(),
    "day-first": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "excel": lambda d: f"{d.day}-{d.strftime('%b')}-{d.year % 100:02d}",
    "serial": lambda d: str((d - datetime.date(1899, 12, 30)).days),
}


@st.composite
def _acled_rows(draw) -> list[dict[str, str]]:
    rows = []
    count = draw(st.integers(min_value=1, max_value=5))
    for number in range(count):
        day = draw(
            st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2029, 12, 31))
        )
        location, lat, lon = draw(st.sampled_from(_LOCATIONS))
        (a1, inter1_text, inter1_code), (a2, inter2_text, inter2_code) = draw(
            st.lists(st.sampled_from(_ACTORS), min_size=2, max_size=2, unique=True)
        )
        event_type, sub_event_type, legacy = draw(st.sampled_from(_TYPES))
        precision = draw(st.sampled_from(["1", "2", "3"]))
        stamp = pendulum.datetime(day.year, day.month, day.day).add(days=40).int_timestamp
        sources = draw(
            st.lists(
                st.sampled_from(["SANA", "Reuters", "Local Media", "SOHR"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        rows.append(
            {
                "event_id_cnty": f"SYR{number}",
                "event_date": day,
                "year": str(day.year),
                "time_precision": precision,
                "event_type": event_type,
                "sub_event_type": sub_event_type,
                "legacy_type": legacy,
                "actor1": a1,
                "assoc_actor_1": draw(st.sampled_from(["", "Ahrar al Sham; Jaish al Izza"])),
                "inter1": inter1_text,
                "inter1_code": inter1_code,
                "actor2": a2 if draw(st.booleans()) else "",
                "inter2": inter2_text,
                "inter2_code": inter2_code,
                "country": "Syria",
                "location": location,
                "latitude": lat,
                "longitude": lon,
                "geo_precision": draw(st.sampled_from(["1", "2", "3"])),
                "source": "; ".join(sources),
                "source_scale": draw(st.sampled_from(["National", "Subnational", ""])),
                "notes": draw(st.sampled_from(["", "Synthetic; with a comma, and\na new line."])),
                "fatalities": str(draw(st.integers(min_value=0, max_value=50))),
                "timestamp": str(stamp),
            }
        )
    return rows


def _write(rows: list[dict[str, str]], layout: str, date_format: str) -> io.StringIO:
    out = io.StringIO()
    if layout == "current":
        columns = list(CURRENT_COLUMNS)
    elif layout == "alphabetical":
        columns = sorted([*CURRENT_COLUMNS, "data_id", "iso3"])
    else:  # 2015: upper case, ALLY_ACTOR, numeric INTER codes, combined event types
        columns = [
            "GWNO",
            "EVENT_ID_CNTY",
            "EVENT_DATE",
            "YEAR",
            "TIME_PRECISION",
            "EVENT_TYPE",
            "ACTOR1",
            "ALLY_ACTOR_1",
            "INTER1",
            "ACTOR2",
            "INTER2",
            "COUNTRY",
            "LOCATION",
            "LATITUDE",
            "LONGITUDE",
            "GEO_PRECISION",
            "SOURCE",
            "SOURCE_SCALE",
            "NOTES",
            "FATALITIES",
            "TIMESTAMP",
        ]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = dict(row, event_date=_FORMATS[date_format](row["event_date"]), gwno="652")
        if layout == "2015":
            values.update(
                event_type=row["legacy_type"],
                inter1=row["inter1_code"],
                inter2=row["inter2_code"],
                ally_actor_1=row["assoc_actor_1"],
            )
        writer.writerow([values.get(column.casefold(), "") for column in columns])
    out.seek(0)
    return out


@given(
    rows=_acled_rows(),
    layout=st.sampled_from(["current", "alphabetical", "2015"]),
    date_format=st.sampled_from(sorted(_FORMATS)),
)
def test_header_generation_and_date_format_do_not_change_the_claims(
    rows, layout, date_format
) -> None:
    expected, rejected = read_acled(_write(rows, "current", "iso"), syria())
    assert rejected == ()
    got, rejected = read_acled(_write(rows, layout, date_format), syria())
    assert rejected == ()
    pairs = list(zip(got, expected, strict=True))
    for new, old in pairs:
        if layout == "2015" and '"undecided"' in new.claim.note:
            # Before 2022 actor1 is not promised to be the gainer: a row whose codes and
            # notes do not say who gained moves no holder (the current layout's does).
            assert isinstance(new.claim.event, DatasetEvent)
            assert new.claim.event.sub_event_type in TERRITORIAL_SUB_EVENTS
            continue
        assert (
            new.claim.id,
            new.claim.event,
            new.claim.valid,
            new.claim.source,
            new.claim.reported_at,
        ) == (
            old.claim.id,
            old.claim.event,
            old.claim.valid,
            old.claim.source,
            old.claim.reported_at,
        )
        if layout != "2015":  # the 2015 layout has fewer columns to keep in the note
            assert new.claim.note == old.claim.note
    # Written back as ACLED and read again, the claims are the same.
    ledger = _ledger()
    import_acled(ledger, _write(rows, layout, date_format))
    out = io.StringIO()
    write_acled_csv(out, ledger)
    out.seek(0)
    again, rejected = read_acled(out, syria())
    assert rejected == ()
    assert sorted(
        (c.claim.id, c.claim.event, c.claim.valid, c.claim.note) for c in again
    ) == sorted((c.id, c.event, c.valid, c.note) for c in cl.effective_claims(ledger))


@given(rows=_acled_rows(), data=st.data())
def test_importing_successive_exports_counts_exactly_the_latest_version(rows, data) -> None:
    """Law: after importing export v1 then v2 (revised rows with newer timestamps, new
    rows), the counted claims are v2's rows, with v1's rows that v2 lacks; importing
    either file again appends nothing."""
    revised = []
    for row in rows:
        if data.draw(st.booleans(), label="revise"):
            row = dict(
                row,
                fatalities=str(int(row["fatalities"]) + 1),
                timestamp=str(int(row["timestamp"]) + 86_400),
            )
        if data.draw(st.booleans(), label="keep in v2"):
            revised.append(row)
    ledger = _ledger()
    first = import_acled(ledger, _write(rows, "current", "iso"))
    assert first.rejected == ()
    if revised:  # a header-only export is refused (nothing to import)
        assert import_acled(ledger, _write(revised, "current", "iso")).rejected == ()
    assert import_acled(ledger, _write(rows, "current", "iso")).appended == ()
    if revised:
        assert import_acled(ledger, _write(revised, "current", "iso")).appended == ()
    latest = {row["event_id_cnty"]: row for row in rows} | {
        row["event_id_cnty"]: row for row in revised
    }
    expected, _ = read_acled(_write(list(latest.values()), "current", "iso"), syria())
    counted = {c.id.split("#")[0]: c for c in cl.effective_claims(ledger)}
    assert sorted(counted) == sorted(c.claim.id for c in expected)
    for candidate in expected:
        claim = counted[candidate.claim.id]
        assert (claim.event, claim.valid, claim.note, claim.reported_at) == (
            candidate.claim.event,
            candidate.claim.valid,
            candidate.claim.note,
            candidate.claim.reported_at,
        )
