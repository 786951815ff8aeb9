"""The ledger as a Merkle tree, exactly as RFC 9162 (Certificate Transparency 2.0) builds it.

A leaf hash is ``SHA-256(0x00 || record)`` and an interior node ``SHA-256(0x01 || left ||
right)``; the tree of ``n`` leaves splits at the largest power of two below ``n``. A
:class:`Checkpoint` (size and root, in a few lines of text anyone can publish) fixes what
the ledger held; an *inclusion proof* shows a record is in it, and a *consistency proof*
shows a later ledger only added records to it.

>>> tree = MerkleTree()
>>> tree.extend(leaf_hash(bytes([i])) for i in range(5))
>>> old = tree.root(3)
>>> verify_consistency(3, 5, old, tree.root(), tree.consistency_proof(3, 5))
>>> verify_inclusion(leaf_hash(bytes([4])), 4, 5, tree.inclusion_proof(4, 5), tree.root())
>>> verify_inclusion(leaf_hash(b"forged"), 4, 5, tree.inclusion_proof(4, 5), tree.root())
Traceback (most recent call last):
...
conflict_ledger.merkle.ProofError: inclusion proof of leaf 4 in a tree of 5 does not lead to the root ...
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence

import attrs

from conflict_ledger.errors import LedgerError

__all__ = [
    "EMPTY_ROOT",
    "Checkpoint",
    "MerkleTree",
    "ProofError",
    "leaf_hash",
    "node_hash",
    "verify_consistency",
    "verify_inclusion",
]

_sha256 = hashlib.sha256

EMPTY_ROOT = _sha256(b"").digest()
"""The root of the empty tree: SHA-256 of nothing."""


class ProofError(LedgerError, ValueError):
    """A proof or checkpoint does not verify; the message says which check failed.

    >>> verify_consistency(1, 1, EMPTY_ROOT, leaf_hash(b""), ())
    Traceback (most recent call last):
    ...
    conflict_ledger.merkle.ProofError: two roots for the same size 1: the ledger was rewritten
    """


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 || data)``: the hash of one leaf.

    >>> leaf_hash(b"").hex()[:16]
    '6e340b9cffb37a98'
    """
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an interior node.

    >>> node_hash(leaf_hash(b""), leaf_hash(b"\\x00")).hex()[:16]
    'fac54203e7cc696c'
    """
    return _sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly below ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """An append-only Merkle tree over leaf hashes, answering for any earlier size too.

    Every complete, aligned subtree's hash is kept (about two hashes per leaf), so
    appending costs one hash per leaf amortised and a root or proof costs O(log n).

    >>> tree = MerkleTree()
    >>> tree.root() == EMPTY_ROOT
    True
    >>> tree.append(leaf_hash(b""))
    >>> tree.root().hex()[:16], len(tree)
    ('6e340b9cffb37a98', 1)
    """

    def __init__(self) -> None:
        self._levels: list[list[bytes]] = [[]]

    def __len__(self) -> int:
        return len(self._levels[0])

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash (see :func:`leaf_hash`)."""
        levels = self._levels
        levels[0].append(leaf)
        index = len(levels[0]) - 1
        level = 0
        while index & 1:
            row = levels[level]
            parent = _sha256(b"\x01" + row[index - 1] + row[index]).digest()
            level += 1
            if level == len(levels):
                levels.append([])
            levels[level].append(parent)
            index >>= 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Add leaf hashes in order (the same tree as appending them one by one, built a
        level at a time: each new pair of a level hashed once into the next level).

        >>> one, many = MerkleTree(), MerkleTree()
        >>> for i in range(7):
        ...     one.append(leaf_hash(bytes([i])))
        >>> many.extend(leaf_hash(bytes([i])) for i in range(3))
        >>> many.extend(leaf_hash(bytes([i])) for i in range(3, 7))
        >>> many.root() == one.root() and many.inclusion_proof(2) == one.inclusion_proof(2)
        True
        """
        levels = self._levels
        new = list(leaves)
        level = 0
        while new:
            row = levels[level]
            start = len(row)
            row.extend(new)
            # the right children that arrived: odd indices from start on
            new = [
                _sha256(b"\x01" + row[index - 1] + row[index]).digest()
                for index in range(start | 1, len(row), 2)
            ]
            level += 1
            if new and level == len(levels):
                levels.append([])

    def leaf(self, index: int) -> bytes:
        """The leaf hash at ``index``."""
        return self._levels[0][index]

    def _hash(self, start: int, end: int) -> bytes:
        """MTH of leaves ``[start, end)``, where the range is a subtree of the RFC tree."""
        n = end - start
        if n & (n - 1) == 0 and start % n == 0:
            return self._levels[n.bit_length() - 1][start // n]
        k = _split(n)
        return node_hash(self._hash(start, start + k), self._hash(start + k, end))

    def _size(self, size: int | None) -> int:
        n = len(self) if size is None else size
        if not 0 <= n <= len(self):
            raise ProofError(f"the tree holds {len(self)} leaves; size {n} is not in it")
        return n

    def root(self, size: int | None = None) -> bytes:
        """The root hash of the first ``size`` leaves (default: all of them)."""
        n = self._size(size)
        return EMPTY_ROOT if n == 0 else self._hash(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> tuple[bytes, ...]:
        """The audit path (RFC 9162 2.1.3.1) of leaf ``index`` in the tree of ``size`` leaves."""
        n = self._size(size)
        if not 0 <= index < n:
            raise ProofError(f"leaf {index} is not in a tree of {n} leaves")
        path: list[bytes] = []
        start, end = 0, n
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self._hash(start + k, end))
                end = start + k
            else:
                path.append(self._hash(start, start + k))
                start += k
        path.reverse()
        return tuple(path)

    def consistency_proof(self, old: int, new: int | None = None) -> tuple[bytes, ...]:
        """The proof (RFC 9162 2.1.4.1) that the tree of ``new`` leaves extends ``old``."""
        n = self._size(new)
        if not 0 <= old <= n:
            raise ProofError(f"size {old} is not between 0 and {n}")
        if old in (0, n):
            return ()
        path: list[bytes] = []
        start, end, m, whole = 0, n, old, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                path.append(self._hash(start + k, end))
                end = start + k
            else:
                path.append(self._hash(start, start + k))
                start += k
                m -= k
                whole = False
        if not whole:
            path.append(self._hash(start, end))
        path.reverse()
        return tuple(path)


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != 32:
        raise ProofError(f"{what} is {len(value)} bytes; a SHA-256 hash is 32")


def _check_hashes(proof: Sequence[bytes], what: str) -> None:
    for index, item in enumerate(proof):
        _check_hash(item, f"{what}[{index}]")


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check an inclusion proof (RFC 9162 2.1.3.2); raise :class:`ProofError` if it fails.

    >>> verify_inclusion(leaf_hash(b"a"), 0, 1, (), leaf_hash(b"a"))
    >>> verify_inclusion(b"", 0, 1, (), leaf_hash(b"a"))
    Traceback (most recent call last):
    ...
    conflict_ledger.merkle.ProofError: the leaf hash is 0 bytes; a SHA-256 hash is 32
    """
    _check_hash(leaf, "the leaf hash")
    _check_hash(root, "the root")
    _check_hashes(proof, "proof")
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError(f"inclusion proof of leaf {index} in {size} is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"inclusion proof of leaf {index} in {size} is too short")
    if r != root:
        raise ProofError(
            f"inclusion proof of leaf {index} in a tree of {size} does not lead to the root "
            f"{root.hex()}; the record or the proof was altered"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree (``new_size``, ``new_root``) extends (``old_size``, ``old_root``)
    by the consistency ``proof`` (RFC 9162 2.1.4.2); raise :class:`ProofError` if not.

    The empty tree (size 0) has exactly one root, :data:`EMPTY_ROOT`; any other root
    claimed for it is refused, as are roots and proof hashes that are not 32 bytes.

    >>> verify_consistency(0, 3, EMPTY_ROOT, leaf_hash(b"x"), ())
    >>> verify_consistency(0, 3, leaf_hash(b"x"), leaf_hash(b"x"), ())
    Traceback (most recent call last):
    ...
    conflict_ledger.merkle.ProofError: a tree of size 0 has the empty root 47DEQpj8..., not ...
    """
    _check_hash(old_root, "the old root")
    _check_hash(new_root, "the new root")
    _check_hashes(proof, "proof")
    if not 0 <= old_size <= new_size:
        raise ProofError(f"old size {old_size} is not between 0 and the new size {new_size}")
    if old_size == 0 and old_root != EMPTY_ROOT:
        raise ProofError(
            f"a tree of size 0 has the empty root {_b64(EMPTY_ROOT)[:8]}..., "
            f"not {_b64(old_root)[:6]}..."
        )
    if old_size == new_size:
        if proof:
            raise ProofError("a proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError(f"two roots for the same size {old_size}: the ledger was rewritten")
        return
    if old_size == 0:
        if proof:
            raise ProofError("a proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("the consistency proof is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the consistency proof is too short")
    if fr != old_root:
        raise ProofError(
            f"the proof does not rebuild the old root of size {old_size}: "
            "the first ledger is not a prefix of the second"
        )
    if sr != new_root:
        raise ProofError(f"the proof does not rebuild the new root of size {new_size}")


CHECKPOINT_ORIGIN = "conflict-ledger"


def _b64_hash(text: str, what: str) -> bytes:
    try:
        value = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ProofError(f"{what} {text!r} is not base64") from None
    _check_hash(value, what)
    return value


@attrs.frozen(kw_only=True)
class Checkpoint:
    """What a ledger held: its ``size`` and Merkle ``root``, under an ``origin`` name, and
    the registered values (places, actors, sources, documents) it held: ``registry_size``
    value records whose own Merkle tree has the root ``registry_root``.

    Its text form is a C2SP ``tlog-checkpoint`` body: the origin line, the size in
    decimal, the root in base64, then the extension line ``registry <size> <root>``, each
    ending in a newline. Publish it (in a report, an email, a timestamping service; signed
    with :mod:`conflict_ledger.signing`) and later ask for a consistency proof.

    >>> point = Checkpoint(origin="conflict-ledger/demo", size=0, root=EMPTY_ROOT,
    ...                    registry_size=0, registry_root=EMPTY_ROOT)
    >>> print(point.to_text(), end="")
    conflict-ledger/demo
    0
    47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
    registry 0 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
    >>> Checkpoint.from_text(point.to_text()) == point
    True

    A checkpoint without the registry line (as the first releases wrote, or another
    log's) reads with ``registry_size`` None; it then commits to the claims only. Other
    extension lines are kept in ``extensions``.
    """

    origin: str = CHECKPOINT_ORIGIN
    size: int
    root: bytes
    registry_size: int | None = None
    registry_root: bytes | None = None
    extensions: tuple[str, ...] = ()

    def to_text(self) -> str:
        """The checkpoint body: newline-terminated lines."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode("ascii")]
        if self.registry_size is not None and self.registry_root is not None:
            lines.append(f"registry {self.registry_size} {_b64(self.registry_root)}")
        lines.extend(self.extensions)
        return "".join(line + "\n" for line in lines)

    @classmethod
    def from_text(cls, text: str) -> Checkpoint:
        """Read a checkpoint's body (a blank line and the signatures after it are ignored:
        check them with :func:`conflict_ledger.signing.verify_note`)."""
        end = text.find("\n\n")
        body = text if end < 0 else text[: end + 1]
        lines = body[:-1].split("\n")
        if len(lines) < 3 or not body.endswith("\n") or not lines[0]:
            raise ProofError(
                "a checkpoint is three lines: origin, size in decimal, base64 root hash"
            )
        if not (lines[1].isascii() and lines[1].isdigit()):
            raise ProofError(f"checkpoint size {lines[1]!r} is not a decimal number")
        root = _b64_hash(lines[2], "checkpoint root")
        registry_size, registry_root, extensions = None, None, []
        for line in lines[3:]:
            words = line.split(" ")
            if words[0] != "registry" or registry_size is not None:
                extensions.append(line)
                continue
            if len(words) != 3 or not (words[1].isascii() and words[1].isdigit()):
                raise ProofError(f"the registry line {line!r} is not 'registry <size> <root>'")
            registry_size = int(words[1])
            registry_root = _b64_hash(words[2], "checkpoint registry root")
        for size, tree_root, what in (
            (int(lines[1]), root, "checkpoint"),
            (registry_size, registry_root, "checkpoint registry"),
        ):
            if size == 0 and tree_root != EMPTY_ROOT:
                raise ProofError(f"a {what} of size 0 must have the empty root, not another")
        return cls(
            origin=lines[0],
            size=int(lines[1]),
            root=root,
            registry_size=registry_size,
            registry_root=registry_root,
            extensions=tuple(extensions),
        )
