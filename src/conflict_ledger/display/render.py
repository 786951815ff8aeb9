"""Plain-text renderings of snapshots, timelines, diffs and explanations for terminals.

Every time prints in one zone (``tz``, an IANA name; default UTC) with its offset, and
the header names the zone. A window prints its true extent: whole local days as dates
(both included), anything else as ``start..end``, with its precision.

>>> from conflict_ledger import load_seed, snapshot
>>> print(snapshot(load_seed(), at="2024-12-07T00:00Z").to_text(tz="Asia/Damascus"))
Territorial snapshot at 2024-12-07 03:00 +03:00, as known now (all records); times in Asia/Damascus
place              status         holder                 since                             claims                                    detail
albukamal          under_advance  -                      -                                 dawn-2024-12-07/c07                       advance by sdf
aleppo             unknown        not syrian-government  2024-11-30..2024-12-06 (week)     dawn-2024-12-07/c05
deir-ez-zor        held           sdf                    2024-12-06 (day)                  dawn-2024-12-07/c04
eastern-syria      unknown        -                      -                                 dawn-2024-12-07/c13                       presence: islamic-state
hama               unknown        not syrian-government  2024-11-30..2024-12-06 (week)     dawn-2024-12-07/c06
hmeimim-air-base   held           russia                 2024-12-06 (day)                  dawn-2024-12-07/c16
homs               under_advance  syrian-government      2024-12-06 (day)                  dawn-2024-12-07/c02, dawn-2024-12-07/c03  advance by opposition
jaber-nassib       under_attack   -                      -                                 dawn-2024-12-07/c10, dawn-2024-12-07/c11  attacked by unidentified-armed-groups; crossing closed
syria              unknown        -                      -                                 dawn-2024-12-07/c09                       presence: syrian-government
tartus-naval-base  held           russia                 2024-12-06 (day)                  dawn-2024-12-07/c15
<BLANKLINE>
status: held = settled; changing = a change whose window is still open; contested = the sides disagree;
  under_attack / under_advance = fighting reported, no change yet; unknown = no claim settles who holds it.
holder: 'a -> b' = changing from a to b; 'a vs b' = the sides of a contest;
  'not a' = a lost it and no claim says who holds it now.
since: the window of the claim the state rests on (dates: whole days in Asia/Damascus, both included).
claims: the claims the state rests on (cut after 4; the answer itself and --format json hold them all);
  explain (cl.explain) says why, claim by claim.
"""

from __future__ import annotations

import datetime as _dt
import functools
import zoneinfo
from collections.abc import Mapping, Sequence

import pendulum

from conflict_ledger._display import register, zone
from conflict_ledger.asof import Excluded, Explanation, Snapshot, SnapshotDiff, Timeline
from conflict_ledger.claims import Claim
from conflict_ledger.grades import Reliability
from conflict_ledger.rules.territory import PlaceState, Status
from conflict_ledger.time import ValidTime, day_start
from conflict_ledger.time import zone as local_zone

__all__ = [
    "about_text",
    "claim_lines",
    "detail_text",
    "diff_table",
    "explanation_text",
    "snapshot_table",
    "timeline_table",
    "when_text",
    "window_text",
]


def when_text(instant: pendulum.DateTime | None, tz: str = "UTC") -> str:
    """An instant in zone ``tz`` as ``YYYY-MM-DD HH:mm +HH:MM`` (pendulum's ``format``
    of that pattern, written directly: a table of every place prints tens of thousands).

    >>> when_text(pendulum.datetime(2024, 12, 6, 17, tz="UTC"), "Asia/Damascus"), when_text(None)
    ('2024-12-06 20:00 +03:00', '-')
    """
    if instant is None:
        return "-"
    local = _local(instant, tz)
    return f"{_date_text(local)} {_clock_text(local)} {_offset_text(local)}"


