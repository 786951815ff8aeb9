# %% [markdown]
# # From an ACLED export to a front line
#
# Import an ACLED-format CSV (a small synthetic sample in the current 31-column layout),
# then an updated export of the same events, and chart the advance from Aleppo to
# Damascus. Run it as a notebook or as `python examples/acled_front_line.py` from the
# repository root; pictures go to `out/`.

# %%
from pathlib import Path

import conflict_ledger as cl
from conflict_ledger.adapters import plot
from conflict_ledger.adapters.acled import import_acled
from conflict_ledger.adapters.pandas import claims_frame, snapshot_frame
from conflict_ledger.gazetteer import syria

DATA = Path(cl.__file__).resolve().parents[2] / "examples" / "data"
if not DATA.exists():  # run from the repository root or from examples/
    DATA = Path("examples/data") if Path("examples/data").exists() else Path("data")
OUT = Path("out")
OUT.mkdir(exist_ok=True)

ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-12T00:00Z"))
report = import_acled(ledger, DATA / "acled-syria-sample.csv", tz="Asia/Damascus")
print(report.summary())
report.raise_if_rejected()

# %% [markdown]
# Re-importing an updated export appends corrections, never duplicates:

# %%
update = import_acled(ledger, DATA / "acled-syria-sample-update.csv", tz="Asia/Damascus")
print(update.summary())
assert update.unchanged == ("acled/SYR100",)
claims_frame(ledger)[["id", "kind", "place", "actor", "valid_start", "reported_at", "supersedes"]]

# %% [markdown]
# ## The front line down the M5 highway

# %%
front = ["Aleppo", "Hama", "Homs", "Damascus"]
chart = plot.timeline_chart(
    ledger,
    front,
    start="2024-11-26T00:00+03:00",
    end="2024-12-12T00:00+03:00",
    title="Control along the M5, from the ACLED sample",
)
plot.save(chart, OUT / "acled-front-line.png")
plot.picture(chart)

# %%
frame = snapshot_frame(cl.snapshot(ledger, at="2024-12-11T00:00+03:00"))
hts = "hts"  # ACLED's "HTS: Hayat Tahrir al Sham", mapped to the gazetteer's actor
assert set(frame.loc[frame.holder == hts, "place"]) >= {"aleppo", "hama", "homs", "damascus"}
frame[["place", "status", "holder", "since_start"]]

# %%
days = plot.small_multiples(
    ledger,
    ["2024-11-28T00:00Z", "2024-12-02T00:00Z", "2024-12-07T00:00Z", "2024-12-11T00:00Z"],
    columns=4,
)
plot.save(days, OUT / "acled-days.png")
plot.picture(days)
