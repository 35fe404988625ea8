"""Definitions back to XLSForm workbooks staff can edit in Excel or WPS and import again:
read_xlsform(write_xlsform(definition)) gives the definition's document back, with
every language as a `label::Name (code)` column, groups and repeats as begin/end rows,
choice columns, defaults, choice filters, appearances and metadata types."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from gridapp.files import atomic_path, file_errors
from gridapp.forms.definition import FormDefinition
from gridapp.forms.xlsform_columns import TRANSLATED, language_column

#: Untranslated survey columns, in the order written.
SURVEY_COLUMNS = (
    "required",
    "relevant",
    "constraint",
    "calculation",
    "choice_filter",
    "appearance",
    "default",
    "repeat_count",
    "parameters",
    "min",
    "max",
)
_CONTAINERS = ("group", "repeat")


def _label(value: Any) -> dict[str, str]:
    if not value:
        return {}
    return {"zh_CN": value} if isinstance(value, str) else dict(value)


def _languages(doc: Mapping[str, Any], labels: Iterator[Any]) -> list[str]:
    """The document's languages, then any other a label uses; `default` (a plain
    column) first, as workbooks put `label` before `label::…`."""
    found: dict[str, None] = {}
    for label in labels:
        for key in _label(label):
            found.setdefault(key, None)
    order = [k for k in found if k == "default"]
    order += [k for k in doc.get("languages") or () if k in found]
    return order + [k for k in found if k not in order]


def _append(sheet: Any, values: list[Any]) -> None:
    """A row as written: text starting with `=` stays text, not a formula."""
    sheet.append(values)
    if any(isinstance(v, str) and v.startswith("=") for v in values):
        row = sheet._current_row  # the row append just wrote (max_row walks every cell)
        for column, text in enumerate(values, start=1):
            if isinstance(text, str) and text.startswith("="):
                sheet.cell(row=row, column=column).data_type = "s"


def _flatten(items: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for item in items:
        yield item
        if item.get("type") in _CONTAINERS:
            yield from _flatten(item.get("items") or [])
            yield {"type": f"end {item['type']}", "name": ""}


def write_xlsform(definition: FormDefinition, out: Path) -> None:
    """The definition as a workbook staff can edit in Excel or WPS and import again."""
    doc = definition.source
    workbook = Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    lists: dict[str, list[Mapping[str, Any]]] = dict(doc.get("choice_lists") or {})
    rows = list(_flatten(doc.get("items") or []))
    types = [_type(item, lists) for item in rows]  # inline choices get a list of their own
    columns = ["type", "name"]
    for base in TRANSLATED:
        for lang in _languages(doc, (item.get(base) for item in rows)):
            columns.append(language_column(base, lang))
    columns += [c for c in SURVEY_COLUMNS if any(_cell(item, c) is not None for item in rows)]
    survey.append(columns)
    for item, kind in zip(rows, types, strict=True):
        _append(survey, [kind if c == "type" else _cell(item, c) for c in columns])
    _choices(workbook, doc, lists)
    _settings(workbook, definition)
    with file_errors(out):
        out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as part:
        workbook.save(part)


def _type(item: Mapping[str, Any], lists: dict[str, list[Mapping[str, Any]]]) -> str:
    kind = str(item.get("type"))
    if kind in _CONTAINERS:
        return f"begin {kind}"
    if kind in ("select_one", "select_multiple"):
        choices = item.get("choices")
        if not isinstance(choices, str):
            lists[item["name"]] = list(choices or [])
            choices = item["name"]
        return f"{kind} {choices}" + (" or_other" if item.get("other") else "")
    if kind == "meta":
        return str(item.get("meta"))
    return "range" if kind == "rating" else kind


def _cell(item: Mapping[str, Any], column: str) -> Any:
    kind = item.get("type")
    if column == "parameters":
        return "start=1 end=5 step=1" if kind == "rating" else None
    if column == "required":
        return "yes" if item.get("required") else None
    if column == "default":
        return _default(item.get("default"))
    if column == "name":
        return item.get("name") or None
    base = column.partition("::")[0]
    if base in TRANSLATED:
        wanted = [k for k in _label(item.get(base)) if language_column(base, k) == column]
        return _label(item.get(base))[wanted[0]] if wanted else None
    value = item.get(column)
    return value if value not in ("", None) else None


def _default(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def _choices(
    workbook: Workbook, doc: Mapping[str, Any], lists: dict[str, list[Mapping[str, Any]]]
) -> None:
    sheet = workbook.create_sheet("choices")
    every = [c for items in lists.values() for c in items]
    languages = _languages(doc, (c.get("label") for c in every))
    extra: dict[str, None] = {}
    for choice in every:
        for key in choice.get("columns") or {}:
            extra.setdefault(str(key), None)
    sheet.append(["list_name", "name", *(language_column("label", k) for k in languages), *extra])
    for list_name, items in lists.items():
        for choice in items:
            label = _label(choice.get("label"))
            columns = choice.get("columns") or {}
            _append(
                sheet,
                [
                    list_name,
                    str(choice["value"]),
                    *(label.get(k) for k in languages),
                    *(columns.get(k) for k in extra),
                ],
            )


def _settings(workbook: Workbook, definition: FormDefinition) -> None:
    doc = definition.source
    sheet = workbook.create_sheet("settings")
    title = _label(doc.get("title"))
    languages = _languages(doc, iter([title]))
    header = ["form_id", "version", *(language_column("form_title", k) for k in languages)]
    values: list[Any] = [definition.id, definition.version, *(title[k] for k in languages)]
    default = doc.get("default_language")
    if default:
        header.append("default_language")
        written = language_column("x", str(default))
        values.append(written[3:] if written.startswith("x::") else default)
    if doc.get("allow_choice_duplicates"):
        header.append("allow_choice_duplicates")
        values.append("yes")
    sheet.append(header)
    _append(sheet, values)
