"""Pictures of control: a timeline chart, a snapshot map, small multiples (the ``plot`` extra).

All three return a matplotlib ``Figure`` built without pyplot (no global state, any
backend); save it with :func:`save` as PNG or SVG. Actors keep the same colour in every
chart (:func:`conflict_ledger.display.html.actor_colours`). Every drawn element carries a
``gid`` naming what it is (``band:held``, ``band:pressed``, ``band:changing``, ``band:contested``,
``claims``, ``place:<id>``), so tests and your own code can find them.

Times are drawn in the zone ``tz`` (an IANA name; default UTC), as every other answer
prints them: the timeline's axis names the zone and its ticks fall on local midnights
(or local hours, for a short span) across changes of clocks; titles give local times
with their offset.

>>> import conflict_ledger as cl
>>> ledger = cl.load_seed()
>>> figure = timeline_chart(ledger, ["homs", "deir-ez-zor"], start="2024-12-04T00:00Z", end="2024-12-08T00:00Z")
>>> [label.get_text() for label in figure.axes[0].get_yticklabels()][::-1]  # top to bottom
['Homs', 'Deir ez-Zor']
"""

from __future__ import annotations

import datetime as _dt
import importlib
import io
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pendulum

from conflict_ledger._display import zone
from conflict_ledger.adapters.geojson import DEFAULT_STALE_AFTER, is_stale
from conflict_ledger.asof import Snapshot, effective_claims
from conflict_ledger.display.html import actor_colours
from conflict_ledger.display.render import when_text
from conflict_ledger.ledger import Ledger
from conflict_ledger.queries import snapshot, timeline
from conflict_ledger.registry import Place
from conflict_ledger.rules.territory import TERRITORY, PlaceState, Status
from conflict_ledger.time import to_instant

__all__ = [
    "Figure",
    "Picture",
    "picture",
    "save",
    "small_multiples",
    "snapshot_map",
    "timeline_chart",
]

Figure = Any
"""A ``matplotlib.figure.Figure`` (typed loosely so type-checking needs no matplotlib)."""

_UNCERTAIN = "#bdbdbd"


def _mpl(name: str) -> Any:
    # Imported here, by name: matplotlib is optional and only this module needs it.
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "conflict_ledger.adapters.plot needs matplotlib: pip install 'conflict-ledger[plot]'"
        ) from None


def _num(instant: pendulum.DateTime) -> float:
    dates = _mpl("matplotlib.dates")
    plain = _dt.datetime(
        instant.year, instant.month, instant.day, instant.hour, instant.minute, instant.second
    )
    return float(dates.date2num(plain))


def _figure(width: float, height: float) -> Any:
    figure_module = _mpl("matplotlib.figure")
    return figure_module.Figure(figsize=(width, height), layout="constrained")


def _sides(state: PlaceState) -> list[str]:
    if state.status in (Status.CONTESTED, Status.CHANGING):
        return [a for a in state.contenders if a is not None]
    return [] if state.holder is None else [state.holder]


def _legend(ax: Any, colours: dict[str, str], extra: Iterable[Any]) -> Any:
    patches = _mpl("matplotlib.patches")
    handles = [
        patches.Patch(facecolor=colour, edgecolor="none", label=actor)
        for actor, colour in sorted(colours.items())
    ]
    handles.extend(extra)
    return ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False
    )


def _place_name(ledger: Ledger, place: str) -> str:
    return ledger.registries.places[place].name if place in ledger.registries.places else place


def _default_places(ledger: Ledger, known_at: Any) -> list[str]:
    places = {
        key
        for claim in effective_claims(ledger, known_at=known_at)
        if (key := TERRITORY.key(claim)) is not None
    }

    def north_first(place: str) -> tuple[float, str]:
        if place not in ledger.registries.places:
            return (91.0, place)
        coordinates = ledger.registries.places[place].coordinates
        return (-coordinates.lat if coordinates else 91.0, place)

    return sorted(places, key=north_first)


