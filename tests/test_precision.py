"""Honest precision (issue 12, item 6): a window's precision fits its width, phrases for
several days and parts of a day resolve, and old ledgers stay readable."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import InvalidWindowError, Precision, ValidTime, resolve_phrase
from conflict_ledger.records import decode_claim, encode_claim
from conflict_ledger.seed import load_seed

SUNDAY = pendulum.date(2024, 12, 8)
TZ = "Asia/Damascus"


def local(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=TZ).in_timezone("UTC")  # type: ignore[union-attr]


def test_two_days_ending_friday_are_days_not_a_week():
    window = ValidTime.days_ending(pendulum.date(2024, 12, 6), days=2, tz=TZ)
    assert (window.start, window.end, window.precision) == (
        local("2024-12-05T00:00"),
        local("2024-12-07T00:00"),
        Precision.DAYS,
    )


@pytest.mark.parametrize(
    ("days", "precision"),
    [(1, "day"), (2, "days"), (6, "days"), (7, "week"), (10, "days"), (30, "month")],
)
def test_days_ending_takes_the_precision_its_width_fits(days, precision):
    window = ValidTime.days_ending(pendulum.date(2024, 12, 6), days=days, tz=TZ)
    assert window.precision is Precision(precision)


@pytest.mark.parametrize(
    ("hours", "precision"),
    [(48, "day"), (1, "day"), (24, "week"), (48, "overnight"), (5, "exact"), (24 * 40, "month")],
)
def test_a_precision_that_does_not_fit_the_width_is_refused(hours, precision):
    start = pendulum.datetime(2024, 12, 1, tz="UTC")
    with pytest.raises(InvalidWindowError) as caught:
        ValidTime(start=start, end=start.add(hours=hours), precision=precision)
    assert caught.value.field == "valid.precision"
    assert caught.value.value == precision
    assert "Give precision" in str(caught.value)


def test_an_unknown_precision_is_a_typed_error_listing_the_valid_ones():
    with pytest.raises(InvalidWindowError, match="days, week"):
        ValidTime(start="2024-12-01T00:00Z", end="2024-12-15T00:00Z", precision="fortnight")


@given(st.integers(min_value=0, max_value=24 * 800))
def test_every_width_has_a_precision_that_fits_it_and_it_is_the_one_inferred(hours):
    start = pendulum.datetime(2024, 1, 1, tz="UTC")
    window = ValidTime(start=start, end=start.add(hours=hours))
    assert window.precision is Precision.fitting(window.width)
    assert window.precision.fits(window.width)
    assert window.precision is not Precision.UNKNOWN


@pytest.mark.parametrize(
    ("day", "hours"), [(pendulum.date(2024, 3, 31), 23), (pendulum.date(2024, 10, 27), 25)]
)
def test_a_calendar_day_fits_day_across_a_change_of_clocks(day, hours):
    window = ValidTime.day(day, tz="Europe/Kyiv")  # Kyiv changed its clocks on both days
    assert (window.width, window.precision) == (dt.timedelta(hours=hours), Precision.DAY)
    week = ValidTime.days_ending(day, days=7, tz="Europe/Kyiv")
    assert (week.width - dt.timedelta(days=7), week.precision) == (
        dt.timedelta(hours=hours - 24),
        Precision.WEEK,
    )


@pytest.mark.parametrize(
    ("phrase", "start", "end", "precision"),
    [
        ("29/30 Nov", "2024-11-29T00:00", "2024-12-01T00:00", "days"),
        ("6-7 Dec", "2024-12-06T00:00", "2024-12-08T00:00", "days"),
        ("between 6 and 7 Dec", "2024-12-06T00:00", "2024-12-08T00:00", "days"),
        ("30 Nov-1 Dec", "2024-11-30T00:00", "2024-12-02T00:00", "days"),
        ("6 December", "2024-12-06T00:00", "2024-12-07T00:00", "day"),
        ("the evening of 6 Dec", "2024-12-06T18:00", "2024-12-07T00:00", "evening"),
        ("the morning of Friday", "2024-12-06T06:00", "2024-12-06T12:00", "morning"),
        ("saturday afternoon", "2024-12-07T12:00", "2024-12-07T18:00", "afternoon"),
        ("this evening", "2024-12-08T18:00", "2024-12-09T00:00", "evening"),
        ("the night of 29/30 Nov", "2024-11-29T18:00", "2024-11-30T06:00", "overnight"),
        ("last night", "2024-12-07T18:00", "2024-12-08T06:00", "overnight"),
        ("in the past 3 days", "2024-12-06T00:00", "2024-12-09T00:00", "days"),
        ("within the next 24 hours", "2024-12-08T00:00", "2024-12-10T00:00", "days"),
    ],
)
def test_phrases_for_several_days_and_parts_of_a_day(phrase, start, end, precision):
    window = resolve_phrase(phrase, reference=SUNDAY, tz=TZ)
    assert window == ValidTime(start=local(start), end=local(end), precision=precision)


def test_a_date_without_a_year_is_the_last_one_before_the_report():
    window = resolve_phrase("30/31 Dec", reference=pendulum.date(2025, 1, 2), tz="UTC")
    assert window.start == pendulum.datetime(2024, 12, 30, tz="UTC")
    planned = resolve_phrase(
        "2 Jan", reference=pendulum.date(2024, 12, 30), tz="UTC", tense="future"
    )
    assert planned.start == pendulum.datetime(2025, 1, 2, tz="UTC")


@pytest.mark.parametrize("phrase", ["31/32 Dec", "7-6 Dec", "the evening of 6-8 Dec", "30 Feb"])
def test_a_phrase_naming_no_real_days_is_refused(phrase):
    with pytest.raises(ValueError, match="not a time phrase"):
        resolve_phrase(phrase, reference=SUNDAY, tz=TZ)


def test_a_stored_precision_that_no_longer_fits_is_read_as_stored():
    """A ledger written before precisions had to fit keeps reading: its 48-hour 'day'."""
    claim = load_seed().claim("dawn-2024-12-07/c08")
    record = encode_claim(claim)
    record["valid"]["precision"] = "day"  # as the seed stored it before version 0.2
    old = decode_claim(record)
    assert (old.valid.precision, old.valid.width) == (Precision.DAY, dt.timedelta(days=2))
    with pytest.raises(InvalidWindowError):
        ValidTime(start=old.valid.start, end=old.valid.end, precision=old.valid.precision)


@given(
    start=st.integers(min_value=0, max_value=10**6),
    width=st.sampled_from([0, 1, 60, 3600, 6 * 3600, 86_400, 2 * 86_400, 7 * 86_400, 31 * 86_400]),
    precision=st.sampled_from(list(Precision)),
)
def test_a_stored_window_keeps_its_bounds_and_precision_whether_or_not_it_fits(
    start, width, precision
):
    begin = pendulum.datetime(2024, 1, 1, tz="UTC").add(minutes=start)
    end = begin.add(seconds=width)
    window = ValidTime.stored(start=begin, end=end, precision=precision.value)
    assert (window.start, window.end, window.precision) == (begin, end, precision)
    assert window == ValidTime.stored(
        start=begin.isoformat(), end=end.isoformat(), precision=precision
    )


def test_a_stored_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidWindowError) as caught:
        ValidTime.stored(start="2024-12-07T00:00Z", end="2024-12-06T00:00Z", precision="day")
    assert caught.value.field == "valid.end"


def test_the_seed_horizon_is_two_days_wide_and_says_so():
    horizon = load_seed().claim("dawn-2024-12-07/c08").valid
    assert (horizon.width, horizon.precision) == (dt.timedelta(days=2), Precision.DAYS)


def test_a_part_of_the_day_it_does_not_know_is_refused():
    with pytest.raises(InvalidWindowError) as caught:
        ValidTime.part_of_day(pendulum.date(2024, 12, 6), "dusk", tz=TZ)
    assert (caught.value.field, caught.value.value) == ("part", "dusk")


@pytest.mark.parametrize("phrase", ["this", "the dusk of friday", "friday dusk"])
def test_half_a_phrase_is_no_phrase(phrase):
    with pytest.raises(ValueError, match="not a time phrase"):
        resolve_phrase(phrase, reference=SUNDAY, tz=TZ)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=360),
    st.sampled_from(
        [
            "{d1}/{d2} {m2}",
            "{d1}-{d2} {m2}",
            "{d1} {m1}-{d2} {m2}",
            "between {d1} {m1} and {d2} {m2}",
        ]
    ),
)
def test_a_range_of_dates_resolves_to_those_whole_days(first, span, later, form):
    """Against the oracle ValidTime.days: the days named, the latest before the report."""
    last = first + dt.timedelta(days=span)
    if "{m1}" not in form and first.month != last.month:
        form = "{d1} {m1}-{d2} {m2}"  # "30/1 Dec" names no range
    phrase = form.format(d1=first.day, d2=last.day, m1=first.strftime("%b"), m2=last.strftime("%B"))
    reference = last + dt.timedelta(days=later)
    assert resolve_phrase(phrase, reference=reference, tz=TZ) == ValidTime.days(first, last, tz=TZ)
