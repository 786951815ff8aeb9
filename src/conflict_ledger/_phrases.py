"""The grammar of the time phrases reports use, read into plain descriptions.

This module only reads text: it turns "the evening of 6 Dec" into the calendar days and
the part of the day it names, against the report's date. :func:`conflict_ledger.time.resolve_phrase`
turns the description into a window in the report's zone.

>>> read("the evening of 6 Dec", reference=pendulum.date(2024, 12, 7))
Phrase(first=Date(2024, 12, 6), last=Date(2024, 12, 6), part='evening', horizon_hours=None, since=False)
>>> read("29/30 Nov", reference=pendulum.date(2024, 12, 7))
Phrase(first=Date(2024, 11, 29), last=Date(2024, 11, 30), part=None, horizon_hours=None, since=False)
>>> read("since Monday", reference=pendulum.date(2024, 12, 7)).since
True
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Literal

import attrs
import pendulum

__all__ = ["EDGES", "EXAMPLES", "PARTS", "Phrase", "read"]

PARTS = ("morning", "afternoon", "evening", "night")
"""The parts of a day a phrase can name ("night" is the night that begins that evening)."""

EDGES = ("early", "late")
"""The ends of a day a phrase can name: "early Monday" (00-06, before the morning) and
"late Monday" (18-24, the evening up to midnight)."""

EXAMPLES = (
    "today",
    "yesterday",
    "tomorrow",
    "on Friday",
    "last Friday",
    "6 Dec",
    "29/30 Nov",
    "6-7 Dec",
    "between 6 and 7 Dec",
    "the evening of 6 Dec",
    "friday morning",
    "this morning",
    "this afternoon",
    "this evening",
    "the night of 29/30 Nov",
    "last night",
    "overnight",
    "tonight",
    "early Monday",
    "late on 26 Jan",
    "since Sunday",
    "in a week",
    "in the past 3 days",
    "over the last month",
    "within the next 24 hours",
)
"""One phrase of each form the resolver knows: the vocabulary its error hint and the docs
list (a test holds all three to the same list)."""

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = r"(?P<{name}>" + "|".join(m[:3] + r"(?:" + m[3:] + r")?" for m in _MONTHS) + r")\.?"
_DAY_RANGE = re.compile(
    r"^(?:between )?(?P<d1>\d{1,2})(?: " + _MONTH.format(name="m1") + r")?"
    r"(?: ?[/\-\u2013] ?| and )(?P<d2>\d{1,2}) " + _MONTH.format(name="m2") + r"$"
)
_ONE_DAY = re.compile(r"^(?P<d>\d{1,2}) " + _MONTH.format(name="m") + r"$")
_NEXT = re.compile(r"^within the next (\d+) (hour|hours|day|days)$")
_PAST = re.compile(r"^(?:in|within|over) (?:a|the past|the last) (week|month)$")
_PAST_DAYS = re.compile(r"^(?:in|within|over) (?:the past|the last) (\d+) days$")
_PART_OF = re.compile(
    r"^(?:in |on |during )?the (?P<part>" + "|".join(PARTS) + r") of (?P<day>.+)$"
)
_DAY_PART = re.compile(r"^(?:on )?(?P<day>.+?) (?P<part>" + "|".join(PARTS) + r")$")
_EDGE = re.compile(r"^(?P<part>" + "|".join(EDGES) + r") (?:on )?(?P<day>.+)$")
_SINCE = re.compile(r"^since (?:the )?(?P<day>.+)$")

Tense = Literal["past", "future"]


@attrs.frozen(kw_only=True)
class Phrase:
    """What a phrase names: the whole days ``first`` to ``last`` (inclusive), or ``part``
    of ``first``; ``horizon_hours`` for "within the next N hours" (from ``first``);
    ``since`` for "since Monday": from the start of ``first`` to the moment of the report
    on ``last``."""

    first: pendulum.Date
    last: pendulum.Date
    part: str | None = None
    horizon_hours: int | None = None
    since: bool = False


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(name[:3]))


def _dated(day: int, month: int, reference: pendulum.Date, tense: Tense) -> pendulum.Date | None:
    """The date ``day month`` nearest the reference on the side ``tense`` points to."""
    for year in (reference.year, reference.year - 1, reference.year + 1):
        try:
            date = pendulum.date(year, month, day)
        except ValueError:  # 29 Feb in a year without one: try the next candidate year
            continue
        if (date <= reference) if tense == "past" else (date >= reference):
            return date
    return None


def _day(text: str, reference: pendulum.Date, tense: Tense) -> pendulum.Date | None:
    """The single day ``text`` names: today, yesterday, tomorrow, a weekday, a date."""
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if text in relative:
        return reference.add(days=relative[text])
    name = text.removeprefix("on ").removeprefix("last ")
    if name in _WEEKDAYS:
        delta = (_WEEKDAYS.index(name) - reference.weekday()) % 7
        if (tense == "past" or text.startswith("last ")) and delta:
            delta -= 7
        return reference.add(days=delta)
    if match := _ONE_DAY.match(name):
        return _dated(int(match["d"]), _month(match["m"]), reference, tense)
    return None


def _days(text: str, reference: pendulum.Date, tense: Tense) -> tuple[pendulum.Date, ...] | None:
    """The first and last of the days ``text`` names ("29/30 Nov", "6-7 Dec", "30 Nov-1 Dec")."""
    match = _DAY_RANGE.match(text.removeprefix("on "))
    if match is None:
        day = _day(text, reference, tense)
        return None if day is None else (day, day)
    last = _dated(int(match["d2"]), _month(match["m2"]), reference, tense)
    if last is None:
        return None
    month = _month(match["m1"]) if match["m1"] else last.month
    year = last.year - (1 if month > last.month else 0)
    try:
        first = pendulum.date(year, month, int(match["d1"]))
    except ValueError:
        return None
    return (first, last) if first <= last else None


def read(phrase: str, *, reference: _dt.date, tense: Tense = "past") -> Phrase | None:
    """What ``phrase`` names against the ``reference`` date; None for a phrase it does not know.

    >>> read("friday evening", reference=pendulum.date(2024, 12, 7)).first
    Date(2024, 12, 6)
    >>> read("the night of 29/30 Nov", reference=pendulum.date(2024, 12, 7)).part
    'night'
    >>> read("sometime soon", reference=pendulum.date(2024, 12, 7)) is None
    True
    """
    text = " ".join(phrase.lower().replace(",", " ").split())
    day = pendulum.date(reference.year, reference.month, reference.day)
    if text in ("overnight", "last night"):
        return Phrase(first=day.subtract(days=1), last=day.subtract(days=1), part="night")
    if text == "tonight":
        return Phrase(first=day, last=day, part="night")
    if match := _PAST.match(text):
        count = 7 if match.group(1) == "week" else 30
        return Phrase(first=day.subtract(days=count - 1), last=day)
    if match := _PAST_DAYS.match(text):
        return Phrase(first=day.subtract(days=int(match.group(1)) - 1), last=day)
    if match := _NEXT.match(text):
        count = int(match.group(1))
        hours = count if match.group(2).startswith("hour") else 24 * count
        return Phrase(first=day, last=day, horizon_hours=hours)
    if match := (_PART_OF.match(text) or _DAY_PART.match(text) or _EDGE.match(text)):
        return _part(match["part"], match["day"], day, tense)
    if match := _SINCE.match(text):
        # "since Monday" looks back whatever the tense: a day from before the report
        since = _day(match["day"], day, "past")
        return None if since is None or since > day else Phrase(first=since, last=day, since=True)
    named = _days(text, day, tense)
    return None if named is None else Phrase(first=named[0], last=named[-1])


def _part(part: str, named: str, reference: pendulum.Date, tense: Tense) -> Phrase | None:
    days = (reference, reference) if named == "this" else _days(named, reference, tense)
    if days is None:
        return None
    first, last = days
    if part == "night" and last == first.add(days=1):
        # "the night of 29/30 Nov": the night between the two days
        return Phrase(first=first, last=first, part=part)
    return Phrase(first=first, last=first, part=part) if first == last else None
