"""One sheet of an XLSForm as rows of {Column: text}, with their spreadsheet row numbers.

Read up to the real data (forms/sheet_rows.py), at most MAX_ROWS rows and MAX_COLUMNS
columns; a cell longer than MAX_CELL characters is refused where it is (a 100,000
character label costs one `len`, not a parse).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gridapp.forms.definition import Problem
from gridapp.forms.sheet_rows import sheet_rows
from gridapp.forms.xlsform_columns import Column, cell_text, parse_header

#: A questionnaire's sheets hold at most this much (a value past it refuses the file).
MAX_ROWS = 20_000
MAX_COLUMNS = 1_000
#: Characters in one cell: a label or note is a paragraph, not a book.
MAX_CELL = 10_000

Row = dict[Column, str]


class Sheet:
    """The header is the first non-blank row; each later non-blank row is kept."""

    def __init__(
        self,
        worksheet: Any,
        aliases: dict[str, str],
        problems: list[Problem],
        *,
        max_rows: int = MAX_ROWS,
        max_columns: int = MAX_COLUMNS,
    ) -> None:
        self.name: str = worksheet.title
        self.problems = problems
        self.columns: list[Column | None] = []
        self.header_row = 0
        self.rows: list[tuple[int, Row]] = []
        for number, values in sheet_rows(worksheet, max_rows=max_rows, max_columns=max_columns):
            if not self.header_row:
                self.header_row = number
                self._header(values, aliases)
                continue
            row: Row = {}
            for column, value in zip(self.columns, values, strict=False):
                if column is None or value is None:
                    continue
                text = self._cell(number, column, value)
                if text:
                    row[column] = text
            if row:
                self.rows.append((number, row))

    def _header(self, values: tuple[Any, ...], aliases: dict[str, str]) -> None:
        seen: dict[tuple[str, str | None], str] = {}
        for value in values:
            text = cell_text(value)
            if not text:
                self.columns.append(None)
                continue
            column = parse_header(text, aliases)
            key = (column.base, column.language)
            if key in seen:
                self.problem(self.header_row, text, "error.xlsform.duplicate_column", column=text)
                self.columns.append(None)
                continue
            seen[key] = text
            self.columns.append(column)

    def _cell(self, number: int, column: Column, value: Any) -> str:
        if isinstance(value, str) and len(value) > MAX_CELL:
            self.problem(
                number,
                column.header,
                "error.xlsform.cell_too_long",
                length=len(value),
                limit=MAX_CELL,
            )
            return ""
        return cell_text(value, column.base)

    @property
    def bases(self) -> set[str]:
        return {c.base for c in self.columns if c is not None}

    def header(self, base: str, language: str | None = None) -> str:
        """The header written for `base` (the first one, any language), else `base`."""
        for column in self.columns:
            if (
                column is not None
                and column.base == base
                and (language is None or column.language == language)
            ):
                return column.header
        return base

    def where(self, row: int, column: str = "") -> str:
        return f"{self.name}!{row}" + (f":{column}" if column else "")

    def problem(self, row: int, column: str, key: str, /, **params: Any) -> None:
        self.problems.append(Problem(self.where(row, column), column, key, params))


def value(row: Row, base: str) -> str:
    """The text of the (untranslated) column `base` in `row`, or ''."""
    for column, text in row.items():
        if column.base == base and column.language in (None, "default"):
            return text
    return ""


def translated(row: Row, base: str) -> dict[str, str]:
    """{language: text} of the columns `base`, `base::…` in `row`."""
    return {
        column.language: text
        for column, text in row.items()
        if column.base == base and column.language is not None
    }


def cells(row: Row) -> Iterator[tuple[Column, str]]:
    yield from row.items()
