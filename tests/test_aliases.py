"""Aliases added to entries a ledger already has (Ledger.add_aliases, conflict-ledger alias):
resolved in appends and queries, refused with typed errors, stored with the ledger in every
format, covered by the registry's Merkle root."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import conflict_ledger as cl
from conflict_ledger.codec import FORMAT, encode_value, open_ledger
from conflict_ledger.gazetteer import syria
from conflict_ledger.ledger import fixed_clock
from conflict_ledger.seed import load_seed
from conflict_ledger.stores import JsonlStore
from tests.forge import rewrite, stored

SUFFIXES = (".claims.jsonl", ".jsonl", ".sqlite")


def _claim(place: str, actor: str, name: str = "a/1") -> cl.Claim:
    return cl.Claim(
        id=name,
        event=cl.Captured(place=place, actor=actor),
        valid=cl.ValidTime.exact("2024-12-06T12:00Z"),
        reported_at="2024-12-07T00:00Z",
        source=cl.SourceChain.of("reuters"),
    )


def _ledger() -> cl.Ledger:
    ledger = cl.Ledger(registries=syria(), clock=fixed_clock("2024-12-07T12:00Z"))
    ledger.register(cl.Source(id="reuters", name="Reuters", kind="agency"))
    return ledger


def test_an_added_alias_resolves_in_append_and_queries() -> None:
    ledger = _ledger()
    place = ledger.add_aliases("deir-ez-zor", "Deir Zorr", "Dair Zorr")
    actor = ledger.add_aliases("SDF", "QSD")  # the target by a name, not only its id
    record = ledger.append(_claim("DEIR ZORR", "qsd"))
    assert (record.claim.event.place, record.claim.event.actor) == ("deir-ez-zor", "sdf")
    assert place == attrs.evolve(
        syria().places["deir-ez-zor"],
        aliases=(*syria().places["deir-ez-zor"].aliases, "Deir Zorr", "Dair Zorr"),
    )
    assert actor.aliases[-1] == "QSD"
    snap = cl.snapshot(ledger, at="2024-12-07T00:00Z")
    assert snap["Dair Zorr"] == snap["deir-ez-zor"]
    assert snap["deir-ez-zor"].holder == "sdf"
    assert cl.timeline(ledger, "Deir Zorr") == cl.timeline(ledger, "deir-ez-zor")


def test_a_name_the_entry_has_is_skipped_and_nothing_is_stored() -> None:
    ledger = _ledger()
    before = ledger.checkpoint()
    entry = ledger.add_aliases("homs", "HOMS", "homs")
    assert entry == syria().places["homs"]
    assert ledger.checkpoint() == before


def test_an_alias_naming_another_entry_is_refused_with_its_owner() -> None:
    ledger = _ledger()
    before = ledger.checkpoint()
    with pytest.raises(cl.AliasTakenError) as caught:
        ledger.add_aliases("homs", "Emesa city", "Hama")
    assert (caught.value.field, caught.value.value, caught.value.owner) == (
        "aliases",
        "Hama",
        "hama",
    )
    assert "Name 'hama' by it" in str(caught.value)
    assert ledger.checkpoint() == before  # the good name before it was not stored either
    with pytest.raises(cl.UnknownPlaceError):
        ledger.registries.places.id_of("Emesa city")


def test_an_alias_of_an_unknown_entry_is_refused_with_suggestions() -> None:
    ledger = _ledger()
    with pytest.raises(cl.UnknownReferenceError) as caught:
        ledger.add_aliases("deir-ez-zorr", "Deir Zorr")
    assert (caught.value.field, caught.value.name) == ("of", "deir-ez-zorr")
    assert "deir-ez-zor" in caught.value.suggestions
    with pytest.raises(cl.UnknownActorError) as actor:
        ledger.add_aliases("sdff", "QSD", kind="actor")
    assert actor.value.suggestions[0] == "sdf"


@pytest.mark.parametrize("name", ["", "   ", "--"])
def test_an_empty_alias_is_refused(name: str) -> None:
    ledger = _ledger()
    with pytest.raises(cl.InvalidClaimError) as caught:
        ledger.add_aliases("homs", name)
    assert (caught.value.field, caught.value.value) == ("aliases", name)


def test_a_target_in_two_registries_needs_its_kind() -> None:
    ledger = _ledger()
    ledger.register(cl.Actor(id="homs", name="Homs militia", kind="armed_group"))
    with pytest.raises(cl.InvalidClaimError) as caught:
        ledger.add_aliases("homs", "Hims militia")
    assert caught.value.field == "kind"
    assert "'homs' names a place and an actor" in str(caught.value)
    assert "kind='place'" in str(caught.value)
    assert ledger.add_aliases("homs", "Hims militia", kind="actor").aliases == ("Hims militia",)
    with pytest.raises(cl.InvalidClaimError, match="place, actor, source"):
        ledger.add_aliases("homs", "x", kind="city")


def test_register_takes_an_entry_with_aliases_added_but_no_other_change() -> None:
    ledger = _ledger()
    homs = ledger.registries.places["homs"]
    ledger.register(attrs.evolve(homs, aliases=(*homs.aliases, "Hims city")))
    assert ledger.registries.places.id_of("Hims city") == "homs"
    with pytest.raises(cl.InvalidClaimError, match="another entry with this id"):
        ledger.register(attrs.evolve(homs, kind="town"))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_aliases_travel_with_save_and_convert_and_verify(tmp_path: Path, suffix: str) -> None:
    seed = load_seed()
    seed.add_aliases("deir-ez-zor", "Deir Zorr")
    seed.add_aliases("reuters", "Thomson Reuters")
    first = tmp_path / f"first{suffix}"
    cl.save_ledger(seed, first)
    for other in SUFFIXES:  # and on, into every other format
        target = tmp_path / f"second-{other.strip('.').replace('.', '-')}{other}"
        cl.convert(first, target)
        with open_ledger(target) as again:
            assert again.registries.places.id_of("deir zorr") == "deir-ez-zor"
            assert again.registries.sources.id_of("thomson reuters") == "reuters"
            assert again.claims() == seed.claims()
            if other != ".claims.jsonl":
                again.verify()
    if suffix != ".claims.jsonl":
        with open_ledger(first) as again:
            assert again.registries.places.id_of("deir zorr") == "deir-ez-zor"
            again.verify()


def test_a_claims_file_names_its_gazetteer_and_holds_only_the_grown_entry(tmp_path: Path) -> None:
    seed = load_seed()
    seed.add_aliases("deir-ez-zor", "Deir Zorr")
    path = tmp_path / "seed.claims.jsonl"
    cl.save_ledger(seed, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert '"gazetteer":"syria"' in lines[0]
    places = [line for line in lines if line.startswith('{"record":"place"')]
    assert len(places) == 1
    assert "Deir Zorr" in places[0]


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_another_writer_sees_an_alias_added_to_a_store(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"shared{suffix}"
    with open_ledger(path, gazetteer="syria", create=True) as one:
        one.register(cl.Source(id="reuters", name="Reuters", kind="agency"))
    with open_ledger(path) as one, open_ledger(path) as two:
        one.add_aliases("deir-ez-zor", "Deir Zorr")
        assert two.append(_claim("Deir Zorr", "sdf")).claim.event.place == "deir-ez-zor"
        with pytest.raises(cl.AliasTakenError):
            two.add_aliases("raqqa", "Deir Zorr")  # it sees the name taken
        one.verify()


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_a_forged_alias_record_is_caught_against_a_checkpoint(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"ledger{suffix}"
    cl.save_ledger(load_seed(), path)
    with open_ledger(path) as ledger:
        ledger.add_aliases("deir-ez-zor", "Deir Zorr")
        published = ledger.checkpoint()
    claims, values = stored(path)
    assert b"Deir Zorr" in values[-1]
    # the forger moves the alias to Raqqa's entry, re-hashing every record
    forged = [v.replace(b'"Deir Zorr"', b'"Deir Zorrr"') for v in values]
    rewrite(path, claims, forged)
    with open_ledger(path, registries=syria()) as ledger:  # the forger's SQLite lost its meta
        ledger.verify()  # its hashes are sound
        with pytest.raises(cl.ProofError, match="registry values"):
            ledger.verify(checkpoint=published)


def test_an_alias_record_is_a_value_line_of_a_jsonl_store(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    with open_ledger(path, gazetteer="syria", create=True) as ledger:
        ledger.add_aliases("homs", "Hims city")
    store = JsonlStore(path)
    try:
        (value,) = store.values()
    finally:
        store.close()
    assert b'"Hims city"' in value.data
    assert b'"id":"homs"' in value.data


@pytest.mark.parametrize("grown_first", [False, True])
def test_a_claims_file_holding_an_entry_and_its_grown_copy_counts_the_grown_one(
    tmp_path: Path, grown_first: bool
) -> None:
    """A hand-written alias: the gazetteer's entry copied, its aliases list grown."""
    homs = syria().places["homs"]
    grown = attrs.evolve(homs, aliases=(*homs.aliases, "Hims city"))
    path = tmp_path / "hand.claims.jsonl"
    values = [grown, homs] if grown_first else [homs, grown]
    path.write_text(
        "\n".join(
            [
                json.dumps(
                    {"record": "header", "format": FORMAT, "version": 1, "gazetteer": "syria"}
                ),
                *(json.dumps(encode_value(v)) for v in values),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    with open_ledger(path) as ledger:
        assert ledger.registries.places["homs"] == grown


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_re_registering_an_entry_after_its_aliases_grew_is_a_no_op(
    tmp_path: Path, suffix: str
) -> None:
    """A script that registers its places on every run keeps working after an alias."""
    mine = cl.Place(id="masisi", name="Masisi", kind="town")
    path = tmp_path / f"l{suffix}"
    with open_ledger(path, create=True) as ledger:
        ledger.register(mine)
        ledger.add_aliases("masisi", "Masisi-Centre")
    with open_ledger(path) as ledger:
        before = ledger.checkpoint()
        ledger.register(mine)
        assert ledger.registries.places.id_of("Masisi-Centre") == "masisi"
        assert ledger.checkpoint() == before


def test_an_alias_added_to_a_postgres_ledger_is_seen_by_another_connection() -> None:
    from tests import pg

    pg.base_url()
    try:
        url = pg.schema_url(schema=pg.new_schema())
        with open_ledger(url, gazetteer="syria", create=True) as one:
            one.add_aliases("deir-ez-zor", "Deir Zorr")
            published = one.checkpoint()
        with open_ledger(url) as two:
            assert two.registries.places.id_of("Deir Zorr") == "deir-ez-zor"
            assert two.verify(checkpoint=published) == published
    finally:
        pg.drop_schemas()
