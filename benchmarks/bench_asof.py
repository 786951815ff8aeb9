"""conflict_ledger's as-of index side by side with DuckDB, pandas, polars, SQLite and eventsourcing.

One command, one table (medians; ratios against conflict_ledger):

    python benchmarks/bench_asof.py --quick          # 20k claims, 500 places: a minute
    python benchmarks/bench_asof.py                  # 100k/2,000, 100k/20,000 and 1M/20,000
    python benchmarks/bench_asof.py --compare /work/main/src --sizes 1000000x20000
                       # whole-map tables only: that src/ folder's code against this one's

With ``--compare`` each side runs in a new process over the same generated ledger and
prints wall and CPU time: the first table, tables at random (at, known_at), and 100
daily tables, with DuckDB's holders-only query at the same questions.

Every alternative is checked to give the same answer as conflict_ledger before it is
timed. The question they answer is "who holds each place at ``at``, as known at
``known_at``" (see benchmarks/README.md for its exact definition); conflict_ledger
answers a full territorial snapshot (status, contests, changes in progress, sources),
of which that holder is one field.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import io
import os
import pstats
import random
import sqlite3
import statistics
import sys
import time
import tracemalloc
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

import attrs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate as gen

from conflict_ledger.asof import Snapshot, effective_claims
from conflict_ledger.claims import Claim
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._places import compile_place, fold_key
from conflict_ledger.events import Retraction
from conflict_ledger.ledger import Ledger
from conflict_ledger.rules.territory import TERRITORY, place_of

GAIN, LOSS, OTHER = 0, 1, 2
NEVER = 1 << 62
Answer = dict[str, str]  # place -> holder, places with a holder only


# -- timing ---------------------------------------------------------------------------


def median_time(run: Callable[[], Any], *, repeat: int, number: int = 1) -> float:
    """Median seconds of one call over ``repeat`` rounds of ``number`` calls."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        for _ in range(number):
            run()
        times.append((time.perf_counter() - began) / number)
    return statistics.median(times)


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, size: str, what: str, tool: str, value: str, ratio: str = "") -> None:
        self.rows.append((size, what, tool, value, ratio))
        print(f"  {what:<38} {tool:<34} {value:>14} {ratio:>10}", flush=True)

    def render(self) -> str:
        header = ("size", "measure", "tool", "median", "vs ledger")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(5)]
        lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
        lines.append("-+-".join("-" * w for w in widths))
        for row in self.rows:
            lines.append(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.1f} us"


def ratio(theirs: float, ours: float) -> str:
    return f"{theirs / ours:.1f}x"


# -- the comparable question ------------------------------------------------------------


def rows_of(ledger: Ledger) -> dict[str, list[Any]]:
    """The ledger's territorial claims as columns (codes for places and actors).

    ``ord`` is each claim's rank in fold order (valid start, valid end, reported, id);
    ``cancelled`` is when its first retraction or correction was reported (else NEVER).
    """
    cancelled: dict[str, int] = {}
    kept = []
    for record in ledger.records():
        claim = record.claim
        if isinstance(claim.event, Retraction):
            target, when = claim.event.target, ff.micros(claim.reported_at)
        elif claim.supersedes is not None:
            target, when = claim.supersedes, ff.micros(claim.reported_at)
        else:
            target = None
        if target is not None and when < cancelled.get(target, NEVER):
            cancelled[target] = when
        if place_of(claim) is not None and not isinstance(claim.event, Retraction):
            kept.append(ff.compile_claim(claim))
    kept.sort(key=lambda op: (op[ff.START], op[ff.END], op[ff.REPORTED], op[ff.CID]))
    kinds = {ff.GAIN: GAIN, ff.HOLD: GAIN, ff.LOSE: LOSS}
    places: dict[str, int] = {}
    actors: dict[str, int] = {}
    columns: dict[str, list[Any]] = {
        k: [] for k in ("place", "actor", "kind", "start", "reported", "cancelled", "ord")
    }
    for number, op in enumerate(kept):
        place = place_of(op[ff.CLAIM])
        columns["place"].append(places.setdefault(place, len(places)))  # type: ignore[arg-type]
        actor = op[ff.ACTOR] or ""
        columns["actor"].append(actors.setdefault(actor, len(actors)))
        columns["kind"].append(kinds.get(op[ff.CODE], OTHER))
        columns["start"].append(op[ff.START])
        columns["reported"].append(op[ff.REPORTED])
        columns["cancelled"].append(cancelled.get(op[ff.CID], NEVER))
        columns["ord"].append(number)
    columns["place_names"] = sorted(places, key=places.__getitem__)
    columns["actor_names"] = sorted(actors, key=actors.__getitem__)
    return columns


def decode(cols: dict[str, list[Any]], pairs: Any) -> Answer:
    places, actors = cols["place_names"], cols["actor_names"]
    return {places[int(p)]: actors[int(a)] for p, a in pairs}


def ledger_answer(index: AsOfIndex, at: Any, known: Any) -> Answer:
    return {s.place: s.holder for s in index.snapshot(at=at, known_at=known) if s.holder}


def tuple_loop_holders(cols: dict[str, list[Any]], at: int, known: int) -> Answer:
    """The plain loop: replay (kind, place, actor) tuples in fold order."""
    holder: dict[int, int | None] = {}
    for kind, place, actor, start, reported, cancelled in zip(
        cols["kind"],
        cols["place"],
        cols["actor"],
        cols["start"],
        cols["reported"],
        cols["cancelled"],
        strict=True,
    ):
        if start > at:
            break
        if reported > known or cancelled <= known:
            continue
        if kind == GAIN:
            holder[place] = actor
        elif kind == LOSS and holder.get(place) == actor:
            holder[place] = None
    return decode(cols, ((p, a) for p, a in holder.items() if a is not None))


