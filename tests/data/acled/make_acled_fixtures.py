"""Write the synthetic ACLED-format fixtures (invented rows, not ACLED data).

Run from this folder: python make_acled_fixtures.py. The files are committed; this script
says how they were made and keeps them consistent.
"""

import csv

CURRENT = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
GOV = "Military Forces of Syria (2000-2024)"
HTS = "HTS: Hayat Tahrir al Sham"
SDF = "SDF: Syrian Democratic Forces"
SNA = "SNA: Syrian National Army"


def row(
    eid,
    date,
    sub,
    a1,
    a2,
    loc,
    lat,
    lon,
    *,
    etype="Battles",
    tp="1",
    gp="1",
    src="Syrian Observatory for Human Rights; Reuters",
    scale="Other-International",
    notes="",
    deaths="0",
    stamp="1733616000",
    inter1="Rebel group",
    inter2="State forces",
    admin1="Aleppo",
):
    return {
        "event_id_cnty": eid,
        "event_date": date,
        "year": date[-4:],
        "time_precision": tp,
        "disorder_type": "Political violence",
        "event_type": etype,
        "sub_event_type": sub,
        "actor1": a1,
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": a2,
        "assoc_actor_2": "",
        "inter2": inter2 if a2 else "",
        "interaction": "",
        "civilian_targeting": "",
        "iso": "760",
        "region": "Middle East",
        "country": "Syria",
        "admin1": admin1,
        "admin2": "",
        "admin3": "",
        "location": loc,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": gp,
        "source": src,
        "source_scale": scale,
        "notes": notes or f"Synthetic test row {eid}.",
        "fatalities": deaths,
        "tags": "",
        "timestamp": stamp,
    }


ROWS = [
    row(
        "SYR100",
        "29 November 2024",
        "Non-state actor overtakes territory",
        HTS,
        GOV,
        "Aleppo",
        "36.20",
        "37.16",
        deaths="12",
    ),
    row(
        "SYR101",
        "05 December 2024",
        "Non-state actor overtakes territory",
        HTS,
        GOV,
        "Hama",
        "35.13",
        "36.75",
        admin1="Hama",
        deaths="9",
    ),
    row(
        "SYR102",
        "06 December 2024",
        "Non-violent transfer of territory",
        SDF,
        GOV,
        "Deir ez-Zor",
        "35.34",
        "40.14",
        etype="Strategic developments",
        admin1="Deir ez Zor",
        src="Syrian Sources",
        scale="National",
    ),
    row(
        "SYR103",
        "06 December 2024",
        "Armed clash",
        GOV,
        HTS,
        "Rastan",
        "34.93",
        "36.73",
        inter1="State forces",
        inter2="Rebel group",
        admin1="Homs",
        deaths="7",
        notes="Synthetic: clashes north of Homs;\nfighting continued overnight.",
    ),
    row(
        "SYR104",
        "07 December 2024",
        "Air/drone strike",
        "Military Forces of Russia (2000-)",
        "",
        "Talbiseh",
        "34.84",
        "36.73",
        etype="Explosions/Remote violence",
        tp="2",
        inter1="External/Other forces",
        admin1="Homs",
        deaths="3",
    ),
    row(
        "SYR105",
        "08 December 2024",
        "Non-state actor overtakes territory",
        HTS,
        GOV,
        "Homs",
        "34.73",
        "36.72",
        admin1="Homs",
        stamp="1733702400",
    ),
    row(
        "SYR106",
        "03 December 2024",
        "Headquarters or base established",
        SNA,
        "",
        "Tall Rifat",
        "36.47",
        "37.10",
        etype="Strategic developments",
        gp="2",
        src="Anadolu Agency",
        scale="Regional",
    ),
    row(
        "SYR107",
        "15 November 2024",
        "Peaceful protest",
        "Protesters (Syria)",
        "",
        "Al Mayadin",
        "35.02",
        "40.45",
        etype="Protests",
        tp="3",
        inter1="Protesters",
        admin1="Deir ez Zor",
        src="Deir Ezzor 24",
        scale="Subnational",
    ),
    row(
        "SYR108",
        "09 December 2024",
        "Non-state actor overtakes territory",
        SNA,
        SDF,
        "Manbij",
        "36.53",
        "37.95",
        inter2="Rebel group",
        stamp="1733788800",
        deaths="4",
    ),
]


def write(name, rows, columns=CURRENT):
    with open(name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=columns, lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)


