"""One survey row → one item of the definition document (FORMAT.md): labels in every
language, logic, `required`, `default` in the question's own type, `choice_filter`,
`appearance`, `repeat_count`. Columns pyxform knows that change what a form does and we
do not support are refused by sheet, row and column; columns pyxform ignores (comments,
notes) and media beside a text label are ignored too."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from gridapp.forms.xlsform_columns import MEDIA, TRANSLATED
from gridapp.forms.xlsform_repeat import repeat_count
from gridapp.forms.xlsform_sheet import Row, Sheet, translated, value
from gridapp.forms.xlsform_types import Kind

EXPRESSIONS = ("relevant", "constraint", "calculation", "choice_filter")
#: pyxform columns whose effect we do not have: refused when they hold a value.
REFUSED_COLUMNS = {"trigger": "unsupported_column", "readonly": "unsupported_column"}
_SERVER_COLUMNS = ("save_to", "intent")
_SERVER_FUNCTIONS = re.compile(r"\b(pulldata|instance|search)\s*\(")
_DYNAMIC = re.compile(r"\$\{|[A-Za-z_-]\s*\(")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_RESERVED = frozenset({"meta"})
#: Items the worker does not type into: read_only changes nothing on them.
_NOT_EDITED = frozenset({"note", "calculate", "meta", "group", "repeat"})


def boolean(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in ("yes", "true", "1", "true()", "是", "y"):
        return True
    if lowered in ("", "no", "false", "0", "false()", "否", "n"):
        return False
    return None


def build_item(sheet: Sheet, number: int, row: Row, kind: Kind) -> dict[str, Any] | None:
    """The item of a row (None if refused: the problems are on `sheet`)."""
    fields = dict(kind.fields)
    kind_type = fields.get("type") or kind.begin
    name = value(row, "name")
    if not name and kind_type == "note":
        name = f"generated_note_name_{number}"  # as pyxform names them
    if not name:
        sheet.problem(number, sheet.header("name"), "error.xlsform.no_name")
        return None
    if not name.isidentifier():  # pyxform takes XML names; ours are also ${…}-able
        sheet.problem(number, sheet.header("name"), "error.form.bad_name", name=name)
        return None
    if name.lower() in _RESERVED and not kind.begin:
        sheet.problem(number, sheet.header("name"), "error.xlsform.reserved_name", name=name)
    item: dict[str, Any] = {"name": name, "type": kind_type}
    for base in TRANSLATED:
        text = translated(row, base)
        if text:
            item[base] = text
    _refused_columns(sheet, number, row, item)
    for base in EXPRESSIONS:
        source = value(row, base)
        if source:
            server = _SERVER_FUNCTIONS.search(source)
            if server:
                feature = server.group(1)
                sheet.problem(
                    number, sheet.header(base), "error.xlsform.needs_server", feature=feature
                )
            item[base] = source
    if fields.get("constraint") and item.get("constraint"):  # phone number + its own
        fields["constraint"] = f"({item['constraint']}) and {fields['constraint']}"
    appearance = value(row, "appearance")
    if appearance and _SERVER_FUNCTIONS.search(appearance):  # search('file.csv', …)
        header = sheet.header("appearance")
        sheet.problem(number, header, "error.xlsform.needs_server", feature=appearance)
    elif appearance:
        fields["appearance"] = " ".join(appearance.split())
    _numbers(sheet, number, row, item)
    required = boolean(value(row, "required"))
    if required is None:
        sheet.problem(number, sheet.header("required"), "error.form.bad_boolean", field="required")
    elif required:
        item["required"] = True
    item.update(fields)
    if kind.begin == "repeat":
        _repeat_count(sheet, number, row, item)
    elif value(row, "repeat_count"):
        sheet.problem(
            number,
            sheet.header("repeat_count"),
            "error.xlsform.unsupported_column",
            column=sheet.header("repeat_count"),
        )
    if item.get("other") and item.get("choice_filter"):
        sheet.problem(number, sheet.header("choice_filter"), "error.xlsform.or_other_filter")
    default = value(row, "default")
    if default:
        _default(sheet, number, item, default)
    return item


def _refused_columns(sheet: Sheet, number: int, row: Row, item: dict[str, Any]) -> None:
    for column, text in row.items():
        base = column.base
        if base in MEDIA and "label" not in item and "hint" not in item:
            sheet.problem(number, column.header, "error.xlsform.media_only", column=column.header)
        elif base in _SERVER_COLUMNS:
            sheet.problem(number, column.header, "error.xlsform.needs_server", feature=base)
        elif base == "readonly" and (boolean(text) is False or item["type"] in _NOT_EDITED):
            continue  # nothing to edit there anyway
        elif base in REFUSED_COLUMNS or base.split("::")[0] in ("bind", "body", "control"):
            sheet.problem(
                number, column.header, "error.xlsform.unsupported_column", column=column.header
            )


def _numbers(sheet: Sheet, number: int, row: Row, item: dict[str, Any]) -> None:
    for base in ("min", "max"):  # gridapp's own columns (XLSForm would write a constraint)
        text = value(row, base)
        if not text:
            continue
        try:
            found = float(text)
        except ValueError:
            sheet.problem(number, sheet.header(base), "error.form.bad_number", field=base)
            continue
        item[base] = int(found) if found.is_integer() else found


def _repeat_count(sheet: Sheet, number: int, row: Row, item: dict[str, Any]) -> None:
    text = value(row, "repeat_count")
    if not text:
        return
    count, why = repeat_count(text)
    if count is None:
        sheet.problem(
            number, sheet.header("repeat_count"), "error.xlsform.bad_repeat_count", detail=why
        )
    else:
        item["repeat_count"] = count


def _default(sheet: Sheet, number: int, item: dict[str, Any], text: str) -> None:
    header = sheet.header("default")
    if _DYNAMIC.search(text) and item["type"] not in ("text", "select_one", "select_multiple"):
        sheet.problem(number, header, "error.xlsform.dynamic_default")
        return
    if "${" in text:
        sheet.problem(number, header, "error.xlsform.dynamic_default")
        return
    answer = typed_default(item["type"], text)
    if answer is None:
        sheet.problem(number, header, "error.xlsform.bad_default", value=text, type=item["type"])
    else:
        item["default"] = answer


def typed_default(kind: str, text: str) -> Any:
    """`text` as an answer of type `kind` (FORMAT.md), or None if it is not one."""
    try:
        if kind in ("text", "select_one"):
            return text
        if kind == "select_multiple":
            return text.split()
        if kind in ("integer", "rating"):
            number = float(text) if _NUMBER.match(text) else None
            if number is None or not number.is_integer():
                return None
            if kind == "rating" and not 1 <= number <= 5:
                return None
            return int(number)
        if kind == "decimal":
            return float(text) if _NUMBER.match(text) else None
        if kind == "date":
            return dt.date.fromisoformat(text[:10]).isoformat()
        if kind == "time":
            return dt.time.fromisoformat(text).strftime("%H:%M")
        if kind == "datetime":
            return dt.datetime.fromisoformat(text.replace(" ", "T")).strftime("%Y-%m-%dT%H:%M")
        if kind == "yes_no":
            return boolean(text)
        if kind == "acknowledge":
            return "OK" if text.upper() == "OK" or boolean(text) else None
    except ValueError:
        return None
    return None
