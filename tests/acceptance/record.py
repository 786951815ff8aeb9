"""How the acceptance episodes are written down: citations, registries and one ledger each.

Every claim in an episode cites where its fact was read (:class:`Cite`). The sources are
public reports found while writing this suite; the episodes keep their facts and our own
paraphrases, never their sentences.

Report times. A report is dated by its publication; where the source shows an hour (a
wire timestamp, an "Updated" line, a statement's stated time), that hour is used, converted
from the zone it was given in. Where it shows only a date, ``reported_at`` is the midnight
that ends that date (:func:`end_of`) in the zone the publisher dates in (the place's zone
when that is unknown): the latest instant the report can have appeared, so neither the
report bound nor ``known_at`` credits a source with knowing sooner than it said it. A
statement a report places earlier ("told the media last night") is dated by that.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

import attrs
import pendulum

import conflict_ledger as cl


@attrs.frozen(kw_only=True)
class Cite:
    """Where a claim's fact was read: the publication, its date, its address and title."""

    publication: str
    published: str
    url: str
    title: str


@attrs.frozen(kw_only=True)
class Episode:
    """A recorded episode: its registries, its claims in the order recorded, their citations."""

    name: str
    tz: str
    places: tuple[cl.Place, ...]
    actors: tuple[cl.Actor, ...]
    sources: tuple[cl.Source, ...]
    claims: tuple[cl.Claim, ...]
    cites: Mapping[str, Cite]

    def ledger(self) -> cl.Ledger:
        """A fresh in-memory ledger holding the episode, appended in recording order."""
        ledger = cl.Ledger(clock=cl.fixed_clock("2026-01-01T00:00Z"))
        ledger.register(*self.places, *self.actors, *self.sources)
        ledger.extend(self.claims)
        return ledger

    def local(self, text: str) -> pendulum.DateTime:
        """An instant written in the episode's own zone ("2022-03-05 12:00")."""
        return cl.parse_when(text, tz=self.tz)

    def at(self, text: str) -> str:
        """:meth:`local` as the ISO string a query takes."""
        return self.local(text).isoformat()


def day(year: int, month: int, date: int, *, tz: str) -> cl.ValidTime:
    """The whole calendar day in ``tz``."""
    return cl.ValidTime.day(pendulum.date(year, month, date), tz=tz)


def end_of(published: _dt.date, *, tz: str) -> pendulum.DateTime:
    """The midnight that ends ``published`` in ``tz``: a date-only report's latest instant."""
    return pendulum.datetime(published.year, published.month, published.day, tz=tz).add(days=1)


def sides(state: cl.PlaceState) -> dict[str, frozenset[str]]:
    """A contested state's sides as actor -> the ids of the claims on that side."""
    return {side.actor: frozenset(side.claims) for side in state.sides}


def changes(line: cl.Timeline) -> list[tuple[str, str, str | None]]:
    """A timeline as (start in UTC, status, holder) rows; no holder while contested."""
    return [
        (
            entry.start.in_timezone("UTC").format("YYYY-MM-DD HH:mm"),
            entry.state.status.value,
            None if entry.state.status is cl.Status.CONTESTED else entry.state.holder,
        )
        for entry in line
    ]


def ids(claims: tuple[cl.Claim, ...]) -> tuple[str, ...]:
    """The ids of ``claims``, in the order given."""
    return tuple(claim.id for claim in claims)