def simple_rule(cols: dict[str, list[Any]], at: int, known: int) -> tuple[Answer, set[str]]:
    """The holders by the rows' rule (as the plain loop), and the places where that rule
    ignored a loss: one by someone other than the holder, after the holder's last gain.

    Only at those places may conflict_ledger differ from the rows' rule: a loss by a
    contender of a contest a denial disputes clears the holder (territory's rule), and
    rows know no contests. Not timed.
    """
    holder: dict[int, int | None] = {}
    ignored: set[int] = set()
    rows = zip(
        cols["kind"], cols["place"], cols["actor"], cols["start"], cols["reported"],
        cols["cancelled"], strict=True,
    )  # fmt: skip
    for kind, place, actor, start, reported, cancelled in rows:
        if start > at:
            break
        if reported > known or cancelled <= known:
            continue
        current = holder.get(place)
        if kind == GAIN:
            holder[place] = actor
            ignored.discard(place)
        elif kind == LOSS and current is not None:
            if current == actor:
                holder[place] = None
                ignored.discard(place)
            else:
                ignored.add(place)
    answer = decode(cols, ((p, a) for p, a in holder.items() if a is not None))
    return answer, {cols["place_names"][p] for p in ignored}


def check_holders(ours: Answer, cols: dict[str, list[Any]], at: int, known: int, what: str) -> int:
    """Check conflict_ledger's holders against the rows' rule (:func:`simple_rule`): equal
    but where a contender's loss cleared the holder. Returns how many places differ so."""
    simple, ignored = simple_rule(cols, at, known)
    differ = {p for p in ours.keys() | simple.keys() if ours.get(p) != simple.get(p)}
    unexplained = sorted(p for p in differ if p in ours or p not in ignored)
    assert not unexplained, f"{what}: holders differ at {unexplained[:5]}"
    return len(differ)


SQL = """
WITH vis AS (SELECT place, actor, kind, ord FROM claims
             WHERE start <= ? AND reported <= ? AND cancelled > ?),
     g AS (SELECT place, {last_actor} AS holder, max(ord) AS gord FROM vis
           WHERE kind = 0 GROUP BY place),
     l AS (SELECT place, actor, max(ord) AS lord FROM vis WHERE kind = 1 GROUP BY place, actor)
SELECT g.place, g.holder FROM g LEFT JOIN l ON l.place = g.place AND l.actor = g.holder
WHERE l.lord IS NULL OR l.lord < g.gord
"""