def _band_style(state: PlaceState, colours: dict[str, str]) -> dict[str, Any] | None:
    """How a period's band is drawn (None: nobody to colour it for)."""
    if state.status is Status.CONTESTED:
        sides = _sides(state)
        colour = colours[sides[0]] if sides else _UNCERTAIN
        return {"color": "white", "edgecolor": colour, "hatch": "////", "gid": "band:contested"}
    if state.status is Status.CHANGING:
        colour = colours.get(state.holder or "", _UNCERTAIN)
        return {"color": colour, "alpha": 0.35, "edgecolor": "none", "gid": "band:changing"}
    if state.holder is not None and state.status is Status.HELD:
        return {"color": colours[state.holder], "edgecolor": "none", "gid": "band:held"}
    if state.holder is not None:
        return {
            "color": colours[state.holder],
            "edgecolor": "white",
            "hatch": "..",
            "linewidth": 0,
            "gid": "band:pressed",
        }
    return None


def timeline_chart(
    ledger: Ledger,
    places: Sequence[str] | None = None,
    *,
    start: Any = None,
    end: Any = None,
    known_at: Any = None,
    title: str | None = None,
    tz: str | None = None,
) -> Figure:
    """A control timeline: one row per place, a band per period coloured by its holder.

    Settled periods are solid in the holder's colour; a change whose window is still
    open (CHANGING) is shaded, drawn light in the gaining side's colour; CONTESTED
    periods are hatched, held periods under attack or advance dotted. A dot marks each claim behind the row, at the middle of its
    valid window. ``places`` defaults to every place with territorial claims, north
    first; ``start``/``end`` default to the span of their periods. The time axis is in
    zone ``tz`` (None: UTC): its label names the zone, its ticks are local dates (local
    hours when the span is three days or less).

    >>> import conflict_ledger as cl
    >>> figure = timeline_chart(cl.load_seed(), ["deir-ez-zor"], start="2024-12-04T00:00Z", end="2024-12-08T00:00Z")
    >>> sorted({patch.get_gid() for patch in figure.axes[0].patches})
    ['band:changing', 'band:held']
    """
    tz = zone(tz)
    patches = _mpl("matplotlib.patches")
    lines = _mpl("matplotlib.lines")
    rows = list(places) if places is not None else _default_places(ledger, known_at)
    rows = [ledger.registries.places.resolve(p).id for p in rows]
    timelines = [timeline(ledger, place, known_at=known_at) for place in rows]
    claims = {c.id: c for c in ledger.claims()}
    instants = [e.start for line in timelines for e in line] + [
        e.end for line in timelines for e in line if e.end is not None
    ]
    first = to_instant(start, field="start") if start is not None else min(instants, default=None)
    last = to_instant(end, field="end") if end is not None else max(instants, default=None)
    if first is None or last is None:
        first = last = pendulum.now(pendulum.UTC)
    if last <= first:
        last = first.add(days=1)
    actors = {a for line in timelines for e in line for a in _sides(e.state)}
    colours = actor_colours(actors)
    figure = _figure(10, 0.45 * len(rows) + 1.6)
    ax = figure.add_subplot()
    left, right = _num(first), _num(last)
    for row, line in enumerate(timelines):
        y = len(rows) - 1 - row
        supporting: set[str] = set()
        for entry in line:
            band_start = max(_num(entry.start), left)
            band_end = min(_num(entry.end) if entry.end is not None else right, right)
            if band_end <= band_start:
                continue
            supporting.update(entry.state.claims)
            style = _band_style(entry.state, colours)
            if style is not None:
                ax.barh(y, band_end - band_start, left=band_start, height=0.6, **style)
        points = [claims[c] for c in sorted(supporting) if c in claims]
        xs = [_num(c.valid.start) + (_num(c.valid.end) - _num(c.valid.start)) / 2 for c in points]
        inside = [x for x in xs if left <= x <= right]
        if inside:
            ax.scatter(inside, [y] * len(inside), s=18, c="black", zorder=3, gid="claims")
    ax.set_yticks(range(len(rows)), [_place_name(ledger, p) for p in reversed(rows)])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(left, right)
    _time_axis(ax, tz, short=last - first <= _dt.timedelta(days=3))
    ax.grid(axis="x", color="#e0e0e0")
    known = "as known now" if known_at is None else f"as known at {_when(known_at, tz)}"
    ax.set_title(title or f"Who held what, {known}", loc="left")
    _legend(
        ax,
        colours,
        [
            patches.Patch(facecolor=_UNCERTAIN, alpha=0.35, label="changing (uncertain window)"),
            patches.Patch(facecolor="white", edgecolor="black", hatch="////", label="contested"),
            patches.Patch(
                facecolor="#969696",
                edgecolor="white",
                hatch="..",
                label="held, under attack/advance",
            ),
            lines.Line2D(
                [], [], marker="o", color="black", linestyle="none", markersize=4, label="claim"
            ),
        ],
    )
    return figure


