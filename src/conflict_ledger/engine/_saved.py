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
* one zstd frame of the positions of the records by the places their events name, and
  of what cancels each claim (:class:`~conflict_ledger.engine._explain.Mentions`), read on
  the first explanation or timeline;
* one zstd frame a place: its compiled claims as columns (codes, instants in
  microseconds and positions as bytes, names as lists, each window as its end and
  precision), and its fold as known when saved after every :data:`CHECKPOINT_EVERY`
  claims, each pickled alone. A state as known now of a place not read yet is the
  checkpoint before it and the few claims after (:meth:`_Frame.fold_at`), and the place
  stays unread: the CLI's table of every place reads each place once, that way. Any
  other question reads the place
  (:class:`~conflict_ledger.engine._places.SavedPlace`): its claims are rebuilt as
  tuples, whose window and end instant are made only where a state is frozen
  (:func:`~conflict_ledger.engine._fastfold.valid_window`), and folded again into the
  index's own checkpoints and derived lists (the fold runs at about a million claims a
  second).

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
import threading
import warnings
from array import array
from bisect import bisect_right
from typing import TYPE_CHECKING, Any, TypeVar

import orjson
import zstandard

from conflict_ledger.claims import Claim
from conflict_ledger.engine import _fastfold as ff
from conflict_ledger.engine import _intake
from conflict_ledger.engine._columns import Columns, LateKnowledge
from conflict_ledger.engine._explain import Mentions
from conflict_ledger.engine._places import NEVER, PlaceHistory, SavedPlace
from conflict_ledger.errors import SavedIndexWarning
from conflict_ledger.ledger import Ledger
from conflict_ledger.rules.territory import Access
from conflict_ledger.stores.base import IntegrityError
from conflict_ledger.time import Precision

if TYPE_CHECKING:
    from conflict_ledger.engine._state import IndexState

__all__ = ["NAME", "dump", "read"]

_Index = TypeVar("_Index", bound="IndexState")

NAME = "as-of-index"
"""The name the ledger's store keeps a saved index under."""

FORMAT = 4

_BODY = ("shared", "mentions", "places")
"""The parts of a saved index's body, in order: each a zstd frame (a frame a place)."""

_MENTIONS = ("seen", "about", "cancellers", "datasets")
"""What the records-by-place frame holds (:meth:`Mentions.saved`)."""

_OP_COLUMNS = ("codes", "actors", "others", "ids", "starts", "ends", "reported", "valid_ends")
"""A place's compiled claims as saved: one column each, then their precisions and
positions (see :func:`_place_columns`), then its checkpoints as known when saved."""

_PRECISIONS = tuple(Precision)
_PRECISION_CODE = {precision: code for code, precision in enumerate(_PRECISIONS)}
"""A window's precision is saved as its place in :class:`Precision` (a byte)."""

CHECKPOINT_EVERY = 16
"""A saved place keeps its fold, as known when saved, after every this many claims: a
state as known now is that fold and at most this many claims more (:meth:`_Frame.fold_at`)."""

