"""ACLED days are read in the zone of each row's place unless the import is given one.

The zone comes from the row's country (``iso``, else its name) and ``zone.tab``; in a
country of several zones, from the principal location nearest the row's coordinates
(``adapters.acled_zones``). A row with no zone is read in UTC and the report counts it.
"""

from __future__ import annotations

import csv
import io
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.adapters import acled
from conflict_ledger.adapters.acled import CURRENT_COLUMNS, import_acled
from conflict_ledger.adapters.acled_zones import (
    PlaceZones,
    TabZone,
    country_code,
    country_zones,
    nearest_zone,
    parse_zone_tab,
)
from conflict_ledger.adapters.rows import ImportReport
from conflict_ledger.cli import main
from conflict_ledger.gazetteer import syria

DRC = "Democratic Republic of Congo"


@pytest.mark.parametrize(
    ("iso", "country", "admin1", "lat", "lon", "expected"),
    [
        ("760", "Syria", "Damascus", "33.51", "36.29", "Asia/Damascus"),
        ("", "Syria", "", "", "", "Asia/Damascus"),  # one zone: no coordinates needed
        ("840", "United States", "Illinois", "41.8781", "-87.6298", "America/Chicago"),
        ("840", "United States", "California", "34.05", "-118.24", "America/Los_Angeles"),
        ("643", "Russia", "Primorskiy Kray", "43.1155", "131.8855", "Asia/Vladivostok"),
        ("643", "Russia", "Moscow", "55.7558", "37.6173", "Europe/Moscow"),
        ("804", "Ukraine", "Kyiv", "50.45", "30.52", "Europe/Kyiv"),
        ("804", "Ukraine", "Kharkiv", "49.99", "36.23", "Europe/Kyiv"),
        # nearer Simferopol than Kyiv, but not in Crimea: its admin1 says so
        ("804", "Ukraine", "Odesa", "46.48", "30.73", "Europe/Kyiv"),
        ("804", "Ukraine", "Kherson", "46.64", "32.61", "Europe/Kyiv"),
        ("804", "Ukraine", "Crimea", "44.95", "34.10", "Europe/Simferopol"),
        ("804", "Ukraine", "Sevastopol", "44.62", "33.52", "Europe/Simferopol"),
        ("804", "Ukraine", "", "44.95", "34.10", "Europe/Simferopol"),  # no admin1: distance
        ("180", DRC, "North Kivu", "-1.68", "29.22", "Africa/Lubumbashi"),
        ("180", DRC, "Ituri", "1.56", "30.25", "Africa/Lubumbashi"),
        ("180", DRC, "Kinshasa", "-4.32", "15.31", "Africa/Kinshasa"),
        ("180", DRC, "Equateur", "0.05", "18.26", "Africa/Kinshasa"),
        ("76", "Brazil", "Amazonas", "-3.12", "-60.02", "America/Manaus"),
        ("360", "Indonesia", "Papua", "-2.53", "140.72", "Asia/Jayapura"),
        ("484", "Mexico", "Sinaloa", "24.80", "-107.39", "America/Mazatlan"),
        ("0", "Kosovo", "Pristina", "42.66", "21.17", "Europe/Belgrade"),  # Serbia's clocks
    ],
)
def test_the_zone_of_a_row_is_its_places(
    iso: str, country: str, admin1: str, lat: str, lon: str, expected: str
) -> None:
    assert PlaceZones().zone((iso, country, admin1, lat, lon)) == expected


@pytest.mark.parametrize(
    "cells",
    [
        ("", "Atlantis", "", "1.0", "2.0"),  # a country no one knows
        ("999", "", "", "1.0", "2.0"),  # a numeric code ISO 3166 does not have
        ("", "", "", "33.5", "36.3"),  # no country at all
        ("840", "United States", "", "", ""),  # several zones and no coordinates
        ("840", "United States", "", "north", "west"),
    ],
)
def test_a_place_with_no_zone_has_none(cells: tuple[str, str, str, str, str]) -> None:
    assert PlaceZones().zone(cells) is None


