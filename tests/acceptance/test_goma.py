"""M23's offensive on Goma, 2025: what a snapshot, a timeline, an explanation, a diff and an
as-known-at question must say, asked by names and in Goma's time (Central Africa Time).

Expected answers follow the recorded facts (tests/acceptance/goma.py) and the rules of
docs/concepts.md: a report bounds its own event, touching windows are ordered, a denial is
its denier's side, and a place folds on its own claims (the airport is not the city).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import conflict_ledger as cl
from conflict_ledger.adapters.geojson import feature_collection
from conflict_ledger.codec import open_ledger
from conflict_ledger.hierarchy import summarize
from tests.acceptance.goma import EPISODE, GOMA_TZ
from tests.acceptance.record import changes, ids, sides


@pytest.fixture(scope="module")
def ledger() -> cl.Ledger:
    return EPISODE.ledger()


at = EPISODE.at


def test_masisi_fell_to_the_m23_on_4_january(ledger: cl.Ledger) -> None:
    """VOA: taken on Saturday 4 Jan, from the army."""
    state = cl.snapshot(ledger, at=at("2025-01-06 12:00"))["Masisi-Centre"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "m23", "fardc")


def test_the_army_retook_masisi_on_the_morning_of_8_january(ledger: cl.Ledger) -> None:
    """Local sources: retaken that morning. Radio Okapi's 'only part of it' is a partial gain
    by the same army: counted as context, it names no other holder."""
    evening = at("2025-01-08 20:00")
    state = cl.snapshot(ledger, at=evening)["masisi"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "fardc", "m23")
    why = cl.explain(ledger, "Masisi", at=evening)
    assert ids(why.supporting) == ("goma/02",)
    assert "goma/03" in ids(why.context)


def test_the_recapture_was_not_known_until_the_days_reports(ledger: cl.Ledger) -> None:
    """Both 8 January reports carry only their date: until the day ends, what was known is
    the M23's hold; at midnight the knowledge changes, not the world (a diff in knowledge)."""
    evening = at("2025-01-08 20:00")
    before = cl.snapshot(ledger, at=evening, known_at=at("2025-01-08 23:00"))
    after = cl.snapshot(ledger, at=evening, known_at=at("2025-01-09 01:00"))
    assert before["masisi"].holder == "m23"
    change = cl.diff(before, after)
    assert [(c.place, c.before.holder, c.after.holder) for c in change.changes if c.before] == [
        ("masisi", "m23", "fardc")
    ]


def test_masisi_was_lost_again_on_9_january(ledger: cl.Ledger) -> None:
    """Radio Go FM: the M23 back on Thursday afternoon; the army's spokesman admitted the loss
    that evening, which is consistent with the recapture and disputes nothing."""
    state = cl.snapshot(ledger, at=at("2025-01-10 12:00"))["masisi"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "m23", "fardc")
    assert state.disputes == ()
    why = cl.explain(ledger, "masisi", at=at("2025-01-10 12:00"))
    assert ids(why.supporting) == ("goma/04",)
    assert "goma/05" in ids(why.context)


def test_masisis_timeline_has_the_capture_the_recapture_and_the_loss(ledger: cl.Ledger) -> None:
    """Goma's midnight is 22:00 UTC. The partial gain's day (from 8 Jan 00:00) shows as a
    presence beside the M23's hold; the army's admission of 9 Jan, a whole-day window, keeps
    the place changing until that day ends."""
    assert changes(cl.timeline(ledger, "masisi")) == [
        ("2025-01-03 22:00", "changing", "m23"),
        ("2025-01-04 22:00", "held", "m23"),  # the day ends before VOA's (New York) date
        ("2025-01-07 22:00", "held", "m23"),
        ("2025-01-08 04:00", "changing", "fardc"),
        ("2025-01-08 10:00", "held", "fardc"),
        ("2025-01-08 22:00", "changing", None),
        ("2025-01-09 10:00", "changing", "m23"),
        ("2025-01-09 22:00", "held", "m23"),
    ]


