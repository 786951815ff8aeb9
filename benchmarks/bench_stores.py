"""Durable stores side by side: append, reopen and verify, bytes on disk (a printed table).

    python benchmarks/bench_stores.py                  # 1,000,000 claims (a few minutes)
    python benchmarks/bench_stores.py --claims 100000  # quick look

For each store the same synthetic claim records go through the store path of an append:
RFC 8785 canonical JSON, SHA-256 of the record, the RFC 9162 Merkle leaf and tree update,
and one committed batch (one SQLite transaction, one JSON Lines write + fsync) per
``--batch`` claims. "Reopen + verify" opens the file afresh, re-reads every record,
checks its SHA-256 and rebuilds the Merkle root, compared with the checkpoint taken at
the end of the append. The ceiling is raw ``sqlite3.executemany`` of the same rows into
a plain table. SQLite ledgers are compact (records deflated) by default; the plain JSON
row is ``compact=False``. A second table times each step of the store path alone on the
same records (the floor any append rate must fit under). A smaller run through the whole
``Ledger.extend`` path (validation, alias resolution, claim encoding) shows what the
library adds on top.

The records are made cheaply from the shape ``codec.encode_claim`` writes (ids, places,
actors, sources and hours vary), so that generating a million of them costs seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import sys
import tempfile
import time
import timeit
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conflict_ledger.canonical import canonical_json
from conflict_ledger.codec import open_ledger
from conflict_ledger.ledger import fixed_clock
from conflict_ledger.merkle import MerkleTree, leaf_hash
from conflict_ledger.stores import JsonlStore, SqliteStore, StoredRecord
from conflict_ledger.stores.base import SCHEMA_VERSION

KINDS = ("captured", "attacked", "advanced", "holds")
PRECISIONS = (("exact", 0), ("hour", 1), ("day", 24), ("week", 168))


def records(count: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Claim records in the stored shape (schema 1), varied but cheap to make."""
    rng = random.Random(seed)
    iso = [
        f"2024-{1 + d // 28:02d}-{1 + d % 28:02d}T{h:02d}:00:00+00:00"
        for d in range(336)
        for h in range(24)
    ]
    for position in range(count):
        start = rng.randrange(len(iso) - 200)
        precision, width = PRECISIONS[rng.randrange(4)]
        kind = KINDS[rng.randrange(4)]
        yield {
            "schema": SCHEMA_VERSION,
            "position": position,
            "recorded_at": iso[start + 72],
            "claim": {
                "record": "claim",
                "id": f"feed/{position}",
                "event": {
                    "type": kind,
                    "place": f"p{rng.randrange(20_000):05d}",
                    "actor": f"actor-{rng.randrange(12)}",
                    **(
                        {"verb": kind, "from_actor": None, "extent": "all"}
                        if kind in ("captured", "holds")
                        else {}
                    ),
                },
                "valid": {"start": iso[start], "end": iso[start + width], "precision": precision},
                "reported_at": iso[start + rng.randrange(72)],
                "source": [
                    {"source": f"src-{rng.randrange(200):03d}", "role": "origin", "said_on": None}
                ],
                "modality": "asserted",
                "credibility": None,
                "evidence": None,
                "supersedes": None,
                "note": "",
            },
        }


