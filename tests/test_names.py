"""Every public query takes a place or actor by id, name or alias (issue 12, item 4).

The law, over the seed ledger and the Syria gazetteer: a query given any spelling of a
known place or actor answers exactly as given its id; given an unknown name it raises
the typed error (UnknownPlaceError / UnknownActorError, naming the field, with "did you
mean" suggestions), never an empty answer. A membership test (``in``) on an unknown name
is False. The oracle is the gazetteer itself: every id, name and alias of every entry,
spelled as reports do (other case, spacing, punctuation).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import (
    AsOfIndex,
    Snapshot,
    Status,
    UnknownActorError,
    UnknownPlaceError,
    explain,
    latest_report_wins,
    load_seed,
    outside_control,
    snapshot,
    summarize,
    timeline,
    to_blocs,
)
from conflict_ledger.asof import place_claims
from conflict_ledger.cli import main
from conflict_ledger.gazetteer import syria_blocs
from conflict_ledger.hierarchy import descendants
from conflict_ledger.registry import normalise_name

SEED = str(Path(__file__).resolve().parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl")
LEDGER = load_seed()
PLACES = LEDGER.registries.places
ACTORS = LEDGER.registries.actors
BLOCS = syria_blocs()
AT = "2024-12-06T20:00+03:00"
KNOWN = "2024-12-07T12:00+03:00"
LATER = "2024-12-08T00:00Z"
INDEX = AsOfIndex(LEDGER)


def spellings(entry: Any) -> list[str]:
    """Every way the gazetteer spells an entry."""
    return [entry.id, entry.name, *entry.aliases]


# A report's spelling of a name: the same words in another case, spacing or punctuation.
RESPELL: list[Callable[[str], str]] = [
    lambda s: s,
    str.upper,
    str.lower,
    lambda s: f"  {s}  ",
    lambda s: s.replace("-", " "),
    lambda s: s.replace(" ", "-"),
]


def names_of(registry: Any) -> st.SearchStrategy[tuple[str, str]]:
    """(spelling, the id it names) for every entry of ``registry``."""
    pairs = [(name, entry.id) for entry in registry for name in spellings(entry)]
    return st.tuples(st.sampled_from(pairs), st.sampled_from(RESPELL)).map(
        lambda pair_respell: (pair_respell[1](pair_respell[0][0]), pair_respell[0][1])
    )


def unknown_to(registry: Any) -> st.SearchStrategy[str]:
    """Names no entry of ``registry`` has, near misses of real names among them."""
    known = {normalise_name(name) for entry in registry for name in spellings(entry)}
    near = st.sampled_from([name for entry in registry for name in spellings(entry)]).map(
        lambda name: name[:-1] + "q"
    )
    return st.one_of(near, st.text(max_size=12)).filter(lambda n: normalise_name(n) not in known)


SNAP = snapshot(LEDGER, at=AT, known_at=KNOWN)
SNAP_LATER = snapshot(LEDGER, at=LATER)
DAY = "2024-12-07T00:00Z"
SNAP_DAY = snapshot(LEDGER, at=DAY)

PLACE_QUERIES: dict[str, Callable[[str], Any]] = {
    "asof.timeline": lambda p: timeline(LEDGER, p, known_at=KNOWN),
    "asof.explain": lambda p: explain(LEDGER, p, at=AT, known_at=KNOWN),
    "asof.explain policy": lambda p: explain(LEDGER, p, at=LATER, policy=latest_report_wins),
    "asof.place_claims": lambda p: place_claims(LEDGER, p, at=LATER),
    "Snapshot[]": lambda p: SNAP[p],
    "Snapshot.get": lambda p: SNAP_LATER.get(p),
    "Snapshot[] policy": lambda p: snapshot(LEDGER, at=LATER, policy=latest_report_wins)[p],
    "AsOfIndex.snapshot[]": lambda p: INDEX.snapshot(at=AT, known_at=KNOWN)[p],
    "AsOfIndex.snapshot.get": lambda p: INDEX.snapshot(at=LATER).get(p),
    "AsOfIndex.series[]": lambda p: INDEX.series([AT, LATER], known_at=KNOWN)[1][p],
    "AsOfIndex.place_state": lambda p: INDEX.place_state(p, at=AT, known_at=KNOWN),
    "AsOfIndex.place_fold": lambda p: INDEX.place_fold(p, at=LATER),
    "AsOfIndex.claims": lambda p: INDEX.claims(p, known_at=KNOWN),
    "AsOfIndex.place_claims": lambda p: INDEX.place_claims(p, at=LATER),
    "AsOfIndex.timeline": lambda p: INDEX.timeline(p),
    "AsOfIndex.holders[]": lambda p: INDEX.holders(at=LATER)[p],
    "AsOfIndex.holders.get": lambda p: INDEX.holders(at=LATER).get(p, "none"),
    "AsOfIndex.holders_series[]": lambda p: INDEX.holders_series([AT, LATER])[1][p],
    "blocs.to_blocs[]": lambda p: to_blocs(SNAP_LATER, BLOCS)[p],
    "hierarchy.descendants": lambda p: descendants(PLACES, p),
    "hierarchy.summarize": lambda p: summarize(SNAP_LATER, p, PLACES),
}

MEMBERSHIP: dict[str, Callable[[str], bool]] = {
    "in Snapshot": lambda p: p in SNAP_LATER,
    "in AsOfIndex.snapshot": lambda p: p in INDEX.snapshot(at=LATER),
    "in AsOfIndex.holders": lambda p: p in INDEX.holders(at=LATER),
    "in to_blocs": lambda p: p in to_blocs(SNAP_LATER, BLOCS),
}

ACTOR_QUERIES: dict[str, Callable[[str], Any]] = {
    "Snapshot.held_by": lambda a: SNAP_DAY.held_by(a),
    "AsOfIndex.snapshot.held_by": lambda a: INDEX.snapshot(at=DAY).held_by(a),
    "to_blocs.held_by": lambda a: to_blocs(SNAP_DAY, BLOCS).held_by(a),
    "blocs.outside_control": lambda a: outside_control(SNAP_DAY, a, blocs=BLOCS, places=PLACES),
    "Blocs.members": lambda a: BLOCS.members(a, at=SNAP_DAY.at),
    "Blocs.blocs_of": lambda a: BLOCS.blocs_of(a, at=SNAP_DAY.at),
    "Blocs.bloc_of": lambda a: BLOCS.bloc_of(a, at=SNAP_DAY.at),
}


# (query, the registry its argument is read through, the error an unknown name raises)
QUERIES = [
    *((query, PLACES, UnknownPlaceError) for query in PLACE_QUERIES.values()),
    *((query, ACTORS, UnknownActorError) for query in ACTOR_QUERIES.values()),
]
QUERY_IDS = [*PLACE_QUERIES, *ACTOR_QUERIES]


@pytest.mark.parametrize(("query", "registry", "error"), QUERIES, ids=QUERY_IDS)
@given(data=st.data())
def test_a_query_answers_a_name_or_alias_as_its_id(query, registry, error, data):
    spelling, id = data.draw(names_of(registry))
    assert query(spelling) == query(id)


@pytest.mark.parametrize(("query", "registry", "error"), QUERIES, ids=QUERY_IDS)
@given(data=st.data())
def test_a_query_given_an_unknown_name_raises_the_typed_error(query, registry, error, data):
    name = data.draw(unknown_to(registry))
    with pytest.raises(error) as raised:
        query(name)
    assert (raised.value.name, raised.value.suggestions) == (name, registry.suggest(name))
    assert raised.value.field in ("place", "region", "actor")
    assert all(s in registry for s in raised.value.suggestions)


@pytest.mark.parametrize("member", MEMBERSHIP.values(), ids=list(MEMBERSHIP))
@given(name=names_of(PLACES), unknown=unknown_to(PLACES))
def test_membership_takes_names_and_is_false_for_an_unknown_one(member, name, unknown):
    spelling, place = name
    assert member(spelling) == member(place)
    assert member(unknown) is False


def test_the_answers_compared_are_not_empty():
    """The law above would hold trivially if every answer were empty: it is not."""
    assert len(timeline(LEDGER, "Hims")) >= 1
    assert explain(LEDGER, "Deir el-Zor", at=LATER).supporting
    assert SNAP_LATER["Deir el-Zor"].holder == INDEX.holders(at=LATER)["Dayr az-Zawr"] == "sdf"
    assert SNAP_DAY.held_by("Moscow") == ("hmeimim-air-base", "tartus-naval-base")
    assert to_blocs(SNAP_DAY, BLOCS).held_by("pro-government alliance")
    assert outside_control(SNAP_DAY, "government bloc", blocs=BLOCS, places=PLACES)
    assert "sheikh-maqsoud" in descendants(PLACES, "Halab")
    assert BLOCS.members("government bloc", at=SNAP_DAY.at)
    assert "Hims" in SNAP_LATER


def test_a_known_place_no_claim_names_is_unknown_when_asked_and_absent_when_listed():
    """Like a defaultdict: snap[place] answers for every known place, ``in``/get/len
    cover the places some counted claim names."""
    assert "Damascus" not in SNAP_LATER
    assert SNAP_LATER.get("Damascus") is None
    state = SNAP_LATER["Damascus"]
    assert (state.place, state.status, state.holder, state.claims) == (
        "damascus",
        Status.UNKNOWN,
        None,
        (),
    )
    assert state == INDEX.place_state("DAMASCUS", at=LATER)
    assert state == explain(LEDGER, " damascus ", at=LATER).state
    assert state == INDEX.snapshot(at=LATER)["damascus"]
    assert INDEX.holders(at=LATER)["Damascus"] is None
    assert "damascus" not in [s.place for s in SNAP_LATER]
    assert len(timeline(LEDGER, "Damascus")) == 0


def test_an_unknown_name_is_not_in_a_snapshot_and_indexing_it_suggests_the_closest():
    assert "Nowhere" not in SNAP_LATER
    with pytest.raises(UnknownPlaceError, match="did you mean: homs") as raised:
        SNAP_LATER["Homz"]
    assert raised.value.field == "place"
    with pytest.raises(UnknownPlaceError):
        SNAP_LATER.get("Homz")


def test_a_snapshot_of_plain_records_takes_ids_only():
    plain = snapshot(list(LEDGER.records()), at=LATER)
    assert plain.registries is None
    assert plain == SNAP_LATER  # registries are not part of a snapshot's value
    assert plain["deir-ez-zor"] == SNAP_LATER["deir-ez-zor"]
    assert "Deir el-Zor" not in plain
    assert plain.get("damascus") is None
    with pytest.raises(UnknownPlaceError, match="did you mean: deir-ez-zor"):
        plain["Deir el-Zor"]
    assert plain.held_by("sdf") == SNAP_LATER.held_by("sdf")
    assert len(timeline(list(LEDGER.records()), "deir-ez-zor")) == 2


def test_a_hand_made_snapshot_still_takes_ids():
    bare = Snapshot(at=SNAP_LATER.at, known_at=None, position=None, places=SNAP_LATER.places)
    assert bare["homs"] == SNAP_LATER["homs"]
    assert "Hims" not in bare


def test_the_timeline_chart_takes_names():
    from conflict_ledger.adapters import plot

    def rows(places: list[str]) -> list[str]:
        figure = plot.timeline_chart(LEDGER, places)
        return [label.get_text() for label in figure.axes[0].get_yticklabels()]

    assert rows(["Hims", "Deir el-Zor"]) == rows(["homs", "deir-ez-zor"])
    with pytest.raises(UnknownPlaceError):
        rows(["Homz"])


# -- the command line: the same answers by name, exit 1 and a suggestion for a typo ---------

CLI_PLACES = sorted({s.place for s in SNAP_LATER})


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("place", CLI_PLACES)
@pytest.mark.parametrize(
    "command",
    [
        ["timeline", SEED, "{}"],
        ["timeline", SEED, "{}", "--known-at", "2024-12-07"],
        ["explain", SEED, "{}", "--at", "2024-12-08", "--format", "json"],
        ["explain", SEED, "{}", "--at", "2024-12-07", "--policy", "latest"],
    ],
    ids=["timeline", "timeline known-at", "explain json", "explain policy"],
)
def test_cli_commands_answer_a_name_or_alias_as_the_id(capsys, command, place):
    def run(name: str) -> tuple[int, str, str]:
        return cli(capsys, *(part.format(name) for part in command))

    by_id = run(place)
    assert by_id[0] == 0
    assert by_id[1]
    entry = PLACES[place]
    for spelling in {entry.name, *entry.aliases, entry.name.upper()}:
        assert run(spelling) == by_id, spelling


@pytest.mark.parametrize("command", ["timeline", "explain"])
def test_cli_commands_refuse_an_unknown_place_with_a_suggestion(capsys, command):
    at = ["--at", "2024-12-07"] if command == "explain" else []
    code, out, err = cli(capsys, command, SEED, "Deir el-Zorr", *at)
    assert (code, out) == (1, "")
    assert "unknown place 'Deir el-Zorr'" in err
    assert "did you mean: deir-ez-zor" in err
    assert "Traceback" not in err


def test_cli_plot_takes_places_by_name(capsys, tmp_path):
    by_id, by_name = tmp_path / "id.png", tmp_path / "name.png"
    args = ["plot", SEED, "--chart", "timeline"]
    assert cli(capsys, *args, "--place", "homs", "--place", "deir-ez-zor", "-o", str(by_id))[0] == 0
    assert (
        cli(capsys, *args, "--place", "Hims", "--place", "Dayr az-Zawr", "-o", str(by_name))[0] == 0
    )
    assert by_id.read_bytes() == by_name.read_bytes()
    code, _, err = cli(capsys, *args, "--place", "Homz", "-o", str(tmp_path / "x.png"))
    assert code == 1
    assert "did you mean: homs" in err


def _normalised_slowly(name: str) -> str:
    """normalise_name's rule, step by step, with no shortcut: marks dropped (NFKD),
    modifier letters dropped, case folded, a few Latin letters folded, every run of
    non-letters one space."""
    import re
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    unmarked = "".join(c for c in decomposed if not unicodedata.combining(c))
    unmarked = re.sub(r"[\u02b0-\u02ff]", "", unmarked).casefold()
    unmarked = unmarked.translate(str.maketrans("ıłøđħŧ", "ilodht"))
    return " ".join(re.sub(r"[\W_]+", " ", unmarked).split())


@given(st.text(st.characters(max_codepoint=0x7F)) | st.text())
def test_a_name_is_normalised_as_the_rule_says_ascii_shortcut_or_not(name: str) -> None:
    assert normalise_name(name) == _normalised_slowly(name)