def _local(instant: _dt.datetime, tz: str) -> _dt.datetime:
    """``instant`` in zone ``tz`` as a plain :class:`datetime.datetime`, for its fields.

    Converted by the standard library alone, with its own :class:`zoneinfo.ZoneInfo` (the
    same tz database): a pendulum instant would do its own arithmetic inside the standard
    conversion, an hour off across a jump of the clocks (Damascus, 30 March 2012).
    """
    offset = instant.utcoffset() or _ZERO
    plain = _dt.datetime(
        instant.year,
        instant.month,
        instant.day,
        instant.hour,
        instant.minute,
        instant.second,
        instant.microsecond,
        tzinfo=_UTC if offset == _ZERO else _dt.timezone(offset),
    )
    if tz == "UTC" and offset == _ZERO:
        return plain  # the library's instants are UTC: most tables print in UTC
    local_zone(tz)  # a typed error for an unknown name
    return plain.astimezone(zoneinfo.ZoneInfo(tz))


_ZERO = _dt.timedelta()
_UTC = _dt.UTC


def _date_text(local: _dt.datetime) -> str:
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d}"


def _clock_text(local: _dt.datetime) -> str:
    return f"{local.hour:02d}:{local.minute:02d}"


def _offset_text(local: _dt.datetime) -> str:
    """The zone's offset as ``+HH:MM``, whole minutes towards zero (as pendulum's ``Z``)."""
    offset = local.utcoffset() or _dt.timedelta()
    minutes = int(offset.total_seconds() / 60)
    hour, minute = divmod(abs(minutes), 60)
    return f"{'+' if minutes >= 0 else '-'}{hour:02d}:{minute:02d}"


def _day_starts(local: _dt.datetime, tz: str) -> bool:
    """Whether ``local`` (an instant in zone ``tz``) is the first instant of its local day."""
    return local == _first_instant(local.date(), tz)


@functools.lru_cache(maxsize=4096)
def _first_instant(day: _dt.date, tz: str) -> _dt.datetime:
    # A table's windows fall on a few thousand days at most: each day's start is made once.
    return day_start(day, tz)


def window_text(valid: ValidTime | None, tz: str = "UTC") -> str:
    """A valid window as its true extent in zone ``tz``, with its precision.

    Whole local days print as dates, both included (one date for one day); a window
    inside one day prints its hours; any other as ``start..end``.

    >>> window_text(ValidTime.day(pendulum.date(2024, 12, 6), tz="Asia/Damascus"), "Asia/Damascus")
    '2024-12-06 (day)'
    >>> window_text(ValidTime.days_ending(pendulum.date(2024, 12, 6), days=2, tz="UTC"))
    '2024-12-05..2024-12-06 (days)'
    >>> window_text(ValidTime.part_of_day(pendulum.date(2024, 12, 6), "evening", tz="UTC"))
    '2024-12-06 18:00..24:00 +00:00 (evening)'
    >>> window_text(ValidTime.day(pendulum.date(2024, 12, 6), tz="Asia/Damascus"))
    '2024-12-05 21:00 +00:00..2024-12-06 21:00 +00:00 (day)'
    """
    if valid is None:
        return "-"
    if valid.start == valid.end:
        return when_text(valid.start, tz)
    start, end = _local(valid.start, tz), _local(valid.end, tz)
    label = valid.precision.value
    if _day_starts(start, tz) and _day_starts(end, tz):
        first, last = start.date(), end.date() - _dt.timedelta(days=1)
        dates = first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
        return f"{dates} ({label})"
    same_offset = start.utcoffset() == end.utcoffset()
    if same_offset and start.date() == end.date():
        return (
            f"{_date_text(start)} {_clock_text(start)}..{_clock_text(end)} "
            f"{_offset_text(end)} ({label})"
        )
    if same_offset and _day_starts(end, tz) and end.date() - _dt.timedelta(days=1) == start.date():
        return f"{_date_text(start)} {_clock_text(start)}..24:00 {_offset_text(start)} ({label})"
    return f"{when_text(valid.start, tz)}..{when_text(valid.end, tz)} ({label})"


