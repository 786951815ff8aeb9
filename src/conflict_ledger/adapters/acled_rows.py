"""One event per ``event_id_cnty``: long-format rows merged, true duplicates reported.

acledR's ``acled_transform_longer`` and tidyr's ``pivot_longer`` write an event as one
row per actor (``type_of_actor`` = ``actor1``, ``actor2``, ``assoc_actor_1``...,
``actor``, ``inter_type``, ``inter``); other tools split the ``source`` column into one
row per source. Read row by row, the second row of an event would "correct" the first
and every re-import flip them back. :func:`merge_events` makes one wide row per event:

* long-format rows of one event become ``actor1``/``actor2``/``assoc_actor_*``/``inter*``
  again; rows that differ only in ``source`` are one event with the sources joined;
* rows that are equal are one event, reported as a duplicate naming both lines;
* rows that differ otherwise are a true conflict: the one with the later ``timestamp``
  (a later ACLED revision) is kept and both lines are reported; with equal timestamps
  neither is guessed at, both are rejected.

Events come out sorted by their id, digits as numbers, so that the order of the rows in
the file never changes what is imported.

>>> rows = [(2, {"event_id_cnty": "SYR1", "type_of_actor": "actor1", "actor": "HTS", "inter_type": "inter1", "inter": "2"}),
...         (3, {"event_id_cnty": "SYR1", "type_of_actor": "actor2", "actor": "SAA", "inter_type": "inter2", "inter": "1"})]
>>> events, problems, duplicates = merge_events(rows, long=True)
>>> events[0].lines, events[0].row["actor1"], events[0].row["actor2"], events[0].row["inter2"]
((2, 3), 'HTS', 'SAA', '1')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

__all__ = ["Merged", "event_order", "merge_events"]

_LONG_ONLY = ("type_of_actor", "actor", "inter_type", "inter")
_ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


@attrs.frozen
class Merged:
    """One event's row (wide, as the current layout names columns) and its file lines."""

    lines: tuple[int, ...]
    row: Mapping[str, str]


def event_order(event_id: str) -> tuple[object, ...]:
    """A sort key for ids with digits compared as numbers ("SYR2" before "SYR10").

    >>> sorted(["SYR10", "SYR2", "IRQ7"], key=event_order)
    ['IRQ7', 'SYR2', 'SYR10']
    """
    head = event_id.rstrip("0123456789")
    if head != event_id and (
        (head.isascii() and head.isalpha()) or not any(c.isdigit() for c in head)
    ):  # "SYR1234": the fast path
        return (head, int(event_id[len(head) :]), "")
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", event_id))


def _widen(rows: Sequence[tuple[int, Mapping[str, str]]]) -> dict[str, str]:
    wide = {k: v for k, v in rows[0][1].items() if k not in _LONG_ONLY}
    found: dict[str, list[str]] = {column: [] for column in _ACTOR_COLUMNS}
    for _, row in sorted(rows, key=lambda item: (item[1].get("type_of_actor", ""), item[0])):
        position = row.get("type_of_actor", "").strip().casefold()
        actor = row.get("actor", "").strip()
        if position in found and actor and actor not in found[position]:
            found[position].append(actor)
        if position in ("actor1", "actor2") and row.get("inter", "").strip():
            wide["inter" + position[-1]] = row["inter"].strip()
    for column, actors in found.items():  # sorted: the order of the rows never matters
        wide[column] = (
            "; ".join(sorted(actors)) if column.startswith("assoc") else min(actors, default="")
        )
    return wide


def _differing(rows: Sequence[Mapping[str, str]]) -> list[str]:
    columns = sorted({k for row in rows for k in row})
    return [c for c in columns if len({row.get(c, "").strip() for row in rows}) > 1]


def _stamp(row: Mapping[str, str]) -> float:
    try:
        return float(row.get("timestamp", "") or "nan")
    except ValueError:
        return float("nan")


def _resolve(
    event_id: str, rows: list[tuple[int, dict[str, str]]]
) -> tuple[Merged | None, str | None, str | None]:
    """A group of wide rows with one id: (the event, a problem, a duplicate note)."""
    lines = tuple(line for line, _ in rows)
    shown = " and ".join(str(line) for line in lines)
    differing = _differing([row for _, row in rows])
    if not differing:
        return Merged(lines, rows[0][1]), None, f"{event_id}: lines {shown} are the same event"
    if differing == ["source"]:
        sources: list[str] = []
        for _, row in rows:
            for part in row["source"].split(";"):
                if part.strip() and part.strip() not in sources:
                    sources.append(part.strip())
        return Merged(lines, dict(rows[0][1], source="; ".join(sources))), None, None
    stamped = sorted(rows, key=lambda item: _stamp(item[1]))
    last, before = _stamp(stamped[-1][1]), _stamp(stamped[-2][1])
    if last > before:
        note = (
            f"{event_id}: lines {shown} differ ({', '.join(differing)}); "
            f"kept line {stamped[-1][0]}, the later ACLED revision"
        )
        return Merged(lines, stamped[-1][1]), None, note
    problem = (
        f"event {event_id} is on lines {shown} with different {', '.join(differing)} "
        "and the same timestamp; keep the right one and import again"
    )
    return None, problem, None


def merge_events(
    rows: Iterable[tuple[int, dict[str, str]]], *, long: bool
) -> tuple[list[Merged], list[tuple[tuple[int, ...], str]], list[str]]:
    """Group rows by ``event_id_cnty`` into events (see the module docstring).

    Returns the events in id order, the rejected groups (their lines and why) and the
    duplicates noted for the report.
    """
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    alone: list[Merged] = []
    for line, row in rows:
        event_id = row.get("event_id_cnty", "").strip()
        if not event_id:
            alone.append(Merged((line,), row))  # rejected later, with its line
            continue
        groups.setdefault(event_id, []).append((line, row))
    events: list[Merged] = []
    problems: list[tuple[tuple[int, ...], str]] = []
    duplicates: list[str] = []
    for event_id in sorted(groups, key=event_order):
        group = groups[event_id]
        if long:
            events.append(Merged(tuple(line for line, _ in group), _widen(group)))
            continue
        if len(group) == 1:
            events.append(Merged((group[0][0],), group[0][1]))
            continue
        merged, problem, duplicate = _resolve(event_id, group)
        if merged is not None:
            events.append(merged)
        if problem is not None:
            problems.append((tuple(line for line, _ in group), problem))
        if duplicate is not None:
            duplicates.append(duplicate)
    return [*alone, *events], problems, duplicates
