"""How a compact SQLite ledger packs its claim records (private; ``stores.sqlite`` uses it).

Two packers, each a pair of ``pack``/``unpack`` over one record's canonical bytes:

* :class:`Zstd` (what new files use): one Zstandard frame a record, against the newest
  dictionary the file holds. Frames that name no dictionary use the raw-content one;
  a frame that names dictionary ``n`` uses the trained dictionary ``n``.
* :class:`Deflate` (files written before): a raw deflate stream primed with a preset
  dictionary.

``unpack`` never raises on damaged bytes: it returns ``b""``, which fails the record's
SHA-256 check, and the store names the record. A frame naming a dictionary this packer
has not loaded raises :class:`UnknownDictionaryError`, so the store can load it and retry.

>>> packer = Zstd(b'{"claim":{"event":', {})
>>> data = b'{"claim":{"event":{"type":"captured"}}}'
>>> packer.unpack(packer.pack(data)) == data, packer.unpack(b"garbage")
(True, b'')
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence

import zstandard

__all__ = ["Deflate", "UnknownDictionaryError", "Zstd", "train"]


class UnknownDictionaryError(LookupError):
    """A frame names a dictionary the packer has not loaded (another writer trained it)."""


class Zstd:
    """Zstandard frames against a raw-content ``base`` dictionary, or against the newest
    of the ``trained`` ones (by dictionary id) once there is one."""

    def __init__(self, base: bytes, trained: Mapping[int, bytes], *, level: int = 3) -> None:
        raw = zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        self._level = level
        self._readers = {0: zstandard.ZstdDecompressor(dict_data=raw)}
        self._writer = zstandard.ZstdCompressor(
            level=level, dict_data=raw, write_checksum=False, write_dict_id=False
        )
        for ident in sorted(trained):
            self.add(ident, trained[ident])

    def add(self, ident: int, data: bytes) -> None:
        """Load trained dictionary ``ident``; new records are packed against the newest."""
        found = zstandard.ZstdCompressionDict(data, dict_type=zstandard.DICT_TYPE_FULLDICT)
        self._readers[ident] = zstandard.ZstdDecompressor(dict_data=found)
        if ident == max(self._readers):
            self._writer = zstandard.ZstdCompressor(
                level=self._level, dict_data=found, write_checksum=False, write_dict_id=True
            )

    @property
    def trained(self) -> bool:
        """Whether a trained dictionary is loaded."""
        return len(self._readers) > 1

    def pack(self, data: bytes) -> bytes:
        """One frame holding ``data``."""
        return self._writer.compress(data)

    def pack_many(self, datas: Sequence[bytes]) -> list[bytes]:
        """One frame for each of ``datas``, the same frames :meth:`pack` makes, compressed
        in one call to the C library where the binding offers it (a third cheaper)."""
        many = getattr(self._writer, "multi_compress_to_buffer", None)
        if many is None or len(datas) < 2:  # the CFFI backend has no batch call
            return [self._writer.compress(data) for data in datas]
        return [segment.tobytes() for segment in many(list(datas))]

    def unpack(self, packed: bytes) -> bytes:
        """The bytes a frame holds (``b""`` when it is damaged)."""
        try:
            ident = zstandard.get_frame_parameters(packed).dict_id
        except zstandard.ZstdError:
            return b""
        reader = self._readers.get(ident)
        if reader is None:
            raise UnknownDictionaryError(ident)
        try:
            data: bytes = reader.decompress(packed)
        except zstandard.ZstdError:
            return b""
        return data


def train(samples: Sequence[bytes], ident: int, size: int) -> bytes | None:
    """A dictionary of about ``size`` bytes trained on ``samples``, numbered ``ident``
    (None when zstd finds too little to train on).

    >>> records = [b'{"claim":{"id":"c%d","place":"p%d"},"position":%d}' % (i, i % 7, i)
    ...            for i in range(2000)]
    >>> zstandard.ZstdCompressionDict(train(records, 1, 1024)).dict_id()
    1
    """
    chunks: list[bytes | bytearray | memoryview] = list(samples)
    try:
        return bytes(zstandard.train_dictionary(size, chunks, dict_id=ident).as_bytes())
    except zstandard.ZstdError:
        return None


class Deflate:
    """Raw deflate streams primed with a preset ``dictionary`` (the older compact files)."""

    # How new records were deflated: a 4 KiB window holds the dictionary and a record; a
    # small hash table (memory level 4) made the primed compressor cheap to copy.
    LEVEL = 1
    WINDOW_BITS = 12
    MEMORY_LEVEL = 4

    def __init__(self, dictionary: bytes) -> None:
        self._dictionary = dictionary
        self._compressor = zlib.compressobj(
            self.LEVEL,
            zlib.DEFLATED,
            -self.WINDOW_BITS,
            self.MEMORY_LEVEL,
            zlib.Z_DEFAULT_STRATEGY,
            dictionary,
        )

    trained = False

    def pack(self, data: bytes) -> bytes:
        """A raw deflate stream of ``data`` (a primed copy: cheaper than a new compressor)."""
        packer = self._compressor.copy()
        packed: bytes = packer.compress(data) + packer.flush()
        return packed

    def unpack(self, packed: bytes) -> bytes:
        """The inflated bytes (``b""`` when they do not inflate).

        A new inflater per record costs less than copying a primed one, and a window
        the size this library writes with is cheaper to set up than 32 KiB. A record
        that refers further back (another writer's) stops with an error, and is
        inflated again with the widest window: the bytes come out the same whatever
        window reads them, or not at all.
        """
        try:
            data: bytes = zlib.decompressobj(-self.WINDOW_BITS, self._dictionary).decompress(packed)
        except zlib.error:
            try:
                data = zlib.decompressobj(-15, self._dictionary).decompress(packed)
            except zlib.error:
                return b""
        return data
