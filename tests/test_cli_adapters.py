"""The CLI's ingest, export and plot commands: outputs, exit codes and clear errors."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import matplotlib
import matplotlib.image
import pytest

from conflict_ledger.adapters.geojson import check_feature_collection
from conflict_ledger.cli import main
from conflict_ledger.saving import save_ledger
from conflict_ledger.seed import load_seed

ROOT = Path(__file__).parent
ACLED = ROOT / "data" / "acled"
UCDP = ROOT / "data" / "ucdp"
SEED = ROOT.parent / "src" / "conflict_ledger" / "data" / "dawn-2024-12-07.claims.jsonl"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("command", ["ingest", "export", "plot"])
def test_every_new_command_has_help_with_examples(capsys, command: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert f"conflict-ledger {command} " in out.split("examples:")[1]


def test_ingest_grows_one_file_that_every_command_reads(capsys, tmp_path: Path) -> None:
    ledger = tmp_path / "syria.claims.jsonl"
    code, out, _ = run(capsys, "ingest", ACLED / "current.csv", "--into", ledger)
    assert code == 0
    assert "9 claims appended" in out
    code, out, _ = run(
        capsys, "ingest", ACLED / "current.csv", "--into", ledger, "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["appended"] == []
    code, out, _ = run(
        capsys, "ingest", ACLED / "current_updated.csv", "--into", ledger, "--format", "json"
    )
    assert json.loads(out)["corrections"] == ["acled/SYR102#2"]
    code, out, _ = run(
        capsys, "ingest", UCDP / "ged_sample.csv", "--kind", "ucdp", "--into", ledger
    )
    assert (code, "4 claims appended" in out) == (0, True)
    code, out, _ = run(capsys, "snapshot", ledger, "--at", "2024-12-10", "--format", "json")
    assert code == 0
    holders = {row["place"]: row["holder"] for row in json.loads(out)}
    assert holders["homs"] == "hts"  # ACLED names map to the gazetteer's actors
    code, out, _ = run(capsys, "explain", ledger, "Rastan", "--at", "2024-12-10")
    assert code == 0


def test_ingest_reports_rejected_rows_and_exits_4(capsys, tmp_path: Path) -> None:
    ledger = tmp_path / "l.jsonl"
    code, out, _ = run(capsys, "ingest", ACLED / "bad_rows.csv", "--into", ledger)
    assert code == 4
    assert "2 claims appended" in out
    assert f"rejected {ACLED / 'bad_rows.csv'}:4: event_date=" in out
    assert ledger.exists()
    strict = tmp_path / "strict.jsonl"
    code, out, _ = run(capsys, "ingest", ACLED / "bad_rows.csv", "--into", strict, "--strict")
    assert code == 4
    assert "nothing written" in out
    assert not strict.exists()


def test_a_missing_file_is_a_clear_error(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "ingest", tmp_path / "nope.csv", "--into", tmp_path / "l.jsonl")
    assert code == 1
    assert "nope.csv: no such file" in err
    code, _, err = run(capsys, "export", tmp_path / "nope.jsonl", "--at", "2024-12-07")
    assert code == 1
    assert "no such file" in err


def test_a_file_of_the_wrong_kind_is_one_summarising_error_and_nothing_is_written(
    capsys, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.jsonl"
    ged = Path(__file__).parent / "data" / "ucdp" / "ged_sample.csv"
    code, out, err = run(capsys, "ingest", ged, "--into", ledger)
    assert code == 1
    assert "this looks like a UCDP GED file" in err
    assert "--kind ucdp" in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1
    assert not ledger.exists()


def test_export_geojson_is_rfc_7946(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "export", SEED, "--as", "geojson", "--at", "2024-12-07")
    assert code == 0
    collection = json.loads(out)
    check_feature_collection(collection)
    target = tmp_path / "snap.geojson"
    code, out, _ = run(capsys, "export", SEED, "--at", "2024-12-07", "-o", target)
    assert out.strip() == (
        f"wrote {len(collection['features'])} features to {target}; "
        "left out 2 places without coordinates: eastern-syria, syria"
    )
    assert json.loads(target.read_text(encoding="utf-8")) == collection
    code, out, _ = run(
        capsys, "export", SEED, "--at", "2024-12-07", "-o", target, "--format", "json"
    )
    assert json.loads(out) == {
        "wrote": str(target),
        "as": "geojson",
        "features": len(collection["features"]),
        "unlocated": ["eastern-syria", "syria"],
    }


def test_export_geojson_names_the_hand_registered_towns_it_leaves_out(
    capsys, tmp_path: Path
) -> None:
    """The Goma episode: Masisi, Minova and the airport were registered without coordinates
    (GeoNames lacks them); only Goma is mapped at 1 February 2025."""
    from tests.acceptance.goma import EPISODE

    ledger = tmp_path / "goma.sqlite"
    save_ledger(EPISODE.ledger(), ledger)
    target = tmp_path / "goma.geojson"
    code, out, _ = run(capsys, "export", ledger, "--at", "2025-02-01", "-o", target)
    assert (code, out.strip()) == (
        0,
        f"wrote 1 feature to {target}; "
        "left out 3 places without coordinates: goma-airport, masisi, minova",
    )


def test_export_html_is_a_page_in_the_zone_asked_for(capsys, tmp_path: Path) -> None:
    """The snapshot's HTML table (as Jupyter shows it) in a page a browser opens alone."""
    target = tmp_path / "snap.html"
    code, out, _ = run(
        capsys, "export", SEED, "--as", "html", "--at", "2024-12-07", "--tz", "Asia/Damascus",
        "-o", target,
    )  # fmt: skip
    assert (code, out.strip()) == (0, f"wrote 10 places to {target}")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in page
    assert "times in Asia/Damascus" in page
    assert "2024-12-07 00:00 +03:00" in page


