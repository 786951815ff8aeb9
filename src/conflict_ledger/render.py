"""Plain-text renderings of snapshots, timelines, diffs and explanations for terminals.

>>> from conflict_ledger import load_seed, snapshot
>>> print(snapshot(load_seed(), at="2024-12-07T00:00Z"))
Territorial snapshot at 2024-12-07 UTC, as known now (all records)
place              status         holder                 since                                      claims                                    detail
albukamal          under_advance  -                      -                                          dawn-2024-12-07/c07                       advance by sdf
aleppo             unknown        not syrian-government  2024-11-29 21:00..2024-12-06 21:00 (week)  dawn-2024-12-07/c05
deir-ez-zor        held           sdf                    2024-12-06 (day)                           dawn-2024-12-07/c04
eastern-syria      unknown        -                      -                                          dawn-2024-12-07/c13                       presence: islamic-state
hama               unknown        not syrian-government  2024-11-29 21:00..2024-12-06 21:00 (week)  dawn-2024-12-07/c06
hmeimim-air-base   held           russia                 2024-12-06 (day)                           dawn-2024-12-07/c16
homs               under_advance  syrian-government      2024-12-06 (day)                           dawn-2024-12-07/c02, dawn-2024-12-07/c03  advance by opposition
jaber-nassib       under_attack   -                      -                                          dawn-2024-12-07/c10, dawn-2024-12-07/c11  attacked by unidentified-armed-groups; crossing closed
syria              unknown        -                      -                                          dawn-2024-12-07/c09                       presence: syrian-government
tartus-naval-base  held           russia                 2024-12-06 (day)                           dawn-2024-12-07/c15
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pendulum

from conflict_ledger.grades import Reliability
from conflict_ledger.territory import PlaceState, Status
from conflict_ledger.time import Precision, ValidTime

if TYPE_CHECKING:
    from conflict_ledger.asof import Explanation, Snapshot, SnapshotDiff, Timeline
    from conflict_ledger.claims import Claim

__all__ = [
    "detail_text",
    "diff_table",
    "explanation_text",
    "snapshot_table",
    "timeline_table",
    "when_text",
    "window_text",
]


def when_text(instant: pendulum.DateTime | None) -> str:
    """An instant as ``YYYY-MM-DD`` (at midnight) or ``YYYY-MM-DD HH:mm``, in UTC.

    >>> when_text(pendulum.datetime(2024, 12, 6, 17, tz="UTC")), when_text(None)
    ('2024-12-06 17:00', '-')
    """
    if instant is None:
        return "-"
    if (instant.hour, instant.minute, instant.second) == (0, 0, 0):
        return instant.format("YYYY-MM-DD")
    return instant.format("YYYY-MM-DD HH:mm")


def window_text(valid: ValidTime | None) -> str:
    """A valid window as text: an instant, a calendar day, or ``start..end (precision)``.

    >>> window_text(ValidTime.day(pendulum.date(2024, 12, 6), tz="Asia/Damascus"))
    '2024-12-06 (day)'
    """
    if valid is None:
        return "-"
    if valid.precision is Precision.EXACT:
        return when_text(valid.start)
    if valid.precision is Precision.DAY:
        # Show the calendar day in the zone of the middle of the window.
        middle = valid.start.add(seconds=int((valid.end - valid.start).total_seconds() // 2))
        return f"{middle.format('YYYY-MM-DD')} (day)"
    return f"{when_text(valid.start)}..{when_text(valid.end)} ({valid.precision.value})"


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


def detail_text(state: PlaceState) -> str:
    """What else a state says: attackers, advances, presences, crossing access, disputes.

    >>> from conflict_ledger.territory import Status
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


def _known(known_at: pendulum.DateTime | None, position: int | None) -> str:
    known = "as known now" if known_at is None else f"as known at {when_text(known_at)} UTC"
    cut = "all records" if position is None else f"first {position} records"
    return f"{known} ({cut})"


def snapshot_table(snap: Snapshot) -> str:
    """A snapshot as a fixed-width table, one place a line."""
    rows = [
        [
            s.place,
            s.status.value,
            _holder(s),
            window_text(s.since),
            ", ".join(s.claims) or "-",
            detail_text(s),
        ]
        for s in snap
    ]
    title = (
        f"Territorial snapshot at {when_text(snap.at)} UTC, {_known(snap.known_at, snap.position)}"
    )
    body = _table(["place", "status", "holder", "since", "claims", "detail"], rows)
    return f"{title}\n{body}"


def timeline_table(line: Timeline) -> str:
    """A place's timeline as a table of periods."""
    rows = [
        [
            when_text(e.start),
            when_text(e.end) if e.end else "...",
            e.state.status.value,
            _holder(e.state),
            ", ".join(e.state.claims) or "-",
            detail_text(e.state),
        ]
        for e in line
    ]
    known = (
        "as known now" if line.known_at is None else f"as known at {when_text(line.known_at)} UTC"
    )
    title = f"Timeline of {line.place}, {known} (UTC)"
    return f"{title}\n" + _table(["from", "until", "status", "holder", "claims", "detail"], rows)


def diff_table(change: SnapshotDiff) -> str:
    """What changed between two snapshots."""
    rows = []
    for c in change:
        before = "-" if c.before is None else f"{c.before.status.value}: {_holder(c.before)}"
        after = "-" if c.after is None else f"{c.after.status.value}: {_holder(c.after)}"
        rows.append([c.place, before, after])
    b, a = change.before, change.after
    title = (
        f"Changes from {when_text(b.at)} ({_known(b.known_at, b.position)}) "
        f"to {when_text(a.at)} ({_known(a.known_at, a.position)})"
    )
    if not rows:
        return f"{title}\nno place changed"
    return f"{title}\n" + _table(["place", "before", "after"], rows)


def _claim_line(claim: Claim, grades: Mapping[str, Reliability] | None = None) -> str:
    chain = " > ".join(claim.source.source_ids())
    grade = "" if claim.credibility is None else f" credibility {int(claim.credibility)}"
    origin_grade = (grades or {}).get(claim.source.origin)
    if origin_grade is not None:
        grade += f" reliability {origin_grade.value}"
    what = claim.evidence.paraphrase if claim.evidence else type(claim.event).__name__
    return (
        f"  {claim.id} [{claim.modality.value}{grade}] {type(claim.event).__name__}, "
        f"valid {window_text(claim.valid)}, via {chain}\n      {what}"
    )


def explanation_text(why: Explanation) -> str:
    """An explanation as readable text: the state, then the claims for, against and around it."""
    state = why.state
    lines = [f"{why.place}: {state.status.value}, {_holder(state)} (policy {why.policy})"]
    if detail_text(state):
        lines.append(f"  {detail_text(state)}")
    for title, claims in (
        ("supporting", why.supporting),
        ("disputing", why.disputing),
        ("context (counted, not deciding)", why.context),
    ):
        if claims:
            lines.append(f"{title}:")
            lines.extend(_claim_line(c, why.grades) for c in claims)
    if why.excluded:
        lines.append("not counted:")
        lines.extend(f"  {e.claim.id}: {e.reason}" for e in why.excluded)
    return "\n".join(lines)
