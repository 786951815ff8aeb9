"""Readable answers in local time (issue 12, item 5), on the episodes.

They use ``to_text(tz=...)`` on snapshots, timelines and explanations (the display
branch). They check what a reader must see, not the layout: the zone and its offset, each claim's
actor and modality, its origin's grade, its note, and the report bound applied.
"""

from __future__ import annotations

import pytest

import conflict_ledger as cl
from tests.acceptance import kherson, lashio


@pytest.fixture(scope="module")
def ledger() -> cl.Ledger:
    return kherson.EPISODE.ledger()


def test_a_timeline_prints_in_kyiv_time_with_its_offset(ledger: cl.Ledger) -> None:
    text = cl.timeline(ledger, "kherson").to_text(tz="Europe/Kyiv")
    assert "Europe/Kyiv" in text
    assert "2022-03-01 23:00 +02:00" in text  # the MoD's Moscow day begins at 23:00 in Kyiv


def test_an_explanation_names_sides_grades_notes_and_the_report_bound(ledger: cl.Ledger) -> None:
    two_pm = kherson.EPISODE.at("2022-03-02 14:00")
    why = cl.explain(ledger, "kherson", at=two_pm, known_at=two_pm)
    text = why.to_text(tz="Europe/Kyiv")
    for seen in (
        "by russia",
        "[denied]",
        "reliability D",
        ledger.claim("kherson/01").note,
        ledger.claim("kherson/02").note,
        "2022-03-02 10:05 +02:00",  # the MoD's report, 12:05 in Baku
    ):
        assert seen in text


def test_a_snapshot_prints_in_yangon_time() -> None:
    snap = cl.snapshot(lashio.EPISODE.ledger(), at=lashio.EPISODE.at("2025-04-23 12:00"))
    text = snap.to_text(tz="Asia/Yangon")
    assert "2025-04-23 12:00 +06:30" in text