def test_export_csv_acled_and_claims(capsys) -> None:
    code, out, _ = run(capsys, "export", SEED, "--as", "csv", "--at", "2024-12-07")
    assert code == 0
    assert len(out.splitlines()) == 1 + 10
    code, out, _ = run(capsys, "export", SEED, "--as", "acled")
    assert out.splitlines()[0].startswith("event_id_cnty,event_date,year")
    code, out, _ = run(capsys, "export", SEED, "--as", "claims-csv")
    assert code == 0
    assert len(out.splitlines()) == 1 + len(load_seed())


def test_bad_date_and_unknown_place_are_clear_errors(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "export", SEED, "--at", "2024-13-45")
    assert code == 1
    assert "--at='2024-13-45'" in err
    code, _, err = run(
        capsys, "plot", SEED, "--chart", "timeline", "--place", "Atlantis", "-o", tmp_path / "x.png"
    )
    assert code == 1
    assert "unknown place 'Atlantis'" in err
    code, _, err = run(capsys, "plot", SEED, "--chart", "map", "-o", tmp_path / "x.png")
    assert code == 1
    assert "--at" in err


@pytest.mark.parametrize(
    ("chart", "extra"),
    [
        ("timeline", ["--start", "2024-11-27", "--end", "2024-12-09"]),
        ("map", ["--at", "2024-12-07"]),
        ("multiples", ["--dates", "2024-12-05", "2024-12-06", "2024-12-07"]),
    ],
)
def test_plot_writes_pictures(capsys, tmp_path: Path, chart: str, extra: list[str]) -> None:
    target = tmp_path / f"{chart}.png"
    code, out, _ = run(capsys, "plot", SEED, "--chart", chart, *extra, "-o", target)
    assert code == 0
    assert out.strip() == f"wrote {chart} chart to {target}"
    assert matplotlib.image.imread(target).ndim == 3
    code, out, _ = run(
        capsys, "plot", SEED, "--chart", chart, *extra, "-o", target, "--format", "json"
    )
    assert (code, json.loads(out)["wrote"]) == (0, str(target))


