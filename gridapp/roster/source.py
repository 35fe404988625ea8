"""Roster files as offices receive them, streamed row by row.

- CSV in UTF-8 (with or without BOM), GBK/GB18030 (what Chinese Excel and WPS save),
  or UTF-16 (Excel's "Unicode text"), comma-, tab- or semicolon-separated. The encoding
  is found without asking: the whole file must decode strictly as UTF-8, else as
  GB18030, and a GB18030 reading must then show header words we know. A file that
  would only decode to mojibake is refused, naming it; nothing is guessed.
- XLSX through openpyxl's read-only mode (memory stays flat with the file's size;
  only the workbook's shared-string table is held). Merged cells: read-only mode sees
  a merged block's value in its first cell only, so the sheet's `<mergeCell>` list is
  read (from the end of the sheet's XML, streamed) and the value is carried into every
  cell of its block, as the user sees it in Excel. Cells that are merely empty stay
  empty and are reported if required: nothing is carried down by guess.
- The header is the first of the first rows that holds at least two column names we
  know (a title row such as "建业新村住户花名册" above it is skipped); row numbers are
  those Excel shows (first row = 1). Blank rows are skipped without a word.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from gridapp.errors import InvalidInput, UnreadableFile
from gridapp.roster.fields import REQUIRED, recognise

#: Rows searched for the header (title rows and blank lines above it).
HEADER_SCAN = 10
_CHUNK = 1 << 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")


@dataclass(frozen=True)
class RawRow:
    line: int  # as Excel numbers it: the header of a plain file is 1
    values: tuple[str, ...]  # one text per header cell


@dataclass
class RosterFile:
    """An opened roster: its header, and its data rows streamed (again) on demand."""

    path: Path
    kind: str  # "csv" | "xlsx"
    encoding: str  # utf-8, utf-8-sig, gb18030, utf-16; "" for xlsx
    headers: tuple[str, ...] = ()
    header_line: int = 0
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    delimiter: str = ","
    #: How far the running `rows()` has read, 0..1 (None when unknown).
    fraction: float | None = field(default=None, compare=False)

    def rows(self) -> Iterator[RawRow]:
        """Data rows below the header, blank rows left out."""
        width = len(self.headers)
        for line, values in self._lines():
            if line <= self.header_line or not any(v.strip() for v in values):
                continue
            if len(values) < width:
                values = values + ("",) * (width - len(values))
            yield RawRow(line, values[:width])

    def _lines(self) -> Iterator[tuple[int, tuple[str, ...]]]:
        if self.kind == "xlsx":
            return _xlsx_lines(self)
        return _csv_lines(self)


def open_roster(path: Path, sheet: str | None = None) -> RosterFile:
    """Open a roster and find its header; InvalidInput naming the file when it is not one."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            magic = f.read(4)
    except FileNotFoundError:
        raise InvalidInput("error.roster.no_file", file=str(path)) from None
    except OSError:
        raise UnreadableFile(path=str(path)) from None
    if magic.startswith(_OLE_MAGIC):
        raise InvalidInput("error.roster.old_excel", file=path.name)
    if magic.startswith(_ZIP_MAGIC):
        roster = _open_xlsx(path, sheet)
    else:
        if sheet:
            raise InvalidInput("error.roster.csv_has_no_sheet", file=path.name, sheet=sheet)
        roster = RosterFile(path, "csv", _csv_encoding(path))
        roster.delimiter = _delimiter(roster)
    _find_header(roster)
    return roster


def sheet_names(path: Path) -> list[str]:
    with _workbook(Path(path)) as wb:
        return list(wb.sheetnames)


# -- the header ------------------------------------------------------------------
def _find_header(roster: RosterFile) -> None:
    first: tuple[int, tuple[str, ...]] | None = None
    scanned = 0
    for line, values in roster._lines():
        if not any(v.strip() for v in values):
            continue
        first = first or (line, values)
        if sum(recognise(v) is not None for v in values) >= 2:
            first = (line, values)
            break
        scanned += 1
        if scanned >= HEADER_SCAN:
            break
    where = roster.path.name + (f"「{roster.sheet}」" if roster.sheet else "")
    if first is None:
        raise InvalidInput("error.roster.empty", file=where)
    line, values = first
    if roster.encoding == "gb18030" and not any(recognise(v) for v in values):
        # Decodable as GB18030 is a weak sign (most byte soup is): without one header
        # word we know, this is likely another encoding read wrong.
        raise InvalidInput("error.roster.encoding", file=roster.path.name)
    while values and not values[-1].strip():
        values = values[:-1]
    roster.header_line = line
    roster.headers = tuple(v.strip() for v in values)