def test_a_late_report_still_finds_masisi_with_the_m23(ledger: cl.Ledger) -> None:
    state = cl.snapshot(ledger, at=at("2025-01-20 12:00"))["masisi"]
    assert (state.status, state.holder) == (cl.Status.HELD, "m23")
    assert "goma/06" in state.claims


def test_minova_is_corroborated_by_two_independent_origins(ledger: cl.Ledger) -> None:
    """Nangaa and South Kivu's governor both said so: two origins, one carrier (Reuters)."""
    noon = at("2025-01-22 12:00")
    assert cl.snapshot(ledger, at=noon)["Minova"].holder == "m23"
    assert cl.snapshot(ledger, at=noon, policy=cl.corroboration_required(2))["minova"].holder == (
        "m23"
    )
    three = cl.snapshot(ledger, at=noon, policy=cl.corroboration_required(3))["minova"]
    assert three.status is cl.Status.UNKNOWN


def test_on_monday_noon_only_the_m23s_word_was_known(ledger: cl.Ledger) -> None:
    """As known at noon on 27 Jan: the communique (03:00) and the witnesses (10:34); the
    government's reply came a day later."""
    noon = at("2025-01-27 12:00")
    state = cl.snapshot(ledger, at=noon, known_at=noon)["Goma"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "m23", "fardc")


def test_the_governments_denial_makes_goma_contested(ledger: cl.Ledger) -> None:
    """The government did not concede control: its denial is the army's side, against the
    communique and the witnesses."""
    state = cl.snapshot(ledger, at=at("2025-01-27 12:00"))["goma"]
    assert state.status is cl.Status.CONTESTED
    assert sides(state) == {
        "m23": frozenset({"goma/09", "goma/10"}),
        "fardc": frozenset({"goma/12"}),
    }
    why = cl.explain(ledger, "Goma", at=at("2025-01-29 12:00"))
    assert ids(why.disputing) == ("goma/12",)


def test_nangaas_news_conference_settles_goma(ledger: cl.Ledger) -> None:
    """A hold dated 30 Jan starts after both the communique's and the denial's windows ended."""
    state = cl.snapshot(ledger, at=at("2025-01-31 12:00"))["goma"]
    assert (state.status, state.holder, state.previous) == (cl.Status.HELD, "m23", "fardc")
    assert changes(cl.timeline(ledger, "goma"))[-1] == ("2025-01-29 22:00", "held", "m23")


def test_the_holder_is_not_also_a_presence(ledger: cl.Ledger) -> None:
    """The witnesses saw the M23 in the centre after the M23 said it held the whole city: that
    supports the hold, and is no presence beside it."""
    noon = at("2025-01-27 12:00")
    assert cl.snapshot(ledger, at=noon, known_at=noon)["goma"].presence == ()


def test_the_airport_is_a_place_of_its_own(ledger: cl.Ledger) -> None:
    """On Monday the Air Transport Authority said the army still held the airport while the
    city was claimed; the M23 took it on the 28th (reported 19:47 in India, 16:17 in Goma)."""
    assert cl.snapshot(ledger, at=at("2025-01-27 12:00"))["Goma airport"].holder == "fardc"
    tuesday = cl.snapshot(ledger, at=at("2025-01-28 12:00"))["goma-airport"]
    assert (tuesday.status, tuesday.contenders) == (cl.Status.CHANGING, ("fardc", "m23"))
    text = cl.timeline(ledger, "Goma International Airport").to_text(tz=GOMA_TZ)
    assert "times in Africa/Lubumbashi" in text
    assert "2025-01-28 16:17 +02:00" in text


def test_the_diff_over_the_offensive_names_what_changed(ledger: cl.Ledger) -> None:
    """Masisi was the M23's at both ends, so it is not a change; Bukavu came later."""
    change = cl.diff(
        cl.snapshot(ledger, at=at("2025-01-20 00:00")),
        cl.snapshot(ledger, at=at("2025-02-01 00:00")),
    )
    assert {c.place: c.after.holder for c in change.changes if c.after} == {
        "goma": "m23",
        "goma-airport": "m23",
        "minova": "m23",
    }


