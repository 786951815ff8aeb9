"""Registries of places, actors and sources: stable ids, names and aliases.

Reports name the same thing many ways (Deir el-Zor, Deir ez-Zor, Dayr az-Zawr). A
registry maps every name, case- and punctuation-insensitively, to one stable id, and
suggests the closest names when it does not know one.

>>> places = Registry.of(
...     Place(id="deir-ez-zor", name="Deir ez-Zor", kind=PlaceKind.CITY,
...           aliases=("Deir el-Zor", "Dayr az-Zawr")),
... )
>>> places.resolve("DEIR EL ZOR").id
'deir-ez-zor'
>>> places.resolve("Dayr az-Zor")
Traceback (most recent call last):
...
conflict_ledger.errors.UnknownPlaceError: unknown place 'Dayr az-Zor'; did you mean: deir-ez-zor? ...
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Generic, Protocol, TypeVar

import attrs

from conflict_ledger.claims import Document
from conflict_ledger.errors import (
    AliasTakenError,
    InvalidClaimError,
    UnknownActorError,
    UnknownEntryError,
    UnknownPlaceError,
    UnknownReferenceError,
    UnknownSourceError,
)
from conflict_ledger.grades import Reliability, reliability

__all__ = [
    "Actor",
    "ActorKind",
    "Coordinates",
    "Place",
    "PlaceKind",
    "Registries",
    "Registry",
    "Source",
    "SourceKind",
    "adds_names",
    "closest_ids",
    "normalise_name",
]


def normalise_name(name: str) -> str:
    """The key a name is looked up by: accents, case, punctuation and spacing removed.

    Letters of every script are kept (only their combining marks go, as Arabic's short
    vowels do), so names in Cyrillic, Arabic or Burmese stay distinct keys.

    >>> normalise_name("  Deir el-Zor ")
    'deir el zor'
    >>> normalise_name("Türkiye") == normalise_name("turkiye")
    True
    >>> normalise_name("Ra\u02bes al-\u02bfAyn"), normalise_name("Diyarbak\u0131r")
    ('ras al ayn', 'diyarbakir')
    >>> normalise_name("Херсон"), normalise_name("دَيْر الزَّوْر") == normalise_name("دير الزور")
    ('херсон', True)
    """
    if name.isascii():  # no marks, no modifier letters, nothing to fold: ten times faster
        if name.isalnum():
            return name.lower()  # an id or a one-word name, as most are
        return " ".join(_NOT_A_LETTER.sub(" ", name.lower()).split())
    decomposed = unicodedata.normalize("NFKD", name)
    unmarked = "".join(c for c in decomposed if not unicodedata.combining(c))
    unmarked = _MODIFIER_LETTERS.sub("", unmarked).casefold().translate(_LATIN_FOLD)
    return " ".join(_NOT_A_LETTER.sub(" ", unmarked).split())


# Latin letters with no decomposition, as the letter they are written without a mark
# (Turkish dotless i: "Karkam\u0131\u015f" is Karkamis; upper-cased it is KARKAMIS).
_LATIN_FOLD = str.maketrans(
    {"\u0131": "i", "\u0142": "l", "\u00f8": "o", "\u0111": "d", "\u0127": "h", "\u0167": "t"}
)

# The modifier letters (U+02B0-U+02FF) transliterations write ayn and hamza with: "Ra\u02bes
# al-\u02bfAyn" is Ras al-Ayn.
_MODIFIER_LETTERS = re.compile(r"[\u02b0-\u02ff]")
_NOT_A_LETTER = re.compile(r"[\W_]+")


def closest_ids(name: str, ids: Iterable[str], *, max_count: int = 3) -> tuple[str, ...]:
    """The ``ids`` whose names are closest to ``name``, best first (for "did you mean").

    >>> closest_ids("Deir el Zor", ["deir-ez-zor", "homs", "hama"])
    ('deir-ez-zor',)
    """
    keys: dict[str, str] = {}
    for id in ids:
        keys.setdefault(normalise_name(id), id)
    return _closest(name, keys, max_count)


def _closest(name: str, owners: Mapping[str, str], max_count: int) -> tuple[str, ...]:
    """Owners of the normalised names in ``owners`` closest to ``name``, best first."""
    # rapidfuzz's ratio is the similarity difflib's get_close_matches ranks by (2 x the
    # characters in common / both lengths), as a percentage, computed in C: fast enough
    # to suggest for every rejected name of a large import.
    from rapidfuzz import fuzz, process  # imported on the first miss: 8 ms off every import

    close = process.extract(
        normalise_name(name), list(owners), scorer=fuzz.ratio, limit=max_count * 3, score_cutoff=60
    )
    found: list[str] = []
    for key, _score, _ in close:
        owner = owners[key]
        if owner not in found:
            found.append(owner)
    return tuple(found[:max_count])


_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _check_id(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not _ID.match(value):
        raise InvalidClaimError(
            field=attribute.name,
            value=value,
            problem="an id is lower-case letters, digits, '.', '_' and '-'",
            hint="Use a slug such as 'deir-ez-zor'; keep other spellings as aliases.",
        )


class PlaceKind(enum.Enum):
    """What sort of place it is.

    >>> PlaceKind("border_crossing")
    <PlaceKind.BORDER_CROSSING: 'border_crossing'>
    """

    COUNTRY = "country"
    REGION = "region"
    GOVERNORATE = "governorate"
    CITY = "city"
    TOWN = "town"
    NEIGHBOURHOOD = "neighbourhood"
    BORDER_CROSSING = "border_crossing"
    DISTRICT = "district"
    BASE = "base"
    AIRPORT = "airport"
    FACILITY = "facility"


class ActorKind(enum.Enum):
    """What sort of actor it is.

    >>> ActorKind.ARMED_GROUP.value
    'armed_group'
    """

    STATE = "state"
    GOVERNMENT = "government"
    ARMED_GROUP = "armed_group"
    COALITION = "coalition"
    UNIDENTIFIED = "unidentified"


class SourceKind(enum.Enum):
    """What sort of source said or carried a claim.

    >>> SourceKind("agency")
    <SourceKind.AGENCY: 'agency'>
    """

    NEWSPAPER = "newspaper"
    AGENCY = "agency"
    BROADCASTER = "broadcaster"
    MONITOR = "monitor"
    OFFICIAL = "official"
    ANONYMOUS = "anonymous"
    ARMED_GROUP = "armed_group"
    ANALYST = "analyst"
    DATASET = "dataset"


E = TypeVar("E", bound=enum.Enum)


def _kind(kinds: type[E], value: object) -> E:
    """``value`` as one of ``kinds``; the error lists the valid kinds.

    >>> Place(id="x", name="X", kind="village")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidClaimError: kind='village': not a PlaceKind. Use one of: country, region, governorate, ...
    """
    try:
        return kinds(value)
    except ValueError:
        raise InvalidClaimError(
            field="kind",
            value=value,
            problem=f"not a {kinds.__name__}",
            hint=f"Use one of: {', '.join(str(k.value) for k in kinds)}.",
        ) from None


def _place_kind(value: object) -> PlaceKind:
    return _kind(PlaceKind, value)


def _actor_kind(value: object) -> ActorKind:
    return _kind(ActorKind, value)


def _source_kind(value: object) -> SourceKind:
    return _kind(SourceKind, value)


@attrs.frozen(kw_only=True)
class Coordinates:
    """A WGS 84 point, as micro-degrees-safe decimal degrees.

    >>> Coordinates(lat=34.73, lon=36.71)
    Coordinates(lat=34.73, lon=36.71)
    """

    lat: float = attrs.field(validator=[attrs.validators.ge(-90), attrs.validators.le(90)])
    lon: float = attrs.field(validator=[attrs.validators.ge(-180), attrs.validators.le(180)])


def _names(value: Iterable[str]) -> tuple[str, ...]:
    """Aliases as a tuple of strings; a single string is refused, not split into letters.

    >>> _names(["Hims", "Emesa"])
    ('Hims', 'Emesa')
    >>> _names("Hims")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidClaimError: aliases='Hims': a single string, not a list of names. Write aliases=['Hims'].
    """
    if isinstance(value, str | bytes):
        raise InvalidClaimError(
            field="aliases",
            value=value,
            problem="a single string, not a list of names",
            hint=f"Write aliases=[{value!r}].",
        )
    names = tuple(value)
    for name in names:
        if not isinstance(name, str):
            raise InvalidClaimError(
                field="aliases",
                value=name,
                problem="an alias is a string",
                hint="Give each alias as a string.",
            )
    return names


@attrs.frozen(kw_only=True)
class Place:
    """A place claims are about: a city, a crossing, a base, a region.

    ``parent`` is the id of the region it lies in; ``coordinates_source`` names where
    the coordinates come from.

    >>> Place(id="homs", name="Homs", kind=PlaceKind.CITY, parent="syria").parent
    'syria'
    """

    id: str = attrs.field(validator=_check_id)
    name: str
    kind: PlaceKind = attrs.field(converter=_place_kind)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_names)
    parent: str | None = None
    coordinates: Coordinates | None = None
    coordinates_source: str | None = None


@attrs.frozen(kw_only=True)
class Actor:
    """Someone who can hold, take or lose a place, or act in events.

    >>> Actor(id="sdf", name="Syrian Democratic Forces", kind=ActorKind.ARMED_GROUP,
    ...       aliases=("Syrian Kurdish fighters",)).aliases
    ('Syrian Kurdish fighters',)
    """

    id: str = attrs.field(validator=_check_id)
    name: str
    kind: ActorKind = attrs.field(converter=_actor_kind)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_names)


@attrs.frozen(kw_only=True)
class Source:
    """Someone who says or carries claims: an agency, a newspaper, an anonymous official.

    >>> Source(id="reuters", name="Reuters", kind=SourceKind.AGENCY).kind
    <SourceKind.AGENCY: 'agency'>
    """

    id: str = attrs.field(validator=_check_id)
    name: str
    kind: SourceKind = attrs.field(converter=_source_kind)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_names)
    description: str = ""
    reliability: Reliability | None = attrs.field(default=None, converter=reliability)
    """The source's grade before any SourceGraded claim (None: not graded)."""


