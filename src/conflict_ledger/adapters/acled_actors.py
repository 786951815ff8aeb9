"""Dataset actor names to registry actors: a documented mapping, sub-units in their parent.

ACLED names a force by its institution and period ("Military Forces of Syria
(2000-2024)"), a group by its acronym and name ("HTS: Hayat Tahrir al Sham"), and a
force's units by the force's name and the unit's ("Military Forces of Syria (2000-2024)
Air Force"). The gazetteers know "syrian-government" and "hts". The shipped mapping
(``conflict_ledger/data/acled_actors.json``) says which dataset names are which
registry actor; a name that starts with a mapped name and goes on is a *sub-unit*, a
member of that actor, and is imported as that actor: a unit never contests its own
army's hold. A user extends the mapping from a JSON or CSV file
(:meth:`ActorMap.read`).

>>> from conflict_ledger.gazetteer import syria
>>> actors = ActorMap.builtin().resolver(syria().actors)
>>> actors("Military Forces of Syria (2000-)"), actors("Military Forces of Syria (2000-2024) Air Force")
('syrian-government', 'syrian-government')
>>> actors("HTS: Hayat Tahrir al Sham"), actors("Jaish al Fateh") is None
('hts', True)
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from conflict_ledger.errors import DatasetFileError
from conflict_ledger.registry import Actor, Registry, normalise_name

__all__ = ["ActorMap", "name_index"]


def _entries(data: Any, path: str) -> dict[str, str]:
    rows = data.get("actors") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise DatasetFileError(
            path=path,
            problem='an actor mapping is a list of {"actor": id, "names": [...]}',
            hint='Write {"actors": [{"actor": "hts", "names": ["HTS: Hayat Tahrir al Sham"]}]}',
        )
    names: dict[str, str] = {}
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("actor"), str):
            raise DatasetFileError(
                path=path,
                problem=f"the entry {row!r} names no actor id",
                hint='Give each entry an "actor" id and its "names"',
            )
        for name in row.get("names", ()):
            names[normalise_name(str(name))] = row["actor"]
    return names


def _read_only(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class ActorMap:
    """Normalised dataset names to registry actor ids (see the module docstring)."""

    names: Mapping[str, str] = attrs.field(converter=_read_only)
    path: str = ""
    """The file the mapping was read from ("" for one built in code)."""

    def check(self, actors: Registry[Actor]) -> None:
        """Refuse a mapping to an actor the registry lacks (one error naming them all).

        >>> from conflict_ledger.gazetteer import syria
        >>> ActorMap({"jaish al fateh": "jaish"}, path="mine.csv").check(syria().actors)
        Traceback (most recent call last):
        ...
        conflict_ledger.errors.DatasetFileError: mine.csv: the mapping names actors the ledger does not know: 'jaish'. ...
        """
        unknown = sorted({id for id in self.names.values() if id not in actors})
        if unknown:
            raise DatasetFileError(
                path=self.path or "actor mapping",
                problem="the mapping names actors the ledger does not know: "
                + ", ".join(repr(id) for id in unknown),
                hint="Map to an id of the gazetteer (e.g. 'syrian-government', 'hts') or "
                "register the actor first; nothing was written",
            )

    @classmethod
    @functools.cache
    def builtin(cls) -> ActorMap:
        """The mapping shipped for the built-in gazetteers."""
        text = resources.files("conflict_ledger").joinpath("data", "acled_actors.json")
        return cls(_entries(json.loads(text.read_text("utf-8")), "acled_actors.json"))

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> ActorMap:
        """A user's mapping: JSON as the shipped file, or a CSV of ``name,actor`` rows.

        >>> import tempfile
        >>> file = Path(tempfile.mkdtemp()) / "mine.csv"
        >>> _ = file.write_text("name,actor\\nJaish al Fateh,opposition\\n", encoding="utf-8")
        >>> dict(ActorMap.read(file).names)
        {'jaish al fateh': 'opposition'}
        """
        where = os.fspath(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise FileNotFoundError(f"{where}: no such file; give an actor mapping") from None
        if where.casefold().endswith(".json"):
            try:
                return cls(_entries(json.loads(text), where), path=where)
            except json.JSONDecodeError as error:
                raise DatasetFileError(
                    path=where, problem=f"not JSON ({error})", hint="Fix the file"
                ) from None
        rows = list(csv.reader(text.splitlines()))
        body = (
            rows[1:]
            if rows and [c.strip().casefold() for c in rows[0]] == ["name", "actor"]
            else rows
        )
        return cls(
            {normalise_name(r[0]): r[1].strip() for r in body if len(r) >= 2 and r[0].strip()},
            path=where,
        )

    def merged(self, other: ActorMap | None) -> ActorMap:
        """This mapping with ``other``'s entries added (``other`` wins a clash)."""
        return self if other is None else ActorMap({**self.names, **other.names})

    def resolver(self, actors: Registry[Actor]) -> Callable[[str], str | None]:
        """A cached function from a dataset name to a known actor id, or None.

        Entries whose actor the registry lacks are left out.
        """
        known = {key: id for key, id in self.names.items() if id in actors}
        registered = name_index(actors)

        @functools.cache
        def resolve(name: str) -> str | None:
            key = normalise_name(name)
            if key in known:
                return known[key]
            words = key.split()
            for end in range(len(words) - 1, 0, -1):  # a sub-unit: the longest mapped head
                parent = known.get(" ".join(words[:end]))
                if parent is not None:
                    return parent
            return _in_registry(name, registered)

        return resolve


def _variants(name: str) -> Iterable[str]:
    yield name
    head, colon, tail = name.partition(":")
    if colon:
        yield head
        yield tail
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if bare != name:
        yield bare


def name_index(registry: Registry[Any]) -> dict[str, str]:
    """Every normalised id, name and alias of a registry's entries, to the entry's id
    (a plain dict: a miss costs nothing, where ``Registry.id_of`` builds suggestions).

    >>> from conflict_ledger.gazetteer import syria
    >>> name_index(syria().actors)["syrian kurds"]
    'sdf'
    """
    index: dict[str, str] = {}
    for entry in registry:
        for name in (entry.id, entry.name, *entry.aliases):
            index.setdefault(normalise_name(name), entry.id)
    return index


def _in_registry(name: str, index: Mapping[str, str]) -> str | None:
    for variant in _variants(name):
        found = index.get(normalise_name(variant))
        if found is not None:
            return found
    return None
