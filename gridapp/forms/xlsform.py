"""XLSForm workbooks (the layout ODK users know) to and from our definition format.

Import reads the `survey`, `choices` and `settings` sheets, up to their real data
(forms/sheet_rows.py: not the 1,048,576 × 1,024 cells a formatted sheet declares), at
most MAX_ROWS rows and MAX_COLUMNS columns each. Every feature we do not support is
reported by name, sheet and row — never dropped silently — and nothing is published
while any problem remains.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from gridapp.errors import InvalidInput
from gridapp.forms.definition import (
    FORMAT,
    FORMAT_VERSION,
    DefinitionInvalid,
    Problem,
    load_definition,
)
from gridapp.forms.sheet_rows import EMPTY_RUN, SheetTooLarge, sheet_rows

SIMPLE_TYPES = {"text", "integer", "decimal", "date", "note", "calculate", "yes_no"}
UNSUPPORTED_TYPES = {
    "begin repeat",
    "end repeat",
    "begin_repeat",
    "end_repeat",
    "geopoint",
    "geotrace",
    "geoshape",
    "image",
    "audio",
    "video",
    "file",
    "barcode",
    "start",
    "end",
    "today",
    "deviceid",
    "phonenumber",
    "username",
    "email",
    "audit",
    "time",
    "datetime",
    "hidden",
    "rank",
    "trigger",
    "acknowledge",
    "background-audio",
    "xml-external",
    "csv-external",
    "simserial",
    "subscriberid",
}
_LANG_ALIASES = {
    "zh": "zh_CN",
    "zh_cn": "zh_CN",
    "zh-cn": "zh_CN",
    "chinese": "zh_CN",
    "中文": "zh_CN",
    "简体中文": "zh_CN",
    "en": "en",
    "english": "en",
    "英文": "en",
}
TRANSLATED = ("label", "hint", "constraint_message")
# min/max are gridapp's own columns (XLSForm would write a constraint); kept so a
# definition survives the trip through a workbook.
SURVEY_COLUMNS = (
    "type",
    "name",
    "required",
    "relevant",
    "constraint",
    "calculation",
    "parameters",
    "min",
    "max",
)
_SURVEY_COLUMNS = set(SURVEY_COLUMNS)
_CHOICE_COLUMNS = {"list_name", "name"}
_MAX_PROBLEMS = 200
#: A questionnaire's sheets hold at most this much (a value past it refuses the file).
MAX_ROWS = 20_000
MAX_COLUMNS = 1_000


_CODE_COLUMNS = {
    "type",
    "name",
    "list_name",
    "required",
    "relevant",
    "constraint",
    "calculation",
    "parameters",
    "form_id",
    "version",
    "min",
    "max",
}


def _clean(value: Any, column: str = "") -> str:
    """Cell text; code columns also lose full-width forms a Chinese input method types
    (（）＝１２), labels keep their Chinese punctuation."""
    if value is None:
        return ""
    text = str(value).strip()
    if column.partition("::")[0].lower() in _CODE_COLUMNS:
        text = unicodedata.normalize("NFKC", text).strip()
    return text


def _lang(suffix: str) -> str | None:
    """`Chinese (zh)`, `zh`, `zh_CN`, `中文` → zh_CN; `English (en)`, `en` → en."""
    text = suffix.strip().lower()
    match = re.search(r"\(([^)]+)\)", text)
    if match:
        text = match.group(1).strip()
    return _LANG_ALIASES.get(text)


class _Sheet:
    """Rows of one sheet as {column: text}, with their spreadsheet row numbers; the
    header is row 1. Read up to the real data (sheet_rows), not the declared range."""

    def __init__(self, workbook: Any, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems
        self.columns: list[str] = []
        self.rows: list[tuple[int, dict[str, str]]] = []
        for number, values in sheet_rows(
            workbook[name], max_rows=MAX_ROWS, max_columns=MAX_COLUMNS
        ):
            if number == 1:
                self.columns = [_clean(h, "name") for h in values]
                continue
            row = {c: _clean(v, c) for c, v in zip(self.columns, values, strict=False) if c}
            if any(row.values()):
                self.rows.append((number, row))

    def where(self, row: int, column: str = "") -> str:
        return f"{self.name}!{row}" + (f":{column}" if column else "")


def _translated(
    row: Mapping[str, str], base: str, sheet: _Sheet, number: int, problems: list[Problem]
) -> dict[str, str]:
    found: dict[str, str] = {}
    for column, value in row.items():
        head, sep, suffix = column.partition("::")
        if head.lower() != base or not value:
            continue
        lang = _lang(suffix) if sep else "zh_CN"
        if lang is None:
            problems.append(
                Problem(
                    sheet.where(number, column),
                    column,
                    "error.xlsform.unknown_language",
                    {"language": suffix},
                )
            )
            continue
        found[lang] = value
    return found


def _unsupported_columns(sheet: _Sheet, known: set[str], problems: list[Problem]) -> None:
    for number, row in sheet.rows:
        for column, value in row.items():
            head = column.partition("::")[0].lower()
            if value and head not in known and head not in TRANSLATED:
                problems.append(
                    Problem(
                        sheet.where(number, column),
                        column,
                        "error.xlsform.unsupported_column",
                        {"column": column},
                    )
                )


def _boolean(value: str) -> bool | None:
    text = value.lower()
    if text in ("yes", "true", "1", "true()", "是"):
        return True
    if text in ("", "no", "false", "0", "false()", "否"):
        return False
    return None


def read_xlsform(path: Path) -> dict[str, Any]:
    """The definition document in a workbook, checked; raises DefinitionInvalid listing
    every problem by sheet, row and column."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput("error.xlsform.unreadable", file=path.name) from exc
    problems: list[Problem] = []
    try:
        if "survey" not in workbook.sheetnames:
            raise DefinitionInvalid([Problem("survey", "", "error.xlsform.no_survey")])
        survey = _Sheet(workbook, "survey", problems)
        choices = (
            _Sheet(workbook, "choices", problems) if "choices" in workbook.sheetnames else None
        )
        settings = (
            _Sheet(workbook, "settings", problems) if "settings" in workbook.sheetnames else None
        )
    except SheetTooLarge as large:
        raise DefinitionInvalid([_too_large(large)]) from None
    finally:
        workbook.close()
    for sheet, needed in ((survey, ("type", "name")), (choices, ("list_name", "name"))):
        if sheet is not None:
            for column in needed:
                if column not in [c.lower() for c in sheet.columns]:
                    problems.append(
                        Problem(sheet.name, column, "error.xlsform.no_column", {"column": column})
                    )
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "choice_lists": _choice_lists(choices, problems) if choices else {},
    }
    doc.update(_settings(settings, path, problems))
    rows: dict[str, str] = {}
    doc["items"] = _survey_items(survey, rows, problems)
    _unsupported_columns(survey, _SURVEY_COLUMNS, problems)
    if choices is not None:
        _unsupported_columns(choices, _CHOICE_COLUMNS, problems)
    try:
        load_definition(doc)
    except DefinitionInvalid as invalid:
        problems.extend(
            Problem(_located(rows, p), p.part, p.key, p.params) for p in invalid.problems
        )
    if problems:
        raise DefinitionInvalid(problems[:_MAX_PROBLEMS])
    return doc


