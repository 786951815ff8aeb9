"""Signed checkpoints: Ed25519 signed notes in the C2SP formats, so that others can check them.

A published checkpoint proves later that a ledger only grew, but only if readers can
tell that *you* published it. This module signs a checkpoint's text as a C2SP
``signed-note`` (c2sp.org/signed-note) with Ed25519 (RFC 8032, through the
``cryptography`` package: the ``sign`` extra), which is the form C2SP ``tlog-checkpoint``
gives transparency-log checkpoints, so existing tools and witnesses read it::

    conflict-ledger/newsroom.example
    16
    Iy3qEbkZvHlIFQU2RfNm2uY7MZwdDAwJ+Ae6CG68iXg=
    registry 9 ...

    — conflict-ledger/newsroom.example Az3grlgt...

The keys' text forms are those of the Go reference implementation
(golang.org/x/mod/sumdb/note): a *verifier key* ``name+hex(key ID)+base64(0x01 ||
public key)`` to publish, and a *signer key* ``PRIVATE+KEY+name+hex(key ID)+base64(0x01
|| seed)`` to keep secret. The key ID is the first four bytes of ``SHA-256(name || 0x0A
|| 0x01 || public key)``.

>>> signer, verifier = generate_key("example.org/ledger")
>>> note = sign_note("a checkpoint body\\n", signer)
>>> verify_note(note, [verifier])
'a checkpoint body\\n'
>>> verify_note(note.replace("body", "bodY"), [verifier])
Traceback (most recent call last):
...
conflict_ledger.signing.SignatureError: the signature of example.org/ledger does not verify: ...
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import unicodedata
from collections.abc import Sequence
from typing import Any

import attrs

from conflict_ledger.errors import LedgerError
from conflict_ledger.merkle import Checkpoint

__all__ = [
    "SignatureError",
    "SignerKey",
    "VerifierKey",
    "generate_key",
    "key_id",
    "sign_checkpoint",
    "sign_note",
    "verify_checkpoint",
    "verify_note",
]

_ED25519 = 0x01  # the signed-note signature type of Ed25519
_MAX_SIGNATURES = 100  # the Go reference's limit; the spec asks for at least 16
_DASH = "\u2014 "


class SignatureError(LedgerError, ValueError):
    """A key, note or signature is malformed, or no trusted signature verifies.

    >>> str(SignatureError("no signature from a trusted key"))[:30]
    'no signature from a trusted ke'
    """


def _ed25519() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:  # pragma: no cover - the sign extra is missing
        raise SignatureError(
            "signing needs the cryptography package: pip install 'conflict-ledger[sign]'"
        ) from None
    return ed25519


def _check_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() or unicodedata.category(c) == "Zs" for c in name):
        raise SignatureError(
            f"key name {name!r} must be non-empty, without spaces or '+' "
            "(a schema-less URL such as example.org/ledger is recommended)"
        )


def key_id(name: str, public: bytes) -> int:
    """``SHA-256(name || 0x0A || 0x01 || public key)[:4]`` as a big-endian integer.

    >>> hex(key_id("example.com/foo", base64.b64decode(
    ...     "AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")[1:]))
    '0x530d903a'
    """
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([_ED25519]) + public).digest()
    return int.from_bytes(digest[:4], "big")


def _key_parts(text: str, count: int, what: str) -> list[str]:
    parts = text.strip().split("+", count - 1)  # base64, last, may hold a '+'
    if len(parts) != count:
        raise SignatureError(f"{what} {text.strip()[:60]!r} is not in the signed-note key form")
    return parts


def _key_material(name: str, hex_id: str, encoded: str, what: str) -> tuple[int, bytes]:
    _check_name(name)
    try:
        number = int(hex_id, 16)
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise SignatureError(f"{what} for {name!r}: a bad key ID or base64 key") from None
    if len(hex_id) != 8 or len(raw) != 33 or raw[0] != _ED25519:
        raise SignatureError(f"{what} for {name!r} is not an Ed25519 key (type 0x01, 32 bytes)")
    return number, raw[1:]


@attrs.frozen(kw_only=True)
class VerifierKey:
    """A public key to check signatures with: publish its :meth:`to_text`."""

    name: str
    id: int
    public: bytes

    @classmethod
    def from_text(cls, text: str) -> VerifierKey:
        """Read ``name+hex8+base64(0x01 || key)``; refuse a key ID that does not match."""
        name, hex_id, encoded = _key_parts(text, 3, "verifier key")
        number, public = _key_material(name, hex_id, encoded, "verifier key")
        if number != key_id(name, public):
            raise SignatureError(f"verifier key for {name!r}: the key ID does not match the key")
        return cls(name=name, id=number, public=public)

    def to_text(self) -> str:
        """``name+hex8+base64(0x01 || key)``."""
        encoded = base64.b64encode(bytes([_ED25519]) + self.public).decode()
        return f"{self.name}+{self.id:08x}+{encoded}"

    def verifies(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of ``text``."""
        ed25519 = _ed25519()
        from cryptography.exceptions import InvalidSignature

        try:
            ed25519.Ed25519PublicKey.from_public_bytes(self.public).verify(signature, text)
        except (InvalidSignature, ValueError):
            return False
        return True