def main():
    """Write every fixture file into the current folder."""
    write("current.csv", ROWS)

    # A later export: SYR100 unchanged, SYR102 revised (newer timestamp), SYR104 revised but
    # stamped earlier than the first import (an older file), SYR109 new.
    updated = [dict(r) for r in ROWS if r["event_id_cnty"] in ("SYR100", "SYR102", "SYR104")]
    updated[1].update(
        fatalities="2", notes="Synthetic: revised after a second source.", timestamp="1733961600"
    )
    updated[2].update(fatalities="5", timestamp="1733529600")
    updated.append(
        row(
            "SYR109",
            "10 December 2024",
            "Non-state actor overtakes territory",
            HTS,
            GOV,
            "Damascus",
            "33.51",
            "36.29",
            admin1="Damascus",
            stamp="1733961600",
        )
    )
    write("current_updated.csv", updated)

    # The alphabetical API dump: ISO dates, extra columns, columns sorted by name.
    api = []
    for r in ROWS[:4]:
        r = dict(
            r,
            event_date="2024-"
            + {"November": "11", "December": "12"}[r["event_date"].split()[1]]
            + "-"
            + r["event_date"].split()[0],
            data_id="9" + r["event_id_cnty"][3:],
            iso3="SYR",
            event_id_no_cnty=r["event_id_cnty"][3:],
        )
        api.append(r)
    write("api_alphabetical.csv", api, sorted([*CURRENT, "data_id", "iso3", "event_id_no_cnty"]))

    # A US spreadsheet: month-first dates, Excel's d-Mon-yy and a serial day number.
    us = [dict(r) for r in ROWS[:3]]
    us[0]["event_date"] = "11/29/2024"
    us[1]["event_date"] = "5-Dec-24"
    us[2]["event_date"] = "45632"
    write("spreadsheet_us.csv", us)

    # The 2015 layout: upper-case headers, ALLY_ACTOR columns, numeric INTER codes, the old
    # combined event types, day-first dates and no timestamp.
    legacy_header = [
        "GWNO",
        "EVENT_ID_CNTY",
        "EVENT_ID_NO_CNTY",
        "EVENT_DATE",
        "YEAR",
        "TIME_PRECISION",
        "EVENT_TYPE",
        "ACTOR1",
        "ALLY_ACTOR_1",
        "INTER1",
        "ACTOR2",
        "ALLY_ACTOR_2",
        "INTER2",
        "INTERACTION",
        "COUNTRY",
        "ADMIN1",
        "ADMIN2",
        "ADMIN3",
        "LOCATION",
        "LATITUDE",
        "LONGITUDE",
        "GEO_PRECISION",
        "SOURCE",
        "NOTES",
        "FATALITIES",
    ]
    legacy = [
        [
            "652",
            "SYR1",
            "1",
            "28/03/2015",
            "2015",
            "1",
            "Battle-Non-state actor overtakes territory",
            "Jaish al Fateh",
            "",
            "2",
            "Military Forces of Syria (2000-2024)",
            "",
            "1",
            "12",
            "Syria",
            "Idlib",
            "",
            "",
            "Idleb",
            "35.93",
            "36.63",
            "1",
            "Syrian Sources; Local Media",
            "Synthetic legacy row.",
            "20",
        ],
        [
            "652",
            "SYR2",
            "2",
            "01/04/2015",
            "2015",
            "2",
            "Battle-No change of territory",
            "Military Forces of Syria (2000-2024)",
            "",
            "1",
            "Jaish al Fateh",
            "",
            "2",
            "12",
            "Syria",
            "Idlib",
            "",
            "",
            "Idleb",
            "35.93",
            "36.63",
            "1",
            "Syrian Sources",
            "Synthetic.",
            "4",
        ],
        [
            "652",
            "SYR3",
            "3",
            "15/05/2015",
            "2015",
            "3",
            "Headquarters or base established",
            "Jaish al Fateh",
            "",
            "2",
            "",
            "",
            "",
            "20",
            "Syria",
            "Idlib",
            "",
            "",
            "Jisr ash Shughur",
            "35.81",
            "36.32",
            "3",
            "Local Media",
            "Synthetic.",
            "0",
        ],
        [
            "652",
            "SYR4",
            "4",
            "20/05/2015",
            "2015",
            "1",
            "Battle-Government regains territory",
            "Military Forces of Syria (2000-2024)",
            "",
            "1",
            "Jaish al Fateh",
            "",
            "2",
            "12",
            "Syria",
            "Idlib",
            "",
            "",
            "Jisr ash Shughur",
            "35.81",
            "36.32",
            "1",
            "SANA",
            "Synthetic.",
            "6",
        ],
    ]
    with open("legacy_2015.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(legacy_header)
        writer.writerows(legacy)

    # Good rows and bad rows mixed; the notes of one good row span two lines.
    bad = [
        row(
            "SYR200",
            "06 December 2024",
            "Armed clash",
            GOV,
            HTS,
            "Hama",
            "35.13",
            "36.75",
            notes="Synthetic: first line\nsecond line of notes.",
        ),
        row("SYR201", "31 February 2024", "Armed clash", GOV, HTS, "Hama", "35.13", "36.75"),
        row("SYR202", "06 December 2024", "Armed clash", "", HTS, "Hama", "35.13", "36.75"),
        row("SYR203", "06 December 2024", "Armed clash", GOV, HTS, "Nowhere Town", "", ""),
        row(
            "SYR204", "06 December 2024", "Armed clash", GOV, HTS, "Hama", "35.13", "36.75", tp="5"
        ),
        row(
            "SYR205",
            "06 December 2024",
            "Armed clash",
            GOV,
            HTS,
            "Hama",
            "35.13",
            "36.75",
            deaths="many",
        ),
        row("SYR206", "06 December 2024", "Armed clash", GOV, HTS, "Homs", "34.73", "36.72"),
        dict(
            row("SYR207", "06 December 2024", "Armed clash", GOV, HTS, "Hama", "35.13", "36.75"),
            year="2023",
        ),
    ]
    write("bad_rows.csv", bad)


if __name__ == "__main__":
    main()
