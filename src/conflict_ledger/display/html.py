"""Rich HTML for Jupyter: claims, ledgers, snapshots, timelines and explanations, no install needed.

Snapshots, timelines, diffs and explanations (projection results) show themselves
through the functions here: this module registers them as their HTML display
(:mod:`conflict_ledger._display`), so ``_repr_html_`` and ``to_html(tz=...)`` find them
without the answer types importing this module. Every time prints in the zone asked
for (default UTC) with its offset. Claims and ledgers live in lower layers, which
never import this one either; this module registers IPython display formatters for
them (:func:`register_ipython`), which ``import conflict_ledger`` does when it runs inside
IPython or Jupyter, and ``%load_ext conflict_ledger.display.html`` does at any time. The
HTML is self-contained: inline styles, no scripts, every text escaped. Each actor gets a
stable colour (:func:`actor_colour`), the same in every table and chart.

>>> import conflict_ledger as cl
>>> ledger = cl.load_seed()
>>> page = snapshot_html(cl.snapshot(ledger, at="2024-12-07T00:00Z"))
>>> page.startswith("<div") and "deir-ez-zor" in page and "<script" not in page
True
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import pendulum

from conflict_ledger._display import register, zone
from conflict_ledger.asof import Explanation, Snapshot, SnapshotDiff, Timeline
from conflict_ledger.claims import Claim
from conflict_ledger.display.render import (
    about_text,
    also_changed,
    claims_text,
    detail_text,
    when_text,
    window_text,
)
from conflict_ledger.ledger import Ledger
from conflict_ledger.rules.territory import PlaceState, Status

__all__ = [
    "KNOWN_COLOURS",
    "PALETTE",
    "STATUS_COLOURS",
    "actor_colour",
    "actor_colours",
    "claim_html",
    "claim_text",
    "diff_html",
    "explanation_html",
    "ledger_html",
    "ledger_text",
    "load_ipython_extension",
    "register_ipython",
    "snapshot_html",
    "timeline_html",
]

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
)
"""The colours actors without a :data:`KNOWN_COLOURS` entry are drawn in."""

KNOWN_COLOURS = {
    "syrian-government": "#d62728",
    "opposition": "#2ca02c",
    "hts": "#006d2c",
    "military-operations-command": "#74c476",
    "sna": "#a1d99b",
    "sdf": "#e6b400",
    "islamic-state": "#252525",
    "russia": "#1f77b4",
    "iran": "#17becf",
    "hezbollah": "#ff7f0e",
    "turkiye": "#e377c2",
    "jordan": "#8c564b",
    "iraq": "#9467bd",
    "united-states": "#393b79",
    "unidentified-armed-groups": "#969696",
}
"""Fixed colours for the actors of the built-in Syria gazetteer, after the usual map conventions."""

STATUS_COLOURS = {
    Status.UNKNOWN: "#eeeeee",
    Status.HELD: "#ffffff",
    Status.CONTESTED: "#fde0dd",
    Status.CHANGING: "#fff7bc",
    Status.UNDER_ATTACK: "#fee6ce",
    Status.UNDER_ADVANCE: "#fee6ce",
}
"""Background colours of the status cells in HTML tables."""


def actor_colour(actor: str | None) -> str:
    """The colour of ``actor`` in every table and chart: a fixed function of its id.

    Gazetteer actors have their :data:`KNOWN_COLOURS`; any other id is hashed into the
    :data:`PALETTE`. ``None`` (no holder) is light grey.

    >>> actor_colour("syrian-government"), actor_colour(None)
    ('#d62728', '#d9d9d9')
    >>> actor_colour("jaish-al-fateh") in PALETTE
    True
    """
    if actor is None:
        return "#d9d9d9"
    if actor in KNOWN_COLOURS:
        return KNOWN_COLOURS[actor]
    digest = hashlib.sha256(actor.encode("utf-8")).digest()
    return PALETTE[int.from_bytes(digest[:4], "big") % len(PALETTE)]


def actor_colours(actors: Iterable[str]) -> dict[str, str]:
    """Distinct colours for the actors of one chart, each its :func:`actor_colour` when free.

    Two hashed actors that would share a colour are separated, the later id (in sorted
    order) taking the next free palette colour; the same actors always get the same
    colours.

    >>> colours = actor_colours(["sdf", "syrian-government", "a", "b", "c"])
    >>> colours["sdf"], len(set(colours.values()))
    ('#e6b400', 5)
    """
    chosen: dict[str, str] = {}
    ordered = sorted(set(actors), key=lambda a: (a not in KNOWN_COLOURS, a))
    for actor in ordered:
        colour = actor_colour(actor)
        if colour in chosen.values():
            free = [c for c in PALETTE if c not in chosen.values()]
            if free:
                start = PALETTE.index(colour) if colour in PALETTE else 0
                colour = min(free, key=lambda c: (PALETTE.index(c) - start) % len(PALETTE))
        chosen[actor] = colour
    return chosen


_TABLE = "border-collapse:collapse;font-family:sans-serif;font-size:12px"
_CELL = "border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top"


def _swatch(actor: str | None) -> str:
    if actor is None:
        return "-"
    return (
        f'<span style="display:inline-block;width:0.8em;height:0.8em;'
        f'background:{actor_colour(actor)};margin-right:4px"></span>{escape(actor)}'
    )


def _holder(state: PlaceState) -> str:
    if state.status is Status.CONTESTED:
        return " vs ".join(_swatch(a) for a in state.contenders)
    if state.status is Status.CHANGING:
        return (
            f"{_swatch(state.previous) if state.previous else '?'} &rarr; {_swatch(state.holder)}"
        )
    if state.holder is None and state.previous is not None:
        return f"not {_swatch(state.previous)}"
    return _swatch(state.holder)


def _detail(state: PlaceState) -> str:
    return escape(detail_text(state))


def _table(caption: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f'<th style="{_CELL};background:#f4f4f4">{escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in row) + "</tr>"
        for row in rows
    )
    return (
        f'<div><table style="{_TABLE}"><caption style="text-align:left;font-weight:bold">'
        f"{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
        "</table></div>"
    )


def _status(state: PlaceState) -> str:
    return (
        f'<span style="background:{STATUS_COLOURS[state.status]};padding:0 3px">'
        f"{escape(state.status.value)}</span>"
    )


def _known(known_at: pendulum.DateTime | None, position: int | None, tz: str) -> str:
    known = "as known now" if known_at is None else f"as known at {when_text(known_at, tz)}"
    return known if position is None else f"{known}, first {position} records"


def snapshot_html(snap: Snapshot, *, tz: str | None = None) -> str:
    """A snapshot as an HTML table: place, status, holder (with its colour), since, claims.

    >>> import conflict_ledger as cl
    >>> page = snapshot_html(cl.snapshot(cl.load_seed(), at="2024-12-07T00:00Z"), tz="Asia/Damascus")
    >>> page.count("<tr>"), "2024-12-07 03:00 +03:00" in page, "times in Asia/Damascus" in page
    (11, True, True)
    """
    tz = zone(tz)
    rows = [
        [
            escape(s.place),
            _status(s),
            _holder(s),
            escape(window_text(s.since, tz)),
            escape(claims_text(s.claims)),
            _detail(s),
        ]
        for s in snap
    ]
    caption = (
        f"Territorial snapshot at {when_text(snap.at, tz)}, "
        f"{_known(snap.known_at, snap.position, tz)}; times in {tz}"
    )
    return _table(caption, ["place", "status", "holder", "since", "claims", "detail"], rows)


def diff_html(change: SnapshotDiff, *, tz: str | None = None) -> str:
    """What changed between two snapshots, as an HTML table of before and after.

    >>> import conflict_ledger as cl
    >>> ledger = cl.load_seed()
    >>> page = diff_html(cl.diff(cl.snapshot(ledger, at="2024-12-05T00:00Z"), cl.snapshot(ledger, at="2024-12-08T00:00Z")))
    >>> "deir-ez-zor" in page, page.count("<tr>") > 1
    (True, True)
    """

    def side(state: PlaceState | None) -> str:
        return "-" if state is None else f"{_status(state)} {_holder(state)}"

    tz = zone(tz)
    rows = [
        [escape(c.place), side(c.before), side(c.after), escape(also_changed(c.before, c.after))]
        for c in change
    ]
    b, a = change.before, change.after
    caption = (
        f"Changes from {when_text(b.at, tz)} ({_known(b.known_at, b.position, tz)}) "
        f"to {when_text(a.at, tz)} ({_known(a.known_at, a.position, tz)}); times in {tz}"
    )
    return _table(caption, ["place", "before", "after", "also changed"], rows)


def timeline_html(line: Timeline, *, tz: str | None = None) -> str:
    """A place's timeline as an HTML table of periods.

    >>> import conflict_ledger as cl
    >>> timeline_html(cl.timeline(cl.load_seed(), "deir-ez-zor")).count("<tr>")
    3
    """
    tz = zone(tz)
    rows = [
        [
            escape(when_text(e.start, tz)),
            escape(when_text(e.end, tz) if e.end else "..."),
            _status(e.state),
            _holder(e.state),
            escape(claims_text(e.state.claims)),
            _detail(e.state),
        ]
        for e in line
    ]
    caption = f"Timeline of {line.place}, {_known(line.known_at, None, tz)}; times in {tz}"
    return _table(caption, ["from", "until", "status", "holder", "claims", "detail"], rows)


def _claim_cells(
    claim: Claim,
    tz: str = "UTC",
    why: Explanation | None = None,
) -> list[str]:
    what = claim.evidence.paraphrase if claim.evidence and claim.evidence.paraphrase else ""
    grade = "-" if claim.credibility is None else str(int(claim.credibility))
    reliability = None if why is None else why.grades.get(claim.source.origin)
    if reliability is not None:
        grade = f"reliability {reliability.value}, credibility {grade}"
    event = about_text(claim)
    valid = window_text(claim.valid, tz)
    bound = None if why is None else why.bounds.get(claim.id)
    if bound is not None:
        valid += f", ended by its report at {when_text(bound, tz)}"
    says = "; ".join(part for part in (what, claim.note) if part)
    return [
        f"<code>{escape(claim.id)}</code>",
        escape(event),
        escape(claim.modality.value),
        escape(valid),
        escape(when_text(claim.reported_at, tz)),
        escape(" > ".join(claim.source.source_ids())),
        escape(grade),
        escape(says),
    ]


_CLAIM_HEADER = ["claim", "event", "modality", "valid", "reported", "sources", "grades", "says"]


def claim_html(claim: Claim) -> str:
    """One claim as a small HTML table: its event, three clocks and provenance.

    >>> import conflict_ledger as cl
    >>> "syrian-sources &gt; reuters &gt; dawn" in claim_html(cl.load_seed().claim("dawn-2024-12-07/c04"))
    True
    """
    return _table(f"Claim {claim.id}", _CLAIM_HEADER, [_claim_cells(claim)])


def claim_text(claim: Claim) -> str:
    """One claim as a line of plain text, for terminals.

    >>> import conflict_ledger as cl
    >>> print(claim_text(cl.load_seed().claim("dawn-2024-12-07/c04")))
    dawn-2024-12-07/c04 [asserted] Captured deir-ez-zor by sdf from syrian-government, valid 2024-12-05 21:00 +00:00..2024-12-06 21:00 +00:00 (day), reported 2024-12-06 19:00 +00:00, via syrian-sources > reuters > dawn
    """
    return (
        f"{claim.id} [{claim.modality.value}] {about_text(claim)}, "
        f"valid {window_text(claim.valid)}, reported {when_text(claim.reported_at)}, "
        f"via {' > '.join(claim.source.source_ids())}"
    )


def _summary(ledger: Ledger) -> list[tuple[str, str]]:
    claims = ledger.claims()
    registries = ledger.registries
    rows = [
        ("claims", str(len(claims))),
        (
            "places / actors / sources",
            f"{len(registries.places)} / {len(registries.actors)} / {len(registries.sources)}",
        ),
    ]
    if claims:
        rows.append(
            (
                "valid time",
                f"{when_text(min(c.valid.start for c in claims))} .. {when_text(max(c.valid.end for c in claims))}",
            )
        )
        rows.append(
            (
                "reported",
                f"{when_text(min(c.reported_at for c in claims))} .. {when_text(max(c.reported_at for c in claims))}",
            )
        )
        records = ledger.records()
        rows.append(
            (
                "recorded",
                f"{when_text(records[0].recorded_at)} .. {when_text(records[-1].recorded_at)}",
            )
        )
        kinds: dict[str, int] = {}
        for claim in claims:
            kinds[claim.event.kind] = kinds.get(claim.event.kind, 0) + 1
        rows.append(("events", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))))
    return rows


def ledger_text(ledger: Ledger) -> str:
    """A ledger summarised in a few lines of plain text.

    >>> import conflict_ledger as cl
    >>> print(ledger_text(cl.load_seed()).splitlines()[1])
    claims: 16
    """
    return "Ledger\n" + "\n".join(f"{name}: {value}" for name, value in _summary(ledger))


def ledger_html(ledger: Ledger, *, last: int = 5) -> str:
    """A ledger summary (sizes, time ranges, event kinds) and its ``last`` claims, as HTML.

    >>> import conflict_ledger as cl
    >>> "dawn-2024-12-07/c16" in ledger_html(cl.load_seed())
    True
    """
    summary = _table("Ledger", ["", ""], [[escape(n), escape(v)] for n, v in _summary(ledger)])
    recent = ledger.claims()[-last:] if last else ()
    latest = _table(f"Last {len(recent)} claims", _CLAIM_HEADER, [_claim_cells(c) for c in recent])
    return summary + latest


def explanation_html(why: Explanation, *, tz: str | None = None) -> str:
    """An explanation as HTML: the state, then the claims for, against, around it and left out.

    >>> import conflict_ledger as cl
    >>> "not counted" in explanation_html(cl.explain(cl.load_seed(), "homs", at="2024-12-07T00:00Z", known_at="2024-12-06T00:00Z"))
    True
    """
    tz = zone(tz)
    state = why.state
    asked = "" if why.at is None else f" at {when_text(why.at, tz)}"
    known = "" if why.known_at is None else f", as known at {when_text(why.known_at, tz)}"
    parts = [
        f'<div style="font-family:sans-serif;font-size:13px"><b>{escape(why.place)}</b>'
        f"{escape(asked + known)}: {_status(state)} {_holder(state)} {_detail(state)} "
        f"(times in {escape(tz)})</div>"
    ]
    for title, claims in (
        ("supporting", why.supporting),
        ("disputing", why.disputing),
        ("context (counted, not deciding)", why.context),
    ):
        if claims:
            parts.append(_table(title, _CLAIM_HEADER, [_claim_cells(c, tz, why) for c in claims]))
    if why.excluded:
        parts.append(
            _table(
                "not counted",
                ["claim", "reason"],
                [[f"<code>{escape(e.claim.id)}</code>", escape(e.reason)] for e in why.excluded],
            )
        )
    return "<div>" + "".join(parts) + "</div>"


register(Snapshot, "html", snapshot_html)
register(Timeline, "html", timeline_html)
register(SnapshotDiff, "html", diff_html)
register(Explanation, "html", explanation_html)


def register_ipython(shell: Any = None) -> bool:
    """Register HTML and plain-text display formatters for claims and ledgers with IPython.

    ``shell`` defaults to the running IPython shell; returns False when there is none.
    ``import conflict_ledger`` calls this when IPython is already loaded, so notebooks
    need nothing more. This module never imports IPython itself.

    >>> register_ipython(object())  # something that is not an IPython shell
    False
    """
    if shell is None:
        ipython = sys.modules.get("IPython")
        get_ipython = getattr(ipython, "get_ipython", None)
        shell = get_ipython() if callable(get_ipython) else None
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not formatters:
        return False
    html, plain = formatters["text/html"], formatters["text/plain"]
    html.for_type(Claim, claim_html)
    html.for_type(Ledger, ledger_html)
    plain.for_type(Claim, lambda claim, printer, cycle: printer.text(claim_text(claim)))
    plain.for_type(Ledger, lambda ledger, printer, cycle: printer.text(ledger_text(ledger)))
    return True


def load_ipython_extension(shell: Any) -> None:
    """``%load_ext conflict_ledger.display.html``: register the display formatters in ``shell``."""
    register_ipython(shell)


register_ipython()
