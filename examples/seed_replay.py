# %% [markdown]
# # Replaying the seed ledger
#
# The seed ledger codes the claims of one newspaper article (Dawn, 7 December 2024)
# about the Syrian war. This notebook replays it: a snapshot table, a control timeline
# chart, a map, and the claims behind one place's state.
#
# Run it as a notebook or as a script (`python examples/seed_replay.py`); pictures are
# written to `out/`.

# %%
from pathlib import Path

import conflict_ledger as cl
from conflict_ledger.adapters import geojson, plot
from conflict_ledger.adapters.pandas import snapshot_frame, timeline_frame

OUT = Path("out")
OUT.mkdir(exist_ok=True)
ledger = cl.load_seed()
ledger  # noqa: B018 (a notebook shows the last value)

# %% [markdown]
# ## Who held what on the evening of 6 December, as known the next noon

# %%
snap = cl.snapshot(ledger, at="2024-12-06T20:00+03:00", known_at="2024-12-07T12:00+03:00")
frame = snapshot_frame(snap)
frame[["place", "status", "holder", "since_start", "claims"]]

# %%
assert frame.set_index("place").loc["homs", "holder"] == "syrian-government"
print(snap)

# %% [markdown]
# ## Deir ez-Zor over time

# %%
timeline_frame(cl.timeline(ledger, "deir-ez-zor"))[["start", "end", "status", "holder"]]

# %%
chart = plot.timeline_chart(ledger, start="2024-11-27T00:00Z", end="2024-12-09T00:00Z")
plot.save(chart, OUT / "seed-timeline.png")
plot.picture(chart)

# %% [markdown]
# ## A map of 7 December, and the same snapshot as GeoJSON for QGIS

# %%
day = cl.snapshot(ledger, at="2024-12-07T00:00Z")
figure = plot.snapshot_map(day, ledger)
plot.save(figure, OUT / "seed-map.png")
collection = geojson.write_geojson(OUT / "seed-2024-12-07.geojson", day, ledger)
print(len(collection["features"]), "places written to", OUT / "seed-2024-12-07.geojson")
plot.picture(figure)

# %% [markdown]
# ## Why is Albukamal not counted as taken?

# %%
why = cl.explain(ledger, "albukamal", at="2024-12-07T00:00Z")
assert [c.modality.value for c in why.context] == ["forecast"]
why  # noqa: B018 (a notebook shows the last value)