class _Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


T = TypeVar("T", bound=_Named)

_ERRORS: Mapping[type, type[UnknownReferenceError]] = {
    Place: UnknownPlaceError,
    Actor: UnknownActorError,
    Source: UnknownSourceError,
}


def _clash_hint(name: str, owner: str, *, registered: bool) -> str:
    """What to do when a new entry's ``name`` already names ``owner``."""
    if not registered:  # two new entries in one batch
        return "Drop the alias from one of the two entries."
    return (
        f"{name!r} already names {owner!r}, registered before: name that entry in claims "
        "(by its id or any of its names), or drop the alias from the new entry."
    )


def adds_names(old: _Named, new: _Named) -> bool:
    """Whether ``new`` is ``old`` with aliases added (and nothing else changed): the one
    change a registered entry takes.

    >>> homs = Place(id="homs", name="Homs", kind="city", aliases=("Hims",))
    >>> adds_names(homs, attrs.evolve(homs, aliases=("Hims", "Emesa")))
    True
    >>> adds_names(homs, attrs.evolve(homs, kind="town", aliases=("Hims", "Emesa")))
    False
    """
    if type(old) is not type(new) or old == new:
        return False
    kept = set(old.aliases) <= set(new.aliases)
    return kept and attrs.evolve(new, aliases=old.aliases) == old  # type: ignore[misc]


