"""An as-of index saved with its ledger, and read back (private to the as-of index).

Building an :class:`~conflict_ledger.engine.AsOfIndex` reads and compiles every record:
about 27 s for a million claims. :meth:`AsOfIndex.save` keeps what it built in the
ledger's store (:meth:`~conflict_ledger.ledger.Ledger.keep_derived`), and
:meth:`AsOfIndex.load` reads it back, then reads only the records appended since. It is
data derived from the records, not part of the ledger: it names the records it covers,
and a saved index that does not fit the ledger is set aside (with a
:class:`~conflict_ledger.errors.SavedIndexWarning`) and the index built from the records.

What is saved, after a header line of JSON (the format, the code's layout, how many
records it covers, the SHA-256 of the last of them as the store holds it, the options,
the SHA-256 of the body):

* one zstd frame of what answers about every place read at once: the places' names by
  slot, every claim's valid start, place slot, settling instant and whether it can move
  a holder, in start order (numeric arrays), the holder columns, the claims known late,
  the cancellations, and the positions of the source gradings;
* one zstd frame a place: its compiled claims (each claim as its ledger position), its
  checkpoints and derived lists. A place is read on the first question that needs more
  than its holder code (:class:`~conflict_ledger.engine._places.SavedPlace`).

Reading checks the body against its SHA-256 at once (a few tens of milliseconds for a
million claims), in time proportional to the bytes read, and refuses anything but the
few types an index holds (:class:`_Reader`): a saved index is never a way to run code.
``verify`` checks the records themselves; the saved index is checked only as derived
data (its digest, and the record it says it ends with). See docs/performance.md.
"""

from __future__ import annotations

import array as _array_module
import functools
import hashlib
import io
import pickle
import warnings
from array import array
from typing import TYPE_CHECKING, Any

import orjson
import pendulum
import zstandard
from pendulum.tz.timezone import FixedTimezone, Timezone

from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine._columns import Columns, LateKnowledge
from conflict_ledger.engine._places import PlaceHistory, SavedPlace
from conflict_ledger.errors import SavedIndexWarning
from conflict_ledger.ledger import Ledger
from conflict_ledger.rules.territory import Access, Change, Side, Status
from conflict_ledger.stores.base import IntegrityError
from conflict_ledger.time import Precision, ValidTime

if TYPE_CHECKING:
    from conflict_ledger.engine.index import AsOfIndex

__all__ = ["NAME", "dump", "read"]

NAME = "as-of-index"
"""The name the ledger's store keeps a saved index under."""

FORMAT = 2

_PLACE_FIELDS = (
    "ops",
    "starts",
    "cancel",
    "reach",
    "checkpoints",
    "marks",
    "holders",
    "walls",
    "first_live",
    "clean",
    "touched",
    "touched_at",
)
"""A place's fields as saved, in order (``memo`` and ``rows`` are caches, not saved)."""

LAYOUT = hashlib.sha256(
    repr(
        (
            FORMAT,
            _PLACE_FIELDS,
            PlaceHistory.__slots__,
            Columns.__slots__,
            LateKnowledge.__slots__,
            ff.CLAIM,
            ff.EMPTY,
        )
    ).encode()
).hexdigest()[:16]
"""A fingerprint of the shapes saved: a saved index of another layout is built anew."""


_ENUMS = (Access, Change, Side, Status)
"""The territory's enumerations a fold's state holds."""


def _enum_or_unpickle(kind: Any, name: str) -> Any:
    """The only attributes a saved index names: a precision by name, the zone reader."""
    if kind is Precision or kind in _ENUMS:
        return kind[name]
    if kind is Timezone and name == "_unpickle":
        return Timezone._unpickle  # type: ignore[attr-defined]
    raise pickle.UnpicklingError(f"a saved index does not name {kind!r}.{name}")


_ALLOWED: dict[tuple[str, str], Any] = {
    ("conflict_ledger.time", "ValidTime"): ValidTime,
    ("conflict_ledger.time", "Precision"): Precision,
    **{("conflict_ledger.rules.territory", kind.__name__): kind for kind in _ENUMS},
    ("pendulum.datetime", "DateTime"): pendulum.DateTime,
    ("pendulum.tz.timezone", "Timezone"): Timezone,
    ("pendulum.tz.timezone", "FixedTimezone"): FixedTimezone,
    ("array", "array"): array,
    ("array", "_array_reconstructor"): _array_module._array_reconstructor,  # type: ignore[attr-defined]
    ("conflict_ledger.engine._columns", "Columns"): Columns,
    ("conflict_ledger.engine._columns", "LateKnowledge"): LateKnowledge,
    ("builtins", "int"): int,
    ("conflict_ledger.engine._saved", "_window"): None,  # set below, once defined
    ("builtins", "getattr"): _enum_or_unpickle,
}


