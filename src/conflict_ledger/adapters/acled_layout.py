"""Every ACLED layout and spelling: header names, event types, and what a file looks like.

ACLED has changed its layout several times, and files pass through R and spreadsheets:

* **2015** (ACLED versions 5-6): upper-case headers (``EVENT_ID_CNTY``, ``GWNO``,
  ``ALLY_ACTOR_1``), numeric ``INTER1``/``INTER2`` codes and event types that carry the
  outcome: ``Battle-Non-state actor overtakes territory``, and, in the same files,
  ``Battle-Non-state actors overtake territory`` (plural), ``Violence Against
  Civilians`` beside ``Violence against civilians`` and ``RIots/Protests`` (all seen in
  public notebooks that recode them, e.g. GitHub ``*/acled`` analyses listing
  ``violent_events_acled``).
* **2016-2018** API dumps: lower-case names, the same combined event types.
* **2019-2021**: ``sub_event_type`` holds the outcome, ``event_type`` the family.
* **2022-**: ``disorder_type``, ``civilian_targeting``, ``tags`` added; since 2024
  ``inter1``/``inter2`` are words ("State forces") instead of digits.
* **long format** (acledR's ``acled_transform_longer``, tidyr): ``type_of_actor``,
  ``actor``, ``inter_type``, ``inter`` instead of ``actor1``/``actor2``/``inter1``...,
  one row per actor of an event (see ``dtacled/acledR``, ``R/acled_transform_longer.R``).

:func:`canonical_types` maps every known spelling and casing to the current pair of
event type and sub-event type; :func:`detect_layout` names the generation and refuses a
file that is not ACLED with one error saying what it looks like.

>>> canonical_types("Battle-Non-state actors overtake territory", "")
('Battles', 'Non-state actor overtakes territory')
>>> canonical_types("VIOLENCE AGAINST CIVILIANS", "attack")
('Violence against civilians', 'Attack')
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Sequence

import attrs

from conflict_ledger.errors import DatasetFileError

__all__ = [
    "EVENT_TYPES",
    "SUB_EVENT_TYPES",
    "Generation",
    "Layout",
    "canonical_column",
    "canonical_types",
    "detect_layout",
]

EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Protests",
    "Riots",
    "Strategic developments",
    "Violence against civilians",
)
"""The current event types, as ACLED spells them."""

SUB_EVENT_TYPES = (
    "Abduction/forced disappearance",
    "Agreement",
    "Air/drone strike",
    "Armed clash",
    "Arrests",
    "Attack",
    "Change to group/activity",
    "Chemical weapon",
    "Disrupted weapons use",
    "Excessive force against protesters",
    "Government regains territory",
    "Grenade",
    "Headquarters or base established",
    "Looting/property destruction",
    "Mob violence",
    "Non-state actor overtakes territory",
    "Non-violent transfer of territory",
    "Other",
    "Peaceful protest",
    "Protest with intervention",
    "Remote explosive/landmine/IED",
    "Sexual violence",
    "Shelling/artillery/missile attack",
    "Suicide bomb",
    "Violent demonstration",
)
"""The current sub-event types, as ACLED spells them."""


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


# Older spellings of a combined "type-outcome" event type, and the current pair each is.
_LEGACY: dict[str, tuple[str, str]] = {
    "battle no change of territory": ("Battles", "Armed clash"),
    "battle government regains territory": ("Battles", "Government regains territory"),
    "battle non state actor overtakes territory": (
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "battle non state actors overtake territory": (
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "headquarters or base established": (
        "Strategic developments",
        "Headquarters or base established",
    ),
    "non violent transfer of territory": (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    "remote violence": ("Explosions/Remote violence", ""),
    "riots protests": ("Riots/Protests", ""),
    "strategic development": ("Strategic developments", ""),
    "non violent activity by a conflict actor": ("Strategic developments", ""),
}
_TYPES = {_key(name): name for name in EVENT_TYPES}
_SUBTYPES = {_key(name): name for name in SUB_EVENT_TYPES} | {
    "non state actors overtake territory": "Non-state actor overtakes territory",
    "government regain territory": "Government regains territory",
    "headquarter or base established": "Headquarters or base established",
    "non violent transfer of territories": "Non-violent transfer of territory",
}


@functools.lru_cache(maxsize=4096)
def canonical_types(event_type: str, sub_event_type: str) -> tuple[str, str]:
    """The current (event type, sub-event type) of any generation's spelling.

    An unknown type is kept as written (trimmed); a combined 2015 type fills in the
    sub-event type it carries when the row has none.

    >>> canonical_types("Battle-Government regains territory", "")
    ('Battles', 'Government regains territory')
    >>> canonical_types("RIots/Protests", "")
    ('Riots/Protests', '')
    >>> canonical_types("strategic developments", "NON-VIOLENT TRANSFER OF TERRITORY")
    ('Strategic developments', 'Non-violent transfer of territory')
    """
    type_key, sub_key = _key(event_type), _key(sub_event_type)
    sub = _SUBTYPES.get(sub_key, sub_event_type.strip())
    if type_key in _LEGACY:
        legacy_type, legacy_sub = _LEGACY[type_key]
        return legacy_type, sub or legacy_sub
    return _TYPES.get(type_key, event_type.strip()), sub


_RENAMED = {
    "ally_actor_1": "assoc_actor_1",
    "ally_actor_2": "assoc_actor_2",
    "allyactor1": "assoc_actor_1",
    "allyactor2": "assoc_actor_2",
    "eventid_cnty": "event_id_cnty",
}


def canonical_column(name: str) -> str:
    """A header name as this module knows it: lower case, ``_`` between words.

    >>> [canonical_column(c) for c in ("EVENT_ID_CNTY", "ALLY_ACTOR_1", "event.date", "Sub Event Type")]
    ['event_id_cnty', 'assoc_actor_1', 'event_date', 'sub_event_type']
    """
    key = re.sub(r"[^0-9a-z]+", "_", name.strip().lstrip("\ufeff").casefold()).strip("_")
    return _RENAMED.get(key, key)


class Generation(enum.Enum):
    """Which ACLED layout a file is in (see the module docstring)."""

    Y2015 = "2015"
    Y2016 = "2016-2018"
    Y2019 = "2019-2021"
    Y2022 = "2022-"


@attrs.frozen(kw_only=True)
class Layout:
    """What :func:`detect_layout` found: the generation, and long format or not."""

    generation: Generation
    long: bool


_UCDP = {"type_of_violence", "side_a", "where_coordinates", "date_start", "best", "dyad_name"}
_ACLED_NEEDS = ("event_id_cnty", "event_date", "event_type", "location")


def detect_layout(header: Sequence[str], columns: Sequence[str], *, path: str) -> Layout:
    """The layout of an ACLED file from its (canonical) ``header``; ``columns`` as written.

    A file of another kind gets one error saying what it looks like.

    >>> detect_layout(["id", "side_a", "side_b", "where_coordinates", "date_start", "best"],
    ...               [], path="ged.csv")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.DatasetFileError: ged.csv: this looks like a UCDP GED file, not an ACLED export. Pass --kind ucdp (kind="ucdp"); nothing was written
    """
    names = set(header)
    if len(names & _UCDP) >= 3:
        raise DatasetFileError(
            path=path,
            problem="this looks like a UCDP GED file, not an ACLED export",
            hint='Pass --kind ucdp (kind="ucdp"); nothing was written',
        )
    missing = [name for name in _ACLED_NEEDS if name not in names]
    long = "type_of_actor" in names and "actor" in names
    if "actor1" not in names and not long:
        missing.append("actor1")
    if missing:
        shown = ", ".join(list(columns)[:8]) + (", ..." if len(columns) > 8 else "")
        raise DatasetFileError(
            path=path,
            problem=(
                f"this does not look like an ACLED export: no column {', '.join(missing)} "
                f"(the header is: {shown})"
            ),
            hint="Give an ACLED export (or pass --kind ucdp for a UCDP GED file); "
            "nothing was written",
        )
    upper = any(c.strip().lstrip("\ufeff").isupper() for c in columns if c.strip())
    if "disorder_type" in names:
        generation = Generation.Y2022
    elif "sub_event_type" in names:
        generation = Generation.Y2019
    elif upper or "gwno" in names or "ally_actor_1" in {c.casefold() for c in columns}:
        generation = Generation.Y2015
    else:
        generation = Generation.Y2016
    return Layout(generation=generation, long=long)