def _alias_key(name: object) -> str:
    """The lookup key of a new alias; an empty or non-string one is refused."""
    if not isinstance(name, str):
        raise InvalidClaimError(
            field="aliases", value=name, problem="an alias is a string", hint="Give a name."
        )
    key = normalise_name(name)
    if not key:
        raise InvalidClaimError(
            field="aliases",
            value=name,
            problem="an alias needs a letter or a digit (case, accents and punctuation do "
            "not count)",
            hint="Give the name as reports write it, e.g. 'North Kivu'.",
        )
    return key


@attrs.frozen
class Registry(Generic[T]):
    """An immutable id -> value map that also resolves names and aliases.

    Build one with :meth:`of`; grow it with :meth:`with_entries`, which returns a new
    registry. Two entries may not claim the same name.

    >>> actors = Registry.of(Actor(id="sdf", name="SDF", kind="armed_group", aliases=("Syrian Kurds",)))
    >>> actors.resolve("syrian kurds").id, "sdf" in actors, len(actors)
    ('sdf', True, 1)
    """

    _by_id: Mapping[str, T]
    _by_name: Mapping[str, str]
    _error: type[UnknownReferenceError] = UnknownReferenceError

    @classmethod
    def of(cls, *entries: T) -> Registry[T]:
        """A registry holding ``entries``."""
        error = (
            _ERRORS.get(type(entries[0]), UnknownReferenceError)
            if entries
            else (UnknownReferenceError)
        )
        empty: Registry[T] = cls(MappingProxyType({}), MappingProxyType({}), error)
        return empty.with_entries(entries)

    @classmethod
    def empty(cls, kind: type[T]) -> Registry[T]:
        """An empty registry for values of ``kind`` (Place, Actor or Source).

        >>> len(Registry.empty(Place))
        0
        """
        return cls(
            MappingProxyType({}), MappingProxyType({}), _ERRORS.get(kind, UnknownReferenceError)
        )

    def with_entries(self, entries: Iterable[T]) -> Registry[T]:
        """A new registry with ``entries`` added; an identical re-registration is a no-op,
        as is one of an entry before aliases were added to it, and an entry with aliases
        added (:func:`adds_names`) replaces the one it grew from."""
        by_id = dict(self._by_id)
        by_name = dict(self._by_name)
        error = self._error
        for entry in entries:
            error = _ERRORS.get(type(entry), error)
            existing = by_id.get(entry.id)
            if existing is not None:
                if existing == entry or adds_names(entry, existing):
                    continue  # the same entry, or one it has grown from: nothing new
                if not adds_names(existing, entry):
                    raise InvalidClaimError(
                        field="id",
                        value=entry.id,
                        problem="another entry with this id is already registered",
                        hint="Give the new entry its own id, or register the same value "
                        "(with more aliases if you like: add_aliases).",
                    )
            by_id[entry.id] = entry
            for name in (entry.id, entry.name, *entry.aliases):
                key = normalise_name(name)
                owner = by_name.setdefault(key, entry.id)
                if owner != entry.id:
                    raise InvalidClaimError(
                        field="aliases",
                        value=name,
                        problem=f"this name already belongs to {owner!r}",
                        hint=_clash_hint(name, owner, registered=owner in self._by_id),
                    )
        return Registry(MappingProxyType(by_id), MappingProxyType(by_name), error)

    def with_aliases(self, target: str, names: Iterable[str]) -> tuple[Registry[T], T]:
        """A new registry where the entry ``target`` (an id or any of its names) is also
        called ``names``, and that entry as it now is.

        A name the entry already has is skipped; one that names another entry raises
        :class:`~conflict_ledger.errors.AliasTakenError`, an unknown ``target`` the
        registry's unknown-name error with suggestions.

        >>> places = Registry.of(Place(id="cd-nk", name="Nord-Kivu", kind="region"))
        >>> places, entry = places.with_aliases("cd-nk", ["North Kivu", "nord kivu"])
        >>> entry.aliases, places.id_of("NORTH KIVU")
        (('North Kivu',), 'cd-nk')
        >>> places.with_aliases("Nord Kiwu", ["NK"])
        Traceback (most recent call last):
        ...
        conflict_ledger.errors.UnknownPlaceError: unknown place 'Nord Kiwu' (field of); did you mean: cd-nk? ...
        """
        entry = self._by_id[self.id_of(target, field="of")]
        added: dict[str, str] = {}
        for name in (names,) if isinstance(names, str) else names:
            key = _alias_key(name)
            owner = self._by_name.get(key, entry.id)
            if owner != entry.id:
                raise AliasTakenError(value=name, owner=owner, entry=entry.id)
            if key not in self._by_name:
                added.setdefault(key, name)
        if not added:
            return self, entry
        grown: T = attrs.evolve(entry, aliases=(*entry.aliases, *added.values()))  # type: ignore[misc]
        return self.with_entries((grown,)), grown

    def shadowed_by(self, entries: Iterable[T]) -> Registry[T]:
        """A new registry where ``entries`` replace the entries with their ids and take
        their names from any other entry (which keeps its id and its other names).

        For values stored with a ledger, read back on a newer gazetteer: the ledger's
        claims were written with the stored meaning of each id and name.

        >>> old = Registry.of(Place(id="rastan", name="Rastan", kind="town", aliases=("Ar Rastan",)))
        >>> mine = Place(id="rastan", name="Rastan", kind="town")
        >>> new = old.shadowed_by([mine])
        >>> new["rastan"] == mine, "Ar Rastan" in {p.name for p in new}
        (True, False)
        """
        fresh = {entry.id: entry for entry in entries}
        if not fresh:
            return self
        by_id = {**{id: e for id, e in self._by_id.items() if id not in fresh}, **fresh}
        by_name: dict[str, str] = {}
        error = self._error
        for entry in (*fresh.values(), *(e for e in self._by_id.values() if e.id not in fresh)):
            error = _ERRORS.get(type(entry), error)
            for name in (entry.id, entry.name, *entry.aliases):
                by_name.setdefault(normalise_name(name), entry.id)
        return Registry(MappingProxyType(by_id), MappingProxyType(by_name), error)

    def resolve(self, name: str) -> T:
        """The entry an id, name or alias refers to.

        Raises the registry's :class:`~conflict_ledger.errors.UnknownReferenceError`
        subclass, with the closest known names as suggestions.
        """
        entry = self._by_id.get(name)
        if entry is not None:
            return entry
        owner = self._by_name.get(normalise_name(name))
        if owner is None:
            raise self._error(name=name, suggestions=self.suggest(name))
        return self._by_id[owner]

    def id_of(self, name: str, *, field: str = "") -> str:
        """The id an id, name or alias refers to; an unknown name raises the registry's
        :class:`~conflict_ledger.errors.UnknownReferenceError` subclass naming ``field``.

        >>> places = Registry.of(Place(id="homs", name="Homs", kind="city", aliases=("Hims",)))
        >>> places.id_of("HIMS"), places.id_of("homs")
        ('homs', 'homs')
        >>> places.id_of("Hom", field="place")
        Traceback (most recent call last):
        ...
        conflict_ledger.errors.UnknownPlaceError: unknown place 'Hom' (field place); did you mean: homs? ...
        """
        if name in self._by_id:
            return name
        owner = self._by_name.get(normalise_name(name)) if isinstance(name, str) else None
        if owner is None:
            raise self._error(name=name, suggestions=self.suggest(str(name)), field=field)
        return owner

    def suggest(self, name: str, *, max_count: int = 3) -> tuple[str, ...]:
        """Ids of the entries whose names are closest to ``name``.

        >>> Registry.of(Place(id="homs", name="Homs", kind="city")).suggest("Hom")
        ('homs',)
        """
        return _closest(name, self._by_name, max_count)

    def __getitem__(self, id: str) -> T:
        try:
            return self._by_id[id]
        except KeyError:
            raise self._error(name=id, suggestions=self.suggest(id)) from None

    def __contains__(self, id: object) -> bool:
        return id in self._by_id

    def __iter__(self) -> Iterator[T]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def ids(self) -> frozenset[str]:
        """Every id in the registry."""
        return frozenset(self._by_id)