class _Reader(pickle.Unpickler):
    """Unpickling limited to the types an index holds (the Python documentation's
    "restricting globals"): any other name is refused, so no saved bytes run code."""

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"a saved index does not name {module}.{name}")
        return found


class _Writer(pickle.Pickler):
    """Pickling that saves a claim an index holds as its ledger position."""

    def __init__(self, file: io.BytesIO, position: Any) -> None:
        super().__init__(file, protocol=5)
        self._position = position

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Claim):
            return int, (self._position(obj),)
        if type(obj) is ValidTime:  # attrs' generic __setstate__ costs 6 us a window
            return _window, (obj.start, obj.end, obj.precision)
        return NotImplemented


_new, _set = object.__new__, object.__setattr__


def _window(start: pendulum.DateTime, end: pendulum.DateTime, precision: Precision) -> ValidTime:
    """A saved window as it was (checked when it was first made): its fields set directly."""
    window = _new(ValidTime)
    _set(window, "start", start)
    _set(window, "end", end)
    _set(window, "precision", precision)
    return window


_ALLOWED["conflict_ledger.engine._saved", "_window"] = _window


def _pickled(value: Any, position: Any) -> bytes:
    buffer = io.BytesIO()
    _Writer(buffer, position).dump(value)
    return buffer.getvalue()


def _unpickled(data: bytes) -> Any:
    return _Reader(io.BytesIO(data)).load()


# -- saving --------------------------------------------------------------------------------


def dump(index: AsOfIndex) -> bytes:
    """The saved form of ``index`` (settled first), as :func:`read` reads it."""
    index._settled()  # every place folded, the columns up to date
    entries = index._by_slot
    ledger = index.ledger
    by_id: dict[str, int] = {}

    def position(claim: Claim) -> int:
        found = by_id.get(claim.id)
        if found is None:
            found = by_id[claim.id] = ledger.record(claim.id).position
        return found

    packer = zstandard.ZstdCompressor(level=3, write_checksum=True)
    frames = [packer.compress(_pickled(_place_fields(entry), position)) for entry in entries]
    shared = packer.compress(_pickled(_shared(index, frames), position))
    body = shared + b"".join(frames)
    header = {
        "format": FORMAT,
        "layout": LAYOUT,
        "size": index._seen,
        "last": _last_hash(ledger, index._seen),
        "every": index._every,
        "column_every": index._column_every,
        "shared": len(shared),
        "body": hashlib.sha256(body).hexdigest(),
    }
    return orjson.dumps(header) + b"\n" + body


def _place_fields(entry: PlaceHistory) -> tuple[Any, ...]:
    return tuple(getattr(entry, field) for field in _PLACE_FIELDS)


def _shared(index: AsOfIndex, frames: list[bytes]) -> dict[str, Any]:
    return {
        "names": [entry.place for entry in index._by_slot],
        "lengths": array("Q", [len(frame) for frame in frames]).tobytes(),
        "cancelled": index._cancelled,
        "starts": array("q", index._starts).tobytes(),
        "starters": array("i", [entry.slot for entry in index._starters]).tobytes(),
        "settles": array("q", index._start_settles).tobytes(),
        "moves": bytes(index._start_moves),
        "columns": index._columns,
        "first_agrees": index._first_agrees,
        "late": index._late,
        "graded": index._graded,  # (fold key, claim): each claim saved as its position
    }


def _last_hash(ledger: Ledger, size: int) -> str | None:
    """The SHA-256 the store holds for the record at ``size - 1``: which ledger it is."""
    if size == 0:
        return None
    stored = next(iter(ledger.store.records(size - 1)), None)
    return None if stored is None else stored.hash.hex()


# -- reading -------------------------------------------------------------------------------