def _too_large(large: SheetTooLarge) -> Problem:
    where = f"{large.sheet}!{large.row}"
    if large.reason == "columns":
        return Problem(
            f"{where}:{large.column}",
            large.column,
            "error.xlsform.too_many_columns",
            {"sheet": large.sheet, "row": large.row, "column": large.column, "limit": MAX_COLUMNS},
        )
    if large.reason == "rows":
        return Problem(
            where,
            "",
            "error.xlsform.too_many_rows",
            {"sheet": large.sheet, "row": large.row, "limit": MAX_ROWS},
        )
    return Problem(
        where,
        "",
        "error.xlsform.content_after_gap",
        {"sheet": large.sheet, "row": large.row, "last": large.last, "gap": EMPTY_RUN},
    )


def _located(rows: Mapping[str, str], problem: Problem) -> str:
    """Where a problem of the definition is in the workbook: the question's row; for an
    expression's limits (error.expr.*) also its column."""
    where = rows.get(problem.where)
    if where is None:
        return problem.where or "settings"
    return f"{where}:{problem.part}" if problem.key.startswith("error.expr.") else where


def _settings(sheet: _Sheet | None, path: Path, problems: list[Problem]) -> dict[str, Any]:
    row = sheet.rows[0][1] if sheet is not None and sheet.rows else {}
    title = _translated(row, "form_title", sheet, 2, problems) if sheet else {}
    form_id = row.get("form_id") or path.stem
    version_text = row.get("version") or "1"
    try:
        version = int(version_text)
    except ValueError:
        problems.append(Problem("settings!2:version", "version", "error.form.bad_version"))
        version = 1
    return {"id": form_id, "version": version, "title": title or {"zh_CN": form_id}}


