"""Definitions back to XLSForm workbooks staff can edit in Excel or WPS and import again."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from gridapp.files import atomic_path, file_errors
from gridapp.forms.definition import FormDefinition
from gridapp.forms.xlsform import SURVEY_COLUMNS, TRANSLATED

_LANG_COLUMNS = (("zh_CN", "zh"), ("en", "en"))


def write_xlsform(definition: FormDefinition, out: Path) -> None:
    """The definition as a workbook staff can edit in Excel or WPS and import again."""
    doc = definition.source
    workbook = Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    translated = [f"{base}::{suffix}" for base in TRANSLATED for _, suffix in _LANG_COLUMNS]
    survey_columns = [*SURVEY_COLUMNS[:2], *translated, *SURVEY_COLUMNS[2:]]
    survey.append(survey_columns)
    lists: dict[str, list[Mapping[str, Any]]] = dict(doc.get("choice_lists") or {})
    for item in _flatten(doc.get("items") or []):
        survey.append([_survey_cell(item, column, lists) for column in survey_columns])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label::zh", "label::en"])
    for list_name, items in lists.items():
        for choice in items:
            label = choice.get("label") or {}
            label = {"zh_CN": label} if isinstance(label, str) else label
            choices.append(
                [list_name, str(choice["value"]), label.get("zh_CN", ""), label.get("en", "")]
            )
    settings = workbook.create_sheet("settings")
    title = doc.get("title") or {}
    title = {"zh_CN": title} if isinstance(title, str) else title
    settings.append(["form_id", "version", "form_title::zh", "form_title::en", "default_language"])
    settings.append(
        [definition.id, definition.version, title.get("zh_CN", ""), title.get("en", ""), "zh"]
    )
    with file_errors(out):
        out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as part:
        workbook.save(part)


def _flatten(items: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for item in items:
        if item.get("type") == "group":
            yield item
            yield from _flatten(item.get("items") or [])
            yield {"type": "end group", "name": ""}
        else:
            yield item


def _survey_cell(
    item: Mapping[str, Any], column: str, lists: dict[str, list[Mapping[str, Any]]]
) -> Any:
    kind = item.get("type")
    if column == "type":
        if kind == "group":
            return "begin group"
        if kind in ("select_one", "select_multiple"):
            choices = item.get("choices")
            if not isinstance(choices, str):  # inline choices get a list of their own
                lists[item["name"]] = list(choices or [])
                choices = item["name"]
            return f"{kind} {choices}" + (" or_other" if item.get("other") else "")
        return "range" if kind == "rating" else kind
    if column == "parameters":
        return "start=1 end=5 step=1" if kind == "rating" else None
    if column == "required":
        return "yes" if item.get("required") else None
    if "::" in column:
        base, suffix = column.split("::")
        text = item.get(base) or {}
        text = {"zh_CN": text} if isinstance(text, str) else text
        lang = dict((s, lang) for lang, s in _LANG_COLUMNS)[suffix]
        return text.get(lang) or None
    value = item.get(column)
    return value if value not in ("", None) else None
