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
from typing import Any, Literal

import attrs
import pendulum

from conflict_ledger import _phrases
from conflict_ledger.errors import InvalidClaimError, InvalidWindowError, NaiveDatetimeError

__all__ = [
    "Instant",
    "Precision",
    "ValidTime",
    "day_start",
    "iso_text",
    "parse_when",
    "resolve_phrase",
    "to_instant",
    "zone",
]

Instant = pendulum.DateTime
"""An aware instant, always normalised to UTC."""

_UTC = pendulum.UTC


def iso_text(value: _dt.datetime) -> str:
    """``value.isoformat()``, written directly for an instant in UTC (how the ledger keeps
    every instant): the same text without calling the zone's ``utcoffset`` in Python,
    about a third of the cost of writing a claim's three instants.

    >>> iso_text(pendulum.datetime(2024, 12, 7, 3, 4, 5, 6, tz="UTC"))
    '2024-12-07T03:04:05.000006+00:00'
    >>> iso_text(pendulum.datetime(2024, 12, 7, tz="Asia/Damascus"))
    '2024-12-07T00:00:00+03:00'
    """
    zone = value.tzinfo
    if zone is not _UTC and zone is not _dt.UTC:
        return value.isoformat()
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    micro = value.microsecond
    return f"{text}.{micro:06d}+00:00" if micro else f"{text}+00:00"


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
        return pendulum.instance(parsed, tz=zone(tz)).in_timezone(_UTC)
    return to_instant(parsed, field=field)


class Precision(enum.Enum):
    """How precisely a report dates an event; each precision fits a range of window widths.

    Calendar units (``day``, ``week``, ``month``, ``year``) fit windows of that length (an
    hour either way, for a change of clocks); ``hours``, ``days``, ``months`` and ``years``
    fit spans of several; the parts of a day (``morning``, ``afternoon``, ``evening``,
    ``overnight``) fit windows inside them. :meth:`fits` says whether a width fits.

    >>> Precision("overnight")
    <Precision.OVERNIGHT: 'overnight'>
    >>> Precision.DAY.fits(pendulum.duration(days=2)), Precision.DAYS.fits(pendulum.duration(days=2))
    (False, True)
    """

    EXACT = "exact"
    MINUTE = "minute"
    HOUR = "hour"
    HOURS = "hours"
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    OVERNIGHT = "overnight"
    DAY = "day"
    DAYS = "days"
    WEEK = "week"
    MONTH = "month"
    MONTHS = "months"
    YEAR = "year"
    YEARS = "years"
    UNKNOWN = "unknown"

    @property
    def widths(self) -> tuple[_dt.timedelta, _dt.timedelta | None]:
        """The narrowest and widest window this precision fits (None: no upper bound).

        >>> Precision.WEEK.widths
        (datetime.timedelta(days=6, seconds=82800), datetime.timedelta(days=7, seconds=3600))
        """
        return _WIDTHS[self]

    def fits(self, width: _dt.timedelta) -> bool:
        """True when a window ``width`` long may carry this precision."""
        low, high = _WIDTHS[self]
        return low <= width and (high is None or width <= high)

    @classmethod
    def fitting(cls, width: _dt.timedelta) -> Precision:
        """The precision a window ``width`` long reads as: a calendar unit when one fits,
        else the span of several.

        >>> [Precision.fitting(pendulum.duration(hours=h)).value for h in (0, 1, 6, 24, 48, 168)]
        ['exact', 'hour', 'hours', 'day', 'days', 'week']
        """
        return next((p for p in _INFERRED if p.fits(width)), Precision.UNKNOWN)


_HOUR = _dt.timedelta(hours=1)
_DAY = _dt.timedelta(days=1)
_ZERO = _dt.timedelta(0)


_ZONES: dict[str, Any] = {}
"""Zones by name, looked up once each (pendulum reads the zone's file at every lookup,
about 0.1 ms)."""


