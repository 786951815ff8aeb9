"""The tamper suite: every way a forger with write access can change a ledger, per store,
and what ``conflict-ledger verify`` catches with and without a published checkpoint.

Each forgery is capable (tests/forge.py): canonical JSON, every hash recomputed, SQLite
edits made with the append-only triggers dropped. The checkpoint is the latest one the
keeper published, before the forgery; ``verify --checkpoint FILE --exact`` is run with it.

Run ``python -m tests.test_tamper`` to print the table (also printed by ``pytest -s``).
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from conflict_ledger.canonical import canonical_json
from conflict_ledger.cli import main
from conflict_ledger.merkle import Checkpoint

from .forge import SUFFIXES, append_raw, build, edit_in_place, rewrite, stored

Tamper = Callable[[Path], None]


def _flip(path: Path) -> None:
    records, _ = stored(path)
    data = canonical_json(records[2]).replace(b'"p2"', b'"p3"')  # one byte, hash kept
    edit_in_place(path, 2, data, rehash=False)


def _edit(path: Path) -> None:
    records, _ = stored(path)
    data = canonical_json(records[2]).replace(b'"p2"', b'"p0"')  # another known place
    edit_in_place(path, 2, data, rehash=True)


def _delete(path: Path) -> None:
    records, values = stored(path)
    rewrite(path, records[:2] + records[3:], values)


def _delete_in_place(path: Path) -> None:
    if path.suffix == ".jsonl":
        lines = path.read_bytes().split(b"\n")
        index = [i for i, line in enumerate(lines) if b'","record":' in line[:90]][2]
        path.write_bytes(b"\n".join(lines[:index] + lines[index + 1 :]))
        return
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER claims_no_delete")
    db.execute("DELETE FROM claims WHERE position = 2")
    db.close()


def _swap(path: Path) -> None:
    records, values = stored(path)
    rewrite(path, [*records[:2], records[3], records[2], *records[4:]], values)


def _append(claim_id: str) -> Tamper:
    def forge(path: Path) -> None:
        records, _ = stored(path)
        last = records[-1]
        append_raw(
            path, {**last, "position": len(records), "claim": {**last["claim"], "id": claim_id}}
        )

    return forge


def _truncate(path: Path) -> None:
    records, values = stored(path)
    rewrite(path, records[:4], values)


def _registry_edit(path: Path) -> None:
    records, values = stored(path)
    place = json.loads(values[0])
    assert place["id"] == "p0"
    edited = canonical_json({**place, "name": "Forged Place"})
    rewrite(path, records, [edited, *values[1:]])


TAMPERS: dict[str, Tamper] = {
    "flip (a byte changed, hash kept)": _flip,
    "edit, re-hashed (SQLite: triggers dropped)": _edit,
    "delete in place (SQLite: trigger dropped)": _delete_in_place,
    "delete, file rewritten and re-hashed": _delete,
    "swap two records, re-hashed": _swap,
    "forged append, new id": _append("forged"),
    "forged append, reused id": _append("c1"),
    "truncation of the last batch, re-hashed": _truncate,
    "registry edit, re-hashed": _registry_edit,
}

# What verify catches WITHOUT a checkpoint (and why); with one, everything is caught.
CAUGHT_WITHOUT_CHECKPOINT = {
    "flip (a byte changed, hash kept)": "the hash",
    "delete in place (SQLite: trigger dropped)": "positions (SQLite) / commit counts (JSONL)",
    "forged append, reused id": "the audit: duplicate-id",
}


def _cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    assert "Traceback" not in err.getvalue()
    return code, err.getvalue().strip()


def outcome(folder: Path, suffix: str, name: str) -> tuple[str, str]:
    """The first line verify prints for the forgery, without and with the checkpoint
    ("" where verify passed)."""
    path = folder / f"ledger-{list(TAMPERS).index(name)}{suffix}"
    published: Checkpoint = build(path)
    checkpoint = folder / f"{path.name}.checkpoint"
    checkpoint.write_text(published.to_text())
    TAMPERS[name](path)
    without = _cli("verify", str(path))
    with_ = _cli("verify", str(path), "--checkpoint", str(checkpoint), "--exact")
    return tuple(  # type: ignore[return-value]
        text.removeprefix("conflict-ledger: error: ").removeprefix(str(path)).lstrip(": ")
        if code
        else ""
        for code, text in (without, with_)
    )


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("name", list(TAMPERS))
def test_every_forgery_is_caught_with_a_checkpoint_and_the_table_says_which_without(
    tmp_path: Path, suffix: str, name: str
) -> None:
    without, with_ = outcome(tmp_path, suffix, name)
    assert with_, "verify --checkpoint --exact passed a forged ledger"
    assert bool(without) == (name in CAUGHT_WITHOUT_CHECKPOINT), without


def table() -> str:
    rows = [
        "| forgery | store | without a checkpoint | with the checkpoint (--exact) |",
        "| --- | --- | --- | --- |",
    ]
    caught = {True: 0, False: 0}
    with tempfile.TemporaryDirectory() as folder:
        for name in TAMPERS:
            for suffix in SUFFIXES:
                without, with_ = outcome(Path(folder), suffix, name)
                caught[True] += bool(with_)
                caught[False] += bool(without)
                rows.append(f"| {name} | {suffix[1:]} | {_short(without)} | {_short(with_)} |")
    total = len(TAMPERS) * len(SUFFIXES)
    rows.append(
        f"\ncaught with the checkpoint: {caught[True]}/{total} "
        f"({100 * caught[True] // total}%); without: {caught[False]}/{total}"
    )
    return "\n".join(rows)


def _short(message: str) -> str:
    return message.split(". ")[0][:110] if message else "not caught"


def test_print_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    text = table()
    assert text.endswith(
        f"({100}%); without: {len(CAUGHT_WITHOUT_CHECKPOINT) * 2}/{len(TAMPERS) * 2}"
    )
    with capsys.disabled():
        print("\n" + text)


if __name__ == "__main__":
    print(table())