def read(
    kind: type[AsOfIndex],
    ledger: Ledger,
    data: bytes,
    *,
    every: int,
    column_every: int | None,
    progress: Any,
) -> AsOfIndex | None:
    """The index (of class ``kind``) saved in ``data`` over ``ledger``, not brought up to
    date; None, with a :class:`~conflict_ledger.errors.SavedIndexWarning` saying why,
    when it does not fit the ledger or these options, or is damaged."""
    header, body, problem = _opened(ledger, data, every=every, column_every=column_every)
    if problem is not None or header is None:
        warnings.warn(SavedIndexWarning(path=ledger.store.path, problem=problem), stacklevel=3)
        return None
    try:
        shared = _unpickled(zstandard.ZstdDecompressor().decompress(body[: header["shared"]]))
        places = body[header["shared"] :]
        return _restored(kind.__new__(kind), ledger, shared, places, header, progress)
    except (pickle.UnpicklingError, zstandard.ZstdError, ValueError, KeyError, TypeError) as error:
        problem = f"its shared part does not read ({error})"
        warnings.warn(SavedIndexWarning(path=ledger.store.path, problem=problem), stacklevel=3)
        return None


def _opened(
    ledger: Ledger, data: bytes, *, every: int, column_every: int | None
) -> tuple[dict[str, Any] | None, memoryview, str | None]:
    """The header and body of ``data``, or why they do not fit ``ledger``."""
    line, _, rest = data.partition(b"\n")
    body = memoryview(rest)
    try:
        header = orjson.loads(line)
        checks = (header["format"], header["layout"], header["size"], header["body"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None, body, "its header does not read (damaged)"
    if checks[:2] != (FORMAT, LAYOUT):
        return None, body, "it was saved by another version of conflict_ledger"
    if (header.get("every"), header.get("column_every")) != (every, column_every):
        return None, body, "it was saved with other checkpoint_every / column_every options"
    size = checks[2]
    if not isinstance(size, int) or size > len(ledger):
        return None, body, f"it covers {size} records and the ledger holds {len(ledger)}"
    if _last_hash(ledger, size) != header.get("last"):
        return None, body, f"the ledger's record {size - 1} is not the one it was saved after"
    if hashlib.sha256(body).hexdigest() != checks[3]:
        return None, body, "its bytes do not match their SHA-256 (damaged)"
    return header, body, None


def _restored(
    index: AsOfIndex,
    ledger: Ledger,
    shared: dict[str, Any],
    places: memoryview,
    header: dict[str, Any],
    progress: Any,
) -> AsOfIndex:
    index._begin(ledger, header["every"], header["column_every"], progress)
    lengths = array("Q")
    lengths.frombytes(shared["lengths"])
    path, offset = ledger.store.path, 0
    entries: list[PlaceHistory] = []
    for slot, (name, length) in enumerate(zip(shared["names"], lengths, strict=True)):
        frame = places[offset : offset + length]
        entries.append(SavedPlace(name, slot, functools.partial(_read_place, frame, path)))
        offset += length
    index._by_slot = entries
    index._places = {entry.place: entry for entry in entries}
    index._sorted = sorted(entries, key=lambda entry: entry.place)
    index._cancelled = shared["cancelled"]
    index._starts = _numbers("q", shared["starts"])
    index._starters = [entries[slot] for slot in _numbers("i", shared["starters"])]
    index._start_settles = _numbers("q", shared["settles"])
    index._start_moves = bytearray(shared["moves"])
    index._columns = shared["columns"]
    index._first_agrees = shared["first_agrees"]
    index._late = shared["late"]
    graded = shared["graded"]
    claims = ledger.at_positions([position for _, position in graded])
    index._graded = [(key, record.claim) for (key, _), record in zip(graded, claims, strict=True)]
    index._seen = header["size"]
    return index


def _numbers(typecode: str, data: bytes) -> list[int]:
    numbers = array(typecode)
    numbers.frombytes(data)
    return numbers.tolist()


def _read_place(frame: memoryview, path: str, entry: PlaceHistory) -> None:
    """Set ``entry``'s fields from its saved frame (checked with the body at open)."""
    try:
        fields = _unpickled(zstandard.ZstdDecompressor().decompress(frame))
    except (pickle.UnpicklingError, zstandard.ZstdError, ValueError, TypeError) as error:
        raise IntegrityError(
            path=path,
            problem=f"the saved index's place {entry.place!r} does not read ({error})",
            hint="Save the index again (conflict-ledger index LEDGER).",
        ) from None
    for field, value in zip(_PLACE_FIELDS, fields, strict=True):
        setattr(entry, field, value)
    entry.memo = {}
    entry.rows = 0