@attrs.frozen(kw_only=True)
class SignerKey:
    """A private key to sign with: keep its :meth:`to_text` secret."""

    name: str
    id: int
    seed: bytes = attrs.field(repr=False)

    @classmethod
    def from_text(cls, text: str) -> SignerKey:
        """Read ``PRIVATE+KEY+name+hex8+base64(0x01 || seed)``."""
        if not text.strip().startswith("PRIVATE+KEY+"):
            raise SignatureError(
                "a signer key starts with PRIVATE+KEY+ (is this the verifier key? Sign with "
                "the secret key file keygen wrote, the one without .pub)"
            )
        _, _, name, hex_id, encoded = _key_parts(text, 5, "signer key")
        number, seed = _key_material(name, hex_id, encoded, "signer key")
        key = cls(name=name, id=number, seed=seed)
        if number != key_id(name, key.verifier().public):
            raise SignatureError(f"signer key for {name!r}: the key ID does not match the key")
        return key

    def to_text(self) -> str:
        """``PRIVATE+KEY+name+hex8+base64(0x01 || seed)``."""
        encoded = base64.b64encode(bytes([_ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.id:08x}+{encoded}"

    def _private(self) -> Any:
        return _ed25519().Ed25519PrivateKey.from_private_bytes(self.seed)

    def verifier(self) -> VerifierKey:
        """The matching public key."""
        from cryptography.hazmat.primitives import serialization

        public = (
            self._private()
            .public_key()
            .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )
        return VerifierKey(name=self.name, id=key_id(self.name, public), public=public)

    def sign(self, text: bytes) -> bytes:
        """The Ed25519 signature of ``text``."""
        signature: bytes = self._private().sign(text)
        return signature


def generate_key(name: str) -> tuple[SignerKey, VerifierKey]:
    """A new Ed25519 key pair named ``name`` (from the operating system's randomness)."""
    _check_name(name)
    from cryptography.hazmat.primitives import serialization

    seed = (
        _ed25519()
        .Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    )
    signer = SignerKey(name=name, id=0, seed=seed)
    verifier = signer.verifier()
    return attrs.evolve(signer, id=verifier.id), verifier


def _check_text(text: str) -> None:
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise SignatureError("a signed note holds no control characters other than newline")


def sign_note(text: str, key: SignerKey) -> str:
    """The signed note of ``text`` (which must end in a newline) with one signature."""
    _check_text(text)
    if not text.endswith("\n") or text.endswith("\n\n"):
        raise SignatureError("a note's text ends in exactly one newline")
    signature = key.id.to_bytes(4, "big") + key.sign(text.encode("utf-8"))
    return f"{text}\n{_DASH}{key.name} {base64.b64encode(signature).decode()}\n"


def _split(note: str) -> tuple[str, list[tuple[str, int, bytes]]]:
    _check_text(note)
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise SignatureError(
            "not a signed note: no blank line and signature lines after the text (an "
            "unsigned checkpoint? Sign one with conflict-ledger checkpoint LEDGER --sign KEY)"
        )
    text, lines = note[: cut + 1], note[cut + 2 : -1].split("\n")
    if len(lines) > _MAX_SIGNATURES:
        raise SignatureError(f"more than {_MAX_SIGNATURES} signatures")
    signatures = []
    for line in lines:
        name, _, encoded = line.removeprefix(_DASH).partition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raw = b""
        if not line.startswith(_DASH) or len(raw) < 5:
            raise SignatureError(f"not a signature line: {line[:60]!r}")
        _check_name(name)
        signatures.append((name, int.from_bytes(raw[:4], "big"), raw[4:]))
    return text, signatures


def verify_note(note: str, keys: Sequence[VerifierKey]) -> str:
    """The text of ``note`` if a signature by one of ``keys`` verifies; else raise.

    As c2sp.org/signed-note asks, signatures by other keys (another name or key ID) are
    ignored, and a signature by a known key that does not verify rejects the note.
    """
    text, signatures = _split(note)
    known = {(key.name, key.id): key for key in keys}
    verified = 0
    for name, number, signature in signatures:
        key = known.get((name, number))
        if key is None:
            continue
        if not key.verifies(text.encode("utf-8"), signature):
            raise SignatureError(
                f"the signature of {name} does not verify: the note was altered or signed "
                "by another key. Do not trust it; ask its publisher for the original."
            )
        verified += 1
    if not verified:
        names = ", ".join(f"{k.name}+{k.id:08x}" for k in keys) or "none given"
        raise SignatureError(
            f"no signature by a trusted key ({names}); the note is signed by "
            + ", ".join(f"{n}+{i:08x}" for n, i, _ in signatures)
        )
    return text


def sign_checkpoint(checkpoint: Checkpoint, key: SignerKey) -> str:
    """The checkpoint as a signed note (its origin should be the key's name)."""
    return sign_note(checkpoint.to_text(), key)


def verify_checkpoint(note: str, keys: Sequence[VerifierKey]) -> Checkpoint:
    """The checkpoint in a signed note, once a signature by one of ``keys`` verifies."""
    return Checkpoint.from_text(verify_note(note, keys))