LAYOUT = hashlib.sha256(
    repr(
        (
            FORMAT,
            _BODY,
            _MENTIONS,
            _OP_COLUMNS,
            _PRECISIONS,
            CHECKPOINT_EVERY,
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
    ("conflict_ledger.rules.territory", "Access"): Access,
    ("array", "array"): array,
    ("array", "_array_reconstructor"): _array_module._array_reconstructor,  # type: ignore[attr-defined]
    ("conflict_ledger.engine._columns", "Columns"): Columns,
    ("conflict_ledger.engine._columns", "LateKnowledge"): LateKnowledge,
    ("builtins", "int"): int,
}
"""Every name a saved index may name: numbers, strings, arrays, the holder columns, the
claims known late, the precisions of windows and a crossing's access in a checkpoint.
Nothing callable beyond their constructors."""


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


def dump(index: IndexState) -> bytes:
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
    cancelled = index._cancelled
    frames = []
    for entry in entries:
        columns = _place_columns(entry, position)
        ops = _ops(columns, ledger.store.path, entry.place)
        columns += (_checkpoints(ops, cancelled, position),)
        frames.append(packer.compress(_pickled(columns, position)))
    shared = packer.compress(_pickled(_shared(index, frames), position))
    mentions = packer.compress(_pickled(_mentions_to_save(index).saved(), position))
    body = shared + mentions + b"".join(frames)
    header = {
        "format": FORMAT,
        "layout": LAYOUT,
        "size": index._seen,
        "last": _last_hash(ledger, index._seen),
        "every": index._every,
        "column_every": index._column_every,
        "shared": len(shared),
        "mentions": len(mentions),
        "body": hashlib.sha256(body).hexdigest(),
    }
    return orjson.dumps(header) + b"\n" + body


def _mentions_to_save(index: IndexState) -> Mentions:
    """The index's records by place up to what it covers (read as outlines if they were
    not read: about 10 us a record, once, at the save)."""
    found = index._mentions
    if callable(found):  # saved before, not asked for since
        found = found()
    if found is None or found.seen > index._seen:
        found = Mentions()
    found.read(index.ledger, until=index._seen)
    index._mentions = found
    return found


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
        bytes(_PRECISION_CODE[precision] for precision in precisions),
        array("q", [c if type(c) is int else position(c) for c in claims]).tobytes(),
    )


def _checkpoints(ops: list[ff.Op], cancelled: dict[str, int], position: Any) -> list[bytes]:
    """A place's fold as known now after every :data:`CHECKPOINT_EVERY` claims, of its
    claims as a saved index reads them back (so the windows it rests on are saved as
    those claims), each pickled alone: a question reads only the one it starts from."""
    state, saved = ff.EMPTY, []
    for begin in range(0, len(ops) - CHECKPOINT_EVERY + 1, CHECKPOINT_EVERY):
        block = ops[begin : begin + CHECKPOINT_EVERY]
        state = ff.fold(state, [op for op in block if op[ff.CID] not in cancelled])
        saved.append(_pickled(state, position))
    return saved


def _shared(index: IndexState, frames: list[bytes]) -> dict[str, Any]:
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
    kind: type[_Index],
    ledger: Ledger,
    data: bytes,
    *,
    every: int,
    column_every: int | None,
    progress: Any,
) -> _Index | None:
    """The index (of class ``kind``) saved in ``data`` over ``ledger``, not brought up to
    date; None, with a :class:`~conflict_ledger.errors.SavedIndexWarning` saying why,
    when it does not fit the ledger or these options, or is damaged."""
    header, body, problem = _opened(ledger, data, every=every, column_every=column_every)
    if problem is not None or header is None:
        warnings.warn(SavedIndexWarning(path=ledger.store.path, problem=problem), stacklevel=3)
        return None
    try:
        shared = _unpickled(zstandard.ZstdDecompressor().decompress(body[: header["shared"]]))
        mentions_end = header["shared"] + header["mentions"]
        places = body[mentions_end:]
        index = _restored(kind.__new__(kind), ledger, shared, places, header, progress)
        frame = body[header["shared"] : mentions_end]
        index._mentions = functools.partial(_read_mentions, frame, ledger.store.path)
        return index
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
    index: _Index,
    ledger: Ledger,
    shared: dict[str, Any],
    places: memoryview,
    header: dict[str, Any],
    progress: Any,
) -> _Index:
    index._begin(ledger, header["every"], header["column_every"], progress)
    lengths = array("Q")
    lengths.frombytes(shared["lengths"])
    index._cancelled = shared["cancelled"]
    # A place read later is folded as it was saved, with the cancellations known then:
    # one made since marks the place, whose settling then patches the holder columns.
    saved_cancelled = dict(index._cancelled)
    path, offset, inflate, every = ledger.store.path, 0, _Inflater(), index._every
    entries: list[PlaceHistory] = []
    for slot, (name, length) in enumerate(zip(shared["names"], lengths, strict=True)):
        frame = places[offset : offset + length]
        entries.append(SavedPlace(name, slot, _Frame(frame, inflate, path, saved_cancelled, every)))
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
    index._seen = index._saved_size = header["size"]
    return index


def _numbers(typecode: str, data: bytes, cut: slice | None = None) -> list[int]:
    numbers = array(typecode)
    numbers.frombytes(data)
    return (numbers if cut is None else numbers[cut]).tolist()


def _read_mentions(frame: memoryview, path: str) -> Mentions:
    """The records by place saved with the index (checked with the body at open)."""
    try:
        return Mentions.of_saved(_unpickled(zstandard.ZstdDecompressor().decompress(frame)))
    except _DAMAGED as error:
        raise IntegrityError(
            path=path,
            problem=f"the saved index's records by place do not read ({error})",
            hint="Save the index again (conflict-ledger index LEDGER).",
        ) from None


