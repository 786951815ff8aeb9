"""What an ingested claim record costs before it reaches SQLite: canonical JSON and packing.

    python benchmarks/bench_ingest.py                   # 20,000 records of the synthetic war
    python benchmarks/bench_ingest.py --claims 50000

The records are the stored claim records of ``generate.py``'s war (schema, position,
recorded time and the encoded claim, as ``Ledger`` writes them). The first table times
RFC 8785 canonical JSON three ways on the same records, each checked byte-identical to
the ``rfc8785`` package before it is timed: the stdlib C encoder after the type walk
(what ``canonical_json`` did before orjson), ``canonical_json`` now (the type walk, then
orjson), and the ``rfc8785`` package itself. The second table packs the same records
for a compact SQLite file: deflate against the preset dictionary (files written before),
zstd against the same bytes as a raw-content dictionary (a new file's first records),
and zstd against a dictionary trained on the first 2,000 records (every record after),
with the mean bytes a record and microseconds to pack and to unpack one (the hold-out
records only: those after the ones the dictionary was trained on). Best of 3, CPU time,
the garbage collector off. ``bench_stores.py`` times the whole append path with each.
"""

from __future__ import annotations

import argparse
import base64
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rfc8785

sys.path.insert(0, str(Path(__file__).parent))

import generate as gen

from conflict_ledger import canonical, records
from conflict_ledger.stores import sqlite as sqlite_module
from conflict_ledger.stores._packing import Deflate, Zstd, train


def stored_records(claims: int) -> list[dict[str, Any]]:
    made = gen.generate(claims=claims, places=20_000, seed=5)
    return [
        {
            "schema": 1,
            "position": record.position,
            "recorded_at": record.recorded_at.isoformat(),
            "claim": records.encode_claim(record.claim),
        }
        for record in made.ledger.records()
    ]


def best(step: Callable[[], object], count: int) -> float:
    """Microseconds a record, best of three runs of ``step`` over ``count`` records."""
    runs = []
    for _ in range(3):
        began = time.process_time()
        step()
        runs.append(time.process_time() - began)
    return min(runs) / count * 1e6


def stdlib_canonical(value: Any) -> bytes:
    """canonical_json as it was: the type walk, then the stdlib C encoder."""
    if not canonical._plain(value):
        raise ValueError("not on the fast path")
    text: str = canonical._ENCODE(value)
    return text.encode("utf-8")


def canonical_rows(values: list[dict[str, Any]]) -> list[tuple[str, float]]:
    expected = [rfc8785.dumps(value) for value in values]
    ways: list[tuple[str, Callable[[Any], bytes]]] = [
        ("stdlib json C encoder + type walk (before)", stdlib_canonical),
        ("canonical_json: type walk + orjson (now)", canonical.canonical_json),
        ("rfc8785 package (pure Python)", rfc8785.dumps),
    ]
    rows = []
    for name, encode in ways:
        if [encode(value) for value in values] != expected:
            raise SystemExit(f"{name} is not byte-identical to rfc8785")
        rows.append((name, best(lambda e=encode: [e(v) for v in values], len(values))))
    return rows


def packing_rows(datas: list[bytes]) -> list[tuple[str, float, float, float]]:
    base = sqlite_module._DICTIONARY
    trained = train(datas[: sqlite_module._TRAIN_AT], 1, sqlite_module._TRAINED_SIZE)
    assert trained is not None
    held_out = datas[sqlite_module._TRAIN_AT :]
    packers: list[tuple[str, Any]] = [
        ("deflate, preset dictionary (before)", Deflate(base)),
        ("zstd, raw-content dictionary (first records)", Zstd(base, {})),
        ("zstd, trained on the first 2,000 (now)", Zstd(base, {1: trained})),
    ]
    rows = []
    for name, packer in packers:
        packed = [packer.pack(data) for data in held_out]
        if [packer.unpack(item) for item in packed] != held_out:
            raise SystemExit(f"{name} does not restore the records")
        size = statistics.mean(map(len, packed))
        pack = best(lambda p=packer: [p.pack(d) for d in held_out], len(held_out))
        unpack = best(lambda p=packer, k=packed: [p.unpack(d) for d in k], len(held_out))
        rows.append((name, size, pack, unpack))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    args = parser.parse_args(argv)
    values = stored_records(args.claims)
    gc.collect()
    gc.freeze()
    gc.disable()
    datas = [canonical.canonical_json(value) for value in values]
    print(
        f"{len(values):,} stored claim records of the synthetic war, "
        f"{statistics.mean(map(len, datas)):.0f} bytes of canonical JSON on average"
    )
    print()
    print("| canonical JSON (RFC 8785), byte-identical to rfc8785 | us a record |")
    print("| --- | ---: |")
    for name, micros in canonical_rows(values):
        print(f"| {name} | {micros:.2f} |")
    print()
    print("| packing a record for a compact SQLite file | bytes | pack us | unpack us |")
    print("| --- | ---: | ---: | ---: |")
    for name, size, pack, unpack in packing_rows(datas):
        print(f"| {name} | {size:.0f} | {pack:.2f} | {unpack:.2f} |")
    dictionary = base64.b64encode(sqlite_module._DICTIONARY)
    print(f"\n(raw-content dictionary: {len(base64.b64decode(dictionary))} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