def zone(tz: Any) -> Any:
    """The IANA zone ``tz`` names, looked up once per name; an unknown name is a typed
    error (every ``tz=`` of the library goes through here).

    >>> zone("Asia/Damascus").name
    'Asia/Damascus'
    >>> zone("Mars/Olympus")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidClaimError: tz='Mars/Olympus': not an IANA timezone name. ...
    """
    found = _ZONES.get(tz) if type(tz) is str else None
    if found is not None:
        return found
    if isinstance(tz, _dt.tzinfo):  # a zone already (pendulum's, or a fixed offset)
        return tz
    try:
        found = pendulum.timezone(tz)
    except Exception:
        close = _close_zones(tz) if type(tz) is str else []
        raise InvalidClaimError(
            field="tz",
            value=tz,
            problem="not an IANA timezone name",
            hint=(f"Did you mean: {', '.join(close)}? " if close else "")
            + "Use a name such as 'UTC' or 'Asia/Damascus'.",
        ) from None
    if type(tz) is str and len(_ZONES) < 1024:
        _ZONES[tz] = found
    return found


def _close_zones(name: str) -> list[str]:
    """The IANA zones a mistyped name may mean: those whose city is the name whatever
    its case (``kyiv``: Europe/Kyiv), else the closest names (``Asia/Damascsu``).

    >>> _close_zones("kyiv"), _close_zones("Asia/Damascsu")
    (['Europe/Kyiv'], ['Asia/Damascus'])
    """
    import difflib
    import zoneinfo

    zones = sorted(zoneinfo.available_timezones())
    wanted = name.strip().lower().replace(" ", "_")
    same_city = [z for z in zones if z.rsplit("/", 1)[-1].lower() == wanted]
    if same_city:
        return same_city[:3]
    by_lower = {z.lower(): z for z in zones}
    return [by_lower[z] for z in difflib.get_close_matches(wanted, by_lower, n=3, cutoff=0.85)]


def _calendar_day(value: Any, field: str) -> _dt.date:
    """A calendar day from a date or an ISO date string ("2024-12-06").

    >>> _calendar_day("2024-12-06", "day")
    datetime.date(2024, 12, 6)
    """
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidWindowError(
        field=field,
        value=value,
        problem="not a calendar day",
        hint="Pass a date, e.g. pendulum.date(2024, 12, 6), or '2024-12-06'.",
    )


def day_start(day: _dt.date, tz: str) -> pendulum.DateTime:
    """The first instant of the calendar ``day`` in zone ``tz``.

    Midnight, unless the clocks jump over it: Damascus went from 00:00 to 01:00 on
    30 March 2012, so that day began at 01:00 (+03:00).

    >>> day_start(pendulum.date(2012, 3, 30), "Asia/Damascus").isoformat()
    '2012-03-30T01:00:00+03:00'
    """
    day = _calendar_day(day, "day")
    return pendulum.datetime(day.year, day.month, day.day, tz=zone(tz))


def _about(days: int) -> tuple[_dt.timedelta, _dt.timedelta]:
    """``days`` days, an hour either way (a change of clocks)."""
    return _dt.timedelta(days=days) - _HOUR, _dt.timedelta(days=days) + _HOUR


