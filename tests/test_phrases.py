"""Time phrases a reporter uses for the ends of a day and for spans up to the report
("early Monday", "late on 26 Jan", "since Saturday"), and the laws every phrase keeps."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import (
    InvalidClaimError,
    NaiveDatetimeError,
    Precision,
    ValidTime,
    resolve_phrase,
)
from conflict_ledger._phrases import EXAMPLES
from conflict_ledger.time import day_start

GOMA = "Africa/Lubumbashi"
MONDAY = pendulum.date(2025, 1, 27)  # M23 said early on Monday 27 January it held Goma
DOCS = Path(__file__).resolve().parent.parent / "docs"


def local(text: str, tz: str = GOMA) -> pendulum.DateTime:
    return pendulum.parse(text, tz=tz).in_timezone("UTC")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("phrases", "start", "end", "precision"),
    [
        (("early Monday", "early on 27 Jan", "early today"), "27T00", "27T06", "overnight"),
        (("late Sunday", "late on 26 Jan", "late yesterday"), "26T18", "27T00", "evening"),
        (("since Saturday", "since 25 Jan"), "25T00", "28T00", "days"),
        (("since today", "since Monday"), "27T00", "28T00", "day"),
        (("this morning", "monday morning"), "27T06", "27T12", "morning"),
        (("this afternoon",), "27T12", "27T18", "afternoon"),
        (("last night", "overnight"), "26T18", "27T06", "overnight"),
    ],
)
def test_the_ends_of_a_day_and_spans_since_a_day(phrases, start, end, precision):
    """Said on Monday 27 January 2025 in Goma; times are January days and local hours."""
    window = ValidTime(
        start=local(f"2025-01-{start}:00"), end=local(f"2025-01-{end}:00"), precision=precision
    )
    assert {
        phrase: resolve_phrase(phrase, reference=MONDAY, tz=GOMA) for phrase in phrases
    } == dict.fromkeys(phrases, window)


@pytest.mark.parametrize(
    ("phrase", "start", "precision"),
    [
        ("since Saturday", "2025-01-25T00:00", "days"),
        ("since yesterday", "2025-01-26T00:00", "days"),
        ("since today", "2025-01-27T00:00", "hours"),
    ],
)
def test_since_a_day_runs_to_the_reports_instant_when_given_one(phrase, start, precision):
    report = pendulum.datetime(2025, 1, 27, 9, 30, tz=GOMA)
    window = resolve_phrase(phrase, reference=report, tz=GOMA)
    assert window == ValidTime(start=local(start), end=report, precision=precision)


def test_an_instant_reference_is_read_on_its_local_date():
    """23:30 UTC on Sunday is already Monday in Goma: "early Monday" is that Monday."""
    report = pendulum.datetime(2025, 1, 26, 23, 30, tz="UTC")
    early = resolve_phrase("early today", reference=report, tz=GOMA)
    assert early == resolve_phrase("early Monday", reference=MONDAY, tz=GOMA)
    with pytest.raises(NaiveDatetimeError):
        resolve_phrase("since Sunday", reference=dt.datetime(2025, 1, 27, 9), tz=GOMA)


@pytest.mark.parametrize(
    "phrase", ["since tomorrow", "since 2 Feb 2025", "early", "late", "since", "early 26/27 Jan"]
)
def test_an_end_or_a_since_without_a_past_day_is_no_phrase(phrase):
    with pytest.raises(InvalidClaimError, match="not a time phrase"):
        resolve_phrase(phrase, reference=MONDAY, tz=GOMA)


def test_early_and_late_with_the_parts_tile_a_day_across_a_change_of_clocks():
    """Kyiv's clocks went back at 04:00 on 27 Oct 2024: the day had 25 hours."""
    day, tz = pendulum.date(2024, 10, 27), "Europe/Kyiv"
    parts = [
        ValidTime.part_of_day(day, part, tz=tz)
        for part in ("early", "morning", "afternoon", "late")
    ]
    assert [(a.end == b.start) for a, b in itertools.pairwise(parts)] == [True] * 3
    assert (parts[0].start, parts[-1].end) == (
        ValidTime.day(day, tz=tz).start,
        ValidTime.day(day, tz=tz).end,
    )
    assert parts[0].width == dt.timedelta(hours=7)


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@st.composite
def _day_phrases(draw: st.DrawFn, reference: pendulum.Date) -> str:
    """A way to name one day on or before the reference day."""
    back = draw(st.integers(min_value=0, max_value=300))
    named = reference.subtract(days=back)
    return draw(
        st.sampled_from(
            [
                "today",
                "yesterday",
                draw(st.sampled_from(_WEEKDAYS)),
                f"on {draw(st.sampled_from(_WEEKDAYS))}",
                f"last {draw(st.sampled_from(_WEEKDAYS))}",
                named.format("D MMM"),
                named.format("D MMMM"),
            ]
        )
    )


