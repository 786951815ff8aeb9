"""Which side of an ACLED row gained the place: from the meaning, not the column.

ACLED's current codebook puts the side that gains territory in ``actor1``, but older
files do not keep to it: in one public 2015 Syria file 9 of 14 "Government regains
territory" rows list the rebels first, and a 2016 "Non-violent transfer of territory"
names the side that withdrew as ``actor1``. So the gainer is decided, in this order, by

1. the sub-event type with the interaction codes: *Government regains territory* is
   gained by the one side coded as state forces (``1`` or ``8`` in the numeric codes,
   ``State forces`` or ``External/Other forces`` in the text codes), *Non-state actor
   overtakes territory* by the one side that is not; a *Headquarters or base
   established* by ``actor1`` (the only side it names);
2. the notes, when the codes leave two candidates (two rebel groups, a transfer): who
   "took", "captured", "regained", "entered", "was handed" the place, or who "withdrew";
3. ``actor1``, only in rows of the codebook that promises it (2022 on: they fill
   ``disorder_type``) or when the row names one side only.

Otherwise the row is **undecided**: it is imported as a claim that moves no holder and
is listed in the import report; the importer never guesses.

>>> decide("Government regains territory", Side("Jaish al Fateh", "2"),
...        Side("Military Forces of Syria (2000-2024)", "1"), notes="", actor1_gains=False)
Decision(gainer=2, reason='the only side coded as state forces')
>>> decide("Non-state actor overtakes territory", Side("HTS", "Rebel group"),
...        Side("Islamic State", "Rebel group"), notes="", actor1_gains=False).gainer is None
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import attrs

__all__ = ["Decision", "Open", "Side", "by_codes", "by_notes", "decide", "is_state"]

_STATE = frozenset({"1", "8", "state forces", "external other forces"})
_ARMED = frozenset(
    {"2", "3", "4", "rebel group", "rebel groups", "political militia", "political militias"}
    | {"identity militia", "identity militias"}
)


def _code(text: str) -> str:
    key = " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())
    return key[:-2] if key.endswith(" 0") and key[:-2].isdigit() else key  # pandas' "1.0"


@functools.lru_cache(maxsize=4096)  # a file has a handful of interaction codes
def is_state(inter: str) -> bool | None:
    """True for state forces, False for an armed non-state group, None when not said.

    >>> [is_state(code) for code in ("1", "8.0", "State forces", "External/Other forces", "2", "Rebel group", "7", "")]
    [True, True, True, True, False, False, None, None]
    """
    code = _code(inter)
    if code in _STATE:
        return True
    if code in _ARMED:
        return False
    return None


@attrs.frozen
class Side:
    """One side of a row: the dataset's name, its interaction code, other names for it.

    ``state`` overrides the code when the code is missing (the registry's kind).
    """

    name: str
    inter: str = ""
    names: tuple[str, ...] = ()
    state: bool | None = None

    def is_state(self) -> bool | None:
        coded = is_state(self.inter)
        return self.state if coded is None else coded


@attrs.frozen
class Decision:
    """The gaining side (1: actor1, 2: actor2, None: undecided) and why."""

    gainer: int | None
    reason: str


_GAIN = (
    r"took over|took control|taken control|gained control|assumed control|seized|captured"
    r"|overran|overtook|regained|retook|recaptured|took|taken|entered|handed over to"
    r"|handed to|transferred to|ceded to|given to"
)
_LOSS = (
    r"withdrew|withdrawn|withdrawal|retreated|pulled out|evacuated|handed over|ceded"
    r"|lost control|surrendered|abandoned"
)
_VERBS = re.compile(rf"\b(?:(?P<gain>{_GAIN})|(?P<loss>{_LOSS}))\b")
_AFTER = re.compile(r"^\s*(?:the\s+\w+\s+)?(?:by|to)\b")
_STATE_WORDS = (
    "government forces",
    "regime forces",
    "regime",
    "government",
    "army",
    "military",
    "troops",
    "soldiers",
    "state forces",
    "saa",
)


@functools.lru_cache(maxsize=4096)
def _pattern(side: Side) -> re.Pattern[str] | None:
    """One regular expression for every way the notes may name ``side`` (longest first)."""
    terms = _terms(side)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")\b") if terms else None


def _terms(side: Side) -> tuple[str, ...]:
    terms = {side.name, *side.names}
    for name in (side.name, *side.names):
        head, colon, tail = name.partition(":")
        if colon:
            terms.update((head, tail))
        terms.add(re.sub(r"\s*\([^)]*\)", "", name))
    if side.is_state():
        terms.update(_STATE_WORDS)
    found = {" ".join(re.sub(r"[^0-9a-z]+", " ", t.casefold()).split()) for t in terms}
    return tuple(sorted((t for t in found if len(t) >= 2), key=len, reverse=True))


def _mentions(text: str, sides: Sequence[Side]) -> list[tuple[int, int, int]]:
    """(start, end, side number) of every mention of a side in ``text``, in order."""
    found: list[tuple[int, int, int]] = []
    for number, side in enumerate(sides, start=1):
        pattern = _pattern(side)
        if pattern is not None:
            found.extend((m.start(), m.end(), number) for m in pattern.finditer(text))
    return sorted(found)


def _votes(notes: str, sides: Sequence[Side]) -> dict[int, int]:
    text = " ".join(re.sub(r"[^0-9a-z.]+", " ", notes.casefold()).split())
    mentions = _mentions(text, sides)
    votes = {1: 0, 2: 0}
    for verb in _VERBS.finditer(text):
        gain = verb.group("gain") is not None
        after = text[verb.end() :]
        if gain and _AFTER.match(after):
            later = [
                m for m in mentions if m[0] >= verb.end() and "." not in text[verb.end() : m[0]]
            ]
            if later:
                votes[later[0][2]] += 1
            continue
        sentence_start = text.rfind(".", 0, verb.start()) + 1
        before = [m for m in mentions if sentence_start <= m[0] and m[1] <= verb.start()]
        if before:
            subject = before[-1][2]
            votes[subject if gain else 3 - subject] += 1
    return votes


def _from_notes(notes: str, sides: Sequence[Side], among: Sequence[int]) -> int | None:
    if not notes.strip():
        return None
    votes = _votes(notes, sides)
    best = max(votes[n] for n in among)
    winners = [n for n in among if votes[n] == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def decide(
    sub_event_type: str, actor1: Side, actor2: Side | None, *, notes: str, actor1_gains: bool
) -> Decision:
    """Who gained the place in a territorial row (see the module docstring).

    >>> decide("Non-violent transfer of territory", Side("Military Forces of Syria (2000-2024)", "1"),
    ...        Side("Jaish al Islam", "2"), notes="Rebels of Jaish al Islam took over the town after "
    ...        "government forces withdrew.", actor1_gains=False)
    Decision(gainer=2, reason='the notes say who gained')
    """
    coded = by_codes(sub_event_type, actor1, actor2, actor1_gains=actor1_gains)
    return coded if coded.__class__ is Decision else by_notes(coded, notes)  # type: ignore[arg-type]


@attrs.frozen
class Open:
    """What the codes leave open: the sides the notes must choose among."""

    sides: tuple[Side, Side]
    candidates: tuple[int, ...]
    actor1_gains: bool


def by_codes(
    sub_event_type: str, actor1: Side, actor2: Side | None, *, actor1_gains: bool
) -> Decision | Open:
    """:func:`decide` as far as it goes without the notes: the decision, or what is open
    (the same for every row with these sides, so a reader may keep it)."""
    if sub_event_type == "Headquarters or base established" or actor2 is None:
        return _single(sub_event_type, actor1)
    states = (actor1.is_state(), actor2.is_state())
    candidates: tuple[int, ...] = (1, 2)
    if sub_event_type == "Government regains territory":
        coded = tuple(n for n in (1, 2) if states[n - 1] is True)
        if len(coded) == 1:
            return Decision(coded[0], "the only side coded as state forces")
        candidates = coded or (1, 2) if None in states else coded
    elif sub_event_type == "Non-state actor overtakes territory":
        coded = tuple(n for n in (1, 2) if states[n - 1] is False)
        if len(coded) == 1:
            return Decision(coded[0], "the only side coded as a non-state group")
        candidates = coded or (1, 2) if None in states else coded
    if not candidates:
        return Decision(None, "no side has the codes this sub-event type needs")
    return Open((actor1, actor2), candidates, actor1_gains)


def by_notes(coded: Open, notes: str) -> Decision:
    """The decision the notes make where the codes left it open."""
    found = _from_notes(notes, coded.sides, coded.candidates)
    if found is not None:
        return Decision(found, "the notes say who gained")
    if coded.actor1_gains and 1 in coded.candidates:
        return Decision(1, "actor1, as this layout's codebook puts the gainer first")
    return Decision(None, "the codes and notes do not say which side gained")


def _single(sub_event_type: str, actor1: Side) -> Decision:
    state = actor1.is_state()
    if sub_event_type == "Government regains territory" and state is False:
        return Decision(None, "a government regain by the only side, a non-state group")
    if sub_event_type == "Non-state actor overtakes territory" and state is True:
        return Decision(None, "a non-state gain by the only side, state forces")
    return Decision(1, "the only side named")