class Alternatives:
    """The same question put to DuckDB, pandas, polars and SQLite over the same rows."""

    def __init__(self, cols: dict[str, list[Any]]) -> None:
        import duckdb
        import pandas as pd
        import polars as pl

        self.cols = cols
        data = {k: v for k, v in cols.items() if not k.endswith("_names")}
        self.pd = pd
        self.pl = pl
        self.frame = pd.DataFrame(data)
        self.lazy = pl.DataFrame(data)
        self.duck = duckdb.connect()
        self.duck.register("frame", self.frame)
        self.duck.execute("CREATE TABLE claims AS SELECT * FROM frame")
        self.duck.unregister("frame")
        self.lite = sqlite3.connect(":memory:")
        self.lite.execute(
            "CREATE TABLE claims (place INT, actor INT, kind INT, start INT, reported INT,"
            " cancelled INT, ord INT)"
        )
        self.lite.executemany(
            "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
            zip(
                *(
                    data[k]
                    for k in ("place", "actor", "kind", "start", "reported", "cancelled", "ord")
                ),
                strict=True,
            ),
        )
        self.lite.execute("CREATE INDEX claims_start ON claims (start)")
        self.starts = cols["start"]

    def duckdb(self, at: int, known: int) -> Any:
        return self.duck.execute(
            SQL.format(last_actor="arg_max(actor, ord)"), [at, known, known]
        ).fetchall()

    def sqlite(self, at: int, known: int) -> Any:
        # SQLite returns the row holding max(ord) for a bare column next to max().
        return self.lite.execute(SQL.format(last_actor="actor"), (at, known, known)).fetchall()

    def pandas(self, at: int, known: int) -> Any:
        df = self.frame
        vis = df[(df["start"] <= at) & (df["reported"] <= known) & (df["cancelled"] > known)]
        gains = vis[vis["kind"] == GAIN].sort_values("ord").groupby("place").last()
        losses = vis[vis["kind"] == LOSS].groupby(["place", "actor"])["ord"].max()
        held = gains[["actor", "ord"]].reset_index()
        lost = losses.rename("lord").reset_index()
        both = held.merge(lost, on=["place", "actor"], how="left")
        kept = both[both["lord"].isna() | (both["lord"] < both["ord"])]
        return zip(kept["place"], kept["actor"], strict=True)

    def polars(self, at: int, known: int) -> Any:
        pl = self.pl
        vis = self.lazy.lazy().filter(
            (pl.col("start") <= at) & (pl.col("reported") <= known) & (pl.col("cancelled") > known)
        )
        gains = (
            vis.filter(pl.col("kind") == GAIN)
            .group_by("place")
            .agg(
                pl.col("actor").sort_by("ord").last().alias("holder"),
                pl.col("ord").max().alias("gord"),
            )
        )
        losses = (
            vis.filter(pl.col("kind") == LOSS)
            .group_by(["place", "actor"])
            .agg(pl.col("ord").max().alias("lord"))
        )
        out = (
            gains.join(losses, left_on=["place", "holder"], right_on=["place", "actor"], how="left")
            .filter(pl.col("lord").is_null() | (pl.col("lord") < pl.col("gord")))
            .select("place", "holder")
            .collect()
        )
        return out.iter_rows()

    # -- series: 100 instants at once --------------------------------------------------

    def at_ords(self, ats: list[int]) -> list[int]:
        """For each instant, the largest ``ord`` whose claim starts by then (-1: none)."""
        return [bisect_right(self.starts, at) - 1 for at in ats]

    def pandas_series(self, ats: list[int], known: int) -> Any:
        pd = self.pd
        df = self.frame
        vis = df[(df["reported"] <= known) & (df["cancelled"] > known)]
        gains = vis[vis["kind"] == GAIN][["ord", "place", "actor"]].sort_values("ord")
        losses = vis[vis["kind"] == LOSS][["ord", "place", "actor"]].sort_values("ord")
        places = pd.Series(range(len(self.cols["place_names"])), name="place")
        grid = pd.DataFrame({"step": range(len(ats)), "at_ord": self.at_ords(ats)}).merge(
            places, how="cross"
        )
        grid = grid.sort_values("at_ord")
        held = pd.merge_asof(
            grid,
            gains.rename(columns={"ord": "gord"}),
            left_on="at_ord",
            right_on="gord",
            by="place",
        ).dropna(subset=["gord"])
        held = held.astype({"actor": "int64"}).sort_values("at_ord")
        lost = pd.merge_asof(
            held,
            losses.rename(columns={"ord": "lord"}),
            left_on="at_ord",
            right_on="lord",
            by=["place", "actor"],
        )
        kept = lost[lost["lord"].isna() | (lost["lord"] < lost["gord"])]
        return zip(kept["step"], kept["place"], kept["actor"], strict=True)

    def duckdb_series(self, ats: list[int], known: int) -> Any:
        import pandas as pd

        grid = pd.DataFrame({"step": range(len(ats)), "at_ord": self.at_ords(ats)})
        self.duck.register("grid_steps", grid)
        sql = """
        WITH vis AS (SELECT * FROM claims WHERE reported <= $k AND cancelled > $k),
             gains AS (SELECT place, actor, ord FROM vis WHERE kind = 0),
             losses AS (SELECT place, actor, ord FROM vis WHERE kind = 1),
             places AS (SELECT DISTINCT place FROM claims),
             grid AS (SELECT s.step, s.at_ord, p.place FROM grid_steps s CROSS JOIN places p),
             held AS (SELECT grid.step, grid.at_ord, grid.place, gains.actor, gains.ord AS gord
                      FROM grid ASOF JOIN gains
                      ON grid.place = gains.place AND grid.at_ord >= gains.ord)
        SELECT held.step, held.place, held.actor FROM held ASOF LEFT JOIN losses
          ON held.place = losses.place AND held.actor = losses.actor AND held.at_ord >= losses.ord
        WHERE losses.ord IS NULL OR losses.ord < held.gord
        """
        out = self.duck.execute(sql, {"k": known}).fetchall()
        self.duck.unregister("grid_steps")
        return out


def series_answer(cols: dict[str, list[Any]], triples: Any, steps: int) -> list[Answer]:
    answers: list[Answer] = [{} for _ in range(steps)]
    places, actors = cols["place_names"], cols["actor_names"]
    for step, place, actor in triples:
        answers[int(step)][places[int(place)]] = actors[int(actor)]
    return answers


# -- eventsourcing ----------------------------------------------------------------------


_AGGREGATE: list[Any] = []


def _place_aggregate() -> Any:
    """The eventsourcing aggregate class for one place (defined once: eventsourcing
    registers each class under its name)."""
    if _AGGREGATE:
        return _AGGREGATE[0]
    from uuid import NAMESPACE_URL, uuid5

    from eventsourcing.domain import Aggregate, event

    class PlaceAggregate(Aggregate):  # type: ignore[misc]
        @staticmethod
        def create_id(name: str) -> Any:
            return uuid5(NAMESPACE_URL, name)

        @event("Registered")
        def __init__(self, name: str) -> None:
            self.name = name
            self.history: list[tuple[int, ...]] = []

        @event("Claimed")
        def claim(
            self, kind: int, actor: int, start: int, reported: int, cancelled: int, ord: int
        ) -> None:
            self.history.append((ord, kind, actor, start, reported, cancelled))

    _AGGREGATE.append(PlaceAggregate)
    return PlaceAggregate


