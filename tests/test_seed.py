"""The seed ledger: the Dawn article of 7 December 2024, claim by claim."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

from conflict_ledger import (
    Access,
    Modality,
    Status,
    explain,
    load_seed,
    read_claims_file,
    snapshot,
    write_claims_file,
)
from conflict_ledger.registry import normalise_name
from conflict_ledger.seed import SEED_FILE

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARTICLE = ROOT.parent / "shared" / "seeds" / "dawn-2024-12-07-iran-hezbollah-assad-homs.txt"
DAY = "2024-12-07T00:00:00+00:00"


@pytest.fixture(scope="module")
def ledger():
    return load_seed()


def test_the_seed_holds_every_coded_claim_with_provenance(ledger):
    assert len(ledger) == 16
    for claim in ledger.claims():
        assert claim.evidence is not None
        assert claim.evidence.paraphrase
        assert claim.source.publisher == "dawn"
        assert claim.evidence.document in ledger.registries.documents


def test_as_of_7_december_the_sdf_holds_deir_ez_zor_per_syrian_sources(ledger):
    state = snapshot(ledger, at=DAY, known_at=DAY)["deir-ez-zor"]
    assert (state.status, state.holder, state.previous) == (
        Status.HELD,
        "sdf",
        "syrian-government",
    )
    (support,) = state.claims
    assert ledger.claim(support).source.origin == "syrian-sources"


@pytest.mark.parametrize("city", ["aleppo", "hama"])
def test_aleppo_and_hama_are_out_of_government_control(ledger, city):
    state = snapshot(ledger, at=DAY, known_at=DAY)[city]
    assert state.holder != "syrian-government"
    assert state.previous == "syrian-government"
    assert state.settled


def test_homs_is_under_rebel_advance_but_not_taken(ledger):
    state = snapshot(ledger, at=DAY, known_at=DAY)["homs"]
    assert (state.status, state.holder, state.advancing) == (
        Status.UNDER_ADVANCE,
        "syrian-government",
        ("opposition",),
    )


def test_the_issue_example_homs_at_8pm_damascus_as_known_next_noon(ledger):
    state = snapshot(ledger, at="2024-12-06T20:00+03:00", known_at="2024-12-07T12:00+03:00")["homs"]
    assert (state.status, state.holder) == (Status.UNDER_ADVANCE, "syrian-government")


def test_jordans_crossing_with_syria_is_closed(ledger):
    state = snapshot(ledger, at=DAY, known_at=DAY)["jaber-nassib"]
    assert state.access is Access.CLOSED
    assert state.attackers == ("unidentified-armed-groups",)


def test_the_albukamal_forecast_did_not_change_its_holder(ledger):
    state = snapshot(ledger, at="2024-12-09T00:00Z")["albukamal"]
    assert state.holder is None
    assert state.status is Status.UNDER_ADVANCE
    why = explain(ledger, "albukamal", at="2024-12-09T00:00Z")
    assert [c.modality for c in why.context] == [Modality.FORECAST]
    assert why.context[0].id not in state.claims


def test_before_the_paper_was_printed_nothing_was_known(ledger):
    assert len(snapshot(ledger, at=DAY, known_at="2024-12-06T18:00Z")) == 0


def test_on_friday_afternoon_deir_ez_zor_is_changing_hands_not_settled(ledger):
    state = snapshot(ledger, at="2024-12-06T15:00+03:00")["deir-ez-zor"]
    assert (state.status, state.contenders) == (Status.CHANGING, ("sdf", "syrian-government"))


def test_the_seed_survives_a_write_read_round_trip(ledger, tmp_path):
    path = tmp_path / "again.jsonl"
    write_claims_file(
        path,
        ledger.claims(),
        values=[*ledger.registries.documents.values(), *ledger.registries.sources],
        gazetteer="syria",
    )
    again = read_claims_file(path)
    assert again.claims() == ledger.claims()
    assert again.registries == ledger.registries


def test_the_committed_ledgers_are_what_the_build_script_writes(tmp_path):
    copy = tmp_path / "seeds"
    copy.mkdir()
    (copy / "build.py").write_text((SEEDS / "build.py").read_text())
    (tmp_path / "src" / "conflict_ledger" / "data").mkdir(parents=True)
    subprocess.run([sys.executable, str(copy / "build.py")], check=True, capture_output=True)
    assert filecmp.cmp(copy / SEED_FILE, SEEDS / SEED_FILE, shallow=False)
    packaged = ROOT / "src" / "conflict_ledger" / "data" / SEED_FILE
    assert filecmp.cmp(packaged, SEEDS / SEED_FILE, shallow=False)
    assert load_seed(SEEDS / SEED_FILE).claims() == load_seed().claims()


@pytest.mark.skipif(not ARTICLE.exists(), reason="the seed article is not beside this checkout")
def test_every_evidence_span_is_in_the_article_and_names_what_the_claim_is_about(ledger):
    text = ARTICLE.read_text(encoding="utf-8")
    places, actors = ledger.registries.places, ledger.registries.actors
    for claim in ledger.claims():
        quoted = " ".join(ledger.quote(claim.id, text))
        names = {
            normalise_name(n)
            for i in claim.event.place_ids()
            for n in (places[i].name, *places[i].aliases)
        } | {
            normalise_name(n)
            for i in claim.event.actor_ids()
            for n in (actors[i].name, *actors[i].aliases)
        }
        words = normalise_name(quoted)
        assert any(name in words for name in names), claim.id