def _time_axis(ax: Any, tz: str, *, short: bool) -> None:
    """Ticks at local midnights (or hours) of zone ``tz``, labelled in it; the bands stay
    at their true instants, so an hour the clocks skip or repeat keeps its width."""
    mdates = _mpl("matplotlib.dates")
    locator = mdates.AutoDateLocator(tz=tz)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        mdates.DateFormatter("%d %b\n%H:%M" if short else "%d %b\n%Y", tz=tz)
    )
    ax.set_xlabel(f"valid time ({tz})")


def _when(value: Any, tz: str) -> str:
    return when_text(to_instant(value, field="known_at"), tz)


def _draw_map(
    ax: Any,
    snap: Snapshot,
    ledger: Ledger,
    colours: dict[str, str],
    *,
    stale_after: pendulum.Duration,
    labels: bool,
    extent: tuple[float, float, float, float] | None = None,
) -> None:
    located = []
    for state in snap:
        place = ledger.registries.places[state.place]
        if place.coordinates is not None:
            located.append((state, place, place.coordinates))
    for state, place, coordinates in located:
        lon, lat = coordinates.lon, coordinates.lat
        sides = _sides(state)
        face = colours.get(state.holder or "", "#d9d9d9") if state.settled else "white"
        edge = "black"
        width = 0.8
        if not state.settled:
            edge = colours.get(sides[0], "black") if sides else "black"
            width = 2.5
        ax.scatter(
            [lon],
            [lat],
            s=90,
            c=face,
            edgecolors=edge,
            linewidths=width,
            hatch="////" if state.status is Status.CONTESTED else None,
            zorder=3,
            gid=f"place:{state.place}",
        )
        if state.attackers or state.advancing:
            ax.scatter(
                [lon + 0.12],
                [lat + 0.12],
                s=30,
                marker="v",
                c="#e6550d",
                zorder=4,
                gid=f"pressed:{state.place}",
            )
        if is_stale(state, at=snap.at, stale_after=stale_after):
            ax.scatter(
                [lon], [lat], s=160, marker="x", c="#636363", zorder=4, gid=f"stale:{state.place}"
            )
        if labels:
            ax.annotate(
                place.name,
                (lon, lat),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=7,
                gid=f"label:{state.place}",
            )
    extent = extent or _extent([p for _, p, _ in located])
    if extent is not None:
        west, south, east, north = extent
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.grid(color="#eeeeee")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")


def _extent(places: Sequence[Place]) -> tuple[float, float, float, float] | None:
    points = [p.coordinates for p in places if p.coordinates is not None]
    if not points:
        return None
    pad = 0.6
    return (
        min(c.lon for c in points) - pad,
        min(c.lat for c in points) - pad,
        max(c.lon for c in points) + pad,
        max(c.lat for c in points) + pad,
    )


def _map_legend(ax: Any, colours: dict[str, str]) -> Any:
    lines = _mpl("matplotlib.lines")
    return _legend(
        ax,
        colours,
        [
            lines.Line2D(
                [],
                [],
                marker="o",
                color="#d9d9d9",
                markeredgecolor="black",
                linestyle="none",
                label="no holder",
            ),
            lines.Line2D(
                [],
                [],
                marker="o",
                color="white",
                markeredgecolor="black",
                markeredgewidth=2.5,
                linestyle="none",
                label="contested or changing",
            ),
            lines.Line2D(
                [], [], marker="v", color="#e6550d", linestyle="none", label="under attack/advance"
            ),
            lines.Line2D([], [], marker="x", color="#636363", linestyle="none", label="stale"),
        ],
    )


def _map_actors(snaps: Iterable[Snapshot]) -> set[str]:
    return {a for snap in snaps for state in snap for a in _sides(state)}


