"""Rows of an XLSX sheet up to its real data, not to the range the sheet declares.

Excel and LibreOffice declare `A1:AMJ1048576` (1,048,576 rows × 1,024 columns) when
whole columns or rows are formatted, and may write an empty `<row>` element for each of
those rows. openpyxl's read-only mode pads every row to the declared width and yields
every row down to the declared end: an XLSForm of five questions took 30–50 s to read.
Here (nothing in it knows about questionnaires; the roster reader could share it):

- the declared dimensions are ignored (`reset_dimensions`): only cells present count;
- trailing empty cells are dropped from each row, blank rows are skipped;
- reading stops after EMPTY_RUN blank rows in a row. Nothing below such a gap is
  dropped silently: the rest of the sheet's XML is then scanned as bytes (no parsing,
  so a million empty rows take a fraction of a second) for any cell holding a value,
  and if one is found the sheet is refused, naming its row;
- a value past `max_rows` or `max_columns` refuses the sheet where it is found, so a
  sheet that really is huge is refused after reading at most that much.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

#: Blank rows in a row that end a sheet's data.
EMPTY_RUN = 1000
_CHUNK = 1 << 20
_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix, as some writers use
_VALUE = re.compile(rb"<" + _NAME + rb"(?:v|is)[\s/>]")  # a cell's value, or inline text
_ROW = re.compile(rb"<" + _NAME + rb"row[\s/>]")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']([0-9]+)["']""")
_CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{1,3})[0-9]+["']""")


@dataclass
class SheetTooLarge(Exception):
    """Data where a sheet should have none: past `limit` rows ("rows") or columns
    ("columns"), or below a gap of EMPTY_RUN blank rows after `last` ("gap")."""

    sheet: str
    reason: str
    row: int
    column: str = ""
    limit: int = 0
    last: int = 0


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def sheet_rows(
    worksheet: Any, *, max_rows: int | None = None, max_columns: int | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number as Excel shows it, values without trailing empty cells) of each
    non-blank row of an openpyxl read-only worksheet; SheetTooLarge as described above."""
    worksheet.reset_dimensions()
    blank_run, last = 0, 0
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        width = len(row)
        while width and _blank(row[width - 1]):
            width -= 1
        if not width:
            blank_run += 1
            if blank_run >= EMPTY_RUN:
                _nothing_below(worksheet, last)
                return
            continue
        if max_rows is not None and number > max_rows:
            first = next(i for i, value in enumerate(row) if not _blank(value))
            column = get_column_letter(first + 1)
            raise SheetTooLarge(worksheet.title, "rows", number, column, limit=max_rows)
        if max_columns is not None and width > max_columns:
            column = get_column_letter(width)
            raise SheetTooLarge(worksheet.title, "columns", number, column, max_columns)
        blank_run, last = 0, number
        yield number, tuple(row[:width])


def _nothing_below(worksheet: Any, last: int) -> None:
    """Raise SheetTooLarge if any cell below row `last` holds a value."""
    archive: zipfile.ZipFile = worksheet.parent._archive
    found, column = last_value_cell(archive, worksheet._worksheet_path)
    if found > last:
        raise SheetTooLarge(worksheet.title, "gap", found, column, last=last)


def last_value_row(archive: zipfile.ZipFile, member: str) -> int:
    """The number of the last row in a sheet's XML with a cell holding a value (`<v>` or
    inline `<is>`; 0 if none), read as bytes: value tags are found at C speed and each
    is placed in the nearest `<row r="…">` before it, so empty rows cost no Python work.
    Should a writer leave out r="…" (allowed, seldom done), rows are counted instead."""
    return last_value_cell(archive, member)[0]


def last_value_cell(archive: zipfile.ZipFile, member: str) -> tuple[int, str]:
    """last_value_row, and the column letters of that row's last cell holding a value
    ('' when its `<c>` has no r="…")."""
    try:
        return _scan(archive, member, count=False)
    except _Unnumbered:
        return _scan(archive, member, count=True)[0], ""


class _Unnumbered(Exception):
    """A <row> without r="…": its number needs every row before it counted."""


def _scan(archive: zipfile.ZipFile, member: str, *, count: bool) -> tuple[int, str]:
    found, current, carry, column = 0, 0, b"", ""
    with archive.open(member) as xml:
        while chunk := xml.read(_CHUNK):
            data = carry + chunk
            cut = data.rfind(b"<")  # complete tags only; the rest waits for the next chunk
            data, carry = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            if count:
                found, current = _counted(data, found, current)
                continue
            for at in (m.start() for m in _VALUE.finditer(data)):
                row = _row_at(data, at, current)
                if row >= found:
                    found, column = row, _column_at(data, at)
            current = _row_at(data, len(data), current)
    return found, column


def _column_at(data: bytes, at: int) -> str:
    """The column letters of the `<c r="…">` a value at `at` is in, or ''."""
    start = max(data.rfind(b"<c ", 0, at), data.rfind(b":c ", 0, at))
    if start < 0:
        return ""
    end = data.find(b">", start)
    ref = _CELL_REF.search(data, start, end if end >= 0 else len(data))
    return ref.group(1).decode() if ref else ""


def _row_at(data: bytes, at: int, current: int) -> int:
    """The number of the row open at `at`: of the last <row> tag before it, or `current`
    (the row carried over from the chunk before) when there is none."""
    i = at
    while (i := data.rfind(b"row", 0, i)) > 0:
        start = data.rfind(b"<", 0, i)
        tag = _ROW.match(data, start) if start >= 0 else None
        if tag is not None and tag.end() == i + 4:
            end = data.find(b">", i)
            number = _ROW_NUMBER.search(data, i, end if end >= 0 else len(data))
            if number is None:
                raise _Unnumbered
            return int(number.group(1))
    return current


def _counted(data: bytes, found: int, current: int) -> tuple[int, int]:
    """_scan's slow way: every <row> tag, numbered by r="…" or as the one before plus 1."""
    values = [m.start() for m in _VALUE.finditer(data)]
    i = 0
    for tag in _ROW.finditer(data):
        while i < len(values) and values[i] < tag.start():
            found, i = max(found, current), i + 1
        end = data.find(b">", tag.start())
        number = _ROW_NUMBER.search(data, tag.start(), end if end >= 0 else len(data))
        current = int(number.group(1)) if number else current + 1
    if i < len(values):
        found = max(found, current)
    return found, current
