"""XLSForm workbooks (the layout ODK users know) to our definition format.

Import reads the `survey`, `choices` and `settings` sheets (names in any case), up to
their real data (forms/sheet_rows.py: not the 1,048,576 × 1,024 cells a formatted sheet
declares), at most MAX_ROWS rows and MAX_COLUMNS columns each. Headers are read as
pyxform reads them (forms/xlsform_columns.py), types mapped or refused by
forms/xlsform_types.py, groups and repeats nested by forms/xlsform_repeat.py. Every
feature we do not support is reported by name, sheet, row and column — never dropped
silently — and nothing is published while any problem remains.
"""

from __future__ import annotations

import re
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
from gridapp.forms.sheet_rows import EMPTY_RUN, SheetTooLarge
from gridapp.forms.xlsform_checks import filter_cycles, spaced_choices
from gridapp.forms.xlsform_columns import (
    CHOICE_ALIASES,
    MEDIA,
    SETTINGS_ALIASES,
    SURVEY_ALIASES,
    TRANSLATED,
    language_key,
)
from gridapp.forms.xlsform_items import boolean, build_item
from gridapp.forms.xlsform_repeat import Nesting
from gridapp.forms.xlsform_sheet import MAX_COLUMNS, MAX_ROWS, Sheet, translated, value
from gridapp.forms.xlsform_types import parse_type

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "TRANSLATED", "read_xlsform"]

_MAX_PROBLEMS = 200
#: ODK's convention is yyyymmddnn (2024010101); forms also write =TEXT(NOW(),
#: "yyyymmddhhmmss") or a date: at most fourteen digits.
MAX_VERSION = 99_999_999_999_999
_DATE_VERSION = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?")
#: 2.2, 1.0.3: major × 1,000,000 + minor × 1,000 + patch keeps their order.
_DOTTED_VERSION = re.compile(r"([0-9]{1,6})\.([0-9]{1,3})(?:\.([0-9]{1,3}))?")
_CHOICE_KEYS = {"list_name", "name", "label"}


