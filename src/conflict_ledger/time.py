"""Instants, valid-time windows and the phrases reports use for time.

Every instant in conflict_ledger is a timezone-aware :class:`pendulum.DateTime` in UTC.
Aware datetimes and ISO 8601 strings *with an offset* are converted; a naive datetime
or an offset-less string is refused, because it names no instant.

>>> to_instant("2024-12-06T20:00+03:00")
DateTime(2024, 12, 6, 17, 0, 0, tzinfo=Timezone('UTC'))

A report rarely says exactly when something happened. A :class:`ValidTime` is the
window in which it happened, with the precision the report gave:

>>> friday = resolve_phrase("on Friday", reference=pendulum.date(2024, 12, 7), tz="Asia/Damascus")
>>> friday.precision, friday.start, friday.end
(<Precision.DAY: 'day'>, DateTime(2024, 12, 5, 21, 0, 0, tzinfo=Timezone('UTC')), DateTime(2024, 12, 6, 21, 0, 0, tzinfo=Timezone('UTC')))
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from typing import Any, Literal

import attrs
import pendulum

from conflict_ledger.errors import InvalidClaimError, InvalidWindowError, NaiveDatetimeError

__all__ = [
    "Instant",
    "Precision",
    "ValidTime",
    "parse_when",
    "resolve_phrase",
    "to_instant",
]

Instant = pendulum.DateTime
"""An aware instant, always normalised to UTC."""

_UTC = pendulum.UTC


def to_instant(value: Any, *, field: str = "time") -> pendulum.DateTime:
    """Convert an aware datetime or an ISO 8601 string with an offset to a UTC instant.

    ``field`` names the attribute in the error raised for a naive or unreadable value.

    >>> to_instant(pendulum.datetime(2024, 12, 7, tz="Asia/Karachi"))
    DateTime(2024, 12, 6, 19, 0, 0, tzinfo=Timezone('UTC'))
    >>> to_instant("2024-12-07T00:00")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.NaiveDatetimeError: time='2024-12-07T00:00': a naive datetime has no timezone, ...
    """
    if isinstance(value, pendulum.DateTime) and value.tzinfo is _UTC and not value.fold:
        return value
    original = value
    if isinstance(value, str):
        try:
            parsed = _dt.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidClaimError(
                field=field,
                value=value,
                problem="not an ISO 8601 date-time",
                hint="Write it as e.g. '2024-12-06T20:00:00+03:00'.",
            ) from None
        value = parsed
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(field=field, value=original)
        if type(value.tzinfo) is not _dt.timezone:
            # A zone (not a fixed offset): pendulum decides local times a zone skips or
            # repeats, as it always has.
            converted = pendulum.instance(value).in_timezone(_UTC)
            return converted.replace(fold=0) if converted.fold else converted
        # A fixed offset (every ISO string, every record a store reads) is unambiguous:
        # datetime's own conversion, then the fields, about eight times faster.
        utc = _dt.datetime.astimezone(value, _dt.UTC)
        return pendulum.DateTime(
            utc.year,
            utc.month,
            utc.day,
            utc.hour,
            utc.minute,
            utc.second,
            utc.microsecond,
            tzinfo=_UTC,
        )
    raise InvalidClaimError(
        field=field,
        value=value,
        problem=f"expected an aware datetime or ISO string, got {type(value).__name__}",
        hint="Pass pendulum.datetime(..., tz=...) or an ISO 8601 string with an offset.",
    )


def parse_when(text: str, *, tz: str = "UTC", field: str = "at") -> pendulum.DateTime:
    """Read a user's time: a date-time with an offset, or a date or naive time in ``tz``.

    Unlike :func:`to_instant`, this is for people typing at a command line or in a
    notebook: the zone they mean is given explicitly by ``tz``.

    >>> parse_when("2024-12-07")
    DateTime(2024, 12, 7, 0, 0, 0, tzinfo=Timezone('UTC'))
    >>> parse_when("2024-12-06 20:00", tz="Asia/Damascus")
    DateTime(2024, 12, 6, 17, 0, 0, tzinfo=Timezone('UTC'))
    """
    try:
        parsed = _dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidClaimError(
            field=field,
            value=text,
            problem="not a date or date-time",
            hint="Write e.g. 2024-12-07, '2024-12-06 20:00' or 2024-12-06T20:00+03:00.",
        ) from None
    if parsed.tzinfo is None:
        try:
            zone = pendulum.timezone(tz)
        except Exception:
            raise InvalidClaimError(
                field="tz",
                value=tz,
                problem="not an IANA timezone name",
                hint="Use a name such as 'UTC' or 'Asia/Damascus'.",
            ) from None
        return pendulum.instance(parsed, tz=zone).in_timezone(_UTC)
    return to_instant(parsed, field=field)


class Precision(enum.Enum):
    """How precisely a report dates an event; the window's width follows from it.

    >>> Precision("overnight")
    <Precision.OVERNIGHT: 'overnight'>
    """

    EXACT = "exact"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    OVERNIGHT = "overnight"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


def _start(value: Any) -> pendulum.DateTime:
    return to_instant(value, field="valid.start")


def _end(value: Any) -> pendulum.DateTime:
    return to_instant(value, field="valid.end")


def _end_not_before_start(instance: ValidTime, attribute: Any, value: pendulum.DateTime) -> None:
    if value < instance.start:
        raise InvalidWindowError(
            field="valid.end",
            value=value.isoformat(),
            problem=f"the window ends before it starts ({instance.start.isoformat()})",
            hint="Swap start and end, or widen the window to what the report allows.",
        )


@attrs.frozen(kw_only=True)
class ValidTime:
    """When an event happened: a closed window ``[start, end]`` with a precision.

    ``start == end`` is an exact instant. An event whose window contains the asked time
    ``t`` with ``start <= t < end`` may or may not have happened yet: snapshots show it
    as uncertain, never as settled.

    >>> w = ValidTime.exact("2024-12-06T12:00+03:00")
    >>> w.start == w.end, w.precision
    (True, <Precision.EXACT: 'exact'>)
    >>> ValidTime(start="2024-12-07T00:00Z", end="2024-12-06T00:00Z")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidWindowError: valid.end='2024-12-06T00:00:00+00:00': the window ends before it starts ...
    """

    start: pendulum.DateTime = attrs.field(converter=_start)
    end: pendulum.DateTime = attrs.field(converter=_end, validator=_end_not_before_start)
    precision: Precision = attrs.field(default=Precision.EXACT, converter=Precision)

    @classmethod
    def exact(cls, when: Any) -> ValidTime:
        """A window of one instant.

        >>> ValidTime.exact("2024-12-06T00:00Z").end
        DateTime(2024, 12, 6, 0, 0, 0, tzinfo=Timezone('UTC'))
        """
        instant = to_instant(when, field="valid.start")
        return cls(start=instant, end=instant, precision=Precision.EXACT)

    @classmethod
    def day(cls, day: _dt.date, *, tz: str) -> ValidTime:
        """The whole calendar ``day`` in zone ``tz``.

        >>> ValidTime.day(pendulum.date(2024, 12, 6), tz="Asia/Damascus").start
        DateTime(2024, 12, 5, 21, 0, 0, tzinfo=Timezone('UTC'))
        """
        start = pendulum.datetime(day.year, day.month, day.day, tz=tz)
        return cls(start=start, end=start.add(days=1), precision=Precision.DAY)

    @classmethod
    def overnight(cls, morning: _dt.date, *, tz: str) -> ValidTime:
        """The night that ends on the morning of ``morning``: 18:00 the day before to 06:00.

        >>> ValidTime.overnight(pendulum.date(2024, 12, 6), tz="Asia/Beirut").start
        DateTime(2024, 12, 5, 16, 0, 0, tzinfo=Timezone('UTC'))
        """
        end = pendulum.datetime(morning.year, morning.month, morning.day, 6, tz=tz)
        return cls(start=end.subtract(hours=12), end=end, precision=Precision.OVERNIGHT)

    @classmethod
    def days_ending(cls, last_day: _dt.date, *, days: int, tz: str) -> ValidTime:
        """The ``days`` whole days ending with ``last_day`` ("in a week": ``days=7``).

        >>> w = ValidTime.days_ending(pendulum.date(2024, 12, 6), days=7, tz="UTC")
        >>> w.start.date(), w.end.date(), w.precision
        (Date(2024, 11, 30), Date(2024, 12, 7), <Precision.WEEK: 'week'>)
        """
        end = pendulum.datetime(last_day.year, last_day.month, last_day.day, tz=tz).add(days=1)
        precision = (
            Precision.WEEK if days <= 7 else Precision.MONTH if days <= 31 else Precision.YEAR
        )
        return cls(start=end.subtract(days=days), end=end, precision=precision)

    @classmethod
    def between(cls, start: Any, end: Any, *, precision: Precision) -> ValidTime:
        """Any window, with the precision the report gave.

        >>> ValidTime.between("2015-01-01T00:00Z", "2021-01-01T00:00Z", precision=Precision.YEAR).precision
        <Precision.YEAR: 'year'>
        """
        return cls(start=start, end=end, precision=precision)

    def contains(self, at: pendulum.DateTime) -> bool:
        """True when ``at`` falls inside the window, so the event may not have happened yet.

        >>> ValidTime.day(pendulum.date(2024, 12, 6), tz="UTC").contains(to_instant("2024-12-06T12:00Z"))
        True
        """
        return self.start <= at < self.end


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NEXT = re.compile(r"^within the next (\d+) (hour|hours|day|days)$")
_PAST = re.compile(r"^(?:in|within|over) (?:a|the past|the last) (week|month)$")


def resolve_phrase(
    phrase: str,
    *,
    reference: _dt.date,
    tz: str,
    tense: Literal["past", "future"] = "past",
) -> ValidTime:
    """Resolve a report's relative time phrase against the report's date and zone.

    ``reference`` is the date of the report (or of the statement) in zone ``tz``.
    ``tense`` says which way a weekday points: "said on Friday" (past) or "will meet on
    Saturday" (future); a weekday equal to the reference day is that day itself.

    Understood phrases: ``today``, ``yesterday``, ``tomorrow``, ``on <weekday>``,
    ``overnight`` and ``last night`` (the night ending on the reference morning),
    ``in a week``/``within the past week``/``over the last month``, and
    ``within the next N hours|days`` (a forecast horizon from the start of the reference day).

    >>> resolve_phrase("on Saturday", reference=pendulum.date(2024, 12, 7), tz="Asia/Qatar", tense="future").start.date()
    Date(2024, 12, 6)
    >>> resolve_phrase("in a week", reference=pendulum.date(2024, 12, 6), tz="UTC").precision
    <Precision.WEEK: 'week'>
    >>> resolve_phrase("sometime soon", reference=pendulum.date(2024, 12, 6), tz="UTC")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidClaimError: phrase='sometime soon': not a time phrase this resolver knows. ...
    """
    text = " ".join(phrase.lower().split())
    day = pendulum.date(reference.year, reference.month, reference.day)
    if text == "today":
        return ValidTime.day(day, tz=tz)
    if text == "yesterday":
        return ValidTime.day(day.subtract(days=1), tz=tz)
    if text == "tomorrow":
        return ValidTime.day(day.add(days=1), tz=tz)
    if text in ("overnight", "last night"):
        return ValidTime.overnight(day, tz=tz)
    name = text.removeprefix("on ")
    if name in _WEEKDAYS:
        delta = (_WEEKDAYS.index(name) - day.weekday()) % 7
        if tense == "past" and delta:
            delta -= 7
        return ValidTime.day(day.add(days=delta), tz=tz)
    if match := _PAST.match(text):
        return ValidTime.days_ending(day, days=7 if match.group(1) == "week" else 30, tz=tz)
    if match := _NEXT.match(text):
        count = int(match.group(1))
        start = pendulum.datetime(day.year, day.month, day.day, tz=tz)
        hours = count if match.group(2).startswith("hour") else 24 * count
        # "within the next 24 hours", said at an unknown hour of the reference day:
        # the horizon ends at the latest possible moment, 24 hours after the day ends.
        end = start.add(days=1, hours=hours)
        return ValidTime(start=start, end=end, precision=Precision.DAY)
    raise InvalidClaimError(
        field="phrase",
        value=phrase,
        problem="not a time phrase this resolver knows",
        hint=(
            "Build the window with ValidTime.day/overnight/days_ending/between, or use one of: "
            "today, yesterday, tomorrow, on <weekday>, overnight, in a week, "
            "within the next N hours."
        ),
    )
