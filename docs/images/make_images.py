"""Draw the README's pictures from the seed ledger: python docs/images/make_images.py.

The test suite draws them again into a temporary folder and checks they still match in
size, so the README never shows a picture the code can no longer make.
"""

from __future__ import annotations

import sys
from pathlib import Path

import conflict_ledger as cl
from conflict_ledger.adapters import plot

HERE = Path(__file__).parent


def draw(folder: Path) -> list[Path]:
    """Write seed-timeline.png and seed-map.png into ``folder``; return their paths."""
    ledger = cl.load_seed()
    chart = plot.timeline_chart(
        ledger,
        start="2024-11-27T00:00Z",
        end="2024-12-09T00:00Z",
        title="The seed ledger: who held what, as the article of 7 December 2024 tells it",
        tz="Asia/Damascus",
    )
    moment = cl.snapshot(ledger, at="2024-12-06T18:00+03:00", known_at="2024-12-07T12:00+03:00")
    world = plot.snapshot_map(moment, ledger, tz="Asia/Damascus")
    return [
        plot.save(chart, folder / "seed-timeline.png", dpi=100),
        plot.save(world, folder / "seed-map.png", dpi=100),
    ]


if __name__ == "__main__":
    for path in draw(HERE):
        print("wrote", path)
    sys.exit(0)
