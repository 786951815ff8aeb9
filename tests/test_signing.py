"""Signed checkpoints: the C2SP examples, the Go reference's example, and the Go reference
itself verifying what this library signs."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conflict_ledger.merkle import EMPTY_ROOT, Checkpoint
from conflict_ledger.signing import (
    SignatureError,
    SignerKey,
    VerifierKey,
    generate_key,
    sign_checkpoint,
    sign_note,
    verify_checkpoint,
    verify_note,
)

# c2sp.org/signed-note, "Verifier keys: Example" (C2SP/C2SP signed-note.md at commit
# 5ba5ee83, CC BY 4.0): this key verifies this note.
C2SP_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
C2SP_NOTE = (
    "This is an example message.\n\n— example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)
# c2sp.org/tlog-checkpoint, the checkpoint at the top (same commit); its public key is
# not published, so only its form can be checked.
C2SP_CHECKPOINT = (
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
    "— example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
)
# golang.org/x/mod/sumdb/note example_test.go (BSD licence, Debian golang-golang-x-mod-dev
# 0.7.0): the signer and verifier keys, the text, and the signature Go writes.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n— PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_the_c2sp_signed_note_example_verifies_and_an_altered_one_does_not() -> None:
    key = VerifierKey.from_text(C2SP_VKEY)
    assert key.to_text() == C2SP_VKEY
    assert verify_note(C2SP_NOTE, [key]) == "This is an example message.\n"
    with pytest.raises(SignatureError, match="does not verify"):
        verify_note(C2SP_NOTE.replace("example message", "example massage"), [key])


def test_the_c2sp_checkpoint_example_reads_and_an_unknown_signer_is_not_trusted() -> None:
    point = Checkpoint.from_text(C2SP_CHECKPOINT)
    assert (point.origin, point.size, point.registry_size) == (
        "example.com/behind-the-sofa",
        20852163,
        None,
    )
    assert base64.b64encode(point.root).decode() == "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
    with pytest.raises(SignatureError, match=r"signed by example.com/behind-the-sofa\+033de0ae"):
        verify_checkpoint(C2SP_CHECKPOINT, [VerifierKey.from_text(C2SP_VKEY)])


def test_the_go_reference_example_signs_byte_for_byte_as_go_does() -> None:
    signer = SignerKey.from_text(GO_SKEY)
    assert signer.to_text() == GO_SKEY
    assert signer.verifier().to_text() == GO_VKEY
    assert sign_note(GO_TEXT, signer) == GO_NOTE  # Ed25519 is deterministic
    assert verify_note(GO_NOTE, [VerifierKey.from_text(GO_VKEY)]) == GO_TEXT


def test_a_signed_checkpoint_round_trips_and_other_keys_signatures_are_ignored() -> None:
    signer, verifier = generate_key("conflict-ledger/newsroom.example")
    other, other_verifier = generate_key("conflict-ledger/newsroom.example")
    point = Checkpoint(
        origin=signer.name, size=3, root=b"\x01" * 32, registry_size=0, registry_root=EMPTY_ROOT
    )
    note = sign_checkpoint(point, signer)
    assert verify_checkpoint(note, [verifier]) == point
    cosigned = note + sign_note(point.to_text(), other).split("\n\n")[1]
    assert verify_checkpoint(cosigned, [verifier]) == point  # a witness's line is ignored
    with pytest.raises(SignatureError, match="no signature by a trusted key"):
        verify_checkpoint(note, [other_verifier])
    forged = note.replace("\n3\n", "\n4\n")
    with pytest.raises(SignatureError, match="does not verify"):
        verify_checkpoint(forged, [verifier])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "example.com/foo+530d903a",
        "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530d903a+not base64",
        "has space+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
    ],
)
def test_malformed_verifier_keys_are_refused(text: str) -> None:
    with pytest.raises(SignatureError):
        VerifierKey.from_text(text)


@pytest.mark.parametrize(
    "note",
    [
        "no signatures\n",
        "text\n\nnot a signature line\n",
        "text\n\n— example.com/foo AAAA\n",
        "text\n\n— example.com/foo !!!!\n",
        "te\x07xt\n\n— example.com/foo Uw2QOkn8\n",
    ],
)
def test_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(SignatureError):
        verify_note(note, [VerifierKey.from_text(C2SP_VKEY)])


def _go_env() -> dict[str, str] | None:
    if shutil.which("go") is None or not Path("/usr/share/gocode/src/golang.org/x/mod").is_dir():
        return None
    return {**os.environ, "GOPATH": "/usr/share/gocode", "GO111MODULE": "off", "GOFLAGS": ""}


@pytest.mark.skipif(
    _go_env() is None,
    reason="needs Go and golang.org/x/mod (apt-get install golang-go golang-golang-x-mod-dev)",
)
def test_the_go_reference_implementation_verifies_a_checkpoint_we_signed(tmp_path: Path) -> None:
    env = _go_env()
    assert env is not None
    env["GOCACHE"] = str(tmp_path / "gocache")
    signer, verifier = generate_key("conflict-ledger/newsroom.example")
    point = Checkpoint(
        origin=signer.name, size=7, root=b"\x02" * 32, registry_size=2, registry_root=EMPTY_ROOT
    )
    note = tmp_path / "published.checkpoint"
    note.write_text(sign_checkpoint(point, signer), encoding="utf-8")
    program = Path(__file__).parent / "data" / "note-interop" / "verify_note.go"

    def go(vkey: str) -> subprocess.CompletedProcess[str]:
        command = ["go", "run", str(program), vkey, str(note)]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    accepted = go(verifier.to_text())
    assert (accepted.returncode, accepted.stdout) == (0, point.to_text()), accepted.stderr
    note.write_text(note.read_text(encoding="utf-8").replace("\n7\n", "\n8\n"), encoding="utf-8")
    rejected = go(verifier.to_text())
    assert rejected.returncode == 1
    assert "rejected" in rejected.stderr