_WIDTHS: dict[Precision, tuple[_dt.timedelta, _dt.timedelta | None]] = {
    Precision.EXACT: (_ZERO, _ZERO),
    Precision.MINUTE: (_ZERO, _dt.timedelta(minutes=1)),
    Precision.HOUR: (_ZERO, _HOUR),
    Precision.HOURS: (_ZERO, _DAY),
    Precision.MORNING: (_ZERO, 8 * _HOUR),
    Precision.AFTERNOON: (_ZERO, 8 * _HOUR),
    Precision.EVENING: (_ZERO, 8 * _HOUR),
    Precision.OVERNIGHT: (_ZERO, 14 * _HOUR),
    Precision.DAY: _about(1),
    Precision.DAYS: (_DAY + _HOUR, _dt.timedelta(days=28)),
    Precision.WEEK: _about(7),
    Precision.MONTH: (_about(28)[0], _about(31)[1]),
    Precision.MONTHS: (_about(28)[0], _about(366)[1]),
    Precision.YEAR: (_about(365)[0], _about(366)[1]),
    Precision.YEARS: (_about(365)[0], None),
    Precision.UNKNOWN: (_ZERO, None),
}
# The order a width is read in when no precision is given: calendar units first.
_INFERRED = (
    Precision.EXACT,
    Precision.MINUTE,
    Precision.HOUR,
    Precision.DAY,
    Precision.WEEK,
    Precision.MONTH,
    Precision.YEAR,
    Precision.HOURS,
    Precision.DAYS,
    Precision.MONTHS,
    Precision.YEARS,
)


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


def _width(instance: ValidTime) -> _dt.timedelta:
    # The stdlib's subtraction: pendulum's builds an Interval, some 60 times slower, and
    # every window read back from a ledger is measured twice (inferred, then checked).
    return _dt.datetime.__sub__(instance.end, instance.start)


def _inferred(instance: ValidTime) -> Precision:
    return Precision.fitting(_width(instance))


def _precision(value: Any) -> Precision:
    try:
        return Precision(value)
    except ValueError:
        raise InvalidWindowError(
            field="valid.precision",
            value=value,
            problem="not a precision",
            hint="Use one of: " + ", ".join(p.value for p in Precision) + ".",
        ) from None


def _fits_width(instance: ValidTime, attribute: Any, value: Precision) -> None:
    width = _width(instance)
    if not value.fits(width):
        raise InvalidWindowError(
            field="valid.precision",
            value=value.value,
            problem=f"a {value.value} window cannot be {_width_text(width)} wide "
            f"({instance.start.isoformat()} to {instance.end.isoformat()})",
            hint=f"Give precision {Precision.fitting(width).value!r} (or none: it follows the "
            "width), or the window the report gives.",
        )


def _width_text(width: _dt.timedelta) -> str:
    hours = width.total_seconds() / 3600
    return f"{hours / 24:g} days" if hours >= 48 else f"{hours:g} hours"


