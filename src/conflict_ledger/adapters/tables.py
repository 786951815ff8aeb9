"""Dataset files as they come: encodings, separators, gzip, ``NA`` markers, a header.

ACLED and UCDP files reach an analyst through many hands: the ACLED export tool writes
UTF-8 with ``,``; R's ``write.csv`` writes ``NA`` for a missing value; European
spreadsheets save with ``;``; Excel on Windows saves cp1252 ("ANSI") or UTF-16
("Unicode text"); archives are ``.csv.gz``. :func:`read_table` takes any of them and
gives a :class:`Table`: the header (names trimmed, lower-cased), the data rows with
their line numbers, and what it detected. A file that cannot be read as a table (an
Excel workbook, an empty file, a header with no rows) is one
:class:`~conflict_ledger.errors.DatasetFileError`, never a traceback.

>>> import io
>>> table = read_table(io.StringIO("A;B\\n1;NA\\n\\n2;x\\n"), what="a CSV")
>>> table.header, table.delimiter, [(line, values) for line, values in table.rows]
(('a', 'b'), ';', [(2, ['1', '']), (4, ['2', 'x'])])
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import attrs

from conflict_ledger.errors import DatasetFileError

__all__ = ["MISSING_MARKERS", "Table", "decode", "read_table"]

MISSING_MARKERS = frozenset({"NA", "<NA>", "NaN", "nan", "NULL", "null", "#N/A", "N/A"})
"""Whole cells read as empty: R's ``NA``, pandas' ``NaN``/``<NA>``, SQL's ``NULL``, Excel's ``#N/A``."""

_ENCODING_HINT = (
    "Pass the file's encoding (encoding='cp1252', 'latin-1' or 'utf-16'; "
    "--encoding on the command line), or leave it out to detect it"
)


@attrs.frozen(kw_only=True)
class Table:
    """A dataset file read as text: header, rows with their 1-based line numbers, and how.

    ``header`` holds the column names trimmed, BOM-free and lower-cased; ``columns``
    them as the file spells them. ``encoding`` and ``delimiter`` are what was detected.
    """

    path: str
    header: tuple[str, ...]
    columns: tuple[str, ...]
    rows: Sequence[tuple[int, list[str]]]
    encoding: str
    delimiter: str


def decode(data: bytes, *, path: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file's bytes and the encoding it was read with.

    Without ``encoding``: a UTF-16 byte-order mark or NUL-padded text is UTF-16, text
    that is valid UTF-8 is UTF-8, else cp1252 (Windows "ANSI"), else Latin-1.

    >>> decode("Ḩarastā".encode("utf-16"), path="x.csv")
    ('Ḩarastā', 'utf-16')
    >>> decode(b"Alepp\\xe9 \\x96 Idlib", path="x.csv") == ("Aleppé \\u2013 Idlib", "cp1252")
    True
    >>> decode(b"\\xff\\xfe\\x00", path="x.csv", encoding="utf-8")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.DatasetFileError: x.csv: the file is not utf-8 (byte 0 is b'\\xff'). ...
    """
    if data.startswith(b"PK\x03\x04"):
        raise DatasetFileError(
            path=path,
            problem="this is a zip archive or an Excel workbook, not a CSV file",
            hint="Save the sheet as CSV (or unzip the archive) and import that",
        )
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as error:
            where = (
                f" (byte {error.start} is {data[error.start : error.start + 1]!r})"
                if isinstance(error, UnicodeDecodeError)
                else ""
            )
            raise DatasetFileError(
                path=path,
                problem=f"the file is not {encoding}{where}",
                hint=_ENCODING_HINT,
                encoding=encoding,
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16(data, "utf-16", path), "utf-16"
    head = data[:4000]
    if head and head.count(0) * 3 > len(head):
        guess = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return _utf16(data, guess, path), guess
    for candidate in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        return text, "utf-8" if candidate == "utf-8-sig" else candidate
    return data.decode("latin-1"), "latin-1"


def _utf16(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DatasetFileError(
            path=path,
            problem=f"the file looks like {encoding} but byte {error.start} is not",
            hint=_ENCODING_HINT,
            encoding=encoding,
        ) from None


def _text(
    source: str | os.PathLike[str] | IO[str], *, what: str, encoding: str | None
) -> tuple[str, str, str]:
    if not isinstance(source, str | os.PathLike):
        return source.read().lstrip("\ufeff"), str(getattr(source, "name", "<stream>")), "text"
    path = os.fspath(source)
    try:
        data = Path(source).read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file; give the path of {what}") from None
    if data.startswith(b"\x1f\x8b"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise DatasetFileError(
                path=path,
                problem=f"the file is gzip-compressed but cannot be unpacked ({error})",
                hint="Download it again, or unpack it yourself and import the CSV",
            ) from None
    text, found = decode(data, path=path, encoding=encoding)
    return text.lstrip("\ufeff"), path, found


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_table(
    source: str | os.PathLike[str] | IO[str],
    *,
    what: str,
    encoding: str | None = None,
    name: str | None = None,
) -> Table:
    """Read a dataset file (a path, ``.gz`` or not, or a text stream) as a :class:`Table`.

    Cells equal to a :data:`MISSING_MARKERS` entry become empty; blank lines are
    skipped. An empty file or one with a header and no rows is a
    :class:`~conflict_ledger.errors.DatasetFileError`.

    >>> read_table(io.StringIO("event_id_cnty,event_date\\n"), what="an ACLED export", name="x.csv")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.DatasetFileError: x.csv: the file has a header and no rows. ...
    """
    text, path, found = _text(source, what=what, encoding=encoding)
    path = name or path
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise DatasetFileError(
            path=path,
            problem="the file is empty",
            hint=f"Give {what}, with its header line first",
        )
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = tuple(next(reader))
    header = tuple(column.strip().lstrip("\ufeff").casefold() for column in columns)
    rows: list[tuple[int, list[str]]] = []
    line = reader.line_num + 1
    markers = MISSING_MARKERS
    for values in reader:
        if any(values):
            if not markers.isdisjoint(values):
                values = ["" if v in markers else v for v in values]
            rows.append((line, values))
        line = reader.line_num + 1
    if not rows:
        raise DatasetFileError(
            path=path,
            problem="the file has a header and no rows",
            hint="Export the rows too; nothing was written",
        )
    return Table(
        path=path,
        header=header,
        columns=columns,
        rows=rows,
        encoding=found,
        delimiter=delimiter,
    )
