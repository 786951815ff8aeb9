"""The Merkle tree against RFC 9162's definition, the published vectors, and tampering."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger.merkle import (
    EMPTY_ROOT,
    Checkpoint,
    MerkleTree,
    ProofError,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

VECTORS = json.loads((Path(__file__).parent / "data" / "rfc6962_vectors.json").read_text())
MAX = 128


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 section 2.1.1, literally: the oracle."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


LEAVES = [f"leaf {i}".encode() for i in range(MAX)]
TREE = MerkleTree()
TREE.extend(leaf_hash(leaf) for leaf in LEAVES)


def b64(text: str) -> bytes:
    return base64.b64decode(text)


def test_roots_match_the_published_reference_tree() -> None:
    leaves = [bytes.fromhex(h) for h in VECTORS["leaf_inputs_hex"]]
    tree = MerkleTree()
    roots = [tree.root().hex()]
    for leaf in leaves:
        tree.append(leaf_hash(leaf))
        roots.append(tree.root().hex())
    assert roots == VECTORS["root_hashes_hex"]
    for level, hashes in enumerate(VECTORS["node_hashes_hex"]):
        width = 1 << level
        assert [tree._hash(i * width, (i + 1) * width).hex() for i in range(len(hashes))] == hashes


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=lambda c: c["file"])
def test_published_inclusion_vectors(case: dict[str, object]) -> None:
    proof = [b64(p) for p in case["proof"] or []]  # type: ignore[attr-defined]
    args = (b64(case["leafHash"]), case["leafIdx"], case["treeSize"], proof, b64(case["root"]))  # type: ignore[arg-type]
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)  # type: ignore[arg-type]
    else:
        verify_inclusion(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", VECTORS["consistency"], ids=lambda c: c["file"])
def test_published_consistency_vectors(case: dict[str, object]) -> None:
    proof = [b64(p) for p in case["proof"] or []]  # type: ignore[attr-defined]
    args = (case["size1"], case["size2"], b64(case["root1"]), b64(case["root2"]), proof)  # type: ignore[arg-type]
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)  # type: ignore[arg-type]
    else:
        verify_consistency(*args)  # type: ignore[arg-type]


VECTOR_DIR = Path(__file__).parent / "data" / "transparency-dev-merkle" / "testdata"
INCLUSION_FILES = sorted((VECTOR_DIR / "inclusion").rglob("*.json"))
CONSISTENCY_FILES = sorted((VECTOR_DIR / "consistency").rglob("*.json"))

# The one vector where we are deliberately stricter than transparency-dev/merkle: it
# accepts two equal 12-byte "roots" ("don't care 2") for sizes 1 and 1, and we refuse any
# root that is not a 32-byte SHA-256 hash (issue 14: verifiers refuse wrong-length hashes).
STRICTER = {"consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"}


def _name(path: Path) -> str:
    return path.relative_to(VECTOR_DIR).as_posix()


def test_every_published_vector_file_is_run() -> None:
    assert (len(INCLUSION_FILES), len(CONSISTENCY_FILES)) == (98, 98)


@pytest.mark.parametrize("path", INCLUSION_FILES, ids=_name)
def test_every_published_inclusion_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [b64(p) for p in case["proof"] or []]
    args = (b64(case["leafHash"]), case["leafIdx"], case["treeSize"], proof, b64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", CONSISTENCY_FILES, ids=_name)
def test_every_published_consistency_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [b64(p) for p in case["proof"] or []]
    args = (case["size1"], case["size2"], b64(case["root1"]), b64(case["root2"]), proof)
    if case["wantErr"] or _name(path) in STRICTER:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_wrong_length_hashes_and_a_non_empty_root_for_size_0_are_refused() -> None:
    root = TREE.root(4)
    with pytest.raises(ProofError, match="the root is 31 bytes"):
        verify_inclusion(TREE.leaf(0), 0, 4, TREE.inclusion_proof(0, 4), root[:31])
    with pytest.raises(ProofError, match="the leaf hash is 33 bytes"):
        verify_inclusion(TREE.leaf(0) + b"x", 0, 4, TREE.inclusion_proof(0, 4), root)
    with pytest.raises(ProofError, match="the new root is 0 bytes"):
        verify_consistency(2, 4, TREE.root(2), b"", TREE.consistency_proof(2, 4))
    with pytest.raises(ProofError, match="size 0 has the empty root"):
        verify_consistency(0, 4, TREE.root(1), root, ())
    with pytest.raises(ProofError, match="size 0 has the empty root"):
        verify_consistency(0, 0, TREE.root(1), TREE.root(1), ())
    verify_consistency(0, 4, EMPTY_ROOT, root, ())


def test_the_published_happy_proofs_are_the_ones_we_build() -> None:
    tree = MerkleTree()
    tree.extend(leaf_hash(bytes.fromhex(h)) for h in VECTORS["leaf_inputs_hex"])
    for case in VECTORS["inclusion"]:
        if not case["wantErr"]:
            expected = tuple(b64(p) for p in case["proof"] or [])
            assert tree.inclusion_proof(case["leafIdx"], case["treeSize"]) == expected
    for case in VECTORS["consistency"]:
        if not case["wantErr"]:
            expected = tuple(b64(p) for p in case["proof"] or [])
            assert tree.consistency_proof(case["size1"], case["size2"]) == expected


def test_every_root_up_to_128_equals_the_rfc_definition() -> None:
    assert [TREE.root(n) for n in range(MAX + 1)] == [mth(LEAVES[:n]) for n in range(MAX + 1)]


def flip(proof: tuple[bytes, ...], bit: int) -> tuple[bytes, ...]:
    index, offset = divmod(bit % (len(proof) * 256), 256)
    item = bytearray(proof[index])
    item[offset // 8] ^= 1 << (offset % 8)
    return (*proof[:index], bytes(item), *proof[index + 1 :])


def test_every_inclusion_proof_up_to_128_verifies_and_a_flipped_bit_fails() -> None:
    checked = 0
    for n in range(1, MAX + 1):
        root = TREE.root(n)
        for m in range(n):
            proof = TREE.inclusion_proof(m, n)
            verify_inclusion(TREE.leaf(m), m, n, proof, root)
            if proof:
                with pytest.raises(ProofError):
                    verify_inclusion(TREE.leaf(m), m, n, flip(proof, m * 7919 + n), root)
            with pytest.raises(ProofError):
                verify_inclusion(leaf_hash(b"forged"), m, n, proof, root)
            checked += 1
    assert checked == MAX * (MAX + 1) // 2


def test_every_consistency_proof_up_to_128_verifies_and_a_flipped_bit_fails() -> None:
    checked = 0
    for n in range(MAX + 1):
        new = TREE.root(n)
        for m in range(n + 1):
            old = TREE.root(m)
            proof = TREE.consistency_proof(m, n)
            verify_consistency(m, n, old, new, proof)
            if proof:
                with pytest.raises(ProofError):
                    verify_consistency(m, n, old, new, flip(proof, m * 7919 + n))
            if 0 < m < n:
                with pytest.raises(ProofError):
                    verify_consistency(m, n, leaf_hash(b"other history"), new, proof)
            checked += 1
    assert checked == (MAX + 1) * (MAX + 2) // 2


@given(st.integers(1, MAX), st.data())
def test_any_single_bit_flip_anywhere_in_a_proof_is_rejected(n: int, data: st.DataObject) -> None:
    m = data.draw(st.integers(0, n - 1))
    proof = TREE.inclusion_proof(m, n)
    if proof:
        bit = data.draw(st.integers(0, len(proof) * 256 - 1))
        with pytest.raises(ProofError):
            verify_inclusion(TREE.leaf(m), m, n, flip(proof, bit), TREE.root(n))
    old = data.draw(st.integers(1, n))
    consistency = TREE.consistency_proof(old, n)
    if consistency:
        bit = data.draw(st.integers(0, len(consistency) * 256 - 1))
        with pytest.raises(ProofError):
            verify_consistency(old, n, TREE.root(old), TREE.root(n), flip(consistency, bit))


def test_wrong_sizes_and_indices_are_refused() -> None:
    with pytest.raises(ProofError):
        TREE.inclusion_proof(5, 5)
    with pytest.raises(ProofError):
        TREE.root(MAX + 1)
    with pytest.raises(ProofError):
        verify_consistency(5, 4, TREE.root(5), TREE.root(4), ())
    with pytest.raises(ProofError, match="rewritten"):
        verify_consistency(4, 4, TREE.root(4), TREE.root(5), ())


def test_checkpoint_text_round_trips_and_refuses_garbage() -> None:
    point = Checkpoint(origin="example.org/ledger", size=MAX, root=TREE.root())
    assert Checkpoint.from_text(point.to_text()) == point
    assert Checkpoint.from_text(point.to_text() + "\n— signature line\n") == point
    for bad in ("", "origin\nx\nAAAA\n", "origin\n3\nnot base64!\n", "origin\n3\nAAAA\n"):
        with pytest.raises(ProofError):
            Checkpoint.from_text(bad)


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=6))
def test_extending_in_chunks_builds_the_tree_appending_one_by_one_builds(
    chunks: list[int],
) -> None:
    one, many = MerkleTree(), MerkleTree()
    leaves = [leaf_hash(i.to_bytes(2, "big")) for i in range(sum(chunks))]
    for leaf in leaves:
        one.append(leaf)
    start = 0
    for size in chunks:
        many.extend(leaves[start : start + size])
        start += size
    assert many._levels == one._levels
    assert [many.root(n) for n in range(len(leaves) + 1)] == [
        one.root(n) for n in range(len(leaves) + 1)
    ]


def test_checkpoint_extension_lines_round_trip_and_a_bad_registry_line_is_refused() -> None:
    point = Checkpoint(
        origin="o",
        size=1,
        root=TREE.root(1),
        registry_size=2,
        registry_root=TREE.root(2),
        extensions=("witnessed-by someone",),
    )
    assert Checkpoint.from_text(point.to_text()) == point
    assert point.to_text().splitlines()[3:] == [
        f"registry 2 {base64.b64encode(TREE.root(2)).decode()}",
        "witnessed-by someone",
    ]
    for bad in (
        "registry x AAAA",
        "registry 2",
        f"registry 2 {base64.b64encode(b'short').decode()}",
    ):
        with pytest.raises(ProofError):
            Checkpoint.from_text(f"o\n1\n{base64.b64encode(TREE.root(1)).decode()}\n{bad}\n")