def test_plot_refuses_an_unknown_picture_format(capsys, tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "plot", SEED, "--at", "2024-12-07", "--chart", "map", "-o", tmp_path / "m.gif"
    )
    assert code == 1
    assert ".png or .svg" in err


def _how_to_command_lines() -> list[str]:
    lines = []
    for page in sorted((ROOT.parent / "docs").glob("howto-*.md")):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"^```sh\n(.*?)^```", text, re.DOTALL | re.MULTILINE):
            lines.extend(line for line in block.splitlines() if line.startswith("conflict-ledger "))
    return lines


def test_every_command_line_in_the_how_to_guides_runs(capsys, tmp_path: Path, monkeypatch) -> None:
    lines = _how_to_command_lines()
    assert len(lines) >= 10
    for folder in ("examples", "tests", "seeds"):
        (tmp_path / folder).symlink_to(ROOT.parent / folder)
    monkeypatch.chdir(tmp_path)
    for line in lines:
        code, _, err = run(capsys, *shlex.split(line)[1:])
        assert code == 0, f"{line}: exit {code}: {err}"


def test_plot_draws_its_times_in_the_zone_given(capsys, tmp_path: Path) -> None:
    """--tz reads typed times and draws the chart's times in that zone (SVG text kept as
    text so the labels can be read back)."""
    target = tmp_path / "timeline.svg"
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        code, _, _ = run(
            capsys, "plot", SEED, "--chart", "timeline", "--start", "2024-11-27",
            "--end", "2024-12-09", "--known-at", "2024-12-08 12:00",
            "--tz", "Africa/Lubumbashi", "-o", target,
        )  # fmt: skip
    assert code == 0
    svg = target.read_text(encoding="utf-8")
    assert "valid time (Africa/Lubumbashi)" in svg
    assert "as known at 2024-12-08 12:00 +02:00" in svg
    target = tmp_path / "map.svg"
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        code, _, _ = run(
            capsys, "plot", SEED, "--chart", "map", "--at", "2024-12-07 08:00",
            "--tz", "Africa/Lubumbashi", "-o", target,
        )  # fmt: skip
    assert code == 0
    assert "Who holds what at 2024-12-07 08:00 +02:00" in target.read_text(encoding="utf-8")


def test_an_export_report_names_ten_places_left_out_and_counts_the_rest() -> None:
    # A ledger of places without coordinates (a synthetic war, an import before placing)
    # made one line of thousands of ids; JSON still lists them all.
    import argparse

    from conflict_ledger.cli.commands import _wrote

    args = argparse.Namespace(kind="geojson", format="text", output="snap.geojson")
    unlocated = [f"p{i:05d}" for i in range(7339)]
    line = _wrote(args, 0, unlocated)
    assert line == (
        "wrote 0 features to snap.geojson; left out 7,339 places without coordinates: "
        + ", ".join(unlocated[:10])
        + " and 7,329 more (--format json lists them all)"
    )
    args.format = "json"
    assert json.loads(_wrote(args, 0, unlocated))["unlocated"] == unlocated


def test_an_import_report_lists_twenty_rows_of_a_kind_and_counts_the_rest() -> None:
    # A 100,000-row ACLED export printed 1,661 "undecided" lines (the newcomer trial).
    from conflict_ledger.adapters.rows import ImportReport
    from conflict_ledger.cli.commands import _report_text

    undecided = tuple(f"acled/SYR{i}" for i in range(1661))
    lines = _report_text(ImportReport(path="x.csv", undecided=undecided), True).splitlines()
    assert lines[0].endswith("1661 undecided")
    assert lines[1:21] == [f"  undecided acled/SYR{i} (moves no holder)" for i in range(20)]
    assert lines[21:] == ["  ... and 1,641 more undecided (--format json lists them all)"]