def _holder(state: PlaceState) -> str:
    if state.status is Status.CONTESTED:
        if len(state.contenders) == 1:
            return f"{state.contenders[0]} (disputed)"
        return " vs ".join(state.contenders)
    if state.status is Status.CHANGING:
        return f"{state.previous or '?'} -> {state.holder or '?'}"
    if state.holder is None and state.previous is not None:
        return f"not {state.previous}"
    return state.holder or "-"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
    return "\n".join(lines)


CLAIMS_SHOWN = 4
"""How many of the claims a state rests on a table's cell names (``--format json`` and
``explain`` list them all): a place held for years rests on thousands of confirmations."""


def claims_text(claims: Sequence[str], shown: int = CLAIMS_SHOWN) -> str:
    """The claims a state rests on, for a table's cell: the first ``shown``, then how many
    more there are.

    >>> claims_text(("c1", "c2")), claims_text(())
    ('c1, c2', '-')
    >>> claims_text(("c1", "c2", "c3", "c4", "c5", "c6"))
    'c1, c2, c3, c4 (+2 more)'
    """
    if len(claims) <= shown:
        return ", ".join(claims) or "-"
    return f"{', '.join(claims[:shown])} (+{len(claims) - shown:,} more)"


def detail_text(state: PlaceState) -> str:
    """What else a state says: attackers, advances, presences, crossing access, disputes.

    >>> from conflict_ledger.rules.territory import Status
    >>> detail_text(PlaceState(place="homs", status=Status.UNDER_ADVANCE, advancing=("opposition",)))
    'advance by opposition'
    """
    parts = []
    if state.attackers:
        parts.append("attacked by " + ", ".join(state.attackers))
    if state.advancing:
        parts.append("advance by " + ", ".join(state.advancing))
    if state.presence:
        parts.append("presence: " + ", ".join(state.presence))
    if state.access is not None:
        parts.append(f"crossing {state.access.value}")
    if state.disputes:
        parts.append("disputed by " + ", ".join(state.disputes))
    return "; ".join(parts)


def _known(known_at: pendulum.DateTime | None, position: int | None, tz: str) -> str:
    known = "as known now" if known_at is None else f"as known at {when_text(known_at, tz)}"
    cut = "all records" if position is None else f"first {position} records"
    return f"{known} ({cut})"


def _legend(tz: str) -> str:
    return (
        "status: held = settled; changing = a change whose window is still open; "
        "contested = the sides disagree;\n"
        "  under_attack / under_advance = fighting reported, no change yet; "
        "unknown = no claim settles who holds it.\n"
        "holder: 'a -> b' = changing from a to b; 'a vs b' = the sides of a contest;\n"
        "  'not a' = a lost it and no claim says who holds it now.\n"
        f"since: the window of the claim the state rests on (dates: whole days in {tz}, "
        "both included).\n"
        f"claims: the claims the state rests on (cut after {CLAIMS_SHOWN}; the answer itself "
        "and --format json hold them all);\n  explain (cl.explain) says why, claim by claim."
    )


def snapshot_table(snap: Snapshot, *, tz: str | None = None, legend: bool = True) -> str:
    """A snapshot as a fixed-width table, one place a line, its times in zone ``tz``
    (None: UTC), then a legend of its columns (``legend=False``: none)."""
    tz = zone(tz)
    rows = [
        [
            s.place,
            s.status.value,
            _holder(s),
            window_text(s.since, tz),
            claims_text(s.claims),
            detail_text(s),
        ]
        for s in snap
    ]
    title = (
        f"Territorial snapshot at {when_text(snap.at, tz)}, "
        f"{_known(snap.known_at, snap.position, tz)}; times in {tz}"
    )
    if not rows:  # an empty table would look like an answer
        return (
            f"{title}\nno place: no claim counts at this time"
            + (", as known then (a claim reported later is left out)" if snap.known_at else "")
            + (", among the records counted" if snap.position is not None else "")
        )
    body = _table(["place", "status", "holder", "since", "claims", "detail"], rows)
    return f"{title}\n{body}" + (f"\n\n{_legend(tz)}" if legend else "")