def batches(count: int, size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records(count):
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def disk_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def append_to_store(store: Any, count: int, size: int) -> tuple[float, bytes]:
    """Canonicalise, hash, update the Merkle tree and commit, batch by batch."""
    tree = MerkleTree()
    began = time.perf_counter()
    for batch in batches(count, size):
        stored = [StoredRecord.of(r["position"], canonical_json(r)) for r in batch]
        tree.extend(leaf_hash(item.data) for item in stored)
        with store.writing():
            store.write(stored, ())
    return time.perf_counter() - began, tree.root()


def reopen_and_verify(opener: Any, root: bytes) -> float:
    began = time.perf_counter()
    store = opener()
    tree = MerkleTree()
    tree.extend(leaf_hash(record.data) for record in store.records())  # each hash checked
    store.close()
    if tree.root() != root:
        raise SystemExit("verification failed: the root differs")
    return time.perf_counter() - began


def generation_seconds(count: int, size: int) -> float:
    began = time.perf_counter()
    for _batch in batches(count, size):
        pass
    return time.perf_counter() - began


def raw_sqlite(path: Path, count: int, size: int) -> float:
    """The ceiling: the same rows, pre-encoded, into a plain table by executemany."""
    rows = [
        [(r["position"], canonical_json(r), b"\0" * 32) for r in batch]
        for batch in batches(count, size)
    ]
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE claims (position INTEGER PRIMARY KEY, data BLOB, hash BLOB)")
    began = time.perf_counter()
    for batch in rows:
        db.execute("BEGIN")
        db.executemany("INSERT INTO claims VALUES (?, ?, ?)", batch)
        db.execute("COMMIT")
    seconds = time.perf_counter() - began
    db.close()
    return seconds


def per_record_floor(directory: Path, count: int) -> list[tuple[str, float]]:
    """Microseconds a record for each step of the store path alone, on the same records:
    what an append at >= 100k claims/s (10 us a record) would have to fit in."""
    import json

    sample = list(records(count))
    encoder = json.JSONEncoder(
        ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
    ).encode
    datas = [canonical_json(r) for r in sample]
    packer = SqliteStore(directory / "floor.sqlite")  # compact: the default
    rows = [(i, packer._pack(d), hashlib.sha256(d).digest()) for i, d in enumerate(datas)]
    packer.close()

    def timed(step: Any) -> float:
        best = min(timeit.repeat(step, number=1, repeat=3))
        return best / count * 1e6

    def insert() -> None:
        db = sqlite3.connect(":memory:", isolation_level=None)
        db.execute("CREATE TABLE claims (position INTEGER PRIMARY KEY, data BLOB, hash BLOB)")
        db.execute("BEGIN")
        db.executemany("INSERT INTO claims VALUES (?, ?, ?)", rows)
        db.execute("COMMIT")
        db.close()

    steps = [
        ("json C encoder alone (sorted keys)", lambda: [encoder(r).encode() for r in sample]),
        ("canonical_json (type walk + encoder)", lambda: [canonical_json(r) for r in sample]),
        ("SHA-256 of the record", lambda: [hashlib.sha256(d).digest() for d in datas]),
        ("Merkle leaf hash", lambda: [leaf_hash(d) for d in datas]),
        ("Merkle tree append", lambda: MerkleTree().extend(leaf_hash(d) for d in datas)),
        ("StoredRecord.of (hash + record object)", lambda: [StoredRecord.of(0, d) for d in datas]),
        ("deflate against the dictionary (compact)", lambda: [packer._pack(d) for d in datas]),
        ("executemany of the packed rows (in memory)", insert),
    ]
    return [(name, timed(step)) for name, step in steps]


def ledger_path(directory: Path, count: int, suffix: str) -> tuple[float, float]:
    """The whole Ledger.extend path, and reopening into Claims (decoded), per second."""
    sys.path.insert(0, str(Path(__file__).parent))
    from generate import generate

    synthetic = generate(claims=count, places=2_000)
    claims = synthetic.ledger.claims()
    path = directory / f"ledger{suffix}"
    with open_ledger(
        path,
        create=True,
        registries=synthetic.ledger.registries,
        clock=fixed_clock("2025-01-01T00:00Z"),
    ) as ledger:
        began = time.perf_counter()
        for start in range(0, len(claims), 10_000):
            ledger.extend(claims[start : start + 10_000])
        appended = time.perf_counter() - began
    began = time.perf_counter()
    with open_ledger(path, registries=synthetic.ledger.registries) as again:
        again.verify()
    reopened = time.perf_counter() - began
    return len(claims) / appended, len(claims) / reopened


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument(
        "--ledger-claims", type=int, default=50_000, help="for the Ledger.extend row"
    )
    args = parser.parse_args(argv)
    n, size = args.claims, args.batch
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        making = generation_seconds(n, size)
        for name, suffix, opener in (
            ("SQLite (FULL, compact: the default)", ".sqlite", lambda p: SqliteStore(p)),
            ("SQLite (NORMAL, compact)", ".sqlite", lambda p: SqliteStore(p, synchronous="NORMAL")),
            ("SQLite (FULL, plain JSON)", ".sqlite", lambda p: SqliteStore(p, compact=False)),
            ("JSON Lines (fsync)", ".jsonl", lambda p: JsonlStore(p)),
        ):
            path = directory / f"{name.split()[0].lower()}-{len(rows)}{suffix}"
            store = opener(path)
            seconds, root = append_to_store(store, n, size)
            store.close()
            verify = reopen_and_verify(lambda p=path, o=opener: o(p), root)
            rows.append((name, n / (seconds - making), n / seconds, verify, disk_bytes(path) / n))
        raw = raw_sqlite(directory / "raw.sqlite", n, size)
        rows.append(
            (
                "raw sqlite3 executemany",
                n / raw,
                n / raw,
                float("nan"),
                disk_bytes(directory / "raw.sqlite") / n,
            )
        )
        print(f"{n:,} claims in batches of {size:,} (generating the records alone: {making:.1f} s)")
        print()
        print(
            "| store | append claims/s (store path) | incl. generating | reopen + verify s | bytes/claim |"
        )
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, rate, gross, verify, per in rows:
            shown = "-" if verify != verify else f"{verify:.1f}"
            print(f"| {name} | {rate:,.0f} | {gross:,.0f} | {shown} | {per:.0f} |")
        floor = per_record_floor(directory, min(n, 50_000))
        print()
        print(f"Per record, each step alone ({min(n, 50_000):,} records, best of 3):")
        print()
        print("| step | us/record |")
        print("| --- | ---: |")
        for name, micros in floor:
            print(f"| {name} | {micros:.2f} |")
        needed = sum(
            m for name, m in floor if not name.startswith(("json C", "SHA", "Merkle leaf"))
        )
        print(
            f"| canonical_json + StoredRecord.of + tree append + deflate + executemany | "
            f"{needed:.2f} (at most {1e6 / needed:,.0f} claims/s) |"
        )
        if args.ledger_claims:
            print()
            print(
                f"Whole Ledger path on {args.ledger_claims:,} generated Claims (benchmarks/generate.py):"
            )
            print()
            print("| store | Ledger.extend claims/s | reopen + decode + verify claims/s |")
            print("| --- | ---: | ---: |")
            for suffix in (".sqlite", ".jsonl"):
                extend, reopen = ledger_path(directory, args.ledger_claims, suffix)
                print(f"| {suffix[1:]} | {extend:,.0f} | {reopen:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