def snapshot_map(
    snap: Snapshot,
    ledger: Ledger,
    *,
    stale_after: pendulum.Duration = DEFAULT_STALE_AFTER,
    labels: bool = True,
    title: str | None = None,
    tz: str | None = None,
) -> Figure:
    """A map of a snapshot: each located place a dot in its holder's colour.

    Contested and changing places are hollow with a thick ring in a contender's colour;
    stale ones (last confirmed longer than ``stale_after`` ago) carry a grey cross.
    The axes are longitude and latitude (no basemap: the gazetteer's points only). The
    title gives the snapshot's times in zone ``tz`` (None: UTC) with their offset.

    >>> import conflict_ledger as cl
    >>> ledger = cl.load_seed()
    >>> figure = snapshot_map(cl.snapshot(ledger, at="2024-12-07T00:00Z"), ledger)
    >>> figure.axes[0].get_xlabel(), "sdf" in [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    ('longitude', True)
    """
    tz = zone(tz)
    colours = actor_colours(_map_actors([snap]))
    figure = _figure(8, 6)
    ax = figure.add_subplot()
    _draw_map(ax, snap, ledger, colours, stale_after=stale_after, labels=labels)
    known = "as known now" if snap.known_at is None else f"as known at {_when(snap.known_at, tz)}"
    ax.set_title(
        title or f"Who holds what at {_when(snap.at, tz)}, {known}", loc="left", fontsize=10
    )
    _map_legend(ax, colours)
    return figure


def small_multiples(
    ledger: Ledger,
    dates: Sequence[Any],
    *,
    known_at: Any = None,
    columns: int = 3,
    stale_after: pendulum.Duration = DEFAULT_STALE_AFTER,
    tz: str | None = None,
) -> Figure:
    """One small snapshot map per date, side by side, on the same extent, with one legend;
    each titled with its time in zone ``tz`` (None: UTC) and the offset.

    >>> import conflict_ledger as cl
    >>> figure = small_multiples(cl.load_seed(), ["2024-12-05T00:00Z", "2024-12-07T00:00Z"])
    >>> len(figure.axes)
    2
    """
    tz = zone(tz)
    snaps = [snapshot(ledger, at=when, known_at=known_at) for when in dates]
    colours = actor_colours(_map_actors(snaps))
    rows = max(1, math.ceil(len(snaps) / columns))
    width = min(columns, len(snaps)) or 1
    figure = _figure(3.6 * width + 1.8, 3.4 * rows)
    axes = figure.subplots(rows, width, squeeze=False)
    extent = _extent([ledger.registries.places[state.place] for snap in snaps for state in snap])
    for index, ax in enumerate(axes.flat):
        if index >= len(snaps):
            ax.set_visible(False)
            continue
        _draw_map(
            ax,
            snaps[index],
            ledger,
            colours,
            stale_after=stale_after,
            labels=False,
            extent=extent,
        )
        ax.set_title(snaps[index].at.in_timezone(tz).format("D MMM YYYY HH:mm Z"), fontsize=9)
        ax.set_xlabel("")
        ax.set_ylabel("")
    _map_legend(axes.flat[width - 1], colours)
    for ax in list(figure.axes):
        if not ax.get_visible():
            figure.delaxes(ax)
    return figure


def save(figure: Figure, path: str | os.PathLike[str], *, dpi: int = 120) -> Path:
    """Save ``figure`` as PNG or SVG, chosen by the file's suffix; return the path.

    >>> import tempfile, conflict_ledger as cl
    >>> ledger = cl.load_seed()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     saved = save(snapshot_map(cl.snapshot(ledger, at="2024-12-07T00:00Z"), ledger), Path(folder) / "map.svg")
    ...     saved.read_text(encoding="utf-8").startswith("<?xml")
    True
    """
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in ("png", "svg"):
        raise ValueError(
            f"{target}: save charts as .png or .svg, not {target.suffix or 'no suffix'!r}"
        )
    figure.savefig(
        target,
        format=suffix,
        dpi=dpi,
        metadata={"Software": None} if suffix == "png" else {"Date": None},
    )
    return target


@attrs.frozen(kw_only=True)
class Picture:
    """A rendered chart that Jupyter displays as an image (``_repr_png_``).

    >>> Picture(png=b"\\x89PNG")._repr_png_()[:4]
    b'\\x89PNG'
    """

    png: bytes = attrs.field(repr=False)

    def _repr_png_(self) -> bytes:
        return self.png


def picture(figure: Figure, *, dpi: int = 100) -> Picture:
    """The figure rendered to PNG, for display in a notebook without pyplot.

    >>> import conflict_ledger as cl
    >>> picture(timeline_chart(cl.load_seed(), ["homs"])).png[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return Picture(png=buffer.getvalue())
