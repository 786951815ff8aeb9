"""ACLED and UCDP files as they really are (issue 13): each quirk on a fixture we wrote.

The rows are invented (the datasets' terms restrict redistribution); the layouts and
quirks are those of real public files, cited where each fixture is built:

* 2015 upper-case files and their spellings: ACLED-Asia-2015/2016 files recoded in a
  public R analysis on GitHub ("Battle-Non-state actors overtake territory",
  "Violence Against Civilians", "RIots/Protests"), and notebooks listing the same
  values as ``violent_events_acled``;
* long format: acledR's ``acled_transform_longer`` (``dtacled/acledR``,
  ``R/acled_transform_longer.R``: ``type_of_actor``, ``actor``, ``inter_type``, ``inter``);
* text interaction codes ("State forces", "External/Other forces"): current exports
  (ACLED's 2024-2025 codebook CSV, which itself carries a Latin-1 ``ÿ``);
* UCDP GED columns: ``oshiromi/conflict-dashboard`` ``src/constants.py`` and
  ``mcgirjau/ucdp`` ``R/GED.R`` (``source_date``, ``where_prec``, ``date_prec``).
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

import conflict_ledger as cl
from conflict_ledger.adapters.acled import (
    ActorMap,
    import_acled,
    read_acled_file,
    write_acled_csv,
)
from conflict_ledger.adapters.acled_layout import canonical_types
from conflict_ledger.adapters.dataset import DatasetEvent
from conflict_ledger.adapters.rows import ImportReport
from conflict_ledger.adapters.ucdp import import_ucdp
from conflict_ledger.errors import DatasetFileError
from conflict_ledger.gazetteer import syria


def _ledger() -> cl.Ledger:
    return cl.Ledger(registries=syria(), clock=cl.fixed_clock("2025-06-01T00:00Z"))


def _import(text: str, **options: object) -> tuple[cl.Ledger, ImportReport]:
    ledger = _ledger()
    return ledger, import_acled(ledger, io.StringIO(text), name="x.csv", **options)  # type: ignore[arg-type]


GOV = "Military Forces of Syria (2000-2024)"

# The 2015 layout: upper case, GWNO, ALLY_ACTOR_*, numeric INTER codes, combined types.
Y2015 = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
    "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES\n"
    # rebels listed first in a government regain (9 of 14 such rows in one real file)
    f"652,SYR11,11,12/06/2015,2015,1,Battle-Government regains territory,Jaish al Fateh,,2,"
    f"{GOV},,1,12,Syria,Hama,,,Hama,35.13,36.75,1,SANA,Army regained the city.,5\n"
    # the plural spelling, rebels first this time as the codebook wants
    f"652,SYR12,12,14/06/2015,2015,1,Battle-Non-state actors overtake territory,Jaish al Fateh,,"
    f"2,{GOV},,1,12,Syria,Homs,,,Homs,34.73,36.72,1,SOHR,Rebels took the town.,3\n"
    f"652,SYR13,13,15/06/2015,2015,1,Violence Against Civilians,{GOV},,1,Civilians (Syria),,7,"
    f"17,Syria,Homs,,,Homs,34.73,36.72,1,SOHR,Shelling.,2\n"
)


def test_2015_government_regain_goes_to_the_state_side_whatever_the_column() -> None:
    ledger, report = _import(Y2015)
    regained = ledger.claim("acled/SYR11").event
    assert isinstance(regained, cl.Captured)
    assert (regained.actor, regained.from_actor) == ("syrian-government", "jaish-al-fateh")
    assert cl.snapshot(ledger, at="2015-06-13T00:00Z")["hama"].holder == "syrian-government"
    assert report.undecided == ()


def test_2015_plural_and_capitalised_spellings_read_as_the_current_types() -> None:
    ledger, _ = _import(Y2015)
    took = ledger.claim("acled/SYR12").event
    assert isinstance(took, cl.Captured)
    assert took.actor == "jaish-al-fateh"
    shelling = ledger.claim("acled/SYR13").event
    assert isinstance(shelling, DatasetEvent)
    assert shelling.event_type == "Violence against civilians"


@pytest.mark.parametrize(
    ("generation", "event_type", "sub_event_type", "expected"),
    [
        (
            "2015",
            "Battle-Non-state actors overtake territory",
            "",
            ("Battles", "Non-state actor overtakes territory"),
        ),
        (
            "2015",
            "Battle-Non-state actor overtakes territory",
            "",
            ("Battles", "Non-state actor overtakes territory"),
        ),
        (
            "2015",
            "BATTLE-GOVERNMENT REGAINS TERRITORY",
            "",
            ("Battles", "Government regains territory"),
        ),
        ("2015", "Battle-No change of territory", "", ("Battles", "Armed clash")),
        ("2015", "Violence Against Civilians", "", ("Violence against civilians", "")),
        ("2015", "RIots/Protests", "", ("Riots/Protests", "")),
        (
            "2016",
            "Non-violent transfer of territory",
            "",
            ("Strategic developments", "Non-violent transfer of territory"),
        ),
        (
            "2016",
            "Headquarters or base established",
            "",
            ("Strategic developments", "Headquarters or base established"),
        ),
        ("2016", "Remote violence", "", ("Explosions/Remote violence", "")),
        ("2016", "Strategic development", "", ("Strategic developments", "")),
        (
            "2020",
            "Battles",
            "Non-state actor overtakes territory",
            ("Battles", "Non-state actor overtakes territory"),
        ),
        (
            "2020",
            "battles",
            "government regains territory",
            ("Battles", "Government regains territory"),
        ),
        (
            "2024",
            "Strategic developments",
            "Non-violent transfer of territory",
            ("Strategic developments", "Non-violent transfer of territory"),
        ),
        (
            "2025",
            "Explosions/Remote violence",
            "Air/drone strike",
            ("Explosions/Remote violence", "Air/drone strike"),
        ),
    ],
)
def test_every_generation_spelling_is_known(
    generation, event_type, sub_event_type, expected
) -> None:
    assert canonical_types(event_type, sub_event_type) == expected, generation


# 2016 API dump (lower case, no sub_event_type): a transfer listing the side that withdrew first.
Y2016 = (
    "event_id_cnty,event_date,year,time_precision,event_type,actor1,assoc_actor_1,inter1,actor2,"
    "assoc_actor_2,inter2,interaction,country,admin1,location,latitude,longitude,geo_precision,"
    "source,notes,fatalities\n"
    f"SYR21,2016-08-20,2016,1,Non-violent transfer of territory,{GOV},,1,Jaish al Islam,,2,12,"
    "Syria,Homs,Homs,34.73,36.72,1,Local Media,"
    '"Jaish al Islam took over Homs after regime forces withdrew under a local deal.",0\n'
    "SYR22,2016-08-21,2016,1,Battle-Non-state actor overtakes territory,Jaish al Islam,,2,"
    "Islamic State (Syria),,2,22,Syria,Hama,Hama,35.13,36.75,1,Local Media,Clashes.,4\n"
)


def test_an_inverted_transfer_is_read_from_the_notes_and_an_undecidable_row_moves_no_holder() -> (
    None
):
    ledger, report = _import(Y2016)
    transfer = ledger.claim("acled/SYR21").event
    assert isinstance(transfer, cl.HandedOver)
    assert (transfer.to_actor, transfer.from_actor) == ("jaish-al-islam", "syrian-government")
    # Two rebel groups, no notes saying who won, a layout that does not promise actor1:
    undecided = ledger.claim("acled/SYR22")
    assert isinstance(undecided.event, DatasetEvent)
    assert report.undecided == ("acled/SYR22",)
    assert "undecided" in report.summary()
    assert "hama" not in cl.snapshot(ledger, at="2016-08-25T00:00Z")


# 2024-2025 layout: text interaction codes, long format as acledR writes it.
CURRENT = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
    "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
    "notes,fatalities,tags,timestamp\n"
)
LONG_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "type_of_actor,actor,inter_type,inter,interaction,country,admin1,admin2,location,latitude,"
    "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n"
)


def _long_rows(order: list[int]) -> str:
    common = "2024-12-05,2024,1,Political violence,Battles,Non-state actor overtakes territory"
    tail = (
        "Rebels with State forces,Syria,Hama,Hama,Hama,35.13,36.75,1,SOHR,National,"
        "Synthetic.,9,,1733616000"
    )
    rows = [
        f"SYR31,{common},actor1,HTS: Hayat Tahrir al Sham,inter1,Rebel group,{tail}",
        f"SYR31,{common},actor2,{GOV},inter2,State forces,{tail}",
        f"SYR31,{common},assoc_actor_1,Ahrar al Sham,inter1,,{tail}",
        f"SYR31,{common},assoc_actor_1,Jaish al Izza,inter1,,{tail}",
    ]
    return LONG_HEADER + "".join(rows[i] + "\n" for i in order)


def test_a_long_format_event_is_one_claim_and_reimports_append_nothing_whatever_tz() -> None:
    ledger, report = _import(_long_rows([0, 1, 2, 3]))
    assert report.appended == ("acled/SYR31",)
    claim = ledger.claim("acled/SYR31")
    assert (claim.event.actor, claim.event.from_actor) == ("hts", "syrian-government")
    assert '"assoc_actor_1": "Ahrar al Sham; Jaish al Izza"' in claim.note
    for order, tz in (([3, 2, 1, 0], "UTC"), ([1, 0, 3, 2], "Asia/Damascus")):
        again = import_acled(ledger, io.StringIO(_long_rows(order)), name="x.csv", tz=tz)
        assert (again.appended, again.unchanged) == ((), ("acled/SYR31",))


def test_a_true_duplicate_is_reported_with_both_lines_and_a_conflict_is_not_guessed() -> None:
    row = (
        "SYR41,2024-12-05,2024,1,Political violence,Battles,Armed clash,{a},,State forces,,,,,,760,"
        "Middle East,Syria,Hama,,,Hama,35.13,36.75,1,SOHR,National,Synthetic.,{d},,1733616000\n"
    )
    text = CURRENT + row.format(a=GOV, d=1) + row.format(a=GOV, d=1)
    _, report = _import(text)
    assert report.appended == ("acled/SYR41",)
    assert report.duplicates == ("SYR41: lines 2 and 3 are the same event",)
    _, report = _import(CURRENT + row.format(a=GOV, d=1) + row.format(a=GOV, d=5))
    assert report.appended == ()
    assert [(e.line, "lines 2 and 3" in e.reason) for e in report.rejected] == [(2, True)]


def _current(*rows: str) -> str:
    return CURRENT + "".join(row + "\n" for row in rows)


def _row(eid: str, sub: str, a1: str, i1: str, a2: str, i2: str, where: str, **more: str) -> str:
    etype = "Battles" if sub != "Headquarters or base established" else "Strategic developments"
    return (
        f"{eid},{more.get('date', '2024-12-05')},2024,1,Political violence,{etype},{sub},{a1},,{i1},"
        f"{a2},,{i2},,{more.get('civ', '')},760,Middle East,{more.get('country', 'Syria')},"
        f"{more.get('admin1', 'Hama')},{more.get('admin2', '')},,{where},"
        f"{more.get('geo', '1')},SOHR,National,{more.get('notes', 'Synthetic.')},0,"
        f"{more.get('tags', '')},{more.get('stamp', '1733616000')}"
    )


def test_acled_actor_names_map_to_the_gazetteer_and_sub_units_never_contest_their_army() -> None:
    ledger, _ = _import(
        _current(
            _row(
                "SYR51",
                "Government regains territory",
                "Military Forces of Syria (2000-)",
                "State forces",
                "HTS: Hayat Tahrir al Sham",
                "Rebel group",
                "Hama,35.13,36.75",
            ),
            _row(
                "SYR52",
                "Headquarters or base established",
                "Military Forces of Syria (2000-) Special Forces",
                "State forces",
                "",
                "",
                "Hama,35.13,36.75",
                date="2024-12-06",
            ),
            _row(
                "SYR53",
                "Government regains territory",
                "Military Forces of Syria (2000-2024) Air Force",
                "State forces",
                "HTS: Hayat Tahrir al Sham",
                "Rebel group",
                "Hama,35.13,36.75",
                date="2024-12-07",
            ),
        )
    )
    assert ledger.claim("acled/SYR51").event.actor == "syrian-government"
    assert ledger.claim("acled/SYR51").event.from_actor == "hts"
    assert ledger.claim("acled/SYR53").event.actor == "syrian-government"
    hama = cl.snapshot(ledger, at="2024-12-08T00:00Z")["hama"]
    assert (hama.status.value, hama.holder, hama.contenders) == ("held", "syrian-government", ())


def test_a_user_extends_the_actor_mapping_from_a_file(tmp_path: Path) -> None:
    mapping = tmp_path / "actors.csv"
    mapping.write_text("name,actor\nJaish al Fateh,opposition\n", encoding="utf-8")
    ledger, _ = _import(Y2015, actor_map=mapping)
    assert ledger.claim("acled/SYR12").event.actor == "opposition"
    assert ActorMap.read(mapping).names == {"jaish al fateh": "opposition"}
    mapping.write_text("name,actor\nJaish al Fateh,jaish\n", encoding="utf-8")
    with pytest.raises(DatasetFileError, match="'jaish'"):
        _import(Y2015, actor_map=mapping)


def test_places_match_on_country_and_distance_and_same_name_towns_stay_apart() -> None:
    ledger, _ = _import(
        _current(
            # a Somali village named like a Syrian city (3,000+ km away)
            _row(
                "SOM1",
                "Armed clash",
                "Al Shabaab",
                "Rebel group",
                "",
                "",
                "Hama,2.62,43.51",
                country="Somalia",
                admin1="Bay",
            ),
            # a Syrian village of the same name as Homs, 200 km from the city
            _row("SYR61", "Armed clash", GOV, "State forces", "", "", "Homs,35.9,38.6"),
            _row("SYR62", "Armed clash", GOV, "State forces", "", "", "Hama,35.14,36.76"),
        )
    )
    places = ledger.registries.places
    somali = places[ledger.claim("acled/SOM1").event.place]
    assert (somali.name, somali.parent, somali.coordinates) == (
        "Hama (Bay, Somalia)",
        "somalia",
        cl.Coordinates(lat=2.62, lon=43.51),
    )
    assert ledger.claim("acled/SYR61").event.place != "homs"
    assert ledger.claim("acled/SYR62").event.place == "hama"


def test_a_row_near_a_town_claims_a_presence_near_it_not_the_town() -> None:
    ledger, _ = _import(
        _current(
            _row(
                "SYR71",
                "Non-state actor overtakes territory",
                "HTS: Hayat Tahrir al Sham",
                "Rebel group",
                GOV,
                "State forces",
                "Hama,35.13,36.75",
                geo="2",
            )
        )
    )
    event = ledger.claim("acled/SYR71").event
    assert (event.place, event.extent) == ("hama", cl.Extent.SOME)
    assert cl.snapshot(ledger, at="2024-12-07T00:00Z")["hama"].holder is None


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ("revision", "2024-12-08T00:00:00+00:00"),  # ACLED's timestamp: the last revision
        ("event", "2024-12-06T00:00:00+00:00"),  # the end of the event's day
        ("import", "2025-01-01T00:00:00+00:00"),  # when you imported it
    ],
)
def test_the_knowledge_clock_is_the_users_choice(clock: str, expected: str) -> None:
    text = _current(_row("SYR81", "Armed clash", GOV, "State forces", "", "", "Hama,35.13,36.75"))
    ledger, _ = _import(text, reported_at=clock, now="2025-01-01T00:00Z", tz="UTC")
    assert ledger.claim("acled/SYR81").reported_at.isoformat() == expected


# Files as they come: R's write.csv (NA, ISO date-times, quoted), ';' spreadsheets, gzip,
# cp1252, Latin-1 and UTF-16 files.
R_WRITTEN = (
    '"event_id_cnty","event_date","year","time_precision","event_type","sub_event_type",'
    '"actor1","inter1","actor2","inter2","country","admin1","location","latitude","longitude",'
    '"geo_precision","source","notes","fatalities","timestamp"\n'
    f'"SYR91","2024-12-05T00:00:00Z",2024,1,"Battles","Armed clash","{GOV}","State forces",NA,NA,'
    '"Syria","Hama","Hama",35.13,36.75,1,"SOHR",NA,3,"2024-12-08T00:00:00Z"\n'
)


def test_an_r_written_file_with_na_and_iso_date_times_reads_like_the_export() -> None:
    ledger, report = _import(R_WRITTEN, tz="UTC")
    assert report.rejected == ()
    claim = ledger.claim("acled/SYR91")
    assert claim.event.other_actor is None
    assert claim.valid == cl.ValidTime.day(cl.to_instant("2024-12-05T00:00Z").date(), tz="UTC")
    assert claim.reported_at == cl.to_instant("2024-12-08T00:00Z")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_encodings_separators_and_gzip_are_detected(tmp_path: Path, encoding: str) -> None:
    text = R_WRITTEN.replace(",", ";").replace('"Hama";"Hama"', '"Ḩamāh";"Hamâ"')
    if encoding in ("cp1252", "latin-1"):
        text = text.replace("Ḩamāh", "Hamah")
    path = tmp_path / "export.csv.gz"
    path.write_bytes(gzip.compress(text.encode(encoding)))
    ledger = _ledger()
    report = import_acled(ledger, path)
    assert report.rejected == ()
    claim = ledger.claim("acled/SYR91")
    assert claim.event.place == "hama"  # "Hamâ" is the gazetteer's Hama, 0 km away
    assert '"location": "Hamâ"' in claim.note


def test_a_wrong_encoding_and_a_wrong_kind_are_one_error_and_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(R_WRITTEN.replace("Hama", "Hamâ").encode("cp1252"))
    ledger = _ledger()
    with pytest.raises(DatasetFileError, match="not utf-8") as caught:
        import_acled(ledger, path, encoding="utf-8")
    assert caught.value.encoding == "utf-8"
    ged = tmp_path / "ged.csv"
    ged.write_text(
        "id,type_of_violence,side_a,side_b,where_coordinates,date_start,date_end,best\n"
        "1,1,Government of Syria,IS,Hama,2024-12-01,2024-12-01,3\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetFileError, match=r"looks like a UCDP GED file.*--kind ucdp"):
        import_acled(ledger, ged)
    with pytest.raises(DatasetFileError, match="header and no rows"):
        import_acled(ledger, io.StringIO(CURRENT))
    with pytest.raises(DatasetFileError, match="empty"):
        import_acled(ledger, io.StringIO(""))
    with pytest.raises(DatasetFileError, match="looks like an ACLED export"):
        import_ucdp(ledger, io.StringIO(R_WRITTEN))
    assert len(ledger) == 0


def test_export_keeps_every_column_of_the_layout_it_came_from() -> None:
    text = _current(
        _row(
            "SYR95",
            "Armed clash",
            GOV,
            "State forces",
            "",
            "",
            "Hama,35.13,36.75",
            civ="Civilian targeting",
            admin2="Hama",
            tags="crowd size=no report",
        )
    )
    ledger, _ = _import(text)
    out = io.StringIO()
    write_acled_csv(out, ledger)
    exported = out.getvalue().splitlines()
    header, row = exported[0].split(","), exported[1].split(",")
    got = dict(zip(header, row, strict=True))
    assert (got["disorder_type"], got["civilian_targeting"], got["tags"], got["admin2"]) == (
        "Political violence",
        "Civilian targeting",
        "crowd size=no report",
        "Hama",
    )
    assert got["actor1"] == GOV  # as the file named it, not the gazetteer's name


def test_read_acled_file_reports_the_layout() -> None:
    found = read_acled_file(io.StringIO(Y2015), syria())
    assert (found.layout.generation.value, found.layout.long) == ("2015", False)
    found = read_acled_file(io.StringIO(_long_rows([0, 1])), syria())
    assert (found.layout.generation.value, found.layout.long) == ("2022-", True)


def test_ingesting_a_long_file_again_into_a_claims_file_appends_nothing_whatever_tz(
    tmp_path: Path,
) -> None:
    from conflict_ledger.adapters.files import ingest

    data = tmp_path / "long.csv"
    data.write_text(_long_rows([0, 1, 2, 3]), encoding="utf-8")
    target = tmp_path / "ledger.jsonl"
    assert ingest(data, target).appended == ("acled/SYR31",)
    data.write_text(_long_rows([2, 0, 3, 1]), encoding="utf-8")
    again = ingest(data, target, tz="Asia/Damascus")
    assert (again.appended, again.unchanged) == ((), ("acled/SYR31",))


GED = (
    "id,type_of_violence,conflict_name,side_a,side_b,source_original,source_office,"
    "source_date,where_prec,where_coordinates,latitude,longitude,country,date_prec,"
    "date_start,date_end,best\n"
    # a source that spoke before the coded start (2.1% of one real GED file's events)
    "700001,1,Syria: Government,Government of Syria,Syrian insurgents,SOHR,Reuters,"
    "2024-11-28,1,Hama town,35.13,36.75,Syria,1,2024-12-01,2024-12-02,11\n"
    "700002,1,Syria: Government,Government of Syria,Syrian insurgents,SOHR,AFP,"
    "2024-12-03,1,Hama town,35.13,36.75,Syria,1,2024-12-02,2024-12-02,4\n"
)


def test_ged_events_are_kept_even_when_a_source_spoke_first_and_shown_as_context() -> None:
    ledger = _ledger()
    import_acled(ledger, io.StringIO(_current(_row(
        "SYR99", "Non-state actor overtakes territory", "HTS: Hayat Tahrir al Sham",
        "Rebel group", GOV, "State forces", "Hama,35.13,36.75", date="2024-12-05"))))  # fmt: skip
    report = import_ucdp(ledger, io.StringIO(GED), name="ged.csv")
    assert report.appended == ("ucdp/700001", "ucdp/700002")
    assert report.flagged == ("ucdp/700001",)
    early = ledger.claim("ucdp/700001")
    assert early.event.fatalities == 11
    assert "precedes date_start" in early.note
    place = early.event.place
    why = cl.explain(ledger, place, at="2024-12-06T00:00Z")
    assert {c.id for c in why.context} >= {"ucdp/700001", "ucdp/700002"}
    line = cl.timeline(ledger, place)
    assert [c.id for c in line.context] == ["ucdp/700001", "ucdp/700002"]
    printed = str(line)
    assert "Context (events that move no holder):" in printed
    assert "ucdp/700001  state-based, 11 deaths" in printed
    assert line.entries[-1].state.holder == "hts"  # GED moves no holder


def test_progress_is_reported_while_reading() -> None:
    seen: list[tuple[int, int]] = []
    ledger = _ledger()
    import_acled(
        ledger, io.StringIO(Y2015), progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(3, 3)]