def _choice_lists(sheet: _Sheet, problems: list[Problem]) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for number, row in sheet.rows:
        list_name, value = row.get("list_name", ""), row.get("name", "")
        if not list_name or not value:
            problems.append(Problem(sheet.where(number), "name", "error.xlsform.incomplete_choice"))
            continue
        label = _translated(row, "label", sheet, number, problems) or {"zh_CN": value}
        lists.setdefault(list_name, []).append({"value": value, "label": label})
    return lists


def _survey_items(
    sheet: _Sheet, rows: dict[str, str], problems: list[Problem]
) -> list[dict[str, Any]]:
    root: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(0, root)]
    for number, row in sheet.rows:
        kind = re.sub(r"\s+", " ", row.get("type", "")).strip()
        lowered = kind.lower().replace("_", " ")
        name = row.get("name", "")
        if lowered == "end group":
            if len(stack) == 1:
                problems.append(
                    Problem(sheet.where(number, "type"), "type", "error.xlsform.unmatched_end")
                )
            else:
                stack.pop()
            continue
        if not kind:
            problems.append(Problem(sheet.where(number, "type"), "type", "error.xlsform.no_type"))
            continue
        rows[name] = sheet.where(number)
        item = _item(kind, lowered, row, sheet, number, problems)
        if item is None:
            continue
        stack[-1][1].append(item)
        if item["type"] == "group":
            stack.append((number, item["items"]))
    for number, _items in stack[1:]:
        problems.append(
            Problem(sheet.where(number, "type"), "type", "error.xlsform.unclosed_group")
        )
    return root


def _item(
    kind: str,
    lowered: str,
    row: Mapping[str, str],
    sheet: _Sheet,
    number: int,
    problems: list[Problem],
) -> dict[str, Any] | None:
    item: dict[str, Any] = {"name": row.get("name", "")}
    for base in TRANSLATED:
        text = _translated(row, base, sheet, number, problems)
        if text:
            item[base] = text
    for column in ("relevant", "constraint", "calculation"):
        if row.get(column):
            item[column] = row[column]
    for column in ("min", "max"):
        if row.get(column):
            try:
                value = float(row[column])
            except ValueError:
                problems.append(
                    Problem(
                        sheet.where(number, column),
                        column,
                        "error.form.bad_number",
                        {"field": column},
                    )
                )
                continue
            item[column] = int(value) if value.is_integer() else value
    required = _boolean(row.get("required", ""))
    if required is None:
        problems.append(
            Problem(
                sheet.where(number, "required"),
                "required",
                "error.form.bad_boolean",
                {"field": "required"},
            )
        )
    elif required:
        item["required"] = True
    parts = kind.split()
    if lowered == "begin group":
        return {**item, "type": "group", "items": []}
    if parts[0] in ("select_one", "select_multiple"):
        if len(parts) < 2 or len(parts) > 3 or (len(parts) == 3 and parts[2] != "or_other"):
            problems.append(
                Problem(
                    sheet.where(number, "type"),
                    "type",
                    "error.xlsform.unsupported_type",
                    {"type": kind},
                )
            )
            return None
        item.update(type=parts[0], choices=parts[1])
        if len(parts) == 3:
            item["other"] = True
        return item
    if lowered == "range":
        params = dict(p.split("=", 1) for p in row.get("parameters", "").split() if "=" in p)
        if (
            params.get("start") == "1"
            and params.get("end") == "5"
            and params.get("step", "1") == "1"
        ):
            return {**item, "type": "rating"}
        problems.append(
            Problem(
                sheet.where(number, "parameters"),
                "parameters",
                "error.xlsform.unsupported_type",
                {"type": f"range {params}"},
            )
        )
        return None
    if kind in SIMPLE_TYPES:
        return {**item, "type": kind}
    key = (
        "error.xlsform.unsupported_type"
        if lowered in UNSUPPORTED_TYPES or kind in UNSUPPORTED_TYPES
        else "error.form.unknown_type"
    )
    problems.append(Problem(sheet.where(number, "type"), "type", key, {"type": kind}))
    return None
