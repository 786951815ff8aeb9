"""The CLI's signing commands: ``keygen``, ``checkpoint [--sign KEY]`` and what ``verify``
adds for signed checkpoints (``--key PUB``, ``--exact``). ``cli.py`` registers them."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

import attrs

from conflict_ledger.codec import verify_ledger
from conflict_ledger.errors import LedgerError
from conflict_ledger.merkle import CHECKPOINT_ORIGIN, Checkpoint, ProofError

__all__ = ["COMMANDS", "EXAMPLES", "add_commands", "add_verify_options", "read_checkpoint", "run"]

COMMANDS = ("keygen", "checkpoint")

EXAMPLES = {
    "keygen": "conflict-ledger keygen newsroom.example/ledger --out newsroom.key\n"
    "  (writes newsroom.key, secret, and newsroom.key.pub, the verifier key to publish)",
    "checkpoint": "conflict-ledger checkpoint investigation.sqlite --sign newsroom.key "
    "-o 2024-12-07.checkpoint\n"
    "  conflict-ledger checkpoint investigation.sqlite",
}

Subcommand = Callable[[Any, str, str], argparse.ArgumentParser]


def add_commands(commands: Any, subcommand: Subcommand) -> None:
    """Register ``keygen`` and ``checkpoint`` (``subcommand`` adds the examples)."""
    keygen = subcommand(
        commands, "keygen", "Make an Ed25519 key pair to sign checkpoints with (C2SP signed-note)."
    )
    keygen.add_argument(
        "name", help="the key's name, e.g. newsroom.example/ledger (no spaces or +)"
    )
    keygen.add_argument(
        "--out", required=True, help="the secret key file to write; the public one gets .pub"
    )
    point = subcommand(
        commands,
        "checkpoint",
        "Verify a ledger and print its checkpoint, signed with --sign, to publish.",
    )
    point.add_argument(
        "ledger", help="a ledger: .sqlite, .db, .jsonl or postgresql://user@host/db?ledger=NAME"
    )
    point.add_argument("--sign", metavar="KEY", help="a secret key file from keygen")
    point.add_argument("--origin", help="the checkpoint's first line (default: the key's name)")
    point.add_argument("-o", "--output", help="write the checkpoint to this file (never over one)")


def add_verify_options(verify: argparse.ArgumentParser) -> None:
    """``verify --key PUB`` and ``verify --exact``."""
    verify.add_argument(
        "--key",
        metavar="PUB",
        help="a verifier key file (keygen's .pub): the --checkpoint must carry its valid signature",
    )
    verify.add_argument(
        "--exact",
        action="store_true",
        help="the --checkpoint is the latest published: records after it are an error",
    )


def _read(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise LedgerError(f"cannot read the {what} {path!r}: {error}") from None


def read_checkpoint(text: str, key_path: str | None) -> Checkpoint:
    """The checkpoint in ``text``; with ``key_path``, only once its signature verifies."""
    if key_path is None:
        return Checkpoint.from_text(text)
    from conflict_ledger.signing import VerifierKey, verify_checkpoint

    key = VerifierKey.from_text(_read(key_path, "verifier key"))
    return verify_checkpoint(text, [key])


def verify_lines(
    args: argparse.Namespace, published: Checkpoint | None, now: Checkpoint
) -> list[str]:
    """What ``verify`` adds about a signed or exact checkpoint; raises when --exact fails."""
    lines = []
    if getattr(args, "key", None) and published is not None:
        lines.append(f"ok: the checkpoint's signature verifies with {args.key}")
    if published is None:
        if getattr(args, "key", None) or getattr(args, "exact", False):
            raise LedgerError("--key and --exact check a --checkpoint FILE; give one")
        return lines
    later = now.size - published.size
    if later and getattr(args, "exact", False):
        raise ProofError(
            f"the ledger holds {later} records after the checkpoint (positions "
            f"{published.size} to {now.size - 1}) that it does not cover: they were appended "
            "after it was published, or forged. Check them (conflict-ledger export) before "
            "publishing a new checkpoint."
        )
    if later:
        lines.append(f"note: {later} records after the checkpoint are not covered by it")
    return lines


def run(args: argparse.Namespace) -> str:
    """Run ``keygen`` or ``checkpoint``."""
    if args.command == "keygen":
        return _keygen(args.name, args.out)
    signer = None
    if args.sign:
        from conflict_ledger.signing import SignerKey

        signer = SignerKey.from_text(_read(args.sign, "secret key"))
    origin = args.origin or (signer.name if signer else CHECKPOINT_ORIGIN)
    point = attrs.evolve(verify_ledger(args.ledger), origin=origin)
    if signer is None:
        text = point.to_text()
    else:
        from conflict_ledger.signing import sign_checkpoint

        text = sign_checkpoint(point, signer)
    if args.output:
        _write_new(args.output, text, mode=0o644)
        return f"wrote the checkpoint of {point.size} records to {args.output}"
    return text.rstrip("\n")


def _write_new(path: str, text: str, *, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise LedgerError(f"{path} exists; choose a new file name (nothing was written)") from None
    except OSError as error:
        raise LedgerError(f"cannot write {path}: {error}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _keygen(name: str, out: str) -> str:
    from conflict_ledger.signing import generate_key

    signer, verifier = generate_key(name)
    public = f"{out}.pub"
    if os.path.exists(public):
        raise LedgerError(f"{public} exists; choose a new file name (nothing was written)")
    _write_new(out, signer.to_text() + "\n", mode=0o600)
    _write_new(public, verifier.to_text() + "\n", mode=0o644)
    return (
        f"wrote the secret key to {out} (keep it private) and the verifier key to {public}.\n"
        f"Publish the verifier key: {verifier.to_text()}"
    )
