"""Write the synthetic UCDP GED-format fixtures (invented rows, not UCDP data).

Run from this folder: python make_fixtures.py. The files are committed.
"""

import csv

COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,"
    "country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
).split(",")


def row(eid, kind, side_a, side_b, where, lat, lon, prec, start, end, best, *, original="SOHR",
        office="Reuters;AFP", said="2024-12-07;2024-12-08", where_prec="1",
        conflict="Syria: Government"):
    return {
        "id": eid, "relid": f"SYR-2024-1-{eid}", "year": start[:4], "active_year": "1",
        "code_status": "Clear", "type_of_violence": kind, "conflict_name": conflict,
        "dyad_name": f"{side_a} - {side_b}", "side_a": side_a, "side_b": side_b,
        "number_of_sources": str(len(office.split(";"))), "source_article": "synthetic",
        "source_office": office, "source_date": said, "source_headline": "Synthetic headline",
        "source_original": original, "where_prec": where_prec, "where_coordinates": where,
        "where_description": f"near {where}", "adm_1": "", "adm_2": "", "latitude": lat,
        "longitude": lon, "geom_wkt": f"POINT ({lon} {lat})", "priogrid_gid": "",
        "country": "Syria", "country_id": "652", "region": "Middle East", "event_clarity": "1",
        "date_prec": prec, "date_start": f"{start} 00:00:00.000", "date_end": f"{end} 00:00:00.000",
        "deaths_a": "0", "deaths_b": "0", "deaths_civilians": "0", "deaths_unknown": best,
        "best": best, "high": best, "low": best, "gwnoa": "652", "gwnob": "",
    }


ROWS = [
    row("900001", "1", "Government of Syria", "Syrian insurgents", "Homs town", "34.73", "36.72",
        "1", "2024-12-06", "2024-12-06", "11"),
    row("900002", "1", "Government of Syria", "Syrian insurgents", "Rastan town", "34.93",
        "36.73", "2", "2024-12-03", "2024-12-06", "25", said="2024-12-06"),
    row("900003", "2", "SDF", "SNA", "Manbij town", "36.53", "37.95", "4", "2024-11-01",
        "2024-11-30", "40", original="Local residents;ANHA", office="AFP",
        said="2024-12-01", conflict="SDF - SNA", where_prec="2"),
    row("900004", "3", "IS", "Civilians", "Deir ez-Zor governorate", "35.30", "40.10", "5",
        "2024-01-01", "2024-12-31", "3", original="", office="", said="", where_prec="4",
        conflict="IS - Civilians"),
]

BAD = [
    row("900010", "1", "Government of Syria", "Syrian insurgents", "Hama town", "35.13", "36.75",
        "1", "2024-12-05", "2024-12-05", "2"),
    row("900011", "1", "Government of Syria", "Syrian insurgents", "Hama town", "35.13", "36.75",
        "1", "2024-12-06", "2024-12-05", "2"),
    row("900012", "1", "", "Syrian insurgents", "Hama town", "35.13", "36.75", "1", "2024-12-05",
        "2024-12-05", "2"),
    row("900013", "1", "Government of Syria", "Syrian insurgents", "Hama town", "35.13", "36.75",
        "9", "2024-12-05", "2024-12-05", "2"),
    row("900014", "1", "Government of Syria", "Syrian insurgents", "Hama town", "35.13", "36.75",
        "1", "2024-12-05", "2024-12-05", "2", said="2024-12-01"),
]


def write(name, rows):
    with open(name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)


write("ged_sample.csv", ROWS)
write("ged_bad_rows.csv", BAD)