@attrs.frozen(kw_only=True)
class ValidTime:
    """When an event happened: a window ``[start, end)`` with a precision that fits its width.

    ``start == end`` is an exact instant. Without a precision, the window's width gives
    it (:meth:`Precision.fitting`); a precision that does not fit the width (a ``day``
    two days wide) is refused with :class:`~conflict_ledger.errors.InvalidWindowError`.
    A window read back from a stored record keeps the precision it was stored with
    (:meth:`stored`). An event whose window contains the asked time
    ``t`` with ``start <= t < end`` may or may not have happened yet: snapshots show it
    as uncertain, never as settled.

    >>> w = ValidTime.exact("2024-12-06T12:00+03:00")
    >>> w.start == w.end, w.precision
    (True, <Precision.EXACT: 'exact'>)
    >>> ValidTime(start="2024-12-07T00:00Z", end="2024-12-06T00:00Z")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidWindowError: valid.end='2024-12-06T00:00:00+00:00': the window ends before it starts ...
    >>> ValidTime(start="2024-12-06T00:00Z", end="2024-12-08T00:00Z").precision
    <Precision.DAYS: 'days'>
    >>> ValidTime(start="2024-12-06T00:00Z", end="2024-12-08T00:00Z", precision="day")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidWindowError: valid.precision='day': a day window cannot be 2 days wide ...
    """

    start: pendulum.DateTime = attrs.field(converter=_start)
    end: pendulum.DateTime = attrs.field(converter=_end, validator=_end_not_before_start)
    precision: Precision = attrs.field(
        default=attrs.Factory(_inferred, takes_self=True),
        converter=_precision,
        validator=_fits_width,
    )

    @classmethod
    def stored(cls, *, start: Any, end: Any, precision: Any) -> ValidTime:
        """A window as a record stored it, its precision kept even where it no longer fits.

        Ledgers written before precisions had to fit their width stay readable: the
        fit is checked when a window is made, not when an old one is read back.

        >>> ValidTime.stored(start="2024-12-06T00:00Z", end="2024-12-08T00:00Z", precision="day").precision
        <Precision.DAY: 'day'>
        """
        kept = _precision(precision)
        try:  # the precision still fits (every window written since it had to): one check
            return cls(start=start, end=end, precision=kept)
        except InvalidWindowError:
            pass
        window = cls(start=start, end=end)  # raises if the window itself is wrong
        object.__setattr__(window, "precision", kept)
        return window

    @property
    def width(self) -> _dt.timedelta:
        """How long the window is.

        >>> ValidTime.day(pendulum.date(2024, 12, 6), tz="UTC").width
        datetime.timedelta(days=1)
        """
        return _dt.timedelta(seconds=(self.end - self.start).total_seconds())

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
        day = _calendar_day(day, "day")
        after = pendulum.date(day.year, day.month, day.day).add(days=1)
        return cls(start=day_start(day, tz), end=day_start(after, tz), precision=Precision.DAY)

    @classmethod
    def overnight(cls, morning: _dt.date, *, tz: str) -> ValidTime:
        """The night that ends on the morning of ``morning``: 18:00 the day before to 06:00.

        >>> ValidTime.overnight(pendulum.date(2024, 12, 6), tz="Asia/Beirut").start
        DateTime(2024, 12, 5, 16, 0, 0, tzinfo=Timezone('UTC'))
        """
        morning = _calendar_day(morning, "morning")
        end = pendulum.datetime(morning.year, morning.month, morning.day, 6, tz=zone(tz))
        return cls(start=end.subtract(hours=12), end=end, precision=Precision.OVERNIGHT)

    @classmethod
    def days_ending(cls, last_day: _dt.date, *, days: int, tz: str) -> ValidTime:
        """The ``days`` whole days ending with ``last_day`` ("in a week": ``days=7``).

        The precision follows the width: ``days=1`` is a day, 2 to 6 are ``days``, 7 a
        week, 28 to 31 a month.

        >>> w = ValidTime.days_ending(pendulum.date(2024, 12, 6), days=7, tz="UTC")
        >>> w.start.date(), w.end.date(), w.precision
        (Date(2024, 11, 30), Date(2024, 12, 7), <Precision.WEEK: 'week'>)
        >>> ValidTime.days_ending(pendulum.date(2024, 12, 6), days=2, tz="UTC").precision
        <Precision.DAYS: 'days'>
        """
        last_day = _calendar_day(last_day, "last_day")
        last = pendulum.date(last_day.year, last_day.month, last_day.day)
        return cls.days(last.subtract(days=days - 1), last, tz=tz)

    @classmethod
    def days(cls, first: _dt.date, last: _dt.date, *, tz: str) -> ValidTime:
        """The whole days ``first`` to ``last`` (both included) in zone ``tz``: "29/30 Nov".

        >>> w = ValidTime.days(pendulum.date(2024, 11, 29), pendulum.date(2024, 11, 30), tz="UTC")
        >>> w.end.date(), w.precision
        (Date(2024, 12, 1), <Precision.DAYS: 'days'>)
        """
        first, last = _calendar_day(first, "first"), _calendar_day(last, "last")
        after = pendulum.date(last.year, last.month, last.day).add(days=1)
        return cls(start=day_start(first, tz), end=day_start(after, tz))

    @classmethod
    def part_of_day(cls, day: _dt.date, part: str, *, tz: str) -> ValidTime:
        """A part of ``day`` in zone ``tz``: morning 06-12, afternoon 12-18, evening 18-24,
        night 18:00 to 06:00 the next morning (as :meth:`overnight`); and its ends, early
        00-06 (the small hours before the morning, precision ``overnight``) and late 18-24
        (the evening to midnight, precision ``evening``), so "early Friday", "Friday
        morning" and so on tile the day without overlapping.

        >>> ValidTime.part_of_day(pendulum.date(2024, 12, 6), "evening", tz="Asia/Damascus").start
        DateTime(2024, 12, 6, 15, 0, 0, tzinfo=Timezone('UTC'))
        """
        day = _calendar_day(day, "day")
        if part == "night":
            return cls.overnight(pendulum.date(day.year, day.month, day.day).add(days=1), tz=tz)
        if part not in _PARTS:
            raise InvalidWindowError(
                field="part",
                value=part,
                problem="not a part of the day",
                hint="Use morning, afternoon, evening, night, early or late.",
            )
        first_hour, last_hour, precision = _PARTS[part]
        start, end = _local_hour(day, first_hour, tz), _local_hour(day, last_hour, tz)
        return cls(start=start, end=end, precision=precision)

    @classmethod
    def between(
        cls, start: Any, end: Any, *, precision: Precision | str | None = None
    ) -> ValidTime:
        """Any window, with the precision the report gave (None: the one its width fits).

        >>> ValidTime.between("2015-01-01T00:00Z", "2016-01-01T00:00Z", precision=Precision.YEAR).precision
        <Precision.YEAR: 'year'>
        >>> ValidTime.between("2015-01-01T00:00Z", "2021-01-01T00:00Z").precision
        <Precision.YEARS: 'years'>
        """
        if precision is None:
            return cls(start=start, end=end)
        return cls(start=start, end=end, precision=precision)

    def contains(self, at: pendulum.DateTime) -> bool:
        """True when ``at`` falls inside the window, so the event may not have happened yet.

        >>> ValidTime.day(pendulum.date(2024, 12, 6), tz="UTC").contains(to_instant("2024-12-06T12:00Z"))
        True
        """
        return self.start <= at < self.end


