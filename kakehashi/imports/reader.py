"""Reading an import file: CSV (UTF-8) or Excel (.xlsx), told apart by their content, never
by the name. The file is read as a stream (openpyxl in read_only mode), so memory stays flat
however many rows it has. Every problem with the file as a whole is a FileProblem naming it
in the reader's language; problems with one row are the import's (services.py)."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from kakehashi.core.boundary import MAX_IMPORT_FILE_BYTES

# The most rows one file may hold (the header not counted), and its size.
MAX_ROWS = 100_000
MAX_FILE_BYTES = MAX_IMPORT_FILE_BYTES

XLSX_SIGNATURE = b"PK\x03\x04"


class FileProblem(Exception):
    """The file as a whole cannot be imported; `message` says why, in the reader's words."""

    def __init__(self, message: str, code: str = "invalid_file") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Row:
    """One row of values, numbered as the user sees it in the file (the header is row 1)."""

    number: int
    values: dict[str, str]
    # The row has values beyond the named columns.
    extra: bool = False


def _cell_text(value: Any) -> str:
    """An Excel cell as the text a CSV file would hold: dates as YYYY-MM-DD, whole numbers
    without ".0", booleans as yes/no (the forms' words for a test passed)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _NotUtf8(Exception):
    pass


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """The file's lines decoded one by one, so that a byte that is not UTF-8 is found on
    the row it is in."""
    first = True
    for raw in stream:
        if first:
            raw = raw.removeprefix(codecs.BOM_UTF8)
            first = False
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _NotUtf8() from exc


def _csv_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    reader = csv.reader(_lines(stream))
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _NotUtf8 as exc:
            raise FileProblem(
                _(
                    "The file is not UTF-8 text (row %(row)s). Save it as “CSV UTF-8” or as "
                    "an Excel workbook (.xlsx)."
                )
                % {"row": number},
                code="invalid_encoding",
            ) from exc
        except csv.Error as exc:
            raise FileProblem(
                _("Row %(row)s cannot be read as CSV: a value is too long or badly quoted.")
                % {"row": number},
                code="invalid_csv",
            ) from exc
        yield [cell.strip() for cell in cells]


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # any damage inside the archive: not a workbook we can read
        raise FileProblem(
            _("The file is not an Excel workbook (.xlsx) that can be read."),
            code="invalid_xlsx",
        ) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            number += 1
            try:
                values = next(rows)
            except StopIteration:
                return
            except (ValueError, OverflowError, TypeError) as exc:  # e.g. a date past year 9999
                raise FileProblem(
                    _("Row %(row)s of the workbook holds a value that cannot be read.")
                    % {"row": number},
                    code="invalid_xlsx",
                ) from exc
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _rows(stream: IO[bytes]) -> Iterator[list[str]]:
    head = stream.read(4096)
    stream.seek(0)
    if not head:
        raise FileProblem(_("The file is empty."), code="empty_file")
    if head.startswith(XLSX_SIGNATURE):
        if not zipfile.is_zipfile(stream):
            raise FileProblem(
                _("The file is not an Excel workbook (.xlsx) that can be read."),
                code="invalid_xlsx",
            )
        stream.seek(0)
        return _xlsx_rows(stream)
    # Old Excel (.xls), PDF, PNG, JPEG, or any binary file (a NUL byte near the start).
    binary = (b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff")
    if head.startswith(binary) or b"\x00" in head:
        raise FileProblem(
            _("Only CSV (UTF-8) and Excel workbooks (.xlsx) can be imported."),
            code="invalid_file_type",
        )
    return _csv_rows(stream)


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def read_rows(stream: IO[bytes], columns: dict[str, bool]) -> tuple[list[str], Iterator[Row]]:
    """The file's header (checked against `columns`: name → required) and its rows, blank
    rows left out but counted. Raises FileProblem for a problem with the whole file; while
    the rows are read, too (a byte that is not UTF-8 further down)."""
    size = _size(stream)
    if size == 0:
        raise FileProblem(_("The file is empty."), code="empty_file")
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            _("The file is too large: at most %(size)s bytes can be imported at once.")
            % {"size": f"{MAX_FILE_BYTES:,}"},
            code="too_large",
        )
    raw = _rows(stream)
    header_cells = next(raw, None)
    if header_cells is None or not any(header_cells):
        raise FileProblem(
            _("The first row must name the columns; the file has none."), code="no_header"
        )
    while header_cells and not header_cells[-1]:
        header_cells.pop()
    header = [cell.strip().lower() for cell in header_cells]
    _check_header(header, columns)
    return header, _numbered(raw, header)


def _check_header(header: list[str], columns: dict[str, bool]) -> None:
    seen: set[str] = set()
    for name in header:
        if not name:
            raise FileProblem(_("A column has no name in the first row."), code="unnamed_column")
        if name in seen:
            raise FileProblem(
                _("The column “%(column)s” appears twice.") % {"column": name[:60]},
                code="duplicate_column",
            )
        seen.add(name)
        if name not in columns:
            raise FileProblem(
                _("Unknown column “%(column)s”. The columns are: %(columns)s.")
                % {"column": name[:60], "columns": ", ".join(columns)},
                code="unknown_column",
            )
    missing = [name for name, required in columns.items() if required and name not in seen]
    if missing:
        raise FileProblem(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            code="missing_column",
        )


def _numbered(raw: Iterator[list[str]], header: list[str]) -> Iterator[Row]:
    number = 1
    width = len(header)
    for cells in raw:
        number += 1
        if not any(cells):
            continue
        extra = len(cells) > width and any(cells[width:])
        values = dict(zip(header, [*cells, *[""] * (width - len(cells))], strict=False))
        yield Row(number, values, extra)


def count_rows(stream: IO[bytes], columns: dict[str, bool]) -> int:
    """Read the whole file once: its header, every row (encoding, CSV quoting, workbook
    values) and how many rows it has, refusing more than MAX_ROWS. Nothing is written."""
    _header, rows = read_rows(stream, columns)
    count = 0
    for _row in rows:
        count += 1
        if count > MAX_ROWS:
            raise FileProblem(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": f"{MAX_ROWS:,}"},
                code="too_many_rows",
            )
    if count == 0:
        raise FileProblem(_("The file has a header but no rows."), code="no_rows")
    stream.seek(0)
    return count
