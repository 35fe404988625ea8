"""An answer in its type: what each question type accepts and how it is stored
(resources/forms/FORMAT.md). Used by the loader (a `default` must fit its question) and
by the engine (every answer given)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from typing import Any

from gridapp.forms.definition import RATING_RANGE, Question

_EMPTY: tuple[Any, ...] = (None, "", [])
_ACKNOWLEDGED = frozenset({"ok", "true", "yes", "1", "是"})
_NOT_ACKNOWLEDGED = frozenset({"false", "no", "0", "否"})


def is_empty(value: Any) -> bool:
    return any(value is e or value == e for e in _EMPTY)


def _number_text(value: str) -> str:
    # Full-width digits (１２３) and spaces as Chinese input methods type them.
    return unicodedata.normalize("NFKC", value).strip()


def _time(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    text = _number_text(value)
    if len(text) >= 4 and text[1] == ":":  # 9:05 as typed
        text = "0" + text
    return dt.time.fromisoformat(text).strftime("%H:%M")


def _datetime(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    moment = dt.datetime.fromisoformat(_number_text(value))
    return moment.strftime("%Y-%m-%dT%H:%M")


def _acknowledge(value: Any) -> tuple[Any, str | None]:
    text = str(value).strip().lower()
    if value is True or text in _ACKNOWLEDGED:
        return "OK", None
    if value is False or text in _NOT_ACKNOWLEDGED:
        return None, None
    return value, "error.answer.not_acknowledged"


def _repeat(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, list | tuple) and all(isinstance(i, Mapping) for i in value):
        return [dict(i) for i in value], None
    return value, "error.answer.not_a_repeat"


_ERRORS = {
    "date": "error.answer.not_date",
    "decimal": "error.answer.not_number",
    "time": "error.answer.not_time",
    "datetime": "error.answer.not_datetime",
}


def coerce(question: Question, value: Any) -> tuple[Any, str | None]:
    """The value in its proper type, or a problem key. Empty stays None."""
    if is_empty(value):
        return None, None
    kind = question.type
    try:
        if kind == "select_one":
            return (
                (str(value), None)
                if str(value) in question.choice_values
                or (question.other and str(value) == "other")
                else (value, "error.answer.not_a_choice")
            )
        if kind == "select_multiple":
            items = [str(v) for v in (value if isinstance(value, list) else [value])]
            allowed = question.choice_values | ({"other"} if question.other else set())
            if len(set(items)) != len(items) or not set(items) <= allowed:
                return value, "error.answer.not_a_choice"
            return items, None
        if kind == "text":
            return (value, None) if isinstance(value, str) else (value, "error.answer.not_text")
        if kind in ("integer", "rating"):
            if isinstance(value, bool):
                return value, "error.answer.not_integer"
            number = int(_number_text(value)) if isinstance(value, str) else value
            if not isinstance(number, int):
                return value, "error.answer.not_integer"
            if kind == "rating" and not RATING_RANGE[0] <= number <= RATING_RANGE[1]:
                return number, "error.answer.out_of_range"
            return number, None
        if kind == "decimal":
            if isinstance(value, bool):
                return value, "error.answer.not_number"
            number = float(_number_text(value)) if isinstance(value, str) else value
            if not isinstance(number, int | float):
                return value, "error.answer.not_number"
            return float(number), None
        if kind == "date":
            text = _number_text(str(value))
            dt.date.fromisoformat(text)
            return text, None
        if kind == "time":
            return _time(value), None
        if kind == "datetime":
            return _datetime(value), None
        if kind == "yes_no":
            if isinstance(value, bool):
                return value, None
            if str(value).lower() in ("yes", "true", "1", "是"):
                return True, None
            if str(value).lower() in ("no", "false", "0", "否"):
                return False, None
            return value, "error.answer.not_yes_no"
        if kind == "acknowledge":
            return _acknowledge(value)
        if kind == "repeat":
            return _repeat(value)
    except (TypeError, ValueError):
        return value, _ERRORS.get(kind, "error.answer.not_integer")
    if kind in ("note", "calculate", "meta"):
        return value, None
    return value, "error.answer.unknown"
