"""Suggestions as a spreadsheet or CSV for the office's follow-up meetings.

Personal data minimum (PIPL): the household's code and address identify the door; no
resident names or phones are exported. Written through gridapp.files (atomic and
private), so a full disk leaves the previous export (or none), never half a file, and
says the disk is full.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from gridapp.clock import display_time
from gridapp.errors import InvalidInput
from gridapp.files import atomic_path
from gridapp.i18n import DEFAULT_LANGUAGE, Catalog

if TYPE_CHECKING:
    from gridapp.services.suggestions import SuggestionRow

COLUMNS = (
    "category",
    "text",
    "status",
    "overdue",
    "handler",
    "response",
    "created_at",
    "status_at",
    "household_code",
    "address",
    "team",
)
FORMATS = (".xlsx", ".csv")


def _cells(row: SuggestionRow, catalog: Catalog) -> list[str | int]:
    yes_no = catalog.tr("export.suggestion.yes") if row.overdue else ""
    return [
        catalog.code("category", row.category),
        row.text,
        catalog.code("suggestion_status", row.status),
        yes_no,
        row.handler,
        row.response,
        display_time(row.created_at),
        display_time(row.status_at),
        row.household_code,
        row.address,
        row.team if row.team is not None else "",
    ]


def write(out: Path, rows: list[SuggestionRow], lang: str = "") -> int:
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput("error.suggestion.export_format", path=str(out))
    catalog = Catalog(lang or DEFAULT_LANGUAGE)
    header = [catalog.tr(f"export.suggestion.{c}") for c in COLUMNS]
    table = [_cells(r, catalog) for r in rows]
    writer: Callable[[Path, list[str], list[list[str | int]]], None] = (
        partial(_write_xlsx, catalog.tr("export.suggestion.sheet"))
        if suffix == ".xlsx"
        else _write_csv
    )
    with atomic_path(out) as part:
        writer(part, header, table)
    return len(rows)


def _write_csv(path: Path, header: list[str], table: list[list[str | int]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(table)


def _write_xlsx(title: str, path: Path, header: list[str], table: list[list[str | int]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in table:
        sheet.append(line)
    sheet.freeze_panes = "A2"
    widths = (10, 48, 8, 6, 16, 40, 17, 17, 16, 24, 6)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    book.save(path)