# -- CSV -------------------------------------------------------------------------
def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_encoding(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(4)
    candidates = (
        ("utf-16",) if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else ()
    ) or ("utf-8-sig", "gb18030")
    for encoding in candidates:
        if _decodes(path, encoding):
            # utf-8-sig reads a file without a BOM as utf-8 does; the name says which.
            plain = encoding == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8)
            return "utf-8" if plain else encoding
    raise InvalidInput("error.roster.encoding", file=path.name)


def _text(roster: RosterFile, raw: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(raw, encoding=roster.encoding, errors="strict", newline="")


def _delimiter(roster: RosterFile) -> str:
    with roster.path.open("rb") as raw, _text(roster, raw) as text:
        sample = text.read(1 << 16)
    # A title row above the header may hold no separator: look at the first lines.
    lines = [ln for ln in sample.splitlines() if ln.strip()][:HEADER_SCAN]
    counts = {d: max((ln.count(d) for ln in lines), default=0) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_lines(roster: RosterFile) -> Iterator[tuple[int, tuple[str, ...]]]:
    size = max(roster.path.stat().st_size, 1)
    with roster.path.open("rb") as raw, _text(roster, raw) as text:
        # A quoted cell may hold a line break (Alt+Enter in Excel): Excel still shows
        # one row, so rows are counted as records, not as physical lines.
        for line, values in enumerate(csv.reader(text, delimiter=roster.delimiter), 1):
            if line % 1000 == 0:
                roster.fraction = raw.tell() / size
            yield line, tuple(values)
    roster.fraction = 1.0


# -- XLSX ------------------------------------------------------------------------
class _workbook:
    """openpyxl's read-only workbook, closed however the reading ends."""

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            self.wb = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise InvalidInput("error.roster.bad_xlsx", file=path.name) from None

    def __enter__(self) -> Any:
        return self.wb

    def __exit__(self, *exc: object) -> None:
        self.wb.close()


def _open_xlsx(path: Path, sheet: str | None) -> RosterFile:
    names = sheet_names(path)
    if sheet is not None and sheet not in names:
        raise InvalidInput(
            "error.roster.no_sheet", file=path.name, sheet=sheet, sheets="、".join(names)
        )
    roster = RosterFile(path, "xlsx", "", sheets=tuple(names))
    if sheet is not None or len(names) == 1:
        roster.sheet = sheet or names[0]
        return roster
    # Several sheets, none named: the first with an address in its header.
    for name in names:
        roster.sheet = name
        try:
            _find_header(roster)
        except InvalidInput:
            continue
        found = {recognise(h) for h in roster.headers}
        if all(f in found for f in REQUIRED):
            return roster
    roster.sheet = names[0]
    return roster


def cell_text(value: Any) -> str:
    """A cell's value as the text the user typed: 12 not 12.0, 85.5 not 85.50000001."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _merged_ranges(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """(first row, last row, first column, last column) of each merged block, read by
    streaming the sheet's XML (the list sits after the cell data)."""
    ranges: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(member) as xml:
        while chunk := xml.read(_CHUNK):
            data = tail + chunk
            if b"mergeCell" in data:
                cut = data.rfind(b"<")
                complete, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
                for c1, r1, c2, r2 in _MERGE.findall(complete):
                    ranges.append((int(r1), int(r2), _column_number(c1), _column_number(c2)))
            else:
                tail = data[-64:]
    return sorted(ranges)


def _xlsx_lines(roster: RosterFile) -> Iterator[tuple[int, tuple[str, ...]]]:
    with _workbook(roster.path) as wb:
        ws = wb[roster.sheet]
        total = ws.max_row  # from the sheet's <dimension>: for progress only
        ws.reset_dimensions()  # some writers' dimensions are wrong; read every row
        merged = _merged_ranges(wb._archive, ws._worksheet_path)
        pending = iter(merged)
        upcoming = next(pending, None)
        active: list[tuple[int, int, int, int, str]] = []  # ranges with their value
        for line, row in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
            values = [cell_text(v) for v in row]
            if line % 1000 == 0 and total:
                roster.fraction = min(line / total, 1.0)
            while upcoming is not None and upcoming[0] <= line:
                r1, r2, c1, c2 = upcoming
                if r1 == line:
                    top_left = values[c1 - 1] if c1 <= len(values) else ""
                    active.append((r1, r2, c1, c2, top_left))
                upcoming = next(pending, None)
            if active:
                active = [a for a in active if a[1] >= line]
                for _r1, _r2, c1, c2, value in active:
                    if len(values) < c2:
                        values.extend([""] * (c2 - len(values)))
                    for col in range(c1, c2 + 1):
                        values[col - 1] = value
            yield line, tuple(values)
    roster.fraction = 1.0