def eventsourcing_bench(cols: dict[str, list[Any]], limit: int, table: Table, size: str) -> None:
    """Each place as an eventsourcing aggregate: its replay, and its as-of workaround."""
    from eventsourcing.application import Application

    aggregate_class = _place_aggregate()
    app = Application()
    aggregates: dict[int, Any] = {}
    # Arrival in report order, as the ledger received them.
    order = sorted(range(limit), key=lambda j: cols["reported"][j])
    for j in order:
        place = cols["place"][j]
        agg = aggregates.get(place)
        if agg is None:
            agg = aggregates[place] = aggregate_class(name=str(place))
        agg.claim(
            kind=cols["kind"][j],
            actor=cols["actor"][j],
            start=cols["start"][j],
            reported=cols["reported"][j],
            cancelled=cols["cancelled"][j],
            ord=cols["ord"][j],
        )
    app.save(*aggregates.values())
    ids = [aggregate_class.create_id(str(p)) for p in aggregates]

    def replay() -> None:
        for ident in ids:
            app.repository.get(ident)

    seconds = median_time(replay, repeat=3)
    table.add(
        size, f"replay ({limit:,} claims)", "eventsourcing aggregates", f"{limit / seconds:,.0f}/s"
    )

    def holder_at(ident: Any, at: int, known: int) -> int | None:
        agg = app.repository.get(ident)
        current = None
        for _, kind, actor, start, reported, cancelled in sorted(agg.history):
            if start > at:
                break
            if reported > known or cancelled <= known:
                continue
            if kind == GAIN:
                current = actor
            elif kind == LOSS and current == actor:
                current = None
        return current

    rng = random.Random(7)
    probes = [
        (rng.choice(ids), rng.randrange(gen.HOURS), rng.randrange(gen.HOURS)) for _ in range(50)
    ]
    start0 = ff.micros(gen.START)
    # Checked first: the same holders as the plain loop over the same rows (itself checked
    # against conflict_ledger on the whole ledger).
    code_of = {aggregate_class.create_id(str(p)): p for p in aggregates}
    sub = {k: v[:limit] for k, v in cols.items() if not k.endswith("_names")}
    sub["place_names"], sub["actor_names"] = cols["place_names"], cols["actor_names"]
    for ident, a, k in probes[:10]:
        at_i, known_i = start0 + a * 3_600_000_000, start0 + k * 3_600_000_000
        got = holder_at(ident, at_i, known_i)
        expected = tuple_loop_holders(sub, at_i, known_i).get(cols["place_names"][code_of[ident]])
        assert (None if got is None else cols["actor_names"][got]) == expected, (
            "eventsourcing differs"
        )
    seconds = median_time(
        lambda: [
            holder_at(i, start0 + a * 3_600_000_000, start0 + k * 3_600_000_000)
            for i, a, k in probes
        ],
        repeat=3,
    ) / len(probes)
    table.add(size, "one place at a random time", "eventsourcing (get + scan)", ms(seconds))


def laid_out(ops: list[ff.Op]) -> list[ff.Op]:
    """Equal copies of ``ops`` made one after the other, with new instants shared within."""
    fresh: dict[int, int] = {}
    copies = []
    for code, actor, other, cid, start, end, reported, valid, end_dt, claim in ops:
        # ``+ 0`` makes a new int: instants are far past the small ints Python caches.
        begins = fresh.get(start)
        if begins is None:
            begins = fresh[start] = start + 0
        ends = fresh.get(end)
        if ends is None:
            ends = fresh[end] = end + 0
        copies.append((code, actor, other, cid, begins, ends, reported, valid, end_dt, claim))
    return copies


# -- the run ------------------------------------------------------------------------------


