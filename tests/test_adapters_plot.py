"""Charts rendered to PNG and SVG and checked for structure: axes, bands, markers, legend."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib.dates
import matplotlib.image
import pendulum
import pytest

import conflict_ledger as cl
from conflict_ledger.adapters.plot import save, small_multiples, snapshot_map, timeline_chart
from conflict_ledger.display.html import actor_colour, actor_colours
from conflict_ledger.gazetteer import syria
from conflict_ledger.rules.territory import TERRITORIAL_EVENTS, Status

START, END = "2024-11-27T00:00Z", "2024-12-09T00:00Z"


def _gids(ax, prefix: str) -> list[str]:
    artists = [*ax.patches, *ax.collections]
    return [a.get_gid() for a in artists if (a.get_gid() or "").startswith(prefix)]


def _expected_bands(ledger: cl.Ledger, places: list[str]) -> dict[str, int]:
    """The oracle: one band per timeline period with someone to colour, by kind."""
    counts = {"band:held": 0, "band:pressed": 0, "band:changing": 0, "band:contested": 0}
    start, end = cl.to_instant(START), cl.to_instant(END)
    for place in places:
        for entry in cl.timeline(ledger, place):
            if entry.start >= end or (entry.end is not None and entry.end <= start):
                continue
            status = entry.state.status
            if status is Status.CONTESTED:
                counts["band:contested"] += 1
            elif status is Status.CHANGING:
                counts["band:changing"] += 1
            elif entry.state.holder is not None:
                counts["band:held" if status is Status.HELD else "band:pressed"] += 1
    return counts


def _contested_ledger() -> cl.Ledger:
    ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-08T00:00Z"))
    ledger.register(cl.Source(id="reuters", name="Reuters", kind="agency"))
    day = cl.ValidTime.between("2024-12-05T00:00Z", "2024-12-06T00:00Z", precision="day")
    for number, actor in enumerate(("opposition", "syrian-government")):
        ledger.append(
            cl.Claim(
                id=f"t/{number}",
                event=cl.Captured(place="hama", actor=actor),
                valid=day,
                reported_at="2024-12-06T00:00Z",
                source=cl.SourceChain.of("reuters"),
            )
        )
    return ledger


def test_seed_timeline_chart_has_a_row_per_place_and_a_band_per_period(tmp_path: Path) -> None:
    ledger = cl.load_seed()
    figure = timeline_chart(ledger, start=START, end=END)
    (ax,) = figure.axes
    places = [ledger.registries.places.resolve(t.get_text()).id for t in ax.get_yticklabels()]
    territorial = {
        c.event.place
        for c in cl.effective_claims(ledger)
        if isinstance(c.event, TERRITORIAL_EVENTS)
    }
    assert sorted(places) == sorted(territorial)
    bands = _gids(ax, "band:")
    expected = _expected_bands(ledger, places)
    assert {kind: bands.count(kind) for kind in expected} == expected
    assert expected["band:changing"] >= 1
    assert expected["band:pressed"] >= 1
    holders = {e.state.holder for p in places for e in cl.timeline(ledger, p)} - {None}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[: len(holders)] == sorted(holders)
    assert len(legend) == len(holders) + 4
    saved = save(figure, tmp_path / "timeline.png")
    image = matplotlib.image.imread(saved)
    assert image.shape[0] > 300
    assert image.shape[1] > 600


def test_held_bands_are_in_the_holders_stable_colour() -> None:
    ledger = cl.load_seed()
    figure = timeline_chart(ledger, ["deir-ez-zor"], start=START, end=END)
    (held,) = [p for p in figure.axes[0].patches if p.get_gid() == "band:held"]
    expected = matplotlib.colors.to_rgba(actor_colours(["sdf", "syrian-government"])["sdf"])
    assert held.get_facecolor() == pytest.approx(expected)
    assert actor_colour("sdf") == actor_colours(["sdf"])["sdf"]


def test_contested_periods_are_hatched_and_claims_marked() -> None:
    ledger = _contested_ledger()
    figure = timeline_chart(ledger, ["hama"], start="2024-12-04T00:00Z", end="2024-12-08T00:00Z")
    ax = figure.axes[0]
    contested = [p for p in ax.patches if p.get_gid() == "band:contested"]
    assert len(contested) == 1
    assert contested[0].get_hatch() == "////"
    (markers,) = [c for c in ax.collections if c.get_gid() == "claims"]
    behind = {c for e in cl.timeline(ledger, "hama") for c in e.state.claims}
    assert len(markers.get_offsets()) == len(behind) >= 1  # one per claim behind the row


def test_snapshot_map_has_a_dot_per_located_place_and_marks_contested_and_stale(tmp_path) -> None:
    ledger = cl.load_seed()
    snap = cl.snapshot(ledger, at="2024-12-07T00:00Z")
    figure = snapshot_map(snap, ledger)
    (ax,) = figure.axes
    located = [s.place for s in snap if ledger.registries.places[s.place].coordinates is not None]
    assert sorted(g.removeprefix("place:") for g in _gids(ax, "place:")) == sorted(located)
    pressed = {s.place for s in snap if s.attackers or s.advancing} & set(located)
    assert {g.removeprefix("pressed:") for g in _gids(ax, "pressed:")} == pressed
    assert ax.get_xlabel() == "longitude"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    holders = sorted({s.holder for s in snap if s.holder and s.place in located})
    assert legend[: len(holders)] == holders
    # A contested place is drawn hollow.
    contested = _contested_ledger()
    hama = snapshot_map(cl.snapshot(contested, at="2024-12-07T00:00Z"), contested).axes[0]
    (dot,) = [c for c in hama.collections if c.get_gid() == "place:hama"]
    assert tuple(dot.get_facecolor()[0]) == (1.0, 1.0, 1.0, 1.0)
    assert dot.get_hatch() == "////"
    save(figure, tmp_path / "map.svg")
    assert (tmp_path / "map.svg").read_text(encoding="utf-8").count("<svg") == 1


def test_stale_places_carry_a_cross() -> None:
    ledger = _contested_ledger()
    ledger.append(
        cl.Claim(
            id="t/old",
            event=cl.Holds(place="homs", actor="syrian-government"),
            valid=cl.ValidTime.exact("2024-10-01T00:00Z"),
            reported_at="2024-10-01T00:00Z",
            source=cl.SourceChain.of("reuters"),
        )
    )
    ax = snapshot_map(cl.snapshot(ledger, at="2024-12-07T00:00Z"), ledger).axes[0]
    assert _gids(ax, "stale:") == ["stale:homs"]


def test_small_multiples_share_extent_and_one_legend(tmp_path: Path) -> None:
    ledger = cl.load_seed()
    dates = ["2024-12-05T00:00Z", "2024-12-06T12:00Z", "2024-12-07T00:00Z", "2024-12-08T00:00Z"]
    figure = small_multiples(ledger, dates, columns=2)
    assert len(figure.axes) == 4
    assert len({ax.get_xlim() for ax in figure.axes}) == 1
    assert sum(ax.get_legend() is not None for ax in figure.axes) == 1
    image = matplotlib.image.imread(save(figure, tmp_path / "multiples.png"))
    assert image.shape[2] == 4


def test_save_refuses_other_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        save(timeline_chart(cl.load_seed(), ["homs"]), tmp_path / "chart.jpg")


def test_the_readme_pictures_are_what_the_code_draws(tmp_path: Path) -> None:
    images = Path(__file__).resolve().parent.parent / "docs" / "images"
    spec = importlib.util.spec_from_file_location("make_images", images / "make_images.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for drawn in module.draw(tmp_path):
        committed = matplotlib.image.imread(images / drawn.name)
        assert matplotlib.image.imread(drawn).shape == committed.shape, drawn.name
    readme = (images.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "docs/images/seed-timeline.png" in readme
    assert "docs/images/seed-map.png" in readme


def _ticks(ax) -> list[tuple[pendulum.DateTime, str]]:
    """Each x tick inside the axis as (its true instant, its label), after a draw."""
    ax.figure.draw_without_rendering()
    left, right = ax.get_xlim()
    return [
        (pendulum.instance(matplotlib.dates.num2date(x)), label.get_text())
        for x, label in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)
        if left <= x <= right
    ]


def test_a_timeline_chart_in_a_zone_names_it_and_ticks_its_local_midnights() -> None:
    tz = "Africa/Lubumbashi"
    ax = timeline_chart(cl.load_seed(), start=START, end=END, tz=tz).axes[0]
    assert ax.get_xlabel() == "valid time (Africa/Lubumbashi)"
    ticks = _ticks(ax)
    assert len(ticks) >= 3
    for instant, label in ticks:
        local = instant.in_timezone(tz)
        assert (local.hour, local.minute) == (0, 0), local
        assert label == local.format("DD MMM\nYYYY")


def test_a_short_timeline_across_a_change_of_clocks_ticks_local_hours() -> None:
    """Kyiv put its clocks back at 04:00 on 27 Oct 2024: ticks stay on whole local hours,
    labelled with them, on both sides of the change (+03:00 before, +02:00 after)."""
    tz = "Europe/Kyiv"
    ax = timeline_chart(
        cl.load_seed(),
        ["homs"],
        start="2024-10-26T12:00+03:00",
        end="2024-10-28T12:00+02:00",
        tz=tz,
    ).axes[0]
    ticks = _ticks(ax)
    offsets = {instant.in_timezone(tz).offset_hours for instant, _ in ticks}
    assert offsets == {3, 2}
    for instant, label in ticks:
        local = instant.in_timezone(tz)
        assert local.minute == 0
        assert label == local.format("DD MMM\nHH:mm")


def test_map_and_multiples_titles_give_local_times_with_the_offset() -> None:
    ledger = cl.load_seed()
    tz = "Asia/Damascus"
    snap = cl.snapshot(ledger, at="2024-12-07T00:00Z", known_at="2024-12-07T06:00Z")
    title = snapshot_map(snap, ledger, tz=tz).axes[0].get_title(loc="left")
    at, known = (cl.to_instant(t).in_timezone(tz) for t in (snap.at, snap.known_at))
    assert title == (
        f"Who holds what at {at.format('YYYY-MM-DD HH:mm Z')}, "
        f"as known at {known.format('YYYY-MM-DD HH:mm Z')}"
    )
    dates = ["2024-12-05T00:00Z", "2024-12-07T00:00Z"]
    figure = small_multiples(ledger, dates, tz=tz)
    assert [ax.get_title() for ax in figure.axes] == [
        cl.to_instant(d).in_timezone(tz).format("D MMM YYYY HH:mm Z") for d in dates
    ]


@pytest.mark.parametrize("draw", ["timeline", "map", "multiples"])
def test_charts_refuse_an_unknown_zone_naming_it(draw: str) -> None:
    ledger = cl.load_seed()
    charts = {
        "timeline": lambda: timeline_chart(ledger, ["homs"], tz="Mars/Olympus"),
        "map": lambda: snapshot_map(cl.snapshot(ledger, at=START), ledger, tz="Mars/Olympus"),
        "multiples": lambda: small_multiples(ledger, [START], tz="Mars/Olympus"),
    }
    with pytest.raises(cl.InvalidClaimError) as caught:
        charts[draw]()
    assert (caught.value.field, caught.value.value) == ("tz", "Mars/Olympus")
