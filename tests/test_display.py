"""Readable answers in local time (issue 12, item 5): every display follows ``tz``, names
its zone, shows offsets and true window extents; answer types find their renderers
through the registry, never by importing them."""

from __future__ import annotations

import ast
import datetime as _dt
import re
from pathlib import Path

import pendulum
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger import _display
from conflict_ledger.cli import main
from conflict_ledger.display.render import when_text, window_text
from tests.acceptance import kherson

SRC = Path(cl.__file__).resolve().parent
SEED = str(SRC.parent.parent / "seeds" / "dawn-2024-12-07.claims.jsonl")
DAMASCUS = "Asia/Damascus"
OFFSET = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d ([+-]\d\d:\d\d)")


@pytest.fixture(scope="module")
def ledger() -> cl.Ledger:
    return cl.load_seed()


def _imports(module: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("module", ["asof.py", "_display.py"])
def test_the_answer_types_and_the_registry_never_import_the_displays(module):
    imported = _imports(SRC / module)
    assert not imported & {"conflict_ledger.display.render", "conflict_ledger.display.html"}


def test_every_answer_type_has_a_text_and_an_html_display(ledger):
    at = "2024-12-07T00:00Z"
    snap = cl.snapshot(ledger, at=at)
    answers = [
        snap,
        cl.timeline(ledger, "homs"),
        cl.diff(cl.snapshot(ledger, at="2024-12-01T00:00Z"), snap),
        cl.explain(ledger, "homs", at=at),
    ]
    for answer in answers:
        assert str(answer) == answer.to_text() == answer.to_text(tz="UTC")
        assert answer._repr_html_() == answer.to_html()
        local = answer.to_text(tz=DAMASCUS)
        assert f"times in {DAMASCUS}" in local
        assert set(OFFSET.findall(local)) == {"+03:00"}
        assert set(OFFSET.findall(answer.to_text())) == {"+00:00"}
        assert "+03:00" in answer.to_html(tz=DAMASCUS)


def test_an_unknown_zone_is_a_typed_error_naming_the_field(ledger):
    with pytest.raises(cl.InvalidClaimError) as caught:
        cl.timeline(ledger, "homs").to_text(tz="Asia/Damscus")
    assert (caught.value.field, caught.value.value) == ("tz", "Asia/Damscus")
    assert "Did you mean: Asia/Damascus?" in str(caught.value)
    with pytest.raises(cl.InvalidClaimError, match=r"Did you mean: Europe/Kyiv\?"):
        cl.timeline(ledger, "homs").to_text(tz="kyiv")  # a city for its zone (the trial)


def test_a_renderer_registered_for_a_type_is_what_it_displays_with(ledger):
    line = cl.timeline(ledger, "homs")
    try:
        _display.register(cl.Timeline, "text", lambda answer, *, tz: f"{answer.place} in {tz}")
        assert line.to_text(tz=DAMASCUS) == f"homs in {DAMASCUS}"
    finally:
        from conflict_ledger.display.render import timeline_table

        _display.register(cl.Timeline, "text", timeline_table)
    assert line.to_text().startswith("Timeline of homs")


def test_the_snapshot_explains_its_columns(ledger):
    text = cl.snapshot(ledger, at="2024-12-07T00:00Z").to_text(tz=DAMASCUS)
    assert "aleppo             unknown        not syrian-government" in text
    assert "'not a' = a lost it and no claim says who holds it now" in text
    assert all(f"{column}:" in text for column in ("status", "holder", "since", "claims"))


def test_an_explanation_names_actor_modality_grades_note_and_bound():
    ledger = kherson.EPISODE.ledger()
    at = kherson.EPISODE.at("2022-03-02 14:00")
    why = cl.explain(ledger, "kherson", at=at, known_at=at)
    text = why.to_text(tz="Europe/Kyiv")
    assert why.grades
    assert why.bounds
    for origin, grade in why.grades.items():
        assert f"{origin} reliability {grade.value}" in text
    for counted in (*why.supporting, *why.disputing, *why.context):
        line = f"{counted.id} [{counted.modality.value}] Captured kherson by russia from ukraine"
        assert line in text
        assert counted.note in text
    assert text.count("the fold ends it at its report") == len(why.bounds)


@pytest.mark.parametrize(
    ("window", "tz", "text"),
    [
        (
            cl.ValidTime.days_ending(pendulum.date(2024, 12, 6), days=2, tz=DAMASCUS),
            DAMASCUS,
            "2024-12-05..2024-12-06 (days)",
        ),
        (cl.ValidTime.day(pendulum.date(2024, 12, 6), tz=DAMASCUS), DAMASCUS, "2024-12-06 (day)"),
        (
            cl.ValidTime.day(pendulum.date(2022, 3, 2), tz="Europe/Moscow"),
            "Europe/Kyiv",
            "2022-03-01 23:00 +02:00..2022-03-02 23:00 +02:00 (day)",
        ),
        (
            cl.ValidTime.overnight(pendulum.date(2024, 12, 6), tz=DAMASCUS),
            DAMASCUS,
            "2024-12-05 18:00 +03:00..2024-12-06 06:00 +03:00 (overnight)",
        ),
        (
            cl.ValidTime.part_of_day(pendulum.date(2024, 12, 6), "morning", tz=DAMASCUS),
            DAMASCUS,
            "2024-12-06 06:00..12:00 +03:00 (morning)",
        ),
        (cl.ValidTime.exact("2024-12-06T17:00Z"), DAMASCUS, "2024-12-06 20:00 +03:00"),
    ],
)
def test_a_window_prints_its_true_extent(window, tz, text):
    assert window_text(window, tz) == text


# Damascus and Sao Paulo changed clocks at midnight, so some of their days began at 01:00
# or ran 25 hours.
ZONES = (
    "UTC",
    "Asia/Damascus",
    "Europe/Kyiv",
    "Asia/Yangon",
    "America/New_York",
    "America/Sao_Paulo",
)


@example(last=pendulum.date(2012, 3, 29), days=1, tz="Asia/Damascus")
@example(last=pendulum.date(2012, 3, 30), days=2, tz="Asia/Damascus")
@example(last=pendulum.date(2018, 2, 17), days=1, tz="America/Sao_Paulo")
@given(
    st.dates(min_value=pendulum.date(2000, 1, 1), max_value=pendulum.date(2030, 1, 1)),
    st.integers(min_value=1, max_value=40),
    st.sampled_from(ZONES),
)
def test_whole_local_days_print_as_their_first_and_last_date(last, days, tz):
    window = cl.ValidTime.days_ending(last, days=days, tz=tz)
    first = pendulum.date(last.year, last.month, last.day).subtract(days=days - 1)
    dates = str(last) if days == 1 else f"{first}..{last}"
    assert window_text(window, tz) == f"{dates} ({window.precision.value})"


def run(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_the_cli_prints_in_the_zone_given_by_tz(capsys):
    at = ("--at", "2024-12-06 20:00", "--known-at", "2024-12-07 12:00")
    for command in (
        ("snapshot", SEED, *at),
        ("timeline", SEED, "deir-ez-zor", "--known-at", "2024-12-07 12:00"),
        ("explain", SEED, "homs", *at),
        ("diff", SEED, "--at", "2024-12-05", "--to", "2024-12-08"),
    ):
        local = run(capsys, *command, "--tz", DAMASCUS)
        assert f"times in {DAMASCUS}" in local, command
        assert set(OFFSET.findall(local)) == {"+03:00"}, command
        assert set(OFFSET.findall(run(capsys, *command))) == {"+00:00"}, command


def test_the_cli_reads_and_prints_a_local_time_alike(capsys):
    out = run(capsys, "snapshot", SEED, "--at", "2024-12-06 20:00", "--tz", DAMASCUS)
    assert out.startswith("Territorial snapshot at 2024-12-06 20:00 +03:00")


def test_a_place_no_claim_names_says_so_instead_of_an_empty_table():
    """Asked about a gazetteer place the ledger has no claim on (Damascus in the seed), the
    timeline and the explanation say there is none, rather than print an empty table."""
    seed = cl.load_seed()
    assert cl.timeline(seed, "Damascus").to_text().splitlines()[1:] == [
        "no counted claim names damascus"
    ]
    why = cl.explain(seed, "Damascus", at="2024-12-07T00:00Z").to_text()
    assert why.splitlines()[-1] == "no counted claim names damascus"


# Zones with historical offsets in seconds (Amsterdam's +00:19:32 until 1937, Monrovia's
# -00:44:30), negative ones, half and quarter hours, and jumps over midnight.
EVERY_KIND_OF_ZONE = (
    *ZONES,
    "Europe/Amsterdam",
    "Africa/Monrovia",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
)


def _pendulum_when(instant: pendulum.DateTime, tz: str) -> str:
    # The oracle: the pendulum formatting when_text wrote before it was written directly.
    return instant.in_timezone(tz).format("YYYY-MM-DD HH:mm Z")


@example(naive=_dt.datetime(2012, 3, 29, 22), given_in="UTC", tz="Asia/Damascus")
@example(naive=_dt.datetime(1930, 6, 1, 12), given_in="Asia/Damascus", tz="Europe/Amsterdam")
@example(naive=_dt.datetime(1960, 1, 1), given_in="America/Sao_Paulo", tz="Africa/Monrovia")
@given(
    st.datetimes(min_value=_dt.datetime(1900, 1, 1), max_value=_dt.datetime(2100, 1, 1)),
    st.sampled_from(EVERY_KIND_OF_ZONE),
    st.sampled_from(EVERY_KIND_OF_ZONE),
)
def test_an_instant_prints_as_pendulum_formats_it(naive, given_in, tz):
    instant = pendulum.instance(naive, tz="UTC").in_timezone(given_in)
    assert when_text(instant, tz) == _pendulum_when(instant, tz)


def _pendulum_window(valid: cl.ValidTime, tz: str) -> str:
    # The oracle: window_text as it was written with pendulum's conversions and format.
    if valid.start == valid.end:
        return _pendulum_when(valid.start, tz)
    start, end = valid.start.in_timezone(tz), valid.end.in_timezone(tz)
    label = valid.precision.value

    def first(instant: pendulum.DateTime) -> bool:
        return instant == pendulum.datetime(instant.year, instant.month, instant.day, tz=tz)

    if first(start) and first(end):
        last = end.date() - _dt.timedelta(days=1)
        dates = str(start.date()) if start.date() == last else f"{start.date()}..{last}"
        return f"{dates} ({label})"
    same_offset = start.utcoffset() == end.utcoffset()
    if same_offset and start.date() == end.date():
        return f"{start.format('YYYY-MM-DD HH:mm')}..{end.format('HH:mm Z')} ({label})"
    if same_offset and first(end) and end.date() - _dt.timedelta(days=1) == start.date():
        return f"{start.format('YYYY-MM-DD HH:mm')}..24:00 {start.format('Z')} ({label})"
    return f"{_pendulum_when(valid.start, tz)}..{_pendulum_when(valid.end, tz)} ({label})"


@st.composite
def windows(draw: st.DrawFn) -> cl.ValidTime:
    day = draw(st.dates(min_value=_dt.date(1900, 1, 2), max_value=_dt.date(2099, 12, 30)))
    made_in = draw(st.sampled_from(EVERY_KIND_OF_ZONE))
    kind = draw(st.sampled_from(["days", "part", "overnight", "exact"]))
    if kind == "days":
        return cl.ValidTime.days_ending(day, days=draw(st.integers(1, 9)), tz=made_in)
    if kind == "part":
        part = draw(st.sampled_from(["morning", "afternoon", "evening"]))
        return cl.ValidTime.part_of_day(day, part, tz=made_in)
    if kind == "overnight":
        return cl.ValidTime.overnight(day, tz=made_in)
    hour = draw(st.integers(0, 23))
    return cl.ValidTime.exact(pendulum.datetime(day.year, day.month, day.day, hour, tz=made_in))


@example(cl.ValidTime.days_ending(_dt.date(2012, 3, 30), days=2, tz=DAMASCUS), DAMASCUS)
@given(windows(), st.sampled_from(EVERY_KIND_OF_ZONE))
def test_a_window_prints_as_pendulum_formats_it(window, tz):
    assert window_text(window, tz) == _pendulum_window(window, tz)


def test_a_state_resting_on_many_claims_names_the_first_four_and_counts_the_rest():
    from conflict_ledger.testing.strategies import BASE, registries

    ledger = cl.Ledger(registries=registries(), clock=cl.fixed_clock(BASE))
    ledger.extend(
        cl.Claim(
            id=f"h{day:02d}",
            event=cl.Holds(place="p0", actor="a1"),
            valid=cl.ValidTime.exact(BASE.add(days=day)),
            reported_at=BASE.add(days=day, hours=1),
            source=cl.SourceChain.of("s0"),
        )
        for day in range(12)
    )
    snap = cl.snapshot(ledger, at=BASE.add(days=20))
    rests_on = snap["p0"].claims
    assert len(rests_on) > 5  # the answer keeps every claim
    shown, rest = rests_on[:4], rests_on[4:]
    cell = f"{', '.join(shown)} (+{len(rest)} more)"
    text = snap.to_text()
    assert cell in text
    assert rest[0] not in text
    assert cell in snap.to_html()