def run_size(
    claims: int, places: int, table: Table, *, repeat: int, es_limit: int, deep: bool
) -> dict[str, float]:
    size = f"{claims // 1000:,}k/{places:,}"
    print(f"\n== {claims:,} claims, {places:,} places ==", flush=True)
    trace = deep and claims <= 200_000
    if trace:
        tracemalloc.start()
    made = gen.generate(claims=claims, places=places)
    if trace:
        ledger_bytes = tracemalloc.get_traced_memory()[0]
    ledger = made.ledger
    n = len(ledger)
    table.add(
        size, "generate the synthetic ledger", "benchmarks/generate.py", f"{made.seconds:.1f} s"
    )
    gc.collect()
    gc.freeze()  # the ledger is long-lived: keep the collector from re-scanning it
    figures: dict[str, float] = {}

    # Replay.
    began = time.perf_counter()
    index = AsOfIndex(ledger)
    index.snapshot(at=gen.START)  # settles every place
    build = time.perf_counter() - began
    if trace:
        index_bytes = tracemalloc.get_traced_memory()[0] - ledger_bytes
        tracemalloc.stop()
        table.add(
            size,
            "memory per claim: ledger (claims+records)",
            "tracemalloc",
            f"{ledger_bytes / n:,.0f} B",
        )
        table.add(size, "memory per claim: as-of index", "tracemalloc", f"{index_bytes / n:,.0f} B")
        figures["ledger_bytes"] = ledger_bytes / n
        figures["index_bytes"] = index_bytes / n
    table.add(
        size, "index build (compile+sort+fold)", "conflict_ledger AsOfIndex", f"{n / build:,.0f}/s"
    )
    figures["build"] = n / build
    territorial = [r.claim for r in ledger.records() if place_of(r.claim) is not None]
    per_place: dict[str, list[Claim]] = {}
    for claim in territorial:
        per_place.setdefault(place_of(claim), []).append(claim)  # type: ignore[arg-type]
    # Compiled as the index compiles them: place by place, sharing windows and instants.
    shared: dict[int, Any] = {}
    groups = [compile_place(claims, shared) for claims in per_place.values()]
    for ops in groups:
        ops.sort(key=fold_key)
    # What memory costs the fold: the same claims copied in fold order, so that a place's
    # compiled claims and their instants sit together. The index does not do this (at 1M
    # claims the copies cost its build more in collections than its fold gains): this
    # row only shows how much of the fold's time is memory.
    together = [laid_out(ops) for ops in groups]
    del shared
    gc.collect()
    gc.freeze()  # the compiled claims are long-lived too, as in the index
    fold_s = median_time(lambda: [ff.fold(ff.EMPTY, ops) for ops in groups], repeat=repeat)
    ours = len(territorial) / fold_s
    table.add(size, "replay: fold compiled claims", "conflict_ledger fast fold", f"{ours:,.0f}/s")
    figures["fold"] = ours
    near_s = median_time(lambda: [ff.fold(ff.EMPTY, ops) for ops in together], repeat=repeat)
    table.add(
        size,
        "replay: the same, copied in fold order",
        "fast fold (not what the index does)",
        f"{len(territorial) / near_s:,.0f}/s",
    )
    together.clear()  # the copies are not kept: the index does not make them
    cols = rows_of(ledger)
    far = ff.micros(gen.END) * 2
    loop_s = median_time(lambda: tuple_loop_holders(cols, far, far), repeat=repeat)
    table.add(
        size,
        "replay: plain tuple loop (holder only)",
        "python dict loop",
        f"{len(cols['ord']) / loop_s:,.0f}/s",
    )
    ref_n = min(n, 20_000)
    sample = ledger.records()[:ref_n]
    ref_s = median_time(lambda: TERRITORY(effective_claims(sample)), repeat=1)
    table.add(
        size,
        f"replay: pure reducer ({ref_n:,} records)",
        "territory + attrs.evolve",
        f"{ref_n / ref_s:,.0f}/s",
    )
    compile_s = median_time(lambda: [ff.compile_claim(c) for c in territorial[:50_000]], repeat=1)
    table.add(
        size,
        "compile claims (once, on ingest)",
        "conflict_ledger",
        f"{min(50_000, len(territorial)) / compile_s:,.0f}/s",
    )
    if deep and es_limit:
        eventsourcing_bench(cols, min(es_limit, len(cols["ord"])), table, size)

    # Full bitemporal snapshot at random (at, known_at).
    alt = Alternatives(cols)
    rng = random.Random(claims + places)
    start0 = ff.micros(gen.START)

    def instant(hour: int) -> Any:
        return gen.START.add(hours=hour)

    def random_questions() -> list[tuple[Any, Any]]:
        """New random (at, known_at) pairs, known_at up to 90 days after at."""
        pairs = []
        for _ in range(repeat):
            at_h = rng.randrange(gen.HOURS)
            known_h = min(gen.HOURS + 24 * 120, at_h + rng.randrange(24 * 90))
            pairs.append((instant(at_h), instant(known_h)))
        return pairs

    probes = []
    for _ in range(repeat):
        at_h = rng.randrange(gen.HOURS)
        known_h = min(gen.HOURS + 24 * 120, at_h + rng.randrange(24 * 90))
        probes.append(
            (
                instant(at_h),
                instant(known_h),
                start0 + at_h * 3_600_000_000,
                start0 + known_h * 3_600_000_000,
            )
        )
    tools: list[tuple[str, Callable[[int, int], Any]]] = [
        ("DuckDB (arg_max GROUP BY)", alt.duckdb),
        ("polars (lazy group_by)", alt.polars),
        ("pandas (filter, sort, groupby last)", alt.pandas),
        ("SQLite (SQL, indexed)", alt.sqlite),
    ]
    cleared = 0  # places where a contender's loss cleared the holder (see check_holders)
    for at, known, at_i, known_i in probes[:2]:
        cleared += check_holders(ledger_answer(index, at, known), cols, at_i, known_i, "ledger")
        expected = tuple_loop_holders(cols, at_i, known_i)
        for name, tool in tools:
            assert decode(cols, tool(at_i, known_i)) == expected, f"{name} differs"
    ours_s = statistics.median(
        [
            median_time(lambda a=a, k=k: index.snapshot(at=a, known_at=k), repeat=1)
            for a, k, _, _ in probes
        ]
    )
    table.add(
        size,
        "full snapshot, random (at, known_at)",
        "conflict_ledger AsOfIndex (lazy states)",
        ms(ours_s),
    )
    figures["snapshot"] = ours_s
    # The same, with every PlaceState built (what iterating over the snapshot costs);
    # at other instants, so that no state is found already computed.
    read_probes = random_questions()
    read_s = statistics.median(
        [
            median_time(lambda a=a, k=k: list(index.snapshot(at=a, known_at=k)), repeat=1)
            for a, k in read_probes
        ]
    )
    table.add(
        size,
        "full snapshot, random (at, known_at)",
        "conflict_ledger AsOfIndex, every state read",
        ms(read_s),
    )
    figures["snapshot read"] = read_s
    # The same as columns (AsOfIndex.table: numpy arrays, no PlaceState a place), at
    # fresh instants again; checked equal to the states read first.
    check_at, check_known = read_probes[0]
    checked = index.table(at=check_at, known_at=check_known)
    assert dict(zip(checked.place, checked.holder, strict=True)) == {
        s.place: s.holder for s in index.snapshot(at=check_at, known_at=check_known)
    }, "table differs"
    table_probes = random_questions()
    table_s = statistics.median(
        [
            median_time(lambda a=a, k=k: index.table(at=a, known_at=k), repeat=1)
            for a, k in table_probes
        ]
    )
    table.add(
        size,
        "full snapshot, random (at, known_at)",
        "conflict_ledger AsOfIndex.table (columns, every state)",
        ms(table_s),
        ratio(read_s, table_s),
    )
    figures["table"] = table_s
    # Fresh instants for .holders(), so that neither answer finds the other's memos.
    fresh = random_questions()
    holders_s = statistics.median(
        [median_time(lambda a=a, k=k: index.holders(at=a, known_at=k), repeat=1) for a, k in fresh]
    )
    table.add(size, "holders, random (at, known_at)", "conflict_ledger .holders()", ms(holders_s))
    figures["holders"] = holders_s
    for name, tool in tools:
        theirs = statistics.median(
            [median_time(lambda a=a, k=k, t=tool: list(t(a, k)), repeat=1) for _, _, a, k in probes]
        )
        table.add(
            size, "holders, random (at, known_at)", name, ms(theirs), ratio(theirs, holders_s)
        )
        figures[f"holders: {name}"] = theirs
    # The floor any eager snapshot pays: one PlaceState per place, then the Snapshot.
    built = index.snapshot(at=probes[0][0], known_at=probes[0][1])
    states = dict(built.places)
    floor_s = median_time(
        lambda: Snapshot(at=built.at, known_at=built.known_at, position=None, places=states),
        repeat=repeat,
    )
    one_state = built[next(iter(states))]
    state_s = median_time(lambda: attrs.evolve(one_state), repeat=repeat, number=2_000)
    table.add(
        size,
        f"floor: Snapshot of {len(states):,} ready states",
        "asof.Snapshot(...)",
        ms(floor_s),
    )
    table.add(size, "floor: building one PlaceState", "attrs __init__", ms(state_s))
    figures["floor"] = floor_s + state_s * len(states)
    naive = min(n, 100_000)
    if n <= 100_000:
        from conflict_ledger.asof import snapshot as oracle

        at, known = probes[0][0], probes[0][1]
        oracle_s = median_time(lambda: oracle(ledger, at=at, known_at=known), repeat=1)
        table.add(
            size,
            "full snapshot, random (at, known_at)",
            "asof.snapshot (the oracle)",
            ms(oracle_s),
            ratio(oracle_s, ours_s),
        )
    del naive

    # One place's state at a random time.
    names = index.places()
    asks = [(rng.choice(names), instant(rng.randrange(gen.HOURS))) for _ in range(2_000)]
    one = median_time(lambda: [index.place_state(p, at=a) for p, a in asks], repeat=repeat) / len(
        asks
    )
    table.add(size, "one place at a random time", "conflict_ledger AsOfIndex", ms(one))
    figures["place"] = one
    asks_k = [(p, a, a.add(days=rng.randrange(60))) for p, a in asks]
    one_k = median_time(
        lambda: [index.place_state(p, at=a, known_at=k) for p, a, k in asks_k], repeat=repeat
    ) / len(asks)
    table.add(size, "one place, random (at, known_at)", "conflict_ledger AsOfIndex", ms(one_k))
    figures["place known"] = one_k

    # A series of 100 snapshots, one a day, as known at the end.
    first = rng.randrange(gen.HOURS - 24 * 100)
    days = [instant(first + 24 * d) for d in range(100)]
    days_i = [start0 + (first + 24 * d) * 3_600_000_000 for d in range(100)]
    known = instant(gen.HOURS + 24 * 150)
    known_i = start0 + (gen.HOURS + 24 * 150) * 3_600_000_000
    series = index.series(days, known_at=known)
    expected = [{s.place: s.holder for s in snap if s.holder} for snap in series]
    for ours, day_i in zip(expected, days_i, strict=True):
        cleared += check_holders(ours, cols, day_i, known_i, "series")
    simple = [tuple_loop_holders(cols, day_i, known_i) for day_i in days_i]
    assert series_answer(cols, alt.pandas_series(days_i, known_i), 100) == simple, (
        "merge_asof differs"
    )
    assert series_answer(cols, alt.duckdb_series(days_i, known_i), 100) == simple, (
        "ASOF JOIN differs"
    )
    table.add(
        size,
        "holders cleared by a contender's loss",
        "in the 102 answers checked (check_holders)",
        f"{cleared:,}",
    )
    # Timed on a fresh index: the check above filled this one's memos for these days.
    cold = AsOfIndex(ledger)
    cold.holders(at=gen.START)  # settles it
    series_s = median_time(lambda: cold.series(days, known_at=known), repeat=1)
    table.add(
        size,
        "series of 100 daily snapshots",
        "conflict_ledger AsOfIndex (lazy states)",
        ms(series_s),
    )
    figures["series"] = series_s
    noon = [day.add(hours=12) for day in days]
    series_read_s = median_time(
        lambda: [list(snap) for snap in cold.series(noon, known_at=known)], repeat=1
    )
    table.add(
        size,
        "series of 100 daily snapshots",
        "conflict_ledger AsOfIndex, every state read",
        ms(series_read_s),
    )
    evening = [day.add(hours=18) for day in days]
    series_table_s = median_time(
        lambda: [cold.table(at=day, known_at=known) for day in evening], repeat=1
    )
    table.add(
        size,
        "series of 100 daily snapshots",
        "conflict_ledger AsOfIndex.table x 100 (columns, every state)",
        ms(series_table_s),
        ratio(series_read_s, series_table_s),
    )
    figures["series table"] = series_table_s
    tables_s = median_time(lambda: cold.tables(noon, known_at=known), repeat=1)
    table.add(
        size,
        "series of 100 daily snapshots",
        "conflict_ledger AsOfIndex.tables (columns, every state)",
        ms(tables_s),
        ratio(series_read_s, tables_s),
    )
    figures["tables"] = tables_s
    holders_series = [
        {p: h for p, h in step.items() if h} for step in index.holders_series(days, known_at=known)
    ]
    assert holders_series == expected, "holders_series differs"
    # Another hundred days, so that neither reuses the snapshots' memos.
    other = rng.randrange(gen.HOURS - 24 * 100)
    other_days = [instant(other + 24 * d) for d in range(100)]
    hseries_s = median_time(lambda: index.holders_series(other_days, known_at=known), repeat=1)
    table.add(
        size, "series of 100 daily holders", "conflict_ledger .holders_series()", ms(hseries_s)
    )
    other_days = [instant(other + 24 * d + 12) for d in range(100)]
    loop_s = median_time(
        lambda: [index.holders(at=day, known_at=known) for day in other_days], repeat=1
    )
    table.add(size, "series of 100 daily holders", "conflict_ledger .holders() x100", ms(loop_s))
    figures["holders series"] = hseries_s
    for name, tool in (
        ("pandas merge_asof", alt.pandas_series),
        ("DuckDB ASOF JOIN", alt.duckdb_series),
    ):
        theirs = median_time(lambda t=tool: list(t(days_i, known_i)), repeat=max(1, repeat // 3))
        table.add(size, "series of 100 daily holders", name, ms(theirs), ratio(theirs, hseries_s))

    # Appending: claims arriving in report order at the end, and back-dated late claims.
    for label, fresh in (
        ("append one claim (in report order)", True),
        ("append one claim (weeks late)", False),
    ):
        extra = appended_claims(ledger, places, fresh=fresh, count=500)
        spent = []
        for claim in extra:
            ledger.append(claim)
            began = time.perf_counter()
            index.refresh()
            index.place_state(place_of(claim), at=claim.valid.start)  # type: ignore[arg-type]
            spent.append(time.perf_counter() - began)
        table.add(size, label, "conflict_ledger AsOfIndex", ms(statistics.mean(spent)))
        figures[label] = statistics.mean(spent)
    check = instant(rng.randrange(gen.HOURS))
    ours = ledger_answer(index, check, None)
    check_holders(ours, rows_of(ledger), ff.micros(check), NEVER - 1, "after appends")

    if deep:
        profile = cProfile.Profile()
        profile.enable()
        for a, k in read_probes:  # the slowest path: a snapshot with every state read
            list(index.snapshot(at=a.add(hours=1), known_at=k))
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(8)
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        print("\nwhere a full snapshot with every state read goes (cProfile, top 8 by own time):")
        print("\n".join(lines[-10:]))
    alt.duck.close()
    alt.lite.close()
    gc.unfreeze()
    return figures


def cold_start(claims: int, places: int, table: Table) -> None:
    """A new process opens a SQLite ledger of ``claims`` claims and answers one snapshot."""
    import subprocess
    import tempfile

    size = f"{claims // 1000:,}k/{places:,}"
    folder = tempfile.mkdtemp(prefix="conflict-ledger-bench-")
    path = os.path.join(folder, "war.sqlite")
    seconds = gen.write_sqlite(path, claims=claims, places=places)
    table.add(size, "write the ledger to SQLite", "open_ledger + extend", f"{seconds:.1f} s")
    at = gen.START.add(hours=gen.HOURS // 2).isoformat()
    script = (
        "from conflict_ledger.codec import open_ledger\n"
        "from conflict_ledger.engine import AsOfIndex\n"
        f"ledger = open_ledger({path!r})\n"
        f"snap = AsOfIndex(ledger).snapshot(at={at!r})\n"
        "assert len(snap) > 0\n"
    )
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True)
    seconds = time.perf_counter() - began
    table.add(
        size, "cold start: open SQLite + one snapshot", "new python process", f"{seconds:.2f} s"
    )
    os.remove(path)


def appended_claims(ledger: Ledger, places: int, *, fresh: bool, count: int) -> list[Any]:
    """New claims from another seed: at the end of the war (fresh) or about any earlier time."""
    other = gen.generate(
        claims=count * 2,
        places=places,
        seed=99 if fresh else 98,
        retracted_share=0,
        corrected_share=0,
    )
    last = ledger.records()[-1].claim.reported_at
    out = []
    tag = "n" if fresh else "l"
    for record in other.ledger.records()[:count]:
        claim = record.claim
        if fresh:
            shift = datetime.timedelta(seconds=(last - claim.reported_at).total_seconds() + 3600)
            valid = attrs.evolve(
                claim.valid, start=claim.valid.start + shift, end=claim.valid.end + shift
            )
            out.append(
                attrs.evolve(
                    claim, id=f"{tag}{claim.id}", valid=valid, reported_at=claim.reported_at + shift
                )
            )
        else:
            out.append(attrs.evolve(claim, id=f"{tag}{claim.id}", reported_at=last.add(days=1)))
    return out


# -- whole maps, old code against new (--compare) -----------------------------------------


def _timed(run: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def tables_worker(claims: int, places: int, repeat: int, duck: bool) -> None:
    """Time whole-map tables with whatever code is on the path; print them as JSON.

    The first table (which, on code that keeps each place's rows, makes them), tables at
    ``repeat`` random (at, known_at) asked after it, and 100 daily tables: one call of
    ``AsOfIndex.tables`` where the code has it, else ``table`` a day. With ``duck``, the
    DuckDB holders-only query at the same random questions, in the same process.
    """
    import json

    made = gen.generate(claims=claims, places=places)
    gc.collect()
    gc.freeze()
    index = AsOfIndex(made.ledger)
    index.holders(at=gen.START)  # settles every place
    rng = random.Random(claims + places)
    start0 = ff.micros(gen.START)
    hours = [(a, min(gen.HOURS + 24 * 120, a + rng.randrange(24 * 90))) for a in
             (rng.randrange(gen.HOURS) for _ in range(repeat + 1))]  # fmt: skip
    at, known = (gen.START.add(hours=h) for h in hours[0])
    out: dict[str, Any] = {"first": _timed(lambda: index.table(at=at, known_at=known))}
    runs = [
        _timed(lambda a=a, k=k: index.table(at=gen.START.add(hours=a), known_at=gen.START.add(hours=k)))
        for a, k in hours[1:]
    ]  # fmt: skip
    out["table"] = [statistics.median(r[i] for r in runs) for i in (0, 1)]
    now_hours = [a + 1 for a, _ in hours[1:]]  # an hour later: no answer found remembered
    runs = [_timed(lambda a=a: index.table(at=gen.START.add(hours=a))) for a in now_hours]
    out["table now"] = [statistics.median(r[i] for r in runs) for i in (0, 1)]
    first = rng.randrange(gen.HOURS - 24 * 100)
    known_all = gen.START.add(hours=gen.HOURS + 24 * 150)
    days = [gen.START.add(hours=first + 24 * d + 18) for d in range(100)]
    tables = getattr(index, "tables", None)
    if tables is not None:
        out["series"] = _timed(lambda: tables(days, known_at=known_all))
    else:
        out["series"] = _timed(lambda: [index.table(at=d, known_at=known_all) for d in days])
    if duck:
        alt = Alternatives(rows_of(made.ledger))
        micro = [(start0 + a * 3_600_000_000, start0 + k * 3_600_000_000) for a, k in hours[1:]]
        out["duckdb"] = statistics.median(
            median_time(lambda a=a, k=k: alt.duckdb(a, k), repeat=1) for a, k in micro
        )
        out["duckdb now"] = statistics.median(
            median_time(lambda a=a: alt.duckdb(start0 + a * 3_600_000_000, NEVER - 1), repeat=1)
            for a in now_hours
        )
        alt.duck.close()
    print(json.dumps(out))


def compare_tables(old_src: str, claims: int, places: int, repeat: int) -> None:
    """Whole-map tables by ``old_src``'s code and this checkout's, each in a new process
    over the same generated ledger; one table, old and new side by side."""
    import json
    import subprocess

    new_src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    found = {}
    for which, src in (("old", os.path.abspath(old_src)), ("new", new_src)):
        argv = [sys.executable, __file__, "--tables-worker", f"{claims}x{places}"]
        argv += ["--repeat", str(repeat)] + (["--duckdb"] if which == "new" else [])
        done = subprocess.run(
            argv, env=dict(os.environ, PYTHONPATH=src), capture_output=True, text=True, check=True
        )
        found[which] = json.loads(done.stdout.splitlines()[-1])
    old, new = found["old"], found["new"]
    print(
        f"\n== whole maps, {claims:,} claims / {places:,} places: {old_src} against this checkout =="
    )
    print(f"  {'measure':<58} {'old wall':>10} {'old CPU':>10} {'new wall':>10} {'new CPU':>10}")
    for key, label in (
        ("first", "first table (new: makes every place's rows)"),
        ("table", f"table, random (at, known_at), median of {repeat}"),
        ("table now", f"table, random at, known now, median of {repeat}"),
        ("series", "100 daily tables (old: table x100; new: tables())"),
    ):
        print(
            f"  {label:<58} {ms(old[key][0]):>10} {ms(old[key][1]):>10}"
            f" {ms(new[key][0]):>10} {ms(new[key][1]):>10}"
        )
    for key, label in (("duckdb", "(at, known_at)"), ("duckdb now", "at, known now")):
        what = f"DuckDB holders-only query, {label}, same questions"
        print(f"  {what:<58} {ms(new[key]):>43}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="one small size (20k claims, 500 places)"
    )
    parser.add_argument(
        "--sizes", default="100000x2000,100000x20000,1000000x20000", help="CLAIMSxPLACES,..."
    )
    parser.add_argument("--repeat", type=int, default=9, help="timed rounds per figure (median)")
    parser.add_argument(
        "--cold-start",
        type=int,
        default=0,
        help="claims in the SQLite ledger a new process opens (0: skip; needs the SQLite store)",
    )
    parser.add_argument(
        "--eventsourcing", type=int, default=20_000, help="claims given to eventsourcing (0: skip)"
    )
    parser.add_argument(
        "--compare",
        metavar="OLD_SRC",
        help="only whole-map tables, OLD_SRC's code (a src/ folder) against this checkout's,"
        " each in a new process, at the last of --sizes",
    )
    parser.add_argument("--tables-worker", help=argparse.SUPPRESS)
    parser.add_argument("--duckdb", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tables_worker:
        claims, places = (int(x) for x in args.tables_worker.split("x"))
        tables_worker(claims, places, args.repeat, args.duckdb)
        return 0
    if args.compare:
        claims, places = (int(x) for x in args.sizes.split(",")[-1].split("x"))
        compare_tables(args.compare, claims, places, args.repeat)
        return 0
    sizes = (
        [(20_000, 500)]
        if args.quick
        else [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",")]
    )
    table = Table()
    growth = []
    for claims, places in sizes:
        growth.append(
            (
                (claims, places),
                run_size(
                    claims,
                    places,
                    table,
                    repeat=args.repeat,
                    es_limit=args.eventsourcing,
                    deep=True,
                ),
            )
        )
    if args.cold_start:
        print(f"\n== cold start, {args.cold_start:,} claims ==", flush=True)
        cold_start(args.cold_start, sizes[-1][1], table)
    print("\n" + table.render())
    if len(growth) > 1:
        print("\nhow the figures grow (relative to the first size):")
        (c0, p0), base = growth[0]
        for (c, p), figs in growth[1:]:
            parts = [
                f"{k}: x{figs[k] / base[k]:.2f}"
                for k in (
                    "snapshot",
                    "snapshot read",
                    "holders",
                    "place",
                    "series",
                    "holders series",
                    "fold",
                    "build",
                )
                if k in figs and k in base
            ]
            print(f"  {c0:,}/{p0:,} -> {c:,}/{p:,}: " + ", ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
