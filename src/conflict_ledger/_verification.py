"""Verifying a ledger: every stored record and value read again from the store's bytes.

:meth:`~conflict_ledger.ledger.Ledger.verify` and :meth:`~conflict_ledger.ledger.Ledger.audit`
run this pass over a ledger's :class:`~conflict_ledger._book.Book` and its registry
values' Merkle tree: each record's hash, position, content and meaning is checked, both
trees are rebuilt, and what was read before must be what the store still holds.
"""

from __future__ import annotations

from collections.abc import Callable

from conflict_ledger._book import Book
from conflict_ledger.audit import Auditor, MeaningError
from conflict_ledger.merkle import Checkpoint, MerkleTree, ProofError, leaf_hash, verify_consistency
from conflict_ledger.registry import Registries
from conflict_ledger.stores.base import IntegrityError

__all__ = ["Progress", "reread", "verify"]

Progress = Callable[[int, int], None]
"""Told ``(records checked, records in all)`` as the records are read again."""

_EVERY = 10_000  # records between two reports of progress


def verify(
    book: Book,
    value_tree: MerkleTree,
    registries: Registries,
    *,
    checkpoint: Checkpoint | None,
    exact: bool,
    progress: Progress | None = None,
) -> Checkpoint:
    """Today's checkpoint, after :func:`reread` found nothing wrong and the ledger was
    found to extend ``checkpoint`` (see :meth:`~conflict_ledger.ledger.Ledger.verify`)."""
    auditor = Auditor(path=book.store.path, registries=registries)
    tree, values, findings = reread(book, value_tree, registries, progress, auditor)
    if findings:
        first = findings[0]
        if len(findings) > 1:
            first.add_note(f"{len(findings)} problems in all; Ledger.audit() lists them")
        raise first
    now = Checkpoint(
        origin=checkpoint.origin if checkpoint else "conflict-ledger",
        size=len(tree),
        root=tree.root(),
        registry_size=len(values),
        registry_root=values.root(),
    )
    if checkpoint is not None:
        _extends(checkpoint, tree, values)
        if exact and len(tree) > checkpoint.size:
            raise ProofError(
                f"the ledger holds {len(tree) - checkpoint.size} records after the "
                f"checkpoint (positions {checkpoint.size} to {len(tree) - 1}) that it does "
                "not cover: appended after it was published, or forged"
            )
    _index_agrees(book, auditor.first_positions(), len(tree))
    return now


def _index_agrees(book: Book, first: dict[str, int], size: int) -> None:
    """Raise IntegrityError unless the store's index of claim ids (where it keeps one)
    holds exactly the first position of each claim id of the records it covers: the
    index is what appends trust to refuse a reused id and lookups to find a claim."""
    indexed = getattr(book.store, "indexed_ids", None)
    found = indexed() if indexed is not None else None
    if found is None:
        return
    rows, cover = found
    expected = {claim_id: at for claim_id, at in first.items() if at < cover}
    if cover <= size and rows == expected:
        return
    wrong = sorted(
        {at for claim_id, at in expected.items() if rows.get(claim_id) != at}
        | {at for claim_id, at in rows.items() if expected.get(claim_id) != at}
    )
    raise IntegrityError(
        path=book.store.path,
        position=wrong[0] if wrong else None,
        problem="the store's index of claim ids disagrees with the records "
        f"({len(wrong)} positions; it covers {cover} of {size} records): edited",
        hint="The records are sound. Make the index again from them: conflict-ledger "
        "repair LEDGER.",
    )


def reread(
    book: Book,
    value_tree: MerkleTree,
    registries: Registries,
    progress: Progress | None = None,
    auditor: Auditor | None = None,
) -> tuple[MerkleTree, MerkleTree, tuple[MeaningError, ...]]:
    """Both trees rebuilt from the store's bytes, and the audit's findings."""
    auditor = auditor or Auditor(path=book.store.path, registries=registries)
    tree, findings = _reread_records(book, auditor, progress)
    values = MerkleTree()
    for value in book.store.values(0):
        book.decode_value(value)
        values.append(leaf_hash(value.data))
    for rebuilt, known, count, what in (
        (tree, book.tree, len(book.records), "records"),
        (values, value_tree, len(value_tree), "values"),
    ):
        if len(rebuilt) < count:
            raise IntegrityError(
                path=book.store.path,
                position=len(rebuilt) if what == "records" else None,
                problem=f"the store holds {len(rebuilt)} {what} but {count} were "
                f"counted before: {what} disappeared",
            )
        if rebuilt.root(len(known)) != known.root():
            raise IntegrityError(
                path=book.store.path, problem=f"{what} changed since they were read"
            )
    return tree, values, findings


def _reread_records(
    book: Book, auditor: Auditor, progress: Progress | None
) -> tuple[MerkleTree, tuple[MeaningError, ...]]:
    """The records' tree rebuilt from the store's bytes, and what the auditor found."""
    tree, findings = MerkleTree(), list[MeaningError]()
    decoded, known, held = book.decoded, book.tree, book.records
    total = book.store.size() if progress is not None else 0
    for stored in book.store.records(0):
        leaf = leaf_hash(stored.data)
        position = stored.position
        # The same bytes as a record already decoded from the store decode the same:
        # only records appended here, unread, new and changed ones are decoded again.
        if (
            position < len(known)
            and decoded[position]
            and held.is_read(position)
            and leaf == known.leaf(position)
        ):
            record = held[position]
        else:
            record = book.decode(stored)  # raises IntegrityError naming the record
            if position < len(held):
                held.put(position, record)  # read now: kept, as any read keeps it
        findings.extend(auditor.check(position, stored.data, record.claim, record.recorded_at))
        tree.append(leaf)
        if progress is not None and len(tree) % _EVERY == 0:
            progress(len(tree), max(total, len(tree)))
    if progress is not None:
        progress(len(tree), len(tree))
    return tree, tuple(findings)


def _extends(checkpoint: Checkpoint, tree: MerkleTree, values: MerkleTree) -> None:
    """Raise ProofError unless the records (and, when the checkpoint commits to them, the
    registered values) only grew since ``checkpoint``."""
    parts = [("records", checkpoint.size, checkpoint.root, tree)]
    if checkpoint.registry_size is not None and checkpoint.registry_root is not None:
        parts.append(
            ("registry values", checkpoint.registry_size, checkpoint.registry_root, values)
        )
    for what, size, root, rebuilt in parts:
        if size > len(rebuilt):
            raise ProofError(
                f"the checkpoint published {size} {what} but the ledger holds "
                f"{len(rebuilt)}: {what} were removed"
            )
        try:
            verify_consistency(
                size, len(rebuilt), root, rebuilt.root(), rebuilt.consistency_proof(size)
            )
        except ProofError as error:
            raise ProofError(f"{what}: {error}") from None
