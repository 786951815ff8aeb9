"""Claims and snapshots as typed Parquet tables, for DuckDB, polars or Spark (the ``parquet``
extra: pyarrow).

:func:`claims_table` has one row per claim in ledger order: times
are ``timestamp[us, UTC]``, kinds, modalities and precisions dictionary-encoded strings,
the source chain a list of source ids, and ``record`` the claim's canonical JSON, so
nothing of a claim is lost. :func:`snapshot_table` has one row per place
, with the snapshot's ``at`` and ``known_at`` on every row.
:func:`write_parquet` writes both into a directory, in row groups, so a ledger of any size
goes out in bounded memory::

    conflict-ledger export LEDGER --as parquet --at 2024-12-07 -o out/

>>> import tempfile, conflict_ledger as cl
>>> written = write_parquet(cl.load_seed(), tempfile.mkdtemp(), at="2024-12-07T00:00Z")
>>> sorted(written), written["claims"].name
(['claims', 'snapshot'], 'claims.parquet')
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from conflict_ledger.asof import Snapshot
from conflict_ledger.canonical import canonical_json
from conflict_ledger.codec import encode_claim, encode_event
from conflict_ledger.ledger import Ledger, Recorded
from conflict_ledger.queries import snapshot
from conflict_ledger.rules.territory import PlaceState
from conflict_ledger.time import to_instant

__all__ = [
    "claims_table",
    "snapshot_table",
    "write_parquet",
]

ROW_GROUP = 100_000
"""Claims per row group (and per batch built in memory) when writing."""


def _pa() -> Any:
    # Imported here, and by name so that type-checking needs no pyarrow stubs.
    try:
        return importlib.import_module("pyarrow")
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "conflict_ledger.adapters.parquet needs pyarrow: pip install 'conflict-ledger[parquet]'"
        ) from None


def _schemas() -> tuple[Any, Any]:
    pa = _pa()
    time = pa.timestamp("us", tz="UTC")
    label = pa.dictionary(pa.int32(), pa.string())
    names = pa.list_(pa.string())
    claims = pa.schema(
        [
            ("position", pa.int64()),
            ("recorded_at", time),
            ("id", pa.string()),
            ("kind", label),
            ("place", pa.string()),
            ("actor", pa.string()),
            ("places", names),
            ("actors", names),
            ("valid_start", time),
            ("valid_end", time),
            ("precision", label),
            ("reported_at", time),
            ("modality", label),
            ("credibility", pa.int8()),
            ("origin", pa.string()),
            ("sources", names),
            ("supersedes", pa.string()),
            ("document", pa.string()),
            ("note", pa.string()),
            ("event", pa.string()),
            ("record", pa.string()),
        ]
    )
    states = pa.schema(
        [
            ("at", time),
            ("known_at", time),
            ("place", pa.string()),
            ("status", label),
            ("holder", pa.string()),
            ("previous", pa.string()),
            ("contenders", names),
            ("since_start", time),
            ("since_end", time),
            ("since_precision", label),
            ("settled", pa.bool_()),
            ("attackers", names),
            ("advancing", names),
            ("presence", names),
            ("access", pa.string()),
            ("claims", names),
            ("disputes", names),
            ("confirmed_at", time),
        ]
    )
    return claims, states


def _claim_row(record: Recorded) -> dict[str, Any]:
    claim = record.claim
    places, actors = claim.event.place_ids(), claim.event.actor_ids()
    return {
        "position": record.position,
        "recorded_at": record.recorded_at,
        "id": claim.id,
        "kind": claim.event.kind,
        "place": places[0] if places else None,
        "actor": actors[0] if actors else None,
        "places": list(places),
        "actors": list(actors),
        "valid_start": claim.valid.start,
        "valid_end": claim.valid.end,
        "precision": claim.valid.precision.value,
        "reported_at": claim.reported_at,
        "modality": claim.modality.value,
        "credibility": None if claim.credibility is None else int(claim.credibility),
        "origin": claim.source.origin,
        "sources": list(claim.source.source_ids()),
        "supersedes": claim.supersedes,
        "document": None if claim.evidence is None else claim.evidence.document,
        "note": claim.note,
        "event": json.dumps(encode_event(claim.event), ensure_ascii=False, sort_keys=True),
        "record": canonical_json(encode_claim(claim)).decode("utf-8"),
    }


def claims_table(source: Ledger | Iterable[Recorded]) -> Any:
    """Every claim as a row of a ``pyarrow.Table``, in ledger order.

    >>> import conflict_ledger as cl
    >>> table = claims_table(cl.load_seed())
    >>> table.num_rows, table.column("kind")[3].as_py(), table.column("sources")[3].as_py()
    (16, 'captured', ['syrian-sources', 'reuters', 'dawn'])
    >>> str(table.schema.field("valid_start").type)
    'timestamp[us, tz=UTC]'
    """
    schema, _ = _schemas()
    records = source.records() if isinstance(source, Ledger) else tuple(source)
    return _pa().Table.from_pylist([_claim_row(r) for r in records], schema=schema)


def _state_row(state: PlaceState, snap: Snapshot) -> dict[str, Any]:
    since = state.since
    return {
        "at": snap.at,
        "known_at": snap.known_at,
        "place": state.place,
        "status": state.status.value,
        "holder": state.holder,
        "previous": state.previous,
        "contenders": list(state.contenders),
        "since_start": None if since is None else since.start,
        "since_end": None if since is None else since.end,
        "since_precision": None if since is None else since.precision.value,
        "settled": state.settled,
        "attackers": list(state.attackers),
        "advancing": list(state.advancing),
        "presence": list(state.presence),
        "access": None if state.access is None else state.access.value,
        "claims": list(state.claims),
        "disputes": list(state.disputes),
        "confirmed_at": state.confirmed_at,
    }


def snapshot_table(snaps: Snapshot | Sequence[Snapshot]) -> Any:
    """One row per place of each snapshot; ``at`` and
    ``known_at`` tell the snapshots apart.

    >>> import conflict_ledger as cl
    >>> table = snapshot_table(cl.snapshot(cl.load_seed(), at="2024-12-07T00:00Z"))
    >>> row = next(r for r in table.to_pylist() if r["place"] == "deir-ez-zor")
    >>> row["status"], row["holder"]
    ('held', 'sdf')
    """
    _, schema = _schemas()
    many = (snaps,) if isinstance(snaps, Snapshot) else tuple(snaps)
    rows = [_state_row(state, snap) for snap in many for state in snap]
    return _pa().Table.from_pylist(rows, schema=schema)


def write_parquet(
    ledger: Ledger,
    directory: str | os.PathLike[str],
    *,
    at: Any = None,
    known_at: Any = None,
    row_group: int = ROW_GROUP,
) -> dict[str, Path]:
    """Write ``claims.parquet`` (every claim) and, given ``at``, ``snapshot.parquet`` (the
    snapshot at ``at`` as known at ``known_at``) into ``directory``; return their paths.

    Each file is written under a temporary name and renamed, so a reader never sees half.
    """
    parquet = importlib.import_module("pyarrow.parquet")
    pa = _pa()
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    claims_schema, _ = _schemas()
    written: dict[str, Path] = {}
    records = ledger.records()
    path = target / "claims.parquet"
    temporary = path.with_name(path.name + ".tmp")
    with parquet.ParquetWriter(temporary, claims_schema, compression="zstd") as writer:
        for start in range(0, max(len(records), 1), row_group):
            rows = [_claim_row(r) for r in records[start : start + row_group]]
            writer.write_table(pa.Table.from_pylist(rows, schema=claims_schema))
    temporary.replace(path)
    written["claims"] = path
    if at is not None:
        snap = snapshot(
            ledger,
            at=to_instant(at, field="at"),
            known_at=None if known_at is None else to_instant(known_at, field="known_at"),
        )
        path = target / "snapshot.parquet"
        temporary = path.with_name(path.name + ".tmp")
        parquet.write_table(snapshot_table(snap), temporary, compression="zstd")
        temporary.replace(path)
        written["snapshot"] = path
    return written
