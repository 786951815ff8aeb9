"""Rich HTML display for Jupyter and its plain-text fallbacks."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

import conflict_ledger as cl
from conflict_ledger.display.html import (
    KNOWN_COLOURS,
    actor_colour,
    actor_colours,
    claim_html,
    claim_text,
    ledger_html,
    ledger_text,
    register_ipython,
)
from conflict_ledger.testing import strategies as cst


class _Cells(HTMLParser):
    """Collects the text of every table row, and checks tags are balanced."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.open: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.add(tag)
        self.open.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] in ("td", "th", "code", "span") and self.rows:
            self.rows[-1][-1] += data


def _parse(html: str) -> _Cells:
    cells = _Cells()
    cells.feed(html)
    cells.close()
    assert cells.open == []
    assert "script" not in cells.tags
    return cells


def test_snapshot_html_has_a_row_per_place_with_its_status_and_holder() -> None:
    snap = cl.snapshot(cl.load_seed(), at="2024-12-07T00:00Z")
    rows = _parse(snap._repr_html_()).rows
    assert rows[0] == ["place", "status", "holder", "since", "claims", "detail"]
    assert [r[0] for r in rows[1:]] == [s.place for s in snap]
    assert [r[1] for r in rows[1:]] == [s.status.value for s in snap]
    deir = next(r for r in rows if r[0] == "deir-ez-zor")
    assert deir[2] == "sdf"


def test_timeline_explanation_claim_diff_and_ledger_display_in_html() -> None:
    ledger = cl.load_seed()
    snap_at = "2024-12-08T00:00Z"
    line = cl.timeline(ledger, "deir-ez-zor")
    assert len(_parse(line._repr_html_()).rows) == len(line) + 1
    why = cl.explain(ledger, "homs", at="2024-12-07T00:00Z")
    ids = {r[0] for r in _parse(why._repr_html_()).rows}
    assert {c.id for c in why.supporting + why.context} <= ids
    claim = ledger.claim("dawn-2024-12-07/c03")
    assert _parse(claim_html(claim)).rows[1][0] == claim.id
    change = cl.diff(cl.snapshot(ledger, at="2024-12-05T00:00Z"), cl.snapshot(ledger, at=snap_at))
    assert [r[0] for r in _parse(change._repr_html_()).rows[1:]] == [c.place for c in change]
    summary = _parse(ledger_html(ledger)).rows
    assert ["claims", "16"] in summary


def test_text_is_escaped() -> None:
    claim = cl.Claim(
        id="x/1",
        event=cl.Holds(place="homs", actor="syrian-government"),
        valid=cl.ValidTime.exact("2024-12-06T00:00Z"),
        reported_at="2024-12-06T00:00Z",
        source=cl.SourceChain.of("reuters"),
        note="<script>alert(1)</script> & more",
    )
    page = claim_html(claim)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert _parse(page).rows[1][-1] == "<script>alert(1)</script> & more"


class _Printer:
    def __init__(self) -> None:
        self.written = ""

    def text(self, text: str) -> None:
        self.written += text


def test_plain_text_fallbacks_read_like_print() -> None:
    ledger = cl.load_seed()
    snap = cl.snapshot(ledger, at="2024-12-07T00:00Z")
    change = cl.diff(cl.snapshot(ledger, at="2024-12-05T00:00Z"), snap)
    for value in (
        snap,
        cl.timeline(ledger, "homs"),
        cl.explain(ledger, "homs", at=snap.at),
        change,
    ):
        printer = _Printer()
        value._repr_pretty_(printer, False)
        assert printer.written == str(value)
    assert "deir-ez-zor" in claim_text(ledger.claim("dawn-2024-12-07/c04"))


def test_ipython_displays_claims_and_ledgers_through_registered_formatters() -> None:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert register_ipython(shell)
    ledger = cl.load_seed()
    claim = ledger.claim("dawn-2024-12-07/c04")
    shown, _ = shell.display_formatter.format(claim)
    assert shown["text/html"] == claim_html(claim)
    assert shown["text/plain"] == claim_text(claim)
    shown, _ = shell.display_formatter.format(ledger)
    assert shown["text/html"] == ledger_html(ledger)
    assert shown["text/plain"] == ledger_text(ledger)
    assert not hasattr(claim, "_repr_html_")  # the values layer never imports html


@given(ledger=cst.ledgers(max_size=12), hour=st.integers(min_value=0, max_value=24 * 14))
def test_any_snapshot_renders_one_row_per_place(ledger: cl.Ledger, hour: int) -> None:
    snap = cl.snapshot(ledger, at=cst.BASE.add(hours=hour))
    assert len(_parse(snap._repr_html_()).rows) == len(snap) + 1
    assert len(_parse(ledger_html(ledger)).rows) >= 2


@given(actors=st.lists(st.text(alphabet="abcdefghij-", min_size=1, max_size=8), max_size=16))
def test_chart_colours_are_distinct_and_stable(actors: list[str]) -> None:
    colours = actor_colours(actors)
    assert set(colours) == set(actors)
    assert len(set(colours.values())) == len(colours)
    assert actor_colours(list(reversed(actors))) == colours
    for actor in set(actors) & set(KNOWN_COLOURS):
        assert colours[actor] == actor_colour(actor) == KNOWN_COLOURS[actor]