_REGISTRY_FIELDS = {"place": "places", "actor": "actors", "source": "sources"}


def _a(kind: str) -> str:
    """``kind`` with its article.

    >>> _a("actor"), _a("place")
    ('an actor', 'a place')
    """
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _names_any(registry: Registry[Any], name: str) -> bool:
    try:
        registry.id_of(name)
    except UnknownReferenceError:
        return False
    return True


def _read_only(mapping: Mapping[str, Document]) -> Mapping[str, Document]:
    return MappingProxyType(dict(mapping))


@attrs.frozen(kw_only=True)
class Registries:
    """The places, actors, sources and documents a ledger's claims may name.

    >>> from conflict_ledger.gazetteer import syria
    >>> syria().places.resolve("Dayr az-Zawr").id
    'deir-ez-zor'
    """

    places: Registry[Place] = attrs.field(factory=lambda: Registry.empty(Place))
    actors: Registry[Actor] = attrs.field(factory=lambda: Registry.empty(Actor))
    sources: Registry[Source] = attrs.field(factory=lambda: Registry.empty(Source))
    documents: Mapping[str, Document] = attrs.field(
        factory=lambda: MappingProxyType({}), converter=_read_only
    )
    gazetteer: str | None = attrs.field(default=None, eq=False)
    """The built-in gazetteer these registries grew from (``"syria"``, ``"world:SD@15000"``),
    if any: a new ledger file records it, so that the file alone reads its places back.
    Not part of equality: it says where the entries came from, not what they are."""

    def shadowed_by(self, values: Iterable[Place | Actor | Source | Document]) -> Registries:
        """New registries where ``values`` (stored with a ledger) replace the entries with
        their ids and take their names (see :meth:`Registry.shadowed_by`).

        A claims file written on an older gazetteer registered places the gazetteer now
        has too (an ACLED import's ``rastan``); read back, the file's own values count.
        """
        values = list(values)
        return Registries(
            places=self.places.shadowed_by(v for v in values if isinstance(v, Place)),
            actors=self.actors.shadowed_by(v for v in values if isinstance(v, Actor)),
            sources=self.sources.shadowed_by(v for v in values if isinstance(v, Source)),
            documents=self.documents,
            gazetteer=self.gazetteer,
        ).with_values(v for v in values if isinstance(v, Document))

    def with_aliases(
        self, target: str, names: Iterable[str], *, kind: str | None = None
    ) -> tuple[Registries, Place | Actor | Source]:
        """New registries where the place, actor or source ``target`` (an id or a name) is
        also called ``names``, and that entry as it now is (see :meth:`Registry.with_aliases`).

        ``kind`` (``"place"``, ``"actor"`` or ``"source"``) says which registry, when
        ``target`` names entries in two.

        >>> from conflict_ledger.gazetteer import syria
        >>> registries, homs = syria().with_aliases("homs", ["Hims city"])
        >>> registries.places.id_of("hims city"), homs.aliases[-1]
        ('homs', 'Hims city')
        """
        field = _REGISTRY_FIELDS.get(kind) if kind is not None else None
        if kind is not None and field is None:
            raise InvalidClaimError(
                field="kind",
                value=kind,
                problem="not a kind of registry entry",
                hint="Use one of: place, actor, source.",
            )
        if field is None:
            field = self._registry_of(target)
        registry: Registry[Any] = getattr(self, field)
        grown, entry = registry.with_aliases(target, names)
        if grown is registry:
            return self, entry
        changes: dict[str, Any] = {field: grown}
        return attrs.evolve(self, **changes), entry

    def _registry_of(self, target: str) -> str:
        """The one registry field whose entry ``target`` names (by id first, then by name)."""
        fields = tuple(_REGISTRY_FIELDS.values())
        named = [f for f in fields if target in getattr(self, f)] or [
            f for f in fields if _names_any(getattr(self, f), target)
        ]
        if len(named) == 1:
            return named[0]
        if not named:
            suggestions: list[str] = []
            for f in fields:
                suggestions.extend(getattr(self, f).suggest(target))
            raise UnknownEntryError(name=target, suggestions=suggestions[:3], field="of")
        kinds = [kind for kind, f in _REGISTRY_FIELDS.items() if f in named]
        raise InvalidClaimError(
            field="kind",
            value=None,
            problem=f"{target!r} names {' and '.join(_a(kind) for kind in kinds)}",
            hint=f"Say which: kind={kinds[0]!r} or kind={kinds[1]!r}.",
        )

    def with_values(self, values: Iterable[Place | Actor | Source | Document]) -> Registries:
        """New registries with ``values`` added, each to the registry of its type."""
        places, actors, sources = [], [], []
        documents = dict(self.documents)
        for value in values:
            match value:
                case Place():
                    places.append(value)
                case Actor():
                    actors.append(value)
                case Source():
                    sources.append(value)
                case Document():
                    documents[value.sha256] = value
                case _:
                    raise InvalidClaimError(
                        field="value",
                        value=value,
                        problem="not a Place, Actor, Source or Document",
                        hint="Register only those four kinds of value.",
                    )
        return Registries(
            places=self.places.with_entries(places),
            actors=self.actors.with_entries(actors),
            sources=self.sources.with_entries(sources),
            documents=documents,
            gazetteer=self.gazetteer,
        )
