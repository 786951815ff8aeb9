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
* one zstd frame a place: its compiled claims as columns (codes, instants in
  microseconds and positions as arrays, names as lists, each window as its end and
  precision). A place is read on the first question that needs more than its holder
  code (:class:`~conflict_ledger.engine._places.SavedPlace`): its claims are rebuilt as
  tuples, whose window and end instant are made only where a state is frozen
  (:func:`~conflict_ledger.engine._fastfold.valid_window`), and folded again into its
  checkpoints (the fold runs at about a million claims a second; unpickling the
  checkpoints' objects was ten times slower).

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
import itertools
import pickle
import warnings
from array import array
from typing import TYPE_CHECKING, Any

import orjson
import zstandard

from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine import _intake
from conflict_ledger.engine._columns import Columns, LateKnowledge
from conflict_ledger.engine._places import PlaceHistory, SavedPlace
from conflict_ledger.errors import SavedIndexWarning
from conflict_ledger.ledger import Ledger
from conflict_ledger.stores.base import IntegrityError
from conflict_ledger.time import Precision

if TYPE_CHECKING:
    from conflict_ledger.engine.index import AsOfIndex

__all__ = ["NAME", "dump", "read"]

NAME = "as-of-index"
"""The name the ledger's store keeps a saved index under."""

FORMAT = 3

_OP_COLUMNS = ("codes", "actors", "others", "ids", "starts", "ends", "reported", "valid_ends")
"""A place's compiled claims as saved: one column each, then their precisions and
positions (see :func:`_place_columns`); its checkpoints are folded again when read."""

LAYOUT = hashlib.sha256(
    repr(
        (
            FORMAT,
            _OP_COLUMNS,
            PlaceHistory.__slots__,
            Columns.__slots__,
            LateKnowledge.__slots__,
            ff.CLAIM,
            ff.EMPTY,
        )
    ).encode()
).hexdigest()[:16]
"""A fingerprint of the shapes saved: a saved index of another layout is built anew."""


_ALLOWED: dict[tuple[str, str], Any] = {
    ("conflict_ledger.time", "Precision"): Precision,
    ("array", "array"): array,
    ("array", "_array_reconstructor"): _array_module._array_reconstructor,  # type: ignore[attr-defined]
    ("conflict_ledger.engine._columns", "Columns"): Columns,
    ("conflict_ledger.engine._columns", "LateKnowledge"): LateKnowledge,
    ("builtins", "int"): int,
}
"""Every name a saved index may name: numbers, strings, arrays, the holder columns, the
claims known late, the precisions of windows. Nothing callable beyond their constructors."""


_DAMAGED = (
    pickle.UnpicklingError,
    zstandard.ZstdError,
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    EOFError,
)
"""What reading bytes that are not a saved index this code wrote can raise."""


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
        return NotImplemented


def _pickled(value: Any, position: Any) -> bytes:
    buffer = io.BytesIO()
    _Writer(buffer, position).dump(value)
    return buffer.getvalue()


def _unpickled(data: bytes) -> Any:
    return _Reader(io.BytesIO(data)).load()


# -- saving --------------------------------------------------------------------------------


def dump(index: AsOfIndex) -> bytes:
    """The saved form of ``index`` (settled first), as :func:`read` reads it."""
    _intake.settled(index)  # every place folded, the columns up to date
    entries = index._by_slot
    ledger = index.ledger
    by_id: dict[str, int] = {}

    def position(claim: Claim) -> int:
        found = by_id.get(claim.id)
        if found is None:
            found = by_id[claim.id] = ledger.record(claim.id).position
        return found

    packer = zstandard.ZstdCompressor(level=3, write_checksum=True)
    frames = [
        packer.compress(_pickled(_place_columns(entry, position), position)) for entry in entries
    ]
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


def _place_columns(entry: PlaceHistory, position: Any) -> tuple[Any, ...]:
    """A place's compiled claims as columns: numbers as arrays, names as lists (a name
    shared by claims is saved once), windows as their end and precision, claims as their
    ledger positions. What the fold derives from them is not saved."""
    ops = entry.ops
    windows = [ff.valid_window(op) if type(op[ff.VALID]) is not tuple else None for op in ops]
    valid_ends = [
        op[ff.VALID][0] if window is None else ff.micros(window.end)
        for op, window in zip(ops, windows, strict=True)
    ]
    precisions = [
        op[ff.VALID][1] if window is None else window.precision
        for op, window in zip(ops, windows, strict=True)
    ]
    claims = [op[ff.CLAIM] for op in ops]
    return (
        array("b", [op[ff.CODE] for op in ops]).tobytes(),
        [op[ff.ACTOR] for op in ops],
        [op[ff.OTHER] for op in ops],
        [op[ff.CID] for op in ops],
        array("q", [op[ff.START] for op in ops]).tobytes(),
        array("q", [op[ff.END] for op in ops]).tobytes(),
        array("q", [op[ff.REPORTED] for op in ops]).tobytes(),
        array("q", valid_ends).tobytes(),
        precisions,
        array("q", [c if type(c) is int else position(c) for c in claims]).tobytes(),
    )


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
    except _DAMAGED as error:
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
    index._cancelled = shared["cancelled"]
    # A place read later is folded as it was saved, with the cancellations known then:
    # one made since marks the place, whose settling then patches the holder columns.
    saved_cancelled = dict(index._cancelled)
    path, offset = ledger.store.path, 0
    entries: list[PlaceHistory] = []
    for slot, (name, length) in enumerate(zip(shared["names"], lengths, strict=True)):
        frame = places[offset : offset + length]
        read = functools.partial(_read_place, frame, path, saved_cancelled, index._every)
        entries.append(SavedPlace(name, slot, read))
        offset += length
    index._by_slot = entries
    index._places = {entry.place: entry for entry in entries}
    index._sorted = sorted(entries, key=lambda entry: entry.place)
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


def _read_place(
    frame: memoryview, path: str, cancelled: dict[str, int], every: int, entry: PlaceHistory
) -> None:
    """Set ``entry``'s claims from its saved frame (checked with the body at open), and
    fold them again into its checkpoints (``cancelled``: the index's, as it was saved)."""
    try:
        columns = _unpickled(zstandard.ZstdDecompressor().decompress(frame))
        codes, actors, others, ids, starts, ends, reported, valid_ends, precisions, claims = columns
        ops = list(
            zip(
                _numbers("b", codes),
                actors,
                others,
                ids,
                _numbers("q", starts),
                _numbers("q", ends),
                _numbers("q", reported),
                zip(_numbers("q", valid_ends), precisions, strict=True),
                itertools.repeat(None),
                _numbers("q", claims),
                strict=False,  # the repeat has no end
            )
        )
    except _DAMAGED as error:
        raise IntegrityError(
            path=path,
            problem=f"the saved index's place {entry.place!r} does not read ({error})",
            hint="Save the index again (conflict-ledger index LEDGER).",
        ) from None
    PlaceHistory.__init__(entry, entry.place, slot=entry.slot)
    entry.ops = ops
    if ops:
        entry.mark(0, ops[-1], len(ops) - 1)
        entry.settle(cancelled, every)
