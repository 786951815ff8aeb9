"""keygen, checkpoint --sign and verify --checkpoint --key [--exact] from the shell."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from conflict_ledger.cli import main
from conflict_ledger.signing import VerifierKey, verify_checkpoint

from .forge import append_raw, build, stored


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def signed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, Path]:
    ledger = tmp_path / "l.sqlite"
    build(ledger)
    key = tmp_path / "newsroom.key"
    code, out, _ = run(capsys, "keygen", "newsroom.example/ledger", "--out", str(key))
    assert code == 0
    assert "Publish the verifier key: newsroom.example/ledger+" in out
    point = tmp_path / "published.checkpoint"
    code, out, _ = run(capsys, "checkpoint", str(ledger), "--sign", str(key), "-o", str(point))
    assert (code, out) == (0, f"wrote the checkpoint of 6 records to {point}\n")
    return ledger, point, Path(f"{key}.pub")


def test_keygen_writes_a_private_secret_key_and_refuses_to_overwrite_it(
    signed: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, public = signed
    secret = public.with_suffix("")
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert secret.read_text().startswith("PRIVATE+KEY+newsroom.example/ledger+")
    before = secret.read_bytes()
    code, _, err = run(capsys, "keygen", "other", "--out", str(secret))
    assert (code, secret.read_bytes()) == (1, before)
    assert "exists" in err


def test_a_signed_checkpoint_verifies_with_its_key_and_reads_as_c2sp(
    signed: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ledger, point, public = signed
    note = point.read_text()
    assert note.startswith("newsroom.example/ledger\n6\n")
    assert "\nregistry 9 " in note
    assert "\n\n— newsroom.example/ledger " in note
    assert verify_checkpoint(note, [VerifierKey.from_text(public.read_text())]).size == 6
    code, out, err = run(
        capsys, "verify", str(ledger), "--checkpoint", str(point), "--key", str(public), "--exact"
    )
    assert code == 0, err
    assert "ok: the checkpoint's signature verifies with" in out


def test_an_altered_signed_checkpoint_or_another_key_is_refused(
    signed: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ledger, point, public = signed
    altered = tmp_path / "altered.checkpoint"
    altered.write_text(point.read_text().replace("\n6\n", "\n5\n"))
    code, _, err = run(
        capsys, "verify", str(ledger), "--checkpoint", str(altered), "--key", str(public)
    )
    assert code == 1
    assert "does not verify" in err
    assert "Traceback" not in err
    run(capsys, "keygen", "newsroom.example/ledger", "--out", str(tmp_path / "other.key"))
    code, _, err = run(
        capsys,
        "verify",
        str(ledger),
        "--checkpoint",
        str(point),
        "--key",
        str(tmp_path / "other.key.pub"),
    )
    assert code == 1
    assert "no signature by a trusted key" in err


def test_a_forged_append_after_the_latest_checkpoint_fails_verify_exact(
    signed: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ledger, point, public = signed
    records, _ = stored(ledger)
    last = records[-1]
    append_raw(ledger, {**last, "position": 6, "claim": {**last["claim"], "id": "forged"}})
    code, out, _ = run(
        capsys, "verify", str(ledger), "--checkpoint", str(point), "--key", str(public)
    )
    assert code == 0
    assert "note: 1 records after the checkpoint are not covered by it" in out
    code, _, err = run(
        capsys, "verify", str(ledger), "--checkpoint", str(point), "--key", str(public), "--exact"
    )
    assert code == 3  # integrity (docs/cli.md, exit codes)
    assert "1 records after the checkpoint (positions 6 to 6)" in err


def test_an_unsigned_checkpoint_prints_the_c2sp_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "l.jsonl"
    build(ledger)
    code, out, _ = run(capsys, "checkpoint", str(ledger))
    lines = out.splitlines()
    assert (code, lines[:2], lines[3].split(" ")[:2]) == (
        0,
        ["conflict-ledger", "6"],
        ["registry", "9"],
    )


def test_a_checkpoint_without_the_registry_line_still_verifies_the_claims(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "l.sqlite"
    published = build(ledger)
    old = tmp_path / "old.checkpoint"
    old.write_text("".join(line + "\n" for line in published.to_text().splitlines()[:3]))
    code, out, err = run(capsys, "verify", str(ledger), "--checkpoint", str(old), "--exact")
    assert code == 0, err
    assert "ok: extends the published checkpoint of 6 records" in out