def test_the_country_is_read_from_iso_first_then_the_name() -> None:
    assert [
        country_code("760", "Lebanon"),  # the code wins over the name
        country_code("760.0", ""),
        country_code("", "Democratic Republic of Congo"),
        country_code("", "Ivory Coast"),
        country_code("", "syria"),
    ] == ["SY", "SY", "CD", "CI", "SY"]


def test_zone_tab_coordinates_of_degrees_minutes_and_seconds() -> None:
    text = (
        "#codes\tcoordinates\tTZ\tcomments\n"
        "US\t+415100-0873900\tAmerica/Chicago\tCentral (most areas)\n"
        "RU,UA\t+4457+03406\tEurope/Simferopol\tCrimea\n"
    )
    zones = parse_zone_tab(text)
    chicago, crimea = zones["US"][0], zones["UA"][0]
    assert (chicago.name, round(chicago.lat, 4), round(chicago.lon, 4)) == (
        "America/Chicago",
        41.85,
        -87.65,
    )
    assert zones["RU"] == zones["UA"] == (crimea,)
    assert (round(crimea.lat, 4), round(crimea.lon, 4)) == (44.95, 34.1)


# -- imports -------------------------------------------------------------------------

ROWS = [  # id, event_date, iso, country, admin1, location, latitude, longitude
    ("SYR1", "2024-12-07", "760", "Syria", "Hama", "Hama", "35.13", "36.75"),
    ("USA1", "2024-03-10", "840", "United States", "Illinois", "Chicago", "41.8781", "-87.6298"),
    ("USA2", "2024-07-04", "840", "United States", "Illinois", "Chicago", "41.8781", "-87.6298"),
    ("UKR1", "2024-03-31", "804", "Ukraine", "Kyiv", "Kyiv", "50.45", "30.52"),
    ("RUS1", "2024-06-01", "643", "Russia", "Primorye", "Vladivostok", "43.1155", "131.8855"),
    ("DRC1", "2024-06-01", "180", DRC, "North Kivu", "Goma", "-1.68", "29.22"),
    ("DRC2", "2024-06-01", "180", DRC, "Kinshasa", "Kinshasa", "-4.32", "15.31"),
    ("ATL1", "2024-06-01", "", "Atlantis", "", "Poseidonis", "31.0", "-24.0"),
    ("ATL2", "2024-06-02", "", "Atlantis", "", "Poseidonis", "31.0", "-24.0"),
    ("XXX1", "2024-06-01", "", "", "", "Nowhere", "10.0", "10.0"),
]

EXPECTED_WINDOWS = {  # local midnight to local midnight, as UTC instants
    "acled/SYR1": ("2024-12-06T21:00Z", "2024-12-07T21:00Z"),  # Damascus, UTC+3
    # the US spring-forward day: CST at its midnight, CDT at the next, 23 hours
    "acled/USA1": ("2024-03-10T06:00Z", "2024-03-11T05:00Z"),
    "acled/USA2": ("2024-07-04T05:00Z", "2024-07-05T05:00Z"),  # CDT, UTC-5
    # the EU spring-forward day: EET at its midnight, EEST at the next
    "acled/UKR1": ("2024-03-30T22:00Z", "2024-03-31T21:00Z"),
    "acled/RUS1": ("2024-05-31T14:00Z", "2024-06-01T14:00Z"),  # Vladivostok, UTC+10
    "acled/DRC1": ("2024-05-31T22:00Z", "2024-06-01T22:00Z"),  # Lubumbashi, UTC+2
    "acled/DRC2": ("2024-05-31T23:00Z", "2024-06-01T23:00Z"),  # Kinshasa, UTC+1
    "acled/ATL1": ("2024-06-01T00:00Z", "2024-06-02T00:00Z"),  # no zone: UTC
    "acled/ATL2": ("2024-06-02T00:00Z", "2024-06-03T00:00Z"),
    "acled/XXX1": ("2024-06-01T00:00Z", "2024-06-02T00:00Z"),
}