@st.composite
def _past_phrases(draw: st.DrawFn) -> tuple[str, pendulum.Date]:
    reference = pendulum.date(2020, 1, 1).add(days=draw(st.integers(0, 3000)))
    day = draw(_day_phrases(reference))
    back = reference.subtract(days=draw(st.integers(min_value=1, max_value=20)))
    form = draw(
        st.sampled_from(
            [
                "{day}",
                "early {day}",
                "early on {day}",
                "late {day}",
                "late on {day}",
                "since {day}",
                "{day} morning",
                "{day} afternoon",
                "{day} evening",
                "{day} night",
                "the evening of {day}",
                f"{back.format('D MMM')}-{reference.format('D MMM')}",
                f"{back.format('D MMM')}/{reference.format('D MMM')}",
                "this morning",
                "this afternoon",
                "this evening",
                "last night",
                "overnight",
                "in a week",
                "in the past 5 days",
                "over the last month",
            ]
        )
    )
    return form.format(day=day), reference


ZONES = ["UTC", GOMA, "Asia/Damascus", "Europe/Kyiv", "America/Santiago", "Asia/Kathmandu"]


@given(drawn=_past_phrases(), tz=st.sampled_from(ZONES), hour=st.integers(0, 23))
def test_every_past_phrase_fits_its_precision_and_ends_by_the_report(drawn, tz, hour):
    """The law: a resolved window's precision fits its width, and a past-tense phrase
    ends by the end of the reference day (a night, by 06:00 the next morning); "since"
    ends at the report's instant when given one."""
    phrase, reference = drawn
    window = resolve_phrase(phrase, reference=reference, tz=tz)
    assert window.precision.fits(window.width), (phrase, window)
    assert window.precision is not Precision.UNKNOWN
    day_after = day_start(reference.add(days=1), tz)
    limit = day_after.add(hours=6) if phrase.endswith("night") else day_after
    assert window.start <= window.end <= limit, (phrase, window)
    report = pendulum.datetime(reference.year, reference.month, reference.day, hour, tz=tz)
    at_instant = resolve_phrase(phrase, reference=report, tz=tz)
    if phrase.startswith("since "):
        assert (at_instant.start, at_instant.end) == (window.start, report.in_timezone("UTC"))
        assert at_instant.precision.fits(at_instant.width)
    else:
        assert at_instant == window


def test_the_hint_and_the_docs_list_the_same_phrases_and_each_resolves():
    with pytest.raises(InvalidClaimError) as caught:
        resolve_phrase("soon", reference=MONDAY, tz=GOMA)
    for page in ("howto-record-claims.md", "concepts.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        assert [p for p in EXAMPLES if f"`{p}`" not in text] == [], page
    for phrase in EXAMPLES:
        assert phrase in caught.value.hint
        resolve_phrase(phrase, reference=MONDAY, tz=GOMA)


def test_the_evening_runs_to_midnight_when_the_clocks_go_back_at_midnight():
    """Santiago went from 00:00 back to 23:00 on the night of 6/7 April 2024: that
    evening had seven hours, and ended when 7 April began."""
    tz = "America/Santiago"
    evening = resolve_phrase("the evening of 6 Apr", reference=pendulum.date(2024, 4, 8), tz=tz)
    assert (evening.start, evening.end) == (
        local("2024-04-06T18:00", tz),
        day_start(pendulum.date(2024, 4, 7), tz),
    )
    assert evening.width == dt.timedelta(hours=7)


def test_29_february_without_a_year_is_the_last_one_before_the_report():
    window = resolve_phrase("29 Feb", reference=pendulum.date(2021, 1, 10), tz="UTC")
    assert window == ValidTime.day(pendulum.date(2020, 2, 29), tz="UTC")