class _Inflater:
    """One zstd decompressor for the places of a saved index (making one costs about as
    much as inflating a place), used by one thread at a time."""

    __slots__ = ("_decompressor", "_lock")

    def __init__(self) -> None:
        self._decompressor = zstandard.ZstdDecompressor()
        self._lock = threading.Lock()

    def __call__(self, data: memoryview) -> bytes:
        with self._lock:
            return self._decompressor.decompress(data)


class _Frame:
    """A place's saved frame (checked with the body at open): read whole into its
    history (calling it), or folded at one instant alone (:meth:`fold_at`)."""

    __slots__ = ("cancelled", "data", "every", "inflate", "path")

    def __init__(
        self,
        data: memoryview,
        inflate: _Inflater,
        path: str,
        cancelled: dict[str, int],
        every: int,
    ) -> None:
        self.data, self.inflate, self.path = data, inflate, path
        self.cancelled, self.every = cancelled, every

    def _columns(self, place: str) -> tuple[Any, ...]:
        try:
            columns = _unpickled(self.inflate(self.data))
            if not isinstance(columns, tuple) or len(columns) != 11:
                raise ValueError("not eleven columns")
            return columns
        except _DAMAGED as error:
            raise _damaged(self.path, place, error) from None

    def __call__(self, history: PlaceHistory) -> None:
        """Set ``history``'s claims from the frame, and fold them again into its
        checkpoints (with the index's cancellations as they were saved)."""
        ops = _ops(self._columns(history.place), self.path, history.place)
        PlaceHistory.__init__(history, history.place, slot=history.slot)
        history.ops = ops
        if ops:
            history.mark(0, ops[-1], len(ops) - 1)
            history.settle(self.cancelled, self.every)

    def fold_at(self, place: str, at: int, known: int | None = None) -> ff.Frozen | None:
        """The fold of the place's claims that start by ``at``, as known at ``known``
        (None: as known when saved), None when none of them counts then: what
        :meth:`PlaceHistory.lookup` finds, from the saved checkpoint before them (one
        that knowledge at ``known`` agrees with) and the claims after it alone."""
        columns = self._columns(place)
        count = bisect_right(_numbers("q", columns[4]), at)
        ids, cancelled = columns[3], self.cancelled
        if known is None:
            agreeing = count
            counts = [ids[j] not in cancelled for j in range(count)]
        else:
            reported = _numbers("q", columns[6], slice(0, count))
            cancel = [cancelled.get(ids[j], NEVER) for j in range(count)]
            counts = [reported[j] <= known < cancel[j] for j in range(count)]
            agreeing = 0  # the claims up to here are known at ``known`` as when saved
            while (
                agreeing < count
                and (reported[agreeing] if cancel[agreeing] == NEVER else cancel[agreeing]) <= known
            ):
                agreeing += 1
        if not any(counts):
            return None
        k = agreeing // CHECKPOINT_EVERY
        try:
            state = ff.EMPTY if k == 0 else _unpickled(columns[10][k - 1])
        except _DAMAGED as error:
            raise _damaged(self.path, place, error) from None
        begin = k * CHECKPOINT_EVERY
        ops = _ops(columns, self.path, place, begin, count)
        return ff.fold(state, [op for j, op in enumerate(ops, begin) if counts[j]])


def _ops(
    columns: tuple[Any, ...], path: str, place: str, begin: int = 0, end: int | None = None
) -> list[ff.Op]:
    """The compiled claims ``begin`` to ``end`` (None: all) of a place's columns."""
    try:
        codes, actors, others, ids, starts, ends, reported, valid_ends, precisions, claims = (
            columns[:10]
        )
        cut = slice(begin, end)
        return list(
            zip(
                _numbers("b", codes, cut),
                actors[cut],
                others[cut],
                ids[cut],
                _numbers("q", starts, cut),
                _numbers("q", ends, cut),
                _numbers("q", reported, cut),
                zip(
                    _numbers("q", valid_ends, cut),
                    map(_PRECISIONS.__getitem__, precisions[cut]),
                    strict=True,
                ),
                itertools.repeat(None),
                _numbers("q", claims, cut),
                strict=False,  # the repeat has no end
            )
        )
    except _DAMAGED as error:
        raise _damaged(path, place, error) from None


def _damaged(path: str, place: str, error: Exception) -> IntegrityError:
    return IntegrityError(
        path=path,
        problem=f"the saved index's place {place!r} does not read ({error})",
        hint="Save the index again (conflict-ledger index LEDGER).",
    )
