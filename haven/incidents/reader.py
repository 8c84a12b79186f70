"""Reading an export row by row, never the whole file: CSV through csv.DictReader, or JSON
lines one object per line. Each row comes with the line it starts on, for error reports."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO


class FileError(Exception):
    """The file as a whole cannot be read (wrong encoding, wrong columns): nothing more is read."""


class RowError(Exception):
    """One row cannot be imported; the message says why, in terms of the export's columns."""


@dataclass
class Row:
    line: int
    values: dict | None  # None when the row itself could not be read
    error: str = ""


class ExportReader:
    """Iterates the rows of a binary stream; `position` is how many bytes were consumed, for the
    progress bar."""

    def __init__(self, stream: BinaryIO, *, fmt: str, encoding: str, delimiter: str = ","):
        self.stream = stream
        self.fmt = fmt
        self.text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        self.delimiter = delimiter
        self.header: list[str] | None = None
        self._csv: csv.DictReader | None = None
        if fmt == "csv":
            self._csv = csv.DictReader(self.text, delimiter=delimiter)
            try:
                fieldnames = self._csv.fieldnames
            except UnicodeDecodeError as exc:
                self.release()
                raise _encoding_error(exc, 1, encoding) from None
            if not fieldnames:
                self.release()
                raise FileError("The file is empty: expected a header line naming the columns.")
            # Portal exports pad some names ("AREA "): match the profile on the trimmed name.
            self.header = [name.strip() for name in fieldnames]
            self._csv.fieldnames = self.header
        self.encoding = encoding

    def release(self) -> None:
        """Let go of the stream without closing it: the caller opened it and may read it again
        (a strict import reads it twice)."""
        if self.text is not None:
            self.text.detach()
            self.text = None

    @property
    def position(self) -> int:
        try:
            return self.stream.tell()
        except (OSError, ValueError):
            return 0

    def __iter__(self) -> Iterator[Row]:
        try:
            if self._csv is not None:
                yield from self._csv_rows()
            else:
                yield from self._json_rows()
        except UnicodeDecodeError as exc:
            line = self._csv.line_num + 1 if self._csv is not None else 0
            raise _encoding_error(exc, line, self.encoding) from None

    def _csv_rows(self) -> Iterator[Row]:
        # The rows of csv.DictReader, read through its csv.reader with the dict built here:
        # a row's width is checked once instead of each value for None (two passes per row).
        reader = self._csv
        rows = reader.reader
        header = self.header
        width = len(header)
        last = rows.line_num
        try:
            for values in rows:
                if not values:  # a blank line, which DictReader skips (and counts as before)
                    continue
                line = last + 1
                last = rows.line_num
                if len(values) != width:
                    yield Row(line, None, f"has {len(values)} fields; the header has {width}.")
                    continue
                yield Row(line, dict(zip(header, values, strict=True)))
        except csv.Error as exc:
            raise FileError(f"Line {rows.line_num + 1}: the CSV cannot be read ({exc}).") from None

    def _json_rows(self) -> Iterator[Row]:
        for line, text in enumerate(self.text, 1):
            if not text.strip():
                continue
            try:
                values = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Row(line, None, f"is not valid JSON ({exc.msg} at column {exc.colno}).")
                continue
            if not isinstance(values, dict):
                yield Row(line, None, "is not a JSON object ({...}).")
                continue
            yield Row(line, values)


def _encoding_error(exc: UnicodeDecodeError, line: int, encoding: str) -> FileError:
    where = f"Near line {line}" if line else "The file"
    return FileError(
        f"{where}: the bytes are not {encoding} ({exc.reason}). Set encoding in the profile, "
        'for example encoding = "cp1252" for a Windows export.'
    )


def check_encoding(stream: BinaryIO, encoding: str, *, chunk: int = 1 << 20) -> None:
    """Raise FileError naming the line of the first bytes that are not `encoding`, reading the
    whole stream once (about a second for 250 MB) so that such a file writes nothing."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    while True:
        data = stream.read(chunk)
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            # Count the lines of the chunk before the bad byte.
            good = data[: max(exc.start, 0)]
            line += good.count(b"\n")
            raise _encoding_error(exc, line, encoding) from None
        line += text.count("\n")
        if not data:
            return