def test_bukavu_and_the_map(ledger: cl.Ledger) -> None:
    """Reuters, 16 Feb: the M23 in Bukavu's centre. On the map only the places with
    coordinates (Goma and Bukavu, from GeoNames) are features."""
    snap = cl.snapshot(ledger, at=at("2025-02-17 12:00"))
    assert (snap["Bukavu"].status, snap["Bukavu"].holder) == (cl.Status.HELD, "m23")
    collection = feature_collection(snap, ledger)
    assert {f["id"]: f["properties"]["holder"] for f in collection["features"]} == {
        "bukavu": "m23",
        "goma": "m23",
    }
    assert "2025-02-17 12:00 +02:00" in snap.to_html(tz=GOMA_TZ)


# -- the episode on the world gazetteer (gazetteer.world("CD")), its provinces aliased --------

_WORLD_NAMES = {"goma": "Goma", "bukavu": "Bukavu"}  # the gazetteer's towns, by their names


def _on_the_world_gazetteer() -> cl.Ledger:
    """The newcomer's episode recorded on ``world("CD")``: the names reports use for the
    provinces and the country added as aliases, the towns the gazetteer lacks registered
    under its provinces, the towns it has named by their names."""
    from conflict_ledger.gazetteer import world

    ledger = cl.Ledger(registries=world("CD"), clock=cl.fixed_clock("2026-01-01T00:00Z"))
    ledger.add_aliases("cd-nk", "North Kivu")
    ledger.add_aliases("Sud-Kivu", "South Kivu")
    ledger.add_aliases("Democratic Republic of the Congo", "DRC", "DR Congo")
    places = ledger.registries.places
    own = [
        attrs.evolve(p, parent=places.id_of(_WORLD_NAMES.get(p.parent, p.parent or "")))
        for p in EPISODE.places
        if p.id not in (*_WORLD_NAMES, "north-kivu", "south-kivu")
    ]
    ledger.register(*own, *EPISODE.actors, *EPISODE.sources)
    ledger.extend(
        attrs.evolve(c, event=attrs.evolve(c.event, place=_WORLD_NAMES.get(p, p)))
        if (p := getattr(c.event, "place", None)) in _WORLD_NAMES
        else c
        for c in EPISODE.claims
    )
    return ledger


def test_on_the_world_gazetteer_north_kivu_and_drc_resolve_once_added_as_aliases() -> None:
    """World's provinces carry ISO's French names (Nord-Kivu, id cd-nk) and the country ISO's
    long name; the reports' "North Kivu" and "DRC" resolve once added as aliases."""
    ledger = _on_the_world_gazetteer()
    places = ledger.registries.places
    assert (places.id_of("North Kivu"), places.id_of("DRC"), places.id_of("dr congo")) == (
        "cd-nk",
        "congo-the-democratic-republic-of-the",
        "congo-the-democratic-republic-of-the",
    )
    snap = cl.snapshot(ledger, at=at("2025-02-20 12:00"))
    north = summarize(snap, "North Kivu", places)
    assert (north.region, north.places, dict(north.holders)) == ("cd-nk", ("masisi",), {"m23": 1})
    country = summarize(snap, "DRC", places)
    assert country.places == ("cd-bukavu", "cd-goma", "goma-airport", "masisi", "minova")
    assert dict(country.holders) == {"m23": 5}
    assert cl.timeline(ledger, "Goma") == cl.timeline(ledger, "cd-goma")


def test_the_aliased_world_episode_saves_as_a_claims_file_on_its_gazetteer(
    tmp_path: Path,
) -> None:
    """Saved on world:CD, the file holds the three aliased entries, not the gazetteer, and
    reads back with "North Kivu" and "DRC" resolving."""
    path = tmp_path / "goma.claims.jsonl"
    cl.save_ledger(_on_the_world_gazetteer(), path, gazetteer="world:CD")
    grown = [line for line in path.read_text(encoding="utf-8").splitlines() if '"cd-' in line]
    assert len([line for line in grown if line.startswith('{"record":"place","id":"cd-')]) == 2
    with open_ledger(path) as again:
        assert again.registries.places.id_of("North Kivu") == "cd-nk"
        assert again.registries.places.id_of("DRC") == "congo-the-democratic-republic-of-the"
        assert again.claims() == _on_the_world_gazetteer().claims()