def timeline_table(line: Timeline, *, tz: str | None = None) -> str:
    """A place's timeline as a table of periods, its times in zone ``tz`` (None: UTC).

    >>> from conflict_ledger import load_seed, timeline
    >>> print(timeline_table(timeline(load_seed(), "deir-ez-zor"), tz="Asia/Damascus"))
    Timeline of deir-ez-zor, as known now; times in Asia/Damascus
    from                    until                   status    holder                    claims               detail
    2024-12-06 00:00 +03:00  2024-12-06 22:00 +03:00  changing  syrian-government -> sdf  dawn-2024-12-07/c04
    2024-12-06 22:00 +03:00  ...                     held      sdf                       dawn-2024-12-07/c04
    """
    tz = zone(tz)
    rows = [
        [
            when_text(e.start, tz),
            when_text(e.end, tz) if e.end else "...",
            e.state.status.value,
            _holder(e.state),
            claims_text(e.state.claims),
            detail_text(e.state),
        ]
        for e in line
    ]
    known = (
        "as known now" if line.known_at is None else f"as known at {when_text(line.known_at, tz)}"
    )
    title = f"Timeline of {line.place}, {known}; times in {tz}"
    context = line.context
    if not rows and not context:
        return f"{title}\nno counted claim names {line.place}"
    table = _table(["from", "until", "status", "holder", "claims", "detail"], rows)
    if not context:
        return f"{title}\n{table}"
    events = [  # dataset events at the place (ACLED clashes, UCDP GED): they move no holder
        f"  {when_text(c.valid.start, tz)}  {c.id}  {getattr(c.event, 'event_type', c.event.kind)}"
        f"{f', {deaths} deaths' if (deaths := getattr(c.event, 'fatalities', None)) else ''}"
        for c in context
    ]
    return f"{title}\n{table}\nContext (events that move no holder):\n" + "\n".join(events)


def diff_table(change: SnapshotDiff, *, tz: str | None = None) -> str:
    """What changed between two snapshots, their times in zone ``tz`` (None: UTC): each
    place's status and holder before and after, and what else of its situation changed
    (a place can change its attackers or previous holder and keep status and holder)."""
    tz = zone(tz)
    rows = []
    for c in change:
        before = "-" if c.before is None else f"{c.before.status.value}: {_holder(c.before)}"
        after = "-" if c.after is None else f"{c.after.status.value}: {_holder(c.after)}"
        rows.append([c.place, before, after, also_changed(c.before, c.after)])
    b, a = change.before, change.after
    title = (
        f"Changes from {when_text(b.at, tz)} ({_known(b.known_at, b.position, tz)}) "
        f"to {when_text(a.at, tz)} ({_known(a.known_at, a.position, tz)}); times in {tz}"
    )
    if not rows:
        return f"{title}\nno place changed"
    return f"{title}\n" + _table(["place", "before", "after", "also changed"], rows)


_ALSO = ("previous", "contenders", "attackers", "advancing", "presence", "access")
"""The parts of a place's situation (``PlaceState.situation``) besides status and holder."""


def also_changed(before: PlaceState | None, after: PlaceState | None) -> str:
    """What of the situation changed besides status and holder: ``attackers: a -> a, b``."""
    if before is None or after is None:
        return ""
    return "; ".join(
        f"{name}: {_part(getattr(before, name))} -> {_part(getattr(after, name))}"
        for name in _ALSO
        if getattr(before, name) != getattr(after, name)
    )


def _part(value: object) -> str:
    if value is None or value == ():
        return "-"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(getattr(value, "value", value))


_ACTOR_WORDS = {"from_actor": "from", "to_actor": "to", "supporting": "supporting"}