def _export(rows: list[tuple[str, ...]] = ROWS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CURRENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for number, (id, date, iso, country, admin1, location, lat, lon) in enumerate(rows):
        writer.writerow(
            dict.fromkeys(CURRENT_COLUMNS, "")
            | {
                "event_id_cnty": id,
                "event_date": date,
                "time_precision": "1",
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "actor1": f"Militia {number}",
                "iso": iso,
                "country": country,
                "admin1": admin1,
                "location": location,
                "latitude": lat,
                "longitude": lon,
                "geo_precision": "1",
                "source": "Reuters",
                "fatalities": "0",
                "timestamp": "1735689600",
            }
        )
    return out.getvalue()


def _import(text: str, **options: object) -> tuple[cl.Ledger, ImportReport]:
    ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2025-01-02T00:00Z"))
    report = import_acled(ledger, io.StringIO(text), name="x.csv", **options)  # type: ignore[arg-type]
    return ledger, report


def _row_by_row(text: str, **options: object) -> tuple[cl.Ledger, ImportReport]:
    with pytest.MonkeyPatch.context() as patch:  # a column no file has: every row row by row
        patch.setattr(acled, "WIDE_NEEDS", (*acled.WIDE_NEEDS, "no such column"))
        return _import(text, **options)


def _windows(ledger: cl.Ledger) -> dict[str, tuple[str, str]]:
    return {
        claim.id: (
            claim.valid.start.format("YYYY-MM-DDTHH:mm") + "Z",
            claim.valid.end.format("YYYY-MM-DDTHH:mm") + "Z",
        )
        for claim in ledger.claims()
    }


@pytest.mark.parametrize("read", [_import, _row_by_row], ids=["by-column", "row-by-row"])
def test_each_day_is_read_from_local_midnight_in_its_places_zone(read) -> None:
    ledger, report = read(_export())
    assert report.rejected == ()
    assert _windows(ledger) == EXPECTED_WINDOWS
    assert report.in_utc == (("(no country)", 1), ("Atlantis", 2))


def test_the_rows_read_in_utc_are_in_the_summary_and_the_cli_output(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    _, report = _import(_export())
    assert report.summary().endswith(", 3 read in UTC")
    data = tmp_path / "export.csv"
    data.write_text(_export(), encoding="utf-8")
    main(["ingest", str(data), "--into", str(tmp_path / "l.claims.jsonl")])
    out = capsys.readouterr().out
    assert "read in UTC: 2 rows of Atlantis (no local zone found; give --tz)" in out
    assert "read in UTC: 1 row of (no country) (no local zone found; give --tz)" in out


def test_a_snapshot_at_local_midnight_sees_the_days_event() -> None:
    text = _export([("SYR1", "2024-12-07", "760", "Syria", "Hama", "Hama", "35.13", "36.75")])
    ledger, _ = _import(text)
    window = ledger.claim("acled/SYR1").valid
    midnight = cl.to_instant("2024-12-07T00:00+03:00")
    assert window.start == midnight
    assert window.end == cl.to_instant("2024-12-08T00:00+03:00")


@pytest.mark.parametrize("read", [_import, _row_by_row], ids=["by-column", "row-by-row"])
def test_an_explicit_zone_is_every_rows_zone(read) -> None:
    ledger, report = read(_export(), tz="Asia/Damascus")
    assert report.in_utc == ()
    for claim in ledger.claims():
        day = claim.valid.start.in_timezone("Asia/Damascus")
        assert (day.hour, day.minute, claim.valid.precision) == (0, 0, cl.Precision.DAY)
    utc, report = read(_export(), tz="UTC")
    assert report.in_utc == ()
    assert {c.id: (c.valid.start.hour, c.valid.end.hour) for c in utc.claims()} == dict.fromkeys(
        EXPECTED_WINDOWS, (0, 0)
    )


@pytest.mark.parametrize("first", [None, "UTC", "Asia/Damascus"])
def test_re_importing_in_another_zone_appends_nothing(first: str | None) -> None:
    ledger, report = _import(_export(), tz=first)
    assert len(report.appended) == len(ROWS)
    for tz in (None, "UTC", "Pacific/Kiritimati"):
        again = import_acled(ledger, io.StringIO(_export()), name="x.csv", tz=tz)
        assert (again.appended, len(again.unchanged)) == ((), len(ROWS))
    assert len(ledger) == len(ROWS)


def test_one_country_of_one_zone_needs_no_coordinates() -> None:
    rows = [
        (f"SYR{n}", "2024-12-07", "", "Syria", "", town, "", "")
        for n, town in enumerate(("Hama", "Homs", "Aleppo"))
    ]
    ledger, report = _import(_export(rows))
    assert report.in_utc == ()
    assert {c.valid.start for c in ledger.claims()} == {cl.to_instant("2024-12-06T21:00Z")}


def test_an_unknown_zone_is_one_typed_error_and_nothing_is_read() -> None:
    ledger = cl.Ledger(registries=syria())
    with pytest.raises(cl.InvalidClaimError, match="Mars/Olympus") as caught:
        import_acled(ledger, io.StringIO(_export()), name="x.csv", tz="Mars/Olympus")
    assert (caught.value.field, caught.value.value, len(ledger)) == ("tz", "Mars/Olympus", 0)


def test_ingest_refuses_an_unknown_zone_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    data, into = tmp_path / "export.csv", tmp_path / "l.claims.jsonl"
    data.write_text(_export(), encoding="utf-8")
    code = main(["ingest", str(data), "--into", str(into), "--tz", "Mars/Olympus"])
    assert (code, into.exists()) == (1, False)
    assert "tz='Mars/Olympus': not an IANA timezone name" in capsys.readouterr().err


# -- the nearest zone, against the haversine distance ---------------------------------


def _haversine(lat: float, lon: float, zone: TabZone) -> float:
    phi1, phi2 = math.radians(lat), math.radians(zone.lat)
    dphi, dlambda = phi2 - phi1, math.radians(zone.lon - lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * math.asin(min(1.0, math.sqrt(h)))


@given(
    code=st.sampled_from(["US", "RU", "BR", "CD", "ID", "MX", "CA", "AU"]),
    lat=st.floats(min_value=-89.9, max_value=89.9),
    lon=st.floats(min_value=-180, max_value=180),
)
def test_the_nearest_zone_is_the_one_at_the_least_great_circle_distance(
    code: str, lat: float, lon: float
) -> None:
    zones = country_zones()[code]
    arcs = sorted((_haversine(lat, lon, zone), zone.name) for zone in zones)
    assume(arcs[1][0] - arcs[0][0] > 1e-9)  # not a tie within rounding
    assert nearest_zone(zones, lat, lon) == arcs[0][1]


@given(
    cells=st.tuples(
        st.sampled_from(["840", "643", "804", "180", "760", "", "999"]),
        st.sampled_from(["", "United States", "Russia", "Ukraine", "Atlantis"]),
        st.sampled_from(["", "Crimea", "Kyiv", "Illinois"]),
        st.one_of(st.just(""), st.floats(-90, 90).map(str)),
        st.one_of(st.just(""), st.floats(-180, 180).map(str)),
    )
)
def test_a_places_zone_is_none_or_one_of_its_countrys(
    cells: tuple[str, str, str, str, str],
) -> None:
    found = PlaceZones().zone(cells)
    code = country_code(cells[0], cells[1])
    assert found is None or found in {z.name for z in country_zones()[code or ""]}
    assert found == PlaceZones().zone(cells)  # the same whatever was looked up before
