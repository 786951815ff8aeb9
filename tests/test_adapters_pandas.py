"""The pandas adapter: typed, tidy frames that agree with the library, and claims back from a frame."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.adapters.pandas import (
    CLAIM_COLUMNS,
    claims_frame,
    claims_from_frame,
    explanation_frame,
    snapshot_frame,
    timeline_frame,
)
from conflict_ledger.adapters.rows import RejectedRowsError
from conflict_ledger.gazetteer import syria
from conflict_ledger.testing import strategies as cst


def _is_utc(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.DatetimeTZDtype) and str(series.dtype.tz) == "UTC"


def test_claims_frame_has_typed_columns() -> None:
    frame = claims_frame(cl.load_seed())
    assert tuple(frame.columns) == CLAIM_COLUMNS
    for column in ("recorded_at", "valid_start", "valid_end", "reported_at"):
        assert _is_utc(frame[column]), column
    assert {frame[c].dtype.name for c in ("kind", "precision", "modality")} == {"category"}
    assert frame["credibility"].dtype.name == "Int8"
    assert frame["position"].tolist() == list(range(16))


@given(ledger=cst.ledgers(max_size=15))
def test_claims_survive_a_round_trip_through_a_frame(ledger: cl.Ledger) -> None:
    assert claims_from_frame(claims_frame(ledger)) == ledger.claims()


def test_seed_claims_survive_a_round_trip_through_a_frame() -> None:
    ledger = cl.load_seed()
    assert claims_from_frame(claims_frame(ledger)) == ledger.claims()


@given(ledger=cst.ledgers(max_size=15), hour=st.integers(min_value=0, max_value=24 * 14))
def test_snapshot_frame_agrees_with_the_snapshot(ledger: cl.Ledger, hour: int) -> None:
    snap = cl.snapshot(ledger, at=cst.BASE.add(hours=hour))
    frame = snapshot_frame(snap)
    assert frame["place"].tolist() == [s.place for s in snap]
    assert frame["status"].astype(str).tolist() == [s.status.value for s in snap]
    holders = [None if pd.isna(h) else h for h in frame["holder"].tolist()]
    assert holders == [s.holder for s in snap]
    assert list(frame["status"].cat.categories) == [s.value for s in cl.Status]
    assert _is_utc(frame["at"])
    assert (frame["at"] == pd.Timestamp(snap.at)).all()


def test_timeline_frame_has_one_row_per_period_with_an_open_end() -> None:
    line = cl.timeline(cl.load_seed(), "deir-ez-zor")
    frame = timeline_frame(line)
    assert len(frame) == len(line)
    assert _is_utc(frame["start"])
    assert frame["start"].tolist() == [pd.Timestamp(e.start) for e in line]
    assert pd.isna(frame["end"].iloc[-1])
    assert frame["holder"].dtype.name == "category"


def test_explanation_frame_labels_every_claim_with_its_role() -> None:
    why = cl.explain(cl.load_seed(), "homs", at="2024-12-07T00:00Z", known_at="2024-12-06T12:00Z")
    frame = explanation_frame(why)
    expected = (
        [(c.id, "supporting") for c in why.supporting]
        + [(c.id, "disputing") for c in why.disputing]
        + [(c.id, "context") for c in why.context]
        + [(e.claim.id, "excluded") for e in why.excluded]
    )
    assert list(zip(frame["id"], frame["role"].astype(str), strict=True)) == expected
    excluded = frame[frame["role"] == "excluded"]
    assert excluded["reason"].tolist() == [e.reason for e in why.excluded]


def test_a_hand_written_frame_becomes_claims_a_ledger_accepts() -> None:
    frame = pd.DataFrame(
        {
            "id": ["notes/1", "notes/2"],
            "kind": ["captured", "advanced"],
            "place": ["Deir el-Zor", "homs"],
            "actor": ["Syrian Kurds", "opposition"],
            "valid_start": pd.to_datetime(["2024-12-06T00:00Z", "2024-12-06T06:00Z"]),
            "valid_end": pd.to_datetime(["2024-12-07T00:00Z", "2024-12-06T06:00Z"]),
            "precision": ["day", "exact"],
            "reported_at": pd.to_datetime(
                ["2024-12-07T09:00+03:00", "2024-12-06T08:00Z"], utc=True
            ),
            "sources": ["local-reporter > reuters", "reuters"],
        }
    )
    ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-08T00:00Z"))
    ledger.register(
        cl.Source(id="reuters", name="Reuters", kind="agency"),
        cl.Source(id="local-reporter", name="Local reporter", kind="anonymous"),
    )
    ledger.extend(claims_from_frame(frame))
    snap = cl.snapshot(ledger, at="2024-12-07T00:00Z")
    assert (snap["deir-ez-zor"].holder, snap["homs"].advancing) == ("sdf", ("opposition",))
    assert ledger.claim("notes/1").source.source_ids() == ("local-reporter", "reuters")


def test_every_bad_row_is_reported_at_once_with_its_label() -> None:
    frame = pd.DataFrame(
        {
            "id": ["ok/1", "bad/naive", "bad/nokind", "ok/2"],
            "kind": ["holds", "holds", None, "holds"],
            "place": ["homs"] * 4,
            "actor": ["syrian-government"] * 4,
            "valid_start": [
                pd.Timestamp("2024-12-06T00:00Z"),
                pd.Timestamp("2024-12-06T00:00"),
                pd.Timestamp("2024-12-06T00:00Z"),
                pd.Timestamp("2024-12-06T00:00Z"),
            ],
            "reported_at": [pd.Timestamp("2024-12-07T00:00Z")] * 4,
            "sources": ["reuters"] * 4,
        }
    )
    with pytest.raises(RejectedRowsError) as raised:
        claims_from_frame(frame, name="notes")
    assert [e.line for e in raised.value.exceptions] == [1, 2]
    assert "naive" in str(raised.value.exceptions[0])
    assert "kind" in str(raised.value.exceptions[1])
