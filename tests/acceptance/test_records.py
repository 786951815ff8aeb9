"""The episodes as records: every fact cited, every name registered, files and the CLI round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import conflict_ledger as cl
from conflict_ledger import cli
from tests.acceptance import goma, kherson, lashio, wad_madani
from tests.acceptance.record import Episode

EPISODES = (kherson.EPISODE, wad_madani.EPISODE, lashio.EPISODE, goma.EPISODE)
BY_NAME = {episode.name: episode for episode in EPISODES}


@pytest.fixture(params=[e.name for e in EPISODES])
def episode(request: pytest.FixtureRequest) -> Episode:
    return BY_NAME[request.param]


def test_every_claim_cites_where_it_was_read(episode: Episode) -> None:
    assert {c.id for c in episode.claims} == set(episode.cites)
    for cite in episode.cites.values():
        assert cite.url.startswith(("https://", "http://"))
        assert all((cite.publication, cite.published, cite.title))


def test_every_claim_has_a_note_and_a_graded_origin(episode: Episode) -> None:
    sources = {s.id: s for s in episode.sources}
    for claim in episode.claims:
        assert claim.note
        assert sources[claim.source.origin].reliability is not None


def test_the_ledger_takes_every_claim_as_recorded(episode: Episode) -> None:
    ledger = episode.ledger()
    assert [c.id for c in ledger.claims()] == [c.id for c in episode.claims]
    assert [c.id for c in ledger.claims()] == sorted(c.id for c in episode.claims)


def test_an_analyst_can_append_by_names_and_aliases() -> None:
    """append resolves names: the same capture written with the names a report uses."""
    ledger = lashio.EPISODE.ledger()
    recorded = ledger.append(
        cl.Claim(
            id="lashio/by-name",
            event=cl.Captured(place="Northeast Command", actor="Kokang army", from_actor="junta"),
            valid=cl.ValidTime.exact("2024-08-03T12:00+06:30"),
            reported_at="2024-08-03T18:00+06:30",
            source=cl.SourceChain.of("Zaw Min Tun", "AFP"),
        )
    )
    assert recorded.claim.event == cl.Captured(
        place=lashio.HQ, actor="mndaa", from_actor="myanmar-military"
    )
    assert recorded.claim.source.source_ids() == ("junta-spokesperson", "afp")


def test_an_unknown_name_in_a_claim_is_refused_with_suggestions() -> None:
    ledger = kherson.EPISODE.ledger()
    with pytest.raises(cl.UnknownPlaceError) as caught:
        ledger.append(
            cl.Claim(
                id="kherson/typo",
                event=cl.Captured(place="Khersonn", actor="russia"),
                valid=cl.ValidTime.exact("2022-03-02T12:00Z"),
                reported_at="2022-03-02T12:00Z",
                source=cl.SourceChain.of("isw"),
            )
        )
    assert "kherson" in caught.value.suggestions
    assert len(ledger) == len(kherson.EPISODE.claims)


def write(episode: Episode, folder: Path) -> Path:
    path = folder / "episode.claims.jsonl"
    ledger = episode.ledger()
    cl.write_claims_file(
        path, ledger.claims(), values=(*episode.places, *episode.actors, *episode.sources)
    )
    return path


def test_a_claims_file_reads_back_to_the_same_answers(episode: Episode, tmp_path: Path) -> None:
    back = cl.read_claims_file(write(episode, tmp_path), clock=cl.fixed_clock("2026-01-01T00:00Z"))
    ledger = episode.ledger()
    assert back.claims() == ledger.claims()
    for place in (p.id for p in episode.places):
        assert cl.timeline(back, place) == cl.timeline(ledger, place)


def test_the_cli_answers_by_name_as_by_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write(kherson.EPISODE, tmp_path))
    answers = []
    for place in ("kherson", "Херсон", "Kherson city"):
        code = cli.main(
            [
                "explain", path, place, "--at", "2022-03-02 14:00", "--tz", "Europe/Kyiv",
                "--known-at", "2022-03-02 14:00",
            ]
        )  # fmt: skip
        answers.append((code, capsys.readouterr().out))
    assert answers[0][0] == 0
    assert answers[1] == answers[0] == answers[2]


def test_the_cli_snapshot_reads_times_in_the_zone_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --tz Europe/Kyiv, known at 10:00 is before the MoD's claim (12:05 Baku is 10:05
    Kyiv) and nothing is known; at 10:06 the claim is in and Russia holds the city."""
    path = str(write(kherson.EPISODE, tmp_path))
    argv = ["snapshot", path, "--at", "2022-03-05", "--tz", "Europe/Kyiv", "--format", "json"]
    early = [*argv, "--known-at", "2022-03-02 10:00"]
    assert cli.main(early) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert cli.main([*argv, "--known-at", "2022-03-02 10:06"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["place"], row["holder"]) == ("kherson", "russia")


def test_an_unknown_place_on_the_cli_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write(kherson.EPISODE, tmp_path))
    assert cli.main(["timeline", path, "Khersonn"]) != 0
    err = capsys.readouterr().err
    assert ("Khersonn" in err, "kherson" in err, "Traceback" in err) == (True, True, False)