def about_text(claim: Claim) -> str:
    """The event in a few words: its kind, places and actors.

    >>> from conflict_ledger import load_seed
    >>> about_text(load_seed().claim("dawn-2024-12-07/c04"))
    'Captured deir-ez-zor by sdf from syrian-government'
    """
    event = claim.event
    words = [type(event).__name__, *event.place_ids()]
    for number, field in enumerate(event.actor_fields):
        value = getattr(event, field)
        if value is None or value == ():
            continue
        named = ", ".join(value) if isinstance(value, tuple) else str(value)
        word = "by" if number == 0 and field not in _ACTOR_WORDS else _ACTOR_WORDS.get(field)
        words.append(f"{word or field.replace('_', ' ')} {named}")
    return " ".join(words)


def claim_lines(
    claim: Claim,
    *,
    grades: Mapping[str, Reliability] | None = None,
    bound: pendulum.DateTime | None = None,
    tz: str = "UTC",
) -> list[str]:
    """One claim, as the lines of an explanation: what, by whom, when, from whom, note.

    >>> from conflict_ledger import load_seed
    >>> print("\\n".join(claim_lines(load_seed().claim("dawn-2024-12-07/c04"), tz="Asia/Damascus")))
      dawn-2024-12-07/c04 [asserted] Captured deir-ez-zor by sdf from syrian-government
          valid 2024-12-06 (day)
          reported 2024-12-06 22:00 +03:00 via syrian-sources > reuters > dawn
          says: Kurdish-led forces backed by Washington took Deir ez-Zor, until then the government's main stronghold in the eastern desert.
    """
    lines = [f"  {claim.id} [{claim.modality.value}] {about_text(claim)}"]
    when = f"      valid {window_text(claim.valid, tz)}"
    if bound is not None:
        at = "its report" if bound == claim.reported_at else when_text(bound, tz)
        when += f"; the fold ends it at {at}"
    lines.append(when)
    origin = claim.source.origin
    grade = (grades or {}).get(origin)
    via = f"      reported {when_text(claim.reported_at, tz)} via {' > '.join(claim.source.source_ids())}"
    if grade is not None:
        via += f"; {origin} reliability {grade.value}"
    if claim.credibility is not None:
        via += f"; credibility {int(claim.credibility)}"
    lines.append(via)
    if claim.evidence is not None and claim.evidence.paraphrase:
        lines.append(f"      says: {claim.evidence.paraphrase}")
    if claim.note:
        lines.append(f"      note: {claim.note}")
    return lines


def _excluded(item: Excluded, tz: str) -> str:
    reported = item.claim.reported_at
    reason = item.reason.replace(reported.isoformat(), when_text(reported, tz))
    return f"  {item.claim.id} [{item.claim.modality.value}] {about_text(item.claim)}: {reason}"


def explanation_text(why: Explanation, *, tz: str | None = None) -> str:
    """An explanation as readable text: the state, then the claims for, against and around
    it (each with its actor, modality, grades, note and report bound), times in ``tz``."""
    tz = zone(tz)
    state = why.state
    asked = "" if why.at is None else f"at {when_text(why.at, tz)}, "
    known = "as known now" if why.known_at is None else f"as known at {when_text(why.known_at, tz)}"
    lines = [
        f"{why.place}: {state.status.value}, {_holder(state)} (policy {why.policy})",
        f"  {asked}{known}; times in {tz}",
    ]
    if detail_text(state):
        lines.append(f"  {detail_text(state)}")
    for title, claims in (
        ("supporting", why.supporting),
        ("disputing", why.disputing),
        ("context (counted, not deciding)", why.context),
    ):
        if claims:
            lines.append(f"{title}:")
            for claim in claims:
                bound = why.bounds.get(claim.id)
                lines.extend(claim_lines(claim, grades=why.grades, bound=bound, tz=tz))
    if why.excluded:
        lines.append("not counted:")
        lines.extend(_excluded(e, tz) for e in why.excluded)
    if not (why.supporting or why.disputing or why.context):
        lines.append(f"no counted claim names {why.place}")
    return "\n".join(lines)


register(Snapshot, "text", snapshot_table)
register(Timeline, "text", timeline_table)
register(SnapshotDiff, "text", diff_table)
register(Explanation, "text", explanation_text)
