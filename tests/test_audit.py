"""verify checks what records mean: each forgery a hash cannot see is a named failure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import audit
from conflict_ledger.audit import KINDS, MeaningError
from conflict_ledger.canonical import canonical_json
from conflict_ledger.claims import Document
from conflict_ledger.codec import open_ledger, verify_ledger
from conflict_ledger.errors import LedgerError
from conflict_ledger.ledger import Ledger
from conflict_ledger.merkle import ProofError
from conflict_ledger.stores import MemoryStore
from conflict_ledger.testing.strategies import ledgers

from .forge import SUFFIXES, append_raw, build, rewrite, stored


def _forged(records: list[dict[str, Any]], **claim: Any) -> dict[str, Any]:
    last = records[-1]
    return {**last, "position": len(records), "claim": {**last["claim"], **claim}}


def _retraction(target: str) -> dict[str, Any]:
    return {"type": "retraction", "target": target, "reason": "forged"}


FORGERIES = {
    "duplicate-id": lambda rs: _forged(rs, id="c1"),
    "unknown-target": lambda rs: _forged(rs, id="x", supersedes="nowhere"),
    "invalid-target": lambda rs: _forged(
        rs, id="x", supersedes="c5", reported_at="2024-11-27T05:30:00+00:00"
    ),
    "unknown-place": lambda rs: _forged(
        rs, id="x", event={**rs[0]["claim"]["event"], "place": "atlantis"}
    ),
    "unknown-actor": lambda rs: _forged(
        rs, id="x", event={**rs[0]["claim"]["event"], "actor": "ghosts"}
    ),
    "unknown-source": lambda rs: _forged(
        rs, id="x", source=[{**rs[0]["claim"]["source"][0], "source": "rumour"}]
    ),
    "recorded-at-backwards": lambda rs: {
        **_forged(rs, id="x"),
        "recorded_at": "1999-01-01T00:00:00+00:00",
    },
}


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("kind", sorted(FORGERIES))
def test_a_rehashed_forged_record_is_a_named_failure_at_its_position(
    tmp_path: Path, suffix: str, kind: str
) -> None:
    path = tmp_path / f"l{suffix}"
    build(path)
    records, _ = stored(path)
    append_raw(path, FORGERIES[kind](records))
    with pytest.raises(MeaningError) as caught:
        verify_ledger(path)
    assert (caught.value.kind, caught.value.position) == (kind, 6)
    assert f"(record 6): {kind}:" in str(caught.value)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_retraction_of_an_unknown_claim_and_a_non_canonical_record_are_named(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"l{suffix}"
    build(path)
    records, _ = stored(path)
    forged = _forged(records, id="r", event=_retraction("nowhere"))
    append_raw(path, data=canonical_json(forged).replace(b'"id":"r"', b'"id" : "r"'))
    with open_ledger(path) as ledger:
        found = ledger.audit()
    assert [(e.kind, e.position, e.claim_id) for e in found] == [
        ("unknown-target", 6, "r"),
        ("not-canonical", 6, "r"),
    ]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_forged_record_reusing_an_id_never_replaces_the_original(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"l{suffix}"
    published = build(path)
    records, _ = stored(path)
    with open_ledger(path) as ledger:
        original = ledger.claim("c1")
    append_raw(path, FORGERIES["duplicate-id"](records))
    with open_ledger(path) as ledger:
        assert ledger.claim("c1") == original
        with pytest.raises(MeaningError, match="already at position 1"):
            ledger.verify(checkpoint=published)


def test_every_kind_is_tested() -> None:
    assert set(KINDS) - set(FORGERIES) == {"not-canonical", "unknown-document"}  # tested below


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=True)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


def _oracle(data: bytes) -> bool:
    try:
        return canonical_json(json.loads(data)) == data
    except (LedgerError, ValueError, TypeError):
        return False


@given(_JSON, st.booleans(), st.booleans(), st.booleans())
def test_the_fast_canonical_check_agrees_with_canonical_json(
    value: Any, sort_keys: bool, compact: bool, ascii_only: bool
) -> None:
    separators = (",", ":") if compact else (", ", ": ")
    try:
        texts = [canonical_json(value)]
    except (LedgerError, ValueError, TypeError):
        texts = []
    try:
        dumped = json.dumps(
            value, sort_keys=sort_keys, separators=separators, ensure_ascii=ascii_only
        )
        texts.append(dumped.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate in the generated text
        pass
    for data in texts:
        assert audit._canonical(data) == _oracle(data), data


@pytest.mark.parametrize(
    "data",
    [
        b"1.5",
        b"-1.5",
        b"[1e2]",
        b'{"a":1E2}',
        b'{"a":[0,-0.5]}',
        b'{"a":"at 14:30.5"}',
        b'{"a":"14:30"}',
        b'{"a":9007199254740993}',
        b'{"a":18446744073709551616}',
        '{"\U0001f600":1,"\ufb01":2}'.encode(),  # UTF-16 order: canonical
        '{"\ufb01":2,"\U0001f600":1}'.encode(),  # code point order: not canonical
        '{"a":"\ufb01"}'.encode(),
        b'{"a":"\\u0041"}',
        b'{"a":"\\ud800"}',
    ],
)
def test_the_canonical_check_agrees_with_canonical_json_at_the_edges(data: bytes) -> None:
    # Floats, keys needing UTF-16 order, strings that look like numbers, integers out
    # of range, escapes RFC 8785 does not write.
    assert audit._canonical(data) == _oracle(data), data


@given(ledgers(max_size=12, retracted_share=0.3, corrected_share=0.3))
def test_a_ledger_the_library_wrote_audits_clean_and_its_copy_too(ledger: Ledger) -> None:
    assert ledger.audit() == ()
    copy = Ledger(registries=ledger.registries, store=MemoryStore())
    ledger.copy_to(copy.store)
    copy.refresh()
    assert copy.audit() == ()
    assert copy.verify() == ledger.verify()


def test_an_unregistered_document_and_records_after_an_exact_checkpoint_are_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.jsonl"
    published = build(path)
    records, _ = stored(path)
    document = {"document": "0" * 64, "paraphrase": "forged", "spans": [[0, 4]]}
    with open_ledger(path) as ledger:
        ledger.register(
            Document(sha256="1" * 64, title="Registered", publication="P", published="2024-12-01")
        )
    append_raw(path, _forged(records, id="x", evidence=document))
    with open_ledger(path) as ledger:
        assert [(e.kind, e.position) for e in ledger.audit()] == [("unknown-document", 6)]
    records, values = stored(path)
    rewrite(
        path, [*records[:6], {**records[5], "claim": {**records[5]["claim"], "id": "y"}}], values
    )
    with open_ledger(path) as ledger:
        assert ledger.verify(checkpoint=published).size == 7
        with pytest.raises(
            ProofError, match=r"1 records after the checkpoint \(positions 6 to 6\)"
        ):
            ledger.verify(checkpoint=published, exact=True)