_PARTS = {
    "early": (0, 6, Precision.OVERNIGHT),
    "morning": (6, 12, Precision.MORNING),
    "afternoon": (12, 18, Precision.AFTERNOON),
    "evening": (18, 24, Precision.EVENING),
    "late": (18, 24, Precision.EVENING),
}


def _local_hour(day: _dt.date, hour: int, tz: str) -> pendulum.DateTime:
    """``hour`` o'clock on ``day`` in zone ``tz``; 0 and 24 are the day's first instant and
    the next day's (:func:`day_start`), so a day whose clocks jump at midnight still tiles."""
    if hour in (0, 24):
        return day_start(pendulum.date(day.year, day.month, day.day).add(days=hour // 24), tz)
    return pendulum.datetime(day.year, day.month, day.day, hour, tz=zone(tz))


def _reference(
    reference: _dt.date | _dt.datetime, tz: str
) -> tuple[pendulum.Date, pendulum.DateTime | None]:
    """The report's local date in ``tz``, and its instant when ``reference`` is one."""
    if isinstance(reference, _dt.datetime):
        moment = to_instant(reference, field="reference")
        local = moment.in_timezone(zone(tz))
        return pendulum.date(local.year, local.month, local.day), moment
    return pendulum.date(reference.year, reference.month, reference.day), None


def resolve_phrase(
    phrase: str,
    *,
    reference: _dt.date | _dt.datetime,
    tz: str,
    tense: Literal["past", "future"] = "past",
) -> ValidTime:
    """Resolve a report's time phrase against the report's date and zone.

    ``reference`` is the date of the report (or of the statement) in zone ``tz``, or the
    report's aware instant (its date is then read in ``tz``; a naive datetime is refused).
    ``tense`` says which way a weekday or a date without a year points: "said on
    Friday" (past) or "will meet on Saturday" (future); a weekday equal to the reference
    day is that day itself.

    Understood phrases:

    - a day: ``today``, ``yesterday``, ``tomorrow``, ``on <weekday>``, ``6 Dec``;
    - several days: ``29/30 Nov``, ``6-7 Dec``, ``30 Nov-1 Dec``, ``between 6 and 7 Dec``,
      ``in a week``, ``within the past week``, ``over the last month``, ``in the past 3 days``;
    - a part of a day (morning 06-12, afternoon 12-18, evening 18-24, night 18-06):
      ``this morning``, ``this afternoon``, ``this evening``, ``friday evening``,
      ``yesterday afternoon``, ``the evening of 6 Dec``, ``the night of 29/30 Nov``,
      ``overnight`` and ``last night`` (the night ending on the reference morning),
      ``tonight``;
    - an end of a day: ``early Monday``, ``early on 27 Jan`` (00-06, the small hours before
      the morning; precision ``overnight``), ``late Sunday``, ``late on 26 Jan`` (18-24, the
      evening up to midnight; precision ``evening``); after midnight is "early" the next day;
    - a span up to the report: ``since Sunday``, ``since yesterday``, ``since 26 Jan``, from
      the start of that day to the reference instant (given a date only: to the end of the
      reference day, the latest moment the report can mean); always looking back;
    - a forecast horizon: ``within the next N hours|days`` (from the start of the reference day).

    The window's precision is the one its width fits.

    >>> resolve_phrase("on Saturday", reference=pendulum.date(2024, 12, 7), tz="Asia/Qatar", tense="future").start.date()
    Date(2024, 12, 6)
    >>> resolve_phrase("in a week", reference=pendulum.date(2024, 12, 6), tz="UTC").precision
    <Precision.WEEK: 'week'>
    >>> resolve_phrase("6-7 Dec", reference=pendulum.date(2024, 12, 8), tz="UTC").precision
    <Precision.DAYS: 'days'>
    >>> resolve_phrase("the evening of 6 Dec", reference=pendulum.date(2024, 12, 8), tz="UTC").precision
    <Precision.EVENING: 'evening'>
    >>> resolve_phrase("since Saturday", reference=pendulum.datetime(2025, 1, 27, 9, tz="Africa/Lubumbashi"), tz="Africa/Lubumbashi").end
    DateTime(2025, 1, 27, 7, 0, 0, tzinfo=Timezone('UTC'))
    >>> resolve_phrase("sometime soon", reference=pendulum.date(2024, 12, 6), tz="UTC")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidClaimError: phrase='sometime soon': not a time phrase this resolver knows. ...
    """
    day, moment = _reference(reference, tz)
    read = _phrases.read(phrase, reference=day, tense=tense)
    if read is None:
        raise InvalidClaimError(
            field="phrase",
            value=phrase,
            problem="not a time phrase this resolver knows",
            hint=(
                "Build the window with ValidTime.day/days/part_of_day/overnight/days_ending/"
                "between, or use a phrase like one of: " + ", ".join(_phrases.EXAMPLES) + "."
            ),
        )
    if read.since:
        after = read.last.add(days=1)
        end = moment if moment is not None else day_start(after, tz)
        return ValidTime(start=day_start(read.first, tz), end=end)
    if read.horizon_hours is not None:
        start = pendulum.datetime(read.first.year, read.first.month, read.first.day, tz=zone(tz))
        # "within the next 24 hours", said at an unknown hour of the reference day:
        # the horizon ends at the latest possible moment, 24 hours after the day ends.
        return ValidTime(start=start, end=start.add(days=1, hours=read.horizon_hours))
    if read.part is not None:
        return ValidTime.part_of_day(read.first, read.part, tz=tz)
    if read.first == read.last:
        return ValidTime.day(read.first, tz=tz)
    return ValidTime.days(read.first, read.last, tz=tz)
