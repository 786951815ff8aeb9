"""Instants, windows and relative phrases."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_ledger import (
    InvalidClaimError,
    InvalidWindowError,
    NaiveDatetimeError,
    Precision,
    ValidTime,
    parse_when,
    resolve_phrase,
    to_instant,
)

SATURDAY = pendulum.date(2024, 12, 7)


def test_aware_values_become_the_same_utc_instant():
    expected = pendulum.datetime(2024, 12, 6, 17, tz="UTC")
    for value in (
        "2024-12-06T20:00:00+03:00",
        "2024-12-06T17:00Z",
        dt.datetime(2024, 12, 6, 20, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        pendulum.datetime(2024, 12, 6, 20, tz="Asia/Damascus"),
    ):
        converted = to_instant(value)
        assert converted == expected
        assert converted.tzinfo is pendulum.UTC


@pytest.mark.parametrize("naive", ["2024-12-06T20:00", dt.datetime(2024, 12, 6, 20)])
def test_a_naive_datetime_is_refused_naming_the_field(naive):
    with pytest.raises(NaiveDatetimeError) as caught:
        to_instant(naive, field="reported_at")
    assert caught.value.field == "reported_at"
    assert caught.value.value == naive
    assert "offset" in str(caught.value)


@pytest.mark.parametrize("junk", ["yesterday-ish", 42, None])
def test_a_value_that_is_no_time_is_refused(junk):
    with pytest.raises(InvalidClaimError):
        to_instant(junk)


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidWindowError) as caught:
        ValidTime(start="2024-12-07T00:00Z", end="2024-12-06T00:00Z")
    assert caught.value.field == "valid.end"


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=500))
def test_a_window_contains_exactly_the_instants_from_its_start_until_its_end(start, width):
    base = pendulum.datetime(2024, 1, 1, tz="UTC")
    window = ValidTime(start=base.add(hours=start), end=base.add(hours=start + width))
    for offset in (-1, 0, width - 1, width, width + 1):
        at = base.add(hours=start + offset)
        assert window.contains(at) is (0 <= offset < width)


def test_on_friday_in_a_saturday_paper_is_the_day_before():
    friday = resolve_phrase("on Friday", reference=SATURDAY, tz="Asia/Damascus")
    assert friday == ValidTime(
        start=pendulum.datetime(2024, 12, 6, tz="Asia/Damascus"),
        end=pendulum.datetime(2024, 12, 7, tz="Asia/Damascus"),
        precision=Precision.DAY,
    )


def test_a_weekday_in_the_future_tense_points_forward_and_today_is_today():
    saturday = resolve_phrase("on Saturday", reference=SATURDAY, tz="Asia/Qatar", tense="future")
    assert saturday.start == pendulum.datetime(2024, 12, 7, tz="Asia/Qatar")
    monday = resolve_phrase("Monday", reference=SATURDAY, tz="UTC", tense="future")
    assert monday.start.date() == pendulum.date(2024, 12, 9)
    assert resolve_phrase("today", reference=SATURDAY, tz="UTC").start.date() == SATURDAY


def test_overnight_is_the_night_ending_on_the_reference_morning():
    night = resolve_phrase("overnight", reference=pendulum.date(2024, 12, 6), tz="Asia/Beirut")
    assert (night.start, night.end, night.precision) == (
        pendulum.datetime(2024, 12, 5, 18, tz="Asia/Beirut"),
        pendulum.datetime(2024, 12, 6, 6, tz="Asia/Beirut"),
        Precision.OVERNIGHT,
    )


def test_in_a_week_is_the_seven_days_ending_with_the_reference_day():
    week = resolve_phrase("in a week", reference=pendulum.date(2024, 12, 6), tz="UTC")
    assert (week.start.date(), week.end.date()) == (
        pendulum.date(2024, 11, 30),
        pendulum.date(2024, 12, 7),
    )


def test_a_24_hour_horizon_runs_to_the_latest_moment_it_could_mean():
    horizon = resolve_phrase(
        "within the next 24 hours", reference=pendulum.date(2024, 12, 6), tz="UTC"
    )
    assert (horizon.start, horizon.end) == (
        pendulum.datetime(2024, 12, 6, tz="UTC"),
        pendulum.datetime(2024, 12, 8, tz="UTC"),
    )


def test_an_unknown_phrase_says_which_phrases_are_known():
    with pytest.raises(InvalidClaimError, match="on Friday, last Friday"):
        resolve_phrase("soon", reference=SATURDAY, tz="UTC")


def test_parse_when_reads_dates_and_local_times_in_the_zone_given():
    assert parse_when("2024-12-07") == pendulum.datetime(2024, 12, 7, tz="UTC")
    assert parse_when("2024-12-06 20:00", tz="Asia/Damascus") == pendulum.datetime(
        2024, 12, 6, 17, tz="UTC"
    )
    assert parse_when("2024-12-06T20:00+01:00", tz="Asia/Damascus").hour == 19
    with pytest.raises(InvalidClaimError, match="tz"):
        parse_when("2024-12-06", tz="Mars/Olympus")
    with pytest.raises(InvalidClaimError, match="--at"):
        parse_when("6 Dec", field="--at")


@given(
    st.datetimes(
        min_value=dt.datetime(1990, 1, 1),
        max_value=dt.datetime(2040, 1, 1),
        timezones=st.sampled_from(
            [
                pendulum.timezone(z)
                for z in (
                    "UTC",
                    "Asia/Damascus",
                    "Europe/London",
                    "America/New_York",
                    "Asia/Kathmandu",
                )
            ]
        ),
    )
)
def test_to_instant_is_pendulums_own_conversion_to_utc(value):
    expected = pendulum.instance(value).in_timezone("UTC")
    fixed = expected.isoformat()  # the same instant, written with its offset
    for given_as in (value, pendulum.instance(value), fixed, dt.datetime.fromisoformat(fixed)):
        converted = to_instant(given_as)
        assert converted == expected
        assert (converted.tzinfo, converted.fold) == (pendulum.UTC, 0)
        assert converted.isoformat() == expected.isoformat()


def test_a_day_may_be_written_as_an_iso_date_and_a_wrong_one_is_a_typed_error() -> None:
    from conflict_ledger.errors import InvalidClaimError, InvalidWindowError

    assert ValidTime.day("2024-12-06", tz="Asia/Damascus") == ValidTime.day(
        pendulum.date(2024, 12, 6), tz="Asia/Damascus"
    )
    assert ValidTime.days("2024-11-29", "2024-11-30", tz="UTC").precision is Precision.DAYS
    with pytest.raises(InvalidWindowError) as error:
        ValidTime.day("6 Dec", tz="UTC")
    assert (error.value.field, error.value.value) == ("day", "6 Dec")
    for make in (
        lambda: ValidTime.day(pendulum.date(2024, 12, 6), tz="Mars/Olympus"),
        lambda: ValidTime.part_of_day(pendulum.date(2024, 12, 6), "morning", tz="Mars/Olympus"),
        lambda: ValidTime.overnight(pendulum.date(2024, 12, 6), tz="Mars/Olympus"),
    ):
        with pytest.raises(InvalidClaimError) as error:
            make()
        assert (error.value.field, error.value.value) == ("tz", "Mars/Olympus")