def read_xlsform(path: Path, *, check: bool = True) -> dict[str, Any]:
    """The definition document in a workbook; raises DefinitionInvalid listing every
    problem by sheet, row and column. `check=False` skips the definition loader's checks
    (the workbook's own are still made)."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput("error.xlsform.unreadable", file=path.name) from exc
    problems: list[Problem] = []
    try:
        sheets = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
        if "survey" not in sheets:
            raise DefinitionInvalid([Problem("survey", "", "error.xlsform.no_survey")])

        def read(name: str, aliases: dict[str, str]) -> Sheet | None:
            if name not in sheets:
                return None
            return Sheet(
                sheets[name], aliases, problems, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS
            )

        survey = read("survey", SURVEY_ALIASES)
        assert survey is not None
        choices = read("choices", CHOICE_ALIASES)
        settings = read("settings", SETTINGS_ALIASES)
        entities = read("entities", {})
    except SheetTooLarge as large:
        raise DefinitionInvalid([_too_large(large)]) from None
    finally:
        workbook.close()
    if entities is not None and entities.rows:
        number, row = entities.rows[0]
        column = next(iter(row)).header
        entities.problem(number, column, "error.xlsform.needs_server", feature="entities")
    return _Reader(path, survey, choices, settings, problems).document(check)


class _Reader:
    def __init__(
        self,
        path: Path,
        survey: Sheet,
        choices: Sheet | None,
        settings: Sheet | None,
        problems: list[Problem],
    ) -> None:
        self.path = path
        self.survey, self.choices, self.settings = survey, choices, settings
        self.problems = problems
        self.rows: dict[str, list[int]] = {}  # question or group name → its survey rows
        self.duplicates: dict[str, int] = {}  # duplicate_name problems placed, by name
        self.lists: dict[str, str] = {}  # question name → the choice list it uses
        self.choice_rows: dict[tuple[str, int], int] = {}  # (list, index) → choices row

    def document(self, check: bool) -> dict[str, Any]:
        for sheet, needed in ((self.survey, ("type", "name")), (self.choices, ("list_name",))):
            if sheet is not None and sheet.header_row:
                for column in needed:
                    if column not in sheet.bases:
                        sheet.problem(
                            sheet.header_row, column, "error.xlsform.no_column", column=column
                        )
        lists = self.choice_lists() if self.choices else {}
        doc: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
        doc.update(self.settings_part())
        doc["choice_lists"] = lists
        doc["items"] = self.items()
        languages = self.languages()
        if languages:
            doc["languages"] = languages
        self.check(doc, lists)
        if check:
            try:
                load_definition(doc)
            except DefinitionInvalid as invalid:
                placed = {p.where for p in self.problems}  # the workbook's own say more
                located = [self.located(p) for p in invalid.problems]
                said = {p.where for p in located if p.key != "error.form.missing"}
                self.problems.extend(
                    p
                    for p in located
                    if p.where not in placed
                    and not (p.key == "error.form.missing" and p.where in said)
                )
        if self.problems:  # a list used by two questions is wrong once
            unique: dict[tuple[str, str, str], Problem] = {}
            for p in self.problems:
                unique.setdefault((p.where, p.key, repr(p.params)), p)
            raise DefinitionInvalid(list(unique.values())[:_MAX_PROBLEMS])
        return doc

    def settings_part(self) -> dict[str, Any]:
        sheet = self.settings
        number, row = sheet.rows[0] if sheet is not None and sheet.rows else (2, {})
        form_id = value(row, "form_id") or self.path.stem
        part: dict[str, Any] = {"id": form_id, "version": 1}
        text = value(row, "version")
        dotted = _DOTTED_VERSION.fullmatch(text)
        if _DATE_VERSION.fullmatch(text):  # a date cell: 2022-04-11T16:26 → 202204111626
            text = re.sub(r"[^0-9]", "", text)
        elif dotted:
            major, minor, patch = (int(p or 0) for p in dotted.groups())
            text = str(major * 1_000_000 + minor * 1_000 + patch)
        if text:
            if re.fullmatch(r"[0-9]{1,14}", text) and 1 <= int(text) <= MAX_VERSION:
                part["version"] = int(text)
            elif sheet is not None:
                sheet.problem(
                    number,
                    sheet.header("version"),
                    "error.xlsform.bad_version",
                    value=text[:40],
                    limit=MAX_VERSION,
                )
        part["title"] = translated(row, "form_title") or {"default": form_id}
        default = value(row, "default_language")
        if default:
            part["default_language"] = language_key(default)
        if boolean(value(row, "allow_choice_duplicates")):  # cascades repeat a code
            part["allow_choice_duplicates"] = True
        return part

    def choice_lists(self) -> dict[str, list[dict[str, Any]]]:
        sheet = self.choices
        assert sheet is not None
        lists: dict[str, list[dict[str, Any]]] = {}
        for number, row in sheet.rows:
            list_name, name = value(row, "list_name"), value(row, "name")
            if not list_name or not name:
                missing = "list_name" if not list_name else "name"
                sheet.problem(number, sheet.header(missing), "error.xlsform.incomplete_choice")
                continue
            choice: dict[str, Any] = {"value": name}
            label = translated(row, "label")
            if label:
                choice["label"] = label
            columns = {
                c.header.strip(): text
                for c, text in row.items()
                if c.base not in _CHOICE_KEYS and c.base not in MEDIA and c.language is None
            }
            if columns:
                choice["columns"] = columns
            found = lists.setdefault(list_name, [])
            self.choice_rows[(list_name, len(found))] = number
            found.append(choice)
        return lists

    def items(self) -> list[dict[str, Any]]:
        sheet = self.survey
        nesting = Nesting(sheet)
        type_header = sheet.header("type")
        for number, row in sheet.rows:
            written = value(row, "type")
            if not written:
                sheet.problem(number, type_header, "error.xlsform.no_type")
                continue
            kind = parse_type(written, value(row, "parameters"))
            if kind.end:
                nesting.end(kind.end, number, written)
                continue
            if kind.refusal:
                sheet.problem(number, type_header, kind.refusal, **kind.params)
                continue
            item = build_item(sheet, number, row, kind)
            if item is not None:
                self.rows.setdefault(item["name"], []).append(number)
                if isinstance(item.get("choices"), str):
                    self.lists[item["name"]] = item["choices"]
            if kind.begin:
                for key in ("required", "default"):
                    if item is not None:
                        item.pop(key, None)
                nesting.begin(kind.begin, item, number)
            elif item is not None:
                nesting.add(item)
        return nesting.finish()

    def languages(self) -> list[str]:
        """Languages in the order their columns are written, those holding any text."""
        used: dict[str, None] = {}
        for sheet in (self.survey, self.choices, self.settings):
            if sheet is None:
                continue
            present = {c for _, row in sheet.rows for c in row}
            for column in sheet.columns:
                if (
                    column is not None
                    and column in present
                    and column.language not in (None, "default")
                    and column.base in (*TRANSLATED, "form_title")
                ):
                    used.setdefault(str(column.language), None)
        return list(used)

    def check(self, doc: Mapping[str, Any], lists: Mapping[str, list[dict[str, Any]]]) -> None:
        items = doc["items"]
        for name, cycle in filter_cycles(items):
            self.survey.problem(
                self.rows.get(name, [0])[0],
                self.survey.header("choice_filter"),
                "error.xlsform.choice_cycle",
                cycle=cycle,
            )
        if self.choices is not None:
            where = {
                key: self.choices.where(number, self.choices.header("name"))
                for key, number in self.choice_rows.items()
            }
            self.problems.extend(spaced_choices(items, lists, where))

    def located(self, problem: Problem) -> Problem:
        """Where a problem the definition loader found is in the workbook."""
        name = problem.where.rsplit("/", 1)[-1]
        if not problem.where:
            if problem.part in ("items", ""):
                return Problem(self.survey.name, problem.part, problem.key, problem.params)
            sheet = self.settings
            if sheet is None:
                return Problem("settings", problem.part, problem.key, problem.params)
            column = sheet.header("form_title" if problem.part == "title" else problem.part)
            number = sheet.rows[0][0] if sheet.rows else 2
            return Problem(sheet.where(number, column), column, problem.key, problem.params)
        if name not in self.rows:
            return problem
        match = re.match(r"choices\[(\d+)\](?:\.(\w+))?", problem.part)
        if match and self.choices is not None and name in self.lists:
            key = (self.lists[name], int(match.group(1)) - 1)
            if key in self.choice_rows:
                column = self.choices.header(match.group(2) or "name")
                where = self.choices.where(self.choice_rows[key], column)
                return Problem(where, column, problem.key, problem.params)
        base = re.split(r"[\[.]", problem.part)[0]
        column = self.survey.header("type" if base in ("choices", "type", "items", "") else base)
        rows = self.rows[name]
        row = rows[0]
        if problem.key == "error.form.duplicate_name":  # the 2nd, 3rd … row of that name
            seen = self.duplicates[name] = self.duplicates.get(name, 0) + 1
            row = rows[min(seen, len(rows) - 1)]
        where = self.survey.where(row, column)
        return Problem(where, column, problem.key, problem.params)


def _too_large(large: SheetTooLarge) -> Problem:
    where = f"{large.sheet}!{large.row}" + (f":{large.column}" if large.column else "")
    params: dict[str, Any] = {"sheet": large.sheet, "row": large.row, "column": large.column}
    if large.reason == "columns":
        key, params["limit"] = "error.xlsform.too_many_columns", MAX_COLUMNS
    elif large.reason == "rows":
        key, params["limit"] = "error.xlsform.too_many_rows", MAX_ROWS
    else:
        key, params["last"], params["gap"] = (
            "error.xlsform.content_after_gap",
            large.last,
            EMPTY_RUN,
        )
    return Problem(where, large.column, key, params)
