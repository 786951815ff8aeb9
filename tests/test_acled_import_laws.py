"""Law: importing any generated ACLED export twice, in any row order, gives the ledger of once.

The oracle is the simplest one: a fresh ledger that imported the file once, in the order
it was written. Exports are generated in the current wide layout, the 2015 layout and
acledR's long format, with repeated rows, territorial and other sub-event types, known
and new actors and places, and notes that do or do not say who gained.
"""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.adapters.acled import CURRENT_COLUMNS, import_acled
from conflict_ledger.gazetteer import syria

_ACTORS = [
    ("Military Forces of Syria (2000-2024)", "State forces", "1"),
    ("Military Forces of Syria (2000-2024) Air Force", "State forces", "1"),
    ("HTS: Hayat Tahrir al Sham", "Rebel group", "2"),
    ("Islamic State (Syria)", "Rebel group", "2"),
    ("Jaish al Fateh", "Rebel group", "2"),
    ("Military Forces of Russia (2000-)", "External/Other forces", "8"),
]
_PLACES = [
    ("Syria", "Hama", "Hama", "35.13", "36.75"),
    ("Syria", "Homs", "Homs", "34.73", "36.72"),
    ("Syria", "Idlib", "Saraqib", "35.86", "36.80"),
    ("Somalia", "Bay", "Hama", "2.62", "43.51"),
]
_TYPES = [
    ("Battles", "Armed clash", "Battle-No change of territory"),
    ("Battles", "Government regains territory", "Battle-Government regains territory"),
    (
        "Battles",
        "Non-state actor overtakes territory",
        "Battle-Non-state actors overtake territory",
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
_NOTES = ["", "Synthetic.", "Rebels took the town after regime forces withdrew."]


@st.composite
def _rows(draw: st.DrawFn) -> list[dict[str, str]]:
    rows = []
    for number in range(draw(st.integers(min_value=1, max_value=6))):
        (a1, i1, c1), (a2, i2, c2) = draw(
            st.lists(st.sampled_from(_ACTORS), min_size=2, max_size=2, unique=True)
        )
        country, admin1, location, lat, lon = draw(st.sampled_from(_PLACES))
        event_type, sub, legacy = draw(st.sampled_from(_TYPES))
        day = draw(st.integers(min_value=1, max_value=28))
        rows.append(
            {
                "event_id_cnty": f"SYR{number}",
                "event_date": f"2024-11-{day:02d}",
                "year": "2024",
                "time_precision": draw(st.sampled_from(["1", "2", "3"])),
                "disorder_type": draw(st.sampled_from(["Political violence", ""])),
                "event_type": event_type,
                "sub_event_type": sub,
                "legacy": legacy,
                "actor1": a1,
                "inter1": i1,
                "code1": c1,
                "actor2": a2 if draw(st.booleans()) else "",
                "inter2": i2,
                "code2": c2,
                "assoc_actor_1": draw(st.sampled_from(["", "Ahrar al Sham; Jaish al Izza"])),
                "country": country,
                "admin1": admin1,
                "location": location,
                "latitude": lat,
                "longitude": lon,
                "geo_precision": draw(st.sampled_from(["1", "2", "3"])),
                "source": draw(st.sampled_from(["SOHR", "SANA; Reuters"])),
                "notes": draw(st.sampled_from(_NOTES)),
                "fatalities": str(draw(st.integers(min_value=0, max_value=9))),
                "timestamp": str(1733000000 + day * 86_400),
            }
        )
    return rows


def _lines(rows: list[dict[str, str]], layout: str) -> tuple[list[str], list[list[str]]]:
    if layout == "current":
        header = list(CURRENT_COLUMNS)
        return header, [[row.get(c, "") for c in header] for row in rows]
    if layout == "2015":
        header = ["EVENT_ID_CNTY", "EVENT_DATE", "YEAR", "TIME_PRECISION", "EVENT_TYPE", "ACTOR1",
                  "ALLY_ACTOR_1", "INTER1", "ACTOR2", "INTER2", "COUNTRY", "ADMIN1", "LOCATION",
                  "LATITUDE", "LONGITUDE", "GEO_PRECISION", "SOURCE", "NOTES", "FATALITIES"]  # fmt: skip
        out = []
        for row in rows:
            values = dict(row, event_type=row["legacy"], inter1=row["code1"], inter2=row["code2"])
            values["ally_actor_1"] = row["assoc_actor_1"]
            out.append([values.get(c.casefold(), "") for c in header])
        return header, out
    header = [c for c in CURRENT_COLUMNS if c not in ("actor1", "actor2", "assoc_actor_1",
              "assoc_actor_2", "inter1", "inter2")] + ["type_of_actor", "actor", "inter_type", "inter"]  # fmt: skip
    out = []
    for row in rows:
        people = [("actor1", row["actor1"], "inter1", row["inter1"])]
        if row["actor2"]:
            people.append(("actor2", row["actor2"], "inter2", row["inter2"]))
        people += [("assoc_actor_1", a.strip(), "inter1", "") for a in row["assoc_actor_1"].split(";") if a.strip()]  # fmt: skip
        for position, actor, inter_type, inter in people:
            values = dict(
                row, type_of_actor=position, actor=actor, inter_type=inter_type, inter=inter
            )
            out.append([values.get(c, "") for c in header])
    return header, out


def _text(header: list[str], lines: list[list[str]]) -> io.StringIO:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(lines)
    out.seek(0)
    return out


def _ledger() -> cl.Ledger:
    return cl.Ledger(registries=syria(), clock=cl.fixed_clock("2025-01-01T00:00Z"))


@given(
    rows=_rows(),
    layout=st.sampled_from(["current", "2015", "long"]),
    repeated=st.booleans(),
    data=st.data(),
)
def test_importing_an_export_twice_in_any_order_equals_importing_it_once(
    rows, layout, repeated, data
) -> None:
    header, lines = _lines(rows, layout)
    if repeated and layout != "long":
        lines = [*lines, lines[0]]  # a true duplicate: reported, imported once
    once = _ledger()
    first = import_acled(once, _text(header, lines))
    twice = _ledger()
    for _ in range(2):
        shuffled = data.draw(st.permutations(lines), label="row order")
        import_acled(twice, _text(header, list(shuffled)))
    assert twice.claims() == once.claims()
    assert twice.registries == once.registries
    assert len(first.appended) + len(first.rejected) == len(rows)
